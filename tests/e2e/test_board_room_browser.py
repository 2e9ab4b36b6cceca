"""The projected board in a real room (issue 16): 9 tables, 90 cards, at 1920×1080 and 1366×768.

Every card is reachable on "Toutes les cartes" (the columns shrink their type, then page: stepped here
with Page Down, never by waiting); no admin chrome on the projector (view tabs, table filter, language,
connection, the PUBLIC_URL warning); the Accueil step opens the full-screen welcome, the conclusion the
closing screen; the facilitator's console (and a phone-sized one) drives the board's view and the
presentation (`board:show`) while the board's own keys keep working; the plenary of 9 tables fits the
window, with the room's ranking and its leader. Screenshots: test-artifacts/screenshots/room-*.png."""

import pytest
from harness import LiveClient
from phones import connected
from test_browser import PHONE, SCREENSHOTS
from test_workshop_run import send

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "1366x768": {"width": 1366, "height": 768}}
TABLES = [
    "Thermes de Balaruc", "Lamalou-les-Bains", "Ax-les-Thermes", "Bagnères-de-Bigorre", "Cauterets",
    "Luchon", "Avène", "Barbotan", "Salies-du-Salat",
]  # fmt: skip
# Ten cards a table, uneven families: the "forces" column holds 36 cards, more than any screen shows.
FAMILIES = ["forces"] * 4 + ["faiblesses"] * 3 + ["attentes"] * 2 + ["contributions"]
IDEAS = [
    "Des sources reconnues pour leurs bienfaits sur les rhumatismes depuis plus d'un siècle",
    "Une offre de soins trop peu connue des jeunes actifs de la région",
    "Des hébergements à rénover",
    "Un calendrier commun des événements entre stations",
    "Partager nos fichiers de curistes pour des offres croisées",
]


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"room-{name}.png"))


def build_room(server):
    """9 tables × 2 phones × 5 cards (90 cards), through real socket clients; return the phones."""
    created = server.create_workshop(groups=len(TABLES), group_names=TABLES, vote_budget=5)
    phones = {}
    for table in range(1, len(TABLES) + 1):
        phones[table] = []
        for seat in range(2):
            phone = LiveClient(server, f"table {table}.{seat}")
            phone.join(code=created["code"], role="participant", group=table, name=f"P{table}{seat}")
            phones[table].append(phone)
        for n, family in enumerate(FAMILIES):
            text = f"{IDEAS[n % len(IDEAS)]} (table {table}, n° {n + 1})"
            assert phones[table][n % 2].post(family, text)["ok"]
    return created, phones


def chrome_hidden(board):
    """What a projector must not show: view tabs, table filter, language link, connection badge."""
    opacities = board.evaluate(
        """() => ["#board-nav", ".board-tools"].map(s => getComputedStyle(document.querySelector(s)).opacity)"""
    )
    assert all(float(o) < 0.01 for o in opacities), opacities
    expect(board.locator(".warning")).to_have_count(0)


def reachable_ids(board):
    """Step every column through its pages (Page Down); return the ids of the cards seen whole inside
    their column and the window, and the largest page count."""
    pages = max(
        int(n)
        for n in board.locator("[data-cards-family]").evaluate_all(
            "lists => lists.map(l => l.getAttribute('data-pages') || '1')"
        )
    )
    seen = set()
    for _ in range(pages * 2):  # columns page independently: a few turns more than the longest
        seen |= set(
            board.evaluate(
                """() => {
              const ids = [];
              for (const list of document.querySelectorAll("[data-cards-family]")) {
                const frame = list.getBoundingClientRect();
                for (const card of list.querySelectorAll(".board-card")) {
                  const box = card.getBoundingClientRect();
                  if (!box.height) { continue; }
                  if (box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1 && box.bottom <= innerHeight + 1) {
                    ids.push(Number(card.getAttribute("data-card-id")));
                  }
                }
              }
              return ids;
            }"""
            )
        )
        board.keyboard.press("PageDown")
    return seen, pages


@pytest.mark.parametrize("size", SIZES)
def test_a_room_of_ninety(live_server, open_context, size):
    created, phones = build_room(live_server)
    try:
        run_the_room(live_server, open_context, size, created, phones)
    finally:
        for table in phones.values():
            for phone in table:
                phone.close()


