"""Crash safety: `kill -9` the real server in the middle of a burst of cards, restart it, and lose nothing.

20 phones at 3 tables, each a real Socket.IO client over WebSocket running the outbox a phone runs
(static/js/phone.js): every card gets a client id and stays in the outbox until its ack; after a
reconnection the phone rejoins as the same participant and sends the outbox again, with the same
client ids. A board joined before the crash rejoins with `since` and must end with exactly the
server's cards.

The server is killed when a fraction of the burst has been acknowledged and the phones are still
sending: some cards are acknowledged, some are committed but their ack never left (the resend must
answer the stored card, not store a second one), some were in flight and lost, some are typed while
the server is down. Every wait is bounded.
"""

import threading
import time
import uuid

import pytest
import socketio
from harness import ACK_TIMEOUT

pytestmark = pytest.mark.slow

PHONES = 20
TABLES = 3
CARDS_PER_PHONE = 10  # under the default card rate limit (15 per 10 seconds), resends included
KILL_AFTER_ACKS = 20  # of the 200 cards: early, so that most of the burst is still on its way
FAMILIES = ["forces", "faiblesses", "attentes", "contributions"]
WAIT = 30  # seconds, for anything that should happen


def wait_until(predicate, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout}s for {what}")
        time.sleep(0.005)


class OutboxPhone:
    """A participant's phone: an outbox of cards waiting for their ack, as phone.js keeps in localStorage."""

    def __init__(self, server, code, index, table):
        self.server = server
        self.code = code
        self.index = index
        self.table = table
        self.lock = threading.Lock()
        self.outbox: dict[str, dict] = {}  # client_id -> card body, until acknowledged
        self.acked: dict[str, dict] = {}  # client_id -> the card the server answered
        self.sent_once: set[str] = set()  # client ids emitted at least once
        self.resent: set[str] = set()  # client ids sent again after the restart
        self.token = None
        self.seq = 0
        self.sio = None
        self.on_ack = None  # called after each ack, in the client's thread
        self.connect()

    def connect(self):
        self.sio = socketio.Client(reconnection=False, request_timeout=ACK_TIMEOUT)
        self.sio.on("card:added", self._on_card)
        self.sio.on("cards:batch", lambda batch: [self._on_card(m) for m in batch["messages"]])
        self.sio.connect(self.server.url, transports=["websocket"], wait_timeout=ACK_TIMEOUT)
        payload = {"code": self.code, "role": "participant", "group": self.table}
        if self.token:
            payload["participant_token"] = self.token
            payload["since"] = self.seq
        else:
            payload["name"] = f"Prénom{self.index}"
        reply = self.sio.call("join", payload, timeout=ACK_TIMEOUT)
        assert reply["ok"], reply
        self.token = reply["participant_token"] if "participant_token" in reply else self.token
        assert self.token, "a participant gets its token at the first join"
        self.seq = max(self.seq, reply["seq"])

    def _on_card(self, message):
        with self.lock:
            self.seq = max(self.seq, message["seq"])

    def type_card(self, number):
        """The participant types a card: it goes to the outbox, then to the server if connected."""
        client_id = uuid.uuid4().hex
        body = {
            "client_id": client_id,
            "family": FAMILIES[(self.index + number) % len(FAMILIES)],
            "text": f"Carte {number} du téléphone {self.index} (table {self.table}) {client_id[:6]}",
        }
        with self.lock:
            self.outbox[client_id] = body
        self.send(body)

    def send(self, body):
        try:
            self.sio.emit("card:add", body, callback=lambda reply: self._on_ack(body, reply))
        except socketio.exceptions.SocketIOError:
            return  # not connected: it stays in the outbox
        with self.lock:
            self.sent_once.add(body["client_id"])

    def _on_ack(self, body, reply):
        assert reply["ok"], reply
        assert reply["card"]["client_id"] == body["client_id"]
        with self.lock:
            self.outbox.pop(body["client_id"], None)
            self.acked[body["client_id"]] = reply["card"]
        if self.on_ack is not None:
            self.on_ack()

    def resend_outbox(self):
        with self.lock:
            waiting = list(self.outbox.values())
            self.resent.update(body["client_id"] for body in waiting)
        for body in waiting:
            self.send(body)

    def pending(self):
        with self.lock:
            return dict(self.outbox)

    def acknowledged(self):
        with self.lock:
            return dict(self.acked)

    def close(self):
        if self.sio is not None and self.sio.connected:
            self.sio.disconnect()


