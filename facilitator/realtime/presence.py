"""Presence: how many participants are connected at each table now, across every server process.

A phone's `join` and its disconnection change its table's count; the boards and that table hear
`group:presence` `{"type", "group", "connected"}` (live state, not in the event log), and the `join`
ack carries `"presence": {"<table number>": connected}` for the tables the viewer sees. A participant
counts once however many tabs (connections) they have open, on however many processes.

Each process keeps an index of its own connections: workshop → table → {participant id: connections}.
Without `REDIS_URL` that index is the whole answer (one process). With `REDIS_URL` each process also
writes its part to Redis, only when a phone joins or leaves (never per card):

- `facilitator:presence:w<workshop id>` — a hash, one field per (table, process):
  `"<group id>:<table number>:<process id>"` → the participant ids connected at that table through
  that process, space-separated. A join or a disconnection rewrites this process's field for the
  table and reads the whole hash back in the same round trip (one pipeline), so the count it
  announces is the union over every live process.
- `facilitator:presence:processes` — a sorted set: process id → time of its last heartbeat. Every
  process beats every `FACILITATOR_PRESENCE_TTL / 3` seconds; fields of a process silent for
  `FACILITATOR_PRESENCE_TTL` (default 15) seconds are left out of every count, then removed, and the
  survivor that removes them announces the corrected counts of those tables (a process killed with
  kill -9 stops counting within TTL + TTL/3 seconds).
- `facilitator:presence:p<process id>` — the workshops this process wrote to, for that clean-up.

The heartbeat also writes this process's fields again (Redis restarted or flushed heals itself), and
every key expires after a day without writes. If Redis does not answer, a join still succeeds and the
counts fall back to this process's own.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter

from flask import current_app

from facilitator.events import Audience, commit_and_publish
from facilitator.extensions import db, socketio

log = logging.getLogger(__name__)

PREFIX = "facilitator:presence:"
PROCESSES = PREFIX + "processes"
KEY_EXPIRY = 24 * 3600
DEFAULT_TTL = 15


def workshop_key(workshop_id: int) -> str:
    return f"{PREFIX}w{workshop_id}"


def process_key(process: str) -> str:
    return f"{PREFIX}p{process}"


class LocalPresence:
    """This process's connections, indexed per workshop and table: {workshop: {group: (number, Counter)}}.

    Joins and leaves are O(1); a count is the size of one Counter (no pass over the connections).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._tables: dict[int, dict[int, tuple[int, Counter]]] = {}

    @staticmethod
    def counted(viewer) -> bool:
        return viewer is not None and viewer.role == "participant" and viewer.participant_id is not None

    def _apply(self, viewer, step: int) -> tuple[int, int, int]:
        """Add (+1) or remove (-1) one connection of `viewer`; return its (workshop, group, number)."""
        with self._lock:
            tables = self._tables.setdefault(viewer.workshop_id, {})
            number, people = tables.setdefault(viewer.group_id, (viewer.group_number, Counter()))
            people[viewer.participant_id] += step
            if people[viewer.participant_id] <= 0:
                del people[viewer.participant_id]
            if not people:
                del tables[viewer.group_id]
                if not tables:
                    del self._tables[viewer.workshop_id]
        return viewer.workshop_id, viewer.group_id, viewer.group_number

    def change(self, before, after) -> list[tuple[int, int, int]]:
        """One connection goes from `before` to `after` (either None); return the tables whose count may
        have changed, as (workshop id, group id, table number)."""
        touched = []
        if self.counted(before):
            touched.append(self._apply(before, -1))
        if self.counted(after):
            touched.append(self._apply(after, +1))
        return sorted(set(touched))

    def people(self, workshop_id: int, group_id: int) -> set[int]:
        with self._lock:
            entry = self._tables.get(workshop_id, {}).get(group_id)
            return set(entry[1]) if entry else set()

    def tables(self) -> list[tuple[int, int, int, set[int]]]:
        """Every table this process has participants at: (workshop, group, number, participant ids)."""
        with self._lock:
            return [
                (workshop_id, group_id, number, set(people))
                for workshop_id, tables in self._tables.items()
                for group_id, (number, people) in tables.items()
            ]

    def counts(self, workshop_id: int) -> dict[int, dict]:
        """{group id: {"number", "people": set}} of one workshop, in this process."""
        with self._lock:
            return {
                group_id: {"number": number, "people": set(people)}
                for group_id, (number, people) in self._tables.get(workshop_id, {}).items()
            }

    def workshop_counts(self, workshop_id: int, touched=()) -> dict[int, dict]:
        """What every process together has at this workshop's tables (here: this process alone)."""
        return self.counts(workshop_id)

    def reset(self):
        with self._lock:
            self._tables.clear()


