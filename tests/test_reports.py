"""The compte rendu: report.json numbers match the database, the top ordering with ties, merged and
deleted cards, the CSV, the offline CLI and that reports/ never imports Flask (the synthesis:
tests/test_synthesis.py)."""

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from facilitator.database import make_engine
from facilitator.models import Card, Essential, Participant, Theme, Vote
from facilitator.workshops import create_workshop
from reports import build_summary, writers

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facilitator" / "demo_data" / "thermalisme.json"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_reports_never_import_flask():
    code = (
        "import sys, reports, reports.load, reports.aggregate, reports.synthesis, reports.writers, "
        "reports.writers.json_writer, reports.writers.csv_writer, reports.__main__\n"
        "import importlib\n"
        "for fmt in reports.writers.available(): importlib.import_module(f'reports.writers.{fmt}_writer')\n"
        "bad = [m for m in ('flask', 'flask_socketio', 'socketio', 'eventlet', 'gevent') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


@pytest.fixture
def known(session):
    return seed_known(session)


@pytest.fixture(scope="module")
def known_database(tmp_path_factory, migrated_database):
    """The known workshop in a database of its own, built once for the module's read-only tests."""
    path = tmp_path_factory.mktemp("reports") / "known.db"
    shutil.copyfile(migrated_database, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine) as session:
        workshop, secrets, cards = seed_known(session)
        code = workshop.code
    yield url, code
    engine.dispose()


@pytest.fixture(scope="module")
def known_summary(known_database):
    """One summary (with the synthesis) of the known workshop, shared by every format's test."""
    url, code = known_database
    engine = make_engine(url)
    with Session(engine) as session:
        summary = build_summary(session, code)
    engine.dispose()
    return summary


def seed_known(session, language="fr", plenary=True):
    """3 tables, 5 people (one table-3 person never posts), cards in every status, dots and essentials;
    then (`plenary`) the room's 8 plenary dots on four essentials: e 3 (none at its table), a 2 and b 2
    (ex æquo, a first: posted first), the theme « L'eau » 1."""
    workshop, secrets = create_workshop(
        session, title="Assises du thermalisme", question="Quelle cure ?", groups=3, language=language
    )
    g1, g2, g3 = workshop.groups
    people = []
    for i, (group, name, org) in enumerate(
        [
            (g1, "Hélène", "OT"),
            (g1, "Loïc", "ADT"),
            (g2, "Zoé", "OT"),
            (g3, "Anaïs", None),
            (g3, "Muet", "RT"),
        ]
    ):
        p = Participant(
            workshop_id=workshop.id, group_id=group.id, token_hash=f"t{i}", name=name, organisation=org
        )
        session.add(p)
        people.append(p)
    session.flush()
    seq = iter(range(1, 1000))

    def card(group, person, family, text, status="visible", source="phone", minute=0, **extra):
        c = Card(
            workshop_id=workshop.id, group_id=group.id, participant_id=person.id if person else None,
            client_id=f"c{next(seq)}", family=family, text=text, status=status, source=source,
            seq=next(seq), created_at=START + timedelta(minutes=minute), **extra,
        )  # fmt: skip
        session.add(c)
        session.flush()
        return c

    a = card(g1, people[0], "forces", "Des eaux thermales réputées", minute=0)
    b = card(g1, people[1], "forces", "Un cadre naturel exceptionnel", minute=1)
    c = card(g2, people[2], "forces", "Les stations coopèrent déjà", minute=1)
    d = card(g2, None, "faiblesses", "=Recrutement difficile", source="paper", minute=2)
    e = card(g3, people[3], "attentes", "Une offre bien-être à l'année", minute=3)
    f = card(g3, people[3], "contributions", "Je m'engage à former les saisonniers", minute=4)
    hidden = card(g1, people[0], "attentes", "Hors sujet", status="hidden", minute=4)
    gone = card(g2, people[2], "forces", "Supprimée", status="deleted", minute=5)
    dup = card(
        g1, people[1], "forces", "Eaux thermales réputées (doublon)", status="merged", merged_into_id=a.id
    )
    theme = Theme(workshop_id=workshop.id, group_id=g1.id, title="L'eau")
    session.add(theme)
    session.flush()
    a.theme_id = theme.id

    def dots(card_or_theme, n, person=people[0], stage="table"):
        for _ in range(n):
            if isinstance(card_or_theme, Theme):
                session.add(
                    Vote(workshop_id=workshop.id, participant_id=person.id, theme_id=card_or_theme.id)
                )
            else:
                session.add(Vote(workshop_id=workshop.id, participant_id=person.id, card_id=card_or_theme.id,
                                 stage=stage))  # fmt: skip

    dots(a, 2)
    dots(dup, 1)  # folded into a: a has 3
    dots(b, 3)  # tie with a at 3: same rank, a first (posted first)
    dots(c, 1)
    dots(d, 2)
    dots(hidden, 4)  # hidden: counted in totals, never on the podium
    dots(theme, 2)
    session.add_all(
        [
            Essential(workshop_id=workshop.id, group_id=g1.id, family="forces", card_id=b.id, position=1),
            Essential(workshop_id=workshop.id, group_id=g1.id, family="forces", card_id=a.id, position=0),
            Essential(workshop_id=workshop.id, group_id=g3.id, family="attentes", card_id=e.id, position=0),
            Essential(
                workshop_id=workshop.id, group_id=g1.id, family="forces", theme_id=theme.id, position=2
            ),
        ]
    )
    if plenary:  # the whole room votes on every table's essentials
        dots(e, 2, people[1], "plenary")
        dots(e, 1, people[2], "plenary")
        dots(a, 2, people[3], "plenary")
        dots(b, 1, people[4], "plenary")
        dots(b, 1, people[2], "plenary")
        session.add(
            Vote(workshop_id=workshop.id, participant_id=people[4].id, theme_id=theme.id, stage="plenary")
        )
    session.commit()
    return workshop, secrets, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "gone": gone}


