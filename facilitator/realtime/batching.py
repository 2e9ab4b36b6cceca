"""Coalesced broadcasts: a crowded room that gets `card:added` faster than once per window gets `cards:batch`.

The same holds for the join broadcasts, `participants:count` and `group:presence`: 500 phones joining
one table at 50 a second would otherwise be 2 × 50 × 500 = 50,000 sends a second (measured: the
`one-room` benchmark's joins). And for `vote:counts`: in plenary every dot's count goes to the whole
workshop's room, 1,000 sends per dot at 1,000 phones. A batch carries them as they are, in order, with
the cards.

What a broadcast costs the server is one send per connection in the room: a table of 500 phones where
80 cards a second are posted is 40,000 sends a second. So in a room of at least
`FACILITATOR_BATCH_MIN_CLIENTS` (30) connections, a card sent less than `FACILITATOR_BATCH_MS` (100 ms)
after the previous send waits for the end of that window and leaves with the others as one
`cards:batch` message, `{"type": "cards:batch", "seq": <seq of its last message>, "messages":
[<card:added>, ...]}`, in commit order. The first card in a quiet room leaves at once, as the plain
`card:added` it always was. Small rooms (a table of ten, the board room) are never batched: a send
to them costs little, and batching would only add latency.

Order holds for every connection: before any other broadcast of a workshop (or a card for one
participant only, which reaches a phone through another room), the cards waiting in that workshop's
rooms are sent first. Nothing is dropped or merged: every `card:added` is in exactly one message.
The state is per process (with Redis, each process batches what it publishes).
"""

import threading
import time

from flask import current_app, has_app_context

from facilitator.extensions import socketio

BATCHED = frozenset({"card:added", "participants:count", "group:presence", "vote:counts"})
DEFAULT_WINDOW_MS = 100
DEFAULT_MIN_CLIENTS = 30


def everyone_room(workshop_id: int) -> str:
    """The room of every connection of a workshop (`realtime.core.workshop_room`)."""
    return f"w{workshop_id}"


def room_size(room: str) -> int:
    """Connections of this process in `room`."""
    return len(socketio.server.manager.rooms.get("/", {}).get(room, ()))


class Coalescer:
    """Per room: the time of the last send, and the messages waiting for the end of the current window."""

    def __init__(self, send=None, sleep=None, spawn=None, clock=time.monotonic, size=None):
        self._send = send or (lambda event, message, rooms: socketio.emit(event, message, to=rooms))
        self._sleep = sleep or socketio.sleep
        self._spawn = spawn or socketio.start_background_task
        self._clock = clock
        self._size = size or room_size
        self._lock = threading.Lock()
        self._last_sent: dict[str, float] = {}
        self._pending: dict[str, list[dict]] = {}
        self._rooms_of: dict[int, set[str]] = {}  # workshop id -> rooms with messages waiting

    def publish(
        self,
        message: dict,
        rooms: list[str],
        workshop_id: int,
        window: float,
        min_clients: int = DEFAULT_MIN_CLIENTS,
        private: bool = False,
    ):
        """Send `message` to `rooms` now, or hold it in the rooms' open windows.

        `private`: for one participant's connections (their participant room), never batched, and
        sent after what waits in their table's room.
        """
        if message["type"] not in BATCHED or window <= 0 or private:
            self.flush_workshop(workshop_id)
            self._send(message["type"], message, rooms)
            return
        # The workshop's room holds every member of its other rooms: whatever waits on one side was
        # committed before this message, so it leaves first (a phone never sees a later seq first).
        everyone = everyone_room(workshop_id)
        if everyone in rooms:
            for room in sorted(self._rooms_of.get(workshop_id, ())):
                if room != everyone:
                    self.flush(room, workshop_id)
        elif everyone in self._pending:
            self.flush(everyone, workshop_id)
        now = self._clock()
        immediate, to_schedule = [], []
        with self._lock:
            for room in rooms:
                if room not in self._pending and self._size(room) < min_clients:
                    immediate.append(room)
                elif room in self._pending:
                    self._pending[room].append(message)
                elif now - self._last_sent.get(room, float("-inf")) >= window:
                    self._last_sent[room] = now
                    immediate.append(room)
                else:
                    self._pending[room] = [message]
                    self._rooms_of.setdefault(workshop_id, set()).add(room)
                    to_schedule.append((room, self._last_sent[room] + window - now))
        if immediate:
            self._send(message["type"], message, immediate)
        for room, delay in to_schedule:
            self._spawn(self._flush_later, room, workshop_id, delay)

    def _flush_later(self, room: str, workshop_id: int, delay: float):
        self._sleep(max(0.0, delay))
        self.flush(room, workshop_id)

    def flush(self, room: str, workshop_id: int):
        """Send what waits for `room` (one card as `card:added`, several as `cards:batch`)."""
        with self._lock:
            messages = self._pending.pop(room, None)
            rooms = self._rooms_of.get(workshop_id)
            if rooms is not None:
                rooms.discard(room)
                if not rooms:
                    del self._rooms_of[workshop_id]
            if messages:
                self._last_sent[room] = self._clock()
            # The send stays under the lock: a later flush or immediate send of this room cannot
            # overtake it.
            if messages:
                self._send_batch(messages, room)

    def _send_batch(self, messages: list[dict], room: str):
        if len(messages) == 1:
            self._send(messages[0]["type"], messages[0], [room])
            return
        batch = {"type": "cards:batch", "messages": messages}
        seqs = [m["seq"] for m in messages if "seq" in m]  # `group:presence` has none (live state)
        if seqs:
            batch["seq"] = seqs[-1]
        self._send("cards:batch", batch, [room])

    def flush_workshop(self, workshop_id: int):
        """Send every message waiting in this workshop's rooms (before a broadcast of another type)."""
        for room in sorted(self._rooms_of.get(workshop_id, ())):
            self.flush(room, workshop_id)

    def forget(self):
        with self._lock:
            self._last_sent.clear()
            self._pending.clear()
            self._rooms_of.clear()


coalescer = Coalescer()


def settings() -> tuple[float, int]:
    """The batching window in seconds (`BATCH_MS`, 0: off) and the smallest room batched."""
    if not has_app_context():
        return DEFAULT_WINDOW_MS / 1000, DEFAULT_MIN_CLIENTS
    config = current_app.config
    return config.get("BATCH_MS", DEFAULT_WINDOW_MS) / 1000, config.get(
        "BATCH_MIN_CLIENTS", DEFAULT_MIN_CLIENTS
    )


def emit(message: dict, rooms: list[str], workshop_id: int, private: bool = False):
    """Broadcast a committed event to `rooms`, coalescing `card:added` in crowded rooms."""
    window, min_clients = settings()
    coalescer.publish(message, rooms, workshop_id, window, min_clients, private)
