"""Playwright (Debian's Chromium, headless) against `python wsgi.py`: the organiser creates a workshop
through the form, the board is projected, two phones join and post; plus screenshots of every page at
phone, tablet and projector sizes under test-artifacts/screenshots/ (look at them).

Every page is watched: a console error, an uncaught exception, a CSP violation or a dialog (an
injected `alert`) fails the test.
"""

import re

import pytest
from harness import ROOT, LiveClient

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
TABLET = {"viewport": {"width": 800, "height": 1280}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
SIZES = {"phone": PHONE, "tablet": TABLET, "projector": PROJECTOR}
XSS = "<img src=x onerror=alert(1)>"
WAIT = 10_000  # ms


class Watch:
    """Collect what must never happen on a page: console errors, page errors, dialogs."""

    def __init__(self):
        self.problems = []
        self.allowed = []

    def allow(self, pattern):
        """Tolerate console errors matching `pattern` (a test that cuts the network expects some)."""
        self.allowed.append(re.compile(pattern))

    def attach(self, context):
        context.on("page", self._page)
        context.on("dialog", self._dialog)

    def _page(self, page):
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: uncaught {error}"))

    def _console(self, page, message):
        if any(pattern.search(message.text) for pattern in self.allowed):
            return
        if message.type in ("error", "assert") or "Content Security Policy" in message.text:
            self.problems.append(f"{page.url}: console {message.type}: {message.text}")

    def _dialog(self, dialog):
        self.problems.append(f"a dialog opened: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def check(self):
        assert self.problems == [], "\n".join(self.problems)


# The `browser` and `open_context` fixtures live in conftest.py: every browser test module shares the
# one Playwright session.


QUESTION = "Comment mieux travailler ensemble ? </script><img src=x onerror=alert(2)>"


def sign_in_and_create(page, server, title="Concertation des OT", tables=3, names="Thermes & Santé"):
    """Open the organiser's link (the key in the fragment), fill the form, return the links page."""
    page.goto(f"{server.url}/organiser#key={server.key}")
    expect(page.locator("#workshop-form")).to_be_visible()
    assert "key=" not in page.url, "the key must leave the address bar"
    page.get_by_label(re.compile("Titre|Title")).fill(title)
    page.get_by_label(re.compile("^(Question)")).fill(QUESTION)
    page.get_by_label(re.compile("Nombre de tables|Number of tables")).fill(str(tables))
    page.get_by_label(re.compile("Noms des tables|Table names")).fill(names)
    page.locator("#workshop-form [type=submit]").click()
    expect(page.locator("#join-code")).to_be_visible()
    return {
        "code": page.locator("#join-code").inner_text().strip(),
        "join": page.locator("#join-url").get_attribute("href"),
        "board": page.locator("#board-url").get_attribute("href"),
        "facilitator": page.locator("#facilitator-url").get_attribute("href"),
        "tables": page.locator(".group-join-url").evaluate_all("links => links.map(a => a.href)"),
        "referents": page.locator(".group-referent-url").evaluate_all("links => links.map(a => a.href)"),
    }


def join_phone(page, url, name, organisation, table_label=None):
    page.goto(url)
    expect(page.locator("#join-form")).to_be_visible()
    if table_label:
        page.locator(".group-choices label", has_text=table_label).click()
    page.locator("#name").fill(name)
    page.locator("#organisation").select_option(organisation)
    page.locator("#join-form [type=submit]").click()
    expect(page.locator("#post-section")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")


def post_with_enter(page, family, text):
    page.locator(f".family-choice.family-{family}").click()
    page.locator("#card-text").fill(text)
    page.locator("#card-text").press("Enter")
    expect(page.locator("#cards li[data-card-id] .card-text", has_text=text).first).to_be_visible()
    expect(page.locator("#card-text")).to_have_value("")


def post_with_button(page, family, text):
    page.locator(f".family-choice.family-{family}").click()
    page.locator("#card-text").fill(text)
    page.locator("#send-card").click()
    expect(page.locator("#cards li[data-card-id] .card-text", has_text=text).first).to_be_visible()


def board_texts(page, family=None):
    scope = f'[data-cards-family="{family}"] ' if family else ""
    return page.locator(f"{scope}.board-card .card-text").all_inner_texts()


def test_organiser_board_and_two_phones(live_server, open_context):
    organiser = open_context().new_page()
    links = sign_in_and_create(organiser, live_server)
    assert links["join"] == f"{live_server.url}/j/{links['code']}"
    assert len(links["tables"]) == 3 and links["tables"][1].endswith("?g=2")
    assert "#t=" in links["board"] and "#t=" in links["facilitator"]

    board = open_context(**PROJECTOR).new_page()
    board.goto(links["board"])
    expect(board.locator("body")).to_have_attribute("data-connection", "connected")
    assert "#t=" not in board.url, "the token must leave the address bar"
    expect(board.locator("#join-code")).to_have_text(links["code"])
    expect(board.locator(".board-question")).to_have_text(QUESTION)

    anna = open_context(**PHONE).new_page()
    join_phone(anna, links["tables"][1], "Anna", "OT")
    expect(anna.locator("#table-badge")).to_have_text("Table 2")
    bruno = open_context(**PHONE).new_page()
    join_phone(bruno, links["join"], "Bruno", "ADT", table_label="Thermes & Santé")
    expect(bruno.locator("#table-badge")).to_have_text("Table 1 — Thermes & Santé")  # with its number

    post_with_enter(anna, "forces", "Un réseau d'OT très soudé 💪")
    post_with_button(anna, "attentes", "Des outils partagés, s'il vous plaît")
    post_with_enter(bruno, "faiblesses", "Trop de réunions, pas assez de décisions")
    post_with_button(bruno, "contributions", XSS)

    # The board shows them without a reload, each in its family's column, with the counts.
    expect(board.locator('[data-cards-family="forces"] .card-text')).to_have_text(
        ["Un réseau d'OT très soudé 💪"]
    )
    expect(board.locator('[data-cards-family="attentes"] .card-text')).to_have_text(
        ["Des outils partagés, s'il vous plaît"]
    )
    expect(board.locator('[data-cards-family="faiblesses"] .card-text')).to_have_text(
        ["Trop de réunions, pas assez de décisions"]
    )
    expect(board.locator('[data-cards-family="contributions"] .card-text')).to_have_text([XSS])
    assert board.locator("main img").count() == 0, "card text was rendered as HTML"
    expect(board.locator('[data-count-family="forces"]')).to_have_text("1")
    expect(board.locator('[data-count-group="1"]')).to_have_text("2")
    expect(board.locator('[data-count-group="2"]')).to_have_text("2")
    expect(board.locator('[data-count-group="3"]')).to_have_text("0")
    expect(board.locator("#total-cards")).to_have_text("4")
    expect(board.locator("#total-people")).to_have_text("2")
    expect(board.locator('.board-card[data-group="1"] .card-author').first).to_contain_text("Bruno")

    # The table filter.
    board.locator('.filter-button[data-group="2"]').click()
    expect(board.locator('.filter-button[data-group="2"]')).to_have_attribute("aria-pressed", "true")
    expect(board.locator(".board-card")).to_have_count(2)
    expect(board.locator('.board-card[data-group="1"]')).to_have_count(0)
    expect(board.locator("#total-cards")).to_have_text("2")
    board.locator('.filter-button[data-group=""]').click()
    expect(board.locator(".board-card")).to_have_count(4)

    # The référent of table 3 types a paper card on a tablet; the facilitator's console sees it all.
    referent = open_context(**TABLET).new_page()
    referent.goto(links["referents"][2])
    expect(referent.locator("#post-section")).to_be_visible()
    expect(referent.locator("#table-badge")).to_have_text("Table 3")
    expect(referent.locator("#status")).to_have_text("Connecté")
    post_with_button(referent, "attentes", "Carte papier recopiée")
    shoot(referent, "tablet-7-referent")
    expect(board.locator('[data-count-group="3"]')).to_have_text("1")
    expect(board.locator('.board-card[data-group="3"] .card-author')).to_have_text(
        re.compile("papier|paper", re.I)
    )
    facilitator = open_context(viewport={"width": 1366, "height": 768}).new_page()
    facilitator.goto(links["facilitator"])
    expect(facilitator.locator("body")).to_have_attribute("data-connection", "connected")
    expect(facilitator.locator(".board-card")).to_have_count(5)
    expect(facilitator.locator(".board-question")).to_have_text(QUESTION)
    board.locator('.filter-button[data-group="3"]').click()
    expect(board.locator(".board-card")).to_have_count(1)
    board.locator('.filter-button[data-group=""]').click()

    # Each phone sees its own table only.
    expect(anna.locator("#cards li[data-card-id]")).to_have_count(2)
    expect(bruno.locator("#cards li[data-card-id] .card-text")).to_have_text(
        [XSS, "Trop de réunions, pas assez de décisions"]
    )
    assert anna.locator("#cards", has_text="Trop de réunions").count() == 0
    assert bruno.locator("main img").count() == 0

    # A card from elsewhere (a socket client at table 2) arrives live on Anna's phone, not Bruno's.
    other = LiveClient(live_server, "table 2 socket")
    try:
        other.join(code=links["code"], role="participant", group=2)
        assert other.post("faiblesses", "Carte venue d'un autre téléphone")["ok"]
    finally:
        other.close()
    expect(anna.locator("#cards .card-text", has_text="Carte venue d'un autre téléphone")).to_be_visible()
    expect(board.locator('[data-count-group="2"]')).to_have_text("3")
    expect(board.locator("#total-people")).to_have_text("3")
    assert bruno.locator("#cards", has_text="Carte venue").count() == 0

    # A reload brings the phone back to its table with its cards (no second join form).
    anna.reload()
    expect(anna.locator("#post-section")).to_be_visible()
    expect(anna.locator("#cards li[data-card-id]")).to_have_count(3)
    expect(anna.locator("#cards .is-mine")).to_have_count(2)

    # French first; the language link switches to English and back, keeping the phone at its table.
    expect(anna.locator("html")).to_have_attribute("lang", "fr")
    expect(anna.locator("#send-card")).to_have_text("Envoyer")
    anna.locator(".lang-switch a").click()
    expect(anna.locator("html")).to_have_attribute("lang", "en")
    expect(anna.locator("#send-card")).to_have_text("Send")
    expect(anna.locator("#post-section")).to_be_visible()
    expect(anna.locator("#cards li[data-card-id]")).to_have_count(3)
    anna.locator(".lang-switch a").click()
    expect(anna.locator("html")).to_have_attribute("lang", "fr")
    expect(anna.locator("#send-card")).to_have_text("Envoyer")

    # The board too keeps its token across a language switch.
    board.locator(".lang-switch a").click()
    expect(board.locator("html")).to_have_attribute("lang", "en")
    expect(board.locator("body")).to_have_attribute("data-connection", "connected")
    expect(board.locator(".board-card")).to_have_count(6)


def test_language_link_keeps_the_table(live_server, open_context):
    """Switching language before joining keeps ?g=<table> from the QR code."""
    created = live_server.create_workshop(groups=3)
    page = open_context(**PHONE).new_page()
    page.goto(created["groups"][2]["join_url"])
    page.locator(".lang-switch a").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "g=3" in page.url
    page.locator("#join-form [type=submit]").click()
    expect(page.locator("#table-badge")).to_have_text("Table 3")


def test_card_typed_while_the_server_is_down_is_sent_once(server_factory, open_context):
    """An acknowledged card survives a killed server; a card typed meanwhile waits, then goes, once."""
    server = server_factory("eventlet")
    created = server.create_workshop(groups=2)
    open_context.watch.allow(r"WebSocket|ERR_CONNECTION_REFUSED|socket\.io")
    phone = open_context(**PHONE).new_page()
    join_phone(phone, created["groups"][0]["join_url"], "Zoé", "RT")
    post_with_enter(phone, "forces", "Avant la coupure")
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    expect(board.locator(".board-card .card-text")).to_have_text(["Avant la coupure"])

    server.kill()
    expect(phone.locator("body")).to_have_attribute("data-connection", "offline")
    phone.locator(".family-choice.family-attentes").click()
    phone.locator("#card-text").fill("Pendant la coupure")
    phone.locator("#card-text").press("Enter")
    expect(phone.locator("#cards .is-pending .card-text")).to_have_text(["Pendant la coupure"])

    server.start()
    expect(phone.locator("body")).to_have_attribute("data-connection", "connected", timeout=20_000)
    expect(phone.locator("#cards .is-pending")).to_have_count(0)
    expect(phone.locator("#card-error")).to_be_hidden()
    expect(phone.locator("#cards li[data-card-id] .card-text")).to_have_text(
        ["Pendant la coupure", "Avant la coupure"]
    )
    phone.reload()
    expect(phone.locator("#cards li[data-card-id]")).to_have_count(2)
    expect(board.locator("body")).to_have_attribute("data-connection", "connected")
    expect(board.locator('[data-cards-family="attentes"] .card-text')).to_have_text(["Pendant la coupure"])
    expect(board.locator(".board-card")).to_have_count(2)
    expect(board.locator("#total-cards")).to_have_text("2")

    late_board = LiveClient(server, "board after restart")
    try:
        snapshot = late_board.join(code=created["code"], role="board", token=created["board_token"])[
            "snapshot"
        ]
    finally:
        late_board.close()
    assert [(c["text"], c["family"], c["author"]) for c in snapshot["cards"]] == [
        ("Avant la coupure", "forces", "Zoé"),
        ("Pendant la coupure", "attentes", "Zoé"),
    ]
    assert snapshot["participants"] == {"1": 1, "2": 0}, "the phone came back as the same participant"


def test_cards_refused_by_the_rate_limit_are_sent_later(server_factory, open_context):
    """A référent typing a pile of paper cards fast: those over the limit wait, then go, once each."""
    server = server_factory("eventlet", FACILITATOR_RATE_CARDS="3/2 seconds")
    created = server.create_workshop(groups=1)
    referent = open_context(**TABLET).new_page()
    referent.goto(created["groups"][0]["referent_url"])
    expect(referent.locator("#post-section")).to_be_visible()
    texts = [f"Carte papier n°{number}" for number in range(1, 7)]
    for text in texts:
        referent.locator("#card-text").fill(text)
        referent.locator("#card-text").press("Enter")
    expect(referent.locator("#cards .is-pending").first).to_be_visible()
    expect(referent.locator("#cards .is-pending")).to_have_count(0, timeout=15_000)
    expect(referent.locator("#cards li[data-card-id]")).to_have_count(6)
    expect(referent.locator("#card-error")).to_be_hidden()
    board = LiveClient(server, "board")
    try:
        cards = board.join(code=created["code"], role="board", token=created["board_token"])["snapshot"][
            "cards"
        ]
    finally:
        board.close()
    assert sorted(card["text"] for card in cards) == sorted(texts)


def test_phone_falls_back_to_polling_when_websockets_are_blocked(live_server, open_context):
    """A venue proxy that refuses WebSockets: the phone still joins and posts, over long-polling."""
    created = live_server.create_workshop(groups=2)
    open_context.watch.allow(r"WebSocket")
    context = open_context(**PHONE)
    # Every WebSocket the page opens is sent to a path that refuses the upgrade, as a proxy would.
    context.add_init_script(
        f"""(() => {{
          const Native = window.WebSocket;
          window.WebSocket = function (url, protocols) {{ return new Native("ws://127.0.0.1:{live_server.port}/no-websocket", protocols); }};
          window.WebSocket.prototype = Native.prototype;
          Object.assign(window.WebSocket, {{ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 }});
        }})();"""
    )
    phone = context.new_page()
    join_phone(phone, created["groups"][1]["join_url"], "Hugo", "CRTL")
    post_with_enter(phone, "contributions", "Envoyée sans WebSocket")
    board = LiveClient(live_server, "board")
    try:
        cards = board.join(code=created["code"], role="board", token=created["board_token"])["snapshot"][
            "cards"
        ]
    finally:
        board.close()
    assert [(card["text"], card["group"]) for card in cards] == [("Envoyée sans WebSocket", 2)]


def test_home_page_takes_a_typed_code(live_server, open_context):
    """A code read on a slide, typed in lower case with a dash, opens the workshop's phone page."""
    created = live_server.create_workshop(groups=2)
    page = open_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/")
    code = created["code"].lower()
    page.locator("#code").fill(f"{code[:4]}-{code[4:]}")
    page.locator("#code").press("Enter")
    expect(page.locator("#join-form")).to_be_visible()
    assert page.url.endswith(f"/j/{created['code']}")
    expect(page.locator(".group-choices label")).to_have_count(2)
    expect(page.locator("#status")).to_be_hidden()  # nothing is connecting before the phone joins


# --- Screenshots --------------------------------------------------------------------------------

BOARD_CARDS = [
    (1, "forces", "Des équipes d'accueil passionnées et fidèles"),
    (2, "forces", "Un patrimoine thermal unique en France"),
    (3, "forces", "Les OT se connaissent bien depuis le dernier séminaire"),
    (4, "forces", "Une marque régionale reconnue 👍"),
    (1, "forces", "Des données de fréquentation partagées chaque mois"),
    (2, "faiblesses", "Difficile de recruter des agents thermaux qualifiés"),
    (3, "faiblesses", "Les saisonniers partent chaque année, tout est à refaire"),
    (4, "faiblesses", "Trop de réunions, pas assez de décisions"),
    (1, "faiblesses", "Des sites web qui ne se parlent pas"),
    (2, "faiblesses", "Logements trop chers pour le personnel saisonnier"),
    (3, "attentes", "Un campus des métiers du thermalisme pour former sur place"),
    (4, "attentes", "Une formation diplômante reconnue pour les agents thermaux"),
    (1, "attentes", "Un calendrier commun des événements, mis à jour par tous"),
    (2, "attentes", "Que le CRTL anime un club des directeurs d'OT"),
    (3, "attentes", XSS),
    (4, "contributions", "Accueillir des stagiaires dans nos établissements"),
    (1, "contributions", "Témoigner dans les lycées sur les métiers du thermalisme"),
    (2, "contributions", "Partager nos photos libres de droits"),
    (3, "contributions", "Prêter notre salle de réunion pour les ateliers"),
    (
        4,
        "contributions",
        "Mettre à disposition notre outil de réservation en ligne, déjà utilisé par trois "
        "stations voisines, et former les équipes qui le souhaitent",
    ),
]


def fill_board(server, code):
    """Post BOARD_CARDS through socket clients, one participant per table."""
    phones = {}
    try:
        for table, family, text in BOARD_CARDS:
            if table not in phones:
                phones[table] = LiveClient(server, f"table {table}")
                phones[table].join(
                    code=code,
                    role="participant",
                    group=table,
                    name=["Inès", "Paul", "Chloé", "Marc"][table - 1],
                )
            assert phones[table].post(family, text)["ok"]
    finally:
        for phone in phones.values():
            phone.close()


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts && document.fonts.ready")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def assert_fits(page, where):
    """Nothing sticks out sideways: no element crosses the screen's edges, nothing scrolls sideways."""
    outside = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const found = [];
          if (document.documentElement.scrollWidth > width) {
            found.push(`the page is ${document.documentElement.scrollWidth}px wide`);
          }
          for (const node of document.querySelectorAll("body *")) {
            const box = node.getBoundingClientRect();
            if (!box.width || !box.height || node.closest(".skip-link, .visually-hidden")) { continue; }
            if (box.right > width + 1 || box.left < -1) {
              found.push(`${node.tagName}.${node.className} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
            }
          }
          return found.slice(0, 8);
        }"""
    )
    assert outside == [], f"{where} at {page.viewport_size['width']}px: {outside}"


def assert_language_link_works(page, where):
    """The language link, where there is one, opens the same page in the other language."""
    links = page.locator(".lang-switch a")
    if links.count():
        href = links.evaluate("a => a.href")
        response = page.request.get(href)
        assert response.status == 200, f"{where}: the language link {href} answers {response.status}"
        other = links.get_attribute("hreflang")
        assert f'<html lang="{other}"' in response.text(), f"{where}: {href} is not in {other}"
        # The request shares the context's cookies: put the page's own language back.
        current = page.locator("html").get_attribute("lang")
        origin = re.match(r"https?://[^/]+", page.url).group(0)
        page.context.add_cookies([{"name": "lang", "value": current, "url": origin + "/"}])


def assert_focus_visible(page, where):
    """The focused control shows a ring of at least 2px (keyboard users, and switch devices)."""
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"""
    )
    assert ring[1] not in ("none", "") and ring[2] >= 2, f"{where}: no visible focus on {ring}"


def assert_touch_targets(
    page, where, selector="main button, main .button, main input, main select, main label.choice"
):
    """Every visible control on a touch screen is at least 44px high (WCAG 2.5.5)."""
    small = page.locator(selector).evaluate_all(
        """nodes => nodes.filter(n => n.offsetParent !== null && n.type !== 'hidden' && n.type !== 'radio'
                       && n.type !== 'checkbox')
                  .map(n => [n.id || n.className || n.tagName, n.getBoundingClientRect().height])
                  .filter(([, h]) => h < 44)"""
    )
    assert small == [], f"{where}: touch targets under 44px: {small}"


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(live_server, open_context, size):
    created = live_server.create_workshop(groups=4, title="Concertation des offices de tourisme")
    fill_board(live_server, created["code"])
    touch = size != "projector"
    context = open_context(**SIZES[size])
    page = context.new_page()

    page.goto(f"{live_server.url}/")
    expect(page.locator("#code")).to_be_visible()
    page.locator("#code").focus()
    page.keyboard.press("Tab")
    assert_focus_visible(page, "home, Join button")
    shoot(page, f"{size}-1-home")
    assert_language_link_works(page, "home")
    assert_fits(page, "home")
    if touch:
        assert_touch_targets(page, "home")

    page.goto(f"{live_server.url}/organiser#key={live_server.key}")
    expect(page.locator("#workshop-form")).to_be_visible()
    shoot(page, f"{size}-2-organiser-form")
    assert_language_link_works(page, "organiser form")
    assert_fits(page, "organiser form")
    page.get_by_label(re.compile("Titre|Title")).fill("Atelier capture d'écran")
    page.locator("#workshop-form [type=submit]").click()
    expect(page.locator("#join-code")).to_be_visible()
    shoot(page, f"{size}-3-links")
    assert_language_link_works(page, "links page")
    assert_fits(page, "links page")

    phone = context.new_page()
    phone.goto(created["join_url"])
    expect(phone.locator("#join-form")).to_be_visible()
    shoot(phone, f"{size}-4-phone-join")
    assert_language_link_works(phone, "phone join form")
    assert_fits(phone, "phone join form")
    if touch:
        assert_touch_targets(phone, "phone join form")
    phone.locator(".group-choices label").nth(2).click()
    phone.locator("#name").fill("Léa")
    phone.locator("#organisation").select_option("ADT")
    phone.locator("#join-form [type=submit]").click()
    expect(phone.locator("#post-section")).to_be_visible()
    post_with_enter(phone, "attentes", "Un annuaire des référents de chaque OT")
    phone.locator("#card-text").fill("Et un forum d'entraide en ligne")
    shoot(phone, f"{size}-5-phone-cards")
    assert_language_link_works(phone, "phone with cards")
    assert_fits(phone, "phone with cards")
    if touch:
        assert_touch_targets(phone, "phone with cards", "main button, main .button, main textarea")
        heights = phone.locator(".family-choice span").evaluate_all(
            "nodes => nodes.map(n => n.getBoundingClientRect().height)"
        )
        assert min(heights) >= 44, heights

    board = context.new_page()
    board.goto(created["board_url"])
    expect(board.locator("body")).to_have_attribute("data-connection", "connected")
    expect(board.locator(".board-card")).to_have_count(len(BOARD_CARDS) + 1)
    board.wait_for_timeout(1300)  # let the arrival highlight fade
    shoot(board, f"{size}-6-board")
    assert_language_link_works(board, "board")
    assert_fits(board, "board")
    if size == "projector":
        # Read from the back of the room: a column shrinks its type to fit its cards (from 28.8px), never
        # under the fit's floor (20px at 1920 px); these 21 cards all fit at once, none paged.
        sizes = board.locator(".board-card .card-text").evaluate_all(
            "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))"
        )
        assert min(sizes) >= 20, sizes
        expect(board.locator(".board-card.is-off-page")).to_have_count(0)
        expect(board.locator(".join-code")).to_be_in_viewport()
