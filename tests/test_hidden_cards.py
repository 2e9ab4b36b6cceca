"""A card hidden by moderation over Socket.IO: its text and author reach only the staff (the table's
référent, the facilitator) and the card's author — never the table's other phones nor the projected
board, not in a broadcast (hide, edit, move, merge), not in a late joiner's snapshot, not in `sync` nor
a rejoin's catch-up; restoring it sends the text to the table and the board again."""

import json

import pytest

from tests.conftest import new_client_id, received

SECRET = "Le directeur est incompétent"
AUTHOR = "Léa"


@pytest.fixture
def table(make_workshop, joined, phone):
    """Two tables: the facilitator, the board, the référent of table 1, the author and a neighbour at
    table 1, a phone at table 2; the author has posted the card that will be hidden."""
    w, secrets = make_workshop(groups=2)
    fac, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    board, _ = joined(w.code, "board", token=secrets.board_token)
    ref, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    author, author_join = phone(w.code, group=1, name=AUTHOR, organisation="OT")
    neighbour, neighbour_join = phone(w.code, group=1, name="Paul")
    other, _ = phone(w.code, group=2, name="Zoé")
    reply = author.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": SECRET}, callback=True
    )
    assert reply["ok"], reply
    clients = {
        "w": w,
        "secrets": secrets,
        "fac": fac,
        "board": board,
        "ref": ref,
        "author": author,
        "neighbour": neighbour,
        "other": other,
        "card": reply["card"],
        "author_token": author_join["participant_token"],
        "neighbour_token": neighbour_join["participant_token"],
        "seq": reply["card"]["seq"],
    }
    for name in ("fac", "board", "ref", "author", "neighbour", "other"):
        clients[name].get_received()
    return clients


