"""The organiser's list in Chromium (issue 16, point 11): each workshop's date, status and cards, and
"Nouveaux liens…" / "Supprimer…" that only act after a confirmation page, at 360×740 and 1366×768."""

import sqlite3
import time

import itsdangerous
import pytest
from harness import ROOT

from facilitator import tokens

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
STARTED = "Accueil et règles du jeu"  # the first step of the default agenda


def test_new_links_and_delete_ask_first(live_server, open_context, connect):
    created = live_server.create_workshop(groups=3, title="Atelier des offices")
    phone = connect(live_server, "phone")
    phone.join(code=created["code"], role="participant", group=1, name="Camille")
    assert phone.post("forces", "Une idée posée")["ok"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, name in (({"width": 360, "height": 740}, "phone"), ({"width": 1366, "height": 768}, "laptop")):
        page = open_context(viewport=size).new_page()
        page.goto(f"{live_server.url}/organiser")
        page.get_by_label("Clé organisateur").fill(live_server.key)
        page.locator("#signin-form [type=submit]").click()
        row = page.locator(".workshop-list li", has_text="Atelier des offices")
        expect(row).to_contain_text("En cours")
        expect(row).to_contain_text("1 carte")
        expect(row).to_contain_text("Créé le ")
        page.screenshot(path=str(SCREENSHOTS / f"organiser-list-{name}.png"), full_page=True)
        row.get_by_role("link", name="Supprimer…").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Supprimer")
        page.screenshot(path=str(SCREENSHOTS / f"organiser-confirm-delete-{name}.png"))
        page.get_by_role("link", name="Annuler").click()
        expect(page.locator(".workshop-list li", has_text="Atelier des offices")).to_be_visible()

    page.locator(".workshop-list li", has_text="Atelier des offices").get_by_role(
        "link", name="Nouveaux liens…"
    ).click()
    expect(page.locator("#facilitator-url")).to_have_count(0)  # nothing issued yet
    page.get_by_role("button", name="Oui, créer de nouveaux liens").click()
    expect(page.locator("#facilitator-url")).to_be_visible()
    assert created["facilitator_token"] not in page.locator("#facilitator-url").inner_text()

    page.goto(f"{live_server.url}/organiser")
    page.locator(".workshop-list li", has_text="Atelier des offices").get_by_role(
        "link", name="Supprimer…"
    ).click()
    page.get_by_role("button", name="Oui, supprimer définitivement").click()
    expect(page.locator(".workshop-list li", has_text="Atelier des offices")).to_have_count(0)


def test_the_dashboard_reopens_the_console_and_the_board_without_new_links(live_server, open_context):
    """Issue 16, point 11: « Ouvrir la console » / « Ouvrir le tableau » change no link."""
    created = live_server.create_workshop(groups=3, title="Atelier rouvert")
    page = open_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_server.url}/organiser")
    page.get_by_label("Clé organisateur").fill(live_server.key)
    page.locator("#signin-form [type=submit]").click()
    row = page.locator(".workshop-list li", has_text="Atelier rouvert")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "organiser-dashboard-1366.png"), full_page=True)
    row.get_by_role("link", name="Ouvrir la console").click()
    expect(page).to_have_url(f"{live_server.url}/f/{created['code']}")  # the ticket left the address bar
    page.get_by_role("button", name="Démarrer le déroulé").click()
    expect(page.locator("#step-title")).to_have_text(STARTED)

    # The facilitator's own link still opens its console, which sees the step the ticket started.
    old = open_context(viewport={"width": 1366, "height": 768}).new_page()
    old.goto(created["facilitator_url"])
    expect(old.locator("#status")).to_have_text("Connecté")
    expect(old.locator("#step-title")).to_have_text(STARTED)

    page.goto(f"{live_server.url}/organiser")
    page.locator(".workshop-list li", has_text="Atelier rouvert").get_by_role(
        "link", name="Ouvrir le tableau"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/b/{created['code']}")
    expect(page.locator("#step-title")).to_have_text(STARTED)
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")


def test_an_expired_ticket_says_to_reopen_the_console_from_the_organiser_page(live_server, open_context):
    """A ticket past its 12 hours: the console says so (« Lien expiré »), not « lien remplacé »."""
    created = live_server.create_workshop(groups=1, title="Atelier d’hier")
    with sqlite3.connect(live_server.instance / "facilitator.db") as database:
        workshop_id, token_hash = database.execute(
            "SELECT id, facilitator_token_hash FROM workshops WHERE code = ?", (created["code"],)
        ).fetchone()
    yesterday = int(time.time()) - 13 * 3600
    signer = itsdangerous.TimestampSigner.get_timestamp
    itsdangerous.TimestampSigner.get_timestamp = lambda self: yesterday
    try:
        ticket = tokens.issue_ticket("e2e-secret-key", workshop_id, "facilitator", token_hash)
    finally:
        itsdangerous.TimestampSigner.get_timestamp = signer
    page = open_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_server.url}/f/{created['code']}#t={ticket}")
    expect(page.locator("#workshop-ended")).to_contain_text("Ce lien d’ouverture a expiré")
    expect(page.locator("#status")).to_have_text("Lien expiré")
    page.screenshot(path=str(SCREENSHOTS / "console-ticket-expired-1366.png"))
