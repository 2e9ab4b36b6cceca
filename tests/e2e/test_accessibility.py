"""Accessibility of every page people use, in French, in its real states and at its real size, plus
English on three pages: axe-core (the copy bundled in axe-playwright-python, injected by Playwright's
`page.evaluate`: nothing is fetched, the CSP does not apply) and, on touch screens, a 44 px check.

- entry (1280×800): home (join by code), not found, organiser sign-in, workshop form (empty, then
  refused with its errors), links page; home and sign-in in English;
- phone (360×740): table choice; a sealed card during a step hidden until the reveal; cards during a
  posting step (one of them mine) and my card's edit form; the table vote; the plenary vote; the
  thank-you at the conclusion; a phone in English with its table's cards;
- référent console (800×1280) during a posting step and during the vote (essentials);
- facilitator console: the agenda editor before the start (1280×800), then a running step at
  1280×800 and 1920×1080;
- the board (1920×1080): sealed cards, views all, one table, plenary, presentation, synthèse
  (projected themes);
- the Synthèse page (themes proposed) at 1280×800 and 360×740.

Fails on every axe violation of impact "serious" or "critical" (rule id, target, help, and what to
fix) and on every touch target under 44 × 44 px on phone-sized and tablet pages. "moderate" and
"minor" ones are written to test-artifacts/accessibility-<test>.txt (and printed), not failed: see
docs/decisions.md, "Accessibility". Screenshots: test-artifacts/screenshots/a11y-*.png."""

import re

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from harness import ACK_TIMEOUT, ROOT
from phones import connected
from test_browser import PHONE, PROJECTOR, SCREENSHOTS, TABLET

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPORTS = ROOT / "test-artifacts"
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
FAILING = ("serious", "critical")
BUILD = 240_000  # ms: the synthesis proposal loads spaCy in a subprocess
# Every rule axe has, WCAG 2.2's target size (24 px) too, best practices included; only the
# experimental ones are left out (axe's default).
OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}

CARDS = [
    (1, "attentes", "Une carte commune des itinéraires vélo"),
    (1, "contributions", "Nous prêtons nos salles pour les ateliers"),
    (2, "attentes", "Un site web unique pour la destination"),
    (2, "contributions", "Je peux former les équipes au numérique"),
    (3, "attentes", "Des navettes le week-end depuis la gare"),
    (3, "contributions", "Nous traduisons les brochures en anglais"),
]


# What a finger must hit on a phone or a tablet: the house rule is 44 × 44 CSS px (axe's target-size
# checks WCAG 2.2's 24 px only). A radio or a checkbox counts with its label (the label is the target);
# a field's own label, a link inside a sentence and what only scripts focus (tabindex -1) do not count.
SMALL_TARGETS = """() => {
  const small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const shown = (node) => {
    const box = node.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(node).visibility !== 'hidden';
  };
  const big = (box) => box.width >= 44 && box.height >= 44;
  for (const node of document.querySelectorAll(controls)) {
    if (node.disabled || !shown(node) || node.matches('.visually-hidden, .skip-link, label')) continue;
    if (node.matches('ol, ul, section, [role=dialog]')) continue;  // a scrollable list, not a target
    const box = node.getBoundingClientRect();
    if (big(box)) continue;
    if (node.labels && Array.from(node.labels).some((label) => big(label.getBoundingClientRect()))) continue;
    const parent = node.parentElement;
    if (node.matches('a') && parent && parent.textContent.trim() !== node.textContent.trim()
        && getComputedStyle(node).display === 'inline') continue;  // a link in a sentence
    const id = node.id ? '#' + node.id : (node.className ? '.' + String(node.className).trim().split(/ +/).join('.') : '');
    small.push(`${node.tagName.toLowerCase()}${id} (${Math.round(box.width)}×${Math.round(box.height)} px, ` +
               `"${(node.textContent || node.getAttribute('aria-label') || '').trim().slice(0, 30)}")`);
  }
  return small;
}"""