class Board:
    """A projected board: keeps every card it receives, rejoins with the highest `seq` it has seen."""

    def __init__(self, server, code, token):
        self.server, self.code, self.token = server, code, token
        self.lock = threading.Lock()
        self.cards: dict[int, dict] = {}
        self.deliveries: list[int] = []  # every card id applied, to catch one applied twice
        self.seq = 0
        self.rejoin_reply = None
        self.sio = None
        snapshot = self.connect()["snapshot"]
        self.seq = snapshot["seq"]
        for card in snapshot["cards"]:
            self.apply({"type": "card:added", "seq": card.get("seq", 0), "card": card})

    def connect(self, since=None):
        self.sio = socketio.Client(reconnection=False, request_timeout=ACK_TIMEOUT)
        self.sio.on("card:added", self.apply)
        self.sio.on("cards:batch", lambda batch: [self.apply(m) for m in batch["messages"]])
        self.sio.connect(self.server.url, transports=["websocket"], wait_timeout=ACK_TIMEOUT)
        payload = {"code": self.code, "role": "board", "token": self.token}
        if since is not None:
            payload["since"] = since
        reply = self.sio.call("join", payload, timeout=ACK_TIMEOUT)
        assert reply["ok"], reply
        return reply

    def apply(self, message):
        with self.lock:
            # Every delivery is kept: a card the server sends twice (replayed and broadcast, or
            # replayed from too far back) shows up in `deliveries`.
            self.deliveries.append(message["card"]["id"])
            self.cards[message["card"]["id"]] = message["card"]
            self.seq = max(self.seq, message.get("seq") or 0)

    def rejoin(self):
        with self.lock:
            since = self.seq
        reply = self.connect(since=since)
        assert "snapshot" not in reply, "a board that missed a few hundred events gets them, not a snapshot"
        for event in reply["events"]:
            if event["type"] == "card:added":
                self.apply(event)
        self.rejoin_reply = reply
        return since, reply

    def card_texts(self):
        with self.lock:
            return {card_id: card["text"] for card_id, card in self.cards.items()}

    def close(self):
        if self.sio is not None and self.sio.connected:
            self.sio.disconnect()


def server_cards(server, created):
    """The restarted server's board snapshot, from a board that opens now."""
    sio = socketio.Client(reconnection=False, request_timeout=ACK_TIMEOUT)
    sio.connect(server.url, transports=["websocket"], wait_timeout=ACK_TIMEOUT)
    try:
        reply = sio.call(
            "join",
            {"code": created["code"], "role": "board", "token": created["board_token"]},
            timeout=ACK_TIMEOUT,
        )
    finally:
        sio.disconnect()
    assert reply["ok"], reply
    return reply["snapshot"]["cards"]


