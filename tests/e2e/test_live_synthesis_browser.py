"""The live synthesis in Chromium: two organisers on the Synthèse page see each other's changes without a
reload (a title being typed on the second page survives the first page's rename), the first one projects
the synthesis, a 1920×1080 board switches to the "Synthèse" view with the themes' titles and provenance
and follows a later rename; a card hidden by the facilitator leaves the board's tiles; stopping the
projection brings the board back to its cards. Keys 5 and 1 and ?view=synthesis reach the view.
Screenshots: the board at 1920×1080, the Synthèse page at 1280 and 360 px, the console at 1280."""

import pytest
import requests
from harness import ACK_TIMEOUT, ROOT
from test_synthesis_browser import workshop_with_cards

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
BUILD = 240_000  # ms: a proposal loads spaCy in a subprocess on a busy machine


def split_until(live_server, created, wanted, title="Un thème scindé numéro {n} au titre long"):
    """Split themes through the API (each time the last card of a theme with two or more) until there are
    `wanted` themes, with long titles that wrap (`title`, {n}: the new theme's number); return them."""
    base = f"{live_server.url}/api/workshops/{created['code']}/synthesis"
    headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
    themes = requests.get(base, headers=headers, timeout=ACK_TIMEOUT).json()["themes"]
    while len(themes) < wanted:
        theme = next(t for t in themes if len(t["cards"]) > 1)
        body = {"cards": [theme["cards"][-1]["id"]], "title": title.format(n=len(themes) + 1)}
        reply = requests.post(
            f"{base}/themes/{theme['id']}/split", json=body, headers=headers, timeout=ACK_TIMEOUT
        )
        assert reply.status_code == 200, reply.text
        themes = reply.json()["themes"]
    return themes


def synthesis_page(open_context, created, width, height=900):
    """A Synthèse page in a browser of its own (its own storage): the token travels in the fragment."""
    page = open_context(viewport={"width": width, "height": height}).new_page()
    base = created["facilitator_url"].split("#", 1)[0]
    token = created["facilitator_token"]
    page.goto(f"{base}/synthese#t={token}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Synthèse")
    return page


def test_two_organisers_stay_in_sync_and_the_board_shows_the_projected_synthesis(
    live_server, open_context, connect
):
    created = workshop_with_cards(live_server, connect)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = synthesis_page(open_context, created, 1280)
    second = synthesis_page(open_context, created, 1280)
    board = open_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(created["board_url"])
    expect(board.locator("body")).to_have_attribute("data-connection", "connected")
    expect(board.locator("body")).to_have_attribute("data-view", "all")
    expect(first.locator("#synth-project")).to_be_disabled()  # nothing to show yet

    # The first organiser proposes: the second page shows the themes without a reload.
    first.get_by_role("button", name="Proposer les thèmes").click()
    expect(first.locator("#synth-status")).to_contain_text("Thèmes proposés", timeout=BUILD)
    themes = first.locator(".synth-theme")
    count = themes.count()
    assert count >= 3
    expect(second.locator(".synth-theme")).to_have_count(count)
    expect(second.locator("#synth-remote")).to_contain_text("modifiée sur un autre écran")

    # The second organiser is typing a new title for the second theme when the first renames the first.
    first_id = themes.nth(0).get_attribute("data-theme-id")
    second_id = themes.nth(1).get_attribute("data-theme-id")
    typing = second.locator(f"#rename-{second_id}")
    typing.fill("Les saisonniers, en cours de frappe")
    typing.focus()
    field = first.locator(f"#rename-{first_id}")
    field.fill("Eau thermale, notre force")
    field.press("Enter")
    expect(first.locator("#synth-status")).to_have_text("Thème renommé.")
    expect(second.locator(f"#theme-title-{first_id}")).to_have_text("Eau thermale, notre force")
    expect(second.locator(f"#rename-{first_id}")).to_have_value("Eau thermale, notre force")
    expect(typing).to_have_value("Les saisonniers, en cours de frappe")  # the edit in progress is kept
    expect(typing).to_be_focused()

    # The first organiser projects: the board switches to the Synthèse view.
    first.get_by_role("button", name="Projeter sur l’écran").click()
    expect(first.locator("#synth-projected")).to_be_visible()
    expect(first.locator("#synth-project")).to_have_text("Arrêter de projeter")
    expect(second.locator("#synth-projected")).to_be_visible()
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    tiles = board.locator(".synthesis-tile")
    expect(tiles).to_have_count(count)
    water = board.locator(f"[data-synthesis-theme='{first_id}']")
    expect(water.locator(".synthesis-tile-title")).to_have_text("Eau thermale, notre force")
    expect(water.locator(".synthesis-tile-provenance")).to_have_text("Soulevé par 3 tables sur 3")
    expect(water.locator(".synthesis-tile-count")).to_contain_text("cartes")
    expect(board.locator(".join-panel")).to_be_hidden()
    # Large and readable at 1920×1080: every tile fits in the window, titles are big.
    size = water.locator(".synthesis-tile-title").evaluate(
        "node => parseFloat(getComputedStyle(node).fontSize)"
    )
    assert size >= 28, size
    for index in range(count):
        box = tiles.nth(index).bounding_box()
        assert box["y"] + box["height"] <= 1080, (index, box)

    # The second organiser's rename reaches the board live.
    typing.press("Enter")
    expect(board.locator(f"[data-synthesis-theme='{second_id}'] .synthesis-tile-title")).to_have_text(
        "Les saisonniers, en cours de frappe"
    )
    board.screenshot(path=str(SCREENSHOTS / "synthesis-board-1920x1080.png"))

    # A card hidden by the facilitator leaves the tiles at once (its text never reaches a board).
    examples = water.locator(".synthesis-example-text")
    expect(examples.first).to_be_visible()
    shown = examples.all_text_contents()
    staff = connect(live_server, "console")
    staff.join(code=created["code"], role="facilitator", token=created["facilitator_token"])
    assert staff.call("card:hide", {"card_id": created["posted"][shown[0]]})["ok"]
    expect(water.locator(".synthesis-example-text", has_text=shown[0])).to_have_count(0)
    edited = staff.call(
        "card:edit", {"card_id": created["posted"][shown[1]], "text": "Des eaux thermales de qualité"}
    )
    assert edited["ok"], edited
    expect(water.locator(".synthesis-example-text", has_text="Des eaux thermales de qualité")).to_have_count(
        1
    )
    board.reload()  # a late board: the snapshot has the projected synthesis, without the hidden card
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    expect(board.locator(".synthesis-tile")).to_have_count(count)
    expect(board.get_by_text(shown[0])).to_have_count(0)

    first.screenshot(path=str(SCREENSHOTS / "synthesis-live-1280.png"), full_page=True)
    first.set_viewport_size({"width": 360, "height": 780})
    first.screenshot(path=str(SCREENSHOTS / "synthesis-live-360.png"), full_page=True)
    for button in ("#synth-project", "#synth-propose"):
        box = first.locator(button).bounding_box()
        assert box["height"] >= 44 and box["width"] <= 360, (button, box)
    first.set_viewport_size({"width": 1280, "height": 900})

    # Stop: the board goes back to its cards.
    first.get_by_role("button", name="Arrêter de projeter").click()
    expect(first.locator("#synth-projected")).to_be_hidden()
    expect(board.locator("body")).to_have_attribute("data-view", "all")
    expect(board.locator(".synthesis-tile")).to_have_count(0)


