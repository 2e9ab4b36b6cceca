"""The preparation kit, read back as people use it: every QR code of a 9-table workshop's PDF is
decoded from the rendered pages (pdftoppm + zxing-cpp), each poster's code is followed by a real phone
client into its table, and each référent sheet's code opens that table's console, and only that one.
The rendered pages are kept under test-artifacts/screenshots/kit/ to look at."""

import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import zxingcpp
from harness import ACK_TIMEOUT, ROOT
from PIL import Image

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts" / "screenshots" / "kit"
TABLES = 9


def render(path: Path, prefix: str, dpi: int = 100) -> list[Path]:
    """Render every page of a PDF to PNG with poppler's pdftoppm; return the files in page order."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(path), str(ARTIFACTS / prefix)], check=True, timeout=120
    )
    return sorted(ARTIFACTS.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def qr_codes(png: Path) -> list[str]:
    return [
        result.text for result in zxingcpp.read_barcodes(Image.open(png)) if result.format.name == "QRCode"
    ]


@pytest.fixture(scope="module")
def kit(shared_servers, tmp_path_factory):
    """A 9-table workshop on the live server, its kit PDF (built over HTTP) rendered to PNG pages."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils (bin/debian-packages)")
    server = shared_servers("eventlet")
    created = server.create_workshop(groups=TABLES, group_names=["Hébergement et thermalisme"])
    response = requests.post(
        f"{server.url}/api/workshops/{created['code']}/kit.pdf",
        json={"contact": "Élise Martin — 06 12 34 56 78"},
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    path = tmp_path_factory.mktemp("kit") / "kit.pdf"
    path.write_bytes(response.content)
    pages = render(path, "kit")
    return {"server": server, "created": created, "pdf": path, "codes": [qr_codes(page) for page in pages]}


def test_every_qr_code_of_the_kit_points_to_its_table(kit):
    server, code, codes = kit["server"], kit["created"]["code"], kit["codes"]
    # 9 posters, the rules poster, 9 référent sheets, 4 pages of paper cards.
    assert len(codes) == TABLES + 1 + TABLES + 4
    for number in range(1, TABLES + 1):
        assert codes[number - 1] == [f"{server.url}/j/{code}?g={number}"], f"poster of table {number}"
        sheet = codes[TABLES + number]
        assert len(sheet) == 1 and sheet[0].startswith(f"{server.url}/r/{code}/{number}#t="), sheet
    assert codes[TABLES] == [] and all(page == [] for page in codes[2 * TABLES + 1 :])


def test_a_poster_qr_code_takes_a_phone_to_its_table(kit, connect):
    server, codes = kit["server"], kit["codes"]
    for number in range(1, TABLES + 1):
        url = codes[number - 1][0]
        page = requests.get(url, timeout=ACK_TIMEOUT)
        assert page.status_code == 200
        parts = urlsplit(url)
        code = parts.path.rsplit("/", 1)[1]
        table = int(parse_qs(parts.query)["g"][0])
        phone = connect(server, f"phone {number}")
        reply = phone.join(code=code, role="participant", group=table)
        assert reply["group"] == number
        assert list(reply["snapshot"]["participants"]) == [str(number)]


def test_a_referent_sheet_opens_its_table_console_and_no_other(kit, connect):
    server, codes = kit["server"], kit["codes"]
    for number in range(1, TABLES + 1):
        url = codes[TABLES + number][0]
        parts = urlsplit(url)
        assert requests.get(f"{server.url}{parts.path}", timeout=ACK_TIMEOUT).status_code == 200
        _, _, code, table = parts.path.split("/")
        token = parts.fragment.removeprefix("t=")
        console = connect(server, f"référent {number}")
        reply = console.join(code=code, role="referent", token=token)
        assert reply["group"] == number == int(table)
        other = connect(server, f"référent {number} elsewhere")
        refused = other.call(
            "join", {"code": code, "role": "referent", "token": token, "group": number % TABLES + 1}
        )
        assert refused["ok"] is False, refused


def test_a_card_from_a_poster_phone_reaches_that_tables_referent(kit, connect):
    server, codes = kit["server"], kit["codes"]
    poster = urlsplit(codes[2][0])
    sheet = urlsplit(codes[TABLES + 3][0])
    code = poster.path.rsplit("/", 1)[1]
    referent = connect(server, "référent 3")
    referent.join(code=code, role="referent", token=sheet.fragment.removeprefix("t="))
    neighbour = connect(server, "référent 4")
    neighbour.join(
        code=code, role="referent", token=urlsplit(codes[TABLES + 4][0]).fragment.removeprefix("t=")
    )
    phone = connect(server, "phone at table 3")
    phone.join(code=code, role="participant", group=int(parse_qs(poster.query)["g"][0]))
    posted = phone.post("forces", "Des équipes d’accueil motivées")
    assert posted["ok"], posted
    cards = referent.wait_for_card(posted["card"]["id"])
    assert [c["group"] for c in cards] == [3]
    assert neighbour.cards() == []


def test_the_slides_render_and_their_qr_code_joins_the_workshop(kit, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    server, created = kit["server"], kit["created"]
    response = requests.post(
        f"{server.url}/api/workshops/{created['code']}/kit.pptx",
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
        timeout=60,
    )
    assert response.status_code == 200
    path = tmp_path / "slides.pptx"
    path.write_bytes(response.content)
    if soffice is None:
        pytest.fail("LibreOffice is missing: bin/test installs it (bin/debian-packages)")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    pages = render(tmp_path / "slides.pdf", "slides", dpi=60)
    assert len(pages) == 5
    assert qr_codes(pages[1]) == [f"{server.url}/j/{created['code']}"]
