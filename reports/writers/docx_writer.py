"""DOCX, the editable compte rendu: title, date, context and question, participation, synthesis per
family with the cross-table themes, each table's essentials, commitments, charts, annex of every card."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from reports.writers.common import colon, family_title, fr_date, participation_lines, plural, quoted


def outline(summary):
    """The compte rendu as a list of blocks shared by DOCX, PDF and HTML:
    ("title"|"subtitle"|"h1"|"h2"|"p"|"bullet"|"chart"|"table", payload). Built once per summary."""
    if "outline" not in summary._charts:
        summary._charts["outline"] = _outline(summary, summary.chart_png())
    return summary._charts["outline"]


def _outline(summary, chart_png):
    w = summary.workshop
    blocks = [
        ("title", f"Compte rendu — {w['title']}"),
        ("subtitle", f"Atelier du {fr_date(w['created_at'])}"),
        ("h1", "Contexte et question"),
        ("p", quoted(w["question"]) if w["question"] else "Aucune question n’a été posée."),
        ("h1", "Participation"),
        *[("bullet", line) for line in participation_lines(summary)],
    ]
    blocks.append(("chart", chart_png["cartes-par-table"]))
    blocks.append(("h1", "Synthèse par famille"))
    for family in summary.families:
        n = int(summary.by_family[family])
        blocks.append(("h2", f"{family_title(family)} ({plural(n, 'carte', 'cartes')})"))
        top = summary.top[family]
        if len(top):
            for _, r in top.iterrows():
                dots = plural(int(r["votes"]), "gommette", "gommettes")
                blocks.append(("bullet", f"{r['text']} — table {int(r['group'])}, {dots}"))
        else:
            blocks.append(("p", "Aucune carte de cette famille n’a reçu de gommette."))
    cross = [t for t in summary.synthesis if len(t["tables"]) >= 2]
    blocks.append(("h1", "Thèmes communs à plusieurs tables"))
    if cross:
        blocks.append(("p", "Regroupements proposés automatiquement, à relire : les cartes qui disent la même chose "
                            "à des tables différentes."))  # fmt: skip
        for theme in cross:
            blocks.append(("h2", f"{theme['title']} — {theme['provenance']}"))
            for card in theme["cards"]:
                blocks.append(
                    ("bullet", f"Table {card['group']} ({family_title(card['family'])}) : {card['text']}")
                )
    else:
        blocks.append(("p", "Aucun thème n’a été soulevé par plusieurs tables."))
    blocks.append(("chart", chart_png["tables-familles"]))
    blocks.append(("h1", "Les essentiels de chaque table"))
    ess = summary.essentials
    for number in summary.by_group.index:
        blocks.append(("h2", summary.group_name(number)))
        mine = ess[ess["group"] == number] if len(ess) else ess
        if not len(mine):
            blocks.append(("p", "Cette table n’a pas retenu d’essentiel."))
        for _, e in mine.iterrows():
            dots = plural(int(e["votes"]), "gommette", "gommettes")
            blocks.append(("bullet", f"{family_title(e['family'])} : {e['text']} ({dots})"))
    blocks.append(("chart", chart_png["votes-essentiels"]))
    blocks.append(("h1", "Engagements"))
    if len(summary.commitments):
        for _, c in summary.commitments.iterrows():
            who = ", ".join(str(x) for x in (c["author"], c["organisation"]) if isinstance(x, str) and x)
            blocks.append(("bullet", f"{c['text']} — table {c['group']}" + (f" ({who})" if who else "")))
    else:
        blocks.append(("p", "Aucun engagement n’a été noté."))
    blocks.append(("h1", "Déroulé"))
    blocks.append(("chart", chart_png["deroule"]))
    blocks.append(("h1", "Annexe : toutes les cartes, table par table"))
    for number in summary.by_group.index:
        mine = summary.cards[summary.cards["group"] == number].sort_values(["family", "seq"], kind="stable")
        blocks.append(("h2", f"{summary.group_name(number)} — {plural(len(mine), 'carte', 'cartes')}"))
        rows = [[family_title(r["family"]), r["text"], str(int(r["votes"]))] for _, r in mine.iterrows()]
        blocks.append(("table", (["Famille", "Carte", "Gommettes"], rows)))
    return blocks


def write(summary, path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2))
    base = document.styles["Normal"]
    base.font.name = "Calibri"
    base.font.size = Pt(11)
    document.core_properties.title = f"Compte rendu — {summary.workshop['title']}"
    document.core_properties.language = "fr-FR"
    for kind, payload in outline(summary):
        if kind == "title":
            document.add_heading(payload, level=0)
        elif kind == "subtitle":
            p = document.add_paragraph(payload)
            p.runs[0].font.color.rgb = RGBColor(0x4A, 0x4A, 0x4A)
        elif kind == "h1":
            document.add_heading(payload, level=1)
        elif kind == "h2":
            document.add_heading(payload, level=2)
        elif kind == "p":
            document.add_paragraph(payload)
        elif kind == "bullet":
            document.add_paragraph(payload, style="List Bullet")
        elif kind == "chart":
            document.add_picture(io.BytesIO(payload), width=Cm(16))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            header, rows = payload
            if not rows:
                continue
            table = document.add_table(rows=1, cols=len(header))
            table.autofit = False
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for row in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
            for column, width in zip(table.columns, (Cm(3.2), Cm(11.3), Cm(2.5)), strict=True):
                column.width = width
                for cell in column.cells:
                    cell.width = width
    document.add_paragraph(colon("Document produit par Facilitator") + f" {summary.workshop['code']}")
    document.save(path)