def union_counts(fields: dict[str, str], alive: set[str]) -> dict[int, dict]:
    """Merge the per-process fields of a workshop hash: {group id: {"number", "people": set}}.

    Fields of processes not in `alive` are left out.
    """
    tables: dict[int, dict] = {}
    for field, value in fields.items():
        group, number, process = field.split(":", 2)
        if process not in alive:
            continue
        entry = tables.setdefault(int(group), {"number": int(number), "people": set()})
        entry["people"].update(int(p) for p in value.split())
    return tables


class RedisPresence(LocalPresence):
    """The local index, mirrored in Redis so every process counts every process's phones."""

    def __init__(self, url: str, ttl: int = DEFAULT_TTL, client=None):
        super().__init__()
        import redis

        self.errors = (redis.RedisError, OSError)
        self.redis = client or redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2
        )
        self.ttl = max(1, int(ttl))
        self.process = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._started = False
        self._start_lock = threading.Lock()
        # One write at a time from this process: a field is this process's whole set for a table, so
        # two joins' pipelines arriving in the wrong order could otherwise leave an older set behind.
        self._io_lock = threading.Lock()

    # -- Redis side ------------------------------------------------------------------------------------

    def field(self, group_id: int, number: int) -> str:
        return f"{group_id}:{number}:{self.process}"

    def _write(self, pipe, workshop_id: int, group_id: int, number: int):
        people = self.people(workshop_id, group_id)
        key = workshop_key(workshop_id)
        if people:
            pipe.hset(key, self.field(group_id, number), " ".join(str(p) for p in sorted(people)))
        else:
            pipe.hdel(key, self.field(group_id, number))
        pipe.expire(key, KEY_EXPIRY)

    def workshop_counts(self, workshop_id: int, touched=()) -> dict[int, dict]:
        """Write this process's part of the `touched` tables, read every process's: one round trip."""
        self.ensure_started()
        now = time.time()
        try:
            with self._io_lock:
                pipe = self.redis.pipeline(transaction=False)
                for _workshop, group_id, number in touched:
                    self._write(pipe, workshop_id, group_id, number)
                if touched:
                    pipe.sadd(process_key(self.process), workshop_id)
                    pipe.expire(process_key(self.process), KEY_EXPIRY)
                pipe.hgetall(workshop_key(workshop_id))
                pipe.zrangebyscore(PROCESSES, now - self.ttl, "+inf")
                *_, fields, alive = pipe.execute()
        except self.errors as exc:
            log.warning("presence: Redis did not answer (%s); counting this process's phones only", exc)
            return self.counts(workshop_id)
        return union_counts(fields, set(alive) | {self.process})

    # -- Heartbeat and clean-up ------------------------------------------------------------------------

    def ensure_started(self):
        """Register this process and start its heartbeat, once (at the first join it sees)."""
        if self._started:
            return
        with self._start_lock:
            if self._started:
                return
            self._started = True
            try:
                self.redis.zadd(PROCESSES, {self.process: time.time()})
            except self.errors as exc:
                log.warning("presence: Redis did not answer (%s)", exc)
            socketio.start_background_task(self._heartbeat, current_app._get_current_object())

    def _heartbeat(self, app):
        interval = max(0.2, self.ttl / 3)
        while True:
            socketio.sleep(interval)
            try:
                self.beat(app)
            except Exception:  # the heartbeat must outlive any one failure
                log.exception("presence heartbeat failed")

    def beat(self, app=None):
        """Say this process is alive, write its fields again, and clean up after dead processes."""
        now = time.time()
        with self._io_lock:
            pipe = self.redis.pipeline(transaction=False)
            pipe.zadd(PROCESSES, {self.process: now})
            for workshop_id, group_id, number, _people in self.tables():
                self._write(pipe, workshop_id, group_id, number)
                pipe.sadd(process_key(self.process), workshop_id)
            pipe.expire(process_key(self.process), KEY_EXPIRY)
            pipe.zrangebyscore(PROCESSES, "-inf", f"({now - self.ttl}")
            dead = pipe.execute()[-1]
        for process in dead:
            if process != self.process and self.redis.zrem(PROCESSES, process):
                self.bury(process, app)

    def bury(self, process: str, app=None):
        """Remove a dead process's fields (this process won the ZREM) and announce the new counts."""
        workshops = self.redis.smembers(process_key(process))
        announcements = []
        for workshop_id in sorted(int(w) for w in workshops):
            key = workshop_key(workshop_id)
            fields = self.redis.hgetall(key)
            theirs = [f for f in fields if f.split(":", 2)[2] == process]
            if not theirs:
                continue
            self.redis.hdel(key, *theirs)
            now = time.time()
            alive = set(self.redis.zrangebyscore(PROCESSES, now - self.ttl, "+inf")) | {self.process}
            counts = union_counts({f: v for f, v in fields.items() if f not in theirs}, alive)
            for field in theirs:
                group_id, number = (int(x) for x in field.split(":", 2)[:2])
                connected = len(counts.get(group_id, {}).get("people", ()))
                announcements.append(announcement(workshop_id, group_id, number, connected))
        self.redis.delete(process_key(process))
        if announcements and app is not None:
            with app.app_context():
                try:
                    commit_and_publish(db.session, [], announcements=announcements)
                finally:
                    db.session.remove()
        return announcements


