"""The phone's outbox and the end of a workshop, in Chromium.

Offline: Playwright's `context.set_offline(True)` emulates a phone losing the venue Wi-Fi. In the
Chromium we drive it closes the open WebSocket too (its reconnection attempts then fail with
ERR_INTERNET_DISCONNECTED). The test does not take that on trust: while the phone is offline it
checks, from a socket client of its own, that the server has received nothing, so a browser whose
emulation left the socket open would fail the test instead of passing it without ever using the
outbox.

Deletion: when the organiser deletes a workshop, every open page says so in French, stops
reconnecting and forgets what it kept (tokens, cards waiting to be sent) — a page that was offline
at that moment learns it when its rejoin is refused.
"""

import json
import re
import time

import pytest
import requests
from harness import ACK_TIMEOUT, LiveClient
from test_browser import PHONE, PROJECTOR, join_phone, shoot

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

OFFLINE_NOISE = r"ERR_INTERNET_DISCONNECTED|WebSocket|socket\.io"


def server_texts(server, created):
    """The cards the server holds, as a board that opens now sees them."""
    board = LiveClient(server, "board snapshot")
    try:
        snapshot = board.join(code=created["code"], role="board", token=created["board_token"])["snapshot"]
    finally:
        board.close()
    return [card["text"] for card in snapshot["cards"]]


def type_card(page, family, text):
    page.locator(f".family-choice.family-{family}").click()
    page.locator("#card-text").fill(text)
    page.locator("#card-text").press("Enter")


def test_three_cards_typed_offline_reach_the_board_once(live_server, open_context):
    created = live_server.create_workshop(groups=2)
    open_context.watch.allow(OFFLINE_NOISE)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    expect(board.locator("body")).to_have_attribute("data-connection", "connected")
    phone_context = open_context(**PHONE)
    phone = phone_context.new_page()
    join_phone(phone, created["groups"][0]["join_url"], "Inès", "OT")

    phone_context.set_offline(True)
    expect(phone.locator("body")).to_have_attribute("data-connection", "offline")
    expect(phone.locator("#status")).to_have_text(re.compile("^Hors ligne"))
    texts = ["Dans le train, sans réseau", "Une deuxième idée hors ligne", "Et une troisième 🚆"]
    for family, text in zip(["forces", "attentes", "contributions"], texts, strict=True):
        type_card(phone, family, text)
    pending = phone.locator("#cards li.is-pending")
    expect(pending.locator(".card-text")).to_have_text(texts)
    expect(pending.locator(".card-state")).to_have_text(["En attente d’envoi"] * 3)
    shoot(phone, "phone-offline-outbox")
    expect(phone.locator("#cards li[data-card-id]")).to_have_count(0)
    time.sleep(2)  # long enough for an open WebSocket to have carried the cards
    assert server_texts(live_server, created) == [], "the cards left while the phone was offline"
    expect(board.locator(".board-card")).to_have_count(0)
    stored = phone.evaluate(f"localStorage.getItem('facilitator:{created['code']}:outbox:participant')")
    assert [card["text"] for card in json.loads(stored)] == texts

    phone_context.set_offline(False)
    expect(phone.locator("body")).to_have_attribute("data-connection", "connected", timeout=20_000)
    expect(phone.locator("#status")).to_have_text("Connecté")
    expect(phone.locator("#cards li.is-pending")).to_have_count(0)
    sent = phone.locator("#cards li[data-card-id]")
    expect(sent.locator(".card-text")).to_have_text(list(reversed(texts)))
    expect(sent.locator(".card-state.sent")).to_have_text(["Ma carte ✓"] * 3)
    for family, text in zip(["forces", "attentes", "contributions"], texts, strict=True):
        expect(board.locator(f'[data-cards-family="{family}"] .card-text')).to_have_text([text])
    expect(board.locator(".board-card")).to_have_count(3)
    expect(board.locator("#total-cards")).to_have_text("3")
    assert sorted(server_texts(live_server, created)) == sorted(texts)

    # A reload sends nothing again: the outbox is empty, the cards are the phone's own.
    phone.reload()
    expect(phone.locator("body")).to_have_attribute("data-connection", "connected")
    expect(phone.locator("#cards li[data-card-id] .card-state.sent")).to_have_count(3)
    expect(phone.locator("#cards li.is-pending")).to_have_count(0)
    assert sorted(server_texts(live_server, created)) == sorted(texts)


def delete_workshop(server, code):
    response = requests.delete(
        f"{server.url}/api/workshops/{code}",
        headers={"Authorization": f"Bearer {server.key}"},
        timeout=ACK_TIMEOUT,
    )
    assert response.status_code == 204, response.text


def assert_ended(page, code):
    expect(page.locator("body")).to_have_attribute("data-connection", "ended")
    notice = page.locator("#workshop-ended")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice.locator("h1")).to_have_text("Cet atelier a été supprimé")
    expect(notice).to_contain_text("Merci de votre participation")
    expect(page.locator("#status")).to_have_text("Atelier supprimé")
    # The cards are gone from the screen, and the page no longer tries to reconnect.
    for gone in (".board-card", "#cards li", "#card-form", "#join-form"):
        for index in range(page.locator(gone).count()):
            expect(page.locator(gone).nth(index)).to_be_hidden()
    assert page.evaluate("Live.current.socket.connected === false && Live.current.socket.active === false")
    kept = page.evaluate(f"Object.keys(localStorage).filter(k => k.indexOf('facilitator:{code}:') === 0)")
    assert kept == [], f"the page kept {kept}"


def test_pages_say_the_workshop_was_deleted_and_stop(live_server, open_context):
    created = live_server.create_workshop(groups=2)
    code = created["code"]
    open_context.watch.allow(OFFLINE_NOISE)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    facilitator = open_context(**PROJECTOR).new_page()
    facilitator.goto(created["facilitator_url"])
    online = open_context(**PHONE).new_page()
    join_phone(online, created["groups"][0]["join_url"], "Paul", "ADT")
    type_card(online, "forces", "Une carte qui va disparaître")
    expect(board.locator(".board-card")).to_have_count(1)
    # A second phone is offline when the workshop is deleted, with a card waiting to be sent.
    away_context = open_context(**PHONE)
    away = away_context.new_page()
    join_phone(away, created["groups"][1]["join_url"], "Chloé", "RT")
    away_context.set_offline(True)
    expect(away.locator("body")).to_have_attribute("data-connection", "offline")
    type_card(away, "attentes", "Écrite dans le tunnel")
    expect(away.locator("#cards li.is-pending")).to_have_count(1)

    delete_workshop(live_server, code)
    for page in (board, facilitator, online):
        assert_ended(page, code)
    shoot(online, "phone-workshop-deleted")
    shoot(board, "projector-workshop-deleted")
    # Still ended a while later: no reconnection brought anything back.
    time.sleep(3)
    assert_ended(board, code)

    away_context.set_offline(False)
    assert_ended(away, code)
