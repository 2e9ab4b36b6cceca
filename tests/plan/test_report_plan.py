"""Issue 14, point 4: the compte rendu carries the action plan (DOCX/PDF/HTML section, XLSX sheet, a
PPTX slide per axis, report.json's `plan`), read back as a reader gets it; plan.ics parsed with
icalendar, plan.csv with the csv module; duplicates folded (« portée par 3 tables »), dropped actions
out, hidden cards never quoted, e-mails in no document."""

import csv
import io
import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select

from facilitator.models import (
    Card,
    Essential,
    Participant,
    PlanAction,
    PlanActionCard,
    PlanAxis,
    PlanEngagement,
    Workshop,
)
from facilitator.workshops import create_workshop
from reports import build_summary, writers

SHOTS = Path("/tmp/shots-i14report")
HIDDEN = "Une idée masquée par le référent sur les navettes"
SEALED = "Une idée encore scellée sur les navettes"
EMAIL = "camille.martin@example.org"
FORMULA = '=HYPERLINK("http://evil")'


def seed(session, *, anonymous=False, plan_contacts=True, with_plan=True):
    """Three tables, a few cards (one hidden, one sealed, one merged into another), and a plan:
    axis « Mobilités » (position 1) holds the campus action carried by three tables (two duplicates
    merged into it, one through the other), axis « Accueil » (position 0) one action due on a day, an
    empty axis, a dropped action, an action without an axis and without an échéance."""
    workshop, secrets = create_workshop(
        session, title="Assises du thermalisme", question="Comment mieux travailler ensemble ?", groups=3,
        anonymous=anonymous,
    )  # fmt: skip
    workshop.plan_contacts = plan_contacts
    g1, g2, g3 = workshop.groups
    g1.name = "Accueil des curistes"
    people = [
        Participant(workshop_id=workshop.id, group_id=g.id, token_hash=f"h{i}", name=name)
        for i, (g, name) in enumerate([(g1, "Camille"), (g1, "Julien"), (g2, "Sophie"), (g3, None)])
    ]
    session.add_all(people)
    session.flush()
    seq = iter(range(1, 1000))

    def card(group, family, text, **extra):
        n = next(seq)
        c = Card(workshop_id=workshop.id, group_id=group.id, participant_id=people[0].id, client_id=f"c{n}",
                 family=family, text=text, seq=n, **extra)  # fmt: skip
        session.add(c)
        session.flush()
        return c

    navettes = card(g1, "attentes", "Des navettes entre la gare et les thermes")
    hidden = card(g1, "attentes", HIDDEN, status="hidden")
    sealed = card(g2, "attentes", SEALED, sealed=True)
    train = card(g2, "contributions", "Négocier un tarif de train pour les curistes")
    duplicate = card(g3, "attentes", "Navettes gare-thermes", status="merged", merged_into_id=navettes.id)
    accueil = card(g1, "contributions", "Un livret d'accueil commun aux stations")
    session.add(
        Essential(workshop_id=workshop.id, group_id=g1.id, family="attentes", card_id=navettes.id, position=0)
    )
    if not with_plan:
        session.commit()
        return workshop, secrets
    empty = PlanAxis(workshop_id=workshop.id, title="Un axe sans action", position=2)
    mobility = PlanAxis(workshop_id=workshop.id, title="Mobilités", position=1)
    welcome = PlanAxis(workshop_id=workshop.id, title="Accueil", position=0)
    session.add_all([empty, mobility, welcome])
    session.flush()

    def action(group, axis, title, **fields):
        a = PlanAction(workshop_id=workshop.id, group_id=group.id if group else None,
                       axis_id=axis.id if axis else None, title=title, **fields)  # fmt: skip
        session.add(a)
        session.flush()
        return a

    kept = action(g1, mobility, "Des navettes gare-thermes à chaque train", owner="Région Occitanie (liO)",
                  partners="Communes thermales, SNCF", due="2027-03", first_step="Compter les arrivées",
                  indicator="Une navette à chaque train", position=0)  # fmt: skip
    twin = action(
        g2, mobility, "Navettes depuis la gare", owner="Communes", due="2027-06", merged_into_id=kept.id
    )
    third = action(g3, None, "Navettes", merged_into_id=twin.id)  # merged into the merged one
    dropped = action(g2, mobility, "Une action abandonnée", owner="Personne", due="2027-01", status="dropped")
    day = action(g1, welcome, "Un livret d'accueil commun", owner="Offices de tourisme", partners="CRTL Occitanie",
                 due="2026-12-15", indicator="Un livret dans 20 stations", position=0)  # fmt: skip
    loose = action(None, None, FORMULA, owner="ADT du Gard", position=5)
    links = [(kept, navettes), (kept, hidden), (twin, train), (twin, sealed), (third, duplicate), (day, accueil),
             (dropped, accueil)]  # fmt: skip
    for a, c in links:
        session.add(PlanActionCard(workshop_id=workshop.id, action_id=a.id, card_id=c.id))
    consented = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    session.add_all(
        [
            PlanEngagement(workshop_id=workshop.id, action_id=kept.id, participant_id=people[0].id, email=EMAIL,
                           consented_at=consented),
            PlanEngagement(workshop_id=workshop.id, action_id=twin.id, participant_id=people[2].id),
            PlanEngagement(workshop_id=workshop.id, action_id=third.id, participant_id=people[3].id),
            PlanEngagement(workshop_id=workshop.id, action_id=twin.id, participant_id=people[0].id),  # twice
            PlanEngagement(workshop_id=workshop.id, action_id=day.id, participant_id=people[1].id),
            PlanEngagement(workshop_id=workshop.id, action_id=dropped.id, participant_id=people[1].id),
        ]
    )  # fmt: skip
    session.commit()
    ids = {"kept": kept.id, "twin": twin.id, "third": third.id, "dropped": dropped.id, "day": day.id,
           "loose": loose.id}  # fmt: skip
    return workshop, secrets, ids


