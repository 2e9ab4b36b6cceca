"""PDF: the same document as the DOCX (same outline), laid out with reportlab platypus, A4, fonts
that carry every French letter (the kit's DejaVu, or Vera shipped with reportlab), and Symbola for
the emoji DejaVu lacks (reports/emoji.py)."""

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from facilitator.kit.drawing import BOLD, INK, REGULAR, register_fonts, style
from reports.emoji import needs_fallback, runs, symbol_font
from reports.writers.docx_writer import outline

BLUE = HexColor("#1f4e9c")
CELL_SIZE, CELL_LEADING, PADDING = 9, 11, 3
GRID = HexColor("#b0b8c8")


SYMBOLS = "Report-Symbols"  # Symbola, for the emoji DejaVu lacks
_TO_UNICODE = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname, subset):
    """reportlab's ToUnicode map, with each character beyond U+FFFF as the UTF-16 pair the PDF format
    wants: reportlab writes `<1F44D>` (an odd number of digits), so an emoji copied from the PDF, or
    read by a screen reader or a search, came out as nothing."""
    text = _TO_UNICODE(fontname, [min(code, 0xFFFF) for code in subset])
    for i, code in enumerate(subset):
        if code > 0xFFFF:
            pair = chr(code).encode("utf-16-be").hex().upper()
            text = text.replace(f"<{i:02X}> <FFFF>", f"<{i:02X}> <{pair}>", 1)
    return text


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@cache
def coverage() -> tuple[frozenset, frozenset]:
    """The code points of the document's font and of the symbol font (empty without Symbola)."""
    register_fonts()
    main = frozenset(pdfmetrics.getFont(REGULAR).face.charToGlyph)
    path = symbol_font()
    if path is None:
        return main, frozenset()
    pdfmetrics.registerFont(TTFont(SYMBOLS, str(path)))
    return main, frozenset(pdfmetrics.getFont(SYMBOLS).face.charToGlyph)


def pieces(text: str) -> list[tuple[str | None, str]]:
    """`text` as `(font, piece)`: None for the document's font, SYMBOLS for an emoji it lacks."""
    main, symbols = coverage()
    return [
        (SYMBOLS if symbol else None, piece)
        for symbol, piece in runs(text, main.__contains__, symbols.__contains__)
    ]


def printable(text: str) -> str:
    """`text` as the PDF draws it: shaping characters dropped, what no font has spelled out."""
    if not needs_fallback(text, coverage()[0].__contains__):
        return text
    return "".join(piece for _, piece in pieces(text))


def measure(text: str, font, size) -> float:
    if not needs_fallback(text, coverage()[0].__contains__):
        return stringWidth(text, font, size)
    return sum(stringWidth(piece, face or font, size) for face, piece in pieces(text))


def draw(canvas, x, y, text, font, size) -> None:
    """One line of text, each emoji DejaVu lacks in Symbola."""
    if not needs_fallback(text, coverage()[0].__contains__):
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        return
    for face, piece in pieces(text):
        canvas.setFont(face or font, size)
        canvas.drawString(x, y, piece)
        x += stringWidth(piece, face or font, size)


def markup(text: str) -> str:
    """`text` escaped for a Paragraph, with its emoji in Symbola."""
    if not needs_fallback(text, coverage()[0].__contains__):
        return escape(text)
    return "".join(
        f'<font name="{face}">{escape(piece)}</font>' if face else escape(piece)
        for face, piece in pieces(text)
    )


