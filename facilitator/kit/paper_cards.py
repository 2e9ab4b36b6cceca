"""Paper cards for people without a phone: six per A4 page, in the family's colour and name, with a
box for the table number — what the référent types in later, in the same family."""

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from facilitator.families import COLOURS
from facilitator.kit.drawing import BOLD, INK, ITALIC, MUTED, REGULAR, WHITE, text_colour_on
from facilitator.kit.texts import family_hint, family_label

WIDTH, HEIGHT = A4
COLUMNS, ROWS = 2, 3
LINE = HexColor("#b0b0b0")


def draw_card_page(canvas, workshop, family, texts):
    """Draw one A4 page of six cards of `family`, with dashed cutting lines between them."""
    card_width, card_height = WIDTH / COLUMNS, HEIGHT / ROWS
    for row in range(ROWS):
        for column in range(COLUMNS):
            _draw_card(
                canvas,
                workshop,
                family,
                texts,
                column * card_width,
                HEIGHT - (row + 1) * card_height,
                card_width,
                card_height,
            )
    canvas.saveState()
    canvas.setStrokeColor(LINE)
    canvas.setDash(3, 3)
    canvas.setLineWidth(0.5)
    for column in range(1, COLUMNS):
        canvas.line(column * card_width, 0, column * card_width, HEIGHT)
    for row in range(1, ROWS):
        canvas.line(0, row * card_height, WIDTH, row * card_height)
    canvas.restoreState()


def _draw_card(canvas, workshop, family, texts, x, y, width, height):
    colour = COLOURS.get(family, "#555555")
    ink = text_colour_on(colour)
    pad = 8 * mm  # printers do not print the last few millimetres of a sheet
    band = 16 * mm
    top = y + height - pad
    left, right = x + pad, x + width - pad
    canvas.saveState()
    canvas.setFillColor(HexColor(colour))
    canvas.roundRect(left, top - band, right - left, band, 2 * mm, stroke=0, fill=1)
    canvas.setFillColor(ink)
    canvas.setFont(BOLD, 17)
    canvas.drawString(left + 3 * mm, top - band + 5.5 * mm, family_label(family, workshop.language))
    # The table number box, white so that it can be written in whatever the family colour.
    box = 11 * mm
    canvas.setFillColor(WHITE)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.rect(right - 3 * mm - box, top - band + 2.5 * mm, box, box, stroke=1, fill=1)
    canvas.setFillColor(ink)
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(right - 5 * mm - box, top - band + 6.5 * mm, texts["card_table"])

    canvas.setFillColor(MUTED)
    canvas.setFont(ITALIC, 10)
    canvas.drawString(left, top - band - 6 * mm, family_hint(family, workshop.language))
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.6)
    line_y = top - band - 16 * mm
    bottom = y + pad + 8 * mm
    while line_y > bottom:
        canvas.line(left, line_y, right, line_y)
        line_y -= 9 * mm
    # The family colour again at the bottom edge: still visible once a card is pinned in a pile.
    canvas.setFillColor(HexColor(colour))
    canvas.rect(left, y + pad, right - left, 2.5 * mm, stroke=0, fill=1)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawCentredString((left + right) / 2, y + pad + 4 * mm, texts["card_footer"])
    canvas.restoreState()
