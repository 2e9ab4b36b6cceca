"""Rate limits per device and per connection — never per IP address: a whole venue shares one.

Backed by the `limits` library: in memory for one process, in Redis when REDIS_URL is set so that
several processes share the counts.
"""

import time

from limits import parse_many, storage, strategies

from facilitator.errors import DomainError


class RateLimits:
    """Named limits, each a list of windows such as "10/10 seconds; 60/minute"."""

    def __init__(self):
        self._limiter = None
        self._rules = {}

    def configure(self, storage_uri: str, rules: dict[str, str]):
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self._rules = {name: parse_many(spec) for name, spec in rules.items() if spec}

    def check(self, name: str, key: str):
        """Count one hit of `name` for `key`; refuse with `rate_limited` past any window."""
        if self._limiter is None or name not in self._rules:
            return
        for rule in self._rules[name]:
            if not self._limiter.hit(rule, name, key):
                stats = self._limiter.get_window_stats(rule, name, key)
                wait = max(1, int(stats.reset_time - time.time() + 0.999))
                raise DomainError("rate_limited", status=429, retry_after=wait)

    def hit(self, name: str, key: str):
        """Count one hit of `name` for `key` without refusing anything (e.g. a failed join)."""
        if self._limiter is not None and name in self._rules:
            for rule in self._rules[name]:
                self._limiter.hit(rule, name, key)

    def exhausted(self, name: str, key: str) -> bool:
        """Say whether `name` is over its limit for `key`, without counting a hit."""
        if self._limiter is None or name not in self._rules:
            return False
        return any(not self._limiter.test(rule, name, key) for rule in self._rules[name])

    def reset(self):
        if self._limiter is not None:
            self._limiter.storage.reset()


rate_limits = RateLimits()
