"""What the browser tests do on a phone page again and again: wait for the connection, join a table,
post a card."""

from playwright.sync_api import expect
from test_browser import PHONE


def connected(page):
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")


def join(open_context, url, name):
    """Open the join URL on a phone-sized page, give a first name, join; return the page."""
    page = open_context(**PHONE).new_page()
    page.goto(url)
    page.locator("#name").fill(name)
    page.locator("#join-form [type=submit]").click()
    connected(page)
    return page


def post(page, text):
    """Send a card with the button and wait until the server acknowledged it."""
    page.locator("#card-text").fill(text)
    page.locator("#send-card").click()
    expect(page.locator(".phone-card[data-card-id]", has_text=text)).to_have_count(1)
    expect(page.locator(".phone-card.is-pending")).to_have_count(0)
