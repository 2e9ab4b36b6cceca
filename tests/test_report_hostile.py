"""A report never fails on what people typed, and shows it as typed (issue 18, points 4 and 13): every
format of a workshop whose cards, themes, tables, names and organisation types are hostile texts;
mathtext `$…$` drawn literally in the charts; control characters dropped even when an old database
holds them; an anonymous workshop's report names nobody; a failed build logs no card text."""

import csv
import importlib
import json
import logging
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from facilitator.database import make_engine
from facilitator.models import Card, Essential, Participant, ReportTheme, ReportThemeCard, Step, Theme, Vote
from facilitator.textsafety import failure_outline
from facilitator.workshops import create_workshop
from reports import build_summary, charts, writers

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FRACTION = "Budget: $\\frac{1}{$ par personne"  # made every document with a chart answer 500
PRICE = "Prix entre $10 et $20"  # was drawn « Prix entre 10et20 »
LONG = "Anticonstitutionnellement" * 12  # 300 letters, no space
HOSTILE = [
    FRACTION,
    PRICE,
    "Contrôle\x01caché",
    "Octet\x00nul",
    "\u202eRenversé",
    "<b>& gras",
    "=CMD()",
    "\x01=CMD()",  # a formula once the control character is dropped: still quoted
    LONG,
    "Émoji 🎉👍🏽",
    "   ",
]
# What each text becomes in a document: the control and format characters dropped, nothing else.
SHOWN = {
    "Contrôle\x01caché": "Contrôlecaché",
    "Octet\x00nul": "Octetnul",
    "\u202eRenversé": "Renversé",
    "\x01=CMD()": "=CMD()",
}
NAME, ORGANISATION = "Zoé $\\frac{1}{$\x01", "<b>&\x00OT"


def seed_hostile(session, anonymous=False):
    """Two tables named, titled and filled with HOSTILE: every text a card, a dot at the table and one in
    plenary on each, each an essential; a table theme, an agenda step and an organisers' report theme
    (across both tables) with hostile titles; one person with a hostile name and organisation type."""
    workshop, secrets = create_workshop(
        session, title="Atelier", question=PRICE, groups=2, anonymous=anonymous
    )
    # As an older database may hold it: create_workshop's text rule (textsafety.clean_typed) drops \x01.
    workshop.title = f"Atelier {FRACTION} <b>&\x01"
    for group, name in zip(workshop.groups, [PRICE, "\u202eTable\x00"], strict=True):
        group.name = name
    person = Participant(
        workshop_id=workshop.id, group_id=workshop.groups[0].id, token_hash="t", name=NAME,
        organisation=ORGANISATION,
    )  # fmt: skip
    session.add(person)
    session.add(Step(workshop_id=workshop.id, position=99, kind="post", title=f"Étape {FRACTION}", duration=60,
                     open_families=["forces"]))  # fmt: skip
    session.flush()
    theme = Theme(workshop_id=workshop.id, group_id=workshop.groups[0].id, title=f"Thème {PRICE}\x01")
    session.add(theme)
    session.flush()
    cards = []
    for i, text in enumerate(HOSTILE):
        group = workshop.groups[i % 2]
        family = ("forces", "contributions")[i % 2]
        card = Card(
            workshop_id=workshop.id, group_id=group.id, participant_id=person.id, client_id=f"c{i}",
            family=family, text=text, seq=i + 1, created_at=START + timedelta(minutes=i),
        )  # fmt: skip
        session.add(card)
        session.flush()
        cards.append(card)
        for stage in ("table", "plenary"):
            session.add(Vote(workshop_id=workshop.id, participant_id=person.id, card_id=card.id, stage=stage))
        session.add(
            Essential(workshop_id=workshop.id, group_id=group.id, family=family, card_id=card.id, position=i)
        )
    cards[0].theme_id = theme.id
    session.add(Vote(workshop_id=workshop.id, participant_id=person.id, theme_id=theme.id))
    session.add(Essential(workshop_id=workshop.id, group_id=workshop.groups[0].id, family="forces",
                          theme_id=theme.id, position=20))  # fmt: skip
    report_theme = ReportTheme(workshop_id=workshop.id, title=f"{FRACTION} \x01<b>&", position=0, edited=True)
    session.add(report_theme)
    session.flush()
    for card in cards[:4]:  # both tables: a cross-table theme
        session.add(ReportThemeCard(workshop_id=workshop.id, theme_id=report_theme.id, card_id=card.id))
    session.commit()
    return workshop, secrets


@pytest.fixture(scope="module")
def hostile_database(tmp_path_factory, migrated_database):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    shutil.copyfile(migrated_database, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine) as session:
        workshop, _ = seed_hostile(session)
        code = workshop.code
    yield url, code
    engine.dispose()


