"""The organiser's dashboard reopens a console or a board without new links (issue 16, point 11): a
signed ticket, bound to the workshop and to its current token, valid 12 hours, accepted wherever the
token is (the socket join, the kit and report routes), ended by "Nouveaux liens" like the token."""

import time

import itsdangerous
import pytest

from facilitator import tokens
from facilitator.access import console_credential
from facilitator.errors import DomainError
from facilitator.extensions import db
from facilitator.workshops import find_workshop, rotate_links

KEY = "test-secret-key"


def signed_in(client):
    assert client.post("/organiser", data={"key": "test-organiser-key"}).status_code == 302
    return client


def ticket_from(client, code, page):
    response = client.get(f"/organiser/workshops/{code}/open/{page}")
    assert response.status_code == 303
    path, _, fragment = response.headers["Location"].partition("#t=")
    return path, fragment


def join_reply(socket_client, code, role, token):
    return socket_client().emit("join", {"code": code, "role": role, "token": token}, callback=True)


def test_the_dashboard_opens_the_console_and_the_board_with_tickets(client, make_workshop, socket_client):
    workshop, secrets = make_workshop(groups=2)
    signed_in(client)
    page = client.get("/organiser").get_data(as_text=True)
    assert "Ouvrir la console" in page and "Ouvrir le tableau" in page
    path, console = ticket_from(client, workshop.code, "console")
    assert path == f"/f/{workshop.code}" and console and console != secrets.facilitator_token
    assert join_reply(socket_client, workshop.code, "facilitator", console)["ok"] is True
    path, board = ticket_from(client, workshop.code, "board")
    assert path == f"/b/{workshop.code}"
    assert join_reply(socket_client, workshop.code, "board", board)["ok"] is True
    # The board's ticket is the board's: it opens no console.
    refused = join_reply(socket_client, workshop.code, "facilitator", board)
    assert refused["ok"] is False and refused["error"]["code"] == "bad_token"
    # The console's ticket downloads what the console downloads; the old link still works.
    kit = client.post(
        f"/api/workshops/{workshop.code}/kit.pdf?part=posters", json={},
        headers={"Authorization": f"Bearer {console}"},
    )  # fmt: skip
    assert kit.status_code == 200
    assert join_reply(socket_client, workshop.code, "facilitator", secrets.facilitator_token)["ok"] is True


def test_only_a_signed_in_organiser_gets_a_ticket(client, make_workshop):
    workshop, _ = make_workshop()
    response = client.get(f"/organiser/workshops/{workshop.code}/open/console")
    assert response.status_code == 302 and "#t=" not in response.headers["Location"]
    signed_in(client)
    assert client.get(f"/organiser/workshops/{workshop.code}/open/referent").status_code == 404
    assert client.get("/organiser/workshops/NOSUCH99/open/console").status_code == 404


def test_new_links_end_the_tickets_and_the_connections_they_opened(app, make_workshop, socket_client):
    workshop, _ = make_workshop()
    ticket = tokens.issue_ticket(KEY, workshop.id, "facilitator", workshop.facilitator_token_hash)
    console = socket_client()
    assert console.emit(
        "join", {"code": workshop.code, "role": "facilitator", "token": ticket}, callback=True
    )["ok"]
    console.get_received()
    with app.app_context():
        rotate_links(db.session, find_workshop(db.session, workshop.code))
    assert any(
        packet["name"] == "session:ended" and packet["args"][0]["reason"] == "links_renewed"
        for packet in console.get_received()
    )
    refused = join_reply(socket_client, workshop.code, "facilitator", ticket)
    assert refused["ok"] is False and refused["error"]["code"] == "bad_token"


def test_a_ticket_opens_only_its_workshop_and_only_for_twelve_hours(make_workshop, monkeypatch):
    workshop, _ = make_workshop()
    other, _ = make_workshop()
    ticket = tokens.issue_ticket(KEY, workshop.id, "facilitator", workshop.facilitator_token_hash)
    assert console_credential(workshop, "facilitator", ticket, KEY) == workshop.facilitator_token_hash
    assert console_credential(workshop, "board", ticket, KEY) == workshop.facilitator_token_hash
    for wrong_workshop, key in ((other, KEY), (workshop, "another-secret-key"), (workshop, None)):
        with pytest.raises(DomainError) as refused:
            console_credential(wrong_workshop, "facilitator", ticket, key)
        assert refused.value.code == "bad_token"
    with pytest.raises(DomainError):
        console_credential(workshop, "facilitator", ticket[:-2] + "xx", KEY)  # forged signature

    thirteen_hours_ago = int(time.time()) - 13 * 3600
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: thirteen_hours_ago)
    old = tokens.issue_ticket(KEY, workshop.id, "facilitator", workshop.facilitator_token_hash)
    monkeypatch.undo()
    with pytest.raises(DomainError) as refused:
        console_credential(workshop, "facilitator", old, KEY)
    assert refused.value.code == "ticket_expired"


def test_the_organiser_page_lists_the_workshops_before_the_form_unless_the_form_has_errors(
    client, make_workshop
):
    make_workshop(title="Atelier du matin")
    signed_in(client)
    page = client.get("/organiser").get_data(as_text=True)
    assert page.index("Ouvrir la console") < page.index('id="workshop-form"')
    assert page.count("<h1") == 1 and page.count("Se déconnecter") == 1
    refused = client.post("/organiser/workshops", data={"title": "", "groups": 3}).get_data(as_text=True)
    assert refused.index('id="workshop-form"') < refused.index("Ouvrir la console")
    assert refused.count("<h1") == 1 and refused.count("Se déconnecter") == 1
