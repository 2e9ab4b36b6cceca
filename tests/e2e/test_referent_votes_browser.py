"""The référent console in a real browser, as the table votes and as it hides a card: phones put dots on
cards and on a theme, and the référent's tablet (800×1280) shows each card's and the theme's total
change without a reload — the theme's total in its title row, its cards taking no dots of their own; a card
the référent hides never travels to the other phones nor the board again. Screenshots at tablet and
phone size."""

import re

import pytest
from phones import connected, join, post
from test_browser import PHONE, PROJECTOR, SCREENSHOTS, TABLET

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shot(page, name, full_page=True):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"referent-votes-{name}.png"), full_page=full_page)


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
    # One row per theme: the theme's cards take no dots of their own (issue 16).
    expect(referent.locator("#cards .vote-row")).to_have_count(2)
    expect(in_theme.locator(".vote-row")).to_have_count(0)
    expect(phone_card(lea, "équipes").locator(".vote-row")).to_have_count(0)
    expect(brand.locator(".vote-total")).to_have_text("0 gommette")
    expect(theme_head.locator(".vote-total")).to_have_text("0 gommette")
    expect(referent.locator(".vote-button")).to_have_count(0)
    expect(referent.locator("#vote-budget")).to_be_hidden()

    # Dots on a card and on the theme: each total moves on its own.
    phone_card(lea, "marque").locator(".vote-plus").click()
    expect(brand.locator(".vote-total")).to_have_text("1 gommette")
    phone_card(paul, "marque").locator(".vote-plus").click()
    expect(brand.locator(".vote-total")).to_have_text("2 gommettes")
    paul.locator(f'.phone-theme-head[data-theme-id="{theme_id}"] .vote-plus').click()
    expect(theme_head.locator(".vote-total")).to_have_text("1 gommette")
    lea.locator(f'.phone-theme-head[data-theme-id="{theme_id}"] .vote-plus').click()
    expect(theme_head.locator(".vote-total")).to_have_text("2 gommettes")
    expect(theme_head.locator(".vote-row")).to_have_count(1)
    # A dot taken back: the total drops.
    phone_card(paul, "marque").locator(".vote-minus").click()
    expect(brand.locator(".vote-total")).to_have_text("1 gommette")

    # Moderation redraws the console: the totals stay on the cards.
    brand.get_by_role("button", name="Masquer").click()
    expect(brand).to_have_class(re.compile("is-hidden"))
    expect(brand.locator(".vote-total")).to_have_text("1 gommette")
    brand.get_by_role("button", name="Rétablir").click()
    expect(referent.locator("#cards .vote-row")).to_have_count(2)
    assert referent.evaluate("window.notReloaded === true"), "the console was not reloaded"
    shot(referent, "tablet")


def test_a_hidden_card_never_reaches_the_other_phones_nor_the_board(live_server, open_context):
    """Over the real server: what the WebSockets of a neighbour's phone and of the board carry after the
    référent hides a card holds no word of it (live, after a reload); the author still sees it, marked."""
    created = live_server.create_workshop(groups=2)
    table = created["groups"][0]
    secret = "Le directeur ne sert a rien"  # ASCII: frames escape other characters
    frames = {"paul": [], "board": []}

    def watched(name, options, url):
        page = open_context(**options).new_page()
        page.on(
            "websocket", lambda ws: ws.on("framereceived", lambda payload: frames[name].append(str(payload)))
        )
        page.goto(url)
        return page

    lea = join(open_context, table["join_url"], "Lea")
    paul = watched("paul", PHONE, table["join_url"])
    paul.locator("#name").fill("Paul")
    paul.locator("#join-form [type=submit]").click()
    connected(paul)
    board = watched("board", PROJECTOR, created["board_url"])
    connected(board)
    post(lea, secret)
    expect(paul.locator(".phone-card", has_text=secret)).to_have_count(1)
    expect(board.locator("[data-card-id]", has_text=secret)).to_have_count(1)
    referent = open_context(**TABLET).new_page()
    referent.goto(table["referent_url"])
    connected(referent)

    seen = {name: len(received) for name, received in frames.items()}
    console_card(referent, secret).get_by_role("button", name="Masquer").click()
    expect(paul.locator(".phone-card", has_text=secret)).to_have_count(0)
    expect(board.locator("[data-card-id]", has_text=secret)).to_have_count(0)
    mine = lea.locator(".phone-card", has_text=secret)
    expect(mine).to_contain_text("Masquée par le référent")
    expect(mine.locator(".vote-row")).to_have_count(0)  # a hidden card takes no dots
    paul.reload()
    connected(paul)
    board.reload()
    connected(board)
    expect(paul.locator(".phone-card")).to_have_count(0)
    for name, received in frames.items():
        later = received[seen[name] :]
        assert any('"hidden"' in frame for frame in later), name  # it did hear of the card
        assert not any(secret in frame or "Lea" in frame for frame in later), name
    lea.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    shot(lea, "author-hidden-card", full_page=False)

    console_card(referent, secret).get_by_role("button", name="Rétablir").click()
    expect(paul.locator(".phone-card", has_text=secret)).to_have_count(1)
    expect(board.locator("[data-card-id]", has_text=secret)).to_have_count(1)