def announcement(workshop_id: int, group_id: int, number: int, connected: int):
    return (
        {"type": "group:presence", "group": number, "connected": connected},
        Audience(workshop_id, group_id),
    )


# --- The store of this app, and what session.py calls -------------------------------------------------

_local = LocalPresence()
_redis_stores: dict[str, RedisPresence] = {}


def store() -> LocalPresence:
    """The in-memory index (one process), or the Redis-backed one when `REDIS_URL` is set."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return _local
    found = _redis_stores.get(url)
    if found is None:
        found = _redis_stores[url] = RedisPresence(url, current_app.config.get("PRESENCE_TTL", DEFAULT_TTL))
    return found


def connection_changed(before, after) -> dict | None:
    """A connection joined as `after` (having been `before`), or left (`after` None).

    Count it, tell the boards and the table(s) concerned when a participant came or went
    (`group:presence`, published after the session's (empty) commit like every message), and return
    the join ack's `presence` for `after`.
    """
    presence = store()
    touched = presence.change(before, after)
    workshops = {w for w, _g, _n in touched}
    if after is not None:
        workshops.add(after.workshop_id)
    counts = {
        workshop_id: presence.workshop_counts(workshop_id, [t for t in touched if t[0] == workshop_id])
        for workshop_id in sorted(workshops)
    }
    announcements = [
        announcement(
            workshop_id, group_id, number, len(counts[workshop_id].get(group_id, {}).get("people", ()))
        )
        for workshop_id, group_id, number in touched
    ]
    if announcements:
        commit_and_publish(db.session, [], announcements=announcements)
    return for_viewer(after, counts[after.workshop_id]) if after is not None else None


def connection_left(app, viewer):
    """A participant's connection went away: count it out and tell the table (a background task).

    Run apart from the disconnection itself (`session.on_disconnect`), with a session of its own.
    """
    with app.app_context():
        try:
            connection_changed(viewer, None)
        except Exception:  # a background task: nobody else would hear of it
            log.exception(
                "presence: the departure of participant %s was not announced", viewer.participant_id
            )
            db.session.rollback()
        finally:
            db.session.remove()


def for_viewer(viewer, counts: dict[int, dict]) -> dict:
    """`{"<table number>": connected}`: the viewer's table, or every table with someone for boards."""
    if not viewer.sees_every_table:
        return {str(viewer.group_number): len(counts.get(viewer.group_id, {}).get("people", ()))}
    return {
        str(entry["number"]): len(entry["people"])
        for _group, entry in sorted(counts.items(), key=lambda item: item[1]["number"])
        if entry["people"]
    }
