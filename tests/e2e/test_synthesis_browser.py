"""The compte rendu from the facilitator console, in Chromium: the synthesis editor (propose the themes
with the real clustering subprocess, rename with the keyboard, merge two, split one), then report.json
from the console's button carries the edits; every report button downloads a file of its type, named
with the workshop's title and date. Screenshots at 1280×800 and 800×1280."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest
from harness import ROOT

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
BUILD = 240_000  # ms: a report or a proposal loads spaCy and pandas in a subprocess on a busy machine

CARDS = {
    1: [("forces", "Des eaux thermales réputées"), ("attentes", "Former les saisonniers"),
        ("faiblesses", "Pas de transports en commun")],
    2: [("forces", "La qualité des eaux thermales"), ("attentes", "Formation des saisonniers"),
        ("contributions", "Je partage nos fichiers de clientèle")],
    3: [("forces", "Eaux thermales reconnues"), ("faiblesses", "Transports en commun insuffisants"),
        ("attentes", "Un label commun à toutes les stations")],
}  # fmt: skip


def workshop_with_cards(live_server, connect):
    """A 3-table workshop with CARDS posted; `created["posted"]` maps each text to its card id."""
    created = live_server.create_workshop(groups=3, title="Assises du thermalisme")
    posted = {}
    for table, cards in CARDS.items():
        phone = connect(live_server, f"table {table}")
        phone.join(code=created["code"], role="participant", group=table, name=f"Personne {table}")
        for family, text in cards:
            ack = phone.post(family, text)
            assert ack["ok"], ack
            posted[text] = ack["card"]["id"]
    created["posted"] = posted
    return created


def open_console(open_context, created, viewport=(1280, 800)):
    width, height = viewport
    page = open_context(viewport={"width": width, "height": height}, accept_downloads=True).new_page()
    page.goto(created["facilitator_url"])
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    return page


def download(page, fmt):
    button = page.locator(f"#report-download [data-report='{fmt}']")
    with page.expect_download(timeout=BUILD) as info:
        button.click()
        expect(page.locator("#report-status")).to_contain_text("Préparation du compte rendu")
    expect(page.locator("#report-status")).to_contain_text("Téléchargé", timeout=BUILD)
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


def test_the_facilitator_edits_the_synthesis_and_the_report_carries_it(live_server, open_context, connect):
    created = workshop_with_cards(live_server, connect)
    page = open_console(open_context, created)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#report-download").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "report-console-1280x800.png"))

    page.locator("#synthesis-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Synthèse")
    expect(page.locator("#synth-empty")).to_be_visible()
    page.get_by_role("button", name="Proposer les thèmes").click()
    expect(page.locator("#synth-status")).to_contain_text("Thèmes proposés", timeout=BUILD)
    themes = page.locator(".synth-theme")
    assert themes.count() >= 3
    page.screenshot(path=str(SCREENSHOTS / "synthesis-top-1280x800.png"))
    expect(themes.first.locator(".synth-provenance")).to_contain_text("Soulevé par")

    # Rename with the keyboard: the title's field, new text, Enter.
    first = themes.nth(0)
    first_id = first.get_attribute("data-theme-id")
    field = first.get_by_label("Titre du thème")
    field.fill("Eau thermale, notre force")
    field.press("Enter")
    expect(page.locator("#synth-status")).to_have_text("Thème renommé.")
    expect(page.locator(f"#theme-title-{first_id}")).to_have_text("Eau thermale, notre force")
    expect(page.locator(f"#theme-title-{first_id}")).to_be_focused()

    # Merge the second theme into the first.
    second_id = themes.nth(1).get_attribute("data-theme-id")
    second_cards = themes.nth(1).locator(".synth-card-text").all_text_contents()
    page.locator("#merge-into").select_option(first_id)
    page.locator("#merge-from").select_option(second_id)
    page.get_by_role("button", name="Fusionner", exact=True).click()
    expect(page.locator("#synth-status")).to_have_text("Thèmes fusionnés.")
    expect(page.locator(f"[data-theme-id='{second_id}']")).to_have_count(0)
    merged = page.locator(f"[data-theme-id='{first_id}']")
    for text in second_cards:
        expect(merged.locator(".synth-card-text", has_text=text)).to_have_count(1)

    # Split: tick the merged theme's last card, name the new theme.
    moved_text = merged.locator(".synth-card-text").last.text_content()
    merged.locator(".synth-card input[type=checkbox]").last.check()
    merged.get_by_label("Nouveau thème avec les cartes cochées").fill("Sources reconnues")
    merged.get_by_role("button", name="Nouveau thème", exact=True).click()
    expect(page.locator("#synth-status")).to_have_text("Nouveau thème créé.")
    new_theme = page.locator(".synth-theme").nth(1)
    expect(new_theme.locator(".synth-title")).to_have_text("Sources reconnues")
    expect(new_theme.locator(".synth-card-text")).to_have_text([moved_text])
    expect(new_theme.locator(".synth-edited")).to_be_visible()

    # Move one card of the third theme into the first, with its own "Déplacer vers…" control.
    third = page.locator(".synth-theme").nth(2)
    card = third.locator(".synth-card").first
    moving_text = card.locator(".synth-card-text").text_content()
    target = card.get_by_label("Déplacer cette carte vers un autre thème")
    target.focus()  # the themes are listed when the control is reached
    target.select_option(first_id)
    card.get_by_role("button", name="Déplacer").click()
    expect(page.locator("#synth-status")).to_have_text("Carte déplacée.")
    expect(merged.locator(".synth-card-text", has_text=moving_text)).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "synthesis-1280x800.png"))
    page.set_viewport_size({"width": 800, "height": 1280})
    page.screenshot(path=str(SCREENSHOTS / "synthesis-800x1280.png"))
    page.set_viewport_size({"width": 1280, "height": 800})

    # Back on the console: report.json from its button carries the edits.
    page.locator("#synth-back").click()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    name, content = download(page, "json")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert name == f"compte-rendu-assises-du-thermalisme-{today}.json"
    report = json.loads(content)
    titles = [theme["title"] for theme in report["themes"]]
    assert titles[:2] == ["Eau thermale, notre force", "Sources reconnues"]
    assert [card["text"] for card in report["themes"][1]["cards"]] == [moved_text]
    first_texts = [card["text"] for card in report["themes"][0]["cards"]]
    assert all(text in first_texts for text in second_cards if text != moved_text)
    assert moving_text in first_texts
    ids = [card["id"] for theme in report["themes"] for card in theme["cards"]]
    assert len(ids) == len(set(ids)) == sum(len(cards) for cards in CARDS.values())


def test_every_report_button_downloads_a_file_of_its_type(live_server, open_context, connect):
    created = workshop_with_cards(live_server, connect)
    page = open_console(open_context, created, viewport=(800, 1280))
    page.locator("#report-download").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-console-800x1280.png"))
    buttons = page.locator("#report-download [data-report]")
    expect(buttons).to_have_count(7)
    for index in range(7):
        box = buttons.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    zipped = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml", "xlsx": "xl/workbook.xml"}
    for fmt in ("docx", "pdf", "pptx", "xlsx", "csv", "json", "html"):
        name, content = download(page, fmt)
        assert name == f"compte-rendu-assises-du-thermalisme-{today}.{fmt}", name
        if fmt in zipped:
            assert zipped[fmt] in zipfile.ZipFile(io.BytesIO(content)).namelist(), fmt
        elif fmt == "pdf":
            assert content.startswith(b"%PDF")
        elif fmt == "csv":
            # The console's button asks for the file French Excel opens: `;`, a BOM (report.csv?excel=1).
            assert content.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
            assert len(rows) == 1 + sum(len(cards) for cards in CARDS.values())
            assert any("Eaux thermales reconnues" in row for row in rows)
        elif fmt == "json":
            assert json.loads(content)["totals"]["cards"] == 9
        else:
            assert b"<html" in content[:500].lower() and b"Assises du thermalisme" in content


def test_a_failed_report_says_so_in_french(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2, title="Sans jeton")
    open_context.watch.allow(r"status of 401")  # Chromium logs the refused request
    page = open_console(open_context, created)
    page.evaluate("window.localStorage.clear()")  # the token is gone: the server refuses (401)
    page.locator("#report-download [data-report='csv']").click()
    status = page.locator("#report-status")
    expect(status).to_contain_text("Le compte rendu n’a pas pu être préparé")
    expect(status).to_contain_text("clé valide")
    expect(page.locator("#report-download [data-report='csv']")).to_be_enabled()
