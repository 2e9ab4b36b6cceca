"""What a reader of the printed compte rendu notices (issue 16, point 13): emoji print as emoji, the
heatmap counts whole cards and sits in participation, charts name the tables, the timeline marks the
steps, « Les plus votées » ranks cards and themes together exactly as its chart does."""

import shutil
import subprocess

import pytest
from sqlalchemy import select

from facilitator.models import Card, Group
from reports import build_summary, charts, writers
from reports.emoji import symbol_font
from reports.writers.docx_writer import outline

BASE = "http://facilitator.test"


@pytest.fixture
def migrated_database(demo_database):
    """Every test starts from a copy of the database where the demo was played once (conftest)."""
    return demo_database[0]


@pytest.fixture
def demo_summary(session, demo_database):
    """The demo workshop (a finished one, agenda run to the plenary), one card with 👍, the table of
    the most voted « Forces » card named with an emoji."""
    code = demo_database[1]["code"]
    card = session.scalars(
        select(Card).where(Card.text == "Difficile de recruter des agents thermaux qualifiés")
    ).one()
    card.text += " 👍🏽"  # a skin tone: only a colour font shapes it, the PDF drops it
    first = build_summary(session, code, synthesis=False).top["forces"]["group"].iloc[0]
    group = session.scalars(
        select(Group).where(Group.workshop_id == card.workshop_id, Group.number == int(first))
    ).one()
    group.name = "Hébergement 🌊"
    session.commit()
    summary = build_summary(session, code, synthesis=False)  # the themes are not what these tests read
    summary.named_table = int(first)
    return summary