def run_the_room(live_server, open_context, size, created, phones):
    viewport = SIZES[size]
    board = open_context(viewport=viewport).new_page()
    board.goto(created["board_url"])
    connected(board)
    expect(board.locator(".board-card")).to_have_count(90)
    board.wait_for_timeout(1300)  # the arrival highlight fades

    # No admin chrome on the projector; the mouse brings it back.
    chrome_hidden(board)
    shoot(board, f"{size}-1-all")
    # Every card reachable: the long column pages ("1–12 / 36"), each page whole in the window.
    label = board.locator('[data-page-family="forces"]')
    expect(label).to_be_visible()
    assert label.inner_text().endswith("/ 36"), label.inner_text()
    sizes = board.locator(".board-card:not(.is-off-page) .card-text").evaluate_all(
        "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))"
    )
    assert min(sizes) >= 16, sizes
    ids, pages = reachable_ids(board)
    all_ids = set(board.locator(".board-card").evaluate_all("n => n.map(c => Number(c.dataset.cardId))"))
    assert pages > 1 and ids == all_ids, (pages, len(ids), len(all_ids))
    board.mouse.move(400, 400)
    board.mouse.move(420, 420)
    expect(board.locator("#board-nav")).to_have_css("opacity", "1")

    # The console: the PUBLIC_URL warning lives there, with the presenter control.
    console = open_context(viewport=viewport).new_page()
    console.goto(created["facilitator_url"])
    connected(console)
    expect(console.locator("#board-control")).to_be_visible()

    # The Accueil step: the full-screen welcome, QR code, address and code.
    send(console, "step:start", {})
    welcome = board.locator("#board-welcome")
    expect(welcome).to_be_visible()
    expect(welcome.locator(".cover-code")).to_have_text(created["code"])
    expect(welcome.locator(".cover-qr svg")).to_be_visible()
    box = welcome.locator(".cover-join").bounding_box()
    assert box["y"] + box["height"] <= viewport["height"] and box["x"] + box["width"] <= viewport["width"], (
        box
    )
    board.mouse.move(0, 0)
    board.wait_for_timeout(3500)  # the chrome fades 3 s after the mouse stops
    chrome_hidden(board)
    shoot(board, f"{size}-2-welcome")

    # Presenter control from the console: all cards, one table, then the keyboard on the board.
    console.locator('[data-board-view="all"]').click()
    expect(welcome).to_be_hidden()
    expect(board.locator("body")).to_have_attribute("data-view", "all")
    expect(console.locator("#board-control-state")).to_contain_text("Toutes les cartes")
    console.locator("#board-control-group").select_option("4")
    console.locator('[data-board-view="table"]').click()
    expect(board.locator("body")).to_have_attribute("data-view", "table")
    expect(board.locator("#board-table-title")).to_have_text(TABLES[3])
    expect(board.locator(".board-card:not(.is-off-page) .table-chip").first).to_have_text("Table 4")
    board.keyboard.press("1")
    expect(board.locator("body")).to_have_attribute("data-view", "all")

    # The table vote, each table's essentials, then the plenary: the board goes there by itself.
    send(console, "step:goto", {"position": 3})
    for table, (first, second) in phones.items():
        mine = [c for c in first.cards() if c["group"] == table]
        # Table 1 keeps 9 essentials (a dot on each of its ten cards), the others 3.
        votes = (
            [(first, c, 1) for c in mine[:5]] + [(second, c, 1) for c in mine[5:]]
            if table == 1
            else [(first, mine[0], 3), (first, mine[1], 1), (first, mine[4], 1)]
        )
        for phone, card, dots in votes:
            for _ in range(dots):
                reply = phone.call("vote:cast", {"card_id": card["id"], "delta": 1})
                assert reply["ok"], reply
        assert send(console, "essentials:from_votes", {"group": table})["ok"]
    send(console, "step:goto", {"position": 4})
    expect(board.locator("body")).to_have_attribute("data-view", "plenary")
    winner = next(c for c in phones[9][0].cards() if c["group"] == 9)
    for table in phones.values():
        for phone in table:
            assert phone.call("vote:cast", {"card_id": winner["id"], "delta": 1})["ok"]
    leader = board.locator(".ranking-row.is-leader")
    expect(leader).to_have_count(1)
    expect(leader.locator(".ranking-text")).to_have_text(winner["text"])
    expect(leader.locator(".ranking-count")).to_have_text("18 gommettes")
    expect(leader.locator(".ranking-meta")).to_have_text(TABLES[8])
    expect(board.locator("[data-plenary-group]")).to_have_count(9)
    board.wait_for_timeout(300)
    shoot(board, f"{size}-3-plenary")
    plenary_fits(board, viewport, size)
    chrome_hidden(board)
    # Table 1's nine essentials are all reachable: on a small screen its tile pages (Page Down).
    first_table = board.locator('[data-plenary-group="1"]')
    seen = set()
    for _ in range(int(first_table.get_attribute("data-pages") or 1)):
        seen |= set(
            first_table.locator(".essential-item:not(.is-off-page) .essential-text").all_inner_texts()
        )
        board.keyboard.press("PageDown")
        plenary_fits(board, viewport, size)
    assert len(seen) == 9, seen

    # A phone-sized console drives the presentation: next table, and the board's arrows still work.
    hand = open_context(**PHONE).new_page()
    hand.goto(created["facilitator_url"])
    connected(hand)
    hand.locator('[data-board-view="present"]').click()
    expect(board.locator("#presenter")).to_be_visible()
    expect(board.locator("#presenter-progress")).to_have_text("Table 1 / 9")
    hand.locator("#board-control-next").click()
    expect(board.locator("#presenter-progress")).to_have_text("Table 2 / 9")
    expect(board.locator("#presenter-table")).to_have_text(TABLES[1])
    expect(console.locator("#board-control-state")).to_contain_text(TABLES[1])
    hand.locator("#board-control-prev").click()
    expect(board.locator("#presenter-progress")).to_have_text("Table 1 / 9")
    # The 9 essentials of table 1 fit: the last one's dots above the buttons, nothing to scroll.
    expect(board.locator("#presenter-body .essential-item")).to_have_count(9)
    shoot(board, f"{size}-5-presentation")
    last = board.locator("#presenter-body .essential-item").last
    nav = board.locator(".presenter-nav").bounding_box()
    meta = last.locator(".essential-meta").bounding_box()
    assert meta["y"] + meta["height"] <= nav["y"], (meta, nav)
    assert board.evaluate(
        "(b => b.scrollHeight <= b.clientHeight + 1)(document.getElementById('presenter-body'))"
    )
    hand.locator("#board-control-prev").click()
    expect(board.locator("#presenter-progress")).to_have_text("Table 9 / 9")
    shoot(hand, f"{size}-4-phone-console")
    board.keyboard.press("ArrowLeft")
    expect(board.locator("#presenter-progress")).to_have_text("Table 8 / 9")

    # The conclusion: the closing screen.
    send(console, "step:goto", {"position": 6})
    expect(board.locator("#board-closing")).to_be_visible()
    expect(board.locator("#board-closing [data-total-cards]")).to_have_text("90")
    shoot(board, f"{size}-6-closing")


def plenary_fits(board, viewport, size):
    """Every table of the plenary inside the window, nothing cut inside; labels and dots readable."""
    problems = board.evaluate(
        """([w, h]) => {
          const found = [];
          for (const node of document.querySelectorAll("[data-plenary-group], .plenary-ranking")) {
            const box = node.getBoundingClientRect();
            if (box.left < -1 || box.top < -1 || box.right > w + 1 || box.bottom > h + 1) {
              found.push(`${node.className} at ${Math.round(box.left)},${Math.round(box.top)}..${Math.round(box.right)},${Math.round(box.bottom)}`);
            }
            if (node.matches("[data-plenary-group]") && node.scrollHeight > node.clientHeight + 1) {
              found.push(`${node.querySelector("h2").textContent} overflows by ${node.scrollHeight - node.clientHeight}px`);
            }
          }
          return found;
        }""",
        [viewport["width"], viewport["height"]],
    )
    assert problems == [], problems
    if size == "1920x1080":
        fonts = board.locator(".ranking-family, .ranking-count").evaluate_all(
            "nodes => nodes.map(n => parseFloat(getComputedStyle(n).fontSize))"
        )
        assert min(fonts) >= 28, fonts
