"""The introduction slides (PPTX, 16:9): the question, how to join with the QR code, the agenda with
clock times, the card families in their colours, and the rules of the game."""

import io

import qrcode
import qrcode.constants
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from facilitator.families import COLOURS
from facilitator.kit.options import agenda_times
from facilitator.kit.texts import family_hint, family_label
from facilitator.links import join_url
from facilitator.network import reachable_by_phones

BRAND = RGBColor(0x1F, 0x4E, 0x9C)
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4A, 0x4A, 0x4A)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
WARNING = RGBColor(0xFF, 0xF3, 0xCD)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)


def build_presentation(workshop, base_url, texts, options) -> bytes:
    """Return the slides as PPTX bytes."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    url = join_url(base_url, workshop.code)
    reachable = reachable_by_phones(base_url)

    slide = deck.slides.add_slide(blank)
    _band(slide, Inches(7.5))
    _text(slide, workshop.title, MARGIN, Inches(1.6), WIDTH - 2 * MARGIN, Inches(1.4), 40, True, WHITE)
    if workshop.question:
        _text(
            slide, workshop.question, MARGIN, Inches(3.3), WIDTH - 2 * MARGIN, Inches(2.2), 30, False, WHITE
        )

    slide = deck.slides.add_slide(blank)
    _title(slide, texts["slide_join_title"])
    qr_size = Inches(4.5) if not reachable else Inches(5.2)
    slide.shapes.add_picture(_qr_png(url), MARGIN, Inches(1.6), qr_size, qr_size)
    left = MARGIN + qr_size + Inches(0.5)
    width = WIDTH - left - MARGIN
    steps = [f"{index}. {step}" for index, step in enumerate(texts["slide_join_steps"], start=1)]
    _lines(slide, steps, left, Inches(1.7), width, Inches(2.6), 26)
    _text(slide, texts["slide_url"].format(url=url), left, Inches(4.4), width, Inches(0.9), 20, False, BRAND)
    spaced = f"{workshop.code[:4]} {workshop.code[4:]}"
    _text(slide, texts["join_code"].format(code=spaced), left, Inches(5.3), width, Inches(0.8), 26, True, INK)
    if not reachable:
        box = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, MARGIN, Inches(6.2), WIDTH - 2 * MARGIN, Inches(1.15)
        )
        box.fill.solid()
        box.fill.fore_color.rgb = WARNING
        box.line.color.rgb = RGBColor(0xB8, 0x86, 0x0B)
        _fill(
            box.text_frame,
            texts["unreachable_title"] + " — " + texts["unreachable"].format(url=base_url),
            15,
            False,
            INK,
        )

    slide = deck.slides.add_slide(blank)
    _title(slide, texts["slide_agenda_title"])
    rows = agenda_times(workshop.steps, options.start, workshop.language)
    table = slide.shapes.add_table(
        len(rows), 3, MARGIN, Inches(1.5), WIDTH - 2 * MARGIN, Inches(0.62) * len(rows)
    ).table
    table.columns[0].width = Inches(1.8)
    table.columns[2].width = Inches(1.8)
    table.columns[1].width = WIDTH - 2 * MARGIN - Inches(3.6)
    for index, (time, title, minutes) in enumerate(rows):
        cells = [time, title, texts["minutes"].format(m=minutes) if minutes else ""]
        for column, value in enumerate(cells):
            cell = table.cell(index, column)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(0xEE, 0xF2, 0xFA) if index % 2 == 0 else WHITE
            _fill(
                cell.text_frame,
                value,
                22,
                column == 0,
                INK,
                PP_ALIGN.LEFT if column == 1 else PP_ALIGN.CENTER,
            )

    slide = deck.slides.add_slide(blank)
    count = len(workshop.families)
    _title(
        slide,
        texts["slide_families_title"] if count == 4 else texts["slide_families_title_n"].format(n=count),
    )
    gap = Inches(0.3)
    tile = (WIDTH - 2 * MARGIN - gap * (count - 1)) / count
    longest = max(len(family_label(family, workshop.language)) for family in workshop.families)
    # Bold sans-serif letters are about 0.68 em wide: no label breaks inside a word, all the same size.
    label_size = min(30, int(Emu(int(tile)).pt * 0.85 / (0.68 * max(longest, 1))))
    for index, family in enumerate(workshop.families):
        colour = COLOURS.get(family, "#555555").lstrip("#")
        shape = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE,
            MARGIN + int(index * (tile + gap)),
            Inches(1.8),
            int(tile),
            Inches(4.2),
        )
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(colour.upper())
        shape.line.fill.background()
        ink = _ink_on(colour)
        frame = shape.text_frame
        _fill(frame, family_label(family, workshop.language), label_size, True, ink)
        para = frame.add_paragraph()
        para.alignment = PP_ALIGN.CENTER
        run = para.add_run()
        run.text = family_hint(family, workshop.language)
        run.font.size = Pt(20)
        run.font.color.rgb = ink

    slide = deck.slides.add_slide(blank)
    _title(slide, texts["rules_title"])
    rules = options.rule_lines(workshop.language)
    size = 26 if len(rules) <= 6 else 22 if len(rules) <= 8 else 18
    _lines(
        slide,
        [f"{i}. {rule}" for i, rule in enumerate(rules, start=1)],
        MARGIN,
        Inches(1.5),
        WIDTH - 2 * MARGIN,
        Inches(5.6),
        size,
    )

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _qr_png(url):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=20)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _ink_on(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    lum = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return WHITE if 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.05 else INK


def _band(slide, height):
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, height)
    band.fill.solid()
    band.fill.fore_color.rgb = BRAND
    band.line.fill.background()


def _title(slide, text):
    _band(slide, Inches(1.15))
    _text(slide, text, MARGIN, Inches(0.18), WIDTH - 2 * MARGIN, Inches(0.85), 34, True, WHITE)


def _text(slide, text, left, top, width, height, size, bold, colour):
    box = slide.shapes.add_textbox(Emu(int(left)), Emu(int(top)), Emu(int(width)), Emu(int(height)))
    _fill(box.text_frame, text, size, bold, colour, align=None)
    return box


def _fill(frame, text, size, bold, colour, align=PP_ALIGN.CENTER):
    frame.word_wrap = True
    para = frame.paragraphs[0]
    if align is not None:
        para.alignment = align
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _lines(slide, lines, left, top, width, height, size):
    box = slide.shapes.add_textbox(Emu(int(left)), Emu(int(top)), Emu(int(width)), Emu(int(height)))
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        para.space_after = Pt(size * 0.6)
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.color.rgb = INK
