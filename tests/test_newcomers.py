"""A newcomer's snapshot reused from the previous newcomer at its table (facilitator/newcomers.py) is the
one it would have been built: after any change a phone can see, written by this server or by another
process on the same database, the next newcomer gets the new state, never the stored one."""

import pytest
from flask import current_app
from sqlalchemy.orm import Session

from facilitator import agenda, essentials, moderation, newcomers, themes, votes
from facilitator.access import Viewer, admit
from facilitator.cards import post_card
from facilitator.extensions import db
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id


def _comparable(snapshot: dict) -> dict:
    """What two newcomers at one table must share: everything but the sequence number, the head count and
    the phone's own id in the plan part."""
    out = {k: v for k, v in snapshot.items() if k not in ("seq", "participants")}
    if isinstance(out.get("plan"), dict):
        out["plan"] = {k: v for k, v in out["plan"].items() if k != "me"}
    return out


def _newcomer(socket_client, code, group=2):
    client = socket_client()
    reply = client.emit("join", {"code": code, "role": "participant", "group": group}, callback=True)
    assert reply["ok"], reply
    return reply


def _built(app, socket_client, code, group=2):
    """The snapshot a newcomer gets with nothing stored: what the reused one must equal."""
    with app.app_context():
        newcomers.snapshots_of(current_app).forget()
    return _newcomer(socket_client, code, group)


def _in_another_process(code, change):
    """Run `change(session, workshop, people)` in a session of its own, as another server process would:
    nothing of it passes through this process's publisher."""
    with Session(db.engine, expire_on_commit=False) as session:
        workshop = find_workshop(session, code)
        people = {n: admit(session, workshop, "participant", group_number=n).viewer for n in (1, 2)}
        facilitator = Viewer(workshop.id, "facilitator")
        change(session, workshop, people, facilitator)


def _card(session, workshop, people, facilitator, table=2, text="Une idée de plus"):
    return post_card(
        session, workshop, people[table], client_id=new_client_id(), family=workshop.families[0], text=text
    )[0]


def _step_with_sealed_cards(session, workshop, people, facilitator):
    agenda.update_agenda(
        session,
        workshop,
        facilitator,
        [
            {"title": "Temps silencieux", "minutes": 10, "open_families": [workshop.families[0]],
             "hidden_until_reveal": True, "voting": "off"},
            {"title": "Vote", "minutes": 10, "open_families": [], "hidden_until_reveal": False,
             "voting": "table"},
        ],
    )  # fmt: skip
    agenda.start(session, workshop, facilitator)
    _card(session, workshop, people, facilitator, text="Une carte cachée jusqu'à la révélation")


CHANGES = {
    "a card at its table": _card,
    "a card at another table": lambda s, w, p, f: _card(s, w, p, f, table=1),
    "a dot on a card of its table": lambda s, w, p, f: votes.cast_vote(
        s, w, p[2], card_id=_card(s, w, p, f).id, delta=1
    ),
    "a card hidden by the facilitator": lambda s, w, p, f: moderation.set_card_hidden(
        s, w, f, _card(s, w, p, f).id, True
    ),
    "a card's text edited": lambda s, w, p, f: moderation.edit_card(s, w, f, _card(s, w, p, f).id, "Autre"),
    "a theme made at its table": lambda s, w, p, f: themes.create_theme(
        s, w, f, "Mobilités douces", [_card(s, w, p, f).id], group_number=2
    ),
    "its table marked ready": lambda s, w, p, f: moderation.set_group_ready(s, w, f, True, group_number=2),
    "essentials kept": lambda s, w, p, f: essentials.set_essentials(
        s, w, f, family=w.families[0], card_ids=[_card(s, w, p, f).id], group_number=2
    ),
    "the workshop locked": lambda s, w, p, f: agenda.set_locked(s, w, f, True),
    "vote totals hidden": lambda s, w, p, f: agenda.set_hide_vote_totals(s, w, f, True),
    "a step with sealed cards": _step_with_sealed_cards,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_next_newcomer_sees_every_change_made_since_the_previous_one(
    app, make_workshop, socket_client, change
):
    created, _ = make_workshop(groups=3)
    _in_another_process(created.code, lambda s, w, p, f: _card(s, w, p, f, text="Déjà là"))
    first = _newcomer(socket_client, created.code)
    _in_another_process(created.code, CHANGES[change])
    after = _newcomer(socket_client, created.code)
    built = _built(app, socket_client, created.code)
    assert _comparable(after["snapshot"]) == _comparable(built["snapshot"])
    assert (
        _comparable(after["snapshot"]) != _comparable(first["snapshot"])
        or change == "a card at another table"
    )


def test_newcomers_share_their_tables_snapshot_with_their_own_count_and_sequence_number(
    app, make_workshop, socket_client
):
    created, _ = make_workshop(groups=3)
    _in_another_process(created.code, _card)
    first = _newcomer(socket_client, created.code)
    second = _newcomer(socket_client, created.code)
    elsewhere = _newcomer(socket_client, created.code, group=3)
    with app.app_context():
        store = newcomers.snapshots_of(current_app)
        assert (store.hits, store.misses) == (1, 2)
    assert _comparable(second["snapshot"]) == _comparable(first["snapshot"])
    # the seeding participant of table 2 and these two newcomers
    assert second["snapshot"]["participants"] == {"2": 3}
    assert first["snapshot"]["participants"] == {"2": 2}
    assert second["snapshot"]["seq"] == second["seq"] > first["seq"]
    assert elsewhere["snapshot"]["workshop"]["groups"] == [{"number": 3, "name": "Table 3"}]
    assert elsewhere["snapshot"]["cards"] == []


def test_a_sealed_card_goes_back_to_its_author_and_to_no_newcomer(app, make_workshop, socket_client):
    created, _ = make_workshop(groups=3)
    _in_another_process(created.code, _step_with_sealed_cards)
    author_client = socket_client()
    author = author_client.emit(
        "join", {"code": created.code, "role": "participant", "group": 2}, callback=True
    )
    family = author["snapshot"]["workshop"]["families"][0]
    posted = author_client.emit(
        "card:add", {"client_id": new_client_id(), "family": family, "text": "Ma carte à moi"}, callback=True
    )
    assert posted["ok"], posted
    newcomer = _newcomer(socket_client, created.code)
    texts = [c["text"] for c in newcomer["snapshot"]["cards"]]
    assert "Ma carte à moi" not in texts and "Une carte cachée jusqu'à la révélation" not in texts
    assert newcomer["snapshot"]["sealed"] == {"2": {family: 2}}
    back = socket_client().emit(
        "join",
        {"code": created.code, "role": "participant", "participant_token": author["participant_token"]},
        callback=True,
    )
    assert "Ma carte à moi" in [c["text"] for c in back["snapshot"]["cards"]]
