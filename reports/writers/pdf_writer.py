"""PDF: the same document as the DOCX (same outline), laid out with reportlab platypus, A4, fonts
that carry every French letter (the kit's DejaVu, or Vera shipped with reportlab)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from facilitator.kit.drawing import BOLD, REGULAR, register_fonts, style
from reports.writers.docx_writer import outline

BLUE = HexColor("#1f4e9c")


def write(summary, path) -> None:
    register_fonts()
    title = style(22, BOLD, BLUE, space_after=4)
    subtitle = style(11, REGULAR, HexColor("#4a4a4a"), space_after=10)
    h1 = style(15, BOLD, BLUE, space_after=4)
    h2 = style(12, BOLD, HexColor("#2f5fa8"), space_after=2)
    body = style(10, REGULAR, space_after=3)
    for heading in (h1, h2):
        heading.keepWithNext = 1  # never a heading alone at the bottom of a page
    cell = style(9, REGULAR)
    width = A4[0] - 36 * mm
    story, bullets = [], []

    def flush():
        if bullets:
            story.append(
                ListFlowable([ListItem(p, leftIndent=10) for p in bullets], bulletType="bullet", start="•")
            )
            bullets.clear()

    for kind, payload in outline(summary):
        if kind != "bullet":
            flush()
        if kind == "title":
            story.append(Paragraph(escape(payload), title))
        elif kind == "subtitle":
            story.append(Paragraph(escape(payload), subtitle))
        elif kind == "h1":
            story.extend([Spacer(1, 8), Paragraph(escape(payload), h1)])
        elif kind == "h2":
            story.extend([Spacer(1, 4), Paragraph(escape(payload), h2)])
        elif kind == "p":
            story.append(Paragraph(escape(payload), body))
        elif kind == "bullet":
            bullets.append(Paragraph(escape(payload), body))
        elif kind == "chart":
            picture = Image(io.BytesIO(payload))
            ratio = (width * 0.9) / picture.imageWidth
            picture.drawWidth, picture.drawHeight = picture.imageWidth * ratio, picture.imageHeight * ratio
            story.append(picture)
        elif kind == "table":
            header, rows = payload
            if not rows:
                continue
            data = [[Paragraph(escape(h), style(9, BOLD)) for h in header]]
            # Only the card text wraps: plain strings for the short cells keep 10,000 rows fast.
            data += [[row[0], Paragraph(escape(row[1]), cell), row[2]] for row in rows]
            table = Table(data, colWidths=[30 * mm, width - 55 * mm, 25 * mm], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#b0b8c8")),
                        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef8")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("FONT", (0, 1), (-1, -1), REGULAR, 9),
                    ]
                )
            )
            story.append(table)
    flush()
    w = summary.workshop
    document = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=f"Compte rendu — {w['title']}", author="Facilitator", lang="fr-FR",
    )  # fmt: skip

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(HexColor("#4a4a4a"))
        canvas.drawString(18 * mm, 10 * mm, f"Compte rendu — {w['title']}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
