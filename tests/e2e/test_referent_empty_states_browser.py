"""The référent console's empty families say what is true (issue 16, small ones): during the silent
step « Les cartes de la table arrivent à la fin du temps silencieux — 2 cartes écrites », after
grouping « Toutes les cartes sont dans des thèmes », and « Pas encore de carte » only when none."""

import pytest
from phones import connected
from test_browser import PHONE, SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SILENT = 1  # the default agenda's second step, « Forces et faiblesses », seals its cards


def empty_line(page, family):
    return page.locator(f"section.family-section.family-{family} li.empty")


def test_an_empty_family_says_why_it_is_empty(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2)
    code = created["code"]
    facilitator = connect(live_server, "facilitator")
    assert facilitator.call(
        "join", {"code": code, "role": "facilitator", "token": created["facilitator_token"]}
    )["ok"]
    assert facilitator.call("step:start", {})["ok"]
    assert facilitator.call("step:goto", {"position": SILENT})["ok"]
    phone = connect(live_server, "phone")
    phone.join(code=code, role="participant", group=1, name="Léa")
    assert phone.post("forces", "Des thermes reconnus")["ok"]

    page = open_context(**PHONE).new_page()
    page.goto(created["groups"][0]["referent_url"])
    connected(page)
    silent = "Les cartes de la table arrivent à la fin du temps silencieux — {} écrite{}"
    expect(empty_line(page, "forces")).to_have_text(silent.format("1 carte", ""))
    assert phone.post("forces", "Une offre bien-être")["ok"]  # live: the count follows
    expect(empty_line(page, "forces")).to_have_text(silent.format("2 cartes", "s"))
    expect(empty_line(page, "faiblesses")).to_have_text("Pas encore de carte")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "referent-empty-silent.png"), full_page=True)

    assert facilitator.call("cards:reveal", {})["ok"]
    cards = page.locator("section.family-section.family-forces li.ref-card[data-card-id]")
    expect(cards).to_have_count(2)
    ids = [int(card.get_attribute("data-card-id")) for card in cards.all()]
    referent = connect(live_server, "référent")
    assert referent.call(
        "join", {"code": code, "role": "referent", "token": created["groups"][0]["referent_token"]}
    )["ok"]
    assert referent.call("theme:create", {"title": "L’offre thermale", "cards": ids})["ok"]
    expect(empty_line(page, "forces")).to_have_text("Toutes les cartes sont dans des thèmes")
    page.reload()  # the same from the snapshot
    connected(page)
    expect(empty_line(page, "forces")).to_have_text("Toutes les cartes sont dans des thèmes")
    page.screenshot(path=str(SCREENSHOTS / "referent-empty-themes.png"), full_page=True)
