"""The collaborative Synthèse (facilitator/synthesis/): référents attach their table themes and loose cards
to the cross-table themes, or propose one; the facilitator seeds, merges, orders. A référent touches only
its own table's themes and cards and reads only its table's part; every change is one logged event that
a référent catching up converges on; each refusal changes nothing."""

import pytest
from sqlalchemy import func, select

from facilitator import agenda, crossthemes
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.events import events_since
from facilitator.extensions import db
from facilitator.models import Card, Event, ReportTheme, ReportThemeCard, Step, Theme, Workshop
from facilitator.synthesis import domain
from facilitator.workshops import create_workshop
from tests.conftest import new_client_id, received

TEXTS = [
    # (table, family, text, table theme title or None)
    (1, "forces", "Des eaux thermales réputées", "Les eaux"),
    (1, "forces", "Des sources chaudes partout", "Les eaux"),
    (2, "forces", "La qualité des eaux thermales", "Thermalisme"),
    (3, "forces", "Eaux thermales reconnues", None),
    (1, "attentes", "Former les saisonniers", None),
    (2, "attentes", "Formation des saisonniers", "Emploi"),
]
PROPOSAL = [
    {"title": "Eaux · thermal", "cards": [0, 1, 2, 3]},
    {"title": "Saisonnier · former", "cards": [4, 5]},
]


def fixed(_cards):
    return PROPOSAL


@pytest.fixture
def workshop(session):
    workshop, secrets = create_workshop(session, title="Assises", question="Q ?", groups=3)
    groups = {g.number: g for g in workshop.groups}
    table_themes, cards = {}, []
    for seq, (table, family, text, theme_title) in enumerate(TEXTS, start=1):
        theme = None
        if theme_title:
            key = (table, theme_title)
            if key not in table_themes:
                table_themes[key] = Theme(
                    workshop_id=workshop.id, group_id=groups[table].id, title=theme_title
                )
                session.add(table_themes[key])
                session.flush()
            theme = table_themes[key].id
        card = Card(
            workshop_id=workshop.id, group_id=groups[table].id, client_id=f"c{seq}", family=family,
            text=text, source="phone", status="visible", seq=seq, theme_id=theme,
        )  # fmt: skip
        session.add(card)
        cards.append(card)
    session.commit()
    workshop.cards = [c.id for c in cards]
    workshop.table_themes = {title: t.id for (_n, title), t in table_themes.items()}
    workshop.groups_by_number = groups
    return workshop


def facilitator(workshop):
    return Viewer(workshop_id=workshop.id, role="facilitator")


def referent(workshop, number):
    group = workshop.groups_by_number[number]
    return Viewer(workshop_id=workshop.id, role="referent", group_id=group.id, group_number=number)


def stored(session, workshop):
    """Everything stored about the synthesis: proves that a refusal changed nothing."""
    session.expire_all()
    return (
        crossthemes.listing(session, workshop),
        session.scalar(select(func.count()).select_from(ReportTheme)),
        session.scalar(select(func.count()).select_from(ReportThemeCard)),
        session.scalar(select(func.count()).select_from(Event).where(Event.type == "synthesis:changed")),
    )


def theme_of(listing, card_id):
    return next((t["title"] for t in listing["themes"] if card_id in [c["id"] for c in t["cards"]]), None)