def summary_of(url, code, **options):
    engine = make_engine(url)
    with Session(engine) as session:
        summary = build_summary(session, code, **options)
    engine.dispose()
    return summary


@pytest.fixture(scope="module")
def hostile_summary(hostile_database):
    return summary_of(*hostile_database)


@pytest.fixture(scope="module")
def documents(hostile_summary, tmp_path_factory):
    """Every format of the hostile workshop, written once: format → path."""
    folder = tmp_path_factory.mktemp("hostile-documents")
    paths = {}
    for fmt in writers.available():
        paths[fmt] = folder / f"r.{fmt}"
        writers.write(hostile_summary, fmt, paths[fmt])
    return paths


def shown(text):
    return SHOWN.get(text, text)


def xlsx_cells(path) -> list:
    import openpyxl

    return [cell.value for sheet in openpyxl.load_workbook(path) for row in sheet.iter_rows() for cell in row]


def test_every_format_builds_from_hostile_texts(documents):
    assert set(documents) == set(writers.FORMATS)
    assert all(path.stat().st_size > 0 for path in documents.values())


def test_charts_draw_card_text_as_typed(hostile_summary):
    """The essentials' and the plenary's charts name the cards as typed: no `$…$` read as mathtext."""
    from matplotlib.text import Text

    figures = charts.figures(hostile_summary)
    assert {"plus-votees", "priorites-pleniere"} <= set(figures)
    for name in ("plus-votees", "priorites-pleniere"):
        figure = figures[name]
        charts.png(figure, dpi=50)  # draws: a mathtext error would raise here
        labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
        assert any(PRICE in label for label in labels), labels
        assert any("Budget: $\\frac{1}{$" in label for label in labels), labels
        assert any(f"· {LONG[:30]}" in label and label.endswith("…") for label in labels), labels  # not « … »
        texts = [t for t in figure.findobj(Text) if "$" in t.get_text()]
        assert texts and all(not t.get_parse_math() for t in texts)
        assert all(t._preprocess_math(t.get_text()) == (t.get_text(), False) for t in texts)


def test_documents_show_hostile_text_literally(documents):
    import docx
    import pptx
    import pypdf

    document = docx.Document(documents["docx"])
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for text in HOSTILE:
        assert shown(text) in body, text
    assert not any(ch in body for ch in "\x00\x01\u202e")
    assert f"Compte rendu — Atelier {FRACTION} <b>&" in body and f"{FRACTION} <b>&" in body  # report theme

    pdf = "\n".join(page.extract_text() for page in pypdf.PdfReader(documents["pdf"]).pages)
    for text in (FRACTION, PRICE, "<b>& gras", "=CMD()", "Contrôlecaché", "Renversé"):
        assert text in pdf, text

    deck = pptx.Presentation(documents["pptx"])
    slides = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    # three cards a family on the slides: the emoji, fifth of its family, is not among them
    # (tests/test_report_documents.py checks that the slides keep emoji as typed)
    assert PRICE in slides and FRACTION in slides and "<b>& gras" in slides
    # a 300-letter word is cut to its box, not dropped: tests/test_report_documents.py::test_a_long_word_is_cut_to_its_box

    page = documents["html"].read_text(encoding="utf-8")
    assert "&lt;b&gt;&amp; gras" in page and "<b>&" not in page
    assert PRICE in page and "Budget: $\\frac{1}{$ par personne" in page and LONG in page

    cells = xlsx_cells(documents["xlsx"])
    assert cells.count("'=CMD()") >= 2 and "Contrôlecaché" in cells and PRICE in cells
    assert not [v for v in cells if isinstance(v, str) and v[:1] in "=+-@"]

    rows = list(csv.DictReader(documents["csv"].read_text(encoding="utf-8-sig").splitlines()))
    assert [r["texte"] for r in rows].count("'=CMD()") == 2 and FRACTION in {r["texte"] for r in rows}
    assert {(r["auteur"], r["organisation"]) for r in rows} == {("Zoé $\\frac{1}{$", "<b>&OT")}

    report = json.loads(documents["json"].read_text(encoding="utf-8"))
    texts = [e["text"] for group in report["by_group"] for e in group["essentials"]]
    assert {shown(text) for text in HOSTILE} <= set(texts)
    assert report["by_group"][1]["name"] == "Table" and report["workshop"]["question"] == PRICE


def test_writers_drop_control_characters_that_reached_them(hostile_database, tmp_path, monkeypatch):
    """Defence in depth: a summary whose texts still hold `\\x01` and NUL (as if read without
    reports/load.py's filter) still gives a spreadsheet, a DOCX and a deck."""
    load = importlib.import_module("reports.load")
    edited = importlib.import_module("reports.edited_themes")
    monkeypatch.setattr(load, "printable", lambda text: text)
    monkeypatch.setattr(edited, "printable", lambda text: text)
    summary = summary_of(*hostile_database)
    assert "\x01" in summary.workshop["title"]
    for fmt in ("xlsx", "docx", "pptx", "pdf", "html", "csv", "json"):
        writers.write(summary, fmt, tmp_path / f"r.{fmt}")
    cells = xlsx_cells(tmp_path / "r.xlsx")
    assert cells.count("'=CMD()") >= 2 and "Contrôlecaché" in cells


