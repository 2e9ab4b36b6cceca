"""Dot voting in real browsers: two phones of one table vote, each sees the dots it has left, the (+) stops
at 0, a dot taken back is free again, and the counts move live on the other phone; the référent keeps
the most voted cards as the table's essentials. Screenshots at phone size (360×740)."""

import pytest
from phones import connected, join, post
from test_browser import PHONE, SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"votes-{name}.png"))


def card(page, text):
    return page.locator(".phone-card[data-card-id]", has_text=text)


def test_two_phones_vote_within_their_budget_and_see_live_counts(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    paul = join(open_context, table["join_url"], "Paul")
    post(lea, "Des équipes d’accueil fidèles")
    post(paul, "Une marque régionale forte")
    for page in (lea, paul):
        expect(page.locator(".vote-row")).to_have_count(2)

    # Free mode votes at the tables: the budget is in sight.
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 3 gommettes")
    first = card(lea, "équipes").locator(".vote-plus")
    first.click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    # Live on the other phone: the total moves, Paul's own budget does not.
    expect(card(paul, "équipes").locator(".vote-total")).to_have_text("1 gommette")
    expect(paul.locator("#vote-left")).to_have_text("Il vous reste 3 gommettes")

    first.click()
    card(lea, "marque").locator(".vote-plus").click()
    expect(lea.locator("#vote-left")).to_have_text("Plus de gommette : retirez-en une pour la déplacer")
    expect(card(lea, "équipes").locator(".vote-mine")).to_have_text("●●")
    # At 0 every (+) is disabled; the server would refuse anyway.
    expect(lea.locator(".vote-plus:enabled")).to_have_count(0)
    expect(card(paul, "équipes").locator(".vote-total")).to_have_text("2 gommettes")
    expect(card(paul, "marque").locator(".vote-total")).to_have_text("1 gommette")
    shot(lea, "phone-no-dots-left")

    # A dot taken back is free again and the other phone sees the total drop.
    card(lea, "marque").locator(".vote-minus").click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 1 gommette")
    expect(card(paul, "marque").locator(".vote-total")).to_have_text("0 gommette")
    card(paul, "marque").locator(".vote-plus").click()
    expect(card(lea, "marque").locator(".vote-total")).to_have_text("1 gommette")
    shot(paul, "phone-voting")

    # A reload keeps my dots and my budget (from the server, not from the page).
    lea.reload()
    connected(lea)
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 1 gommette")
    expect(card(lea, "équipes").locator(".vote-mine")).to_have_text("●●")


def test_the_referent_takes_the_essentials_from_the_vote(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    paul = join(open_context, table["join_url"], "Paul")
    post(lea, "Des équipes d’accueil fidèles")
    post(paul, "Une marque régionale forte")
    card(lea, "équipes").locator(".vote-plus").click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    card(paul, "équipes").locator(".vote-plus").click()
    expect(paul.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    card(paul, "marque").locator(".vote-plus").click()
    expect(card(lea, "marque").locator(".vote-total")).to_have_text("1 gommette")

    # The most voted card first; the référent does not vote.
    referent = open_context(**PHONE).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    expect(referent.locator("#essentials-panel")).to_be_visible()
    on_console = referent.locator("#cards [data-card-id]", has_text="équipes")
    expect(on_console.locator(".keep-button")).to_have_attribute("aria-pressed", "false")
    expect(referent.locator(".vote-plus")).to_have_count(0)
    referent.get_by_role("button", name="Reprendre le résultat du vote").click()
    forces = referent.locator(".essentials-family[data-family=forces] .essential-text")
    expect(forces).to_have_text(["Des équipes d’accueil fidèles", "Une marque régionale forte"])
    expect(on_console.locator(".keep-button")).to_have_attribute("aria-pressed", "true")
    referent.locator("#essentials-panel").scroll_into_view_if_needed()
    shot(referent, "referent-essentials")


def test_phones_vote_in_plenary_on_every_tables_essentials(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2, vote_budget=2)
    lea = join(open_context, created["groups"][0]["join_url"], "Léa")
    zoe = join(open_context, created["groups"][1]["join_url"], "Zoé")
    post(lea, "Un accueil commun aux OT")
    post(zoe, "Une centrale de réservation")
    for number, text in ((1, "accueil commun"), (2, "centrale")):
        referent = connect(live_server, f"référent {number}")
        referent.join(
            code=created["code"], role="referent", token=created["groups"][number - 1]["referent_token"]
        )
        page = lea if number == 1 else zoe
        card_id = int(card(page, text).get_attribute("data-card-id"))
        assert referent.call("essentials:set", {"family": "forces", "card_ids": [card_id]})["ok"]
    facilitator = connect(live_server, "facilitator")
    facilitator.join(code=created["code"], role="facilitator", token=created["facilitator_token"])
    assert facilitator.call("step:start", {})["ok"]
    assert facilitator.call("step:goto", {"position": 4})["ok"]  # restitution en plénière

    for page in (lea, zoe):
        expect(page.locator("#plenary-vote")).to_be_visible()
        expect(page.locator(".plenary-card")).to_have_count(2)
        expect(page.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    # Léa votes on table 2's essential; Zoé, at table 2, sees it live.
    lea.locator(".plenary-card", has_text="centrale").locator(".vote-plus").click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 1 gommette")
    expect(zoe.locator(".plenary-card", has_text="centrale").locator(".vote-total")).to_have_text(
        "1 gommette"
    )
    # The table's own cards take no more dots in plenary.
    expect(lea.locator("#cards .vote-plus:enabled")).to_have_count(0)
    shot(lea, "phone-plenary")
