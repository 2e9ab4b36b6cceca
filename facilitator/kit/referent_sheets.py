"""The "fiche référent facilitateur" of each table: the role, the agenda with clock times, how to lead
the table and type paper cards, the table's console QR code and link, the facilitator's contact."""

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame, KeepInFrame, ListFlowable, ListItem, Spacer, Table, TableStyle

from facilitator.kit.drawing import (
    BOLD,
    BRAND,
    INK,
    MONO,
    MUTED,
    REGULAR,
    WHITE,
    draw_paragraph,
    draw_qr,
    draw_warning,
    fit_line,
    header_band,
    paragraph,
    style,
)
from facilitator.kit.options import agenda_times
from facilitator.links import referent_url

WIDTH, HEIGHT = A4
MARGIN = 15 * mm
RULE = HexColor("#c8c8c8")


def _bullets(items, body):
    return ListFlowable(
        [ListItem(paragraph(item, body), leftIndent=12, value="•") for item in items],
        bulletType="bullet",
        start="•",
        leftIndent=12,
        bulletFontName=REGULAR,
        bulletFontSize=body.fontSize,
    )


def draw_referent_sheet(canvas, workshop, group, base_url, token, texts, options, reachable):
    """Draw table `group`'s sheet on one A4 page; `token` is its référent token, fresh from the kit."""
    language = workshop.language
    band = 26 * mm
    header_band(canvas, WIDTH, HEIGHT, band)
    canvas.setFillColor(WHITE)
    canvas.setFont(BOLD, 22)
    canvas.drawString(MARGIN, HEIGHT - 12 * mm, texts["sheet_title"])
    label = f"{texts['table']} {group.number}"
    heading = label if group.name.strip() == label else f"{label} — {group.name}"
    canvas.setFont(BOLD, 15)
    canvas.drawString(MARGIN, HEIGHT - 21 * mm, fit_line(heading, BOLD, 15, WIDTH - 2 * MARGIN))
    # The workshop's title on the first line, right of the sheet's title, in what room is left.
    room = WIDTH - 2 * MARGIN - stringWidth(texts["sheet_title"], BOLD, 22) - 8 * mm
    canvas.setFont(REGULAR, 10)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - 12 * mm, fit_line(workshop.title, REGULAR, 10, room))

    inner = WIDTH - 2 * MARGIN
    top = HEIGHT - band - 5 * mm
    if not reachable:
        top -= draw_warning(canvas, texts, base_url, MARGIN, top, inner, size=9) + 3 * mm

    # The QR block at the bottom is drawn first; the text column takes the space above it.
    console_height = 72 * mm
    contact_height = 10 * mm
    console_top = contact_height + console_height + 6 * mm
    _draw_console_block(canvas, workshop, group, base_url, token, texts, console_top, inner)
    canvas.setFillColor(INK)
    contact = options.contact.strip()
    line = texts["contact"].format(contact=contact) if contact else texts["contact_blank"]
    draw_paragraph(canvas, line, style(11, BOLD), MARGIN, contact_height + 2 * mm, inner)

    body = style(10, leading=13.2)
    heading_style = style(12.5, BOLD, BRAND, space_after=2)
    rows = [
        [
            paragraph(time, style(10, BOLD)),
            paragraph(title, body),
            paragraph(texts["minutes"].format(m=minutes) if minutes else "", style(10, colour=MUTED)),
        ]
        for time, title, minutes in agenda_times(workshop.steps, options.start, language)
    ]
    agenda = Table(rows, colWidths=[22 * mm, inner - 44 * mm, 22 * mm])
    agenda.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story = [
        paragraph(texts["role_title"], heading_style),
        _bullets(texts["role"], body),
        Spacer(1, 3 * mm),
        paragraph(texts["agenda_title"], heading_style),
        agenda,
        Spacer(1, 3 * mm),
        paragraph(texts["moderate_title"], heading_style),
        _bullets(texts["moderate"], body),
        Spacer(1, 3 * mm),
        paragraph(texts["paper_title"], heading_style),
        _bullets(texts["paper"], body),
    ]
    height = top - console_top - 4 * mm
    frame = Frame(MARGIN, console_top + 4 * mm, inner, height, 0, 0, 0, 0, showBoundary=0)
    frame.addFromList([KeepInFrame(inner, height, story, mode="shrink")], canvas)


def _draw_console_block(canvas, workshop, group, base_url, token, texts, top, inner):
    url = referent_url(base_url, workshop.code, group.number, token)
    qr_size = 62 * mm
    pad = 4 * mm
    height = qr_size + 2 * pad
    canvas.saveState()
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(1.2)
    canvas.roundRect(MARGIN, top - height, inner, height, 3 * mm, stroke=1, fill=0)
    canvas.restoreState()
    draw_qr(canvas, url, MARGIN + pad, top - pad - qr_size, qr_size)
    x = MARGIN + 2 * pad + qr_size + 2 * mm
    width = inner - (x - MARGIN) - pad
    y = top - pad
    y -= draw_paragraph(
        canvas, texts["console_title"].format(n=group.number), style(14, BOLD, BRAND), x, y, width
    )
    y -= 2 * mm
    y -= draw_paragraph(canvas, texts["console_note"].format(n=group.number), style(10), x, y, width)
    y -= 3 * mm
    # The long link is cut anywhere to fit: it is typed from paper only when no camera works.
    canvas.setFillColor(MUTED)
    canvas.setFont(MONO, 9)
    for line in split_to_width(url, MONO, 9, width):
        y -= 11
        canvas.drawString(x, y, line)


def split_to_width(text, font, size, width):
    lines, line = [], ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return lines + [line]
