"""XLSX: a summary sheet, all cards, one sheet per table, votes. Every cell goes through `safe`: the
characters a worksheet refuses dropped, then `spreadsheet_safe` (no formula injection)."""

from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from facilitator.textsafety import spreadsheet_safe
from reports import plan
from reports.charts import colour
from reports.writers.common import annex_texts
from reports.writers.csv_writer import ZONE, excel_header, excel_rows, local_times

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe(value):
    """A cell's value as a spreadsheet keeps it. Control characters (openpyxl raises
    IllegalCharacterError on `\\x01`, so one card failed the whole file) are dropped even though
    reports/load.py already drops them: a value from anywhere else cannot fail the file either. Then
    `spreadsheet_safe`, after the strip, so that `\\x01=CMD()` is quoted too."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return spreadsheet_safe(value)


class _Sheets:
    """A write-only workbook (rows streamed to the file: 10,000 cards twice in 1 s rather than 3).

    Write-only sheets take their column widths and frozen header before the first row."""

    def __init__(self):
        self.book = Workbook(write_only=True)

    def sheet(self, title, widths=()):
        sheet = self.book.create_sheet(title[:31])
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        return sheet

    def cell(self, sheet, value, font=None, fill=None, wrap=False):
        cell = WriteOnlyCell(sheet, value=safe(value))
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if wrap:
            cell.alignment = WRAP
        return cell

    def table(self, title, header, lines, widths=()):
        """A header in bold, frozen, with the filter buttons over every column, then one row per line
        (every cell `safe`)."""
        sheet = self.sheet(title, widths)
        sheet.freeze_panes = "A2"
        sheet.append([self.cell(sheet, h, BOLD) for h in header])
        count = 0
        for line in lines:
            sheet.append([safe(v) for v in line])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"  # written with the tail
        return sheet

    def plan_sheet(self, title, header, lines, widths):
        """`table`, with long texts wrapped at the top of their cell and the due date as a date."""
        sheet = self.sheet(title, widths)
        sheet.freeze_panes = "A2"
        sheet.append([self.cell(sheet, h, BOLD, wrap=True) for h in header])
        for line in lines:
            cells = []
            for value in line:
                cell = self.cell(sheet, value, wrap=isinstance(value, str))
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(lines) + 1}"
        return sheet


def write(summary, path) -> None:
    out = _Sheets()
    w = summary.workshop
    t = summary.wording
    label = t.family
    families = summary.families
    s = out.sheet(t("x_summary"), [34, 16] + [14] * len(families))

    def row(values, font=None, fills=None):
        s.append([out.cell(s, v, font, (fills or {}).get(i), wrap=True) for i, v in enumerate(values)])

    row([t("x_workshop"), spreadsheet_safe(w["title"])], BOLD)
    row([t("x_question"), spreadsheet_safe(w["question"])])
    row([t("x_participants"), summary.participation["participants"]])
    row([t("x_cards"), len(summary.cards)])
    row([t("x_dots"), len(summary.frames.votes)])
    row([t("x_dots_table"), len(summary.frames.votes) - summary.plenary_dots])
    row([t("x_dots_plenary"), summary.plenary_dots])
    paper_dots = summary.paper_dots_by_group()  # the référents' dots for people without a phone
    row([t("x_dots_paper"), sum(paper_dots.values())])
    row([t("x_people_paper"), int(summary.frames.participants["paper"].sum())])
    row([])
    header = [t("x_table"), t("x_name")] + [label(f) for f in families] + [t("x_total"), t("x_dots_paper")]
    s.append(
        [
            out.cell(s, h, Font(bold=True, color="FFFFFF" if families[i - 2] != "contributions" else "000000"),
                     PatternFill("solid", fgColor=colour(families[i - 2]).lstrip("#")), wrap=True)
            if 2 <= i < 2 + len(families) else out.cell(s, h, BOLD, wrap=True)
            for i, h in enumerate(header)
        ]
    )  # fmt: skip
    for number, counts in summary.by_group.iterrows():
        row([int(number), spreadsheet_safe(summary.group_name(number))] + [int(counts[f]) for f in families]
            + [int(counts["total"]), paper_dots.get(int(number), 0)])  # fmt: skip
    row([t("x_total"), ""] + [int(summary.by_family[f]) for f in families] + [len(summary.cards),
        sum(paper_dots.values())], BOLD)  # fmt: skip
    row([])
    row([t("x_top"), t("x_family"), t("x_dots"), t("x_table"), t("x_at_table"), t("x_in_plenary")], BOLD)
    for family, top in summary.top.items():
        for text, votes, group, table, plenary in zip(
            top["text"], top["votes"], top["group"], top["votes_table"], top["votes_plenary"], strict=True
        ):
            row([spreadsheet_safe(text), label(family), int(votes), int(group), int(table), int(plenary)])
    ranking = summary.plenary  # on its own sheet, « Plénière »

    # The cards as the spreadsheet CSV has them (csv_writer.excel_rows): readable headers, values in the
    # document's language, local times with their zone; one mapping for both files.
    all_rows = excel_rows(summary)
    widths = [7, 16, 14, 60, 10, 10, 10, 16, 14, 10, 10, 10, 20]
    header = excel_header(summary)
    values = t("excel_values")
    out.table(t("x_cards"), header, all_rows, widths)
    by_table = {}
    for line in all_rows:
        by_table.setdefault(line[0], []).append(line)
    for number in summary.by_group.index:
        out.table(f"{t('x_table')} {number}", header, by_table.get(int(number), []), widths)
    ess = summary.essentials
    out.table(
        t("x_essentials"),
        list(t("x_essentials_header")),
        [[int(e["group"]), label(e["family"]), int(e["position"]) + 1, e["text"], int(e["votes"]),
          values.get(e["source"], e["source"]),
          t("x_on_theme") if e["kind"] == "theme" else t("x_on_card"), int(e["votes_table"]),
          int(e["votes_plenary"])]
         for _, e in ess.iterrows()] if len(ess) else [],
        [7, 14, 7, 60, 11, 14, 8, 15, 16],
    )  # fmt: skip
    out.table(
        t("x_plenary"),
        list(t("x_plenary_header")),
        [[int(e["rank"]), values["tie"] if e["tie"] else "", e["text"], int(e["group"]), label(e["family"]),
          int(e["votes_plenary"]),
          int(e["votes_table"]), int(e["votes"]), t("x_on_theme") if e["kind"] == "theme" else t("x_on_card")]
         for _, e in ranking.iterrows()],
        [6, 9, 60, 7, 14, 20, 20, 11, 8],
    )  # fmt: skip
    votes = summary.frames.votes
    paper = summary.frames.participants.set_index("id")["paper"].astype(bool)
    on_card = votes["card_id"].notna()
    texts = summary.frames.cards.set_index("id")["text"].to_dict()
    withheld = summary.cards[summary.cards["withheld"]]  # a dot on one: its text marked, or none
    marked = annex_texts(summary, withheld) if summary.hidden == "marked" else [""] * len(withheld)
    texts.update(zip(withheld["id"], marked, strict=True))
    card_text = votes["card_id"].map(texts)
    theme_text = votes["theme_id"].map(summary.frames.themes.set_index("id")["title"])
    lines = zip(
        votes["id"].astype(int).tolist(),
        on_card.map({True: t("x_on_card"), False: t("x_on_theme")}).tolist(),
        card_text.where(on_card, theme_text).fillna("").tolist(),
        votes["stage"].map(values).fillna(votes["stage"]).tolist(),
        votes["participant_id"]
        .map(paper)
        .map({True: values["by_paper"], False: values["by_phone"]})
        .tolist(),
        local_times(summary, votes["created_at"]),
        strict=True,
    )
    header = [h.format(zone=ZONE) for h in t("x_votes_header")]
    out.table(t("x_votes"), header, lines, [10, 8, 60, 12, 16, 20])
    made = plan.sheet(summary)  # « Plan d'action »: no sheet without a plan (reports/plan.py)
    if made:
        out.plan_sheet(t("x_plan"), *made)
    out.book.save(path)
