"""Issue 16, point 6: a hidden card (or one still sealed) never reaches the compte rendu's body — not the
synthesis (its themes' titles and examples), not the rankings, essentials, commitments — in any format;
the annex lists it marked « masquée », or leaves it out when the workshop says so (`report_hidden`)."""

import csv
import html
import json
import re

import pytest

from facilitator.models import Card, Essential, Participant, ReportTheme, ReportThemeCard, Vote
from facilitator.workshops import create_workshop
from reports import build_summary, writers

HIDDEN = "Navettes gratuites entre la gare et les thermes"  # hidden: top-voted and a stored theme's title
SECRET_PROMISE = "Je promets de financer les navettes"  # a hidden commitment
SEALED = "Une idée encore scellée sur les navettes"  # posted during a silent step, never revealed
VISIBLE = "Des navettes entre la gare et les thermes"
WITHHELD = (HIDDEN, SECRET_PROMISE, SEALED)
MARKS = {
    HIDDEN: f"{HIDDEN} (masquée)",
    SECRET_PROMISE: f"{SECRET_PROMISE} (masquée)",
    SEALED: f"{SEALED} (non révélée)",
}


def seed(session, report_hidden="marked"):
    workshop, _ = create_workshop(
        session, title="Mobilité", question="Venir aux thermes ?", groups=2, report_hidden=report_hidden
    )
    g1, g2 = workshop.groups
    people = [
        Participant(workshop_id=workshop.id, group_id=g.id, token_hash=f"h{i}", name=f"P{i}")
        for i, g in enumerate([g1, g1, g2, g2])
    ]
    session.add_all(people)
    session.flush()
    seq = iter(range(1, 100))

    def card(group, person, family, text, **extra):
        c = Card(workshop_id=workshop.id, group_id=group.id, participant_id=person.id, client_id=f"c{next(seq)}",
                 family=family, text=text, seq=next(seq), **extra)  # fmt: skip
        session.add(c)
        session.flush()
        return c

    hidden = card(g1, people[0], "attentes", HIDDEN, status="hidden")
    visible = card(g2, people[2], "attentes", VISIBLE)
    card(g2, people[3], "forces", "Un parking près des thermes")
    card(g1, people[1], "forces", "La gare est à deux pas")
    card(g1, people[1], "contributions", SECRET_PROMISE, status="hidden")
    card(g2, people[3], "contributions", "Je relaie l'enquête mobilité")
    sealed = card(g2, people[2], "attentes", SEALED, sealed=True)
    for person in people:  # 4 dots on the hidden card, 1 on the sealed one, 1 on the visible one
        session.add(Vote(workshop_id=workshop.id, participant_id=person.id, card_id=hidden.id))
    session.add(Vote(workshop_id=workshop.id, participant_id=people[2].id, card_id=visible.id))
    session.add(Vote(workshop_id=workshop.id, participant_id=people[3].id, card_id=sealed.id))
    session.add(
        Essential(workshop_id=workshop.id, group_id=g1.id, family="attentes", card_id=hidden.id, position=0)
    )
    # The Synthèse proposal was made before the card was hidden: its automatic title is the card's text.
    theme = ReportTheme(workshop_id=workshop.id, title=HIDDEN, position=0, edited=False)
    session.add(theme)
    session.flush()
    for c in (hidden, visible):
        session.add(ReportThemeCard(workshop_id=workshop.id, theme_id=theme.id, card_id=c.id))
    session.commit()
    return workshop


