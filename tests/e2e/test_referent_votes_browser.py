"""The référent console follows the table's vote live in a real browser: phones put dots on cards and
on a theme, and the référent's tablet (800×1280) shows each card's and the theme's total change
without a reload — the theme's total in its title row, apart from its cards' own totals. Screenshot
at tablet size."""

import re

import pytest
from phones import connected, join, post
from test_browser import SCREENSHOTS, TABLET

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"referent-votes-{name}.png"), full_page=True)


def phone_card(page, text):
    return page.locator(".phone-card[data-card-id]", has_text=text)


def console_card(page, text):
    return page.locator("#cards li.ref-card[data-card-id]", has_text=text)


def test_the_referent_sees_the_dot_totals_change_live(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    paul = join(open_context, table["join_url"], "Paul")
    post(lea, "Des équipes d’accueil fidèles")
    post(paul, "Un accueil trop court le dimanche")
    post(paul, "Une marque régionale forte")
    ids = [int(phone_card(lea, text).get_attribute("data-card-id")) for text in ("équipes", "dimanche")]
    helper = connect(live_server, "référent (script)")
    helper.join(code=created["code"], role="referent", token=table["referent_token"])
    theme = helper.call("theme:create", {"title": "L’accueil", "cards": ids})
    assert theme["ok"], theme
    theme_id = theme["theme"]["id"]

    referent = open_context(**TABLET).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    referent.evaluate("window.notReloaded = true")
    brand = console_card(referent, "marque")
    in_theme = console_card(referent, "équipes")
    theme_head = referent.locator(f'.theme-head[data-theme-id="{theme_id}"]')
    # Free mode votes at the tables: every card and the theme show their total, 0 to start with;
    # the référent has no (+)/(−) and no budget of its own.
    expect(referent.locator("#cards .vote-row")).to_have_count(4)
    expect(brand.locator(".vote-total")).to_have_text("0 gommette")
    expect(theme_head.locator(".vote-total")).to_have_text("0 gommette")
    expect(referent.locator(".vote-button")).to_have_count(0)
    expect(referent.locator("#vote-budget")).to_be_hidden()

    # Dots on a card, on the theme, on a card of the theme: each total moves on its own.
    phone_card(lea, "marque").locator(".vote-plus").click()
    expect(brand.locator(".vote-total")).to_have_text("1 gommette")
    phone_card(paul, "marque").locator(".vote-plus").click()
    expect(brand.locator(".vote-total")).to_have_text("2 gommettes")
    paul.locator(f'.phone-theme-head[data-theme-id="{theme_id}"] .vote-plus').click()
    expect(theme_head.locator(".vote-total")).to_have_text("1 gommette")
    expect(in_theme.locator(".vote-total")).to_have_text("0 gommette")
    phone_card(lea, "équipes").locator(".vote-plus").click()
    expect(in_theme.locator(".vote-total")).to_have_text("1 gommette")
    expect(theme_head.locator(".vote-total")).to_have_text("1 gommette")
    expect(theme_head.locator(".vote-row")).to_have_count(1)
    # A dot taken back: the total drops.
    phone_card(paul, "marque").locator(".vote-minus").click()
    expect(brand.locator(".vote-total")).to_have_text("1 gommette")

    # Moderation redraws the console: the totals stay on the cards.
    brand.get_by_role("button", name="Masquer").click()
    expect(brand).to_have_class(re.compile("is-hidden"))
    expect(brand.locator(".vote-total")).to_have_text("1 gommette")
    brand.get_by_role("button", name="Rétablir").click()
    expect(referent.locator("#cards .vote-row")).to_have_count(4)
    assert referent.evaluate("window.notReloaded === true"), "the console was not reloaded"
    shot(referent, "tablet")
