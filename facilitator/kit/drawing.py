"""What every printed page shares: fonts that carry French accents, vector QR codes, wrapped text,
the header band and the warning shown when phones cannot reach the links."""

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
import reportlab
from reportlab.lib.colors import HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

INK = HexColor("#1a1a1a")
MUTED = HexColor("#4a4a4a")
BRAND = HexColor("#1f4e9c")  # the app's header blue (favicon, buttons)
WARNING_GROUND = HexColor("#fff3cd")
WARNING_EDGE = HexColor("#b8860b")

# DejaVu (Debian's fonts-dejavu-core) when present, else Bitstream Vera that ships inside reportlab:
# both carry every French letter (é è ê à ç œ ’ « »), which the 14 standard PDF fonts do not all do.
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path(reportlab.__file__).parent / "fonts"]
FONT_FILES = {
    "Kit": ("DejaVuSans.ttf", "Vera.ttf"),
    "Kit-Bold": ("DejaVuSans-Bold.ttf", "VeraBd.ttf"),
    "Kit-Italic": ("DejaVuSans-Oblique.ttf", "VeraIt.ttf"),
    "Kit-Mono": ("DejaVuSansMono.ttf", "VeraMono.ttf"),
}
REGULAR, BOLD, ITALIC, MONO = "Kit", "Kit-Bold", "Kit-Italic", "Kit-Mono"


@cache
def register_fonts():
    """Register the kit's fonts once per process."""
    for name, candidates in FONT_FILES.items():
        path = next(
            (folder / file for file in candidates for folder in FONT_DIRS if (folder / file).exists()), None
        )
        if path is None:
            raise RuntimeError(f"no font file for {name}: install fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def style(size, font=REGULAR, colour=INK, leading=None, align=0, space_after=0) -> ParagraphStyle:
    return ParagraphStyle(
        f"kit-{font}-{size}",
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=colour,
        alignment=align,
        spaceAfter=space_after,
    )


def paragraph(text: str, para_style: ParagraphStyle, markup: bool = False) -> Paragraph:
    """Return a Paragraph of `text`; user text is escaped (Paragraph reads a small XML markup)."""
    return Paragraph(text if markup else escape(text).replace("\n", "<br/>"), para_style)


def draw_paragraph(canvas, text, para_style, x, top, width, markup=False) -> float:
    """Draw wrapped text whose first line starts at `top`; return the height used."""
    para = paragraph(text, para_style, markup)
    _, height = para.wrap(width, 10000)
    para.drawOn(canvas, x, top - height)
    return height


def fitted_paragraph(text, font, size, width, max_height, min_size=8, colour=INK, align=0, markup=False):
    """Return (paragraph, height) at the largest size ≤ `size` that fits in width × max_height."""
    while True:
        para = paragraph(text, style(size, font, colour, align=align), markup)
        _, height = para.wrap(width, 10000)
        if height <= max_height or size <= min_size:
            return para, height
        size -= 1


def qr_matrix(url: str) -> list[list[bool]]:
    """Return the modules of a QR code for `url` (medium error correction, no quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas, url: str, x: float, y: float, size: float):
    """Draw `url` as a vector QR code of `size` points with its bottom-left corner at (x, y).

    One rectangle per horizontal run of dark modules: crisp at any print size, a small PDF. The page
    around it must stay white for at least 4 modules (the quiet zone readers need).
    """
    matrix = qr_matrix(url)
    count = len(matrix)
    module = size / count
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.setStrokeColor(INK)
    path = canvas.beginPath()
    for row, cells in enumerate(matrix):
        column = 0
        while column < count:
            if cells[column]:
                start = column
                while column < count and cells[column]:
                    column += 1
                # A hair taller than a module, downwards: no white seam between rows at any zoom.
                bottom = y + size - (row + 1) * module - module * 0.02
                path.rect(x + start * module, bottom, (column - start) * module, module * 1.02)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return module


def header_band(canvas, width, top, height, colour=BRAND):
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.rect(0, top - height, width, height, stroke=0, fill=1)
    canvas.restoreState()


def draw_warning(canvas, texts, base_url, x, top, width, size=11) -> float:
    """Draw the 'phones cannot reach these links' box; return its height."""
    title = paragraph(texts["unreachable_title"], style(size + 1, BOLD))
    body = paragraph(texts["unreachable"].format(url=base_url), style(size))
    pad = 3 * mm
    _, title_height = title.wrap(width - 2 * pad, 1000)
    _, body_height = body.wrap(width - 2 * pad, 1000)
    height = title_height + body_height + 2 * pad + 1 * mm
    canvas.saveState()
    canvas.setFillColor(WARNING_GROUND)
    canvas.setStrokeColor(WARNING_EDGE)
    canvas.setLineWidth(1.5)
    canvas.rect(x, top - height, width, height, stroke=1, fill=1)
    canvas.restoreState()
    title.drawOn(canvas, x + pad, top - pad - title_height)
    body.drawOn(canvas, x + pad, top - pad - title_height - 1 * mm - body_height)
    return height


def text_colour_on(background: str):
    """Return black or white, whichever reads better on `background` (WCAG contrast)."""

    def luminance(hex_colour):
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lum = luminance(background)
    return white if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else INK


WHITE = white


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """Return `text`, shortened with an ellipsis if needed, so that it fits on one line of `width`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""