def documents(summary, tmp_path) -> dict:
    """Every format's text, whitespace dropped (the PDF wraps lines): format → text."""
    import docx
    import openpyxl
    import pptx
    import pypdf

    out = {}
    for fmt in writers.available():
        path = tmp_path / f"r.{fmt}"
        writers.write(summary, fmt, path)
        if fmt == "docx":
            document = docx.Document(path)
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            text = " ".join([p.text for p in document.paragraphs] + cells)
        elif fmt == "pdf":
            text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        elif fmt == "pptx":
            text = " ".join(
                shape.text_frame.text
                for slide in pptx.Presentation(path).slides
                for shape in slide.shapes
                if shape.has_text_frame
            )
        elif fmt == "xlsx":
            book = openpyxl.load_workbook(path)
            out["xlsx-cards"] = book.worksheets[[s.title for s in book.worksheets].index("Cartes")]
            text = " ".join(
                str(cell)
                for sheet in book.worksheets
                if sheet.title != "Cartes" and not sheet.title.startswith("Table ")  # the cards lists
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell is not None
            )
        elif fmt == "html":
            text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        else:
            text = path.read_text(encoding="utf-8-sig")
        out[fmt] = text
    return out


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def marked(session):
    return build_summary(session, seed(session).code)


def test_hidden_and_sealed_cards_stay_out_of_the_reports_body(marked):
    report = marked.to_report()
    body = json.dumps(report, ensure_ascii=False)
    for text in WITHHELD:
        assert text not in body, text  # not in top, most_voted, themes, essentials, commitments, plenary
    assert report["totals"]["cards"] == 7 and report["totals"]["hidden"] == 2  # still counted
    assert report["top"]["attentes"][0]["text"] == VISIBLE
    assert [t["title"] for t in report["themes"]][0] == "Des navettes entre la gare et les thermes"
    assert report["themes"][0]["cards"] == [
        next(c for t in report["themes"] for c in t["cards"] if c["text"] == VISIBLE)
    ]
    assert all(not g["essentials"] for g in report["by_group"])
    assert [c["text"] for c in report["commitments"]] == ["Je relaie l'enquête mobilité"]


def test_every_format_marks_them_in_the_annex_only(marked, tmp_path):
    texts = documents(marked, tmp_path)
    assert {"docx", "pdf", "html", "pptx", "xlsx", "csv", "json"} <= set(texts)
    for fmt, text in texts.items():
        if fmt in ("xlsx-cards", "csv"):
            continue
        flat = squeezed(text)
        for card in WITHHELD:
            if fmt in ("docx", "pdf", "html") or (fmt == "xlsx" and card != SECRET_PROMISE):
                # the annex (and the dots sheet: dots on them), marked, and nowhere else
                assert squeezed(MARKS[card]) in flat, (fmt, card)
                flat = flat.replace(squeezed(MARKS[card]), "")
            assert squeezed(card) not in flat, (fmt, card)
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    status = {r["texte"]: r["statut"] for r in rows}
    assert status[HIDDEN] == "hidden" and status[SECRET_PROMISE] == "hidden" and status[VISIBLE] == "visible"
    cards = [row for row in texts["xlsx-cards"].iter_rows(values_only=True)]
    assert any(HIDDEN in row and "masquée" in row for row in cards)  # in the report's language


def test_the_workshop_or_the_report_may_leave_them_out_of_the_annex(session, tmp_path):
    workshop = seed(session, report_hidden="omitted")
    summary = build_summary(session, workshop.code)
    texts = documents(summary, tmp_path)
    for fmt, text in texts.items():
        if fmt == "xlsx-cards":
            text = " ".join(str(c) for row in text.iter_rows(values_only=True) for c in row)
        for card in WITHHELD:
            assert squeezed(card) not in squeezed(text), (fmt, card)
    assert "Annexe : les cartes, table par table (sans les cartes masquées)".replace(" ", "") in squeezed(
        texts["pdf"]
    )
    assert len(list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))) == 4  # 7 less 3
    # The report's own option wins over the workshop's.
    again = build_summary(session, workshop.code, hidden="marked", synthesis=False)
    writers.write(again, "csv", tmp_path / "again.csv")
    assert HIDDEN in (tmp_path / "again.csv").read_text(encoding="utf-8-sig")
