"""Catch-up and the Synthèse never carry a card nobody but its author may read (issue 18, points 6 and
7), against the real server with real clients: a phone, a board, a référent and the facilitator.

A card made essential, then hidden: a phone and a board asking `sync {"since": 0}`, a new board's and
a new phone's snapshot hold its text nowhere (the whole JSON is searched). The Synthèse: a card sealed
until the reveal is not in the proposal's answer; a hidden card's text never reaches the boards'
`synthesis:changed`, live, replayed or in a snapshot, not even as the title of its theme."""

import json
import threading
import time

import pytest
import requests
from harness import ACK_TIMEOUT

pytestmark = pytest.mark.slow

SECRET = "Le directeur du syndicat mixte est un incompétent notoire"
SEALED = "Fermer le musée de la ville dès le printemps prochain"
SHAMED = "Les horaires de la gare routière changent sans prévenir personne"
BUILD = 120  # s: a proposal loads spaCy in a subprocess on a busy machine


class Listener:
    """The `event` messages a LiveClient receives (it records cards only)."""

    def __init__(self, client, event):
        self.client, self.messages, self.ready = client, [], threading.Condition()
        client.sio.on(event, self.record)

    def record(self, message):
        with self.ready:
            self.messages.append(message)
            self.ready.notify_all()

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + ACK_TIMEOUT
        with self.ready:
            while not any(predicate(m) for m in self.messages):
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"{self.client.name} waited for {what}; got {self.messages!r}")
                self.ready.wait(left)
            return list(self.messages)


def people(live_server, connect, **fields):
    created = live_server.create_workshop(groups=2, **fields)
    code = created["code"]
    facilitator = connect(live_server, "facilitator")
    facilitator.join(code=code, role="facilitator", token=created["facilitator_token"])
    referent = connect(live_server, "référent 1")
    referent.join(code=code, role="referent", token=created["groups"][0]["referent_token"])
    author = connect(live_server, "author")
    author.join(code=code, role="participant", group=1, name="Camille")
    neighbour = connect(live_server, "neighbour")
    neighbour.join(code=code, role="participant", group=1, name="Dominique")
    board = connect(live_server, "board")
    board.join(code=code, role="board", token=created["board_token"])
    return created, facilitator, referent, author, neighbour, board


def ok(reply, what):
    assert reply.get("ok"), (what, reply)
    return reply


def test_a_hidden_essential_reaches_no_phone_or_board_through_catch_up(live_server, connect):
    created, facilitator, referent, author, neighbour, board = people(live_server, connect)
    card = ok(author.post("forces", SECRET), "post")["card"]
    ok(referent.call("essentials:set", {"family": "forces", "card_ids": [card["id"]]}), "essentials:set")
    ok(referent.call("card:hide", {"card_id": card["id"]}), "card:hide")

    assert SECRET in json.dumps(
        ok(facilitator.call("sync", {"since": 0}), "staff sync"), ensure_ascii=False
    )  # it is in the log
    for reader in (neighbour, board):
        replay = ok(reader.call("sync", {"since": 0}), f"{reader.name} sync")
        assert "essentials:changed" in [m["type"] for m in replay["events"]]
        assert SECRET not in json.dumps(replay, ensure_ascii=False), reader.name
    late_board = connect(live_server, "late board")
    snapshot = late_board.join(code=created["code"], role="board", token=created["board_token"])
    late_phone = connect(live_server, "late phone")
    phone_snapshot = late_phone.join(code=created["code"], role="participant", group=1, name="Alix")
    for reply in (snapshot, phone_snapshot):
        assert SECRET not in json.dumps(reply, ensure_ascii=False)
    # Its author still reads their own card.
    assert SECRET in json.dumps(ok(author.call("sync", {"since": 0}), "author sync"), ensure_ascii=False)


def synthesis(live_server, created, path, body=None):
    response = requests.post(
        f"{live_server.url}/api/workshops/{created['code']}/synthesis{path}",
        json=body or {},
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
        timeout=BUILD,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_synthesis_never_shows_a_sealed_or_hidden_card(live_server, connect):
    created, facilitator, referent, author, neighbour, board = people(live_server, connect)
    listener = Listener(board, "synthesis:changed")
    visible = [
        ok(neighbour.post("forces", text), "post")["card"]
        for text in ("Des eaux thermales réputées", "La qualité des eaux thermales")
    ]
    hidden = ok(author.post("attentes", SECRET), "post")["card"]
    shamed = ok(author.post("faiblesses", SHAMED), "post")["card"]
    ok(referent.call("card:hide", {"card_id": hidden["id"]}), "card:hide")
    # The silent step: a card sealed until the reveal.
    ok(facilitator.call("step:start", {}), "step:start")
    step = ok(facilitator.call("step:next", {}), "step:next")["agenda"]["step"]
    assert step["hidden_until_reveal"] is True
    sealed = ok(author.post(step["open_families"][0], SEALED), "sealed post")["card"]
    assert sealed["sealed"] is True

    proposed = synthesis(live_server, created, "/propose")
    answer = json.dumps(proposed, ensure_ascii=False)
    assert SEALED not in answer  # nobody reads it before the reveal, not even here
    assert visible[0]["text"] in answer
    synthesis(live_server, created, "/projection", {"projected": True})
    shown = listener.wait_for(lambda m: m.get("projected"), "the projection")
    assert SECRET not in json.dumps(shown, ensure_ascii=False)
    assert SEALED not in json.dumps(shown, ensure_ascii=False)
    tiles = [t for m in shown if m.get("synthesis") for t in m["synthesis"]["themes"]]
    assert SHAMED.split()[1] in json.dumps(tiles, ensure_ascii=False)  # still readable: on the board

    # Hidden while projected: its words leave the boards at once, and no catch-up brings them back.
    ok(referent.call("card:hide", {"card_id": shamed["id"]}), "card:hide")
    shown = listener.wait_for(lambda m: m.get("change") == "moderate", "the moderated synthesis")
    last = json.dumps(shown[-1], ensure_ascii=False)
    assert "horaires" not in last and "gare routière" not in last, last
    replay = json.dumps(ok(board.call("sync", {"since": 0}), "board sync"), ensure_ascii=False)
    late = connect(live_server, "late board")
    snapshot = json.dumps(
        late.join(code=created["code"], role="board", token=created["board_token"]), ensure_ascii=False
    )
    for text in (replay, snapshot):
        for words in (SECRET, SEALED, "horaires de la gare routière"):
            assert words not in text, words
    assert "synthesis:changed" in replay and '"projected": true' in snapshot
