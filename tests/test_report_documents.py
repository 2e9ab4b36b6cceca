"""What a reader of the printed compte rendu notices (issue 16, point 13): emoji print as emoji, the
heatmap counts whole cards and sits in participation, charts name the tables, the timeline marks the
steps, « Les plus votées » ranks cards and themes together exactly as its chart does."""

import shutil
import subprocess

import pytest
from sqlalchemy import select

from facilitator import demo
from facilitator.models import Card, Group
from reports import build_summary, charts, writers
from reports.emoji import symbol_font
from reports.writers.docx_writer import outline

BASE = "http://facilitator.test"


@pytest.fixture
def demo_summary(session):
    """The demo workshop (a finished one, agenda run to the plenary), one card with 👍, table 1 named."""
    code = demo.create_demo(session, BASE)["code"]
    card = session.scalars(
        select(Card).where(Card.text == "Difficile de recruter des agents thermaux qualifiés")
    ).one()
    card.text += " 👍🏽"  # a skin tone: only a colour font shapes it, the PDF drops it
    group = session.scalars(
        select(Group).where(Group.workshop_id == card.workshop_id, Group.number == 1)
    ).one()
    group.name = "Hébergement 🌊"
    session.commit()
    return build_summary(session, code, synthesis=False)  # the themes are not what these tests read


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
    labels = [t.get_text() for t in figures["cartes-par-table"].axes[0].get_xticklabels()]
    assert labels[0] == "Hébergement 🌊" and labels[1] == "Table 2"
    heat = [t.get_text() for t in figures["tables-familles"].axes[0].get_yticklabels()]
    assert heat[0] == "Hébergement 🌊"
    bars = [t.get_text() for t in figures["plus-votees"].axes[0].get_yticklabels()]
    assert not any(" T1 " in b or b.startswith("T1") for b in bars)
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
