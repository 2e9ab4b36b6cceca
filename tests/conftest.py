"""Shared fixtures: an app on a fresh SQLite file per test, HTTP and Socket.IO test clients, and
factories that create workshops and joined phones."""

import shutil
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from facilitator import create_app
from facilitator.config import TestConfig
from facilitator.database import upgrade_database
from facilitator.extensions import db, socketio
from facilitator.workshops import create_workshop


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An empty database brought to the latest migration once; each test starts from a copy of it."""
    config = TestConfig(tmp_path_factory.mktemp("migrated"))
    upgrade_database(config.DATABASE_URL)
    return Path(config.DATABASE_URL.removeprefix("sqlite:///"))


DEMO_BASE = "http://facilitator.test"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """A migrated database holding the demo workshop, played once per run (about 12 s: 9 tables, 90
    cards, 930 dots); a module that overrides `migrated_database` with its path starts every test from
    a copy of it. Returns (path, the demo's links)."""
    from facilitator import demo
    from facilitator.database import make_engine

    config = TestConfig(tmp_path_factory.mktemp("demo"))
    upgrade_database(config.DATABASE_URL)
    engine = make_engine(config.DATABASE_URL)
    try:
        with Session(engine, expire_on_commit=False) as own:
            links = demo.create_demo(own, DEMO_BASE)
    finally:
        engine.dispose()
    return Path(config.DATABASE_URL.removeprefix("sqlite:///")), links


@pytest.fixture
def app_config():
    """Settings that differ from TestConfig; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(tmp_path, migrated_database, app_config):
    config = TestConfig(tmp_path, **app_config)
    shutil.copyfile(migrated_database, config.DATABASE_URL.removeprefix("sqlite:///"))
    app = create_app(config)
    yield app
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


@pytest.fixture
def make_workshop(app):
    """Create a workshop in the database; return (workshop, secrets)."""

    def factory(**fields):
        fields.setdefault("title", "Assises du thermalisme")
        fields.setdefault("question", "Comment faire de l'Occitanie la destination thermale de référence ?")
        fields.setdefault("groups", 3)
        # A session of its own: leaving an app context would close the test's `session`.
        with Session(db.engine, expire_on_commit=False) as own:
            workshop, secrets = create_workshop(own, **fields)
            workshop.groups  # noqa: B018 - loaded before the session closes, for callers
            own.expunge_all()
            return workshop, secrets

    return factory


@pytest.fixture
def socket_client(app):
    """Return a factory of connected Socket.IO test clients (threading mode, real handlers)."""
    clients = []

    def factory(**headers):
        test_client = socketio.test_client(app, headers=headers or None)
        clients.append(test_client)
        return test_client

    yield factory
    for test_client in clients:
        if test_client.is_connected():
            test_client.disconnect()


@pytest.fixture
def phone(socket_client):
    """Return a factory: a participant joined at a table, with its ack."""

    def factory(code, group=1, **fields):
        test_client = socket_client()
        reply = test_client.emit(
            "join", {"code": code, "role": "participant", "group": group, **fields}, callback=True
        )
        assert reply["ok"], reply
        test_client.get_received()
        return test_client, reply

    return factory


def new_client_id() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def published(app):
    """Capture what the domain publishes after each commit: a list of (message, audience)."""
    from facilitator import events, realtime

    messages = []
    events.set_publisher(lambda message, audience: messages.append((message, audience)))
    yield messages
    events.set_publisher(realtime.publish)


@pytest.fixture
def count_rows(app):
    """Return a function giving the number of rows of every table, to prove a refusal changed nothing."""
    from sqlalchemy import func, select

    from facilitator.models import Card, Event, Participant, Workshop

    def counter():
        with Session(db.engine) as session:
            counts = {
                model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Workshop, Participant, Card, Event)
            }
            counts["seq"] = list(session.scalars(select(Workshop.seq).order_by(Workshop.id)))
            return counts

    return counter


@pytest.fixture
def joined(socket_client):
    """Return a factory: a Socket.IO client joined in any role, with its ack (asserted ok)."""

    def factory(code, role, token=None, group=None, headers=None, **fields):
        test_client = socket_client(**(headers or {}))
        payload = {"code": code, "role": role, **fields}
        if token is not None:
            payload["token"] = token
        if group is not None:
            payload["group"] = group
        reply = test_client.emit("join", payload, callback=True)
        assert reply["ok"], reply
        test_client.get_received()
        return test_client, reply

    return factory


def received(test_client, name):
    """Return the payloads of the `name` events this client received since the last call."""
    return [packet["args"][0] for packet in test_client.get_received() if packet["name"] == name]


def received_until(test_client, name, predicate, timeout=5.0):
    """Return the `name` payloads received since the last call, once the last one satisfies `predicate`.

    For what a background task sends: a departure's `group:presence` (`presence.connection_left`).
    """
    payloads = []
    deadline = time.monotonic() + timeout
    while not (payloads and predicate(payloads[-1])):
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout}s for {name}; received {payloads}")
        time.sleep(0.01)
        payloads += received(test_client, name)
    return payloads