def test_the_console_projects_and_the_keys_reach_the_view(live_server, open_context, connect):
    created = workshop_with_cards(live_server, connect)
    editor = synthesis_page(open_context, created, 1280)
    editor.get_by_role("button", name="Proposer les thèmes").click()
    expect(editor.locator("#synth-status")).to_contain_text("Thèmes proposés", timeout=BUILD)

    console = open_context(viewport={"width": 1280, "height": 800}).new_page()
    console.goto(created["facilitator_url"])
    expect(console.locator("body")).to_have_attribute("data-connection", "connected")
    board = open_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(created["board_url"].replace("#", "?view=synthesis#"))
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    expect(board.locator("#synthesis-board-empty")).to_have_text("La synthèse n’est pas encore projetée.")
    board.keyboard.press("1")
    expect(board.locator("body")).to_have_attribute("data-view", "all")

    button = console.locator("#synthesis-project")
    expect(button).to_have_text("Projeter la synthèse sur l’écran")
    button.click()
    expect(button).to_have_text("Arrêter de projeter la synthèse")
    expect(editor.locator("#synth-projected")).to_be_visible()  # the Synthèse page follows the console
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")
    expect(board.locator(".synthesis-tile").first).to_be_visible()
    expect(console.locator("body")).to_have_attribute("data-view", "synthesis")
    expect(console.locator("#synthesis-board-state")).to_have_text("La synthèse est projetée sur l’écran.")
    console.screenshot(path=str(SCREENSHOTS / "synthesis-console-1280x800.png"))
    board.keyboard.press("1")
    expect(board.locator("body")).to_have_attribute("data-view", "all")
    board.keyboard.press("5")
    expect(board.locator("body")).to_have_attribute("data-view", "synthesis")

    # Nine themes still fit the projector's 1920×1080, each tile whole.
    count = len(split_until(live_server, created, 9))
    tiles = board.locator(".synthesis-tile")
    expect(tiles).to_have_count(count)
    expect(editor.locator(".synth-theme")).to_have_count(count)  # the Synthèse page followed the API
    board.screenshot(path=str(SCREENSHOTS / "synthesis-board-9-themes-1920x1080.png"))
    for index in range(count):
        box = tiles.nth(index).bounding_box()
        assert box["y"] + box["height"] <= 1080, (index, box)
    # Issue 16: at 9 tiles every tile keeps an example card, and names its tables, not "tables 1, 3".
    names = {g["number"]: g["name"] for g in created["groups"]}
    expect(board.locator(".synthesis-tile:not(:has(.synthesis-example))")).to_have_count(0)
    listed = board.locator(".synthesis-tile-tables").all_inner_texts()
    assert listed and all(not text.startswith(("table ", "tables ")) for text in listed), listed
    assert all(any(name in text for name in names.values()) for text in listed), (listed, names)
    button.click()
    expect(button).to_have_text("Projeter la synthèse sur l’écran")
    expect(board.locator("body")).to_have_attribute("data-view", "all")
