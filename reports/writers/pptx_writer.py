"""PPTX, the conclusion slides, presentable as they are: 16:9, one idea a slide, large type that fits
its box, the families' colours. Cover, participation in big numbers, one slide per family (its three
most voted cards as cards), the plenary's priorities (its first five), the cross-table themes as
tiles, a slide for each of the most shared themes (three of its cards), each chart drawn, then
« Prochaines étapes ».

Every text box has a size chosen for its text (`fit`: the largest size at which the text's estimated
lines fit the box, with a wide-font estimate so that it also fits in LibreOffice) and says
« shrink on overflow » (`normAutofit`) as a safety net; a text too long even at the smallest size is
shortened with « … » (a card's whole text is in the compte rendu)."""

import io
import math

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from facilitator.plan.exports import due_text
from reports import plan
from reports.charts import colour
from reports.wording import shortened
from reports.writers.common import (
    CARDS_PER_THEME,
    essential_name,
    family_digest,
    more_cards,
    representative,
    xml_safe,
)

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.33 × 7.5 in
INCH = 914400
MARGIN = int(0.6 * INCH)
BAND = int(1.3 * INCH)  # the title band
BLUE, INK, GREY, PALE = "#1F4E9C", "#1A1A1A", "#555555", "#EEF2F8"
LIGHT_GROUNDS = ("#E69F00", "#56B4E9", "#F0E442")  # family colours that take black text
TOP_CARDS = 3  # a family's most voted cards on its slide (the compte rendu lists ten)
PLENARY_LINES = 5  # the plenary's first essentials on its slide
THEME_TILES = 6  # cross-table themes on the overview
THEME_SLIDES = 4  # the most shared themes with a slide of their own
THEME_CARDS = 3  # cards on a theme's slide
CHAR_WIDTH = 0.58  # average character width in em: DejaVu (LibreOffice's fallback) is wider than Calibri
LINE_HEIGHT = 1.25
TITLE_SIZES = (36, 32, 28, 26, 24)  # the title's size, the largest at which it holds on two lines
assert CARDS_PER_THEME >= THEME_CARDS


def _rgb(hex_colour):
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def on(ground: str) -> str:
    """The text colour that reads on `ground`."""
    return "#000000" if ground.upper() in LIGHT_GROUNDS else "#FFFFFF"


def deep(family: str) -> str:
    """A family's colour as text on white: the light ones (yellow, sky blue) darkened to stay legible."""
    hue = colour(family).upper()
    return {"#E69F00": "#8A5F00", "#56B4E9": "#1F6E9C", "#F0E442": "#6B6500"}.get(hue, hue)


