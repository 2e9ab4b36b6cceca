"""A disk that is full or read-only is said as it is (issue 18, point 10): `storage_full` or
`storage_unavailable` in socket acks and HTTP answers instead of `internal`. The start-up check is in
tests/test_wsgi.py (the real `python wsgi.py`)."""

import errno
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from facilitator import realtime
from facilitator.database import check_storage, storage_problem
from tests.conftest import new_client_id

AUTH = {"Authorization": "Bearer test-organiser-key"}
FULL = OperationalError("INSERT INTO cards …", {}, sqlite3.OperationalError("database or disk is full"))
READ_ONLY = OperationalError(
    "INSERT INTO cards …", {}, sqlite3.OperationalError("attempt to write a readonly database")
)


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (FULL, "storage_full"),
        (READ_ONLY, "storage_unavailable"),
        (
            OperationalError("x", {}, sqlite3.OperationalError("unable to open database file")),
            "storage_unavailable",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "storage_full"),
        (OSError(errno.EROFS, "Read-only file system"), "storage_unavailable"),
        (OperationalError("x", {}, sqlite3.OperationalError("no such table: cards")), None),
        (ValueError("bad"), None),
        (None, None),
    ],
)
def test_what_the_storage_says_is_recognised(exc, code):
    assert storage_problem(exc) == code


def failing(exc):
    def fail(*_args, **_kwargs):
        raise exc

    return fail


@pytest.mark.parametrize(("exc", "code"), [(FULL, "storage_full"), (READ_ONLY, "storage_unavailable")])
def test_a_card_the_disk_refuses_is_answered_with_what_is_wrong(make_workshop, phone, monkeypatch, exc, code):
    w, _ = make_workshop()
    lea, _ = phone(w.code)
    monkeypatch.setattr(realtime.session, "post_card", failing(exc))
    reply = lea.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Eau"}, callback=True
    )
    assert reply["ok"] is False and reply["error"]["code"] == code, reply
    assert "ne peut plus enregistrer" in reply["error"]["message"]


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False}  # answer as in production instead of raising in the test


def test_the_api_says_the_disk_is_full(client, monkeypatch):
    from facilitator import api

    monkeypatch.setattr(api, "create_workshop", failing(FULL))
    response = client.post("/api/workshops", json={"title": "Atelier"}, headers=AUTH)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "storage_full"
    assert "disque est plein" in response.get_json()["error"]["message"]


def test_the_organiser_page_says_the_storage_is_read_only(client, monkeypatch):
    from facilitator import organiser

    client.post("/organiser", data={"key": "test-organiser-key"})
    monkeypatch.setattr(organiser, "create_workshop", failing(READ_ONLY))
    form = {"title": "Atelier", "groups": 1, "template": "concertation", "language": "fr"}
    response = client.post(
        "/organiser/workshops", data={**form, "vote_budget": 5, "essentials_per_family": 3}
    )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "storage_unavailable"


def test_any_other_failure_is_still_internal(client, monkeypatch):
    from facilitator import api

    monkeypatch.setattr(api, "create_workshop", failing(RuntimeError("bug")))
    response = client.post("/api/workshops", json={"title": "Atelier"}, headers=AUTH)
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal"


def test_the_start_up_check_writes_for_real(tmp_path):
    assert check_storage(tmp_path, f"sqlite:///{tmp_path / 'f.db'}") is None
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    assert "cannot start" in check_storage(not_a_folder, f"sqlite:///{not_a_folder / 'f.db'}")
    read_only = f"sqlite:///file:{tmp_path / 'f.db'}?mode=ro&uri=true"
    problem = check_storage(tmp_path, read_only)
    assert "la base / the database" in problem and "readonly database" in problem
