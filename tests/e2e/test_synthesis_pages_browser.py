"""The board's Synthèse view with 20 themes (a 90-person workshop gets 12 to 20): a projected screen
cannot scroll, so the themes come a page at a time. At 1920×1080 and on a 1280×720 projector every tile
of the page shown is inside the window and whole (no text cut off at its bottom), with text no smaller
than the board's card text; « Page 2 / 3 » is right; ←/→, Page Up/Down and the on-screen buttons change
the page on that screen only; the pages, read in order, show every theme once, in the synthesis order;
a theme renamed while page 2 is shown changes on page 2 and the board stays there.
Screenshots: both sizes, pages 1 and 2."""

import math

import pytest
import requests
from harness import ACK_TIMEOUT, ROOT
from test_live_synthesis_browser import split_until

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
BUILD = 240_000  # ms: a proposal loads spaCy in a subprocess on a busy machine
THEMES = 20

CARDS = [
    ("forces", "Des eaux thermales réputées dans toute la région"),
    ("faiblesses", "Pas de transports en commun entre les stations"),
    ("attentes", "Former les saisonniers à l'accueil des curistes"),
    ("forces", "Un patrimoine Belle Époque remarquable"),
    ("faiblesses", "Des hébergements vieillissants et peu accessibles"),
    ("attentes", "Un site internet commun à toutes les stations"),
    ("contributions", "Je partage nos fichiers de clientèle"),
    ("forces", "La randonnée autour des volcans"),
    ("faiblesses", "Une saison trop courte, l'hiver est vide"),
    ("attentes", "Des navettes le week-end depuis la gare"),
    ("contributions", "Nous pouvons accueillir les réunions du réseau"),
    ("forces", "Des producteurs locaux engagés"),
    ("faiblesses", "Peu de communication sur les réseaux sociaux"),
    ("attentes", "Un label qualité pour les hébergeurs"),
    ("contributions", "Je peux former les équipes au numérique"),
    ("forces", "Une clientèle fidèle de curistes"),
    ("faiblesses", "Les jeunes quittent le territoire"),
    ("attentes", "Observer la fréquentation avec des chiffres partagés"),
    ("contributions", "Notre office prête son minibus"),
    ("forces", "Des lacs pour la baignade l'été"),
    ("faiblesses", "Le stationnement saturé en août"),
    ("attentes", "Accueillir les personnes en situation de handicap"),
    ("contributions", "Nous traduisons les brochures en anglais"),
    ("forces", "Une gastronomie reconnue, fromages et vins"),
    ("faiblesses", "Les habitants se sentent oubliés par le tourisme"),
    ("attentes", "Des offres bien-être hors saison"),
    ("contributions", "Je connais les élus des communautés de communes"),
]  # fmt: skip


def api(live_server, created):
    return f"{live_server.url}/api/workshops/{created['code']}/synthesis", {
        "Authorization": f"Bearer {created['facilitator_token']}"
    }


def twenty_themes(live_server, connect):
    """A 9-table workshop, 27 cards, a proposal, then splits (each time the last card of a theme with two or
    more, with a long title that wraps) until there are 20 themes; return the workshop and the themes."""
    created = live_server.create_workshop(groups=9, title="Assises du thermalisme en Auvergne")
    for index, (family, text) in enumerate(CARDS):
        table = index % 9 + 1
        phone = connect(live_server, f"table {table}")
        phone.join(code=created["code"], role="participant", group=table, name=f"Personne {index}")
        ack = phone.post(family, text)
        assert ack["ok"], ack
    base, headers = api(live_server, created)
    reply = requests.post(f"{base}/propose", json={}, headers=headers, timeout=BUILD / 1000)
    assert reply.status_code == 200, reply.text
    themes = split_until(live_server, created, THEMES, title="Thème scindé numéro {n}, au titre assez long")
    reply = requests.post(
        f"{base}/projection", json={"projected": True}, headers=headers, timeout=ACK_TIMEOUT
    )
    assert reply.status_code == 200 and reply.json()["projected"], reply.text
    return created, [str(t["id"]) for t in themes]


def open_board(open_context, created, width, height):
    board = open_context(viewport={"width": width, "height": height}).new_page()
    board.goto(created["board_url"])
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    expect(board.locator(".synthesis-tile").first).to_be_visible()
    return board


def page_ids(board):
    return board.locator(".synthesis-tile").evaluate_all(
        "nodes => nodes.map(node => node.getAttribute('data-synthesis-theme'))"
    )


def check_page_fits(board, width, height):
    """Every tile of the page shown is inside the window and whole; its text is as large as the board's
    card text (1.5vw, between 1.05rem and 1.9rem) and its title larger."""
    card_text = min(max(16.8, 0.015 * width), 30.4)
    tiles = board.locator(".synthesis-tile")
    count = tiles.count()
    assert count >= 1
    for index in range(count):
        tile = tiles.nth(index)
        box = tile.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0, (index, box)
        assert box["x"] + box["width"] <= width + 0.5, (index, box)
        assert box["y"] + box["height"] <= height + 0.5, (index, box)
        whole = tile.evaluate("node => node.scrollHeight <= node.clientHeight + 1")
        assert whole, (index, width, tile.inner_text())
        sizes = tile.evaluate(
            """node => [".synthesis-tile-title", ".synthesis-tile-provenance", ".synthesis-example-text"]
                .map(s => node.querySelector(s)).map(n => n ? parseFloat(getComputedStyle(n).fontSize) : null)"""
        )
        title, provenance, example = sizes
        assert title > card_text and provenance >= card_text - 0.1, sizes
        assert example is None or example >= card_text - 0.1, sizes
    return count


