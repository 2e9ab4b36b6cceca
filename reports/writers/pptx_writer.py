"""PPTX, the conclusion slides: title, participation, one slide per family with its top cards, the
cross-table themes, each chart on its own slide. 16:9, large type for a projector."""

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from reports.charts import colour
from reports.wording import shortened
from reports.writers.common import (
    CARDS_PER_THEME,
    essential_name,
    family_digest,
    more_cards,
    participation_lines,
    representative,
    xml_safe,
)

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9
INK = RGBColor(0x1A, 0x1A, 0x1A)
PLENARY_LINES = 8  # the plenary's first essentials on its slide (the compte rendu lists more)
THEME_SLIDES = 6  # cross-table themes with a slide of their own (the others: on the overview slide)
SLIDE_TEXT = 150  # characters of a card shown on a slide (the compte rendu has them whole)


def _short(text: str) -> str:
    return shortened(text, SLIDE_TEXT)


def _rgb(hex_colour):
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _slide(deck, title, band="#1f4e9c"):
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    shape = slide.shapes.add_shape(1, 0, 0, WIDTH, Emu(1000000))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(band)
    shape.line.fill.background()
    frame = shape.text_frame
    frame.text = xml_safe(title)
    run = frame.paragraphs[0].runs[0]
    run.font.size, run.font.bold = Pt(30), True
    run.font.color.rgb = (
        RGBColor(0, 0, 0) if band.upper() in ("#E69F00", "#56B4E9") else RGBColor(255, 255, 255)
    )
    return slide


def _lines(slide, lines, size=20):
    box = slide.shapes.add_textbox(Emu(500000), Emu(1250000), WIDTH - Emu(1000000), HEIGHT - Emu(1500000))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = xml_safe(line)
        paragraph.space_after = Pt(8)
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.color.rgb = INK
    return box


def write(summary, path) -> None:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    w = summary.workshop
    t = summary.wording  # the document's language (reports.wording)
    cover = _slide(deck, w["title"])
    _lines(cover, [t("slides_cover", date=t.date(w["created_at"])), w["question"]], size=26)
    _lines(_slide(deck, t("participation")), [f"• {line}" for line in participation_lines(summary)], size=22)
    pictures = summary.chart_png()
    for family in summary.families:
        top = summary.top[family].head(6)
        n = int(summary.by_family[family])
        if len(top):
            slide = _slide(deck, t("slide_top", family=t.family(family)), band=colour(family))
            lines = [t("slide_top_line", rank=int(r["rank"]), text=_short(r["text"]), group=int(r["group"]),
                       dots=t.dots(int(r["votes"]), int(r["votes_table"]), int(r["votes_plenary"]), within=True))
                     for _, r in top.iterrows()]  # fmt: skip
        else:  # no dots: the family's themes and a few of its cards
            title = t("slide_digest", family=t.family(family)) if n else t.family(family)
            slide = _slide(deck, title, band=colour(family))
            themes, cards = family_digest(summary, family)
            lines = [f"• {theme['title']} — {theme['provenance']}" for theme in themes]
            lines += [t("slide_card", text=t.quoted(_short(c["text"])), group=c["group"]) for c in cards]
            lines.append(t("slide_no_dots", cards=t.plural(n, "card")) if n else t("slide_no_cards"))
        _lines(slide, lines, size=20 if len(lines) < 5 else 17)
    ranking = summary.plenary
    if len(ranking):  # the room's priorities: the plenary's ranking of every table's essentials
        lines = [
            t("slide_plenary_line", rank=int(e["rank"]),  # shortened before « … » (shorten eats U+202F)
              text=essential_name(summary, {"kind": e["kind"], "text": _short(e["text"])}),
              group=int(e["group"]), dots=t.plural(int(e["votes_plenary"]), "dot"), tie=t("tie") if e["tie"] else "")
            for _, e in ranking.head(PLENARY_LINES).iterrows()
        ]  # fmt: skip
        if len(ranking) > PLENARY_LINES:
            lines.append(
                t("slide_more_themes", rest=t.plural(len(ranking) - PLENARY_LINES, "other_essential"))
            )
        _lines(_slide(deck, t("plenary")), lines, size=20 if len(lines) < 6 else 17)
    every = [t for t in summary.synthesis if len(t["tables"]) >= 2]
    cross = every[:8]
    lines = [
        f"• {theme['title']} — {theme['provenance']} ({t.plural(len(theme['cards']), 'card')})"
        for theme in cross
    ]
    if len(every) > len(cross):
        lines.append(t("slide_more_themes", rest=t.plural(len(every) - len(cross), "other_theme")))
    _lines(_slide(deck, t("cross")), lines or [t("slide_no_cross")], 18)
    for theme in every[:THEME_SLIDES]:  # a slide a theme: its provenance and a few of its cards
        shown = representative(theme["cards"], CARDS_PER_THEME)
        lines = [theme["provenance"].capitalize()]
        lines += [
            "• " + t("theme_card", group=c["group"], family=t.family(c["family"]), text=_short(c["text"]))
            for c in shown
        ]
        if len(theme["cards"]) > len(shown):
            lines.append(more_cards(summary, len(theme["cards"]) - len(shown), "appendix_of_report"))
        _lines(_slide(deck, shortened(theme["title"], 70)), lines, 18)
    titles = t("slide_chart")
    for name, data in pictures.items():
        slide = _slide(deck, titles[name])
        picture = slide.shapes.add_picture(io.BytesIO(data), 0, Emu(1150000), height=HEIGHT - Emu(1300000))
        if picture.width > WIDTH - Emu(400000):
            ratio = (WIDTH - Emu(400000)) / picture.width
            picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
        picture.left = int((WIDTH - picture.width) / 2)
    deck.core_properties.title = xml_safe(t("slides_title", title=w["title"]))
    deck.core_properties.language = t.core_language
    deck.save(path)
