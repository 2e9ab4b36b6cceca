"""Issue 16's checks on the demo (`python -m facilitator.demo`: 9 tables, 90 cards, 93 people, three
hidden cards, themes, paper dots), as a facilitator would try it before the day.

Board at 1920×1080 and 1366×768: every card reachable on « Toutes les cartes » (each column's pages
« n / N », every card id on some page), the plenary it opens on fits the window (labels and dots ≥ 28 px
at 1080p), the console's presenter control changes the board's view, hidden cards appear nowhere on
the projection (cards, synthesis) nor in the compte rendu's body. Phone at 360×740: reprinting the
posters keeps the référent's link working, the participant's phone page fits the width.
Screenshots: /tmp/shots-i16deliver/demo-*.png."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from phones import connected
from test_board_room_browser import SIZES, plenary_fits, reachable_ids
from test_browser import PHONE

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/shots-i16deliver")
sys.path.insert(0, str(ROOT))
from facilitator import demo  # noqa: E402

HIDDEN = [text for _, _, text in demo.HIDDEN]


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"demo-{name}.png"))


@pytest.fixture(scope="module")
def room(shared_servers):
    """The demo played once into the shared server's database, through its own command; its links."""
    server = shared_servers("eventlet")
    done = subprocess.run(
        [sys.executable, "-m", "facilitator.demo"],
        cwd=ROOT,
        env=server.environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    links = dict(re.findall(r"^\s*(.+?) : (http\S+)$", done.stdout, re.MULTILINE))
    links["server"] = server
    facilitator = links["Console d’animation"]
    links["code"] = facilitator.split("/f/")[1].split("#")[0]
    links["auth"] = {"Authorization": f"Bearer {facilitator.split('#t=')[1]}"}
    return links


def api(room, method, path, **kwargs):
    url = f"{room['server'].url}/api/workshops/{room['code']}/{path}"
    answer = requests.request(method, url, headers=room["auth"], timeout=120, **kwargs)
    assert answer.status_code == 200, answer.text
    return answer


def test_the_demo_board_at_the_room_size(room, open_context):
    for size, viewport in SIZES.items():
        board = open_context(viewport=viewport).new_page()
        board.goto(room["Tableau à projeter"])
        connected(board)
        # The demo stops on the plenary vote: the board opens there, and the 9 tables fit.
        expect(board.locator("body")).to_have_attribute("data-view", "plenary")
        expect(board.locator("[data-plenary-group]")).to_have_count(9)
        expect(board.locator(".ranking-row.is-leader").first).to_be_visible()
        board.wait_for_timeout(300)
        shoot(board, f"{size}-plenary")
        plenary_fits(board, viewport, size)

        # « Toutes les cartes »: 90 cards, every one on some page of its column, « n / N » shown.
        board.keyboard.press("1")
        expect(board.locator("body")).to_have_attribute("data-view", "all")
        expect(board.locator(".board-card")).to_have_count(90)
        board.wait_for_timeout(1300)  # the arrival highlight fades
        shoot(board, f"{size}-all")
        ids, pages = reachable_ids(board)
        every = set(board.locator(".board-card").evaluate_all("n => n.map(c => Number(c.dataset.cardId))"))
        missing = board.evaluate(
            """ids => ids.map(id => { const c = document.querySelector(`[data-card-id="${id}"]`);
                 const l = c.closest("[data-cards-family]"); const b = c.getBoundingClientRect();
                 const f = l.getBoundingClientRect();
                 return [id, c.className, l.getAttribute("data-page") + "/" + l.getAttribute("data-pages"),
                         Math.round(b.top), Math.round(b.bottom), Math.round(f.top), Math.round(f.bottom)]; })""",
            sorted(every - ids),
        )
        assert ids == every and len(every) == 90, (pages, len(ids), missing)
        paged = board.locator("[data-page-family]:not([hidden])").all_inner_texts()
        assert all(re.fullmatch(r"\d+–\d+ / \d+", text) for text in paged), paged
        if pages > 1:
            assert paged, "a column with several pages says which one shows"
        text = board.locator("body").inner_text()
        assert not any(hidden in text for hidden in HIDDEN)

        # The Synthèse proposal (once) leaves the hidden cards out; projected, its tiles quote none.
        if not room.get("proposed"):
            proposal = api(room, "POST", "synthesis/propose", json={}).json()
            quoted = [c["text"] for theme in proposal["themes"] for c in theme["cards"]]
            quoted += [theme["title"] for theme in proposal["themes"]]
            assert quoted and not any(hidden in text for text in quoted for hidden in HIDDEN)
            room["proposed"] = True
        api(room, "POST", "synthesis/projection", json={"projected": True})
        expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
        expect(board.locator(".synthesis-tile").first).to_be_visible()
        board.wait_for_timeout(300)
        shoot(board, f"{size}-synthesis")
        text = board.locator("body").inner_text()
        assert not any(hidden in text for hidden in HIDDEN)
        api(room, "POST", "synthesis/projection", json={"projected": False})
        expect(board.locator("body")).to_have_attribute("data-view", "all")  # back where it was

        # Presenter control: the console puts one table, then the presentation, on the board.
        console = open_context(viewport=viewport).new_page()
        console.goto(room["Console d’animation"])
        connected(console)
        console.locator("#board-control-group").select_option("5")
        console.locator('[data-board-view="table"]').click()
        expect(board.locator("body")).to_have_attribute("data-view", "table")
        expect(board.locator("#board-table-title")).to_have_text("Table 5")
        console.locator('[data-board-view="present"]').click()
        expect(board.locator("#presenter")).to_be_visible()
        # The console's « next » turns the board's tables; table 5 filed a mixed theme « Transverse »:
        # it is presented after the families.
        for n in range(2, 6):
            console.locator("#board-control-next").click()
            expect(board.locator("#presenter-progress")).to_have_text(f"Table {n} / 9")
        transverse = board.locator("#presenter-body .essential-family.family-transverse")
        expect(transverse).to_contain_text("Bien accueillir les curistes")
        shoot(board, f"{size}-presentation")
        expect(board.locator("#presenter-body")).not_to_contain_text(HIDDEN[0])
        console.locator('[data-board-view="plenary"]').click()
        expect(board.locator("body")).to_have_attribute("data-view", "plenary")
        board.context.close()
        console.context.close()


def test_the_report_of_the_demo_never_quotes_a_hidden_card(room):
    answer = api(room, "GET", "report.html")
    body, _, annex = answer.text.partition("Annexe")
    assert "Transverse" in body and "sur papier par les référents" in body
    assert not any(hidden in body for hidden in HIDDEN)
    assert all(f"{hidden} (masquée)" in annex for hidden in HIDDEN)  # the workshop's default: marked


def test_reprinted_posters_keep_the_referent_link_working_on_a_phone(room, open_context):
    answer = api(room, "POST", "kit.pdf?part=posters", json={})
    assert answer.content.startswith(b"%PDF")
    referent = open_context(**PHONE).new_page()
    referent.goto(room["Table 2"])
    connected(referent)
    expect(referent.locator("body")).not_to_contain_text("Ce lien ne fonctionne plus")
    expect(referent.locator("[data-card-id]").first).to_be_visible()
    shoot(referent, "360x740-referent")
    width = referent.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    # Table 5's référent filed its mixed theme « Transverse »: the console says so.
    referent.goto(room["Table 5"])
    connected(referent)
    filed = referent.locator(".theme-family select")
    expect(filed).to_have_value("transverse")
    expect(filed.locator("option:checked")).to_have_text("Transverse")
    filed.scroll_into_view_if_needed()
    shoot(referent, "360x740-referent-transverse")
    expect(referent.locator('#essentials-families [data-family="transverse"]')).to_contain_text(
        "Bien accueillir les curistes"
    )

    phone = open_context(**PHONE).new_page()
    phone.goto(room["Lien des participants"] + "?g=5")
    phone.locator("#name").fill("Yvette")
    phone.locator("#join-form [type=submit]").click()
    connected(phone)
    phone.wait_for_timeout(500)
    shoot(phone, "360x740-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert not any(hidden in phone.locator("body").inner_text() for hidden in HIDDEN)