@pytest.mark.skipif(symbol_font() is None, reason="fonts-symbola is not installed (bin/debian-packages)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_emoji_print_in_symbola_not_as_boxes(demo_summary, tmp_path):
    import pypdf

    path = tmp_path / "r.pdf"
    writers.write(demo_summary, "pdf", path)
    reader = pypdf.PdfReader(path)
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Report-Symbols" in name or "Symbola" in name for name in fonts), fonts
    # poppler reads the emoji back (the ToUnicode map has their UTF-16 pairs); pypdf does not read pairs
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "qualifiés 👍" in text and "Hébergement 🌊" in text
    assert "\U0001f3fd" not in text and "\ufffd" not in text and "□" not in text


def test_what_no_font_has_is_spelled_out():
    from reports.emoji import runs

    pieces = runs("Bravo 👍🏽‍", lambda c: c < 0x2000, lambda c: False)
    assert pieces == [(False, "Bravo [thumbs up sign]")]
    assert runs("Bravo 👍", lambda c: c < 0x2000, lambda c: True) == [(False, "Bravo "), (True, "👍")]


def test_charts_draw_emoji_and_name_the_tables(demo_summary):
    figures = charts.figures(demo_summary)
    named = demo_summary.named_table
    other = 1 if named != 1 else 2
    labels = [t.get_text() for t in figures["cartes-par-table"].axes[0].get_xticklabels()]
    assert labels[named - 1] == "Hébergement 🌊" and labels[other - 1] == f"Table {other}"
    heat = [t.get_text() for t in figures["tables-familles"].axes[0].get_yticklabels()]
    assert heat[named - 1] == "Hébergement 🌊"
    bars = [t.get_text() for t in figures["plus-votees"].axes[0].get_yticklabels()]
    assert not any(f" T{named} " in b or b.startswith(f"T{named}") for b in bars)
    assert "Symbola" in str(charts.fonts()[0]["font.family"])


def test_the_heatmap_counts_whole_cards_in_participation(demo_summary):
    figure = charts.figures(demo_summary)["tables-familles"]
    axes, bar = figure.axes
    figure.canvas.draw()
    cells = [t.get_text() for t in axes.texts]
    assert cells and all(c.isdigit() for c in cells)
    ticks = [t.get_text() for t in bar.get_yticklabels() if t.get_text()]
    assert ticks and all(t.lstrip("−-").isdigit() for t in ticks), ticks
    blocks = outline(demo_summary)
    kinds = [kind for kind, _ in blocks]
    heatmap = next(i for i, (kind, payload) in enumerate(blocks)
                   if kind == "chart" and payload == demo_summary.chart_png()["tables-familles"])  # fmt: skip
    participation = blocks.index(("h1", "Participation"))
    next_section = next(i for i in range(participation + 1, len(blocks)) if kinds[i] == "h1")
    assert participation < heatmap < next_section and blocks[next_section] == ("h1", "Synthèse par famille")


def test_the_timeline_marks_the_steps(demo_summary):
    axes = charts.figures(demo_summary)["deroule"].axes[0]
    names = [t.get_text().strip() for t in axes.texts]
    assert names == ["1. Accueil et règles du jeu", "5. Restitution en plénière"]
    assert len(axes.get_lines()) == 2  # a dashed line at each start


def test_most_voted_ranks_cards_and_themes_together_as_its_chart(demo_summary):
    ranking = demo_summary.most_voted
    assert set(ranking["kind"]) == {"card", "theme"}  # the demo's themes have dots
    assert list(ranking["votes"]) == sorted(ranking["votes"], reverse=True)
    blocks = outline(demo_summary)
    start = blocks.index(("h1", "Les plus votées"))
    lines = [payload for kind, payload in blocks[start + 1 :] if kind == "bullet"][: len(ranking.head(10))]
    theme = ranking[ranking["kind"] == "theme"].iloc[0]
    assert any(line.startswith(f"{theme['rank']}. thème «") for line in lines), lines
    bars = charts.figures(demo_summary)["plus-votees"].axes[0]
    labels = [t.get_text() for t in bars.get_yticklabels()][::-1]  # the first at the top
    assert [label.split(".")[0] for label in labels] == [line.split(".")[0] for line in lines]
    widths = [int(p.get_width()) for p in bars.patches][::-1]
    assert widths == list(ranking.head(10)["votes"])
    assert "most_voted" in demo_summary.to_report()


# --- The closing slides (point 14) ------------------------------------------------------------------


def deck_of(summary, tmp_path):
    import pptx

    path = tmp_path / "r.pptx"
    writers.write(summary, "pptx", path)
    return pptx.Presentation(path)


def texts(slide) -> list[str]:
    return [p.text for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs if p.text]


def test_slides_one_idea_each_in_order_ending_on_next_steps(session, demo_summary, tmp_path):
    deck = deck_of(build_summary(session, demo_summary.workshop["code"]), tmp_path)  # with the themes
    titles = [texts(slide)[0] for slide in deck.slides]
    assert titles[0] == "Assises du thermalisme en Occitanie" and titles[1] == "Participation"
    assert titles[2:6] == [
        f"{family} — les plus votées" for family in ("Forces", "Faiblesses", "Attentes", "Contributions")
    ]
    assert titles[6] == "Priorités de la plénière" and titles[7] == "Thèmes communs à plusieurs tables"
    themes = titles[8 : titles.index("Cartes par table")]
    assert 1 <= len(themes) <= 4  # the most shared themes, a slide each
    assert titles[-1] == "Prochaines étapes"
    last = texts(deck.slides[-1])
    assert {"Le compte rendu", "Porter les priorités", "Tenir les engagements"} <= set(last)
    assert last[-1] == "Merci à toutes et à tous\u202f!"
    for slide in deck.slides:  # no list filling a page: a few lines a box
        assert all(len(s.text_frame.paragraphs) <= 6 for s in slide.shapes if s.has_text_frame)


def test_slide_titles_and_texts_fit_their_boxes(demo_summary, tmp_path):
    """Each title holds on two lines at its size, every box shrinks on overflow, the type is large."""
    from pptx.util import Pt

    deck = deck_of(demo_summary, tmp_path)
    for slide in deck.slides:
        title = slide.shapes[0]
        run = title.text_frame.paragraphs[0].runs[0]
        size = run.font.size.pt
        width_pt = (title.width - title.text_frame.margin_left - title.text_frame.margin_right) / 12700
        assert size >= 24 and len(run.text) * 0.55 * size <= 2 * width_pt, run.text
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            body = shape.text_frame._txBody.bodyPr
            assert body.find("{http://schemas.openxmlformats.org/drawingml/2006/main}normAutofit") is not None
            sizes = [r.font.size for p in shape.text_frame.paragraphs for r in p.runs]
            assert all(s is not None and s >= Pt(12) for s in sizes), shape.text_frame.text
            lines = sum(
                max(1, -(-len(p.text) // max(1, int((shape.width / 12700 - 15) / (0.58 * r.font.size.pt)))))
                * r.font.size.pt * 1.25
                for p in shape.text_frame.paragraphs for r in p.runs
            )  # fmt: skip
            assert lines <= shape.height / 12700 + 12 * len(shape.text_frame.paragraphs), (
                shape.text_frame.text
            )


def test_family_slides_show_their_cards_in_the_family_colour(demo_summary, tmp_path):
    from facilitator.families import COLOURS

    deck = deck_of(demo_summary, tmp_path)
    slide = next(s for s in deck.slides if texts(s)[0] == "Forces — les plus votées")
    band = slide.shapes[0].fill.fore_color.rgb
    assert str(band) == COLOURS["forces"].lstrip("#").upper()
    cards = [s for s in slide.shapes if s.has_text_frame and not s.text_frame.text and s.line.fill.type == 1]
    assert len(cards) == 3 and all(
        str(c.line.color.rgb) == COLOURS["forces"].lstrip("#").upper() for c in cards
    )
    assert "Hébergement 🌊" in texts(slide)  # emoji as typed: PowerPoint draws them
    big = [
        r.font.size.pt
        for s in slide.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
    ]
    assert max(big) >= 24  # the cards' texts, large


def test_a_long_word_is_cut_to_its_box():
    from reports.writers.pptx_writer import INCH, fit

    word = "Anticonstitutionnellement" * 12
    size, text = fit(word, int(3.6 * INCH), int(2 * INCH), 28, 16)
    assert size == 16 and text.endswith("…") and text[:-1] == word[: len(text) - 1] and len(text) > 60
    assert fit("Court", int(3.6 * INCH), int(2 * INCH), 28, 16) == (28, "Court")


def test_no_page_of_the_pdf_ends_on_a_heading(demo_summary, tmp_path):
    import pypdf

    path = tmp_path / "r.pdf"
    writers.write(demo_summary, "pdf", path)
    blocks = outline(demo_summary)
    headings = [payload for kind, payload in blocks if kind in ("h1", "h2")]
    # a heading over a chart is the page's last text when its chart (an image, no text) is under it
    over_chart = {
        payload
        for (kind, payload), (after, _) in zip(blocks[:-1], blocks[1:], strict=True)
        if kind == "h1" and after == "chart"
    }
    for number, page in enumerate(pypdf.PdfReader(path).pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Compte rendu — ") and line != f"page {number}"]
        last = body[-1]
        if last in over_chart and len(page.images):
            continue
        assert not any(
            heading == last or (len(last) > 6 and heading.endswith(last)) for heading in headings
        ), (
            number,
            last,
        )
