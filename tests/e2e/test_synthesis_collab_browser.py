"""The collaborative Synthèse in Chromium (issue 17): the facilitator seeds two common themes and projects
them; three référents on phones attach their table themes in one choice each while the 1920×1080 board
shows « Soulevé par N tables sur 3 » growing live; the third proposes a new common theme for a loose card,
which appears on the board and in the other référents' pickers; a paper card like one already at the
table is flagged while it is typed. Screenshots in /tmp/shots-i17live/: a référent at 360×740 and
1366×768, the board at 1920×1080."""

from pathlib import Path

import pytest
import requests
from harness import ACK_TIMEOUT
from phones import connected

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = Path("/tmp/shots-i17live")
CARDS = {  # table → (family, text, table theme or None)
    1: [("forces", "Des eaux thermales réputées", "Nos eaux"), ("attentes", "Former les saisonniers", None)],
    2: [("forces", "La qualité des eaux thermales", "Thermalisme"), ("attentes", "Logement des saisonniers", None)],
    3: [("forces", "Eaux thermales reconnues", "Sources"), ("faiblesses", "Pas de train le dimanche", None)],
}  # fmt: skip


def room(live_server, connect):
    """3 tables, two cards each, one table theme each, two common themes seeded by hand and projected."""
    created = live_server.create_workshop(groups=3, title="Assises du thermalisme")
    staff = connect(live_server, "console")
    staff.join(code=created["code"], role="facilitator", token=created["facilitator_token"])
    created["themes"] = {}
    for table, cards in CARDS.items():
        phone = connect(live_server, f"table {table}")
        phone.join(code=created["code"], role="participant", group=table)
        for family, text, theme in cards:
            ack = phone.post(family, text)
            assert ack["ok"], ack
            if theme:
                made = staff.call(
                    "theme:create", {"title": theme, "cards": [ack["card"]["id"]], "group": table}
                )
                assert made["ok"], made
                created["themes"][table] = made["theme"]["id"]
    for title in ("Eaux thermales", "Emploi saisonnier"):
        assert staff.call("synthesis:seed", {"title": title})["ok"]
    base = f"{live_server.url}/api/workshops/{created['code']}/synthesis"
    headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
    shown = requests.post(
        f"{base}/projection", json={"projected": True}, headers=headers, timeout=ACK_TIMEOUT
    )
    assert shown.status_code == 200, shown.text
    return created


def tile(board, title):
    return board.locator(".synthesis-tile", has=board.locator(".synthesis-tile-title", has_text=title))


def test_three_referents_attach_their_themes_while_the_board_shows_the_synthesis_forming(
    live_server, open_context, connect
):
    created = room(live_server, connect)
    SHOTS.mkdir(parents=True, exist_ok=True)
    board = open_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(created["board_url"])
    connected(board)
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    water = tile(board, "Eaux thermales")
    expect(water.locator(".synthesis-tile-provenance")).to_have_text(
        "Aucune table pour l’instant : en attente des tables"
    )

    referents = []
    for group in created["groups"]:
        page = open_context(viewport={"width": 360, "height": 740}).new_page()
        page.goto(group["referent_url"])
        connected(page)
        expect(page.locator("#synthesis-panel")).to_be_visible()
        referents.append(page)

    # Each référent attaches its table theme to « Eaux thermales »: one choice in the picker.
    for count, (page, table) in enumerate(zip(referents, (1, 2, 3), strict=True), start=1):
        picker = page.locator(f"[data-pick='t{created['themes'][table]}']")
        expect(picker.locator("option", has_text="Eaux thermales")).to_have_count(1)
        picker.select_option(picker.locator("option", has_text="Eaux thermales").get_attribute("value"))
        expect(page.locator("#synthesis-note")).to_have_text("Rattaché à « Eaux thermales ».")
        wanted = "Soulevé par 1 table sur 3" if count == 1 else f"Soulevé par {count} tables sur 3"
        expect(water.locator(".synthesis-tile-provenance")).to_have_text(wanted)
    # The other référents' pickers follow: « (3 tables) » everywhere, each one's own row attached.
    for page, table in zip(referents, (1, 2, 3), strict=True):
        row = page.locator(f"[data-synthesis-item='t{created['themes'][table]}']")
        expect(row).to_have_class("synthesis-attach is-attached")
        expect(row.locator("option", has_text="Eaux thermales (3 tables)")).to_have_count(1)

    # The third référent proposes a new common theme for its loose card (« Nouveau thème commun »).
    third = referents[2]
    loose = third.locator("#synthesis-loose .synthesis-attach", has_text="Pas de train le dimanche")
    loose.locator("select").select_option(label="+ Nouveau thème commun…")
    title = loose.locator("input")
    expect(title).to_be_focused()
    title.fill("Mobilité")
    loose.get_by_role("button", name="Proposer").click()
    expect(third.locator("#synthesis-note")).to_have_text("« Mobilité » proposé aux autres tables.")
    mobility = tile(board, "Mobilité")
    expect(mobility.locator(".synthesis-tile-provenance")).to_have_text("Soulevé par 1 table sur 3")
    expect(mobility.locator(".synthesis-tile-origin")).to_have_text("proposé par la table 3")
    first = referents[0]
    expect(first.locator("option", has_text="proposé par la table 3")).to_have_count(2)  # both its pickers

    # While the first référent types a paper card like one already at the table: « Déjà sur la table ? ».
    first.locator("#card-text").fill("Former nos saisonniers")
    expect(first.locator("#duplicate-suggestion")).to_contain_text("Former les saisonniers")
    first.locator("#duplicate-skip").click()
    expect(first.locator("#card-text")).to_have_value("")

    # Naming a new table theme: the closest common theme's title, used in one tap.
    first.locator("#cards li[data-card-id]", has_text="Former les saisonniers").locator(
        "input[type=checkbox]"
    ).check()
    first.locator("#theme-title").fill("Emploi des saisonniers")
    first.locator("#title-use").click()
    expect(first.locator("#theme-title")).to_have_value("Emploi saisonnier")
    first.locator("#clear-selection").click()

    # Screenshots, then the touch targets of the panel on the phone.
    first.locator("#synthesis-panel").scroll_into_view_if_needed()
    first.screenshot(path=str(SHOTS / "referent-synthesis-360x740.png"))
    for selector in ("#synthesis-panel select",):
        box = first.locator(selector).first.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 360, box
    board.screenshot(path=str(SHOTS / "board-synthesis-1920x1080.png"))
    first.set_viewport_size({"width": 1366, "height": 768})
    first.locator("#synthesis-panel").scroll_into_view_if_needed()
    first.screenshot(path=str(SHOTS / "referent-synthesis-1366x768.png"))

    # A référent that reloads converges on the same state (its snapshot's outline).
    second = referents[1]
    second.reload()
    connected(second)
    row = second.locator(f"[data-synthesis-item='t{created['themes'][2]}']")
    expect(row).to_have_class("synthesis-attach is-attached")
    expect(row.locator("select option:checked")).to_have_text("Eaux thermales (3 tables)")

    # The facilitator's Synthèse page says where each theme comes from.
    page = open_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{created['facilitator_url'].split('#', 1)[0]}/synthese#t={created['facilitator_token']}")
    mobility_row = page.locator(".synth-theme", has_text="Mobilité")
    expect(mobility_row.locator(".synth-origin")).to_have_text("proposé par la table 3")
    expect(page.locator(".synth-theme", has_text="Emploi saisonnier").locator(".synth-origin")).to_have_text(
        "ajouté à la main"
    )
    page.screenshot(path=str(SHOTS / "synthesis-page-1366x768.png"))