def wrap(text: str, width: float, font=REGULAR, size=CELL_SIZE) -> list[str]:
    """Lines of `text` that fit in `width` points (long words cut), measured once per line."""
    text = printable(text)
    fits = stringWidth if not needs_fallback(text, coverage()[0].__contains__) else measure
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if fits(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while fits(word, font, size) > width:  # a word longer than the column
                cut = max(1, int(len(word) * width / fits(word, font, size)))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


class CellLines(Flowable):
    """An annex cell whose text has an emoji DejaVu lacks: its wrapped lines, drawn piece by piece
    (a plain string cell is drawn in one font)."""

    def __init__(self, lines: list[str], font):
        super().__init__()
        self.lines, self.font = lines, font

    def wrap(self, available_width, available_height):
        return available_width, len(self.lines) * CELL_LEADING

    def draw(self):
        y = len(self.lines) * CELL_LEADING - CELL_SIZE
        for line in self.lines:
            draw(self.canv, 0, y, line, self.font, CELL_SIZE)
            y -= CELL_LEADING


class Bullet(Flowable):
    """One bulleted line of text (a card of a theme, a top card…), wrapped once, drawn as plain strings.

    A Paragraph parses markup and breaks its lines again at each layout pass; the compte rendu of a
    large workshop has 10,000 of these bullets, so they are drawn directly."""

    SIZE, LEADING, INDENT, AFTER = 10, 12.5, 14, 2

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.lines = []

    def wrap(self, available_width, available_height):
        if not self.lines:
            self.lines = wrap(self.text, available_width - self.INDENT, REGULAR, self.SIZE)
        self.width = available_width
        self.height = len(self.lines) * self.LEADING + self.AFTER
        return self.width, self.height

    def split(self, available_width, available_height):
        return []  # a few lines: moved whole to the next page

    def draw(self):
        canvas = self.canv
        canvas.setFont(REGULAR, self.SIZE)
        canvas.setFillColor(INK)
        y = self.height - self.AFTER - self.SIZE
        canvas.drawString(4, y, "•")
        for line in self.lines:
            draw(canvas, self.INDENT, y, line, REGULAR, self.SIZE)
            y -= self.LEADING


def annex_table(header, rows, width) -> Table:
    """The cards of one table: one reportlab Table, its header row repeated on each page.

    Cells are plain text wrapped here once, with their row heights given, so reportlab never lays a
    Paragraph out again each time it splits the table at a page end (10,000 cards: 18 s before)."""
    widths = [30 * mm, width - 55 * mm, 25 * mm]
    if len(header) == 4:  # « Dont en plénière »: the plenary's share of the dots
        widths = [30 * mm, width - 80 * mm, 25 * mm, 25 * mm]
    inner = [w - 2 * PADDING - 1 for w in widths]
    data, heights = [], []
    for r, row in enumerate([header, *rows]):
        font = BOLD if r == 0 else REGULAR
        cells = [wrap(str(value), w, font) for value, w in zip(row, inner, strict=True)]
        main = coverage()[0].__contains__
        data.append(
            [
                CellLines(lines, font) if needs_fallback("".join(lines), main) else "\n".join(lines)
                for lines in cells
            ]
        )
        heights.append(max(len(lines) for lines in cells) * CELL_LEADING + 2 * PADDING + 1)
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_LEADING),
                ("FONT", (0, 1), (-1, -1), REGULAR, CELL_SIZE, CELL_LEADING),
                ("TOPPADDING", (0, 0), (-1, -1), PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


PLAN_SHARES = (4.6, 3.6, 2.2, 3.2, 3.4)  # the DOCX's column widths, as shares of the page


def plan_table(header, rows, width) -> Table:
    """An axis of the « Plan d'action »: Paragraph cells (a few rows: wrapped by reportlab), the
    action's title in bold, the header repeated on each page."""
    cell = style(CELL_SIZE, REGULAR, space_after=1)
    cell.leading = CELL_LEADING
    head = style(CELL_SIZE, BOLD, space_after=0)
    title = style(10, BOLD, space_after=2)
    data = [[Paragraph(markup(h), head) for h in header]]
    for row in rows:
        data.append(
            [
                [
                    Paragraph(markup(line), title if c == 0 and i == 0 else cell)
                    for i, line in enumerate(lines)
                ]
                for c, lines in enumerate(row)
            ]
        )
    widths = [width * share / sum(PLAN_SHARES) for share in PLAN_SHARES]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ]
        )
    )
    return table


def write(summary, path) -> None:
    register_fonts()
    title = style(22, BOLD, BLUE, space_after=4)
    subtitle = style(11, REGULAR, HexColor("#4a4a4a"), space_after=10)
    h1 = style(15, BOLD, BLUE, space_after=4)
    h2 = style(12, BOLD, HexColor("#2f5fa8"), space_after=2)
    body = style(10, REGULAR, space_after=3)
    for heading in (h1, h2):
        heading.keepWithNext = 1  # never a heading alone at the bottom of a page
    width = A4[0] - 36 * mm
    story = []
    for kind, payload in outline(summary):
        if kind == "title":
            story.append(Paragraph(markup(payload), title))
        elif kind == "subtitle":
            story.append(Paragraph(markup(payload), subtitle))
        elif kind in ("h1", "h2"):
            space = Spacer(1, 8 if kind == "h1" else 4)
            if story and getattr(story[-1], "keepWithNext", 0):  # an intro kept with its heading and the next
                space.keepWithNext = 1  # heading (« Plan d'action », its line, « Axe 1 » and its table)
            story.extend([space, Paragraph(markup(payload), h1 if kind == "h1" else h2)])
        elif kind in ("p", "after"):
            if kind == "after" and story:
                story[-1].keepWithNext = 1  # the list's last line goes with it to the next page
            story.append(Paragraph(markup(payload), body))
            if kind == "p" and len(story) > 1 and getattr(story[-2], "style", None) in (h1, h2):
                story[-1].keepWithNext = 1  # a section's intro: with its heading and what follows
        elif kind == "bullet":
            story.append(Bullet(payload))
        elif kind == "chart":
            picture = Image(io.BytesIO(payload))
            ratio = min((width * 0.9) / picture.imageWidth, (A4[1] - 60 * mm) / picture.imageHeight)
            picture.drawWidth, picture.drawHeight = picture.imageWidth * ratio, picture.imageHeight * ratio
            story.append(picture)
        elif kind == "table":
            header, rows = payload
            if rows:
                story.append(annex_table(header, rows, width))
        elif kind == "plan_table":
            story.extend([plan_table(*payload, width), Spacer(1, 6)])
    w = summary.workshop
    words = summary.wording
    heading = words("report_title", title=w["title"])
    document = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=heading, author="Facilitator", lang=words.core_language,
    )  # fmt: skip

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(HexColor("#4a4a4a"))
        draw(canvas, 18 * mm, 10 * mm, heading, REGULAR, 8)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, words("page", n=doc.page))
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
