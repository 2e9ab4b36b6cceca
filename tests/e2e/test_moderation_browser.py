"""Moderation that holds, in real browsers (issue 16): the référent chooses which card a merge keeps,
confirms, and undoes it — the cards, their dots and their place come back on the console, the board
and the phones. Console at 1366×768; screenshots of the chooser and of the undo bar."""

import re

import pytest
from phones import connected, join, post
from test_browser import PHONE, PROJECTOR, SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def shot(page, name, full_page=False):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"moderation-{name}.png"), full_page=full_page)


def console_card(page, text):
    return page.locator("#cards li.ref-card[data-card-id]", has_text=text)


def test_the_referent_chooses_the_kept_card_then_undoes_the_merge(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)
    lea = join(open_context, table["join_url"], "Léa")
    paul = join(open_context, table["join_url"], "Paul")
    post(lea, "Parking trop petit")
    post(paul, "Le parking est trop petit le matin, on tourne 20 minutes")
    # Léa puts a dot on her own card, the one the merge will fold away.
    lea_card = lea.locator(".phone-card[data-card-id]", has_text="Parking trop petit")
    lea_card.locator(".vote-plus").click()
    expect(lea_card.locator(".vote-total")).to_have_text("1 gommette")

    referent = open_context(**LAPTOP).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    console_card(referent, "Parking trop petit").locator(".pick input").check()
    console_card(referent, "on tourne 20 minutes").locator(".pick input").check()
    referent.get_by_role("button", name="Fusionner").click()
    chooser = referent.locator("#merge-chooser")
    expect(chooser).to_be_visible()
    options = chooser.locator(".merge-option")
    expect(options).to_have_count(2)
    expect(options.nth(0).locator("input")).to_be_checked()  # the earliest card by default
    # Nothing happened yet: the merge waits for the confirmation.
    expect(board.locator("[data-card-id]", has_text="Parking trop petit")).to_have_count(1)
    options.nth(1).click()  # keep Paul's, more precise text
    expect(options.nth(1).locator("input")).to_be_checked()
    shot(referent, "merge-chooser-1366")
    referent.get_by_role("button", name="Fusionner les 2 cartes").click()

    kept = console_card(referent, "on tourne 20 minutes")
    expect(kept.locator(".merged-list")).to_have_text(re.compile("Parking trop petit » — Léa"))
    expect(kept.locator(".vote-total")).to_have_text("1 gommette")  # Léa's dot followed the text
    expect(board.locator("[data-card-id]", has_text="Parking trop petit")).to_have_count(0)
    expect(lea.locator(".phone-card", has_text="Parking trop petit")).to_have_count(0)
    # Léa's phone knows her dot is on the kept card now: she can take it back from there.
    lea_kept = lea.locator(".phone-card[data-card-id]", has_text="on tourne 20 minutes")
    expect(lea_kept.locator(".vote-mine")).to_have_text("●")
    expect(lea_kept.locator(".vote-minus")).to_be_enabled()
    undo_bar = referent.locator("#undo-bar")
    expect(undo_bar).to_be_visible()
    expect(referent.locator("#undo-text")).to_have_text(re.compile("2 cartes fusionnées"))
    expect(referent.locator("#undo-merge")).to_be_focused()
    shot(referent, "merge-undo-1366")

    referent.locator("#undo-merge").click()
    expect(referent.locator("#undo-text")).to_have_text(re.compile("Fusion défaite"))
    expect(console_card(referent, "Parking trop petit")).to_have_count(1)
    expect(kept.locator(".merged-list")).to_have_count(0)
    expect(console_card(referent, "Parking trop petit").locator(".vote-total")).to_have_text("1 gommette")
    expect(kept.locator(".vote-total")).to_have_text("0 gommette")
    expect(board.locator("[data-card-id]", has_text="Parking trop petit")).to_have_count(1)
    back = lea.locator(".phone-card[data-card-id]", has_text="Parking trop petit")
    expect(back).to_have_count(1)
    expect(back.locator(".vote-total")).to_have_text("1 gommette")
    # Léa still has her dot on it: she can take it back.
    back.locator(".vote-minus").click()
    expect(back.locator(".vote-total")).to_have_text("0 gommette")

    # Merged again, then separated from the kept card itself (after a reload: from the server).
    console_card(referent, "Parking trop petit").locator(".pick input").check()
    console_card(referent, "on tourne 20 minutes").locator(".pick input").check()
    referent.get_by_role("button", name="Fusionner").click()
    referent.get_by_role("button", name="Fusionner les 2 cartes").click()
    forces = referent.locator(".family-section.family-forces li.ref-card[data-card-id]")
    expect(forces).to_have_count(1)  # the earliest text kept, this time
    referent.reload()
    connected(referent)
    expect(forces).to_have_count(1)
    forces.get_by_role("button", name="Séparer").click()
    expect(forces).to_have_count(2)
    expect(referent.get_by_role("button", name="Séparer")).to_have_count(0)
    expect(board.locator("[data-card-id]", has_text="on tourne 20 minutes")).to_have_count(1)
    shot(referent, "after-separate-1366", full_page=True)

    # The same chooser on a référent's phone (360 px): nothing wider than the screen.
    small = open_context(**PHONE).new_page()
    small.goto(table["referent_url"])
    connected(small)
    for text in ("Parking trop petit", "on tourne 20 minutes"):
        console_card(small, text).locator(".pick input").check()
    small.get_by_role("button", name="Fusionner").click()
    expect(small.locator("#merge-chooser")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    shot(small, "merge-chooser-360")


def test_the_referent_casts_the_dots_of_a_person_without_a_phone(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    post(lea, "Plus de navettes le week-end")
    post(lea, "Un guichet unique")

    referent = open_context(**LAPTOP).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    panel = referent.locator("#paper-voters")
    expect(panel).to_be_visible()  # free mode votes at the tables
    expect(referent.locator("#cards .vote-button")).to_have_count(0)
    referent.locator("#paper-name").fill("Marie")
    referent.get_by_role("button", name="Ajouter une personne sans téléphone").click()
    marie = panel.locator(".paper-person", has_text="Marie")
    expect(marie).to_have_attribute("aria-pressed", "true")  # the person added is the one voting
    expect(referent.locator("#paper-acting")).to_have_text(re.compile("Vous votez pour Marie"))
    shuttle = console_card(referent, "navettes")
    shuttle.locator(".vote-plus").click()
    expect(shuttle.locator(".vote-total")).to_have_text("1 gommette")
    shuttle.locator(".vote-plus").click()
    expect(shuttle.locator(".vote-total")).to_have_text("2 gommettes")
    expect(referent.locator("#vote-left")).to_have_text("Marie : il reste 1 gommette")
    expect(marie).to_contain_text("reste 1 gommette")
    shot(referent, "paper-votes-1366")
    shot(referent, "paper-votes-1366-page", full_page=True)
    # Léa's phone sees the total; her own budget is untouched.
    lea_card = lea.locator(".phone-card[data-card-id]", has_text="navettes")
    expect(lea_card.locator(".vote-total")).to_have_text("2 gommettes")
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 3 gommettes")
    shot(lea, "paper-votes-phone-360")

    # A second person, unnamed: numbered; Marie's dots stay hers.
    referent.get_by_role("button", name="Ajouter une personne sans téléphone").click()
    second = panel.locator(".paper-person", has_text="Personne sans téléphone 2")
    expect(second).to_have_attribute("aria-pressed", "true")
    expect(marie).to_have_attribute("aria-pressed", "false")
    expect(shuttle.locator(".vote-mine")).to_have_text("")
    expect(shuttle.locator(".vote-minus")).to_be_disabled()
    console_card(referent, "guichet").locator(".vote-plus").click()
    expect(console_card(referent, "guichet").locator(".vote-total")).to_have_text("1 gommette")
    referent.get_by_role("button", name="Terminé pour cette personne").click()
    expect(referent.locator("#cards .vote-button")).to_have_count(0)
    expect(referent.locator("#vote-budget")).to_be_hidden()

    # After a reload the people and their dots come from the server; Marie takes one back.
    referent.reload()
    connected(referent)
    expect(marie).to_contain_text("reste 1 gommette")
    marie.click()
    shuttle.locator(".vote-minus").click()
    expect(shuttle.locator(".vote-total")).to_have_text("1 gommette")
    expect(marie).to_contain_text("reste 2 gommettes")
    expect(lea_card.locator(".vote-total")).to_have_text("1 gommette")

    # The référent's phone (360 px): the people and the bar fit.
    small = open_context(**PHONE).new_page()
    small.goto(table["referent_url"])
    connected(small)
    small.locator("#paper-voters .paper-person", has_text="Marie").click()
    expect(small.locator("#vote-left")).to_have_text("Marie : il reste 2 gommettes")
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    small.locator("#paper-voters").scroll_into_view_if_needed()
    shot(small, "paper-votes-referent-360")


def post_in(page, family, text):
    page.locator(f".family-choice.family-{family}").click()
    post(page, text)


def test_a_theme_is_voted_and_kept_as_one_and_filed_under_the_family_chosen(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    post_in(lea, "forces", "Un accueil chaleureux")
    post_in(lea, "attentes", "Des horaires plus larges pour accueillir")
    post_in(lea, "attentes", "Une navette depuis la gare")

    referent = open_context(**LAPTOP).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    console_card(referent, "chaleureux").locator(".pick input").check()
    console_card(referent, "horaires").locator(".pick input").check()
    referent.locator("#theme-title").fill("Bien accueillir")
    referent.get_by_role("button", name="Créer un thème").click()
    theme = referent.locator(".theme-group", has_text="Bien accueillir")
    head = theme.locator(".theme-head")
    expect(head).to_have_attribute("data-family", "forces")  # its earliest card's
    family = head.get_by_label("Classé dans")
    expect(family).to_have_value("forces")

    # One row of dots per theme, on the phone and on the console.
    phone_theme = lea.locator(".phone-theme", has_text="Bien accueillir")
    expect(phone_theme.locator(".vote-row")).to_have_count(1)
    expect(phone_theme.locator(".phone-theme-head .vote-row")).to_have_count(1)
    expect(phone_theme.locator(".phone-card .vote-row")).to_have_count(0)
    phone_theme.locator(".vote-plus").click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    expect(theme.locator(".vote-row")).to_have_count(1)
    expect(head.locator(".vote-total")).to_have_text("1 gommette")
    shot(lea, "theme-one-row-phone-360", full_page=True)

    # Filed under « Attentes »: the theme's "Keep" keeps it there, next to a card of that family.
    family.select_option("attentes")
    expect(head).to_have_attribute("data-family", "attentes")
    head.get_by_role("button", name="Garder").click()
    console_card(referent, "navette").get_by_role("button", name="Garder").click()
    kept = referent.locator('#essentials-families [data-family="attentes"] li.essential')
    expect(kept).to_have_count(2)
    expect(kept.nth(0)).to_contain_text("Thème · Bien accueillir")
    expect(kept.nth(1)).to_contain_text("navette")
    expect(head.locator(".keep-button")).to_have_attribute("aria-pressed", "true")
    # ↑ / ↓ / ✕ on the theme like on a card.
    kept.nth(1).get_by_role("button", name="Monter").click()
    expect(kept.nth(0)).to_contain_text("navette")
    expect(kept.nth(1)).to_contain_text("Bien accueillir")
    referent.locator("#essentials-panel").scroll_into_view_if_needed()
    shot(referent, "theme-essentials-1366")
    kept.nth(1).get_by_role("button", name="Retirer de l’essentiel").click()
    expect(kept).to_have_count(1)
    expect(head.locator(".keep-button")).to_have_attribute("aria-pressed", "false")
    shot(referent, "theme-head-1366-page", full_page=True)
