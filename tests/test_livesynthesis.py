"""The live synthesis (facilitator/livesynthesis.py): every change of the cross-table themes is one
`synthesis:changed` event; the facilitator's screens get it whole, the boards only what they may show and
only while it is projected, phones and référents nothing; projecting is the facilitator's (or the
organiser's) alone; a hidden or sealed card's text never reaches a board."""

import pytest
from sqlalchemy import func, select

from facilitator import crossthemes, livesynthesis
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.events import Audience, CardsNow, events_since, screen_view
from facilitator.extensions import db
from facilitator.models import Card, Event, Workshop
from tests.conftest import new_client_id, received

CARDS = [
    # (table, family, text)
    (1, "forces", "Des eaux thermales réputées"),
    (2, "forces", "La qualité des eaux thermales"),
    (3, "forces", "Eaux thermales reconnues"),
    (1, "attentes", "Former les saisonniers"),
    (2, "attentes", "Formation des saisonniers"),
    (3, "faiblesses", "Transports en commun insuffisants"),
]
PROPOSAL = [
    {"title": "Eaux · thermal", "cards": [0, 1, 2], "tables": [1, 2, 3]},
    {"title": "Saisonnier · former", "cards": [3, 4], "tables": [1, 2]},
    {"title": "Transport · commun", "cards": [5], "tables": [3]},
]


def fixed(cards):
    """PROPOSAL, for the cards the proposal was given (a hidden or sealed card is not)."""
    texts = [c["text"] for c in cards]
    themes = []
    for theme in PROPOSAL:
        members = [texts.index(CARDS[i][2]) for i in theme["cards"] if CARDS[i][2] in texts]
        if members:
            themes.append({**theme, "cards": members})
    return themes


@pytest.fixture
def room(make_workshop, joined, phone):
    """A 3-table workshop with CARDS posted from phones; a facilitator, a board, a référent and a phone
    connected (their join acks kept)."""
    workshop, secrets = make_workshop(groups=3)
    code = workshop.code
    posters = {n: phone(code, group=n)[0] for n in (1, 2, 3)}
    ids = []
    for table, family, text in CARDS:
        ack = posters[table].emit(
            "card:add", {"client_id": new_client_id(), "family": family, "text": text}, callback=True
        )
        assert ack["ok"], ack
        ids.append(ack["card"]["id"])
    facilitator, _ = joined(code, "facilitator", token=secrets.facilitator_token)
    board, _ = joined(code, "board", token=secrets.board_token)
    referent, _ = joined(code, "referent", token=secrets.referent_tokens[1])
    reader, _ = phone(code, group=1)
    for client in posters.values():
        client.get_received()
    return {
        "code": code, "id": workshop.id, "secrets": secrets, "cards": ids, "posters": posters,
        "facilitator": facilitator, "board": board, "referent": referent, "phone": reader,
    }  # fmt: skip


def run(app, room, fn, *args, **kwargs):
    """Call a domain function as the workshop's facilitator, in an app context of its own."""
    with app.app_context():
        workshop = db.session.get(Workshop, room["id"])
        try:
            return fn(
                db.session, workshop, Viewer(workshop_id=room["id"], role="facilitator"), *args, **kwargs
            )
        finally:
            db.session.remove()


def propose(app, room):
    return run(app, room, crossthemes.propose, runner=fixed)


def api(client, room, method, path, token=None, json=None):
    token = room["secrets"].facilitator_token if token is None else token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(
        f"/api/workshops/{room['code']}/synthesis{path}", method=method, headers=headers, json=json
    )


def synthesis_events(app, room):
    with app.app_context():
        rows = db.session.scalars(
            select(Event.payload).where(Event.workshop_id == room["id"], Event.type == "synthesis:changed")
        ).all()
        db.session.remove()
        return rows


def everyone_else(room):
    return [room["referent"], room["phone"], *room["posters"].values()]


