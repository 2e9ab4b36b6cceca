"""Rate limits per device, per connection and per table — never a refusal of right credentials per IP
address: a whole venue shares one (only wrong guesses are counted and refused per address).

In memory for one process (`LocalMovingWindow`, no background timer); in Redis through the `limits`
library when REDIS_URL is set, so that several processes share the counts.
"""

import threading
import time
from collections import deque
from typing import NamedTuple

from limits import parse_many, storage, strategies

from facilitator.errors import DomainError


class WindowStats(NamedTuple):
    reset_time: float
    remaining: int


class LocalMovingWindow:
    """Moving windows for one process, with the interface of `limits`' MovingWindowRateLimiter.

    `limits`' in-memory storage runs a timer every 10 ms that walks every key it knows; with a
    1,000-phone workshop (a key per connection and per device) that timer alone took a quarter of the
    server's CPU in the benchmark. Here each key keeps the times of its recent hits, pruned when the
    key is touched; keys left empty are dropped now and then, so nothing runs in the background.
    """

    SWEEP_EVERY = 10_000  # hits between two sweeps of the keys nobody touches any more

    def __init__(self):
        self._hits: dict[tuple, deque] = {}
        self._lock = threading.Lock()
        self._count = 0
        self.storage = self  # `reset()` is reached as `limiter.storage.reset()`, as with `limits`

    @staticmethod
    def _key(item, identifiers) -> tuple:
        return (item.amount, item.get_expiry(), *identifiers)

    def _window(self, item, identifiers, now) -> deque:
        hits = self._hits.get(self._key(item, identifiers))
        if hits is None:
            return deque()
        start = now - item.get_expiry()
        while hits and hits[0] <= start:
            hits.popleft()
        return hits

    def hit(self, item, *identifiers) -> bool:
        now = time.time()
        with self._lock:
            hits = self._window(item, identifiers, now)
            if len(hits) >= item.amount:
                return False
            if not hits:
                hits = self._hits.setdefault(self._key(item, identifiers), hits)
            hits.append(now)
            self._count += 1
            if self._count % self.SWEEP_EVERY == 0:
                self._sweep(now)
            return True

    def test(self, item, *identifiers) -> bool:
        with self._lock:
            return len(self._window(item, identifiers, time.time())) < item.amount

    def get_window_stats(self, item, *identifiers) -> WindowStats:
        now = time.time()
        with self._lock:
            hits = self._window(item, identifiers, now)
            reset = hits[0] + item.get_expiry() if hits else now
            return WindowStats(reset, max(0, item.amount - len(hits)))

    def _sweep(self, now):
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - k[1]]:
            del self._hits[key]

    def reset(self):
        with self._lock:
            self._hits.clear()


SHARED_CEILING = 1_000_000  # hits a shared window can count (check_shared)


class RateLimits:
    """Named limits, each a list of windows such as "10/10 seconds; 60/minute"."""

    def __init__(self):
        self._limiter = None
        self._rules = {}

    def configure(self, storage_uri: str, rules: dict[str, str]):
        if storage_uri.startswith("memory://"):
            self._limiter = LocalMovingWindow()
        else:
            self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self._rules = {name: parse_many(spec) for name, spec in rules.items() if spec}

    def check(self, name: str, key: str, code: str = "rate_limited"):
        """Count one hit of `name` for `key`; refuse with `code` (and the wait) past any window."""
        if self._limiter is None or name not in self._rules:
            return
        for rule in self._rules[name]:
            if not self._limiter.hit(rule, name, key):
                raise DomainError(code, status=429, retry_after=self._wait(rule, name, key))

    def check_shared(self, name: str, key: str, people: int):
        """Count one hit of `name` for `key`, a window shared by `people`: each window's amount is per
        person. Refuse with `rate_limited` past any window.

        The amount changes with `people`, so the hits are counted under a fixed ceiling (the key of a
        window holds its amount) and compared with the amount × people.
        """
        if self._limiter is None or name not in self._rules:
            return
        counters = [type(rule)(SHARED_CEILING, rule.multiples, rule.namespace) for rule in self._rules[name]]
        for rule, counter in zip(self._rules[name], counters, strict=True):
            stats = self._limiter.get_window_stats(counter, name, key)
            if SHARED_CEILING - stats.remaining >= rule.amount * people:
                raise DomainError("rate_limited", status=429, retry_after=self._wait(counter, name, key))
        for counter in counters:
            self._limiter.hit(counter, name, key)

    def _wait(self, rule, name: str, key: str) -> int:
        stats = self._limiter.get_window_stats(rule, name, key)
        return max(1, int(stats.reset_time - time.time() + 0.999))

    def hit(self, name: str, key: str):
        """Count one hit of `name` for `key` without refusing anything."""
        if self._limiter is not None and name in self._rules:
            for rule in self._rules[name]:
                self._limiter.hit(rule, name, key)

    def failed(self, name: str, key: str) -> bool:
        """Count one failure of `name` for `key` (a wrong code or token); True past any window.

        Only failures are counted, and a caller refuses only the failure itself: whatever the count,
        a right code from the same address is admitted (a venue is one address; docs/security.md).
        """
        if self._limiter is None or name not in self._rules:
            return False
        over = False
        for rule in self._rules[name]:
            over = not self._limiter.hit(rule, name, key) or over
        return over

    def exhausted(self, name: str, key: str) -> bool:
        """Say whether `name` is over its limit for `key`, without counting a hit."""
        if self._limiter is None or name not in self._rules:
            return False
        return any(not self._limiter.test(rule, name, key) for rule in self._rules[name])

    def reset(self):
        if self._limiter is not None:
            self._limiter.storage.reset()


rate_limits = RateLimits()
