"""CSRF: the organiser's forms (sign in, create, new links, delete) need the form's token; a page on
another site that posts to them while the organiser is signed in changes nothing."""

import re

import pytest

KEY = "test-organiser-key"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def csrf_token(client, path="/organiser"):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match, "the form carries no CSRF token"
    return match.group(1)


def sign_in(client):
    response = client.post("/organiser", data={"key": KEY, "csrf_token": csrf_token(client)})
    assert response.status_code == 302


def test_signing_in_without_the_form_token_is_refused(client):
    response = client.post("/organiser", data={"key": KEY})
    assert response.status_code == 400
    assert "workshop-form" not in client.get("/organiser").get_data(as_text=True)


def test_a_forged_delete_changes_nothing(client, make_workshop):
    workshop, _ = make_workshop()
    sign_in(client)
    client.post(f"/organiser/workshops/{workshop.code}/delete")
    client.post(f"/organiser/workshops/{workshop.code}/delete", data={"csrf_token": "forged"})
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 200
    client.post(f"/organiser/workshops/{workshop.code}/delete", data={"csrf_token": csrf_token(client)})
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 404


def test_a_forged_creation_or_new_links_change_nothing(client, make_workshop, count_rows):
    workshop, _ = make_workshop()
    sign_in(client)
    before = count_rows()
    response = client.post(
        "/organiser/workshops",
        data={"title": "Forgé", "groups": 2, "template": "concertation", "language": "fr", "vote_budget": 5},
    )
    assert response.status_code == 400
    links = client.post(f"/organiser/workshops/{workshop.code}/links")
    assert links.status_code == 400 and "#t=" not in links.get_data(as_text=True)
    assert count_rows() == before
