"""Themes: a référent groups its table's cards under a title, renames, adds/removes cards, dissolves;
one event per change, idempotent resends, refusals that change nothing."""

import pytest
from sqlalchemy import select

from facilitator import themes
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.models import Card, Event, Workshop
from tests.conftest import new_client_id, received


@pytest.fixture
def table(make_workshop, joined, phone):
    w, secrets = make_workshop(groups=2)
    fac, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    board, _ = joined(w.code, "board", token=secrets.board_token)
    ref1, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    ref2, _ = joined(w.code, "referent", token=secrets.referent_tokens[2])
    lea, _ = phone(w.code, group=1, name="Léa")
    cards = []
    for text in ("Mobilité douce", "Vélo", "Navettes"):
        reply = lea.emit(
            "card:add", {"client_id": new_client_id(), "family": "attentes", "text": text}, callback=True
        )
        cards.append(reply["card"])
    for c in (fac, board, ref1, ref2, lea):
        c.get_received()
    return {
        "w": w,
        "secrets": secrets,
        "fac": fac,
        "board": board,
        "ref1": ref1,
        "ref2": ref2,
        "lea": lea,
        "cards": cards,
    }


def test_a_theme_lives_and_dissolves(table, joined):
    ref = table["ref1"]
    ids = [c["id"] for c in table["cards"]]
    created = ref.emit("theme:create", {"title": " Mobilité ", "cards": ids[:2]}, callback=True)
    assert created["ok"], created
    theme = created["theme"]
    assert theme["title"] == "Mobilité" and theme["cards"] == ids[:2] and theme["group"] == 1
    [event] = received(table["board"], "theme:created")
    assert event["theme"] == theme
    assert [e["theme"]["id"] for e in received(table["lea"], "theme:created")] == [theme["id"]]
    assert received(table["ref2"], "theme:created") == []

    renamed = ref.emit("theme:rename", {"theme_id": theme["id"], "title": "Se déplacer"}, callback=True)
    assert renamed["theme"]["title"] == "Se déplacer"
    added = ref.emit("theme:add_cards", {"theme_id": theme["id"], "cards": [ids[2]]}, callback=True)
    assert added["theme"]["cards"] == ids
    removed = ref.emit("theme:remove_cards", {"theme_id": theme["id"], "cards": [ids[0]]}, callback=True)
    assert removed["theme"]["cards"] == ids[1:]
    assert [e["theme"]["title"] for e in received(table["board"], "theme:updated")] == ["Se déplacer"] * 3

    _, join = joined(table["w"].code, "referent", token=table["secrets"].referent_tokens[1])
    assert join["snapshot"]["themes"] == [removed["theme"]]
    assert {c["id"]: c["theme"] for c in join["snapshot"]["cards"]} == {
        ids[0]: None,
        ids[1]: theme["id"],
        ids[2]: theme["id"],
    }

    dissolved = ref.emit("theme:dissolve", {"theme_id": theme["id"]}, callback=True)
    assert dissolved["ok"]
    assert [e["theme"]["id"] for e in received(table["board"], "theme:dissolved")] == [theme["id"]]
    _, join = joined(table["w"].code, "referent", token=table["secrets"].referent_tokens[1])
    assert join["snapshot"]["themes"] == []
    assert all(c["theme"] is None for c in join["snapshot"]["cards"])
    again = ref.emit("theme:rename", {"theme_id": theme["id"], "title": "x"}, callback=True)
    assert again["error"]["code"] == "unknown_theme"


