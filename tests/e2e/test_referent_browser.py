"""The référent console in real browsers: on a tablet a référent types a paper card, edits a phone's
card, merges two duplicates, makes a theme and marks the table ready; the phones and the projected
board follow live. The author edits their own card from the phone. Screenshots at phone (360×740),
tablet (800×1280) and projector size."""

import re

import pytest
from phones import connected, join
from test_browser import PHONE, PROJECTOR, SCREENSHOTS, TABLET

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"referent-{name}.png"), full_page=not name.startswith("board"))


def post(page, family, text):
    page.locator(f".family-choice.family-{family}").click()
    page.locator("#card-text").fill(text)
    page.locator("#send-card").click()
    expect(page.locator(".phone-card[data-card-id]", has_text=text)).to_have_count(1)


def console_card(page, text):
    return page.locator("#cards li.ref-card[data-card-id]", has_text=text)


def test_a_referent_moderates_the_table_and_the_board_follows(live_server, open_context):
    created = live_server.create_workshop(groups=2)
    table = created["groups"][0]
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)
    lea = join(open_context, table["join_url"], "Léa")
    paul = join(open_context, table["join_url"], "Paul")
    post(lea, "forces", "Des équipes fidèles")
    post(paul, "forces", "Équipes fidèles et motivées")
    post(lea, "attentes", "Mobilité douce")

    referent = open_context(**TABLET).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    expect(referent.locator("#presence-text")).to_have_text("2 personnes connectées")
    expect(console_card(referent, "Des équipes fidèles")).to_have_count(1)
    expect(referent.locator(".family-section.family-forces li[data-card-id]")).to_have_count(2)

    # A third phone arrives: the count follows.
    zoe = join(open_context, table["join_url"], "Zoé")
    expect(referent.locator("#presence-text")).to_have_text("3 personnes connectées")

    # A paper card, typed fast: family button, text, Enter.
    referent.locator(".family-choice.family-contributions").click()
    referent.locator("#card-text").fill("Prêter une salle pour les rencontres")
    referent.locator("#card-text").press("Enter")
    paper = console_card(referent, "Prêter une salle")
    expect(paper).to_have_count(1)
    expect(paper.locator(".card-meta")).to_contain_text("Carte papier")
    expect(referent.locator(".family-section.family-contributions li[data-card-id]")).to_have_count(1)
    expect(board.locator("[data-card-id]", has_text="Prêter une salle")).to_have_count(1)
    expect(zoe.locator(".phone-card", has_text="Prêter une salle")).to_have_count(1)

    # Edit a phone's card: the board and the author's phone show the new text.
    console_card(referent, "Des équipes fidèles").get_by_role("button", name="Modifier").click()
    editor = referent.locator("#cards textarea.edit-text")
    expect(editor).to_be_focused()
    editor.fill("Des équipes d’accueil fidèles")
    editor.press("Enter")
    expect(console_card(referent, "Des équipes d’accueil fidèles")).to_have_count(1)
    expect(board.locator("[data-card-id]", has_text="Des équipes d’accueil fidèles")).to_have_count(1)
    expect(lea.locator(".phone-card", has_text="Des équipes d’accueil fidèles")).to_have_count(1)

    # Merge the two duplicates: the earlier card keeps its text and lists the other.
    console_card(referent, "accueil fidèles").locator(".pick input").check()
    console_card(referent, "et motivées").locator(".pick input").check()
    expect(referent.locator("#selection-count")).to_have_text("2 cartes sélectionnées")
    shot(referent, "tablet-selection")
    referent.get_by_role("button", name="Fusionner").click()  # the chooser: the earliest text by default
    referent.get_by_role("button", name="Fusionner les 2 cartes").click()
    expect(console_card(referent, "et motivées")).to_have_count(1)  # listed in the provenance only
    kept = console_card(referent, "accueil fidèles")
    expect(kept.locator(".merged-list")).to_have_text(re.compile("Équipes fidèles et motivées » — Paul"))
    expect(referent.locator(".family-section.family-forces li[data-card-id]")).to_have_count(1)
    expect(board.locator("[data-card-id]", has_text="et motivées")).to_have_count(0)
    expect(paul.locator(".phone-card", has_text="et motivées")).to_have_count(0)

    # Hide and restore.
    mobility = console_card(referent, "Mobilité douce")
    mobility.get_by_role("button", name="Masquer").click()
    expect(mobility).to_have_class(re.compile("is-hidden"))
    expect(paul.locator(".phone-card", has_text="Mobilité douce")).to_have_count(0)
    expect(lea.locator(".phone-card", has_text="Mobilité douce")).to_contain_text("Masquée par le référent")
    mobility.get_by_role("button", name="Rétablir").click()
    expect(mobility).not_to_have_class(re.compile("is-hidden"))
    expect(paul.locator(".phone-card", has_text="Mobilité douce")).to_have_count(1)

    # The author edits their own card from the phone; the console follows.
    mine = lea.locator(".phone-card[data-card-id]", has_text="Mobilité douce")
    mine.get_by_role("button", name="Modifier").click()
    lea.locator(".phone-card textarea").fill("Mobilité douce entre les sites")
    lea.locator(".phone-card textarea").press("Enter")
    expect(console_card(referent, "Mobilité douce entre les sites")).to_have_count(1)
    expect(
        paul.locator(".phone-card", has_text="entre les sites").get_by_role("button", name="Modifier")
    ).to_have_count(0)
    shot(lea, "phone-own-card")

    # A theme from two cards of different families.
    console_card(referent, "accueil fidèles").locator(".pick input").check()
    console_card(referent, "entre les sites").locator(".pick input").check()
    referent.locator("#theme-title").fill("Accueil et mobilité")
    referent.get_by_role("button", name="Créer un thème").click()
    theme = referent.locator(".theme-group", has_text="Accueil et mobilité")
    expect(theme.locator("li[data-card-id]")).to_have_count(2)
    expect(referent.locator("#selection-bar")).to_be_hidden()
    theme.get_by_role("button", name="Renommer").click()
    referent.locator(".theme-rename input").fill("Bien accueillir")
    referent.locator(".theme-rename input").press("Enter")
    expect(referent.locator(".theme-group .theme-name")).to_have_text("Bien accueillir")

    # Table ready.
    ready = referent.locator("#ready-toggle")
    ready.click()
    expect(ready).to_have_attribute("aria-pressed", "true")
    expect(ready).to_have_text("Table prête ✓")
    shot(referent, "tablet")
    shot(board, "board")

    # A reload keeps everything (from the server).
    referent.reload()
    connected(referent)
    expect(referent.locator(".theme-group .theme-name")).to_have_text("Bien accueillir")
    expect(referent.locator("#ready-toggle")).to_have_attribute("aria-pressed", "true")
    expect(referent.locator("#presence-text")).to_have_text("3 personnes connectées")

    # The same console on a phone (360 px): nothing wider than the screen.
    small = open_context(**PHONE).new_page()
    small.goto(table["referent_url"])
    connected(small)
    expect(small.locator(".theme-group .theme-name")).to_have_text("Bien accueillir")
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    console_card(small, "Prêter une salle").locator(".pick input").check()
    shot(small, "phone")
