"""The participant's phone (360×740) through the run sheet, step by step: what a participant notices.

- a step that opens no family folds the composer into one line, and a family opening unfolds it;
- a text typed but not sent survives the step closing and reopening, and a reload in between;
- outside the table vote, cards show their dots only when they have some, with no (+)/(−);
- the table vote has its big buttons, the plenary every table's essentials and the dots left in sight;
- the conclusion and the end thank people, with the table's essentials and the plenary's result.

Screenshots: test-artifacts/screenshots/phone-step-*.png (the viewport: what the phone shows)."""

import re

import pytest
from phones import connected, join
from test_browser import SCREENSHOTS

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DRAFT = "Un agenda partagé des animations, mis à jour par chaque office"
HEIGHT = 740


def shot(page, name, full=False):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-step-{name}.png"), full_page=full)


def card(page, text):
    return page.locator("#cards [data-card-id]", has_text=text)


def top_of(locator):
    return locator.bounding_box()["y"]


def test_a_phone_through_every_step(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2, vote_budget=3)
    code = created["code"]
    facilitator = connect(live_server, "facilitator")
    facilitator.join(code=code, role="facilitator", token=created["facilitator_token"])
    referents = []
    for number in (1, 2):
        referent = connect(live_server, f"référent {number}")
        referent.join(code=code, role="referent", token=created["groups"][number - 1]["referent_token"])
        referents.append(referent)
    zoe = connect(live_server, "Zoé, table 2")
    zoe.join(code=code, role="participant", group=2, name="Zoé")

    def step(event, payload=None, title=None):
        assert facilitator.call(event, payload or {})["ok"]
        if title:
            expect(lea.locator("#step-title")).to_have_text(title)

    lea = join(open_context, created["groups"][0]["join_url"], "Léa")
    # Free mode: the composer is open, the vote too (the brief's free mode).
    expect(lea.locator("#card-text")).to_be_visible()
    expect(lea.locator("#composer-closed")).to_be_hidden()

    # 1. Welcome: nothing to post. One line instead of the composer; the table's cards right below.
    step("step:start", title="Accueil et règles du jeu")
    expect(lea.locator("#card-text")).to_be_hidden()
    expect(lea.locator("#send-card")).to_be_hidden()
    expect(lea.locator(".family-choice")).to_have_count(4)
    expect(lea.locator(".family-choice").first).to_be_hidden()
    expect(lea.locator("#composer-closed")).to_have_text("Cartes fermées pour l’instant.")
    expect(lea.locator("#step-note")).to_have_text("Pas de carte à cette étape : écoutez l’animateur.")
    expect(lea.locator("#no-cards")).to_have_text("Aucune carte à cette table pour l’instant.")
    shot(lea, "01-welcome")
    # The table's cards start in the top two thirds (the whole composer pushed them to the fold).
    assert top_of(lea.locator("#no-cards")) < HEIGHT * 2 / 3
    expect(lea.locator("#phone-end")).to_be_hidden()

    # 2. Strengths and weaknesses: the composer comes back by itself, no reload.
    step("step:next", title="Forces et faiblesses")
    expect(lea.locator("#card-text")).to_be_visible()
    expect(lea.locator("#card-text")).to_be_enabled()
    expect(lea.locator("#composer-closed")).to_be_hidden()
    expect(lea.locator("#step-announce")).to_have_text(
        "Nouvelle étape : Forces et faiblesses. Cartes ouvertes : Forces, Faiblesses."
    )
    expect(lea.locator("#no-cards")).to_have_text("Aucune carte à cette table pour l’instant. Lancez-vous !")
    lea.locator("input[name=family][value=forces]").check()
    lea.locator("#card-text").fill("Des équipes d’accueil fidèles")
    lea.locator("#send-card").click()
    expect(card(lea, "équipes d’accueil")).to_have_count(1)
    forces_id = int(card(lea, "équipes d’accueil").get_attribute("data-card-id"))
    lea.locator("input[name=family][value=faiblesses]").check()
    lea.locator("#card-text").fill("Trop de brochures")
    lea.locator("#send-card").click()
    expect(card(lea, "brochures")).to_have_count(1)
    # Outside a vote: no dot buttons, and no count on cards without dots.
    expect(lea.locator("#cards .vote-button")).to_have_count(0)
    expect(lea.locator("#cards .vote-row")).to_have_count(0)
    expect(card(lea, "brochures").get_by_role("button", name="Modifier")).to_be_visible()
    # A silent step: my cards stay sealed, so they take no dot until the reveal.
    expect(card(lea, "brochures").locator(".card-state.sealed")).to_be_visible()
    assert facilitator.call("cards:reveal", {})["ok"]
    expect(lea.locator("#cards .card-state.sealed")).to_have_count(0)
    # A text being typed when the step closes…
    lea.locator("#card-text").fill(DRAFT)
    shot(lea, "02-open-typing")

    # 3. The table vote: the composer folds, says the text is kept; big (+)/(−) on every card.
    step("step:goto", {"position": 3}, title="Sélectionner l’essentiel")
    expect(lea.locator("#card-text")).to_be_hidden()
    expect(lea.locator("#composer-closed")).to_have_text(
        "Votre texte non envoyé est gardé : vous pourrez l’envoyer quand les cartes rouvriront."
    )
    expect(lea.locator("#composer-closed")).to_be_focused()  # the focus was in the text box
    expect(lea.locator("#step-note")).to_have_text("Pas de nouvelle carte à cette étape : place au vote.")
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 3 gommettes")
    plus = card(lea, "équipes d’accueil").locator(".vote-plus")
    for button in (plus, card(lea, "équipes d’accueil").locator(".vote-minus")):
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    expect(lea.locator("#cards .vote-plus")).to_have_count(2)
    # My cards' families are closed: no Edit / Delete the server would refuse.
    expect(lea.locator("#cards [data-action]")).to_have_count(0)
    plus.click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    shot(lea, "03-table-vote")

    # …is still there when a family opens again (no reload), in an open family.
    step("step:goto", {"position": 2}, title="Attentes et contributions")
    expect(lea.locator("#card-text")).to_be_visible()
    expect(lea.locator("#card-text")).to_have_value(DRAFT)
    expect(lea.locator("input[name=family][value=attentes]")).to_be_checked()
    # Outside the vote the card with a dot shows its count, without buttons; the other shows nothing.
    expect(lea.locator("#cards .vote-button")).to_have_count(0)
    expect(card(lea, "équipes d’accueil").locator(".vote-row .vote-total")).to_have_text("1 gommette")
    expect(card(lea, "brochures").locator(".vote-row")).to_have_count(0)
    shot(lea, "04-reopened")
    # Closed again, and the phone reloads (an old phone dropped the tab): the text survives that too.
    step("step:goto", {"position": 3}, title="Sélectionner l’essentiel")
    expect(lea.locator("#card-text")).to_be_hidden()
    lea.reload()
    connected(lea)
    expect(lea.locator("#composer-closed")).to_have_text(re.compile("Votre texte non envoyé est gardé"))
    step("step:goto", {"position": 2}, title="Attentes et contributions")
    expect(lea.locator("#card-text")).to_have_value(DRAFT)
    lea.locator("#send-card").click()
    expect(card(lea, DRAFT)).to_have_count(1)
    expect(lea.locator("#card-text")).to_have_value("")

    # The référents keep their essentials; table 2 has one too.
    zoe_card = zoe.post("attentes", "Une marque régionale forte")["card"]
    assert referents[0].call("essentials:set", {"family": "forces", "card_ids": [forces_id]})["ok"]
    assert referents[1].call("essentials:set", {"family": "attentes", "card_ids": [zoe_card["id"]]})["ok"]

    # 4. Plenary: every table's essentials, the dots left in sight, nothing to post, no table buttons.
    step("step:goto", {"position": 4}, title="Restitution en plénière")
    expect(lea.locator("#card-text")).to_be_hidden()
    expect(lea.locator(".plenary-card")).to_have_count(2)
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 3 gommettes")
    left = lea.locator("#vote-budget").bounding_box()
    assert left["y"] + left["height"] <= HEIGHT + 1, "the dots left stay on screen"
    assert top_of(lea.locator(".plenary-card").first) < HEIGHT, "the first essential is on the first screen"
    expect(lea.locator("#cards .vote-button")).to_have_count(0)
    lea.locator(".plenary-card", has_text="marque régionale").locator(".vote-plus").click()
    expect(lea.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    shot(lea, "05-plenary")
    assert zoe.call("vote:cast", {"card_id": zoe_card["id"], "delta": 1})["ok"]
    assert zoe.call("vote:cast", {"card_id": forces_id, "delta": 1})["ok"]

    # 5. Conclusion: « Merci ! » at the top, the table's essentials, the plenary's result.
    step("step:goto", {"position": 6}, title="Conclusion")
    end = lea.locator("#phone-end")
    expect(end).to_be_visible()
    expect(end.locator("h2")).to_have_text("Merci !")
    expect(lea.locator("#phone-end-essentials .card-text")).to_have_text(["Des équipes d’accueil fidèles"])
    expect(lea.locator("#phone-end-plenary-list .card-text")).to_have_text(
        ["Une marque régionale forte", "Des équipes d’accueil fidèles"]
    )
    expect(lea.locator("#phone-end-plenary-list .phone-end-meta")).to_have_text(
        ["Table 2 · 2 gommettes", "Table 1 (votre table) · 1 gommette"]
    )
    expect(lea.locator("#phone-end-over")).to_be_hidden()
    expect(lea.locator("#step-announce")).to_have_text(re.compile(r"L’atelier est terminé\s:\smerci"))
    assert top_of(end) < 200, "the thank-you is at the top"
    expect(lea.locator("#cards .vote-button")).to_have_count(0)
    expect(card(lea, "équipes d’accueil").locator(".vote-total")).to_have_text("1 gommette")
    shot(lea, "06-conclusion")
    shot(lea, "06-conclusion-full", full=True)

    # 6. Ended, and a phone that reloads then: the same thank-you, from the server.
    step("step:end")
    expect(lea.locator("#phone-end-over")).to_have_text("L’atelier est terminé.")
    lea.reload()
    connected(lea)
    expect(lea.locator("#phone-end-plenary-list .card-text")).to_have_count(2)
    expect(lea.locator("#phone-end-essentials .card-text")).to_have_text(["Des équipes d’accueil fidèles"])
    expect(lea.locator("#card-text")).to_be_hidden()
    shot(lea, "07-ended")