def test_theme_refusals_change_nothing(table, count_rows):
    ids = [c["id"] for c in table["cards"]]
    theme = table["ref1"].emit("theme:create", {"title": "Mobilité", "cards": ids[:1]}, callback=True)[
        "theme"
    ]
    before = count_rows()
    checks = [
        ("lea", "theme:create", {"title": "x", "cards": ids}, "forbidden"),
        ("board", "theme:create", {"title": "x", "cards": ids}, "forbidden"),
        ("ref2", "theme:create", {"title": "x", "cards": ids}, "not_your_table"),
        ("ref2", "theme:rename", {"theme_id": theme["id"], "title": "x"}, "not_your_table"),
        ("ref2", "theme:dissolve", {"theme_id": theme["id"]}, "not_your_table"),
        ("lea", "theme:dissolve", {"theme_id": theme["id"]}, "forbidden"),
        ("board", "theme:add_cards", {"theme_id": theme["id"], "cards": ids}, "forbidden"),
        ("ref1", "theme:rename", {"theme_id": theme["id"], "title": "   "}, "empty_title"),
        ("ref1", "theme:create", {"title": "x" * 201, "cards": []}, "title_too_long"),
        ("ref1", "theme:add_cards", {"theme_id": 99999, "cards": ids}, "unknown_theme"),
        ("ref1", "theme:add_cards", {"theme_id": theme["id"], "cards": [99999]}, "unknown_card"),
    ]
    for who, event, payload, code in checks:
        reply = table[who].emit(event, payload, callback=True)
        assert reply["ok"] is False and reply["error"]["code"] == code, (who, event, reply)
    assert count_rows() == before


def test_a_resent_theme_is_created_once(table, session):
    client_id = new_client_id()
    ids = [c["id"] for c in table["cards"]]
    payload = {"title": "Mobilité", "cards": ids, "client_id": client_id}
    first = table["ref1"].emit("theme:create", payload, callback=True)
    second = table["ref1"].emit("theme:create", payload, callback=True)
    assert first == second and first["ok"]
    assert len(received(table["board"], "theme:created")) == 1
    events = session.scalars(select(Event).where(Event.type == "theme:created")).all()
    assert len(events) == 1


def test_domain_facilitator_makes_a_theme_at_any_table(table, session):
    workshop = session.scalar(select(Workshop).where(Workshop.code == table["w"].code))
    viewer = Viewer(workshop.id, "facilitator")
    ids = [c["id"] for c in table["cards"]]
    reply = themes.create_theme(session, workshop, viewer, "Transports", ids)
    assert reply["theme"]["group"] == 1
    assert {card.theme_id for card in session.scalars(select(Card))} == {reply["theme"]["id"]}
    board = Viewer(workshop.id, "board")
    with pytest.raises(DomainError) as refused:
        themes.rename_theme(session, workshop, board, reply["theme"]["id"], "x")
    assert refused.value.code == "forbidden"


# --- Issue 16, point 7: one row of dots per theme ---------------------------------------------------


def test_a_theme_takes_the_dots_of_its_cards_and_its_cards_take_none(session, make_workshop, joined, phone):
    created, secrets = make_workshop(groups=2, vote_budget=3)
    ref, _ = joined(created.code, "referent", token=secrets.referent_tokens[1])
    board, _ = joined(created.code, "board", token=secrets.board_token)
    lea, _ = phone(created.code, group=1, name="Léa")

    def add(text):
        return lea.emit(
            "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
        )["card"]["id"]

    a, b = add("Accueil"), add("Accueil du soir")
    assert lea.emit("vote:cast", {"card_id": a, "delta": 1}, callback=True)["ok"]
    board.get_received()
    theme = ref.emit("theme:create", {"title": "Accueil", "cards": [a, b]}, callback=True)["theme"]
    counts = {m["target"]: m["votes"] for m in received(board, "vote:counts")}
    assert counts == {f"card:{a}": 0, f"theme:{theme['id']}": 1}, "Léa's dot followed her card into the theme"
    refused = lea.emit("vote:cast", {"card_id": b, "delta": 1}, callback=True)
    assert refused["error"]["code"] == "card_in_theme"
    # She takes her dot back from the theme, where it now is.
    back = lea.emit("vote:cast", {"theme_id": theme["id"], "delta": -1}, callback=True)
    assert back["ok"] and back["remaining"] == 3, back
    # Out of the theme, a card takes dots again.
    assert ref.emit("theme:remove_cards", {"theme_id": theme["id"], "cards": [b]}, callback=True)["ok"]
    assert lea.emit("vote:cast", {"card_id": b, "delta": 1}, callback=True)["ok"]
    # The table's ranking lists the theme, not the cards inside it.
    _, rejoined = joined(created.code, "referent", token=secrets.referent_tokens[1])
    ranked = [e["target"] for e in rejoined["snapshot"]["ranking"]["1"]["forces"]]
    assert f"card:{a}" not in ranked and f"theme:{theme['id']}" in ranked and f"card:{b}" in ranked