def test_every_change_is_one_event_for_the_facilitator(app, room):
    listing = propose(app, room)
    water, people, transport = (t["id"] for t in listing["themes"])
    first = room["cards"][0]
    run(app, room, crossthemes.rename, water, "L'eau thermale")
    run(app, room, crossthemes.merge, people, transport)
    run(app, room, crossthemes.split, water, [first], "Sources")
    run(app, room, crossthemes.move_card, first, people)
    changes = [m["change"] for m in received(room["facilitator"], "synthesis:changed")]
    assert changes == ["propose", "rename", "merge", "split", "move"]
    assert [e["change"] for e in synthesis_events(app, room)] == changes
    last = synthesis_events(app, room)[-1]
    themes = last["synthesis"]["themes"]
    assert [t["title"] for t in themes] == ["L'eau thermale", "Saisonnier · former"]
    assert themes[0]["tables"] == [2, 3] and themes[0]["count"] == 2
    assert themes[1]["tables"] == [1, 2, 3] and themes[1]["count"] == 4
    assert first in themes[1]["cards"] and last["projected"] is False
    assert last["synthesis"]["total_tables"] == 3
    # The staff's message carries the theme, its examples: visible card texts only, never more than 3.
    assert all(len(t["examples"]) <= livesynthesis.EXAMPLES for t in themes)
    assert {e["text"] for e in themes[0]["examples"]} == {
        "La qualité des eaux thermales",
        "Eaux thermales reconnues",
    }
    # Not projected: boards get that it is not (no theme, no text); tables get nothing at all.
    for message in received(room["board"], "synthesis:changed"):
        assert set(message) == {"type", "seq", "change", "projected"} and message["projected"] is False
    for client in everyone_else(room):
        assert received(client, "synthesis:changed") == []


def test_a_change_that_changes_nothing_and_a_refusal_record_nothing(app, room):
    listing = propose(app, room)
    water = listing["themes"][0]["id"]
    run(app, room, crossthemes.rename, water, "L'eau")
    before = len(synthesis_events(app, room))
    run(app, room, crossthemes.rename, water, "  L'eau ")  # the same title
    run(app, room, crossthemes.move_card, room["cards"][1], water)  # already there
    for bad in (lambda: run(app, room, crossthemes.rename, water, ""),
                lambda: run(app, room, crossthemes.merge, water, water),
                lambda: run(app, room, crossthemes.move_card, 999999, water)):  # fmt: skip
        with pytest.raises(DomainError):
            bad()
    assert len(synthesis_events(app, room)) == before


def test_the_facilitator_projects_and_the_boards_follow_without_hidden_text(app, client, room):
    propose(app, room)
    room["board"].get_received()
    room["facilitator"].get_received()
    answer = api(client, room, "POST", "/projection", json={"projected": True})
    assert answer.status_code == 200 and answer.get_json()["projected"] is True
    (shown,) = received(room["board"], "synthesis:changed")
    assert shown["change"] == "project" and shown["projected"] is True
    themes = shown["synthesis"]["themes"]
    assert [t["title"] for t in themes] == ["Eaux · thermal", "Saisonnier · former", "Transport · commun"]
    assert [t["tables"] for t in themes] == [[1, 2, 3], [1, 2], [3]]
    assert [t["count"] for t in themes] == [3, 2, 1]
    assert set(themes[0]) == {"id", "title", "tables", "count", "examples", "proposed_by"}  # no card ids
    assert "unassigned" not in shown["synthesis"]
    (staff,) = received(room["facilitator"], "synthesis:changed")
    assert staff["projected"] is True and staff["synthesis"]["themes"][0]["cards"] == room["cards"][:3]

    # The facilitator hides a card: a later change shows the theme without its text on the boards.
    facilitator = room["facilitator"]
    hidden = facilitator.emit("card:hide", {"card_id": room["cards"][1]}, callback=True)
    assert hidden["ok"]
    (moderated,) = received(room["board"], "synthesis:changed")  # the hide is a change of its own
    assert moderated["change"] == "moderate" and moderated["synthesis"]["themes"][0]["count"] == 3
    assert "La qualité des eaux thermales" not in str(moderated)
    (staff,) = received(facilitator, "synthesis:changed")
    assert staff["change"] == "moderate"
    water = themes[0]["id"]
    assert api(client, room, "PATCH", f"/themes/{water}", json={"title": "L'eau"}).status_code == 200
    (renamed,) = received(room["board"], "synthesis:changed")
    assert renamed["synthesis"]["themes"][0]["title"] == "L'eau"
    assert renamed["synthesis"]["themes"][0]["count"] == 3  # the hidden card still counts in the report
    assert "La qualité des eaux thermales" not in str(renamed)
    (staff,) = received(facilitator, "synthesis:changed")  # the staff still see the card is in the theme
    assert room["cards"][1] in staff["synthesis"]["themes"][0]["cards"]
    for client_ in everyone_else(room):
        assert received(client_, "synthesis:changed") == []

    # Stop: the boards learn it, with no synthesis.
    stopped = api(client, room, "POST", "/projection", json={"projected": False})
    assert stopped.get_json()["projected"] is False
    (off,) = received(room["board"], "synthesis:changed")
    assert off["change"] == "unproject" and off["projected"] is False and "synthesis" not in off


