"""A console, board or référent page whose link was replaced says so and stops (issue 18 point 8,
issue 16 point 10): « Nouveaux liens » ends the sessions opened with the old links (`session:ended`
"links_renewed"), and a page opened later with an old link is refused (`bad_token`). Either way the
page shows one unmistakable notice saying what to do — never « Hors ligne… » over a live-looking form —
forgets the replaced token, and keeps a référent's unsent paper cards. Phones stay connected."""

import re

import pytest
import requests
from harness import ACK_TIMEOUT
from test_browser import PHONE, PROJECTOR, join_phone, shoot
from test_revocation import organiser

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

OFFLINE_NOISE = r"ERR_INTERNET_DISCONNECTED|WebSocket|socket\.io|403"


def assert_replaced(page, code, role):
    expect(page.locator("body")).to_have_attribute("data-connection", "ended")
    notice = page.locator("#workshop-ended")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice.locator("h1")).to_have_text("Ce lien ne fonctionne plus")
    expect(notice).to_contain_text("demandez à l’organisateur le nouveau lien")
    expect(page.locator("#status")).to_have_text("Lien remplacé")
    assert page.evaluate("Live.current.socket.connected === false && Live.current.socket.active === false")
    kept = page.evaluate(
        f"Object.keys(localStorage).filter(k => k.indexOf('facilitator:{code}:token:{role}') === 0)"
    )
    assert kept == [], f"the page kept its replaced token: {kept}"


def renew_links(server, code) -> str:
    browser, token = organiser(server)
    page = browser.post(f"{server.url}/organiser/workshops/{code}/links", data={"csrf_token": token, "confirmed": "yes"},
                        timeout=ACK_TIMEOUT)  # fmt: skip
    assert page.status_code == 200
    return page.text


def test_pages_opened_with_replaced_links_say_so_and_stop(live_server, open_context):
    created = live_server.create_workshop(groups=2)
    code = created["code"]
    open_context.watch.allow(OFFLINE_NOISE)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    facilitator = open_context(**PROJECTOR).new_page()
    facilitator.goto(created["facilitator_url"])
    referent = open_context(viewport={"width": 800, "height": 1280}).new_page()
    referent.goto(created["groups"][0]["referent_url"])
    phone = open_context(**PHONE).new_page()
    join_phone(phone, created["groups"][0]["join_url"], "Paul", "ADT")
    for page in (board, facilitator, referent):
        expect(page.locator("body")).to_have_attribute("data-connection", "connected")

    renewed = renew_links(live_server, code)
    assert_replaced(board, code, "board")
    assert_replaced(facilitator, code, "facilitator")
    assert_replaced(referent, code, "referent")
    shoot(board, "projector-link-replaced")
    shoot(referent, "referent-link-replaced")
    expect(phone.locator("body")).to_have_attribute("data-connection", "connected")

    # The old link opened again later (a bookmark, a reprinted sheet): the same notice, at once.
    stale = open_context(**PROJECTOR).new_page()
    stale.goto(created["board_url"])
    assert_replaced(stale, code, "board")

    # The new link works on the same kind of screen.
    new_board_url = re.search(r'id="board-url" href="([^"]+)"', renewed).group(1).replace("&amp;", "&")
    fresh = open_context(**PROJECTOR).new_page()
    fresh.goto(new_board_url if new_board_url.startswith("http") else live_server.url + new_board_url)
    expect(fresh.locator("body")).to_have_attribute("data-connection", "connected")
    assert requests.get(f"{live_server.url}/healthz", timeout=ACK_TIMEOUT).ok
