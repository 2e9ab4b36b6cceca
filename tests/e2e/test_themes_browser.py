"""Themes in real browsers: the référent groups cards under a title; the phones of the table show the
theme (its title, then its cards) live, vote on it with (+) like on a card, and the board tags each card
with its theme's title. Renaming and dissolving reach every page without a reload. Screenshots at phone
size (360×740) and projector size."""

import pytest
from phones import connected, join, post
from test_browser import PHONE, PROJECTOR, SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"themes-{name}.png"))


def card_id(page, text):
    return int(page.locator(".phone-card[data-card-id]", has_text=text).get_attribute("data-card-id"))


def ask(page, event, payload):
    """One request through the page's own socket (the référent console's), answered with its ack."""
    return page.evaluate(
        """([event, payload]) => new Promise((resolve) =>
             Live.current.request(event, payload, (err, reply) => resolve(err ? {error: String(err)} : reply)))""",
        [event, payload],
    )


def test_a_theme_reaches_the_phones_and_the_board_and_takes_dots(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    paul = join(open_context, table["join_url"], "Paul")
    post(lea, "Des équipes d’accueil fidèles")
    post(paul, "Un accueil trop court le dimanche")
    post(paul, "Une marque régionale forte")
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)
    expect(board.locator("[data-card-id]")).to_have_count(3)
    expect(board.locator(".theme-tag")).to_have_count(0)
    referent = open_context(**PHONE).new_page()
    referent.goto(table["referent_url"])
    connected(referent)

    ids = [card_id(lea, "équipes"), card_id(lea, "dimanche")]
    reply = ask(referent, "theme:create", {"title": "L’accueil", "cards": ids})
    assert reply["ok"], reply
    theme_id = reply["theme"]["id"]

    # Each phone of the table: the theme's title, then its two cards; the third card stays outside.
    for page in (lea, paul):
        group = page.locator("#cards .phone-theme")
        expect(group).to_have_count(1)
        expect(group.locator(".phone-theme-title")).to_have_text("Thème · L’accueil")
        expect(group.locator(".phone-card[data-card-id]")).to_have_count(2)
        expect(group.locator(".phone-card", has_text="marque")).to_have_count(0)
        expect(page.locator("#cards > .phone-card", has_text="marque")).to_have_count(1)
    # The board tags the theme's cards, and only them.
    expect(board.locator(f'[data-card-id="{ids[0]}"] .theme-tag')).to_have_text("L’accueil")
    expect(board.locator(f'[data-card-id="{ids[1]}"] .theme-tag')).to_have_text("L’accueil")
    expect(board.locator(".theme-tag")).to_have_count(2)

    # A dot on the theme itself: its own (+), the dots left drop, the other phone sees the total.
    head = lea.locator(f'.phone-theme-head[data-theme-id="{theme_id}"]')
    expect(head.locator(".vote-row")).to_have_attribute("data-target", f"theme:{theme_id}")
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 3 gommettes")
    head.locator(".vote-plus").click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    expect(head.locator(".vote-mine")).to_have_text("●")
    expect(paul.locator(".phone-theme-head .vote-total")).to_have_text("1 gommette")
    # The dot went to the theme, not to one of its cards.
    expect(lea.locator(".phone-theme .phone-card .vote-row[data-votes='1']")).to_have_count(0)
    lea.locator("#cards").scroll_into_view_if_needed()
    shot(lea, "phone-theme-voted")
    shot(board, "board-theme-tags")

    # After a reload the theme comes from the snapshot, with my dot.
    lea.reload()
    connected(lea)
    expect(lea.locator(".phone-theme-title")).to_have_text("Thème · L’accueil")
    expect(lea.locator(".phone-theme-head .vote-mine")).to_have_text("●")
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")

    # Renamed, then dissolved: live everywhere.
    assert ask(referent, "theme:rename", {"theme_id": theme_id, "title": "Accueil des visiteurs"})["ok"]
    expect(paul.locator(".phone-theme-title")).to_have_text("Thème · Accueil des visiteurs")
    expect(board.locator(".theme-tag").first).to_have_text("Accueil des visiteurs")
    assert ask(referent, "theme:dissolve", {"theme_id": theme_id})["ok"]
    for page in (lea, paul):
        expect(page.locator(".phone-theme")).to_have_count(0)
        expect(page.locator("#cards > .phone-card[data-card-id]")).to_have_count(3)
    expect(board.locator(".theme-tag")).to_have_count(0)