def test_a_late_board_gets_the_projected_synthesis_in_its_snapshot(app, client, room, joined, phone):
    propose(app, room)
    secrets = room["secrets"]
    _board, before = joined(room["code"], "board", token=secrets.board_token)
    assert before["snapshot"]["synthesis"] == {"projected": False}
    room["facilitator"].emit("card:hide", {"card_id": room["cards"][0]}, callback=True)
    api(client, room, "POST", "/projection", json={"projected": True})
    _late, reply = joined(room["code"], "board", token=secrets.board_token)
    synthesis = reply["snapshot"]["synthesis"]
    assert synthesis["projected"] is True and synthesis["total_tables"] == 3
    assert [t["title"] for t in synthesis["themes"]][0] == "Eaux · thermal"
    assert "Des eaux thermales réputées" not in str(synthesis)  # hidden: never on a board
    assert "cards" not in synthesis["themes"][0]
    _f, staff = joined(room["code"], "facilitator", token=secrets.facilitator_token)
    assert staff["snapshot"]["synthesis"]["projected"] is True
    assert staff["snapshot"]["synthesis"]["themes"][0]["cards"] == room["cards"][:3]
    _p, table = phone(room["code"], group=2)
    assert "synthesis" not in table["snapshot"]
    _r, referent = joined(room["code"], "referent", token=secrets.referent_tokens[2])
    assert "synthesis" not in referent["snapshot"]


def test_a_board_catching_up_never_reads_a_card_hidden_since(app, client, room):
    propose(app, room)
    api(client, room, "POST", "/projection", json={"projected": True})
    room["facilitator"].emit("card:hide", {"card_id": room["cards"][2]}, callback=True)
    with app.app_context():
        workshop = db.session.get(Workshop, room["id"])
        board = events_since(db.session, workshop, 0, None, 500, reduce=True)
        staff = events_since(db.session, workshop, 0, None, 500)
        group = room["posters"][1]
        table = events_since(db.session, workshop, 0, 1, 500, participant_id=None)
        db.session.remove()
    shown = [m for m in board if m["type"] == "synthesis:changed"]
    assert [m["change"] for m in shown] == ["propose", "project", "moderate"]
    assert "synthesis" not in shown[0]  # proposed while not projected
    assert "Eaux thermales reconnues" not in str(shown)
    assert "Eaux thermales reconnues" in str([m for m in staff if m["type"] == "synthesis:changed"])
    assert not [m for m in table if m["type"] == "synthesis:changed"]
    assert group  # the table's phones were there all along


def test_sealed_cards_are_never_examples(app, room):
    with app.app_context():
        db.session.execute(Card.__table__.update().where(Card.id == room["cards"][0]).values(sealed=True))
        db.session.commit()
        db.session.remove()
    listing = propose(app, room)
    (message,) = received(room["facilitator"], "synthesis:changed")
    examples = message["synthesis"]["themes"][0]["examples"]
    assert [e["id"] for e in examples] == room["cards"][1:3]
    # Not read before the reveal: out of the proposal and of every answer, it counts once revealed.
    assert listing["themes"][0]["tables"] == [2, 3]
    assert "Des eaux thermales réputées" not in str(listing) + str(message)


def test_examples_one_per_table_first_at_most_three_and_shortened():
    cards = [
        {"id": i, "group": g, "family": "forces", "text": t}
        for i, (g, t) in enumerate([(1, "a"), (1, "b"), (2, "c"), (1, "x" * 400), (3, "d")], start=1)
    ]
    chosen = livesynthesis.examples(cards, readable={1, 2, 3, 4, 5})
    assert [e["id"] for e in chosen] == [1, 3, 5]
    long = livesynthesis.examples(cards, readable={4})
    assert len(long[0]["text"]) == livesynthesis.EXAMPLE_LIMIT and long[0]["text"].endswith("…")
    assert livesynthesis.examples(cards, readable=set()) == []


