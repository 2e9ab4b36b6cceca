"""Shared fixtures: an app on a fresh SQLite file per test, HTTP and Socket.IO test clients, and
factories that create workshops and joined phones."""

import uuid

import pytest

from facilitator import create_app
from facilitator.config import TestConfig
from facilitator.database import upgrade_database
from facilitator.extensions import db, socketio
from facilitator.workshops import create_workshop


@pytest.fixture
def app(tmp_path):
    config = TestConfig(tmp_path)
    upgrade_database(config.DATABASE_URL)
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
        with app.app_context():
            workshop, secrets = create_workshop(db.session, **fields)
            db.session.expunge_all()
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
