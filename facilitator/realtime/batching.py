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

import logging
import threading
import time
from collections import deque

from flask import current_app, has_app_context

from facilitator.extensions import socketio

log = logging.getLogger(__name__)

BATCHED = frozenset({"card:added", "participants:count", "group:presence", "vote:counts"})
DEFAULT_WINDOW_MS = 100
DEFAULT_MIN_CLIENTS = 30
HAND_OFF_WAIT = 2.0  # longest a publisher waits for another's sends to carry its own (seconds)


def everyone_room(workshop_id: int) -> str:
    """The room of every connection of a workshop (`realtime.core.workshop_room`)."""
    return f"w{workshop_id}"


def room_size(room: str) -> int:
    """Connections of this process in `room`."""
    return len(socketio.server.manager.rooms.get("/", {}).get(room, ()))


class Coalescer:
    """Per room: the time of the last send, and the messages waiting for the end of the current window.

    Nothing is ever sent under the lock. A send can run arbitrary code: Engine.IO closes a connection
    whose ping timed out inside the send that finds it, and runs the disconnection there (issue 18:
    a batch sent under the lock met a disconnection whose presence broadcast wanted the same lock, and
    every green thread of the process queued behind it). So what is to be sent is decided and put in
    the outbox, in order, under the lock; then one sender at a time empties the outbox, outside it.
    Order of the outbox is order on the wire: a phone never sees a later seq first.
    """

    def __init__(self, send=None, sleep=None, spawn=None, clock=time.monotonic, size=None):
        self._send = send or (lambda event, message, rooms: socketio.emit(event, message, to=rooms))
        self._sleep = sleep or socketio.sleep
        self._spawn = spawn or socketio.start_background_task
        self._clock = clock
        self._size = size or room_size
        self._lock = threading.Lock()  # guards what follows; never held during a send
        self._last_sent: dict[str, float] = {}
        self._pending: dict[str, list[dict]] = {}
        self._rooms_of: dict[int, set[str]] = {}  # workshop id -> rooms with messages waiting
        self._outbox: deque[tuple[int, str, dict, list[str]]] = deque()  # (ticket, event, message, rooms)
        self._queued = 0  # tickets handed out
        self._done = 0  # tickets sent (or whose send failed)
        self._sender = None  # the thread (green or not) emptying the outbox now
        self._waiting: list[int] = []  # the tickets publishers wait for it to send
        self._progress = threading.Condition(self._lock)

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
        to_schedule = []
        with self._lock:
            if message["type"] not in BATCHED or window <= 0 or private:
                for room in sorted(self._rooms_of.get(workshop_id, ())):
                    self._take(room, workshop_id)
                ticket = self._queue(message["type"], message, rooms)
            else:
                ticket = self._hold_or_queue(message, rooms, workshop_id, window, min_clients, to_schedule)
        self._deliver(ticket)
        for room, delay in to_schedule:
            self._spawn(self._flush_later, room, workshop_id, delay)

    def _hold_or_queue(self, message, rooms, workshop_id, window, min_clients, to_schedule) -> int:
        """Under the lock: queue `message` for the rooms that may have it now, hold it for the others."""
        # The workshop's room holds every member of its other rooms: whatever waits on one side was
        # committed before this message, so it leaves first (a phone never sees a later seq first).
        everyone = everyone_room(workshop_id)
        if everyone in rooms:
            for room in sorted(self._rooms_of.get(workshop_id, ())):
                if room != everyone:
                    self._take(room, workshop_id)
        elif everyone in self._pending:
            self._take(everyone, workshop_id)
        now = self._clock()
        immediate = []
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
            return self._queue(message["type"], message, immediate)
        return self._queued

    def _flush_later(self, room: str, workshop_id: int, delay: float):
        self._sleep(max(0.0, delay))
        self.flush(room, workshop_id)

    def flush(self, room: str, workshop_id: int):
        """Send what waits for `room` (one card as `card:added`, several as `cards:batch`)."""
        with self._lock:
            ticket = self._take(room, workshop_id)
        self._deliver(ticket)

    def flush_workshop(self, workshop_id: int):
        """Send every message waiting in this workshop's rooms (before a broadcast of another type)."""
        with self._lock:
            for room in sorted(self._rooms_of.get(workshop_id, ())):
                self._take(room, workshop_id)
            ticket = self._queued
        self._deliver(ticket)

    def _take(self, room: str, workshop_id: int) -> int:
        """Under the lock: move what waits for `room` to the outbox; return the last ticket queued."""
        messages = self._pending.pop(room, None)
        rooms = self._rooms_of.get(workshop_id)
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self._rooms_of[workshop_id]
        if not messages:
            return self._queued
        self._last_sent[room] = self._clock()
        if len(messages) == 1:
            return self._queue(messages[0]["type"], messages[0], [room])
        batch = {"type": "cards:batch", "messages": messages}
        seqs = [m["seq"] for m in messages if "seq" in m]  # `group:presence` has none (live state)
        if seqs:
            batch["seq"] = seqs[-1]
        return self._queue("cards:batch", batch, [room])

    def _queue(self, event: str, message: dict, rooms: list[str]) -> int:
        """Under the lock: put one send in the outbox; return its ticket."""
        self._queued += 1
        self._outbox.append((self._queued, event, message, list(rooms)))
        return self._queued

    def _deliver(self, ticket: int):
        """Return once the outbox has been sent up to `ticket` (the broadcast leaves before the ack).

        One sender at a time empties the outbox, outside the lock; the others wait for it to carry
        their sends (while it makes progress, `HAND_OFF_WAIT` at most without: theirs stay queued, in
        order, for it), and one of them takes over once it is past its own. A send that comes
        back here (the sender itself publishing from inside a send) returns at once: the loop it is in
        sends the new message next. A failed send is logged, and the next ones still go.
        """
        me = threading.get_ident()
        with self._lock:
            while self._done < ticket and self._sender is not None:
                if self._sender == me:
                    return
                self._waiting.append(ticket)
                try:
                    progressed = self._progress.wait(HAND_OFF_WAIT)
                finally:
                    self._waiting.remove(ticket)
                if not progressed and self._sender is not None and self._done < ticket:
                    return  # the sender is stuck: ours stays queued for it, in order
            if self._done >= ticket:
                return
            self._sender = me
        try:
            while True:
                with self._lock:
                    # Past its own sends, a sender hands over to a waiting publisher (who sends the rest).
                    if not self._outbox or (
                        self._done >= ticket and any(wanted > self._done for wanted in self._waiting)
                    ):
                        return
                    number, event, message, rooms = self._outbox.popleft()
                try:
                    self._send(event, message, rooms)
                except Exception:  # the sender carries others' messages too: the next ones still go
                    log.exception("broadcast of %s to %s failed", event, rooms)
                finally:
                    with self._lock:
                        self._done = number
                        self._progress.notify_all()
        finally:
            with self._lock:
                self._sender = None
                self._progress.notify_all()

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