def test_report_json_matches_the_database(known_database, known_summary):
    _, code = known_database
    report = known_summary.to_report()
    assert report["workshop"] == report["workshop"] | {
        "code": code,
        "title": "Assises du thermalisme",
    }
    # 7 cards count: 6 visible + 1 hidden; the merged one is folded, the deleted one is gone.
    assert report["totals"] == report["totals"] | {"participants": 5, "cards": 7, "votes": 23}
    assert (report["totals"]["votes_table"], report["totals"]["votes_plenary"]) == (15, 8)
    assert report["by_family"] == {"forces": 3, "faiblesses": 1, "attentes": 2, "contributions": 1}
    groups = {g["number"]: g for g in report["by_group"]}
    assert [g["number"] for g in report["by_group"]] == [1, 2, 3]
    assert (
        groups[1]["cards"] == 3 and groups[1]["by_family"]["forces"] == 2 and groups[1]["participants"] == 2
    )
    assert groups[2]["cards"] == 2 and groups[3]["cards"] == 2 and groups[3]["participants"] == 2
    assert [e["text"] for e in groups[1]["essentials"]] == [
        "Des eaux thermales réputées",
        "Un cadre naturel exceptionnel",
        "L'eau",
    ]
    assert [(e["votes"], e["votes_table"], e["votes_plenary"]) for e in groups[1]["essentials"]] == [
        (5, 3, 2),
        (5, 3, 2),
        (3, 2, 1),
    ]
    assert groups[3]["essentials"][0]["text"] == "Une offre bien-être à l'année"
    assert groups[2]["essentials"] == []
    top = report["top"]["forces"]
    assert [
        (t["text"], t["votes"], t["group"], t["rank"], t["votes_table"], t["votes_plenary"]) for t in top
    ] == [
        ("Des eaux thermales réputées", 5, 1, 1, 3, 2),
        ("Un cadre naturel exceptionnel", 5, 1, 1, 3, 2),
        ("Les stations coopèrent déjà", 1, 2, 3, 1, 0),
    ]
    # The hidden card's 4 dots keep it off; the essential of table 3 is there with its plenary dots.
    assert [(t["text"], t["votes"], t["votes_plenary"]) for t in report["top"]["attentes"]] == [
        ("Une offre bien-être à l'année", 3, 3)
    ]
    assert report["top"]["faiblesses"][0]["votes"] == 2
    assert report["top_themes"] == [
        {"title": "L'eau", "votes": 3, "group": 1, "rank": 1, "votes_table": 2, "votes_plenary": 1}
    ]
    part = report["participation"]
    assert (part["participants"], part["posted"], part["paper"], part["phone"]) == (5, 4, 1, 6)
    assert part["share_posted"] == 0.8
    assert report["commitments"][0]["text"] == "Je m'engage à former les saisonniers"
    assert report["commitments"][0]["author"] == "Anaïs"
    assert sum(sum(m[f] for f in report["by_family"]) for m in report["timeline"]) == 7
    assert len(report["timeline"]) == 5  # 09:00 → 09:04, one row a minute
    themed = sorted(i["id"] for t in report["themes"] for i in t["cards"])
    # each counted card in one cross-table theme, but the hidden one (issue 16: never in the body)
    assert len(themed) == 6 and len(set(themed)) == 6


def test_people_who_posted_include_the_authors_of_merged_duplicates():
    """Found by tests/e2e/test_report_replay.py: a phone whose only card was merged into a neighbour's
    identical card had not « posté au moins une carte » (81 people posted, the report said 79)."""
    import pandas as pd

    from reports.aggregate import participation

    cards = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "participant_id": [10, 11, 12, 10, None],
            "source": ["phone", "phone", "phone", "phone", "paper"],
            "status": ["visible", "merged", "deleted", "hidden", "visible"],
            "merged_into_id": [None, 1, None, None, None],
        }
    )
    people = pd.DataFrame({"id": [10, 11, 12, 13]})
    part = participation(cards, people)
    # 10 posted two cards, 11 a duplicate merged into 10's, 12 took theirs back, 13 never posted.
    assert (part["posted"], part["share_posted"]) == (2, 0.5)
    assert (part["cards_per_poster_max"], part["cards_per_poster_median"]) == (2, 1.5)
    # The cards themselves are counted once: the merged one is folded into the card it joined.
    assert (part["phone"], part["paper"], part["cards_per_person"]) == (2, 1, 0.5)


def test_unknown_workshop(session):
    from reports import UnknownWorkshop

    with pytest.raises(UnknownWorkshop):
        build_summary(session, "NOPE99")


