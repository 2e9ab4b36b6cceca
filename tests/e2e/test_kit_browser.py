"""The facilitator console's kit buttons in Chromium at 1366×768: posters and paper cards download at
once and change no link; the référent sheets (every table or one) ask for a second click, since they
re-issue référent links, then download with the console's token; the slides download at once."""

import io

import pytest
from harness import ROOT
from pypdf import PdfReader

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def pdf_length(download) -> int:
    return len(PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)


def test_the_console_downloads_posters_referent_sheets_and_slides(live_server, open_context, connect):
    created = live_server.create_workshop(groups=9)
    code = created["code"]
    page = open_context(viewport={"width": 1366, "height": 768}, accept_downloads=True).new_page()
    page.goto(created["facilitator_url"])
    posters = page.get_by_role("button", name="Affiches et cartes papier (PDF)")
    expect(posters).to_be_visible()
    assert "#t=" not in page.url  # the token left the address bar for localStorage

    # Posters: no confirmation, no link changed (issue 16, point 10).
    with page.expect_download() as download:
        posters.click()
    assert download.value.suggested_filename == f"kit-{code}-posters.pdf"
    assert pdf_length(download) == 9 + 1 + 4
    status = page.locator("#kit-status")
    expect(status).to_have_text("Téléchargé.")
    still = connect(live_server, "référent link after the posters")
    kept = still.call(
        "join", {"code": code, "role": "referent", "token": created["groups"][0]["referent_token"]}
    )
    assert kept["ok"] is True, kept

    # One table's sheet: a second click confirms, then only table 2's link changes.
    page.get_by_label("Fiches référents pour").select_option("2")
    sheets = page.get_by_role("button", name="Fiches référents (PDF)\u00a0: nouveaux liens")
    sheets.click()
    expect(status).to_contain_text("Nouveau lien référent pour la table 2")
    confirm = page.get_by_role("button", name="Confirmer\u00a0: nouveaux liens référents")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kit-console-confirm-1366.png"))
    with page.expect_download() as download:
        confirm.click()
    assert download.value.suggested_filename == f"kit-{code}-referents-table-2.pdf"
    assert pdf_length(download) == 1
    expect(status).to_contain_text("les liens référents précédents ne marchent plus")
    expect(sheets).to_be_visible()  # back to its label, ready for another build

    old = connect(live_server, "old référent link")
    refused = old.call(
        "join", {"code": code, "role": "referent", "token": created["groups"][1]["referent_token"]}
    )
    assert refused["ok"] is False and refused["error"]["code"] == "bad_token"
    other = connect(live_server, "table 3 référent link")
    kept = other.call(
        "join", {"code": code, "role": "referent", "token": created["groups"][2]["referent_token"]}
    )
    assert kept["ok"] is True, kept

    with page.expect_download() as slides:
        page.get_by_role("button", name="Diapositives (PPTX)").click()
    assert slides.value.suggested_filename == f"kit-{code}.pptx"
    assert open(slides.value.path(), "rb").read(2) == b"PK"  # a zip: PPTX


def pdf_text(download) -> list[str]:
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_kit_options_set_in_the_console_reach_the_pdf(live_server, open_context):
    """Issue 16, point 16: start time, contact, rules, poster size and card pages from the console."""
    created = live_server.create_workshop(groups=3)
    context = open_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.goto(created["facilitator_url"])
    page.get_by_text("Options du kit").click()
    page.get_by_label("Heure de début de la première étape").fill("14:00")
    page.get_by_label("Contact sur les fiches référents").fill("Marie Dupont 06 12 34 56 78")
    page.get_by_label("Règles du jeu (une par ligne)").fill("Parler court.\nÉcouter jusqu’au bout.")
    page.get_by_label("Affiches", exact=True).select_option("both")
    page.get_by_label("Pages de cartes papier par famille").fill("0")
    summary = page.locator("#kit-options-summary")
    expect(summary).to_have_text("(début 14:00 · affiches A4 et A3 · 0 page de cartes par famille)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kit-options-1366.png"), full_page=True)

    page.get_by_label("Fiches référents pour").select_option("1")
    page.get_by_role("button", name="Fiches référents (PDF)\u00a0: nouveaux liens").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirmer\u00a0: nouveaux liens référents").click()
    (sheet,) = pdf_text(download)
    assert "14 h 00" in sheet and "14 h 15" in sheet
    assert "Marie Dupont 06 12 34 56 78" in sheet

    with page.expect_download() as download:
        page.get_by_role("button", name="Affiches et cartes papier (PDF)").click()
    pages = pdf_text(download)
    assert len(pages) == (3 + 1) * 2  # the posters in A4 then A3, the rules in A4 and A3, no cards
    assert "Parler court." in pages[6] and "Une idée par carte." not in pages[6]

    # Reopened, the console keeps the options; emptied, the start is never guessed.
    page.reload()
    page.get_by_text("Options du kit").click()
    start = page.get_by_label("Heure de début de la première étape")
    expect(start).to_have_value("14:00")
    expect(summary).to_contain_text("début 14:00")  # the closed panel says what will be used
    start.fill("")
    start.dispatch_event("change")
    page.get_by_label("Fiches référents pour").select_option("1")
    page.get_by_role("button", name="Fiches référents (PDF)\u00a0: nouveaux liens").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirmer\u00a0: nouveaux liens référents").click()
    (sheet,) = pdf_text(download)
    assert "__ h __" in sheet and "+15 min" in sheet and "9 h 30" not in sheet