def test_the_report_route_answers_every_document_of_hostile_cards(client, session):
    """The case of the issue, through the HTTP route and its subprocess: the HTML compte rendu (charts
    and all) of a workshop with the card « Budget: $\\frac{1}{$ par personne » made an essential."""
    workshop, secrets = seed_hostile(session)
    answer = client.get(
        f"/api/workshops/{workshop.code}/report.html",
        headers={"Authorization": f"Bearer {secrets.facilitator_token}"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert PRICE in answer.get_data(as_text=True)


# --- Anonymous workshops (point 13) ------------------------------------------------------------------


def test_an_anonymous_report_names_nobody_nor_breaks_down_by_organisation(session, tmp_path):
    """A name and an organisation type stored anyway (a tampered phone, an old database) are in no format;
    `by_organisation` stays in report.json, empty."""
    import docx

    workshop, _ = seed_hostile(session, anonymous=True)
    summary = build_summary(session, workshop.code)
    people = summary.frames.participants
    assert people["name"].isna().all() and people["organisation"].isna().all()  # no writer can show one
    report = summary.to_report()
    assert report["by_organisation"] == {}
    assert all(c["author"] is None and c["organisation"] is None for c in report["commitments"])
    for fmt in writers.available():
        writers.write(summary, fmt, tmp_path / f"r.{fmt}")
    for fmt in ("json", "csv", "html"):
        text = (tmp_path / f"r.{fmt}").read_text(encoding="utf-8-sig")
        assert "Zoé" not in text and "&OT" not in text and "&amp;OT" not in text, fmt
    body = "\n".join(p.text for p in docx.Document(tmp_path / "r.docx").paragraphs)
    assert "Zoé" not in body and "<b>&OT" not in body


def test_a_named_report_keeps_its_breakdown_by_organisation(hostile_summary):
    assert hostile_summary.to_report()["by_organisation"] == {"<b>&OT": {"cards": 11, "forces": 6,
                                                                           "faiblesses": 0, "attentes": 0,
                                                                           "contributions": 5}}  # fmt: skip


# --- The log of a failed build (point 13) -----------------------------------------------------------


def mathtext_traceback(text) -> str:
    """The traceback a report subprocess printed when matplotlib could not parse a card as mathtext."""
    code = (
        "import io\nfrom matplotlib.figure import Figure\nfrom matplotlib.backends.backend_agg import "
        "FigureCanvasAgg\nf = Figure(); FigureCanvasAgg(f)\nimport sys\nf.text(0, 0, sys.argv[1])\n"
        "f.savefig(io.BytesIO(), format='png')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "frac" in done.stderr
    return done.stderr


def test_a_failed_report_logs_where_it_failed_never_the_card(client, session, monkeypatch, caplog):
    from facilitator import api

    workshop, secrets = create_workshop(session, title="Atelier", question="Q ?", groups=1)
    stderr = mathtext_traceback(FRACTION)
    monkeypatch.setattr(
        api.subprocess, "run", lambda command, **options: subprocess.CompletedProcess(command, 1, "", stderr)
    )
    with caplog.at_level(logging.ERROR):
        answer = client.get(
            f"/api/workshops/{workshop.code}/report.pdf",
            headers={"Authorization": f"Bearer {secrets.facilitator_token}"},
        )
    assert answer.status_code == 500 and answer.get_json()["error"]["code"] == "internal"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "frac" not in logged and "par personne" not in logged and "Budget" not in logged
    assert "report pdf failed" in logged and "ValueError" in logged and "mathtext.py:" in logged  # where


def test_failure_outline_keeps_types_and_places_only():
    stderr = (
        "/app/reports/charts.py:218: UserWarning: Glyph 127881 (\\N{PARTY POPPER}) missing from font(s)\n"
        "  figure.savefig(buffer)\n"
        "Traceback (most recent call last):\n"
        '  File "/app/reports/writers/xlsx_writer.py", line 62, in write\n'
        '    row([t("x_workshop"), w["title"]])\n'
        "openpyxl.utils.exceptions.IllegalCharacterError: Budget\x01 par personne cannot be used in worksheets.\n"
    )
    assert failure_outline(stderr) == (
        "UserWarning at /app/reports/charts.py:218 > /app/reports/writers/xlsx_writer.py:62 in write > "
        "openpyxl.utils.exceptions.IllegalCharacterError"
    )
    assert failure_outline("") == "no traceback"
