"""The action plan in real browsers (issue 14): at the « Plan d'action » step a référent at phone size
builds two actions from the table's essentials, a participant volunteers (with an e-mail and the consent
line, the workshop allowing it), another table's phone sees none of them; the facilitator at projector
size groups them into an axis and projects the plan, which the board shows live. Screenshots of the
phone, the référent, the console and the board in /tmp/shots-i14live/."""

from pathlib import Path

import pytest
from phones import connected, join, post
from test_accessibility import REPORTS, Audit
from test_browser import PHONE, PROJECTOR

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SHOTS = Path("/tmp/shots-i14live")


def shot(page, name, full=False):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"plan-{name}.png"), full_page=full)


def ask(page, event, payload):
    """One request through the page's own socket, answered with its ack."""
    return page.evaluate(
        """([event, payload]) => new Promise((resolve) =>
             Live.current.request(event, payload, (err, reply) => resolve(err ? {error: String(err)} : reply)))""",
        [event, payload],
    )


@pytest.fixture
def audit():
    """axe-core and the 44 px check (tests/e2e/test_accessibility.py) on the plan's pages."""
    checks = Audit(REPORTS / "accessibility-plan.txt")
    yield checks
    checks.check()


def test_a_table_builds_its_plan_phones_volunteer_and_the_board_shows_the_axes(
    live_server, open_context, audit
):
    created = live_server.create_workshop(groups=2)
    table = created["groups"][0]
    lea = join(open_context, table["join_url"], "Léa")
    post(lea, "Former les professionnels au numérique")
    post(lea, "Un calendrier commun des événements")
    zoe = join(open_context, created["groups"][1]["join_url"], "Zoé")
    referent = open_context(**PHONE).new_page()
    referent.goto(table["referent_url"])
    connected(referent)
    ids = [
        int(i)
        for i in lea.locator(".phone-card[data-card-id]").evaluate_all(
            "cards => cards.map(c => c.dataset.cardId)"
        )
    ]
    assert ask(referent, "essentials:set", {"family": "forces", "card_ids": ids})["ok"]
    facilitator = open_context(**PROJECTOR).new_page()
    facilitator.goto(created["facilitator_url"])
    connected(facilitator)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)

    # The facilitator runs the agenda to the « Plan d'action » step.
    plan_step = 5  # accueil, forces-faiblesses, attentes-contributions, essentiel, pleniere, plan, conclusion
    assert ask(facilitator, "step:start", {})["ok"]
    assert ask(facilitator, "step:goto", {"position": plan_step})["ok"]
    for page in (lea, referent, zoe):
        expect(page.locator("#step-title")).to_have_text("Plan d’action")
    expect(lea.locator("#step-note")).to_contain_text("les actions de votre table sont ci-dessous")
    # The console opens its plan view with the step; the facilitator lets volunteers leave an e-mail.
    expect(facilitator.locator("#plan-console")).to_be_visible()
    facilitator.get_by_label("Les volontaires peuvent laisser un e-mail").check()
    expect(lea.locator("#plan-contact")).to_be_visible()

    # The référent turns each essential into an action.
    panel = referent.locator("#plan-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".plan-essential")).to_have_count(2)
    panel.locator(".plan-essential", has_text="numérique").get_by_role(
        "button", name="Créer une action"
    ).click()
    expect(referent.get_by_label("Titre de l’action")).to_have_value("Former les professionnels au numérique")
    referent.get_by_label("Porteur").fill("CRTL")
    referent.get_by_label("Partenaires").fill("ADT du Gard, CCI")
    referent.locator("#plan-due").fill("2027-03")
    referent.get_by_label("Première étape").fill("Recenser les offices volontaires")
    referent.get_by_label("Indicateur de réussite").fill("20 structures formées")
    shot(referent, "referent-360-form", full=True)
    audit(referent, "plan-referent-form", touch=True)
    referent.get_by_role("button", name="Enregistrer l’action").click()
    expect(panel.locator(".plan-action")).to_have_count(1)
    action = panel.locator(".plan-action").first
    expect(action).to_contain_text("Porteur : CRTL")
    expect(action).to_contain_text("Échéance : mars 2027")
    expect(action).to_contain_text("« Former les professionnels au numérique »")  # the card it comes from
    expect(panel.locator(".plan-essential", has_text="numérique").locator(".plan-done")).to_have_text(
        "✓ Action créée"
    )
    panel.locator(".plan-essential", has_text="calendrier").get_by_role(
        "button", name="Créer une action"
    ).click()
    referent.get_by_label("Une date").check()
    referent.locator("#plan-due").fill("2027-06-15")
    referent.get_by_label("Porteur").fill("ADT du Gard")
    referent.get_by_role("button", name="Enregistrer l’action").click()
    expect(panel.locator(".plan-action")).to_have_count(2)
    expect(panel.locator(".plan-action").nth(1)).to_contain_text("Échéance : 15 juin 2027")

    # The phone of the table: its two actions, « Je m'engage » with an e-mail and the consent ticked.
    phone_panel = lea.locator("#plan-panel")
    expect(phone_panel.locator(".plan-action")).to_have_count(2)
    lea.get_by_label("Votre e-mail pour le suivi").fill("lea@example.org")
    lea.locator("#plan-consent").check()
    phone_panel.locator(".plan-action").first.get_by_role("button", name="Je m’engage").click()
    expect(phone_panel.locator(".plan-action.is-engaged")).to_have_count(1)
    expect(phone_panel.locator(".plan-action").first).to_contain_text("1 engagé")
    shot(lea, "phone-360", full=True)
    audit(lea, "plan-phone", touch=True)
    # Another table's phone sees none of them; the référent sees who volunteered.
    expect(zoe.locator("#plan-panel .plan-action")).to_have_count(0)
    expect(action.locator(".plan-volunteers")).to_have_text("1 engagé : Léa (e-mail laissé)")
    shot(referent, "referent-360", full=True)
    audit(referent, "plan-referent", touch=True)

    # In plenary the facilitator groups them under an axis, then projects the plan.
    console = facilitator.locator("#plan-console")
    expect(console.locator(".plan-console-action")).to_have_count(2)
    facilitator.get_by_label("Nouvel axe").fill("Axe 1 : Former et outiller les professionnels")
    console.get_by_role("button", name="Ajouter l’axe").click()
    expect(console.locator(".plan-axis[data-axis-id]")).to_have_count(1)
    for title in ("Former les professionnels au numérique", "Un calendrier commun des événements"):
        console.get_by_label(f"Axe de « {title} »").select_option(
            label="Axe 1 : Former et outiller les professionnels"
        )
        expect(
            console.locator(".plan-axis[data-axis-id] .plan-console-action", has_text=title)
        ).to_have_count(1)
    console.get_by_role("button", name="Projeter le plan").click()
    expect(console.locator("#plan-console-note")).to_have_text("Le plan est à l’écran.")
    console.scroll_into_view_if_needed()
    shot(facilitator, "console-1920", full=True)
    audit(facilitator, "plan-console")
    facilitator.set_viewport_size({"width": 1366, "height": 768})  # a laptop
    shot(facilitator, "console-1366", full=True)
    facilitator.set_viewport_size(PROJECTOR["viewport"])

    plan = board.locator("#plan-board")
    expect(plan).to_be_visible()
    expect(plan.locator("#plan-board-title")).to_have_text("Axe 1 : Former et outiller les professionnels")
    expect(plan.locator(".plan-board-action")).to_have_count(2)
    expect(plan.locator(".plan-board-action").first).to_contain_text("1 engagé")
    expect(plan.locator(".plan-board-action").nth(1)).to_contain_text("0 engagé")
    # Live: a rename in the console reaches the board at once.
    facilitator.get_by_label("Titre de l’axe 1").fill("Axe 1 : Former les professionnels")
    console.get_by_role("button", name="Renommer").click()
    expect(plan.locator("#plan-board-title")).to_have_text("Axe 1 : Former les professionnels")
    shot(board, "board-1920")
    audit(board, "plan-board")
    # A second axis: the board shows one axis a page, the arrow keys go from one to the next.
    facilitator.get_by_label("Nouvel axe").fill("Axe 2 : Mieux se coordonner")
    console.get_by_role("button", name="Ajouter l’axe").click()
    calendar = "Un calendrier commun des événements"
    console.get_by_label(f"Axe de « {calendar} »").select_option(label="Axe 2 : Mieux se coordonner")
    expect(plan.locator("#plan-board-page")).to_have_text("Axe 1 / 2")
    expect(plan.locator(".plan-board-action")).to_have_count(1)
    board.keyboard.press("ArrowRight")
    expect(plan.locator("#plan-board-title")).to_have_text("Axe 2 : Mieux se coordonner")
    expect(plan.locator(".plan-board-action")).to_have_text(
        calendar + "Porteur : ADT du Gard · Échéance : 15 juin 2027Table 1 · 0 engagé"
    )
    board.keyboard.press("ArrowLeft")
    expect(plan.locator("#plan-board-title")).to_have_text("Axe 1 : Former les professionnels")

    # Reloaded, the board comes back on the plan and the console on its plan view.
    board.reload()
    connected(board)
    expect(plan.locator("#plan-board-title")).to_have_text("Axe 1 : Former les professionnels")
    facilitator.reload()
    connected(facilitator)
    expect(console.locator(".plan-axis[data-axis-id]")).to_have_count(2)