def lines_needed(text: str, width_pt: float, size: float) -> int:
    per_line = max(1, int(width_pt / (size * CHAR_WIDTH)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def fit(text: str, width: int, height: int, largest: int, smallest: int = 14) -> tuple[int, str]:
    """The largest size (points) from `largest` down to `smallest` at which `text` fits a box of
    `width` × `height` EMU, and the text (shortened with « … » when even `smallest` is too big)."""
    width_pt, height_pt = width / 12700 - 15, height / 12700 - 8  # the box's insets
    for size in range(largest, smallest - 1, -2):
        if lines_needed(text, width_pt, size) * size * LINE_HEIGHT <= height_pt:
            return size, text
    per_line = max(1, int(width_pt / (smallest * CHAR_WIDTH)))
    rows = max(1, int(height_pt / (smallest * LINE_HEIGHT)))
    return smallest, shortened(text, max(10, per_line * rows - per_line // 2))


def _box(
    slide, left, top, width, height, paragraphs, anchor=MSO_ANCHOR.TOP, fill=None, line=None, shape=None
):
    """A text box (or `shape`) holding `paragraphs`: (text, size, {bold, colour, italic, align})."""
    if shape is None and fill is None and line is None:
        box = slide.shapes.add_textbox(left, top, width, height)
    else:
        box = slide.shapes.add_shape(shape or MSO_SHAPE.RECTANGLE, left, top, width, height)
        if fill:
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb(fill)
        else:
            box.fill.background()
        if line:
            box.line.color.rgb = _rgb(line)
            box.line.width = Pt(3)
        else:
            box.line.fill.background()
        box.shadow.inherit = False
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # shrink on overflow, should an estimate be short
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Emu(int(0.12 * INCH))
    frame.margin_top = frame.margin_bottom = Emu(int(0.06 * INCH))
    for i, (text, size, style) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = style.get("align", PP_ALIGN.LEFT)
        paragraph.space_after = Pt(style.get("after", 6))
        run = paragraph.add_run()
        run.text = xml_safe(text)
        run.font.size = Pt(size)
        run.font.bold = style.get("bold", False)
        run.font.italic = style.get("italic", False)
        run.font.color.rgb = _rgb(style.get("colour", INK))
    return box


def _slide(deck, title, band=BLUE):
    """A blank slide whose first text is its title, in a band of `band`, at a size that holds it on two
    lines (shortened beyond)."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    width = WIDTH - 2 * MARGIN
    size = next((s for s in TITLE_SIZES if lines_needed(title, width / 12700 - 15, s) <= 2), None)
    if size is None:
        size, title = fit(title, width, BAND, TITLE_SIZES[-1], TITLE_SIZES[-1])
    _box(slide, 0, 0, WIDTH, BAND, [(title, size, {"bold": True, "colour": on(band)})],
         anchor=MSO_ANCHOR.MIDDLE, fill=band)  # fmt: skip
    frame = slide.shapes[0].text_frame
    frame.margin_left = frame.margin_right = Emu(MARGIN)
    return slide


def _footer(slide, text, colour_=GREY):
    """The slide's last line (« … et 4 autres cartes dans le compte rendu »)."""
    _box(slide, MARGIN, HEIGHT - int(0.8 * INCH), WIDTH - 2 * MARGIN, int(0.6 * INCH),
         [(text, 18, {"colour": colour_, "italic": True})], anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip


def _columns(slide, count, top=BAND + int(0.45 * INCH), bottom=int(1.0 * INCH), gap=int(0.3 * INCH)):
    """`count` equal columns across the slide: (left, top, width, height) each."""
    width = (WIDTH - 2 * MARGIN - gap * (count - 1)) // max(count, 1)
    height = HEIGHT - top - bottom
    return [(MARGIN + i * (width + gap), top, width, height) for i in range(count)]


def _card(slide, place, head, text, meta, family, largest=28):
    """A card: its rank and dots (or its family) on top in the family's colour, its text large, its
    table under it."""
    left, top, width, height = place
    _box(
        slide,
        left,
        top,
        width,
        height,
        [],
        fill="#FFFFFF",
        line=colour(family),
        shape=MSO_SHAPE.ROUNDED_RECTANGLE,
    )
    slide.shapes[-1].adjustments[0] = 0.06
    inner, pad = width - int(0.3 * INCH), int(0.15 * INCH)
    head_size, head = fit(head, inner, int(0.8 * INCH), 20, 14)
    _box(
        slide,
        left + pad,
        top + pad,
        inner,
        int(0.8 * INCH),
        [(head, head_size, {"bold": True, "colour": deep(family)})],
    )
    meta_size, meta = fit(meta, inner, int(0.7 * INCH), 18, 12)
    body = height - int(1.85 * INCH) - pad
    size, text = fit(text, inner, body, largest, 16)
    _box(slide, left + pad, top + pad + int(0.85 * INCH), inner, body, [(text, size, {"colour": INK})])
    _box(slide, left + pad, top + height - int(0.85 * INCH), inner, int(0.7 * INCH),
         [(meta, meta_size, {"colour": GREY})], anchor=MSO_ANCHOR.BOTTOM)  # fmt: skip


def _participation(deck, summary):
    t = summary.wording
    p = summary.participation
    slide = _slide(deck, t("participation"))
    tiles = [
        (p["participants"], "participant"),
        (len(summary.cards), "card"),
        (len(summary.frames.votes), "dot"),
        (len(summary.by_group), "table"),
    ]
    for (n, noun), place in zip(tiles, _columns(slide, 4, bottom=int(2.2 * INCH)), strict=True):
        number, word = t.plural(n, noun).split(" ", 1)
        left, top, width, height = place
        _box(slide, left, top, width, height,
             [(number, 60, {"bold": True, "colour": BLUE, "align": PP_ALIGN.CENTER, "after": 0}),
              (word, 24, {"colour": INK, "align": PP_ALIGN.CENTER})],
             anchor=MSO_ANCHOR.MIDDLE, fill=PALE)  # fmt: skip
    note = t(
        "slide_participation_note", posted=t.plural(p["posted"], "person"), share=t.percent(p["share_posted"]),
        phone=t.number(p["phone"]), paper=t.number(p["paper"]),
    )  # fmt: skip
    paper_dots = sum(summary.paper_dots_by_group().values())
    if paper_dots:  # the référents' dots for people without a phone, said as in the compte rendu
        people = int(summary.frames.participants["paper"].sum())
        note += " · " + t(
            "slide_paper_note", dots=t.plural(paper_dots, "paper_dot"), people=t.plural(people, "paperless")
        )
    size, note = fit(note, WIDTH - 2 * MARGIN, int(1.2 * INCH), 24, 16)
    _box(slide, MARGIN, HEIGHT - int(1.9 * INCH), WIDTH - 2 * MARGIN, int(1.2 * INCH),
         [(note, size, {"colour": GREY, "align": PP_ALIGN.CENTER})], anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip


def _family(deck, summary, family):
    t = summary.wording
    n = int(summary.by_family[family])
    top = summary.top[family]
    if len(top):
        slide = _slide(deck, t("slide_top", family=t.family(family)), band=colour(family))
        shown = top.head(TOP_CARDS)
        for (_, r), place in zip(shown.iterrows(), _columns(slide, len(shown)), strict=True):
            dots = t.dots(int(r["votes"]), int(r["votes_table"]), int(r["votes_plenary"]), within=True)
            _card(
                slide,
                place,
                f"{int(r['rank'])}. {dots}",
                r["text"],
                summary.group_name(int(r["group"])),
                family,
            )
        if len(top) > len(shown):
            _footer(slide, t("slide_more_themes", rest=t.plural(len(top) - len(shown), "other_card")))
        return
    title = t("slide_digest", family=t.family(family)) if n else t.family(family)
    slide = _slide(deck, title, band=colour(family))
    themes, cards = family_digest(summary, family)
    if themes:  # no dots: the family's themes, each with its most shared card
        places = _columns(slide, len(themes))
        for theme, place in zip(themes, places, strict=True):
            card = representative(theme["cards"], 1)[0]
            left, top_, width, height = place
            _box(slide, left, top_, width, height, [], fill=PALE)
            size, name = fit(theme["title"], width - int(0.3 * INCH), int(1.5 * INCH), 26, 18)
            quote_size, quote = fit(
                t.quoted(card["text"]), width - int(0.3 * INCH), height - int(2.6 * INCH), 20, 14
            )
            _box(slide, left + int(0.15 * INCH), top_ + int(0.15 * INCH), width - int(0.3 * INCH), height - int(0.3 * INCH),
                 [(name, size, {"bold": True, "colour": deep(family)}),
                  (theme["provenance"], 16, {"colour": GREY, "after": 14}),
                  (quote, quote_size, {"italic": True})])  # fmt: skip
    elif cards:
        for card, place in zip(cards, _columns(slide, len(cards)), strict=True):
            _card(
                slide,
                place,
                t.family(family),
                card["text"],
                summary.group_name(int(card["group"])),
                family,
                24,
            )
    _footer(slide, t("slide_no_dots", cards=t.plural(n, "card")) if n else t("slide_no_cards"), INK)


def _plenary(deck, summary):
    t = summary.wording
    ranking = summary.plenary
    slide = _slide(deck, t("plenary"))
    top, row = BAND + int(0.35 * INCH), int(0.92 * INCH)
    width = WIDTH - 2 * MARGIN - int(3.9 * INCH)
    shown = ranking.head(PLENARY_LINES)
    names = [essential_name(summary, {"kind": e["kind"], "text": e["text"]}) for _, e in shown.iterrows()]
    size = min((fit(name, width, row - int(0.1 * INCH), 24, 16)[0] for name in names), default=24)  # one size
    for i, (_, e) in enumerate(shown.iterrows()):
        y = top + i * row
        family = e["family"]
        _box(slide, MARGIN, y + int(0.08 * INCH), int(0.7 * INCH), int(0.7 * INCH),
             [(str(int(e["rank"])), 24, {"bold": True, "colour": on(colour(family)), "align": PP_ALIGN.CENTER})],
             anchor=MSO_ANCHOR.MIDDLE, fill=colour(family), shape=MSO_SHAPE.OVAL)  # fmt: skip
        what = fit(names[i], width, row - int(0.1 * INCH), size, size)[1]
        _box(slide, MARGIN + int(0.9 * INCH), y, width, row - int(0.05 * INCH), [(what, size, {})],
             anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
        dots = t.plural(int(e["votes_plenary"]), "dot") + (t("tie") if e["tie"] else "")
        _box(slide, WIDTH - MARGIN - int(2.9 * INCH), y, int(2.9 * INCH), row - int(0.05 * INCH),
             [(dots, 20, {"bold": True, "colour": BLUE, "align": PP_ALIGN.RIGHT, "after": 0}),
              (summary.group_name(int(e["group"])), 14, {"colour": GREY, "align": PP_ALIGN.RIGHT})],
             anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
    if len(ranking) > PLENARY_LINES:
        _footer(slide, t("slide_more_themes", rest=t.plural(len(ranking) - PLENARY_LINES, "other_essential")))


def _themes(deck, summary, every):
    t = summary.wording
    slide = _slide(deck, t("cross"))
    if not every:
        _box(
            slide,
            MARGIN,
            BAND + INCH,
            WIDTH - 2 * MARGIN,
            2 * INCH,
            [(t("slide_no_cross"), 32, {"colour": GREY})],
        )
        return
    shown = every[:THEME_TILES]
    per_row = 3 if len(shown) > 4 else 2 if len(shown) > 1 else 1
    rows = math.ceil(len(shown) / per_row)
    gap = int(0.25 * INCH)
    top, bottom = BAND + int(0.35 * INCH), int(0.95 * INCH)
    height = (HEIGHT - top - bottom - gap * (rows - 1)) // rows
    width = (WIDTH - 2 * MARGIN - gap * (per_row - 1)) // per_row
    for i, theme in enumerate(shown):
        left = MARGIN + (i % per_row) * (width + gap)
        y = top + (i // per_row) * (height + gap)
        size, name = fit(theme["title"], width, height - int(0.7 * INCH), 28, 16)
        _box(slide, left, y, width, height,
             [(name, size, {"bold": True, "colour": BLUE}),
              (f"{theme['provenance']} · {t.plural(len(theme['cards']), 'card')}", 16, {"colour": GREY})],
             anchor=MSO_ANCHOR.MIDDLE, fill=PALE)  # fmt: skip
    if len(every) > len(shown):
        _footer(slide, t("slide_more_themes", rest=t.plural(len(every) - len(shown), "other_theme")))
    for theme in every[:THEME_SLIDES]:  # a slide a theme: its provenance and three of its cards
        slide = _slide(deck, theme["title"])
        cards = representative(theme["cards"], THEME_CARDS)
        _box(slide, MARGIN, BAND + int(0.1 * INCH), WIDTH - 2 * MARGIN, int(0.5 * INCH),
             [(theme["provenance"].capitalize(), 20, {"colour": GREY})])  # fmt: skip
        for card, place in zip(cards, _columns(slide, len(cards), top=BAND + int(0.75 * INCH)), strict=True):
            _card(slide, place, t.family(card["family"]), card["text"], summary.group_name(int(card["group"])),
                  card["family"], 26)  # fmt: skip
        if len(theme["cards"]) > len(cards):
            _footer(slide, more_cards(summary, len(theme["cards"]) - len(cards), "appendix_of_report"))


def _next_steps(deck, summary, every):
    """« Prochaines étapes »: the report, the priorities to carry, the commitments to keep."""
    t = summary.wording
    slide = _slide(deck, t("slide_next"))
    report = t("next_report_text", cards=t.plural(len(summary.cards), "card"),
               themes=t.plural(len(every), "theme"), dots=t.plural(len(summary.frames.votes), "dot"))  # fmt: skip
    ranking = summary.plenary if len(summary.plenary) else summary.most_voted
    priorities = [
        "• " + shortened(essential_name(summary, {"kind": r["kind"], "text": r["text"]}), 70)
        for _, r in ranking.head(3).iterrows()
    ] or [t("next_no_priority")]
    commitments = summary.commitments
    if len(commitments):
        kept = [t("next_commitments_text", commitments=t.plural(len(commitments), "commitment"))]
        kept += ["• " + shortened(text, 70) for text in commitments["text"].head(2)]
    else:
        kept = [t("next_no_commitment")]
    columns = [
        (t("next_report"), [report]),
        (t("next_priorities"), priorities),
        (t("next_commitments"), kept),
    ]
    for i, ((head, body), place) in enumerate(
        zip(columns, _columns(slide, 3, bottom=int(1.4 * INCH)), strict=True)
    ):
        left, top, width, height = place
        text = "\n".join(body)
        size, _ = fit(text, width - int(0.3 * INCH), height - int(1.4 * INCH), 22, 14)
        _box(slide, left, top, width, height,
             [(str(i + 1), 40, {"bold": True, "colour": BLUE, "after": 0}), (head, 26, {"bold": True, "after": 12})]
             + [(shortened(line, 200), size, {}) for line in body], fill=PALE)  # fmt: skip
    _box(slide, MARGIN, HEIGHT - int(1.2 * INCH), WIDTH - 2 * MARGIN, int(0.9 * INCH),
         [(t("slide_thanks"), 32, {"bold": True, "colour": BLUE, "align": PP_ALIGN.CENTER})],
         anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip


def write(summary, path) -> None:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    w = summary.workshop
    t = summary.wording  # the document's language (reports.wording)
    cover = deck.slides.add_slide(deck.slide_layouts[6])
    size, title = fit(w["title"], WIDTH - 2 * MARGIN, int(2.6 * INCH), 48, 28)
    _box(cover, 0, 0, WIDTH, HEIGHT, [(title, size, {"bold": True, "colour": "#FFFFFF"})],
         anchor=MSO_ANCHOR.MIDDLE, fill=BLUE)  # fmt: skip
    frame = cover.shapes[0].text_frame
    frame.margin_left = frame.margin_right = Emu(MARGIN)
    frame.margin_bottom = Emu(int(2.2 * INCH))
    lines = [(t("slides_cover", date=t.date(w["created_at"])), 24, {"colour": "#DCE6F5", "after": 12})]
    if w["question"]:
        size, question = fit(t.quoted(w["question"]), WIDTH - 2 * MARGIN, int(1.3 * INCH), 26, 16)
        lines.append((question, size, {"colour": "#FFFFFF", "italic": True}))
    _box(cover, MARGIN, HEIGHT - int(2.4 * INCH), WIDTH - 2 * MARGIN, int(1.9 * INCH), lines)
    _participation(deck, summary)
    for family in summary.families:
        _family(deck, summary, family)
    if len(summary.plenary):  # the room's priorities: the plenary's ranking of every table's essentials
        _plenary(deck, summary)
    every = [theme for theme in summary.synthesis if len(theme["tables"]) >= 2]
    _themes(deck, summary, every)
    titles = t("slide_chart")
    for name, data in summary.chart_png().items():
        slide = _slide(deck, titles[name])
        room = HEIGHT - BAND - int(0.3 * INCH)
        picture = slide.shapes.add_picture(io.BytesIO(data), 0, BAND + int(0.15 * INCH), height=room)
        if picture.width > WIDTH - 2 * MARGIN:
            ratio = (WIDTH - 2 * MARGIN) / picture.width
            picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
        picture.left = int((WIDTH - picture.width) / 2)
    _plan_slides(deck, summary)  # « Plan d'action »: a slide per axis, none without a plan (reports/plan.py)
    _next_steps(deck, summary, every)
    deck.core_properties.title = xml_safe(t("slides_title", title=w["title"]))
    deck.core_properties.language = t.core_language
    deck.save(path)


# --- The action plan: a slide per axis (reports/plan.py gives the folded plan) ------------------------

ACTIONS_PER_SLIDE = 3  # an action's title on two lines in large type, its owner and partners on two


def _plan_slides(deck, summary) -> None:
    """A slide per axis (continued on another beyond three actions): each action a band with its title in
    large type, who carries it and its origin, and on the right its échéance and volunteers."""
    t = summary.wording
    for axis in plan.axes(summary):
        chunks = [
            axis["actions"][i : i + ACTIONS_PER_SLIDE]
            for i in range(0, len(axis["actions"]), ACTIONS_PER_SLIDE)
        ]
        for page, chunk in enumerate(chunks):
            title = axis["heading"] if page == 0 else t("plan_more", title=axis["heading"])
            slide = _slide(deck, title)
            top, bottom, gap = BAND + int(0.2 * INCH), int(0.25 * INCH), int(0.15 * INCH)
            rows = max(len(chunk), 3)  # one or two actions keep the height of three: large, not huge
            height = (HEIGHT - top - bottom - gap * (rows - 1)) // rows
            right = int(3.6 * INCH)
            width = WIDTH - 2 * MARGIN
            inner = width - right - int(0.4 * INCH)
            meta_room = int(0.7 * INCH)
            title_room = height - meta_room - int(0.1 * INCH)
            whos = []
            for action in chunk:
                who = action["owner"] or t("plan_no_owner")
                whos.append(
                    t("plan_with", owner=who, partners=action["partners"]) if action["partners"] else who
                )
            # one size for the slide's titles, one for its owners: the rows read as a list
            size = min(fit(a["title"], inner, title_room, 28, 18)[0] for a in chunk)
            meta_size = min(fit(who, inner, meta_room, 18, 16)[0] for who in whos)
            for i, (action, who) in enumerate(zip(chunk, whos, strict=True)):
                y = top + i * (height + gap)
                _box(slide, MARGIN, y, width, height, [], fill=PALE, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
                slide.shapes[-1].adjustments[0] = 0.12
                text = fit(action["title"], inner, title_room, size, size)[1]
                meta = fit(who, inner, meta_room, meta_size, meta_size)[1]
                _box(slide, MARGIN + int(0.2 * INCH), y + int(0.06 * INCH), inner, title_room,
                     [(text, size, {"bold": True})], anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
                _box(slide, MARGIN + int(0.2 * INCH), y + height - meta_room - int(0.06 * INCH), inner, meta_room,
                     [(meta, meta_size, {"colour": GREY})], anchor=MSO_ANCHOR.TOP)  # fmt: skip
                due = due_text(action["due"], t.language) or t("plan_no_due")
                due_size = (
                    24 if len(due) <= 14 else 20 if len(due) <= 16 else 18
                )  # bold: wider than `fit` guesses
                lines = [(due, due_size, {"bold": True, "colour": BLUE, "align": PP_ALIGN.RIGHT, "after": 2})]
                lines.append(
                    (action["provenance"], 16, {"colour": GREY, "align": PP_ALIGN.RIGHT, "after": 0})
                )
                if action["volunteers"]:
                    lines.append((t.plural(action["volunteers"], "volunteer"), 16,
                                  {"colour": GREY, "align": PP_ALIGN.RIGHT}))  # fmt: skip
                _box(slide, MARGIN + width - right - int(0.15 * INCH), y, right, height, lines,
                     anchor=MSO_ANCHOR.MIDDLE)  # fmt: skip
