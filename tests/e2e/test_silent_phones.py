"""Phones that lose the Wi-Fi in a crowded room: the server closes them, and everyone else carries on.

A table big enough to be batched (`cards:batch`) where some phones joined, then stopped answering
Engine.IO pings (a raw WebSocket left open, never read again). When the server next writes to such a
phone after its ping timed out, Engine.IO closes it on the spot, inside that send, and runs the
disconnection there. That once froze every Socket.IO connection of the process for good (issue 18,
point 1): the batch was sent under a lock the disconnection's presence broadcast then waited for.
Here the others post all along, well past the ping timeout; every ack must come, the board must see
the silent phones leave the table, and a phone of another workshop must still be able to join.
Timeouts only detect the freeze.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import websocket
from harness import LiveClient, new_client_id

pytestmark = pytest.mark.slow

PING_INTERVAL = 1
PING_TIMEOUT = 3
TALKING, SILENT = 12, 8  # 20 connections at table 1: batched from 10
FREEZE = 8  # seconds without an ack that mean the server froze


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def venue(request, server_factory):
    return server_factory(
        request.param,
        FACILITATOR_BATCH_MIN_CLIENTS="10",
        FACILITATOR_PING_INTERVAL=str(PING_INTERVAL),
        FACILITATOR_PING_TIMEOUT=str(PING_TIMEOUT),
        FACILITATOR_RATE_CARDS="",
        FACILITATOR_RATE_TABLE_CARDS="",
        FACILITATOR_RATE_EVENTS="",
    )


class SilentPhone:
    """A phone that joins over a raw WebSocket (Engine.IO v4, Socket.IO v5 by hand), then goes quiet:
    it never reads again, so it never answers a ping."""

    def __init__(self, server, code, name):
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", timeout=FREEZE
        )
        assert self.ws.recv().startswith("0")  # Engine.IO open
        self.ws.send("40")  # Socket.IO connect
        assert self._until("40").startswith("40")
        join = {"code": code, "role": "participant", "group": 1, "name": name}
        self.ws.send("421" + json.dumps(["join", join]))
        ack = json.loads(self._until("431")[3:])[0]
        assert ack["ok"], ack

    def _until(self, prefix):
        while True:
            frame = self.ws.recv()
            if frame == "2":  # answer pings until joined
                self.ws.send("3")
            elif frame.startswith(prefix):
                return frame

    def close(self):
        self.ws.close()


def test_silent_phones_in_a_batched_room_do_not_freeze_the_server(venue, connect):
    created = venue.create_workshop(groups=2)
    code = created["code"]
    board = connect(venue, "board")
    table_one = []  # the board's `group:presence` counts of table 1, in order
    board.sio.on("group:presence", lambda m: table_one.append(m["connected"]) if m["group"] == 1 else None)
    board.join(code=code, role="board", token=created["board_token"])

    def join_talking(index):
        phone = connect(venue, f"phone {index}")
        phone.join(code=code, role="participant", group=1, name=f"Parleur{index}")
        return phone

    with ThreadPoolExecutor(max_workers=6) as pool:
        talking = list(pool.map(join_talking, range(TALKING)))
    silent = []  # one after the other: their pings time out one after the other, while cards flow
    try:
        for index in range(SILENT):
            silent.append(SilentPhone(venue, code, f"Muet{index}"))
            time.sleep(0.25)
        deadline = time.monotonic() + PING_INTERVAL + PING_TIMEOUT + 6
        failures, acked = [], []

        def keep_posting(index, phone):
            while time.monotonic() < deadline and not failures:
                try:
                    reply = phone.sio.call(
                        "card:add",
                        {"client_id": new_client_id(), "family": "forces", "text": f"Idée {index}"},
                        timeout=FREEZE,
                    )
                except Exception as exc:  # socketio.exceptions.TimeoutError: the server froze
                    failures.append(f"phone {index}: {exc!r}")
                    return
                if not (isinstance(reply, dict) and reply.get("ok")):
                    failures.append(f"phone {index}: {reply!r}")
                    return
                acked.append(reply["card"]["id"])
                time.sleep(0.15)

        threads = [threading.Thread(target=keep_posting, args=item) for item in enumerate(talking)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not failures, f"acks stopped after {len(acked)} cards: {failures[:3]}"

        # The board saw the silent phones leave table 1; the talking ones are still counted.
        wait_until(
            lambda: table_one and table_one[-1] == TALKING, f"table 1 back to {TALKING}: {table_one[-5:]}"
        )
        # Broadcasts still flow in the batched room: a last card reaches every talking phone.
        last = talking[0].post("attentes", "Carte témoin")
        assert last["ok"], last
        for phone in talking[1:]:
            phone.wait_for_card(last["card"]["id"], timeout=FREEZE)
        # And another workshop is not frozen either.
        other = venue.create_workshop(groups=1)
        newcomer = LiveClient(venue, "phone of another workshop")
        try:
            newcomer.join(code=other["code"], role="participant", group=1, name="Nouvelle")
        finally:
            newcomer.close()
    finally:
        for phone in silent:
            phone.close()


def wait_until(predicate, what, timeout=FREEZE):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout}s for {what}")
        time.sleep(0.05)