def text_of(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def moderate(table, event, **payload):
    reply = table["ref"].emit(event, {"card_id": table["card"]["id"], **payload}, callback=True)
    assert reply["ok"], reply
    return reply["card"]


def last_card(packets, card_id):
    """The card as a client holds it after applying its `card:updated` messages in order."""
    updates = [p["args"][0]["card"] for p in packets if p["name"] == "card:updated"]
    mine = [card for card in updates if card["id"] == card_id]
    return mine[-1] if mine else None


def test_a_hidden_card_reaches_only_the_staff_and_its_author(table, phone, joined):
    card_id = table["card"]["id"]
    assert moderate(table, "card:hide")["status"] == "hidden"

    # The neighbour's phone and the board learn that the card is hidden, and nothing else.
    for name in ("neighbour", "board"):
        seen = table[name].get_received()
        assert SECRET not in text_of(seen) and AUTHOR not in text_of(seen), name
        assert last_card(seen, card_id) == {"id": card_id, "group": 1, "status": "hidden"}, name
    assert table["other"].get_received() == [], "another table hears nothing"
    # The author keeps reading their card, marked hidden (the table's view first, then the whole card).
    mine = last_card(table["author"].get_received(), card_id)
    assert mine["text"] == SECRET and mine["status"] == "hidden" and mine["author"] == AUTHOR
    # The staff read it whole.
    for name in ("ref", "fac"):
        held = last_card(table[name].get_received(), card_id)
        assert held["text"] == SECRET and held["status"] == "hidden", name

    # Edited and moved while hidden: still nothing for the neighbour.
    moderate(table, "card:edit", text=SECRET + " (reformulé)")
    moderate(table, "card:move", family="attentes")
    for name in ("neighbour", "board"):
        seen = table[name].get_received()
        assert len([p for p in seen if p["name"] == "card:updated"]) == 2, name
        assert SECRET not in text_of(seen) and "attentes" not in text_of(seen), name
    mine = last_card(table["author"].get_received(), card_id)
    assert mine["text"] == SECRET + " (reformulé)" and mine["family"] == "attentes"
    assert last_card(table["ref"].get_received(), card_id)["text"] == SECRET + " (reformulé)"

    # Snapshot, sync, rejoin with `since`: the neighbour never gets the text, even of the card:added
    # it could have missed while the card was still visible.
    sync = table["neighbour"].emit("sync", {"since": 0}, callback=True)
    assert sync["ok"] and "events" in sync and SECRET not in text_of(sync) and AUTHOR not in text_of(sync)
    replayed = [e["card"] for e in sync["events"] if e.get("card", {}).get("id") == card_id]
    assert replayed and all(c == {"id": card_id, "group": 1, "status": "hidden"} for c in replayed)
    again, again_join = phone(table["w"].code, participant_token=table["neighbour_token"], since=0)
    assert "events" in again_join and SECRET not in text_of(again_join)
    late, late_join = phone(table["w"].code, group=1, name="Zoé")
    snapshot = late_join["snapshot"]
    assert SECRET not in text_of(snapshot) and AUTHOR not in text_of(snapshot)
    assert {"id": card_id, "group": 1, "status": "hidden"} in snapshot["cards"]
    _, board_join = joined(table["w"].code, "board", token=table["secrets"].board_token)
    assert SECRET not in text_of(board_join["snapshot"])
    assert {"id": card_id, "group": 1, "status": "hidden"} in board_join["snapshot"]["cards"]
    assert SECRET not in text_of(table["board"].emit("sync", {"since": 0}, callback=True))
    # The author's own snapshot and sync, the référent's and the facilitator's carry it whole.
    _, author_again = phone(table["w"].code, participant_token=table["author_token"])
    assert [c["text"] for c in author_again["snapshot"]["cards"]] == [SECRET + " (reformulé)"]
    mine = table["author"].emit("sync", {"since": table["seq"]}, callback=True)
    assert SECRET + " (reformulé)" in text_of(mine)
    for name in ("ref", "fac"):
        assert SECRET + " (reformulé)" in text_of(table[name].emit("sync", {"since": 0}, callback=True))
    _, fac_join = joined(table["w"].code, "facilitator", token=table["secrets"].facilitator_token)
    assert SECRET + " (reformulé)" in text_of(fac_join["snapshot"])

    # Restored: the table reads it again, live, in a snapshot and in a sync.
    for c in (table["neighbour"], late, table["board"]):
        c.get_received()
    restored = moderate(table, "card:restore")
    assert restored["status"] == "visible"
    for c in (table["neighbour"], late, table["board"]):
        held = last_card(c.get_received(), card_id)
        assert held["text"] == SECRET + " (reformulé)" and held["author"] == AUTHOR
    _, after = phone(table["w"].code, group=1)
    assert SECRET + " (reformulé)" in [c["text"] for c in after["snapshot"]["cards"]]
    sync = table["neighbour"].emit("sync", {"since": 0}, callback=True)
    assert SECRET + " (reformulé)" in text_of(sync)


def test_a_hidden_card_merged_into_a_visible_one_keeps_its_text_off_the_phones(table, phone):
    keep = table["neighbour"].emit(
        "card:add",
        {"client_id": new_client_id(), "family": "forces", "text": "Une direction à l'écoute"},
        callback=True,
    )["card"]
    moderate(table, "card:hide")
    for name in ("ref", "neighbour", "author", "board"):
        table[name].get_received()
    reply = table["ref"].emit(
        "card:merge", {"keep": keep["id"], "cards": [table["card"]["id"]]}, callback=True
    )
    assert reply["ok"], reply
    # The référent keeps the provenance; the phones and the board only learn which card went where.
    kept = last_card(table["ref"].get_received(), keep["id"])
    assert [m["text"] for m in kept["merged_from"]] == [SECRET]
    for name in ("neighbour", "author", "board"):
        seen = table[name].get_received()
        assert SECRET not in text_of(seen), name
        update = [p["args"][0] for p in seen if p["name"] == "card:updated"][-1]
        assert update["card"]["text"] == "Une direction à l'écoute"
        assert update["card"]["merged_from"] == [{"id": table["card"]["id"], "group": 1}]
        assert update["merged"] == [
            {"id": table["card"]["id"], "group": 1, "status": "merged", "merged_into": keep["id"]}
        ]
    _, late_join = phone(table["w"].code, group=1)
    assert SECRET not in text_of(late_join["snapshot"])
    assert SECRET not in text_of(table["neighbour"].emit("sync", {"since": 0}, callback=True))


def test_a_visible_card_is_sent_once_to_everyone(table):
    """Nothing changes for visible cards: one message each, the same for phones and staff."""
    card_id = table["card"]["id"]
    moderate(table, "card:edit", text="Une direction à renouveler")
    updates = {
        name: received(table[name], "card:updated") for name in ("ref", "fac", "board", "author", "neighbour")
    }
    assert all(len(u) == 1 for u in updates.values()), updates
    assert all(u[0]["card"]["text"] == "Une direction à renouveler" for u in updates.values())
    assert updates["neighbour"][0] == updates["ref"][0]
    assert received(table["other"], "card:updated") == []
    assert updates["neighbour"][0]["card"]["id"] == card_id


def test_hiding_an_essential_takes_it_out_of_the_essentials(table, phone):
    card_id = table["card"]["id"]
    reply = table["ref"].emit("essentials:set", {"family": "forces", "card_ids": [card_id]}, callback=True)
    assert [e["text"] for e in reply["essentials"]] == [SECRET]
    for name in ("board", "neighbour"):
        table[name].get_received()
    moderate(table, "card:hide")
    for name in ("board", "neighbour"):
        assert [m["essentials"] for m in received(table[name], "essentials:changed")] == [[]], name
    _, late_join = phone(table["w"].code, group=1)
    assert late_join["snapshot"]["essentials"] == {"1": []}
    assert SECRET not in text_of(late_join["snapshot"])
    # Restoring does not make it an essential again; the référent keeps it again if it wants.
    moderate(table, "card:restore")
    assert received(table["neighbour"], "essentials:changed") == []


def test_a_hidden_paper_card_stays_with_the_staff(table, joined):
    """A paper card has no author: nobody but the staff reads it once hidden (not the board either)."""
    paper = table["ref"].emit(
        "card:add",
        {"client_id": new_client_id(), "family": "forces", "text": "Carte papier blessante"},
        callback=True,
    )["card"]
    assert paper["source"] == "paper"
    for name in ("board", "neighbour", "author", "fac"):
        table[name].get_received()
    reply = table["ref"].emit("card:hide", {"card_id": paper["id"]}, callback=True)
    assert reply["ok"], reply
    for name in ("board", "neighbour", "author"):
        seen = table[name].get_received()
        assert "blessante" not in text_of(seen), name
        assert last_card(seen, paper["id"]) == {"id": paper["id"], "group": 1, "status": "hidden"}, name
    assert last_card(table["fac"].get_received(), paper["id"])["text"] == "Carte papier blessante"
    _, board_join = joined(table["w"].code, "board", token=table["secrets"].board_token)
    assert "blessante" not in text_of(board_join["snapshot"])
    assert "blessante" not in text_of(table["author"].emit("sync", {"since": 0}, callback=True))
    assert "blessante" in text_of(table["ref"].emit("sync", {"since": 0}, callback=True))