def test_kill_9_during_a_burst_loses_no_acknowledged_card_and_duplicates_none(server_factory):
    server = server_factory("eventlet")
    created = server.create_workshop(groups=TABLES)
    code = created["code"]
    board = Board(server, code, created["board_token"])
    phones = [OutboxPhone(server, code, index, index % TABLES + 1) for index in range(PHONES)]
    try:
        # The burst: round after round every phone types a card without waiting for acks. The ack that
        # brings the count to KILL_AFTER_ACKS kills the server at once (in the client thread that got
        # it, so no scheduling delay lets the burst finish first), with the rest in flight.
        # Then everyone types one more card while the server is down.
        acks = {"count": 0}
        counting = threading.Lock()

        def count_ack():
            with counting:
                acks["count"] += 1
                if acks["count"] == KILL_AFTER_ACKS:
                    server.kill()

        for phone in phones:
            phone.on_ack = count_ack
        for number in range(CARDS_PER_PHONE - 1):
            for phone in phones:
                phone.type_card(number)
            time.sleep(0.01)
        wait_until(lambda: server.process.poll() is not None, "the server to be killed")
        for phone in phones:
            phone.on_ack = None
        wait_until(lambda: not any(p.sio.connected for p in phones + [board]), "every client to see the drop")

        acked_before = {cid: card for p in phones for cid, card in p.acknowledged().items()}
        unacked_before = {cid: body for p in phones for cid, body in p.pending().items()}
        in_flight = {cid for p in phones for cid in p.pending() if cid in p.sent_once}
        assert len(acked_before) + len(unacked_before) == PHONES * (CARDS_PER_PHONE - 1)
        assert len(acked_before) >= KILL_AFTER_ACKS
        assert unacked_before, "the kill came after the burst: nothing was at stake"
        assert in_flight, "no card was in flight when the server died: the test missed its moment"
        board_before = board.card_texts()
        for phone in phones:
            phone.type_card(CARDS_PER_PHONE - 1)  # typed in the dark: straight to the outbox
        unacked = {cid: body for p in phones for cid, body in p.pending().items()}

        # Same port, same database. Before anyone resends: every acknowledged card survived the crash.
        server.start()
        survived = {card["id"]: card["text"] for card in server_cards(server, created)}
        for client_id, card in acked_before.items():
            assert survived.get(card["id"]) == card["text"], f"acknowledged card {client_id} lost"
        committed_unacked = {card["text"] for card in unacked_before.values()} & set(survived.values())
        print(
            f"at the kill: {len(acked_before)} acknowledged, {len(in_flight)} in flight "
            f"({len(committed_unacked)} of them committed, ack lost), "
            f"{len(unacked) - len(in_flight)} never sent"
        )

        # The phones reconnect, rejoin as themselves and resend their outbox; the board rejoins with since.
        since, _ = board.rejoin()
        for phone in phones:
            phone.connect()
            phone.resend_outbox()
        wait_until(lambda: not any(p.pending() for p in phones), "every resent card to be acknowledged")

        cards = server_cards(server, created)
        stored = {card["id"]: card["text"] for card in cards}
        texts = [card["text"] for card in cards]

        # Every acknowledged card is still there, as acknowledged.
        for client_id, card in acked_before.items():
            assert stored.get(card["id"]) == card["text"], f"acknowledged card {client_id} lost"

        # Every unacknowledged card was resent, is acknowledged now and stored exactly once.
        resent = {cid for p in phones for cid in p.resent}
        assert resent == set(unacked)
        acked_after = {cid: card for p in phones for cid, card in p.acknowledged().items()}
        assert set(acked_after) == set(acked_before) | set(unacked)
        for client_id, body in unacked.items():
            assert texts.count(body["text"]) == 1, (
                f"resent card {client_id} stored {texts.count(body['text'])}×"
            )
            assert acked_after[client_id]["text"] == body["text"]

        # No duplicate: one card per client id, nothing else.
        assert len(texts) == len(set(texts)) == PHONES * CARDS_PER_PHONE
        card_ids = [card["id"] for card in acked_after.values()]
        assert len(set(card_ids)) == len(card_ids) == len(stored)
        assert set(card_ids) == set(stored)
        assert all(stored[card["id"]] == card["text"] for card in acked_after.values())

        # The board connected before the kill converges to the server, each card applied once.
        assert set(board_before) <= set(stored)
        wait_until(lambda: board.card_texts() == stored, "the board to hold exactly the server's cards")
        assert len(board.deliveries) == len(set(board.deliveries)), "the board applied a card twice"
        assert since > 0
    finally:
        for client in phones + [board]:
            client.close()