def test_screen_view_keeps_only_what_a_board_shows():
    message = {
        "type": "synthesis:changed", "seq": 9, "change": "rename", "projected": True,
        "synthesis": {"proposed": True, "total_tables": 9, "unassigned": [7],
                      "themes": [{"id": 1, "title": "T", "edited": True, "tables": [1, 2], "count": 2,
                                  "cards": [3, 4], "examples": [{"id": 3, "group": 1, "family": "forces", "text": "x"},
                                                                 {"id": 4, "group": 2, "family": "forces", "text": "y"}]}]},
    }  # fmt: skip
    view = screen_view(message, now=CardsNow(status={4: "hidden"}))
    assert view["synthesis"] == {
        "proposed": True, "total_tables": 9,
        "themes": [{"id": 1, "title": "T", "tables": [1, 2], "count": 2,
                    "examples": [{"id": 3, "group": 1, "family": "forces", "text": "x"}]}],
    }  # fmt: skip
    assert screen_view({**message, "projected": False}) == {
        "type": "synthesis:changed",
        "seq": 9,
        "change": "rename",
        "projected": False,
    }


def test_the_event_goes_to_the_screens_audience(app, room, published):
    propose(app, room)
    ((message, audience),) = published
    assert message["type"] == "synthesis:changed"
    assert audience == Audience(room["id"], None, None, (), screens=True)


def test_only_the_facilitator_or_the_organiser_projects_and_a_refusal_changes_nothing(app, client, room):
    secrets = room["secrets"]
    empty = api(client, room, "POST", "/projection", json={"projected": True})
    assert empty.status_code == 409 and empty.get_json()["error"]["code"] == "synthesis_empty"
    assert "propose" in empty.get_json()["error"]["message"]
    propose(app, room)
    before = synthesis_events(app, room)
    for token, status in ((None, 401), ("nope", 401), (secrets.board_token, 403),
                          (secrets.referent_tokens[1], 403)):  # fmt: skip
        refused = api(client, room, "POST", "/projection", token=token or "", json={"projected": True})
        assert refused.status_code == status and refused.get_json()["ok"] is False
    for body in ({}, {"projected": "yes"}, None):
        bad = api(client, room, "POST", "/projection", json=body)
        assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_payload"
    assert synthesis_events(app, room) == before
    assert api(client, room, "GET", "").get_json()["projected"] is False
    organiser = app.config["ORGANISER_KEY"]
    assert (
        api(client, room, "POST", "/projection", token=organiser, json={"projected": True}).status_code == 200
    )
    again = api(client, room, "POST", "/projection", json={"projected": True})  # already: nothing recorded
    assert again.get_json()["projected"] is True
    assert [e["change"] for e in synthesis_events(app, room)] == ["propose", "project"]
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Event).where(Event.type == "synthesis:changed")
        )
        db.session.remove()
    assert count == 2


def test_every_answer_says_whether_it_is_projected_and_its_seq(app, client, room):
    propose(app, room)
    shown = api(client, room, "GET", "").get_json()
    assert shown["projected"] is False and isinstance(shown["seq"], int)
    theme = shown["themes"][0]["id"]
    renamed = api(client, room, "PATCH", f"/themes/{theme}", json={"title": "Eau"}).get_json()
    (message,) = [m for m in received(room["facilitator"], "synthesis:changed") if m["change"] == "rename"]
    assert renamed["seq"] == message["seq"] > shown["seq"]


def test_the_proposal_is_never_given_a_hidden_or_sealed_card(app, room):
    """An automatic title is a card's text: a hidden or sealed card must not be clustered at all."""
    room["facilitator"].emit("card:hide", {"card_id": room["cards"][1]}, callback=True)
    with app.app_context():
        db.session.execute(Card.__table__.update().where(Card.id == room["cards"][0]).values(sealed=True))
        db.session.commit()
        db.session.remove()
    given = []
    listing = run(app, room, crossthemes.propose, runner=lambda cards: given.extend(cards) or fixed(cards))
    texts = [c["text"] for c in given]
    assert texts == [text for _t, _f, text in CARDS[2:]]
    assert "Des eaux thermales réputées" not in str(listing)  # sealed: not even in the answer
    hidden = [c for c in listing["unassigned"] if c["id"] == room["cards"][1]]
    assert hidden and hidden[0]["status"] == "hidden"  # still counted, for the organisers to place