def test_a_referent_attaches_its_table_theme_with_all_its_cards(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    seeded = domain.seed_theme(session, workshop, facilitator(workshop), "Sources et eaux")
    target = next(t for t in seeded["themes"] if t["title"] == "Sources et eaux")
    assert target["cards"] == [] and target["origin"] == "facilitator"

    reply = domain.attach(
        session, workshop, referent(workshop, 1), target["id"], table_theme=workshop.table_themes["Les eaux"]
    )
    listing = crossthemes.listing(session, workshop)
    assert theme_of(listing, workshop.cards[0]) == theme_of(listing, workshop.cards[1]) == "Sources et eaux"
    assert theme_of(listing, workshop.cards[2]) == "Eaux · thermal"  # table 2's card stays where it was
    # The référent's answer: titles and its own table's attachments, never another table's card.
    outline = reply["synthesis_outline"]
    assert [t["title"] for t in outline["themes"]] == [
        "Eaux · thermal",
        "Saisonnier · former",
        "Sources et eaux",
    ]
    assert outline["attached"]["themes"] == {str(workshop.table_themes["Les eaux"]): target["id"]}
    assert str(workshop.cards[4]) in outline["attached"]["cards"]  # its loose card, in no place yet…
    assert "La qualité des eaux thermales" not in str(reply) and "Eaux thermales reconnues" not in str(reply)
    # The machine's theme that lost cards is now a person's: a new proposal keeps it.
    machine = next(t for t in listing["themes"] if t["title"] == "Eaux · thermal")
    assert machine["edited"] and machine["regrouped"] and machine["origin"] == "machine"


def test_a_loose_card_is_attached_and_a_machine_theme_left_empty_disappears(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    people = next(
        t["id"] for t in crossthemes.listing(session, workshop)["themes"] if t["title"].startswith("Sais")
    )
    water = next(
        t["id"] for t in crossthemes.listing(session, workshop)["themes"] if t["title"].startswith("Eaux")
    )
    domain.attach(session, workshop, referent(workshop, 3), people, card=workshop.cards[3])
    listing = crossthemes.listing(session, workshop)
    assert theme_of(listing, workshop.cards[3]) == "Saisonnier · former"
    # Table 1 and 2 move their themes of the water elsewhere: the machine's "Eaux" is left empty, gone.
    domain.attach(
        session, workshop, referent(workshop, 1), people, table_theme=workshop.table_themes["Les eaux"]
    )
    domain.attach(
        session, workshop, referent(workshop, 2), people, table_theme=workshop.table_themes["Thermalisme"]
    )
    listing = crossthemes.listing(session, workshop)
    assert [t["title"] for t in listing["themes"]] == ["Saisonnier · former"]
    assert session.get(ReportTheme, water) is None
    # Detaching (theme null) takes the card out of every theme.
    domain.attach(session, workshop, referent(workshop, 3), None, card=workshop.cards[3])
    assert workshop.cards[3] in [c["id"] for c in crossthemes.listing(session, workshop)["unassigned"]]


def test_the_same_attachment_again_records_nothing(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    people = crossthemes.listing(session, workshop)["themes"][1]["id"]
    domain.attach(session, workshop, referent(workshop, 1), people, card=workshop.cards[4])
    before = stored(session, workshop)
    domain.attach(session, workshop, referent(workshop, 1), people, card=workshop.cards[4])
    assert stored(session, workshop) == before


def test_a_referent_proposes_a_new_theme_marked_with_its_table(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    reply = domain.propose_theme(
        session,
        workshop,
        referent(workshop, 2),
        "Emploi saisonnier",
        table_theme=workshop.table_themes["Emploi"],
    )
    listing = crossthemes.listing(session, workshop)
    new = next(t for t in listing["themes"] if t["title"] == "Emploi saisonnier")
    assert new["origin"] == "table" and new["proposed_by"] == 2 and not new["regrouped"]
    assert [c["id"] for c in new["cards"]] == [workshop.cards[5]]
    mine = next(t for t in reply["synthesis_outline"]["themes"] if t["title"] == "Emploi saisonnier")
    assert mine["origin"] == "table" and mine["proposed_by"] == 2 and mine["tables"] == [2]
    # An empty proposal is listed too, so that other tables attach to it.
    domain.propose_theme(session, workshop, referent(workshop, 3), "Mobilité")
    assert "Mobilité" in [t["title"] for t in crossthemes.listing(session, workshop)["themes"]]
    # A later proposal by the machine keeps what persons made.
    crossthemes.propose(session, workshop, facilitator(workshop), runner=lambda _c: [])
    titles = [t["title"] for t in crossthemes.listing(session, workshop)["themes"]]
    assert "Emploi saisonnier" in titles and "Mobilité" in titles


def test_the_facilitator_merges_and_orders_what_the_tables_made(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    domain.propose_theme(
        session, workshop, referent(workshop, 2), "Emploi", table_theme=workshop.table_themes["Emploi"]
    )
    ids = {t["title"]: t["id"] for t in crossthemes.listing(session, workshop)["themes"]}
    crossthemes.merge(session, workshop, facilitator(workshop), ids["Saisonnier · former"], ids["Emploi"])
    listing = domain.reorder(session, workshop, facilitator(workshop), [ids["Saisonnier · former"]])
    assert [t["title"] for t in listing["themes"]] == ["Saisonnier · former", "Eaux · thermal"]
    assert theme_of(listing, workshop.cards[5]) == "Saisonnier · former"


@pytest.mark.parametrize(
    "call, code",
    [
        # Another table's theme, another table's card: refused.
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), t, table_theme=w.table_themes["Thermalisme"]), "not_your_table"),
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), t, card=w.cards[3]), "not_your_table"),
        (lambda s, w, t: domain.propose_theme(s, w, referent(w, 3), "X", table_theme=w.table_themes["Emploi"]), "not_your_table"),
        # Bad ids.
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), 999_999, card=w.cards[0]), "unknown_report_theme"),
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), t, table_theme=999_999), "unknown_theme"),
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), t, card=999_999), "unknown_card"),
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), t), "invalid_payload"),
        (lambda s, w, t: domain.attach(s, w, referent(w, 1), t, card=w.cards[0], table_theme=w.table_themes["Les eaux"]), "invalid_payload"),
        (lambda s, w, t: domain.propose_theme(s, w, referent(w, 1), "   "), "empty_title"),
        # Roles: a board, a participant, another workshop's référent; only the facilitator seeds and orders.
        (lambda s, w, t: domain.attach(s, w, Viewer(workshop_id=w.id, role="board"), t, card=w.cards[0]), "forbidden"),
        (lambda s, w, t: domain.attach(s, w, Viewer(workshop_id=w.id, role="participant", group_id=w.groups_by_number[1].id, group_number=1), t, card=w.cards[0]), "forbidden"),
        (lambda s, w, t: domain.attach(s, w, Viewer(workshop_id=w.id + 1, role="referent", group_id=1, group_number=1), t, card=w.cards[0]), "forbidden"),
        (lambda s, w, t: domain.seed_theme(s, w, referent(w, 1), "Titre"), "forbidden"),
        (lambda s, w, t: domain.reorder(s, w, referent(w, 1), [t]), "forbidden"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(session, workshop, call, code):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    target = crossthemes.listing(session, workshop)["themes"][1]["id"]
    before = stored(session, workshop)
    with pytest.raises(DomainError) as refused:
        call(session, workshop, target)
    session.rollback()
    assert refused.value.code == code
    assert stored(session, workshop) == before


def test_referents_attach_only_during_the_synthese_step(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    target = crossthemes.listing(session, workshop)["themes"][1]["id"]
    workshop.steps.append(
        Step(
            position=len(workshop.steps),
            kind=domain.STEP_KIND,
            title="Synthèse",
            duration=600,
            open_families=[],
        )
    )
    session.commit()
    agenda.start(session, workshop, facilitator(workshop))  # the first step: Accueil
    before = stored(session, workshop)
    with pytest.raises(DomainError) as refused:
        domain.attach(session, workshop, referent(workshop, 1), target, card=workshop.cards[4])
    session.rollback()
    assert refused.value.code == "synthesis_closed" and stored(session, workshop) == before
    # The facilitator may, whatever the step.
    domain.attach(session, workshop, facilitator(workshop), target, card=workshop.cards[4])
    agenda.goto(session, workshop, facilitator(workshop), len(workshop.steps) - 1)
    domain.attach(session, workshop, referent(workshop, 1), None, card=workshop.cards[4])
    assert workshop.cards[4] in [c["id"] for c in crossthemes.listing(session, workshop)["unassigned"]]


def test_a_referent_catching_up_gets_its_outline_and_no_other_table_s_cards(session, workshop):
    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    since = workshop.seq
    target = crossthemes.listing(session, workshop)["themes"][0]["id"]
    domain.attach(
        session, workshop, referent(workshop, 2), target, table_theme=workshop.table_themes["Emploi"]
    )
    group = workshop.groups_by_number[1]
    missed = events_since(session, workshop, 0, group.id, 500, referent=True)
    outlines = [m for m in missed if m["type"] == "synthesis:outline"]
    assert [m["change"] for m in outlines] == ["propose", "attach"]
    assert not [m for m in missed if m["type"] == "synthesis:changed"]
    last = outlines[-1]["synthesis"]
    assert last["themes"][0]["tables"] == [1, 2, 3] and last["themes"][0]["count"] == 5
    assert set(last["attached"]["themes"]) == {str(workshop.table_themes["Les eaux"])}  # its own table's only
    assert "Formation des saisonniers" not in str(missed) and "examples" not in str(last)
    # A phone of the table catching up gets neither.
    phone = events_since(session, workshop, since, group.id, 500, participant_id=1)
    assert not [m for m in phone if m["type"].startswith("synthesis")]


# --- Socket events ---------------------------------------------------------------------------------------


@pytest.fixture
def room(make_workshop, joined, phone):
    """3 tables, two cards at tables 1 and 2 (table 1's in a table theme), the machine's proposal; the
    facilitator, a board and the référents of tables 1 and 2 connected."""
    workshop, secrets = make_workshop(groups=3)
    code = workshop.code
    ids = []
    for table, text in ((1, "Des eaux thermales réputées"), (2, "La qualité des eaux thermales")):
        client, _ = phone(code, group=table)
        ack = client.emit(
            "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
        )
        ids.append(ack["card"]["id"])
    facilitator, _ = joined(code, "facilitator", token=secrets.facilitator_token)
    made = facilitator.emit(
        "theme:create", {"title": "Les eaux", "cards": [ids[0]], "group": 1}, callback=True
    )
    assert made["ok"], made
    first, _ = joined(code, "referent", token=secrets.referent_tokens[1])
    second, _ = joined(code, "referent", token=secrets.referent_tokens[2])
    seeded = facilitator.emit("synthesis:seed", {"title": "Eaux thermales"}, callback=True)
    assert seeded["ok"], seeded
    for client in (facilitator, first, second):
        client.get_received()
    return {
        "code": code, "secrets": secrets, "cards": ids, "facilitator": facilitator, "first": first,
        "second": second, "table_theme": made["theme"]["id"], "target": seeded["themes"][0]["id"],
    }  # fmt: skip


def test_attach_over_sockets_reaches_each_referent_as_its_own_outline(room):
    ack = room["first"].emit(
        "synthesis:attach", {"theme": room["target"], "table_theme": room["table_theme"]}, callback=True
    )
    assert ack["ok"], ack
    assert ack["synthesis_outline"]["themes"][0]["tables"] == [1]
    assert ack["synthesis_outline"]["attached"]["themes"] == {str(room["table_theme"]): room["target"]}
    (whole,) = received(room["facilitator"], "synthesis:changed")
    assert whole["change"] == "attach" and whole["synthesis"]["themes"][0]["count"] == 1
    (mine,) = received(room["first"], "synthesis:outline")
    (theirs,) = received(room["second"], "synthesis:outline")
    assert mine["synthesis"] == ack["synthesis_outline"]
    assert theirs["synthesis"]["themes"] == mine["synthesis"]["themes"]
    assert theirs["synthesis"]["attached"]["themes"] == {}  # table 2 has no theme; never table 1's
    ack = room["second"].emit(
        "synthesis:attach", {"theme": room["target"], "card": room["cards"][1]}, callback=True
    )
    assert ack["synthesis_outline"]["themes"][0]["tables"] == [1, 2]
    shown = room["first"].emit("synthesis:show", {}, callback=True)
    assert shown["synthesis_outline"]["themes"][0]["tables"] == [1, 2]
    assert "La qualité" not in str(shown)


@pytest.mark.parametrize(
    "who, event, payload, code",
    [
        ("second", "synthesis:attach", {"theme": "TARGET", "table_theme": "TABLE_THEME"}, "not_your_table"),
        ("first", "synthesis:attach", {"theme": "TARGET", "card": "CARD2"}, "not_your_table"),
        ("first", "synthesis:attach", {"theme": 999_999, "card": "CARD1"}, "unknown_report_theme"),
        ("first", "synthesis:attach", {"theme": "TARGET", "table_theme": 999_999}, "unknown_theme"),
        ("first", "synthesis:attach", {"theme": "TARGET"}, "invalid_payload"),
        ("first", "synthesis:attach", {"theme": "x", "card": "CARD1"}, "invalid_payload"),
        ("first", "synthesis:attach", "nonsense", "invalid_payload"),
        ("first", "synthesis:propose_theme", {"title": ""}, "empty_title"),
        ("first", "synthesis:propose_theme", {"title": "X", "card": "CARD2"}, "not_your_table"),
        ("first", "synthesis:seed", {"title": "X"}, "forbidden"),
        ("first", "synthesis:reorder", {"themes": ["TARGET"]}, "forbidden"),
        ("facilitator", "synthesis:reorder", {"themes": [999_999]}, "unknown_report_theme"),
        ("facilitator", "synthesis:seed", {"title": "x" * 201}, "title_too_long"),
    ],
)  # fmt: skip
def test_socket_refusals_answer_a_clear_error_and_record_nothing(app, room, who, event, payload, code):
    names = {
        "TARGET": room["target"],
        "TABLE_THEME": room["table_theme"],
        "CARD1": room["cards"][0],
        "CARD2": room["cards"][1],
    }
    if isinstance(payload, dict):
        payload = {
            k: [names.get(i, i) for i in v] if isinstance(v, list) else names.get(v, v)
            for k, v in payload.items()
        }
    with app.app_context():
        before = db.session.scalar(select(Workshop.seq).where(Workshop.code == room["code"]))
        db.session.remove()
    ack = room[who].emit(event, payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    assert ack["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(Workshop.seq).where(Workshop.code == room["code"])) == before
        db.session.remove()
    assert not received(room["first"], "synthesis:outline")


def test_a_board_and_a_phone_never_get_the_outline(room, joined, phone):
    board, reply = joined(room["code"], "board", token=room["secrets"].board_token)
    table, table_reply = phone(room["code"], group=1)
    assert "synthesis_outline" not in reply["snapshot"] and "synthesis_outline" not in table_reply["snapshot"]
    _r, referent_reply = joined(room["code"], "referent", token=room["secrets"].referent_tokens[1])
    assert referent_reply["snapshot"]["synthesis_outline"]["themes"][0]["title"] == "Eaux thermales"
    room["first"].emit("synthesis:attach", {"theme": room["target"], "card": room["cards"][0]}, callback=True)
    assert not received(table, "synthesis:outline") and not received(board, "synthesis:outline")


# --- The compte rendu says where each theme comes from (point 5) ------------------------------------------


def test_the_report_says_which_themes_the_machine_proposed_and_what_persons_did(session, workshop):
    from reports import build_summary
    from reports.writers.html_writer import render

    crossthemes.propose(session, workshop, facilitator(workshop), runner=fixed)
    water, people = crossthemes.listing(session, workshop)["themes"]
    crossthemes.rename(session, workshop, facilitator(workshop), water["id"], "Eaux thermales")
    domain.propose_theme(
        session,
        workshop,
        referent(workshop, 2),
        "Emploi saisonnier",
        table_theme=workshop.table_themes["Emploi"],
    )
    domain.seed_theme(session, workshop, facilitator(workshop), "Accueil")  # empty: not in the report
    summary = build_summary(session, workshop.code)
    themes = {t["title"]: t for t in summary.to_report()["themes"]}
    assert set(themes) == {"Eaux thermales", "Saisonnier · former", "Emploi saisonnier"}
    assert themes["Eaux thermales"]["history"] == "proposé par la machine, renommé"
    assert themes["Eaux thermales"]["origin"] == "machine" and themes["Eaux thermales"]["renamed"] is True
    assert themes["Saisonnier · former"]["history"] == "proposé par la machine, cartes regroupées autrement"
    assert themes["Emploi saisonnier"]["history"] == "proposé par la table 2"
    assert themes["Emploi saisonnier"]["proposed_by"] == 2
    html = render(summary)
    assert "Proposé par la machine, renommé." in html and "construits par la salle" in html


def test_the_proposal_is_given_each_card_s_table_theme(session, workshop, monkeypatch):
    """The interface with reports.synthesis: each card carries `theme` (its table theme's id) and
    `theme_title`, null for a loose card."""
    import json

    from facilitator.synthesis.worker import Worker

    cards = crossthemes.proposal_input(session, workshop, facilitator(workshop))
    by_text = {c["text"]: c for c in cards}
    assert by_text["Des eaux thermales réputées"]["theme"] == workshop.table_themes["Les eaux"]
    assert by_text["Des sources chaudes partout"]["theme_title"] == "Les eaux"
    assert by_text["Eaux thermales reconnues"]["theme"] is None
    sent = {}

    def propose(_worker, cards, language="fr"):
        sent["cards"] = json.loads(json.dumps(cards))  # what the worker's pipe carries
        return []

    monkeypatch.setattr(Worker, "propose", propose)
    assert crossthemes.synthesise(cards) == []
    assert sent["cards"][0] == {
        "table": 1, "family": "forces", "text": "Des eaux thermales réputées",
        "theme": workshop.table_themes["Les eaux"], "theme_title": "Les eaux",
    }  # fmt: skip
    assert sent["cards"][3]["theme"] is None and sent["cards"][3]["theme_title"] is None


def test_a_theme_added_by_hand_over_http(client, make_workshop):
    workshop, secrets = make_workshop(groups=2)
    base = f"/api/workshops/{workshop.code}/synthesis"
    headers = {"Authorization": f"Bearer {secrets.facilitator_token}"}
    added = client.post(f"{base}/themes", json={"title": "Accueil des curistes"}, headers=headers)
    assert added.status_code == 200, added.get_json()
    (theme,) = added.get_json()["themes"]
    assert (
        theme["title"] == "Accueil des curistes" and theme["origin"] == "facilitator" and theme["cards"] == []
    )
    referent = {"Authorization": f"Bearer {secrets.referent_tokens[1]}"}
    refused = client.post(f"{base}/themes", json={"title": "X"}, headers=referent)
    assert refused.status_code == 403
    empty = client.post(f"{base}/themes", json={"title": "  "}, headers=headers)
    assert empty.status_code == 400 and empty.get_json()["error"]["code"] == "empty_title"
    assert len(client.get(base, headers=headers).get_json()["themes"]) == 1


def test_a_proposal_sent_twice_with_its_client_id_makes_one_theme(session, workshop):
    me = referent(workshop, 3)
    domain.propose_theme(session, workshop, me, "Mobilité", card=workshop.cards[3], client_id="abc123")
    before = stored(session, workshop)
    again = domain.propose_theme(
        session, workshop, me, "Mobilité", card=workshop.cards[3], client_id="abc123"
    )
    assert stored(session, workshop) == before
    assert [t["title"] for t in again["synthesis_outline"]["themes"]] == ["Mobilité"]
