"""XLSX: a summary sheet, all cards, one sheet per table, votes. Every text cell goes through
`spreadsheet_safe` (no formula injection)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from facilitator.textsafety import spreadsheet_safe
from reports.charts import colour, label
from reports.writers.csv_writer import HEADER, rows

BOLD = Font(bold=True)


def _sheet(book, title, header, lines, widths=None):
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for line in lines:
        sheet.append([spreadsheet_safe(v) for v in line])
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    return sheet


def write(summary, path) -> None:
    book = Workbook()
    book.remove(book.active)
    w = summary.workshop
    families = summary.families
    s = _sheet(
        book, "Synthèse", ["Atelier", spreadsheet_safe(w["title"])], [], [34, 16] + [14] * len(families)
    )
    s.append(["Question", spreadsheet_safe(w["question"])])
    s.append(["Participants", summary.participation["participants"]])
    s.append(["Cartes", len(summary.cards)])
    s.append(["Gommettes", len(summary.frames.votes)])
    s.append([])
    s.append(["Table", "Nom"] + [label(f) for f in families] + ["Total"])
    header_row = s.max_row
    for cell in s[header_row]:
        cell.font = BOLD
    for i, family in enumerate(families, start=3):
        s.cell(header_row, i).fill = PatternFill("solid", fgColor=colour(family).lstrip("#"))
        s.cell(header_row, i).font = Font(
            bold=True, color="FFFFFF" if family != "contributions" else "000000"
        )
    for number, row in summary.by_group.iterrows():
        s.append([int(number), spreadsheet_safe(summary.group_name(number))] + [int(row[f]) for f in families]
                 + [int(row["total"])])  # fmt: skip
    s.append(["Total", ""] + [int(summary.by_family[f]) for f in families] + [len(summary.cards)])
    for cell in s[s.max_row]:
        cell.font = BOLD
    s.append([])
    s.append(["Les plus votées", "Famille", "Gommettes", "Table"])
    for cell in s[s.max_row]:
        cell.font = BOLD
    for family, top in summary.top.items():
        for _, r in top.iterrows():
            s.append([spreadsheet_safe(r["text"]), label(family), int(r["votes"]), int(r["group"])])
    for row in s.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    all_rows = list(rows(summary))
    widths = [7, 16, 14, 60, 8, 16, 14, 8, 8, 10, 22]
    _sheet(book, "Cartes", HEADER, all_rows, widths)
    for number in summary.by_group.index:
        _sheet(book, f"Table {number}", HEADER, [r for r in all_rows if r[0] == number], widths)
    ess = summary.essentials
    _sheet(
        book,
        "Essentiels",
        ["table", "famille", "ordre", "texte", "votes", "retenu_par"],
        [[int(e["group"]), e["family"], int(e["position"]) + 1, e["text"], int(e["votes"]), e["source"]]
         for _, e in ess.iterrows()] if len(ess) else [],
        [7, 14, 7, 60, 8, 12],
    )  # fmt: skip
    cards = summary.frames.cards.set_index("id")
    themes = summary.frames.themes.set_index("id")
    votes = [
        [
            int(v["id"]),
            "carte" if v["card_id"] == v["card_id"] else "thème",
            cards["text"].get(int(v["card_id"]), "") if v["card_id"] == v["card_id"]
            else themes["title"].get(int(v["theme_id"]), ""),
            v["stage"],
            v["created_at"].isoformat().replace("+00:00", "Z"),
        ]
        for _, v in summary.frames.votes.iterrows()
    ]  # fmt: skip
    _sheet(book, "Votes", ["gommette", "sur", "texte", "etape", "posee_le"], votes, [10, 8, 60, 10, 22])
    book.save(path)