NNBSP = "\u202f"  # French typography: before « : » and inside « » (the assertions below type a space)


def plain(value):
    """`value` with French's narrow no-break spaces as plain spaces, through lists."""
    if isinstance(value, str):
        return value.replace(NNBSP, " ")
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def read_back(summary, tmp_path) -> dict:
    """Every format written, then read back as its reader sees it: format → text (and the parts), with
    narrow no-break spaces as spaces (`raw-docx-headings` keeps them)."""
    import docx
    import openpyxl
    import pptx
    import pypdf

    out = {}
    for fmt in writers.available():
        path = tmp_path / f"r.{fmt}"
        writers.write(summary, fmt, path)
        out[f"{fmt}-path"] = path
        if fmt == "docx":
            document = docx.Document(path)
            out["docx-tables"] = [
                [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
            ]
            out["docx-headings"] = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
            text = " ".join(
                [p.text for p in document.paragraphs] + [c for t in out["docx-tables"] for r in t for c in r]
            )
        elif fmt == "pdf":
            text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        elif fmt == "pptx":
            out["pptx-slides"] = [
                [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
                for slide in pptx.Presentation(path).slides
            ]
            text = " ".join(t for slide in out["pptx-slides"] for t in slide)
        elif fmt == "xlsx":
            book = openpyxl.load_workbook(path)
            out["xlsx-book"] = book
            text = " ".join(
                str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
                if cell is not None
            )  # fmt: skip
        elif fmt == "html":
            text = path.read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8-sig")
        out[fmt] = text
    out["raw-docx-headings"] = out.get("docx-headings")
    return {k: v if k.startswith("raw-") else plain(v) for k, v in out.items()}


@pytest.fixture
def seeded(session):
    workshop, secrets, ids = seed(session)
    return workshop, secrets, ids


def test_report_json_folds_duplicates_and_keeps_hidden_cards_and_emails_out(session, seeded):
    workshop, _, ids = seeded
    plan = build_summary(session, workshop.code, synthesis=False).to_report()["plan"]
    assert [axis["title"] for axis in plan["axes"]] == ["Accueil", "Mobilités", "Sans axe"]  # empty axis out
    welcome, mobility, loose = plan["axes"]
    assert loose["id"] is None and [a["title"] for a in loose["actions"]] == [FORMULA]
    (navettes,) = mobility["actions"]  # the two duplicates folded in, the dropped action gone
    assert navettes["id"] == ids["kept"] and sorted(navettes["merged"]) == sorted([ids["twin"], ids["third"]])
    assert [t["number"] for t in navettes["tables"]] == [1, 2, 3]
    assert navettes["tables"][0]["name"] == "Accueil des curistes"
    assert navettes["provenance"] == "portée par 3 tables"
    assert navettes["due"] == "2027-03" and navettes["due_date"] == "2027-03-31"
    assert (
        navettes["owner"] == "Région Occitanie (liO)" and navettes["partners"] == "Communes thermales, SNCF"
    )
    texts = [c["text"] for c in navettes["cards"]]
    # the hidden and the sealed card never; the merged card stands for the card it was merged into (once)
    assert texts == [
        "Des navettes entre la gare et les thermes",
        "Négocier un tarif de train pour les curistes",
    ]
    assert navettes["volunteers"] == 3  # Camille (twice: once), Sophie, the nameless one
    assert navettes["volunteer_names"] == ["Camille", "Sophie"]
    (day,) = welcome["actions"]
    assert (
        day["volunteers"] == 1 and day["due_date"] == "2026-12-15"
    )  # the dropped action's volunteer is not here
    assert plan["actions"] == 3 and plan["volunteers"] == 4
    assert loose["actions"][0]["provenance"] == "proposée en plénière" and loose["actions"][0]["due"] is None
    dumped = json.dumps(plan, ensure_ascii=False)
    assert EMAIL not in dumped and HIDDEN not in dumped and SEALED not in dumped
    assert "Une action abandonnée" not in dumped and "Un axe sans action" not in dumped


def test_every_format_carries_the_plan(session, seeded, tmp_path):
    workshop, _, _ = seeded
    docs = read_back(build_summary(session, workshop.code), tmp_path)
    # DOCX: the section, an axis a heading and a table with the action's fields
    assert (
        "Plan d’action" in docs["docx-headings"] and f"Axe 2{NNBSP}: Mobilités" in docs["raw-docx-headings"]
    )
    assert "Axe 1 : Accueil" in docs["docx-headings"] and "Axe 2 : Mobilités" in docs["docx-headings"]
    assert "Sans axe" in docs["docx-headings"]
    plan_tables = [t for t in docs["docx-tables"] if t[0][0] == "Action"]
    assert len(plan_tables) == 3
    header, row = plan_tables[1][0], plan_tables[1][1]
    assert header == ["Action", "Porteur, partenaires, volontaires", "Échéance", "Indicateur", "Origine"]
    assert row[0].startswith("Des navettes gare-thermes à chaque train") and "Compter les arrivées" in row[0]
    assert "Région Occitanie (liO)" in row[1] and "Communes thermales, SNCF" in row[1]
    assert "3 volontaires : Camille, Sophie" in row[1]
    assert row[2] == "fin mars 2027" and row[3] == "Une navette à chaque train"
    assert "Portée par 3 tables" in row[4] and "Accueil des curistes, Table 2, Table 3" in row[4]
    assert "« Des navettes entre la gare et les thermes »" in row[4]
    assert plan_tables[0][1][2] == "15 décembre 2026" and plan_tables[2][1][2] == "À fixer"
    # PDF and HTML: the same outline
    pdf = re.sub(r"\s+", " ", docs["pdf"])
    assert "Plan d’action" in pdf and "Axe 2 : Mobilités" in pdf and "fin mars 2027" in pdf
    assert "<h2>Plan d’action</h2>" in docs["html"] and '<table class="plan">' in docs["html"]
    assert "<strong>Des navettes gare-thermes à chaque train</strong>" in docs["html"]
    # XLSX: a sheet with filters, a frozen header, widths, one row an action, the due date a date
    sheet = docs["xlsx-book"]["Plan d’action"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M4"
    assert sheet.column_dimensions["B"].width == 40
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Axe", "Action", "Porteur", "Partenaires", "Échéance", "Date d’échéance")
    assert [r[1] for r in rows[1:]] == ["Un livret d'accueil commun", "Des navettes gare-thermes à chaque train",
                                        "'" + FORMULA]  # fmt: skip
    navettes = rows[2]
    assert navettes[0] == "Mobilités" and navettes[4] == "fin mars 2027"
    assert navettes[5].date() == date(2027, 3, 31) and navettes[11] == 3 and navettes[12] == "Camille, Sophie"
    # PPTX: a slide per axis, its actions in large type with owner, échéance, volunteers
    slides = {texts[0]: texts for texts in docs["pptx-slides"] if texts}
    mobility = slides["Axe 2 : Mobilités"]
    assert "Des navettes gare-thermes à chaque train" in mobility
    assert "Région Occitanie (liO) avec Communes thermales, SNCF" in mobility
    assert any("fin mars 2027" in t and "portée par 3 tables" in t and "3 volontaires" in t for t in mobility)
    assert "Axe 1 : Accueil" in slides and "Sans axe" in slides
    titles = [texts[0] for texts in docs["pptx-slides"] if texts]
    assert titles.index("Sans axe") == titles.index("Prochaines étapes") - 1  # the plan, then the next steps
    # nothing withheld, no e-mail, no dropped action anywhere
    for fmt in ("docx", "pdf", "html", "pptx", "xlsx", "json", "csv"):
        assert EMAIL not in docs[fmt], fmt
        assert "Une action abandonnée" not in docs[fmt], fmt
    in_plan = {  # the annex lists them marked « masquée »; the plan never quotes them
        "docx": str(plan_tables),
        "pptx": docs["pptx"],
        "json": json.dumps(json.loads(docs["json"])["plan"], ensure_ascii=False),
        "xlsx": str(rows),
    }
    for fmt, text in in_plan.items():
        assert HIDDEN not in text and SEALED not in text, fmt


def test_no_plan_no_section(session, tmp_path):
    workshop, _ = seed(session, with_plan=False)
    docs = read_back(build_summary(session, workshop.code), tmp_path)
    assert json.loads(docs["json"])["plan"] == {"actions": 0, "volunteers": 0, "axes": []}
    assert "Plan d’action" not in docs["docx-headings"]
    assert not [t for t in docs["docx-tables"] if t[0][0] == "Action"]
    assert "Plan d’action" not in docs["xlsx-book"].sheetnames
    assert "Plan d’action" not in docs["pdf"] and "Plan d’action" not in docs["html"]
    assert not any(texts and texts[0].startswith(("Axe ", "Sans axe")) for texts in docs["pptx-slides"])


def test_an_anonymous_workshop_counts_volunteers_without_names(session, tmp_path):
    workshop, _, _ = seed(session, anonymous=True)
    summary = build_summary(session, workshop.code, synthesis=False)
    navettes = summary.to_report()["plan"]["axes"][1]["actions"][0]
    assert navettes["volunteers"] == 3 and navettes["volunteer_names"] == []
    writers.write(summary, "docx", tmp_path / "r.docx")
    import docx

    cells = [c.text for t in docx.Document(tmp_path / "r.docx").tables for row in t.rows for c in row.cells]
    assert any(c.endswith("3 volontaires") for c in cells) and not any("Camille" in c for c in cells)


# --- plan.ics, plan.csv, plan-contacts.csv --------------------------------------------------------------


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_plan_ics_has_one_event_per_echeance(client, session, seeded):
    workshop, secrets, ids = seeded
    answer = client.get(f"/api/workshops/{workshop.code}/plan.ics", headers=bearer(secrets.facilitator_token))
    assert answer.status_code == 200, answer.get_json()
    assert answer.mimetype == "text/calendar" and answer.headers["Cache-Control"] == "no-store"
    assert re.match(r'attachment; filename="plan-d-action-assises-du-thermalisme-\d{4}-\d\d-\d\d\.ics"',
                    answer.headers["Content-Disposition"])  # fmt: skip
    events = Calendar.from_ical(answer.data).walk("VEVENT")
    by_title = {str(e["SUMMARY"]): e for e in events}
    assert set(by_title) == {
        "Des navettes gare-thermes à chaque train",
        "Un livret d'accueil commun",
    }  # due only
    navettes = by_title["Des navettes gare-thermes à chaque train"]
    assert navettes["DTSTART"].dt == date(2027, 3, 31) and navettes["DTEND"].dt == date(
        2027, 4, 1
    )  # a month: its last day
    livret = by_title["Un livret d'accueil commun"]
    assert livret["DTSTART"].dt == date(2026, 12, 15) and livret["DTEND"].dt == date(2026, 12, 16)
    description = plain(str(navettes["DESCRIPTION"]))
    assert (
        "Porteur : Région Occitanie (liO)" in description
        and "Partenaires : Communes thermales, SNCF" in description
    )
    assert (
        "Première étape : Compter les arrivées" in description and "Indicateur : Une navette" in description
    )
    assert "portée par 3 tables (Accueil des curistes, Table 2, Table 3)" in description
    assert "Volontaires : 3 (Camille, Sophie)" in description and EMAIL not in answer.data.decode()
    assert HIDDEN not in description and "Mobilités" in str(navettes["CATEGORIES"].to_ical().decode())
    again = Calendar.from_ical(
        client.get(f"/api/workshops/{workshop.code}/plan.ics", headers=bearer(secrets.facilitator_token)).data
    ).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in again) == sorted(str(e["UID"]) for e in events)  # stable
    assert len({str(e["UID"]) for e in events}) == 2 and str(ids["kept"]) in str(navettes["UID"])
    english = client.get(
        f"/api/workshops/{workshop.code}/plan.ics?lang=en", headers=bearer(secrets.facilitator_token)
    )
    assert "Owner: Région Occitanie (liO)" in english.data.decode().replace("\r\n ", "")


def test_plan_files_are_for_the_reports_readers_only(client, seeded, app):
    workshop, secrets, _ = seeded
    for route in ("plan.ics", "plan.csv", "plan-contacts.csv"):
        url = f"/api/workshops/{workshop.code}/{route}"
        assert client.get(url).status_code == 401
        assert client.get(url, headers=bearer("nope")).status_code == 401
        assert client.get(url, headers=bearer(secrets.referent_tokens[1])).status_code == 403
        assert client.get(url, headers=bearer(secrets.board_token)).status_code == 403
        assert client.get(url, headers=bearer(app.config["ORGANISER_KEY"])).status_code == 200
        refused = client.get(url + "?lang=de", headers=bearer(secrets.facilitator_token))
        assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_payload"
        unknown = client.get(f"/api/workshops/ZZZZZZ/{route}", headers=bearer(secrets.facilitator_token))
        assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "unknown_workshop"


def test_plan_csv_imports_into_a_task_tool(client, seeded):
    workshop, secrets, _ = seeded
    answer = client.get(f"/api/workshops/{workshop.code}/plan.csv", headers=bearer(secrets.facilitator_token))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = plain(answer.data.decode("utf-8"))
    assert text.startswith("\ufeff")  # Excel reads the accents
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["Title", "Owner", "Due date", "Description"]
    assert [r[0] for r in rows[1:]] == ["Un livret d'accueil commun", "Des navettes gare-thermes à chaque train",
                                        "'" + FORMULA]  # fmt: skip
    livret, navettes, loose = rows[1:]
    assert (
        navettes[1] == "Région Occitanie (liO)" and navettes[2] == "2027-03-31" and livret[2] == "2026-12-15"
    )
    assert loose[2] == "" and loose[4] == "Sans axe"
    assert "Échéance : fin mars 2027" in navettes[3] and "Volontaires : 3 (Camille, Sophie)" in navettes[3]
    assert (
        navettes[4] == "Mobilités"
        and navettes[8] == "Accueil des curistes, Table 2, Table 3"
        and navettes[9] == "3"
    )
    assert EMAIL not in text and "Une action abandonnée" not in text
    excel = client.get(
        f"/api/workshops/{workshop.code}/plan.csv?excel=1", headers=bearer(secrets.facilitator_token)
    )
    semicolons = list(csv.reader(io.StringIO(excel.data.decode("utf-8")[1:]), delimiter=";"))
    assert semicolons[2][:3] == [
        "Des navettes gare-thermes à chaque train",
        "Région Occitanie (liO)",
        "2027-03-31",
    ]


def test_contacts_only_in_their_own_file_and_only_with_consent(client, session, seeded):
    workshop, secrets, _ = seeded
    url = f"/api/workshops/{workshop.code}/plan-contacts.csv"
    rows = list(csv.reader(io.StringIO(client.get(url, headers=bearer(secrets.facilitator_token)).data.decode()[1:]),
                           delimiter=";"))  # fmt: skip
    assert rows == [
        ["Action", "Prénom", "E-mail", "Consentement le"],
        ["Des navettes gare-thermes à chaque train", "Camille", EMAIL, "2026-11-23"],
    ]
    session.get(Workshop, workshop.id).plan_contacts = False  # the workshop did not ask: nobody is listed
    session.commit()
    rows = list(csv.reader(io.StringIO(client.get(url, headers=bearer(secrets.facilitator_token)).data.decode()[1:]),
                           delimiter=";"))  # fmt: skip
    assert rows == [["Action", "Prénom", "E-mail", "Consentement le"]]


# --- the demo's plan, rendered ----------------------------------------------------------------------------


@pytest.fixture
def demo_summary(session):
    from facilitator import demo

    code = demo.create_demo(session, "http://facilitator.test")["code"]
    return build_summary(session, code)


def test_the_demo_has_a_realistic_plan(session, demo_summary):
    plan = demo_summary.to_report()["plan"]
    assert len(plan["axes"]) == 3 and 6 <= plan["actions"] <= 8
    every = [a for axis in plan["axes"] for a in axis["actions"]]
    assert all(a["owner"] and a["due"] and a["first_step"] and a["indicator"] for a in every)
    assert {"CRTL Occitanie", "ADT du Gard"} <= {a["owner"] for a in every}
    assert any(len(a["tables"]) >= 2 for a in every) and any(
        not a["tables"] for a in every
    )  # merged; plenary
    assert sum(bool(a["cards"]) for a in every) >= 6 and plan["volunteers"] >= 5
    quotable = set(demo_summary.body_cards["id"])
    assert all(c["id"] in quotable for a in every for c in a["cards"])
    assert (
        session.scalars(select(PlanAction).where(PlanAction.merged_into_id.is_not(None))).first() is not None
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None or shutil.which("pdftoppm") is None,
                    reason="libreoffice and poppler-utils render the documents")  # fmt: skip
def test_the_demo_plan_renders(demo_summary, tmp_path):
    """The DOCX and PPTX rendered by LibreOffice, the PDF by reportlab, the plan's pages as PNG in
    /tmp/shots-i14report/ to look at; each axis on a slide of its own."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for fmt in ("docx", "pptx", "pdf"):
        writers.write(demo_summary, fmt, tmp_path / f"plan-{fmt}.{fmt}")
    subprocess.run(
        ["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "plan-docx.docx"), str(tmp_path / "plan-pptx.pptx")],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    found = {}
    for name in ("plan-docx", "plan-pptx", "plan-pdf"):
        pdf = tmp_path / f"{name}.pdf"
        pages = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")
        hits = [i + 1 for i, page in enumerate(pages) if re.search(r"Axe \d\s?:", page)]
        assert hits, name
        found[name] = hits
        subprocess.run(["pdftoppm", "-r", "50", "-f", str(hits[0]), "-l", str(hits[-1]), "-png", str(pdf),
                        str(SHOTS / name)], check=True)  # fmt: skip
    assert len(found["plan-pptx"]) == 3  # a slide per axis


def test_an_english_report_says_the_plan_in_english(session, seeded, tmp_path):
    workshop, _, _ = seeded
    summary = build_summary(session, workshop.code, synthesis=False, language="en")
    navettes = summary.to_report()["plan"]["axes"][1]["actions"][0]
    assert navettes["provenance"] == "carried by 3 tables"
    assert summary.to_report()["plan"]["axes"][2]["title"] == "No axis"
    docs = read_back(summary, tmp_path)
    assert "Action plan" in docs["docx-headings"] and "Axis 2: Mobilités" in docs["docx-headings"]
    row = next(t for t in docs["docx-tables"] if t[0][0] == "Action" and "navettes" in t[1][0])[1]
    assert row[2] == "end of March 2027" and "3 volunteers: Camille, Sophie" in row[1]
    assert "Action plan" in docs["xlsx-book"].sheetnames
    assert any(texts and texts[0] == "Axis 2: Mobilités" for texts in docs["pptx-slides"])
    assert "Plan d’action" not in docs["html"] and "Porteur" not in docs["html"]


def test_hostile_plan_texts_never_fail_a_document(session, tmp_path):
    """A 200-letter word as a title, control characters, a formula, emoji, a month that does not exist:
    every format is written, the texts as typed (control characters dropped), the bad échéance « À fixer »."""
    workshop, secrets = seed(session, with_plan=False)
    axis = PlanAxis(workshop_id=workshop.id, title="Axe 3 : déjà numéroté 🌊", position=0)
    session.add(axis)
    session.flush()
    word = "Anticonstitutionnellement" * 8
    session.add_all(
        [
            PlanAction(workshop_id=workshop.id, group_id=workshop.groups[0].id, axis_id=axis.id, title=word[:200],
                       owner="CRTL\x01 Occitanie", partners="=CMD()" + " partenaire" * 25, due="2027-13",
                       first_step="<b>&amp;</b>", indicator="+10 % 👍"),
            PlanAction(workshop_id=workshop.id, group_id=None, axis_id=axis.id, title="Deuxième", due="2027-02-29"),
        ]
    )  # fmt: skip
    session.commit()
    summary = build_summary(session, workshop.code, synthesis=False)
    docs = read_back(summary, tmp_path)
    plan = json.loads(docs["json"])["plan"]
    first, second = plan["axes"][0]["actions"]
    assert plan["axes"][0]["title"] == "Axe 3 : déjà numéroté 🌊" and first["owner"] == "CRTL Occitanie"
    assert first["due"] == "2027-13" and first["due_date"] is None and second["due_date"] is None
    assert "Axe 3 : déjà numéroté 🌊" in docs["docx-headings"]  # typed « Axe … »: not « Axe 1 : Axe 3 … »
    row = next(t for t in docs["docx-tables"] if t[0][0] == "Action")[1]
    assert row[2] == "À fixer" and row[0].startswith(word[:200])
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in docs["html"]
    sheet = docs["xlsx-book"]["Plan d’action"]
    assert list(sheet.iter_rows(values_only=True))[1][3].startswith("'=CMD()")
    assert any(texts and texts[0].startswith("Axe 3") for texts in docs["pptx-slides"])
