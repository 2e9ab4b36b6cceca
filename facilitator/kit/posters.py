"""The QR poster of each table: a QR code to `/j/<code>?g=<n>` big enough to scan from 2 m, the
address and the join code written out, how to join in 3 steps, and the workshop question."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from facilitator.kit.drawing import (
    BOLD,
    BRAND,
    ITALIC,
    MONO,
    MUTED,
    REGULAR,
    WHITE,
    draw_paragraph,
    draw_qr,
    draw_warning,
    fit_line,
    fitted_paragraph,
    header_band,
    style,
)
from facilitator.links import join_url

WIDTH, HEIGHT = A4
MARGIN = 15 * mm


def draw_table_poster(canvas, workshop, group, base_url, texts, reachable):
    """Draw one table's poster on an A4-sized drawing space (the caller scales it for A3)."""
    url = join_url(base_url, workshop.code, group.number)
    inner = WIDTH - 2 * MARGIN
    band = 34 * mm
    header_band(canvas, WIDTH, HEIGHT, band)
    canvas.setFillColor(WHITE)
    canvas.setFont(BOLD, 52)
    label = f"{texts['table']} {group.number}"
    canvas.drawString(MARGIN, HEIGHT - 21 * mm, label)
    name = group.name if group.name.strip() != label else ""
    if name:
        para, height = fitted_paragraph(name, BOLD, 20, inner, 9 * mm, min_size=11, colour=WHITE)
        para.drawOn(canvas, MARGIN, HEIGHT - band + 3 * mm)
    room = WIDTH - 2 * MARGIN - stringWidth(label, BOLD, 52) - 8 * mm
    canvas.setFont(REGULAR, 11)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - 10 * mm, fit_line(workshop.title, REGULAR, 11, room))

    top = HEIGHT - band - 5 * mm
    if workshop.question:
        para, height = fitted_paragraph(workshop.question, ITALIC, 16, inner, 22 * mm, min_size=10, align=1)
        para.drawOn(canvas, MARGIN, top - height)
        top -= height + 4 * mm
    if not reachable:
        top -= draw_warning(canvas, texts, base_url, MARGIN, top, inner, size=10) + 3 * mm

    # What is left is shared by the QR code and the text under it (about 76 mm); the QR code keeps
    # 8 mm of white around it (the quiet zone readers need) and sits in the middle of its space.
    text_block = 76 * mm
    quiet = 8 * mm
    space = top - text_block
    qr_size = min(160 * mm, space - 2 * quiet)
    qr_top = top - (space - qr_size) / 2
    draw_qr(canvas, url, (WIDTH - qr_size) / 2, qr_top - qr_size, qr_size)
    top = text_block

    canvas.setFillColor(BRAND)
    canvas.setFont(BOLD, 20)
    canvas.drawCentredString(WIDTH / 2, top - 7 * mm, texts["scan_title"].format(n=group.number))
    top -= 12 * mm

    steps = "".join(
        f"<b>{index}.</b> {text}<br/>" for index, text in enumerate(texts["steps"], start=1)
    ).removesuffix("<br/>")
    top -= draw_paragraph(
        canvas, steps, style(12.5, leading=17), MARGIN + 8 * mm, top, inner - 16 * mm, markup=True
    )
    top -= 4 * mm

    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 11)
    canvas.drawCentredString(WIDTH / 2, top - 4 * mm, texts["no_qr"])
    canvas.setFillColor(BRAND)
    para, height = fitted_paragraph(url, MONO, 15, inner, 8 * mm, min_size=9, colour=BRAND, align=1)
    para.drawOn(canvas, MARGIN, top - 6 * mm - height)
    top -= 8 * mm + height
    canvas.setFillColor(MUTED)
    canvas.setFont(BOLD, 13)
    spaced = f"{workshop.code[:4]} {workshop.code[4:]}"
    canvas.drawCentredString(WIDTH / 2, top - 5 * mm, texts["join_code"].format(code=spaced))
