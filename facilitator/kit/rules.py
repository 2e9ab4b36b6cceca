"""The "règles du jeu" poster: the rules the organiser wrote (or the default ones), large and numbered."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from facilitator.kit.drawing import BOLD, BRAND, REGULAR, WHITE, fitted_paragraph, header_band
from facilitator.kit.texts import family_label

WIDTH, HEIGHT = A4
MARGIN = 18 * mm


def draw_rules_poster(canvas, workshop, rules: list[str], texts):
    """Draw the rules poster on an A4-sized drawing space (the caller scales it for A3)."""
    band = 34 * mm
    header_band(canvas, WIDTH, HEIGHT, band)
    canvas.setFillColor(WHITE)
    canvas.setFont(BOLD, 44)
    canvas.drawString(MARGIN, HEIGHT - 22 * mm, texts["rules_title"])
    canvas.setFont(REGULAR, 11)
    canvas.drawString(MARGIN, HEIGHT - band + 5 * mm, workshop.title[:90])

    inner = WIDTH - 2 * MARGIN
    number_width = 16 * mm
    bottom = 20 * mm
    top = HEIGHT - band - 12 * mm
    # One size for every rule: the largest at which they all fit on the page.
    size = 24
    while size > 10:
        heights = [
            fitted_paragraph(rule, REGULAR, size, inner - number_width, 10000, min_size=size)[1]
            for rule in rules
        ]
        gap = size * 0.9
        if sum(heights) + gap * (len(rules) - 1) <= top - bottom:
            break
        size -= 1
    gap = size * 0.9
    for index, rule in enumerate(rules, start=1):
        para, height = fitted_paragraph(rule, REGULAR, size, inner - number_width, 10000, min_size=size)
        canvas.saveState()
        canvas.setFillColor(BRAND)
        radius = min(6 * mm, size * 0.55)
        canvas.circle(MARGIN + radius, top - size * 0.45, radius, stroke=0, fill=1)
        canvas.setFillColor(WHITE)
        canvas.setFont(BOLD, size * 0.8)
        canvas.drawCentredString(MARGIN + radius, top - size * 0.45 - size * 0.28, str(index))
        canvas.restoreState()
        para.drawOn(canvas, MARGIN + number_width, top - height)
        top -= height + gap

    families = " · ".join(family_label(key, workshop.language) for key in workshop.families)
    canvas.setFillColor(BRAND)
    canvas.setFont(BOLD, 13)
    canvas.drawCentredString(WIDTH / 2, 12 * mm, families)
