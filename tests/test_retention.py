"""Privacy: the organiser deletes a workshop and everything in it; old workshops are purged."""

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text, update

from facilitator.extensions import db
from facilitator.models import Workshop
from facilitator.workshops import purge_old_workshops
from tests.conftest import new_client_id, received

ORGANISER = {"Authorization": "Bearer test-organiser-key"}


def post(sock, text):
    return sock.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
    )


def test_the_organiser_deletes_a_workshop_and_everything_in_it(client, make_workshop, phone, count_rows):
    kept, _ = make_workshop(title="Gardé")
    kept_phone, _ = phone(kept.code)
    post(kept_phone, "Je reste")
    doomed, _ = make_workshop(title="Supprimé")
    sock, _ = phone(doomed.code, name="Camille")
    post(sock, "Une idée à effacer")
    sock.get_received()

    assert client.delete(f"/api/workshops/{doomed.code}").status_code == 401
    assert client.delete(f"/api/workshops/{doomed.code}", headers=ORGANISER).status_code == 204

    assert received(sock, "workshop:deleted") == [{"type": "workshop:deleted"}]
    assert client.get(f"/api/workshops/{doomed.code}").status_code == 404
    assert post(sock, "Trop tard")["error"]["code"] == "unknown_workshop"
    rows = count_rows()
    assert rows["workshops"] == 1 and rows["participants"] == 1 and rows["cards"] == 1
    assert post(kept_phone, "Toujours là")["ok"]


def test_deleting_an_unknown_workshop_is_a_404(client):
    response = client.delete("/api/workshops/ZZZZZZZZ", headers=ORGANISER)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_workshop"


def test_the_organiser_page_deletes_a_workshop(client, make_workshop):
    workshop, _ = make_workshop()
    client.post("/organiser", data={"key": "test-organiser-key"})
    assert workshop.code in client.get("/organiser").get_data(as_text=True)
    response = client.post(f"/organiser/workshops/{workshop.code}/delete", data={"confirmed": "yes"})
    assert response.status_code == 302
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 404


def test_old_workshops_are_purged_after_the_retention_period(app, make_workshop, count_rows, phone):
    old, _ = make_workshop(title="Ancien")
    recent, _ = make_workshop(title="Récent")
    stale, _ = phone(old.code)
    kept, _ = phone(recent.code)
    with app.app_context():
        db.session.execute(
            update(Workshop)
            .where(Workshop.id == old.id)
            .values(created_at=datetime.now(UTC) - timedelta(days=200))
        )
        db.session.commit()
        assert purge_old_workshops(db.session, 0) == 0
        assert purge_old_workshops(db.session, 365) == 0
        assert purge_old_workshops(db.session, 180) == 1
        assert [w.title for w in db.session.query(Workshop)] == ["Récent"]
    assert count_rows()["workshops"] == 1
    # The purged workshop's phones are told and disconnected (issue 18, point 2); the others stay.
    assert [m["reason"] for m in received(stale, "session:ended")] == ["workshop_deleted"]
    deadline = time.monotonic() + 5
    while stale.is_connected() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stale.is_connected() and kept.is_connected()


def test_the_organiser_form_refuses_a_table_name_too_long(client, count_rows):
    client.post("/organiser", data={"key": "test-organiser-key"})
    response = client.post(
        "/organiser/workshops",
        data={
            "title": "Atelier",
            "groups": 2,
            "group_names": "Accueil\n" + "x" * 81,
            "template": "concertation",
            "language": "fr",
            "vote_budget": 5,
            "organisations": "OT, ADT",
        },
    )
    assert response.status_code == 400
    assert "80 caractères au plus" in response.get_data(as_text=True)
    assert count_rows()["workshops"] == 0


def test_a_deleted_workshop_s_ids_are_never_given_again(app, make_workshop, phone):
    """Rooms are named by ids (`w<id>`, `w<id>:g<group>`, `w<id>:p<participant>`): the next workshop
    must not get the deleted one's, or its open connections would take the new one over."""
    from facilitator.models import Card, Group, Participant
    from facilitator.workshops import delete_workshop, find_workshop

    doomed, _ = make_workshop(title="Supprimé")
    sock, joined = phone(doomed.code, name="Camille")
    post(sock, "Une idée à effacer")
    with app.app_context():
        old_group = doomed.groups[-1].id
        old_participant = db.session.query(Participant.id).scalar()
        old_card = db.session.query(Card.id).scalar()
        delete_workshop(db.session, find_workshop(db.session, doomed.code))
    fresh, _ = make_workshop(title="Nouveau")
    sock_b, _ = phone(fresh.code, name="Dominique")
    post(sock_b, "Une idée neuve")
    with app.app_context():
        assert fresh.id > doomed.id
        assert min(g.id for g in db.session.query(Group)) > old_group
        assert db.session.query(Participant.id).scalar() > old_participant
        assert db.session.query(Card.id).scalar() > old_card


def test_a_deleted_workshop_s_text_is_gone_from_the_database_files(app, client, make_workshop, phone):
    """Deleted text must not stay readable on disk: neither in the write-ahead log (checkpointed after
    the deletion) nor in the free pages of the database file (secure_delete) (issue 18, point 13)."""
    from pathlib import Path

    doomed, _ = make_workshop(title="Atelier effacé")
    sock, _ = phone(doomed.code, name="Zéphyrine")
    secret = "Mot-de-passe-du-wifi-QX7ZK2 à ne pas garder"
    assert post(sock, secret)["ok"]
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    files = [database, database.with_name(database.name + "-wal")]
    with app.app_context():  # the card is on disk (in the log, or the file after a checkpoint)
        db.session.remove()
        db.engine.dispose()
    needle = secret.encode()
    assert any(path.exists() and needle in path.read_bytes() for path in files)

    client.post("/organiser", data={"key": "test-organiser-key"})
    assert (
        client.post(f"/organiser/workshops/{doomed.code}/delete", data={"confirmed": "yes"}).status_code
        == 302
    )
    for path in files:
        content = path.read_bytes() if path.exists() else b""
        assert needle not in content and "Zéphyrine".encode() not in content, path.name
    # Debian's SQLite zeroes deleted content by default, other builds do not: the app asks for it.
    with app.app_context():
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