def test_twenty_themes_come_in_pages_that_fit_the_projector(live_server, open_context, connect):
    created, themes = twenty_themes(live_server, connect)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    boards = {
        (1920, 1080): open_board(open_context, created, 1920, 1080),
        (1280, 720): open_board(open_context, created, 1280, 720),
    }
    for (width, height), board in boards.items():
        per_page = check_page_fits(board, width, height)
        assert per_page <= 9
        pages = math.ceil(THEMES / per_page)
        assert pages >= 3, (width, per_page)  # 20 themes never on fewer than 3 pages of at most 9
        indicator = board.locator("#synthesis-page")
        expect(indicator).to_have_text(f"Page 1 / {pages}")
        assert page_ids(board) == themes[:per_page]  # the synthesis order: the most shared themes first
        board.screenshot(path=str(SCREENSHOTS / f"synthesis-pages-{width}x{height}-page1.png"))

        # Every page fits, and the pages read in order show every theme once, in order.
        seen = list(page_ids(board))
        turn = board.get_by_role("button", name="Page suivante")
        for number in range(2, pages + 1):
            if width == 1920:
                board.keyboard.press("ArrowRight" if number % 2 else "PageDown")
            else:
                turn.click()
            expect(indicator).to_have_text(f"Page {number} / {pages}")
            check_page_fits(board, width, height)
            if number == 2:
                board.screenshot(path=str(SCREENSHOTS / f"synthesis-pages-{width}x{height}-page2.png"))
            seen += page_ids(board)
        assert seen == themes, (width, seen)
        # After the last page, the first (as the presenter mode does); back: the last again.
        if width == 1920:
            board.keyboard.press("PageDown")
            expect(indicator).to_have_text(f"Page 1 / {pages}")
            board.keyboard.press("ArrowLeft")
            expect(indicator).to_have_text(f"Page {pages} / {pages}")
            board.keyboard.press("PageUp")
            expect(indicator).to_have_text(f"Page {pages - 1} / {pages}")
        else:
            turn.click()
            expect(indicator).to_have_text(f"Page 1 / {pages}")
            board.get_by_role("button", name="Page précédente").click()
            expect(indicator).to_have_text(f"Page {pages} / {pages}")

    # A page change stays on its screen: the small board does not follow the large one.
    large, small = boards[(1920, 1080)], boards[(1280, 720)]
    small_before = small.locator("#synthesis-page").inner_text()
    large_before = large.locator("#synthesis-page").inner_text()
    large.keyboard.press("PageDown")
    expect(large.locator("#synthesis-page")).not_to_have_text(large_before)
    large.wait_for_timeout(300)
    expect(small.locator("#synthesis-page")).to_have_text(small_before)

    # The buttons: labelled, at least 44 px, a visible focus ring from the keyboard.
    for name in ("Page précédente", "Page suivante"):
        box = small.get_by_role("button", name=name).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (name, box)
    small.get_by_role("button", name="Page précédente").focus()
    small.keyboard.press("Tab")
    focused = small.evaluate(
        """() => { const n = document.activeElement; const s = getComputedStyle(n);
                   return [n.id, n.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert focused[0] == "synthesis-next" and focused[1] and focused[2] != "none" and focused[3] >= 2, focused

    # A theme on page 2 of the large board is renamed while it shows page 2: it changes there, and the
    # board stays on page 2; the small board keeps its own page.
    large.keyboard.press("PageUp")
    while large.locator("#synthesis-page").inner_text().split(" / ")[0] != "Page 2":
        large.keyboard.press("PageUp")
    large_pages = large.locator("#synthesis-page").inner_text().split(" / ")[1]
    small_before = small.locator("#synthesis-page").inner_text()
    target = page_ids(large)[1]
    base, headers = api(live_server, created)
    title = "Le thermalisme et la santé : une offre commune"
    reply = requests.patch(
        f"{base}/themes/{target}", json={"title": title}, headers=headers, timeout=ACK_TIMEOUT
    )
    assert reply.status_code == 200, reply.text
    expect(large.locator(f"[data-synthesis-theme='{target}'] .synthesis-tile-title")).to_have_text(title)
    expect(large.locator("#synthesis-page")).to_have_text(f"Page 2 / {large_pages}")
    check_page_fits(large, 1920, 1080)
    expect(small.locator("#synthesis-page")).to_have_text(small_before)
    large.screenshot(path=str(SCREENSHOTS / "synthesis-pages-1920x1080-renamed.png"))

    # A smaller window (the projector's resolution changed): the board measures again, keeps the theme
    # at the top of its page in sight, and every tile still fits.
    first = page_ids(large)[0]
    large.set_viewport_size({"width": 1366, "height": 768})
    expect(large.locator(f"[data-synthesis-theme='{first}']")).to_be_visible()
    check_page_fits(large, 1366, 768)
    large.screenshot(path=str(SCREENSHOTS / "synthesis-pages-1366x768.png"))