def test_csv_has_every_counted_card_and_no_formula(session, known, tmp_path):
    workshop, _, _ = known
    summary = build_summary(session, workshop.code, synthesis=False)
    path = tmp_path / writers.filename(summary, "csv")
    writers.write(summary, "csv", path)
    assert path.name.startswith("compte-rendu-assises-du-thermalisme-") and path.name.endswith(".csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert len(rows) == 7
    texts = {r["texte"] for r in rows}
    assert "'=Recrutement difficile" in texts and "Une offre bien-être à l'année" in texts
    assert {r["auteur"] for r in rows if r["table"] == "1"} == {"Hélène", "Loïc"}


def test_offline_cli_writes_report_json(known_database, tmp_path, capsys):
    """`python -m reports`, called in-process (the route's test runs it as the subprocess it is)."""
    from reports.__main__ import main

    url, code = known_database
    out = tmp_path / "r.json"
    assert main([code, "--format", "json", "-o", str(out), "--database", url]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["totals"]["cards"] == 7
    assert main([code, "-f", "csv", "--output-dir", str(tmp_path), "--database", url]) == 0
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert written.parent == tmp_path and written.name.startswith("compte-rendu-assises-du-thermalisme-")
    assert main(["ZZZZZZ", "-f", "json", "-o", str(out), "--database", url]) == 3


def test_xlsx_and_docx_carry_the_numbers_accents_and_charts(known_summary, tmp_path):
    import docx
    import openpyxl

    summary = known_summary
    xlsx = tmp_path / "r.xlsx"
    writers.write(summary, "xlsx", xlsx)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[:2] == ["Synthèse", "Cartes"] and {"Table 1", "Table 3", "Votes"} <= set(
        book.sheetnames
    )
    assert (
        book["Cartes"].max_row == 1 + 7
        and book["Votes"].max_row == 1 + 23
        and book["Table 1"].max_row == 1 + 3
    )
    cells = [c.value for row in book["Synthèse"].iter_rows() for c in row]
    assert "'=Recrutement difficile" in [c.value for row in book["Cartes"].iter_rows() for c in row]
    assert "Des eaux thermales réputées" in cells
    assert [row[6] for row in book["Essentiels"].iter_rows(min_row=1, values_only=True)] == [
        "Sur", "carte", "carte", "thème", "carte"
    ]  # fmt: skip
    # Readable headers and values in the report's language, as the spreadsheet CSV (issue 16, point 15).
    assert next(book["Cartes"].iter_rows(values_only=True))[:4] == (
        "Table",
        "Nom de la table",
        "Famille",
        "Texte",
    )
    first = next(book["Cartes"].iter_rows(min_row=2, values_only=True))
    assert first[2] in ("Forces", "Faiblesses", "Attentes", "Contributions") and first[10] in (
        "visible",
        "masquée",
    )
    assert first[9] in ("téléphone", "papier") and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", first[12])
    votes_header = next(book["Votes"].iter_rows(values_only=True))
    assert votes_header == ("Gommette", "Sur", "Texte", "Étape", "Saisie", "Posée le (Europe/Paris)")
    stages = {row[3] for row in book["Votes"].iter_rows(min_row=2, values_only=True)}
    assert stages <= {"à la table", "en plénière"} and stages
    path = tmp_path / "r.docx"
    writers.write(summary, "docx", path)
    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Compte rendu — Assises du thermalisme" in text
    assert "Des eaux thermales réputées — table 1, 5 gommettes (3 à la table, 2 en plénière)" in text
    assert text.index("Des eaux thermales réputées — table 1") < text.index(
        "Un cadre naturel exceptionnel — table 1"
    )
    assert "Je m’engage" in text or "Je m'engage à former les saisonniers" in text
    assert "Participants\u202f: 5" in text
    assert len(document.inline_shapes) == 5  # the five charts (the plenary's priorities too)
    annex = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Une offre bien-être à l'année" in annex and "Hors sujet (masquée)" in annex
    assert "Supprimée" not in annex and "Hors sujet" not in annex  # the hidden card marked


def test_report_route_needs_the_facilitator_token(client, known):
    workshop, secrets, _ = known
    url = f"/api/workshops/{workshop.code}/report.json"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer nope"}).status_code == 401
    referent = client.get(url, headers={"Authorization": f"Bearer {secrets.referent_tokens[1]}"})
    assert referent.status_code == 403 and referent.get_json()["error"]["code"] == "forbidden"
    auth = {"Authorization": f"Bearer {secrets.facilitator_token}"}
    assert client.get("/api/workshops/ZZZZZZ/report.json", headers=auth).status_code == 404
    assert client.get(f"/api/workshops/{workshop.code}/report.exe", headers=auth).status_code == 404
    # One real build through the subprocess (CSV: no synthesis to load); report.json's numbers are
    # checked in-process above.
    answer = client.get(f"/api/workshops/{workshop.code}/report.csv", headers=auth)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "compte-rendu-assises-du-thermalisme-" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(answer.get_data().decode("utf-8-sig").splitlines()))
    assert len(rows) == 7 and "Une offre bien-être à l'année" in {r["texte"] for r in rows}


def test_pdf_pptx_html_carry_the_numbers_accents_and_charts(known_summary, tmp_path):
    import pptx
    import pypdf

    summary = known_summary
    pdf = tmp_path / "r.pdf"
    writers.write(summary, "pdf", pdf)
    reader = pypdf.PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Assises du thermalisme" in text and "Une offre bien-être à l'année" in text
    assert "Des eaux thermales réputées — table 1, 5 gommettes (3 à la table, 2 en plénière)" in text
    assert sum(len(page.images) for page in reader.pages) == 5
    deck_path = tmp_path / "r.pptx"
    writers.write(summary, "pptx", deck_path)
    deck = pptx.Presentation(deck_path)
    slides = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    forces = next(s for s in slides if s.startswith("Forces — les plus votées"))
    assert (  # a card each: its rank and dots, its text, its table
        forces.index("1. 5 gommettes, dont 2 en plénière\nDes eaux thermales réputées\nTable 1")
        < forces.index("1. 5 gommettes, dont 2 en plénière\nUn cadre naturel exceptionnel\nTable 1")
        < forces.index("3. 1 gommette\nLes stations coopèrent déjà\nTable 2")
    )
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 5
    html = tmp_path / "r.html"
    writers.write(summary, "html", html)
    page = html.read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "bien-être à l&#x27;année" in page and page.count("<img") == 5
    assert 'alt="Graphique\u202f: cartes postées minute par minute"' in page  # each chart named
    assert "=Recrutement difficile" in page  # HTML keeps the text as typed (escaped, not spreadsheet-quoted)


# --- The plenary vote: the room's priorities, and each card's dots split by stage ----------------------

NNBSP = "\u202f"
PLENARY_INTRO = f"Le vote de toute la salle sur les essentiels des tables{NNBSP}: 8 gommettes, 4 personnes."
PLENARY_LINES = [
    "1. Une offre bien-être à l'année — table 3 (Attentes), 3 gommettes",
    "2. Des eaux thermales réputées — table 1 (Forces), 2 gommettes, ex\u00a0æquo",
    "2. Un cadre naturel exceptionnel — table 1 (Forces), 2 gommettes, ex\u00a0æquo",
    f"4. thème «{NNBSP}L'eau{NNBSP}» — table 1 (Forces), 1 gommette",
]


def test_report_json_ranks_the_essentials_by_the_plenarys_dots(known_summary):
    report = known_summary.to_report()
    ranking = [
        (p["rank"], p["tie"], p["kind"], p["text"], p["group"], p["family"], p["votes_plenary"],
         p["votes_table"], p["votes"])
        for p in report["plenary"]
    ]  # fmt: skip
    assert ranking == [
        (1, False, "card", "Une offre bien-être à l'année", 3, "attentes", 3, 0, 3),
        (2, True, "card", "Des eaux thermales réputées", 1, "forces", 2, 3, 5),  # posted first
        (2, True, "card", "Un cadre naturel exceptionnel", 1, "forces", 2, 3, 5),
        (4, False, "theme", "L'eau", 1, "forces", 1, 2, 3),
    ]
    ids = {t["text"]: t["id"] for family in report["top"].values() for t in family}
    assert [p["id"] for p in report["plenary"][:3]] == [
        ids["Une offre bien-être à l'année"],
        ids["Des eaux thermales réputées"],
        ids["Un cadre naturel exceptionnel"],
    ]
    # Every dot is in one stage: `votes` stays the sum everywhere it was.
    for family in report["top"].values():
        assert all(t["votes"] == t["votes_table"] + t["votes_plenary"] for t in family)
    essentials = [e for g in report["by_group"] for e in g["essentials"]]
    assert sum(e["votes_plenary"] for e in essentials) == report["totals"]["votes_plenary"] == 8


def test_every_format_shows_the_plenarys_priorities_and_the_split(known_summary, tmp_path):
    import docx
    import openpyxl
    import pptx
    import pypdf

    from reports import charts
    from reports.writers.docx_writer import outline

    summary = known_summary
    blocks = outline(summary)
    start = blocks.index(("h1", "Priorités de la plénière"))
    assert (
        blocks.index(("h1", "Les essentiels de chaque table")) < start < blocks.index(("h1", "Engagements"))
    )
    assert blocks[start + 1 : start + 7] == [
        ("p", PLENARY_INTRO),
        *[("bullet", line) for line in PLENARY_LINES],
        ("chart", summary.chart_png()["priorites-pleniere"]),  # its chart right after the ranking
    ]

    writers.write(summary, "docx", tmp_path / "r.docx")
    document = docx.Document(tmp_path / "r.docx")
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    at = lines.index("Priorités de la plénière")
    assert lines[at + 1 : at + 6] == [PLENARY_INTRO, *PLENARY_LINES]
    assert f"Gommettes posées{NNBSP}: 23 (15 à la table, 8 en plénière)" in lines
    essentials = lines[lines.index("Les essentiels de chaque table") : at]
    assert f"Forces{NNBSP}: Des eaux thermales réputées (5 gommettes, dont 2 en plénière)" in essentials
    assert f"Forces{NNBSP}: thème «{NNBSP}L'eau{NNBSP}» (3 gommettes, dont 1 en plénière)" in essentials
    assert f"Attentes{NNBSP}: Une offre bien-être à l'année (3 gommettes, en plénière)" in essentials
    annex = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert annex[0] == ["Famille", "Carte", "Gommettes", "Dont en plénière"]
    assert ["Forces", "Des eaux thermales réputées", "5", "2"] in annex and [
        "Attentes",
        "Hors sujet (masquée)",
        "4",
        "–",
    ] in annex

    writers.write(summary, "pdf", tmp_path / "r.pdf")
    pdf = re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r.pdf").pages))
    at = pdf.index("Prioritésdelaplénière")
    assert pdf.index("Lesessentielsdechaquetable") < at < pdf.index("Engagements")
    for line in [PLENARY_INTRO, *PLENARY_LINES]:
        found = pdf.find(re.sub(r"\s+", "", line), at)
        assert found > at, line
        at = found
    assert "Dontenplénière" in pdf

    writers.write(summary, "html", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = page[page.index("<h2>Priorités de la plénière</h2>") : page.index("<h2>Engagements</h2>")]
    items = re.findall(r"<li>(.*?)</li>", section)
    assert [html.unescape(item) for item in items] == PLENARY_LINES
    assert f"<p>{PLENARY_INTRO.replace(chr(39), '&#x27;')}</p>" in section
    assert 'alt="Graphique\u202f: les essentiels classés par les gommettes de la plénière' in section
    assert "<th>Dont en plénière</th>" in page and '<td class="n">–</td>' in page

    writers.write(summary, "pptx", tmp_path / "r.pptx")
    deck = pptx.Presentation(tmp_path / "r.pptx")
    slides = [[p.text for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs]
              for slide in deck.slides]  # fmt: skip
    ranked = next(s for s in slides if s[0] == "Priorités de la plénière" and len(s) > 1)
    assert ranked[1:] == [  # a row each: rank, essential, its plenary dots and its table
        *("1", "Une offre bien-être à l'année", "3 gommettes", "Table 3"),
        *("2", "Des eaux thermales réputées", "2 gommettes, ex\u00a0æquo", "Table 1"),
        *("2", "Un cadre naturel exceptionnel", "2 gommettes, ex\u00a0æquo", "Table 1"),
        *("4", f"thème «{NNBSP}L'eau{NNBSP}»", "1 gommette", "Table 1"),
    ]
    forces = [text for text in next(s for s in slides if s[0] == "Forces — les plus votées") if text]
    assert forces[1:4] == ["1. 5 gommettes, dont 2 en plénière", "Des eaux thermales réputées", "Table 1"]
    chart_slide = next(
        slide
        for slide, texts in zip(deck.slides, slides, strict=True)
        if texts == ["Priorités de la plénière"]
    )
    assert [s.shape_type for s in chart_slide.shapes].count(13) == 1  # the chart, a picture

    writers.write(summary, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames[-2:] == ["Plénière", "Votes"]
    assert [row for row in book["Plénière"].iter_rows(values_only=True)] == [
        (
            "Rang",
            "Ex æquo",
            "Texte",
            "Table",
            "Famille",
            "Gommettes en plénière",
            "Gommettes à la table",
            "Gommettes",
            "Sur",
        ),
        (1, None, "Une offre bien-être à l'année", 3, "Attentes", 3, 0, 3, "carte"),
        (2, "ex æquo", "Des eaux thermales réputées", 1, "Forces", 2, 3, 5, "carte"),
        (2, "ex æquo", "Un cadre naturel exceptionnel", 1, "Forces", 2, 3, 5, "carte"),
        (4, None, "L'eau", 1, "Forces", 1, 2, 3, "thème"),
    ]
    synthese = [row for row in book["Synthèse"].iter_rows(values_only=True)]
    cells = {row[0]: row[1] for row in synthese if row and row[0]}
    assert (cells["Gommettes"], cells["Gommettes à la table"], cells["Gommettes en plénière"]) == (23, 15, 8)
    top = synthese.index(next(r for r in synthese if r[0] == "Les plus votées"))
    assert synthese[top][:6] == (
        "Les plus votées",
        "Famille",
        "Gommettes",
        "Table",
        "À la table",
        "En plénière",
    )
    assert synthese[top + 1][:6] == ("Des eaux thermales réputées", "Forces", 5, 1, 3, 2)
    essentials = [row for row in book["Essentiels"].iter_rows(values_only=True)]
    assert essentials[0][-2:] == ("Dont à la table", "Dont en plénière")
    assert [row[4:5] + row[-2:] for row in essentials[1:]] == [(5, 3, 2), (5, 3, 2), (3, 2, 1), (3, 0, 3)]
    cards = [row for row in book["Cartes"].iter_rows(values_only=True)]
    assert cards[0][4:7] == ("Gommettes", "Dont à la table", "Dont en plénière")
    assert sum(row[6] for row in cards[1:]) == 7  # on cards (the theme's plenary dot is on the theme)

    writers.write(summary, "csv", tmp_path / "r.csv")
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    assert list(rows[0])[:11] == list(writers.csv_writer.HEADER)[:11]  # the original columns first
    split = {r["texte"]: (int(r["votes"]), int(r["votes_table"]), int(r["votes_pleniere"])) for r in rows}
    assert split["Des eaux thermales réputées"] == (5, 3, 2)
    assert split["Une offre bien-être à l'année"] == (3, 0, 3) and split["Hors sujet"] == (4, 4, 0)
    assert all(total == table + plenary for total, table, plenary in split.values())

    figure = charts.figures(summary)["priorites-pleniere"]
    axes = figure.axes[0]
    assert axes.get_title() == "Priorités de la plénière"
    assert [t.get_text() for t in axes.get_yticklabels()] == [
        "4. Table 1 · L'eau",
        "2. Table 1 · Un cadre naturel exceptionnel",
        "2. Table 1 · Des eaux thermales réputées",
        "1. Table 3 · Une offre bien-être à l'année",
    ]  # the first at the top
    plenary, table = axes.containers[:2]
    assert [bar.get_width() for bar in plenary] == [1, 2, 2, 3]
    assert [(bar.get_x(), bar.get_width()) for bar in table] == [(1, 2), (2, 3), (2, 3), (3, 0)]
    assert {bar.get_hatch() for bar in table} == {"//"} and not plenary[0].get_hatch()
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["En plénière", "À la table"]


def test_without_a_plenary_dot_no_plenary_section_chart_or_split(session, tmp_path):
    import openpyxl
    import pptx
    from docx import Document

    from reports.writers.docx_writer import outline

    workshop, _, _ = seed_known(session, plenary=False)
    summary = build_summary(session, workshop.code, synthesis=False)
    report = summary.to_report()
    assert report["plenary"] == []
    assert (report["totals"]["votes"], report["totals"]["votes_table"], report["totals"]["votes_plenary"]) == (
        15, 15, 0
    )  # fmt: skip
    assert (
        report["top"]["forces"][0] | {"votes": 3, "votes_table": 3, "votes_plenary": 0}
        == report["top"]["forces"][0]
    )
    assert set(summary.chart_png()) == {"cartes-par-table", "tables-familles", "plus-votees", "deroule"}
    blocks = outline(summary)
    texts = [text for kind, text in blocks if kind not in ("chart", "table")]
    assert not [text for text in texts if "plénière" in text], "no plenary section, no split"
    assert "Des eaux thermales réputées — table 1, 3 gommettes" in texts
    assert f"Forces{NNBSP}: Des eaux thermales réputées (3 gommettes)" in texts
    assert f"Gommettes posées{NNBSP}: 15" in texts
    annex = next(payload for kind, payload in blocks if kind == "table")
    assert annex[0] == ["Famille", "Carte", "Gommettes"] and len(annex[1][0]) == 3
    writers.write(summary, "docx", tmp_path / "r.docx")
    assert len(Document(tmp_path / "r.docx").inline_shapes) == 4
    writers.write(summary, "pptx", tmp_path / "r.pptx")
    titles = [
        next(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in pptx.Presentation(tmp_path / "r.pptx").slides
    ]
    assert "Priorités de la plénière" not in titles and "Les plus votées" in titles
    writers.write(summary, "html", tmp_path / "r.html")
    assert "plénière" not in (tmp_path / "r.html").read_text(encoding="utf-8")
    writers.write(summary, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book["Plénière"].max_row == 1  # the sheet is always there: its header, no row
    writers.write(summary, "csv", tmp_path / "r.csv")
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    assert {r["votes_pleniere"] for r in rows} == {"0"} and all(r["votes"] == r["votes_table"] for r in rows)


def test_hostile_card_text_stays_text_in_every_document(session, tmp_path):
    """A card typed as HTML or as a formula is data everywhere: escaped in HTML, quoted in spreadsheets."""
    import openpyxl
    from docx import Document

    from facilitator.access import admit
    from facilitator.cards import post_card

    workshop, _ = create_workshop(session, title="Atelier", question="Q ?", groups=1)
    viewer = admit(session, workshop, "participant", group_number=1).viewer
    for number, text in enumerate(
        ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://x")', "+33 6 12", "@SUM(A1)"]
    ):
        post_card(session, workshop, viewer, client_id=f"hostile-{number}", family="forces", text=text)
    summary = build_summary(session, workshop.code, synthesis=False)

    html = tmp_path / "r.html"
    writers.write(summary, "html", html)
    page = html.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page

    xlsx = tmp_path / "r.xlsx"
    writers.write(summary, "xlsx", xlsx)
    cells = [c.value for sheet in openpyxl.load_workbook(xlsx) for row in sheet.iter_rows() for c in row]
    assert not [v for v in cells if isinstance(v, str) and v[:1] in "=+-@"], "a cell would run as a formula"
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(A1)" in cells

    csv_path = tmp_path / "r.csv"
    writers.write(summary, "csv", csv_path)
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    texts = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in texts and "<img src=x onerror=alert(1)>" in texts

    docx = tmp_path / "r.docx"
    writers.write(summary, "docx", docx)
    document = Document(docx)
    body = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "<img src=x onerror=alert(1)>" in body


def test_large_workshop_documents_stay_readable(session, tmp_path):
    """40 tables and 15 cards tied at one dot: the PDF lays the tall heatmap out on a page, the synthesis
    lists 10 cards then says how many more are tied, and the annex still has every card."""
    import pypdf
    from docx import Document

    workshop, _ = create_workshop(session, title="Grand atelier", question="Q ?", groups=40)
    person = Participant(workshop_id=workshop.id, group_id=workshop.groups[0].id, token_hash="p", name="Zoé")
    session.add(person)
    session.flush()
    for i in range(15):
        card = Card(workshop_id=workshop.id, group_id=workshop.groups[i].id, participant_id=person.id,
                    client_id=f"c{i}", family="forces", text=f"Idée numéro {i} à l'étude", seq=i + 1,
                    created_at=START + timedelta(minutes=i))  # fmt: skip
        session.add(card)
        session.flush()
        session.add(Vote(workshop_id=workshop.id, participant_id=person.id, card_id=card.id))
    session.commit()
    summary = build_summary(session, workshop.code, synthesis=False)
    assert len(summary.to_report()["top"]["forces"]) == 15  # report.json keeps every tie
    path = tmp_path / "r.docx"
    writers.write(summary, "docx", path)
    document = Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("— table") == 10 and "… et 5 autres cartes à égalité (1 gommette)" in text
    annex = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {f"Idée numéro {i} à l'étude" for i in range(15)} <= annex
    assert [row.cells[0].text for row in document.tables[0].rows][:1] == ["Famille"]
    pdf = tmp_path / "r.pdf"
    writers.write(summary, "pdf", pdf)
    pages = pypdf.PdfReader(pdf).pages
    assert sum(len(page.images) for page in pages) == 4  # cards per table, heatmap, most voted, timeline
    assert "Idée numéro 14 à l'étude" in "\n".join(page.extract_text() for page in pages)


# --- What a reader notices: charts, a workshop without dots, capped themes, typography --------------


def timeline_labels(minutes: list[int]) -> tuple[list[str], tuple]:
    """The drawn x tick labels of the timeline of cards posted at these minutes after START."""
    from types import SimpleNamespace

    import pandas as pd

    from reports import aggregate, charts

    counted = pd.DataFrame(
        {"family": ["forces"] * len(minutes), "created_at": [START + timedelta(minutes=m) for m in minutes]}
    )
    counted["created_at"] = pd.to_datetime(counted["created_at"], utc=True)
    summary = SimpleNamespace(families=["forces", "attentes"])
    summary.timeline = aggregate.timeline(counted, summary.families)
    figure = charts.timeline(summary)
    figure.canvas.draw()
    axes = figure.axes[0]
    labels = [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
    return labels, axes.get_xlim()


@pytest.mark.parametrize("minutes", [[0], [0, 0, 1], [0, 3, 5], [0, 20, 44], [0, 95, 179], [0, 600]])
def test_timeline_ticks_are_distinct_times(minutes):
    """1 minute to 10 hours: each label a different time (never "10:00 10:00 10:00 10:01"), a handful."""
    labels, (left, right) = timeline_labels(minutes)
    assert 2 <= len(labels) <= 9, labels
    assert len(set(labels)) == len(labels), labels
    assert all(len(label) == 5 and label[2] == ":" for label in labels), labels
    if minutes == [0]:  # one minute: a bar with room either side (Paris time: 09:00 UTC is 10:00)
        assert "10:00" in labels and "10:01" in labels
        assert 2 / 1440 < right - left < 10 / 1440


@pytest.fixture(scope="module")
def quiet_summary(tmp_path_factory, migrated_database):
    """The demo's 63 cards at 6 tables, over 20 minutes, with no dot and no essential (synthesis on)."""
    path = tmp_path_factory.mktemp("quiet") / "quiet.db"
    shutil.copyfile(migrated_database, path)
    engine = make_engine(f"sqlite:///{path}")
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    with Session(engine) as session:
        workshop, _ = create_workshop(session, title="Atelier sans vote", question="Q ?", groups=6)
        for i, c in enumerate(sample["cards"]):
            session.add(
                Card(
                    workshop_id=workshop.id,
                    group_id=workshop.groups[c["table"] - 1].id,
                    client_id=f"q{i}",
                    family=c["family"],
                    text=c["text"],
                    source="paper",
                    seq=i + 1,
                    created_at=START + timedelta(seconds=20 * i),
                )  # fmt: skip
            )
        session.commit()
        summary = build_summary(session, workshop.code)
    engine.dispose()
    return summary


def test_no_vote_report_has_no_empty_chart_and_still_synthesises_each_family(quiet_summary, tmp_path):
    import pptx
    from docx import Document

    from reports.writers.docx_writer import outline

    summary = quiet_summary
    assert set(summary.chart_png()) == {
        "cartes-par-table",
        "tables-familles",
        "deroule",
    }  # no essentials' dots
    blocks = outline(summary)
    assert sum(kind == "chart" for kind, _ in blocks) == 3
    heads = [i for i, (kind, _) in enumerate(blocks) if kind in ("h1", "h2")]
    for family in summary.families:  # each family: its themes with provenance, cards, then "no dots"
        start = next(i for i in heads if blocks[i][1].startswith(f"{charts_label(family)} ("))
        end = next(i for i in heads if i > start)
        section = [text for _, text in blocks[start:end]]
        assert any("soulevé par" in t and "tables sur 6" in t or "1 table sur 6" in t for t in section), (
            section
        )
        assert any(t.startswith("Table ") for t in section), section
        assert section[-1] == "Aucune gommette n’a été posée pendant l’atelier."
    path = tmp_path / "quiet.docx"
    writers.write(summary, "docx", path)
    assert len(Document(path).inline_shapes) == 3
    deck_path = tmp_path / "quiet.pptx"
    writers.write(summary, "pptx", deck_path)
    deck = pptx.Presentation(deck_path)
    slides = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert not any(s.startswith("Les plus votées") for s in slides)
    forces = next(s for s in slides if s.startswith("Forces — "))
    assert "soulevé par" in forces and "«\u202f" in forces and forces.endswith("11 cartes, aucune gommette.")


def charts_label(family):
    from reports.charts import label

    return label(family)


def test_theme_sections_show_a_few_cards_and_say_how_many_more(quiet_summary, tmp_path):
    import pptx
    import pypdf

    from reports import Summary
    from reports.writers.docx_writer import outline

    cards = [
        {"id": 100 + i, "group": 1 + i % 6, "family": "forces", "text": f"Carte du thème {i}", "votes": 0}
        for i in range(12)
    ]
    theme = {"title": "Un grand thème", "tables": [1, 2, 3, 4, 5, 6], "provenance": "soulevé par 6 tables sur 6",
             "cards": cards}  # fmt: skip
    fields = {
        name: getattr(quiet_summary, name) for name in Summary.__dataclass_fields__ if name != "_charts"
    }
    summary = Summary(**{**fields, "synthesis": [theme]})
    blocks = outline(summary)
    start = blocks.index(("h2", "Un grand thème — soulevé par 6 tables sur 6"))
    shown = [text for kind, text in blocks[start + 1 : start + 8] if kind == "bullet"]
    assert len(shown) == 5 and {s.split("\u202f:")[0] for s in shown} == {
        f"Table {n} (Forces)" for n in range(1, 6)
    }  # one card per table first
    assert blocks[start + 6] == ("after", "… et 7 autres cartes (annexe).")  # kept on the list's page
    assert len(summary.to_report()["themes"][0]["cards"]) == 12  # report.json keeps them all
    pdf = tmp_path / "t.pdf"
    writers.write(summary, "pdf", pdf)
    assert "… et 7 autres cartes (annexe)." in "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    html = tmp_path / "t.html"
    writers.write(summary, "html", html)
    assert "<p>… et 7 autres cartes (annexe).</p>" in html.read_text(encoding="utf-8")
    deck_path = tmp_path / "t.pptx"
    writers.write(summary, "pptx", deck_path)
    slides = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in pptx.Presentation(deck_path).slides
    ]
    slide = next(s for s in slides if s.startswith("Un grand thème"))
    assert slide.count("Carte du thème") == 3 and "… et 9 autres cartes (annexe du compte rendu)" in slide


def test_our_headings_and_chart_titles_use_french_typography(known_summary):
    from reports import charts
    from reports.writers.docx_writer import outline

    headings = [text for kind, text in outline(known_summary) if kind == "h1"]
    assert "Annexe\u202f: toutes les cartes, table par table" in headings
    assert all("'" not in h and " :" not in h for h in headings), headings
    titles = [figure.axes[0].get_title() for figure in charts.figures(known_summary).values()]
    assert "Déroulé\u202f: cartes postées au fil de l’atelier" in titles
    assert all("'" not in t and " :" not in t for t in titles), titles


def test_a_workshop_without_cards_builds_every_format_without_a_chart(session, tmp_path):
    import pptx
    from docx import Document

    workshop, _ = create_workshop(session, title="Atelier vide", question="", groups=2)
    summary = build_summary(session, workshop.code)
    assert summary.chart_png() == {}
    for fmt in writers.available():
        writers.write(summary, fmt, tmp_path / f"r.{fmt}")
    document = Document(tmp_path / "r.docx")
    text = [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == 0 and not document.tables
    assert text.count("Aucune carte n’a été postée.") == 2  # under « Déroulé » and in the annex
    assert "Aucune carte n’a été postée dans cette famille." in text
    deck = pptx.Presentation(tmp_path / "r.pptx")
    assert not [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]  # no empty chart


# --- The compte rendu in the workshop's language ---------------------------------------------------------

FRENCH_WORDS = ["Compte rendu", "Atelier du", "Contexte et question", "Synthèse par famille",
                "Thèmes communs", "Les essentiels de chaque table", "Engagements", "Déroulé", "Annexe",
                "gommette", "soulevé par", "Graphique", "Cartes par table", "Forces", "Attentes"]  # fmt: skip
ENGLISH_HEADINGS = ["Report — Assises du thermalisme", "Context and question",
                    "Participation", "Summary by family", "Cross-table themes", "Each table's essentials",
                    "Commitments", "Timeline", "Appendix: every card, table by table"]  # fmt: skip


@pytest.fixture(scope="module")
def english_database(tmp_path_factory, migrated_database):
    """The known workshop run in English (its `language` is "en"), in a database of its own."""
    path = tmp_path_factory.mktemp("reports-en") / "known-en.db"
    shutil.copyfile(migrated_database, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with Session(engine) as session:
        workshop, _, _ = seed_known(session, language="en")
        code = workshop.code
    engine.dispose()
    return url, code


@pytest.fixture(scope="module")
def english_summary(english_database):
    url, code = english_database
    engine = make_engine(url)
    with Session(engine) as session:
        summary = build_summary(session, code)
    engine.dispose()
    return summary


def french_left(text: str) -> list[str]:
    return [word for word in FRENCH_WORDS if word in text]


def test_an_english_workshop_gets_its_compte_rendu_in_english(english_summary, known_summary, tmp_path):
    import docx
    import openpyxl
    import pptx
    import pypdf
    from docx.oxml.ns import qn

    from reports import charts

    summary = english_summary
    assert summary.workshop["language"] == "en"
    writers.write(summary, "docx", tmp_path / "r.docx")
    document = docx.Document(tmp_path / "r.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ENGLISH_HEADINGS:
        assert heading in text, heading
    assert re.search(r"^Workshop of [1-9][0-9]? [A-Z][a-z]+ 20[0-9]{2}$", text, re.M)  # no « 1er »
    assert "Strengths (3 cards)" in text
    assert "Des eaux thermales réputées — table 1, 5 dots (3 at the table, 2 in plenary)" in text
    assert "Participants: 5, in 3 tables" in text and "Posted at least one card: 4 people (80%)" in text
    assert "Expectations: Une offre bien-être à l'année (3 dots, all in plenary)" in text  # no space before :
    assert "Strengths: Un cadre naturel exceptionnel (5 dots, 2 of them in plenary)" in text
    plenary = text[text.index("\nPlenary priorities\n") :]
    assert plenary.index(
        "The whole room's vote on the tables' essentials: 8 dots, 4 people."
    ) < plenary.index("2. Des eaux thermales réputées — table 1 (Strengths), 2 dots, tied")
    assert "Dots placed: 23 (15 at the table, 8 in plenary)" in text
    assert (
        "\u201cQuelle cure ?\u201d" in text and "Cards per person: 1.2 on average" in text
    )  # English quotes
    assert "\u202f" not in text and "«" not in text
    assert not french_left(text), french_left(text)
    annex = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert annex[:4] == ["Family", "Card", "Dots", "Of which in plenary"] and "Expectations" in annex
    assert document.core_properties.language == "en-GB"
    assert {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))} == {"en-GB"}
    assert docx.Document(tmp_path / "r.docx").core_properties.title == "Report — Assises du thermalisme"

    writers.write(summary, "pdf", tmp_path / "r.pdf")
    pdf = "\n".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "Cross-table themes" in pdf and "Each table's essentials" in pdf and "Appendix" in pdf
    assert not french_left(pdf), french_left(pdf)

    writers.write(summary, "pptx", tmp_path / "r.pptx")
    deck = pptx.Presentation(tmp_path / "r.pptx")
    slides = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    assert "Strengths — most voted" in slides and "Conclusions of the workshop of " in slides
    assert "4\ntheme “L'eau”\n1 dot\nTable 1" in slides and "Plenary priorities" in slides
    assert "Next steps" in slides and "Thank you all!" in slides
    assert "Cards per table" in slides and "Workshop timeline" in slides
    assert not french_left(slides), french_left(slides)
    assert deck.core_properties.language == "en-GB"

    writers.write(summary, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == [
        "Summary",
        "Cards",
        "Table 1",
        "Table 2",
        "Table 3",
        "Essentials",
        "Plenary",
        "Dots",
    ]
    assert next(book["Plenary"].iter_rows(values_only=True))[:3] == ("Rank", "Tied", "Text")
    assert next(book["Cards"].iter_rows(values_only=True))[:4] == ("Table", "Table name", "Family", "Text")
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Most voted" in cells and "Strengths" in cells and "carte" not in cells and "thème" not in cells

    writers.write(summary, "html", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and 'alt="Chart: cards posted minute by minute"' in page
    assert "Each table&#x27;s essentials" in page and not french_left(page)

    titles = [figure.axes[0].get_title() for figure in charts.figures(summary).values()]
    assert titles == ["Cards per table and family", "Cards: tables × families", "Most voted: cards and themes",
                      "Plenary priorities", "Timeline: cards posted during the workshop"]  # fmt: skip
    legend = [
        t.get_text() for t in charts.figures(summary)["cartes-par-table"].axes[0].get_legend().get_texts()
    ]
    assert legend == ["Strengths", "Weaknesses", "Expectations", "Contributions"]

    report = summary.to_report()
    assert report.keys() == known_summary.to_report().keys()  # the contract's keys never change
    assert report["themes"] and all(t["provenance"].startswith("raised by ") for t in report["themes"])
    assert report["themes"][0]["provenance"].endswith(" of 3 tables")
    assert all(t["provenance"].startswith("soulevé par ") for t in known_summary.to_report()["themes"])


def test_language_option_overrides_the_workshops(known_database, english_database, tmp_path, capsys):
    from reports.__main__ import main
    from reports.synthesis import provenance

    assert (
        provenance(6, 9) == "soulevé par 6 tables sur 9"
        and provenance(6, 9, "en") == "raised by 6 of 9 tables"
    )
    url, code = known_database  # a French workshop, asked in English
    assert (
        main([code, "-f", "html", "--output-dir", str(tmp_path), "--database", url, "--language", "en"]) == 0
    )
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert written.name.startswith("report-assises-du-thermalisme-")
    page = written.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Cross-table themes" in page and "Strengths" in page
    assert "Thèmes communs" not in page
    url, code = english_database  # an English workshop, asked in French
    out = tmp_path / "fr.csv"
    assert main([code, "-f", "csv", "-o", str(out), "--database", url, "--language", "fr"]) == 0
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("table,nom_table,famille,texte")
    with pytest.raises(SystemExit):
        main([code, "-f", "csv", "-o", str(out), "--database", url, "--language", "de"])


def test_report_route_takes_the_language(client, known):
    workshop, secrets, _ = known
    auth = {"Authorization": f"Bearer {secrets.facilitator_token}"}
    url = f"/api/workshops/{workshop.code}/report.csv"
    refused = client.get(f"{url}?lang=de", headers=auth)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_payload"
    answer = client.get(f"{url}?lang=en", headers=auth)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "report-assises-du-thermalisme-" in answer.headers["Content-Disposition"]
    header = answer.get_data().decode("utf-8-sig").splitlines()[0]
    assert header == (
        "table,table_name,family,text,votes,author,organisation,source,status,merged,created_at,"
        "votes_table,votes_plenary"
    )  # the original columns first, in their order


def test_automatic_theme_words_follow_the_language():
    from types import SimpleNamespace

    from reports import localise_themes
    from reports.synthesis import OTHER_TITLE
    from reports.wording import words

    themes = [
        {"title": OTHER_TITLE, "tables": [1, 2], "provenance": "soulevé par 2 tables sur 3"},
        {"title": OTHER_TITLE, "tables": [3], "provenance": "", "edited": True},  # an organiser's title stays
    ]
    summary = SimpleNamespace(wording=words("en"), frames=SimpleNamespace(groups=[1, 2, 3]), synthesis=themes)
    localise_themes(summary)
    assert [(t["title"], t["provenance"]) for t in themes] == [
        ("Other remarks", "raised by 2 of 3 tables"),
        (OTHER_TITLE, "raised by 1 of 3 tables"),
    ]


# --- Issue 16: deliverables ready to send -------------------------------------------------------------


def test_the_excel_csv_opens_in_french_excel(known_summary, tmp_path):
    """`;` and a BOM (French Excel splits on `;`), readable headers, the document's words, Paris time."""
    path = tmp_path / "r.csv"
    writers.write(known_summary, "csv", path, excel=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:5] == ["Table", "Nom de la table", "Famille", "Texte", "Gommettes"]
    assert lines[0].endswith(";Postée le (Europe/Paris)")
    rows = list(csv.DictReader(lines, delimiter=";"))
    assert len(rows) == 7
    by_text = {r["Texte"]: r for r in rows}
    assert (
        by_text["Hors sujet"]["Statut"] == "masquée"
        and by_text["Des eaux thermales réputées"]["Statut"] == "visible"
    )
    assert (
        by_text["'=Recrutement difficile"]["Saisie"] == "papier"
        and by_text["Hors sujet"]["Saisie"] == "téléphone"
    )
    assert by_text["Hors sujet"]["Famille"] == "Attentes"
    assert (
        by_text["Des eaux thermales réputées"]["Postée le (Europe/Paris)"] == "23/11/2026 10:00:00"
    )  # 9:00 UTC
    first = by_text["Des eaux thermales réputées"]
    assert int(first["Gommettes"]) == int(first["Dont à la table"]) + int(first["Dont en plénière"])


def test_the_data_csv_keeps_its_columns(known_summary, tmp_path):
    """`report.csv` without `excel` is the scripts' file: comma, snake_case columns, UTC ISO times."""
    path = tmp_path / "r.csv"
    writers.write(known_summary, "csv", path)
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ",".join(writers.csv_writer.HEADER)
    assert header.startswith("table,nom_table,famille,texte,votes,auteur")


def test_the_excel_csv_in_english_uses_commas(known_database, tmp_path):
    from reports.__main__ import main

    url, code = known_database
    out = tmp_path / "en.csv"
    assert main([code, "-f", "csv", "--excel", "-o", str(out), "--database", url, "--language", "en"]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["Status"] for r in rows} == {"visible", "hidden"} and {r["Entered on"] for r in rows} == {
        "phone",
        "paper",
    }
    assert rows[0]["Posted at (Europe/Paris)"].startswith("2026-11-23 10:0")
    with pytest.raises(SystemExit):
        main([code, "-f", "pdf", "--excel", "-o", str(out), "--database", url])


def test_xlsx_sheets_have_filters_a_frozen_header_and_widths(known_summary, tmp_path):
    import openpyxl

    writers.write(known_summary, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    for name in ["Cartes", "Table 1", "Essentiels", "Plénière", "Votes"]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert (
            sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
        ), name
        assert sheet.column_dimensions["A"].width >= 6 and sheet.column_dimensions["C"].width >= 7, name
    assert book["Cartes"].column_dimensions["D"].width >= 50  # the text


def test_report_route_gives_the_excel_csv(client, known):
    workshop, secrets, _ = known
    auth = {"Authorization": f"Bearer {secrets.facilitator_token}"}
    answer = client.get(f"/api/workshops/{workshop.code}/report.csv?excel=1", headers=auth)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_data().startswith(b"\xef\xbb\xbfTable;Nom de la table;Famille;Texte;")
    # `?hidden=omitted` overrides the workshop's `report_hidden` (issue 16): the hidden card is left out.
    omitted = client.get(f"/api/workshops/{workshop.code}/report.csv?hidden=omitted", headers=auth)
    texts = {r["texte"] for r in csv.DictReader(omitted.get_data().decode("utf-8-sig").splitlines())}
    assert len(texts) == 6 and "Hors sujet" not in texts
