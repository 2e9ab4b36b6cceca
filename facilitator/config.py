"""Configuration, read once from environment variables (a `.env` file is loaded by `wsgi.py`).

Every setting has a documented default in README.md; nothing is read from elsewhere.
"""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _persistent_secret(instance_path: Path, filename: str) -> str:
    """Return a secret kept in `instance/<filename>`, generating it on first start."""
    path = instance_path / filename
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


class Config:
    """Settings from the environment, with the defaults a venue laptop needs."""

    def __init__(self, **overrides):
        instance = Path(os.environ.get("FACILITATOR_INSTANCE", PROJECT_ROOT / "instance"))
        self.INSTANCE_PATH = str(instance)
        self.HOST = os.environ.get("FACILITATOR_HOST", "0.0.0.0")
        self.PORT = _int("FACILITATOR_PORT", 5000)
        self.DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'facilitator.db'}"
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.PUBLIC_URL = (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None
        self.ASYNC_MODE = os.environ.get("FACILITATOR_ASYNC_MODE", "eventlet")
        self.ORGANISER_KEY = os.environ.get("ORGANISER_KEY") or None
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or None
        self.DEFAULT_LANGUAGE = os.environ.get("FACILITATOR_LANGUAGE", "fr")
        self.CARD_TEXT_MAX = _int("FACILITATOR_CARD_TEXT_MAX", 280)
        self.NAME_MAX = _int("FACILITATOR_NAME_MAX", 40)
        self.MAX_PAYLOAD_BYTES = _int("FACILITATOR_MAX_PAYLOAD_BYTES", 64 * 1024)
        self.SYNC_MAX_EVENTS = _int("FACILITATOR_SYNC_MAX_EVENTS", 500)
        # Simultaneous connections one process serves (eventlet's own default is 1,024 requests).
        self.MAX_CONNECTIONS = _int("FACILITATOR_MAX_CONNECTIONS", 5000)
        # A room sent a card less than this long ago gets the next ones together (`cards:batch`); 0: off.
        self.BATCH_MS = _int("FACILITATOR_BATCH_MS", 100)
        self.BATCH_MIN_CLIENTS = _int("FACILITATOR_BATCH_MIN_CLIENTS", 30)
        # Engine.IO heartbeat: a connection that leaves a ping unanswered this long after it was sent is
        # closed (a phone that lost the Wi-Fi); every `PING_INTERVAL` seconds each connection is pinged.
        self.PING_INTERVAL = _int("FACILITATOR_PING_INTERVAL", 20)
        self.PING_TIMEOUT = _int("FACILITATOR_PING_TIMEOUT", 20)
        # With Redis: a process silent this many seconds no longer counts in presence (realtime/presence.py).
        self.PRESENCE_TTL = _int("FACILITATOR_PRESENCE_TTL", 15)
        self.JOIN_FAILURES_PER_CONNECTION = _int("FACILITATOR_JOIN_FAILURES", 5)
        self.RATE_LIMIT_CARDS = os.environ.get("FACILITATOR_RATE_CARDS", "15/10 seconds;60/minute")
        self.RATE_LIMIT_EVENTS = os.environ.get("FACILITATOR_RATE_EVENTS", "50/10 seconds")
        self.RATE_LIMIT_JOIN_FAILURES = os.environ.get(
            "FACILITATOR_RATE_JOIN_FAILURES", "60/minute;1000/hour"
        )
        # Against fake participants (joining again without a token) and their cards: docs/security.md.
        self.MAX_PARTICIPANTS = _int("FACILITATOR_MAX_PARTICIPANTS", 5000)
        self.MAX_TABLE_PARTICIPANTS = _int("FACILITATOR_MAX_TABLE_PARTICIPANTS", 300)
        self.RATE_LIMIT_NEW_PARTICIPANTS = os.environ.get(
            "FACILITATOR_RATE_NEW_PARTICIPANTS", "100/10 seconds;600/minute"
        )
        # Per person connected at the table (at least realtime.session.TABLE_CARDS_MIN_PEOPLE), per
        # address and table: the per-device budget of each person there (docs/security.md, point 5).
        self.RATE_LIMIT_TABLE_CARDS = os.environ.get(
            "FACILITATOR_RATE_TABLE_CARDS", "15/10 seconds;60/minute"
        )
        self.RETENTION_DAYS = _int("FACILITATOR_RETENTION_DAYS", 180)
        # CPU niceness of the report subprocess (0: same priority as the live workshop; docs/reports.md).
        self.REPORT_NICE = _int("FACILITATOR_REPORT_NICE", 10)
        self.ALLOWED_ORIGINS = [
            origin.strip().rstrip("/")
            for origin in os.environ.get("FACILITATOR_ALLOWED_ORIGINS", "").split(",")
            if origin.strip()
        ]
        # `Host` names served besides PUBLIC_URL's (or any IP address without it) and this machine's.
        self.ALLOWED_HOSTS = [
            host.strip()
            for host in os.environ.get("FACILITATOR_ALLOWED_HOSTS", "").split(",")
            if host.strip()
        ]
        self.TRUST_PROXY = _int("FACILITATOR_TRUST_PROXY", 0)
        # One line per HTTP request on stderr (path and query only: tokens never travel in URLs).
        self.ACCESS_LOG = os.environ.get("FACILITATOR_ACCESS_LOG", "") == "1"
        websocket_only = os.environ.get("FACILITATOR_WEBSOCKET_ONLY", "")
        self.WEBSOCKET_ONLY = websocket_only == "1" if websocket_only else bool(self.REDIS_URL)
        self.TESTING = False
        for key, value in overrides.items():
            setattr(self, key, value)

    def resolve_secrets(self):
        """Fill ORGANISER_KEY and SECRET_KEY from `instance/` when the environment gives none."""
        instance = Path(self.INSTANCE_PATH)
        if not self.ORGANISER_KEY:
            self.ORGANISER_KEY = _persistent_secret(instance, "organiser_key")
            self.ORGANISER_KEY_GENERATED = True
        if not self.SECRET_KEY:
            self.SECRET_KEY = _persistent_secret(instance, "secret_key")

    def as_flask_config(self):
        return {key: value for key, value in vars(self).items() if key.isupper()}


class TestConfig(Config):
    """In-process tests: threading mode, a database file per test, fixed keys."""

    def __init__(self, instance_path, **overrides):
        defaults = {
            "INSTANCE_PATH": str(instance_path),
            "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'test.db'}",
            "ASYNC_MODE": "threading",
            "ORGANISER_KEY": "test-organiser-key",
            "SECRET_KEY": "test-secret-key",
            "PUBLIC_URL": "http://facilitator.test",
            "REDIS_URL": None,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            # No rate limits unless a test sets them: fuzzing sends thousands of events per connection.
            "RATE_LIMIT_CARDS": "",
            "RATE_LIMIT_EVENTS": "",
            "RATE_LIMIT_JOIN_FAILURES": "",
            "RATE_LIMIT_NEW_PARTICIPANTS": "",
            "RATE_LIMIT_TABLE_CARDS": "",
            "MAX_PARTICIPANTS": 0,
            "MAX_TABLE_PARTICIPANTS": 0,
            # Every broadcast at once, so tests read each `card:added` (tests/test_batching.py turns it on).
            "BATCH_MS": 0,
        }
        defaults.update(overrides)
        super().__init__(**defaults)