class Audit:
    """Run axe (and, on touch screens, the 44 px check) on pages; keep what they find, page by page."""

    def __init__(self, report):
        self.report = report
        self.axe = Axe()
        self.failures = []
        self.reported = []
        self.pages = []

    def __call__(self, page, name, touch=False):
        page.wait_for_load_state("load")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"a11y-{name}.png"))
        results = self.axe.run(page, options=OPTIONS).response
        self.pages.append(name)
        for violation in results["violations"]:
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                line = f"[{name}] {violation['id']} ({violation['impact']}) {target}: {violation['help']}"
                summary = " ".join(node.get("failureSummary", "").split())
                if summary:
                    line += f" — {summary[:300]}"
                (self.failures if violation["impact"] in FAILING else self.reported).append(line)
        if touch:
            for target in page.evaluate(SMALL_TARGETS):
                self.failures.append(f"[{name}] touch-target-44 {target}: a touch target is under 44 × 44 px")

    def check(self):
        self.report.parent.mkdir(parents=True, exist_ok=True)
        self.report.write_text(
            f"Pages checked: {', '.join(self.pages)}\n\nSerious or critical:\n"
            + "\n".join(self.failures or ["none"])
            + "\n\nModerate or minor (reported, not failed):\n"
            + "\n".join(self.reported or ["none"])
            + "\n"
        )
        if self.reported:
            print("axe, moderate or minor:\n" + "\n".join(self.reported))
        assert not self.failures, f"{len(self.failures)} accessibility failures:\n" + "\n".join(self.failures)


@pytest.fixture
def audit(request):
    return Audit(REPORTS / f"accessibility-{request.node.name}.txt")


def send(page, event, payload):
    """Emit through the page's own live connection; return the ack."""
    reply = page.evaluate(
        """([event, payload]) => new Promise((resolve) =>
            Live.current.request(event, payload, (err, reply) => resolve(err ? {ok: false, err: String(err)} : reply)))""",
        [event, payload],
    )
    assert reply.get("ok"), (event, reply)
    return reply


def test_entry_pages_in_french_and_english(live_server, open_context, audit):
    open_context.watch.allow(r"status of (404|400)")  # the not-found page; the refused form
    page = open_context(**LAPTOP).new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("#code")).to_be_visible()
    audit(page, "home")
    page.goto(f"{live_server.url}/j/NOPE2345")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aucun atelier ici")
    audit(page, "not-found")

    page.goto(f"{live_server.url}/organiser")
    expect(page.locator("#signin-form")).to_be_visible()
    audit(page, "organiser-signin")
    page.get_by_label("Clé organisateur").fill(live_server.key)
    page.locator("#signin-form [type=submit]").click()
    expect(page.locator("#workshop-form")).to_be_visible()
    audit(page, "organiser-form")
    # The form refused (no title): its errors are part of the page too.
    page.locator("#workshop-form [type=submit]").click()
    expect(page.locator("#workshop-form .error").first).to_be_visible()
    audit(page, "organiser-form-errors")
    page.get_by_label(re.compile("Titre")).fill("Concertation des OT")
    page.get_by_label(re.compile("Nombre de tables")).fill("3")
    page.locator("#workshop-form [type=submit]").click()
    expect(page.locator("#join-code")).to_be_visible()
    audit(page, "links")
    # Issue 16, point 11: the list with each workshop's facts, and the two confirmation pages.
    page.goto(f"{live_server.url}/organiser")
    expect(page.locator(".workshop-facts").first).to_be_visible()
    audit(page, "organiser-list")
    page.get_by_role("link", name="Nouveaux liens…").first.click()
    expect(page.get_by_role("button", name="Oui, créer de nouveaux liens")).to_be_visible()
    audit(page, "organiser-confirm-links")
    page.goto(f"{live_server.url}/organiser")
    page.get_by_role("link", name="Supprimer…").first.click()
    expect(page.get_by_role("button", name="Oui, supprimer définitivement")).to_be_visible()
    audit(page, "organiser-confirm-delete")

    english = open_context(**LAPTOP, locale="en-US").new_page()
    english.goto(f"{live_server.url}/?lang=en")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    audit(english, "home-en")
    english.goto(f"{live_server.url}/organiser?lang=en")
    expect(english.locator("#signin-form")).to_be_visible()
    audit(english, "organiser-signin-en")
    audit.check()


