"""One text rule for everything a person types (facilitator/textsafety.clean_typed): at every entry
point — phones, référents, the facilitator's console, the JSON API, the organiser's form, the kit — NUL
and control characters, bidi overrides and isolates and zero-width characters are dropped, the text is
NFC, and a required text that shows nothing is refused with a clear error (issue 18, point 9)."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator import crossthemes
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.extensions import db
from facilitator.kit import KitOptions
from facilitator.models import Card, Group, Participant, ReportTheme, Step, Workshop
from facilitator.textsafety import clean_typed
from tests.conftest import new_client_id

AUTH = {"Authorization": "Bearer test-organiser-key"}

# What a person types, with what the tricks hide in it, and what is stored.
TYPED = "A\x00b\x01c \u202eRTL\u202c \u2067iso\u2069 \u200bzw\ufeff Cafe\u0301"
STORED = "Abc RTL iso zw Café"
# Texts that show nothing once the invisible characters are gone.
BLANKS = ["\x01", "\x00", "\u202e", " \u2066\u2069 ", "\u200b\u200b", "\ufeff\u200e\u200f", "\u3164"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (TYPED, STORED),
        ("👩\u200d💻 et 🏳️\u200d🌈", "👩\u200d💻 et 🏳️\u200d🌈"),
        ("Ligne 1\r\nLigne 2\u2028Ligne 3", "Ligne 1 Ligne 2 Ligne 3"),
        ("\ud800Lone surrogate", "Lone surrogate"),
    ],
    ids=["tricks", "emoji-joiners", "one-line", "surrogate"],
)
def test_the_rule_on_one_line(typed, stored):
    assert clean_typed(typed) == stored


def test_the_rule_on_several_lines_keeps_the_line_breaks():
    assert clean_typed(" Ligne\u202e 1 \r\n\tLigne\x01 2 \u2029Ligne 3\n", multiline=True) == (
        "Ligne 1\nLigne 2\nLigne 3"
    )


@pytest.mark.parametrize("blank", BLANKS)
def test_the_rule_leaves_nothing_of_a_text_that_shows_nothing(blank):
    assert clean_typed(blank) == "" and clean_typed(blank, multiline=True) == ""


# --- Every entry point ------------------------------------------------------------------------------------


@pytest.fixture
def env(app, make_workshop, joined, phone, client):
    w, secrets = make_workshop(groups=2, organisations=["OT", "ADT"])
    lea, _ = phone(w.code, name="Léa")
    referent, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    facilitator, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    return SimpleNamespace(
        w=w, secrets=secrets, lea=lea, referent=referent, facilitator=facilitator, phone=phone, client=client
    )


def stored(query):
    with Session(db.engine) as own:
        return own.scalars(query).all()


def refused(reply):
    assert reply["ok"] is False, reply
    return DomainError(reply["error"]["code"])


def post_card(env, text="Brouillon"):
    reply = env.lea.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
    )
    if not reply["ok"]:
        raise refused(reply)
    return reply["card"]["id"]


def card_text(env, card_id):
    [text] = stored(select(Card.text).where(Card.id == card_id))
    return text


def join_name(env, text):
    _phone, reply = env.phone(env.w.code, group=2, name=text)
    names = stored(select(Participant.name).where(Participant.workshop_id == env.w.id))
    return names[-1]


def card_add(env, text):
    return card_text(env, post_card(env, text))


def card_edit(env, text):
    card_id = post_card(env)
    reply = env.lea.emit("card:edit", {"card_id": card_id, "text": text}, callback=True)
    if not reply["ok"]:
        raise refused(reply)
    return card_text(env, card_id)


def paper_card(env, text):
    reply = env.referent.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
    )
    if not reply["ok"]:
        raise refused(reply)
    return card_text(env, reply["card"]["id"])


def theme_create(env, text):
    reply = env.referent.emit("theme:create", {"title": text, "cards": [post_card(env)]}, callback=True)
    if not reply["ok"]:
        raise refused(reply)
    return reply["theme"]["title"]


def theme_rename(env, text):
    created = env.referent.emit("theme:create", {"title": "Titre", "cards": [post_card(env)]}, callback=True)
    reply = env.referent.emit(
        "theme:rename", {"theme_id": created["theme"]["id"], "title": text}, callback=True
    )
    if not reply["ok"]:
        raise refused(reply)
    return reply["theme"]["title"]


def step_title(env, text):
    reply = env.facilitator.emit("agenda:update", {"steps": [{"title": text, "minutes": 10}]}, callback=True)
    if not reply["ok"]:
        raise refused(reply)
    [title] = stored(select(Step.title).where(Step.workshop_id == env.w.id))
    return title


def api_create(env, **body):
    response = env.client.post("/api/workshops", json={"title": "Atelier", **body}, headers=AUTH)
    if response.status_code != 201:
        raise refused(response.get_json())
    return response.get_json()["code"]


def workshop_title(env, text):
    code = api_create(env, title=text)
    return stored(select(Workshop.title).where(Workshop.code == code))[0]


def workshop_question(env, text):
    code = api_create(env, question=text)
    return stored(select(Workshop.question).where(Workshop.code == code))[0]


def table_name(env, text):
    code = api_create(env, groups=1, group_names=[text])
    return stored(select(Group.name).join(Workshop).where(Workshop.code == code))[0]


def organiser_form_title(env, text):
    env.client.post("/organiser", data={"key": "test-organiser-key"})
    form = {"title": text, "groups": 1, "template": "concertation", "language": "fr", "vote_budget": 5}
    response = env.client.post("/organiser/workshops", data={**form, "essentials_per_family": 3})
    if response.status_code != 200:
        assert response.status_code == 400 and "visible" in response.get_data(as_text=True)
        raise DomainError("form_refused")
    return stored(select(Workshop.title).order_by(Workshop.id.desc()))[0]


def report_theme(env):
    post_card(env, "Des eaux thermales réputées")
    with Session(db.engine, expire_on_commit=False) as own:
        workshop = own.get(Workshop, env.w.id)
        crossthemes.propose(
            own,
            workshop,
            Viewer(workshop_id=env.w.id, role="facilitator"),
            runner=lambda cards: [{"title": "Eaux", "cards": list(range(len(cards))), "tables": [1]}],
        )
    return stored(select(ReportTheme.id).where(ReportTheme.workshop_id == env.w.id))[0]


def synthesis_call(env, method, path, body):
    base = f"/api/workshops/{env.w.code}/synthesis"
    headers = {"Authorization": f"Bearer {env.secrets.facilitator_token}"}
    response = env.client.open(base + path, method=method, json=body, headers=headers)
    if response.status_code != 200:
        raise refused(response.get_json())
    return response.get_json()["themes"]


def synthesis_rename(env, text):
    theme = report_theme(env)
    return synthesis_call(env, "PATCH", f"/themes/{theme}", {"title": text})[0]["title"]


def synthesis_split(env, text):
    first = post_card(env, "Une autre carte")
    theme = report_theme(env)
    return synthesis_call(env, "POST", f"/themes/{theme}/split", {"cards": [first], "title": text})[1][
        "title"
    ]


def kit_rules(env, text):
    return KitOptions(rules=text).validated().rules


def kit_contact(env, text):
    return KitOptions(contact=text).validated().contact


# (entry, what a blank text gives: the error code that refuses it, or what is stored instead)
ENTRIES = {
    "join name": (join_name, None),
    "card:add": (card_add, "empty_text"),
    "card:add paper card": (paper_card, "empty_text"),
    "card:edit": (card_edit, "empty_text"),
    "theme:create": (theme_create, "empty_title"),
    "theme:rename": (theme_rename, "empty_title"),
    "agenda:update step title": (step_title, "invalid_payload"),
    "POST /api/workshops title": (workshop_title, "invalid_payload"),
    "POST /api/workshops question": (workshop_question, ""),
    "POST /api/workshops table name": (table_name, "Table 1"),
    "organiser form title": (organiser_form_title, "form_refused"),
    "synthesis rename": (synthesis_rename, "empty_title"),
    "synthesis split": (synthesis_split, "empty_title"),
    "kit rules": (kit_rules, None),
    "kit contact": (kit_contact, ""),
}
REFUSALS = {"empty_text", "empty_title", "invalid_payload", "form_refused"}


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_typed_text_is_stored_without_the_tricks(env, entry):
    enter, _blank = ENTRIES[entry]
    assert enter(env, TYPED) == STORED


@pytest.mark.parametrize(
    "blank", ["\x01", "\u202e\u200b", " \u2066\u2069 "], ids=["control", "bidi-zw", "isolates"]
)
@pytest.mark.parametrize("entry", ENTRIES)
def test_a_typed_text_that_shows_nothing_is_refused_or_left_out(env, entry, blank):
    enter, expected = ENTRIES[entry]
    if expected in REFUSALS:
        with pytest.raises(DomainError) as refusal:
            enter(env, blank)
        assert refusal.value.code == expected
    else:
        assert enter(env, blank) == expected


def test_a_lone_surrogate_is_dropped_not_a_failed_write(env):
    """SQLite cannot encode half a UTF-16 pair: the rule drops it from a name, and a card's text with
    one is refused as malformed before any work (pydantic cannot read it), never a failed write."""
    assert join_name(env, "L\ud800a") == "La"
    with pytest.raises(DomainError) as refusal:
        card_add(env, "Car\udfffte")
    assert refusal.value.code == "invalid_payload"


def test_an_organisation_type_is_matched_once_tidied(env):
    env.phone(env.w.code, group=2, organisation="\u202eO\u200bT\u202c")
    assert stored(select(Participant.organisation).where(Participant.organisation.is_not(None))) == ["OT"]
    env.phone(env.w.code, group=2, organisation="\u200b")  # shows nothing: no organisation given
    response = env.client.post(
        "/api/workshops", json={"title": "Atelier", "organisations": ["\u200b"]}, headers=AUTH
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_payload"


@pytest.mark.parametrize("delta", [True, False, 1.0, "1", 2, 0])
def test_a_dot_is_the_integer_1_or_minus_1(env, delta):
    card_id = post_card(env)
    reply = env.lea.emit("vote:cast", {"card_id": card_id, "delta": delta}, callback=True)
    assert reply["ok"] is False and reply["error"]["code"] == "invalid_payload", reply
    assert env.lea.emit("vote:cast", {"card_id": card_id, "delta": 1}, callback=True)["ok"]
