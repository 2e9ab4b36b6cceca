"""The facilitator console's kit buttons in Chromium: the PDF asks for a second click (it issues new
référent links), then downloads with the console's token; the slides download at once."""

import io

import pytest
from harness import ROOT
from pypdf import PdfReader

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


def test_the_console_downloads_the_kit_and_the_slides(live_server, open_context, connect):
    created = live_server.create_workshop(groups=9)
    page = open_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True).new_page()
    page.goto(created["facilitator_url"])
    pdf_button = page.get_by_role("button", name="Télécharger le kit (PDF)")
    expect(pdf_button).to_be_visible()
    assert "#t=" not in page.url  # the token left the address bar for localStorage

    pdf_button.click()
    status = page.locator("#kit-status")
    expect(status).to_contain_text("les liens référents donnés auparavant ne marcheront plus")
    confirm = page.get_by_role("button", name="Confirmer : créer le kit")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kit-console-confirm.png"))
    with page.expect_download() as download:
        confirm.click()
    assert download.value.suggested_filename == f"kit-{created['code']}.pdf"
    pages = PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages
    assert len(pages) == 9 + 1 + 9 + 4
    expect(status).to_have_text("Téléchargé.")
    expect(pdf_button).to_be_visible()  # back to its label, ready for another build

    # The sheets carry new référent links: the one handed out at creation no longer opens table 1.
    old = connect(live_server, "old référent link")
    refused = old.call(
        "join", {"code": created["code"], "role": "referent", "token": created["groups"][0]["referent_token"]}
    )
    assert refused["ok"] is False and refused["error"]["code"] == "bad_token"

    with page.expect_download() as slides:
        page.get_by_role("button", name="Diapositives (PPTX)").click()
    assert slides.value.suggested_filename == f"kit-{created['code']}.pptx"
    assert open(slides.value.path(), "rb").read(2) == b"PK"  # a zip: PPTX