def test_workshop_pages_in_their_states(live_server, open_context, connect, audit):
    created = live_server.create_workshop(groups=3, vote_budget=3, title="Assises du tourisme")
    facilitator = open_context(**LAPTOP).new_page()
    facilitator.goto(created["facilitator_url"])
    connected(facilitator)
    # Before the start: the agenda editor, opened.
    facilitator.locator("#agenda-editor summary").click()
    expect(facilitator.locator("#agenda-steps > li")).to_have_count(7)
    audit(facilitator, "console-agenda-editor")
    facilitator.locator("#agenda-editor summary").click()

    # The phone's table choice, then a phone at table 1 with its own card.
    phone = open_context(**PHONE).new_page()
    phone.goto(created["join_url"])
    expect(phone.locator("#join-form")).to_be_visible()
    audit(phone, "phone-join", touch=True)
    phone.locator(".group-choices label").first.click()
    phone.locator("#name").fill("Léa")
    phone.locator("#organisation").select_option("OT")
    phone.locator("#join-form [type=submit]").click()
    connected(phone)
    others = []  # (table, phone over Socket.IO, its card)
    for table, family, text in CARDS:
        other = connect(live_server, f"table {table}")
        other.join(code=created["code"], role="participant", group=table, name=f"Personne {table}")
        posted = other.post(family, text)
        assert posted["ok"], posted
        others.append((table, other, posted["card"]["id"]))

    # A step hidden until the reveal: the board counts the sealed cards, the phone keeps its own.
    send(facilitator, "step:start", {})
    send(facilitator, "step:goto", {"position": 1})  # Forces et faiblesses, cachées
    expect(phone.locator("#step-title")).to_have_text("Forces et faiblesses")
    phone.locator("input[name=family][value=forces]").check()
    phone.locator("#card-text").fill("Des équipes d’accueil fidèles")
    phone.locator("#send-card").click()
    expect(phone.locator(".phone-card.is-sealed")).to_have_count(1)
    audit(phone, "phone-sealed", touch=True)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)
    expect(board.locator("#step-sealed")).to_be_visible()
    audit(board, "board-sealed")
    send(facilitator, "cards:reveal", {})
    send(facilitator, "step:goto", {"position": 2})  # Attentes et contributions
    expect(phone.locator("#step-title")).to_have_text("Attentes et contributions")
    phone.locator("input[name=family][value=attentes]").check()
    phone.locator("#card-text").fill("Partager nos agendas d’animations")
    phone.locator("#send-card").click()
    expect(phone.locator(".phone-card[data-card-id]")).to_have_count(4)
    expect(phone.locator(".phone-card.is-pending")).to_have_count(0)
    audit(phone, "phone-cards", touch=True)
    mine = phone.locator(".phone-card", has_text="Partager nos agendas")
    mine.get_by_role("button", name=re.compile("Modifier")).click()
    editing = phone.locator(".phone-card .edit-form")
    expect(editing.locator("textarea")).to_have_value("Partager nos agendas d’animations")
    audit(phone, "phone-card-edit", touch=True)
    editing.get_by_role("button", name="Annuler").click()
    expect(editing).to_have_count(0)

    referent = open_context(**TABLET).new_page()
    referent.goto(created["groups"][0]["referent_url"])
    connected(referent)
    expect(referent.locator("#cards [data-card-id]")).to_have_count(4)
    audit(referent, "referent-posting", touch=True)

    expect(facilitator.locator("[data-glance-group]")).to_have_count(3)
    expect(facilitator.locator(".board-card")).to_have_count(8)
    audit(facilitator, "console-1280x800")
    console = open_context(**PROJECTOR).new_page()
    console.goto(created["facilitator_url"])
    connected(console)
    expect(console.locator(".board-card")).to_have_count(8)
    audit(console, "console-1920x1080")

    expect(board.locator(".board-card")).to_have_count(8)
    audit(board, "board-all")
    board.keyboard.press("2")
    expect(board.locator('.view-button[data-view="table"]')).to_have_attribute("aria-pressed", "true")
    audit(board, "board-table")
    # The welcome and closing screens, put on the board from the console (issue 16, presenter control).
    for view in ("welcome", "closing"):
        send(facilitator, "board:show", {"view": view})
        expect(board.locator(f"#board-{view}")).to_be_visible()
        audit(board, f"board-{view}")
    send(facilitator, "board:show", {"view": "all"})
    expect(board.locator("#board-closing")).to_be_hidden()

    # The table vote: a dot from the phone's own button; the référent's essentials.
    send(facilitator, "step:goto", {"position": 3})
    expect(phone.locator("#step-title")).to_have_text("Sélectionner l’essentiel")
    phone.locator("#cards .phone-card").first.get_by_role("button", name="Ajouter une gommette").click()
    expect(phone.locator("#vote-left")).to_have_text(re.compile("2 gommettes"))
    audit(phone, "phone-vote", touch=True)
    expect(referent.locator("#step-title")).to_have_text("Sélectionner l’essentiel")
    send(referent, "essentials:from_votes", {})
    audit(referent, "referent-vote", touch=True)
    for table, other, card in others:
        if table > 1:
            assert other.call("vote:cast", {"card_id": card, "delta": 1})["ok"]
    for table in (2, 3):
        reply = send(facilitator, "essentials:from_votes", {"group": table})
        assert len(reply["essentials"]) == 2, reply

    # The plenary: the board's plenary view and the presentation, the phone's plenary vote.
    send(facilitator, "step:goto", {"position": 4})
    expect(board.locator('.view-button[data-view="plenary"]')).to_have_attribute("aria-pressed", "true")
    expect(board.locator("[data-plenary-group]")).to_have_count(3)
    expect(board.locator("[data-plenary-group] .essential-text")).to_have_count(5)
    audit(board, "board-plenary")
    board.keyboard.press("4")
    expect(board.locator("#presenter")).to_be_visible()
    audit(board, "board-presentation")
    board.keyboard.press("Escape")
    expect(board.locator("#presenter")).to_be_hidden()
    expect(phone.locator("#step-title")).to_have_text("Restitution en plénière")
    expect(phone.locator("#plenary-vote .plenary-card").first).to_be_visible()
    audit(phone, "phone-plenary", touch=True)

    # The Synthèse: proposed (spaCy in a subprocess), then projected on the board.
    base = f"{live_server.url}/api/workshops/{created['code']}/synthesis"
    headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
    reply = requests.post(f"{base}/propose", json={}, headers=headers, timeout=BUILD / 1000)
    assert reply.status_code == 200 and reply.json()["themes"], reply.text
    reply = requests.post(
        f"{base}/projection", json={"projected": True}, headers=headers, timeout=ACK_TIMEOUT
    )
    assert reply.status_code == 200, reply.text
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    expect(board.locator(".synthesis-tile").first).to_be_visible()
    audit(board, "board-synthesis")
    for name, size in (("synthesis-1280x800", LAPTOP), ("synthesis-360x740", PHONE)):
        synthesis = open_context(**size).new_page()
        synthesis.goto(created["facilitator_url"].replace("#", "/synthese#"))
        expect(synthesis.locator(".synth-theme").first).to_be_visible()
        audit(synthesis, name, touch=size is PHONE)

    # The conclusion: the phone's thank-you.
    send(facilitator, "step:goto", {"position": 6})
    expect(phone.locator("#step-title")).to_have_text("Conclusion")
    expect(phone.locator("#phone-end")).to_be_visible()
    expect(phone.locator("#phone-end-essentials li").first).to_be_visible()
    audit(phone, "phone-conclusion", touch=True)

    # English once: a phone with the cards of its table.
    english = open_context(**PHONE, locale="en-US").new_page()
    english.goto(created["groups"][1]["join_url"] + "&lang=en")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    english.locator("#name").fill("Sam")
    english.locator("#join-form [type=submit]").click()
    connected(english)
    expect(english.locator(".phone-card[data-card-id]")).to_have_count(2)
    audit(english, "phone-cards-en", touch=True)
    audit.check()
