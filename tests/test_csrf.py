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
    client.post(
        f"/organiser/workshops/{workshop.code}/delete", data={"confirmed": "yes", "csrf_token": "forged"}
    )
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 200
    client.post(
        f"/organiser/workshops/{workshop.code}/delete",
        data={"confirmed": "yes", "csrf_token": csrf_token(client)},
    )
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


def test_signing_out_ends_the_session_on_the_server_too(client, app):
    """A copy of the organiser's cookie (another tab, a shared laptop's profile) opens nothing once the
    organiser signed out (issue 18, point 11)."""
    sign_in(client)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert "workshop-form" in copy.get("/organiser").get_data(as_text=True)
    client.post("/organiser/signout", data={"csrf_token": csrf_token(client)})
    assert "workshop-form" not in client.get("/organiser").get_data(as_text=True)
    assert "workshop-form" not in copy.get("/organiser").get_data(as_text=True)
    links = copy.post("/organiser/workshops/ZZZZZZZZ/links", data={"csrf_token": csrf_token(copy)})
    assert links.status_code == 302


def test_buttons_for_an_unknown_workshop_answer_404(client):
    """The workshop was deleted in another tab: "Nouveaux liens" and "Supprimer" say not found (no 500)."""
    sign_in(client)
    for action in ("links", "delete"):
        response = client.post(
            f"/organiser/workshops/ZZZZZZZZ/{action}", data={"csrf_token": csrf_token(client)}
        )
        assert response.status_code == 404, action


def test_organiser_pages_and_links_are_never_cached(client, make_workshop):
    workshop, _ = make_workshop()
    assert client.get("/organiser").headers["Cache-Control"] == "no-store"
    sign_in(client)
    assert client.get("/organiser").headers["Cache-Control"] == "no-store"
    links = client.post(
        f"/organiser/workshops/{workshop.code}/links",
        data={"confirmed": "yes", "csrf_token": csrf_token(client)},
    )
    assert links.status_code == 200 and "#t=" in links.get_data(as_text=True)
    assert links.headers["Cache-Control"] == "no-store"
    created = client.post(
        "/organiser/workshops",
        data={
            "title": "Nouvel atelier",
            "groups": 2,
            "template": "concertation",
            "language": "fr",
            "vote_budget": 5,
            "essentials_per_family": 3,
            "csrf_token": csrf_token(client),
        },
    )
    assert "#t=" in created.get_data(as_text=True) and created.headers["Cache-Control"] == "no-store"


def test_new_links_and_delete_need_a_confirmation_step(client, make_workshop, joined):
    """Issue 16, point 11: the list's buttons lead to a page that says what stops working; only its
    form (CSRF token and `confirmed`) issues new links or deletes."""
    workshop, secrets = make_workshop(title="Atelier à garder")
    sign_in(client)
    listing = client.get("/organiser").get_data(as_text=True)
    assert f'href="/organiser/workshops/{workshop.code}/links"' in listing
    assert f'href="/organiser/workshops/{workshop.code}/delete"' in listing
    for action, words in (("links", "ne marcheront plus"), ("delete", "supprimés définitivement")):
        page = client.get(f"/organiser/workshops/{workshop.code}/{action}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and words in text and "Atelier à garder" in text
        assert 'name="confirmed"' in text and 'name="csrf_token"' in text and "#t=" not in text
        # The old one-click form (CSRF token, no `confirmed`) only leads to the confirmation page.
        unconfirmed = client.post(
            f"/organiser/workshops/{workshop.code}/{action}", data={"csrf_token": csrf_token(client)}
        )
        assert unconfirmed.status_code == 303
        assert unconfirmed.headers["Location"].endswith(f"/organiser/workshops/{workshop.code}/{action}")
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 200
    _client, reply = joined(workshop.code, "facilitator", token=secrets.facilitator_token)
    confirmed = client.post(
        f"/organiser/workshops/{workshop.code}/links",
        data={"confirmed": "yes", "csrf_token": csrf_token(client)},
    )
    assert confirmed.status_code == 200 and "#t=" in confirmed.get_data(as_text=True)
    refused = client.post(
        f"/organiser/workshops/{workshop.code}/delete", data={"confirmed": "yes", "csrf_token": "forged"}
    )
    assert refused.status_code == 400
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 200
