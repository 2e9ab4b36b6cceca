"""DOCX, the editable compte rendu: title, date, context and question, participation, synthesis per
family with the cross-table themes, each table's essentials, commitments, charts, annex of every card."""

import io
from copy import deepcopy

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports import plan
from reports.writers.common import (
    CARDS_PER_THEME,
    annex_texts,
    essential_name,
    family_digest,
    more_cards,
    no_dots_sentence,
    paper_dots_sentence,
    participation_lines,
    plenary_people,
    representative,
    xml_safe,
)

W = qn("w:r")[: -len("r")]  # "{namespace}" of WordprocessingML


def outline(summary):
    """The compte rendu as a list of blocks shared by DOCX, PDF and HTML:
    ("title"|"subtitle"|"h1"|"h2"|"p"|"bullet"|"after"|"chart"|"table", payload); "after" is a paragraph
    that ends a list and stays on its page (never « … et 3 autres cartes » alone at the top of the next).
    Built once per summary."""
    if "outline" not in summary._charts:
        summary._charts["outline"] = _outline(summary, summary.chart_png())
    return summary._charts["outline"]


def _outline(summary, chart_png):
    w = summary.workshop
    t = summary.wording  # every word in the document's language (reports.wording)
    blocks = [
        ("title", t("report_title", title=w["title"])),
        ("subtitle", t("workshop_of", date=t.date(w["created_at"]))),
        ("h1", t("context")),
        ("p", t.quoted(w["question"]) if w["question"] else t("no_question")),
        ("h1", t("participation")),
        *[("bullet", line) for line in participation_lines(summary)],
    ]
    if "cartes-par-table" in chart_png:
        blocks.append(("chart", chart_png["cartes-par-table"]))
    if "tables-familles" in chart_png:  # who wrote what: participation, not the themes
        blocks.append(("chart", chart_png["tables-familles"]))
    blocks.append(("h1", t("by_family")))
    for family in summary.families:
        n = int(summary.by_family[family])
        blocks.append(("h2", f"{t.family(family)} ({t.plural(n, 'card')})"))
        top = summary.top[family]
        if len(top):
            for _, r in top.head(TOP_SHOWN).iterrows():
                dots = t.dots(int(r["votes"]), int(r["votes_table"]), int(r["votes_plenary"]))
                blocks.append(("bullet", t("top_line", text=r["text"], group=int(r["group"]), dots=dots)))
            if len(top) > TOP_SHOWN:  # ties at the last place: hundreds of 1-dot cards in a large workshop
                rest, dots = len(top) - TOP_SHOWN, t.plural(int(top["votes"].iloc[-1]), "dot")
                blocks.append(("after", t("tied", rest=t.plural(rest, "other_card"), dots=dots)))
        elif n == 0:
            blocks.append(("p", t("family_empty")))
        else:  # nobody voted here: the family's themes and a few of its cards say what it holds
            themes, cards = family_digest(summary, family)
            if themes:
                blocks.append(("p", t.colon(t("main_themes"))))
                blocks += [("bullet", f"{theme['title']} — {theme['provenance']}") for theme in themes]
            blocks.append(("p", t.colon(t("representative"))))
            blocks += [("bullet", t("table_card", group=c["group"], text=c["text"])) for c in cards]
            blocks.append(("after", no_dots_sentence(summary)))
    transverse = summary.transverse  # themes filed under none of the families: their own group, after them
    if len(transverse):
        blocks.append(("h2", f"{t.family('transverse')} ({t.plural(len(transverse), 'table_theme')})"))
        blocks.append(("p", t("transverse_intro")))
        for _, r in transverse.iterrows():
            dots = t.dots(int(r["votes"]), int(r["votes_table"]), int(r["votes_plenary"]))
            what = t("transverse_line", title=t.quoted(r["title"]), cards=t.plural(int(r["cards"]), "card"))
            blocks.append(("bullet", t("top_line", text=what, group=int(r["group"]), dots=dots)))
    blocks += _most_voted(summary, chart_png)
    cross = [theme for theme in summary.synthesis if len(theme["tables"]) >= 2]
    blocks.append(("h1", t("cross")))
    if cross:
        room = any(theme.get("history") for theme in cross)  # the room's synthesis, not the machine's alone
        blocks.append(("p", t("cross_intro_room" if room else "cross_intro", limit=CARDS_PER_THEME)))
        for theme in cross:
            blocks.append(("h2", f"{theme['title']} — {theme['provenance']}"))
            if theme.get("history"):
                blocks.append(("after", theme["history"].capitalize() + "."))
            shown = representative(theme["cards"], CARDS_PER_THEME)
            for card in shown:
                line = t(
                    "theme_card", group=card["group"], family=t.family(card["family"]), text=card["text"]
                )
                blocks.append(("bullet", line))
            if len(theme["cards"]) > len(shown):
                blocks.append(("after", more_cards(summary, len(theme["cards"]) - len(shown)) + "."))
    else:
        blocks.append(("p", t("no_cross")))
    blocks.append(("h1", t("essentials")))
    ess = summary.essentials
    for number in summary.by_group.index:
        blocks.append(("h2", summary.group_name(number)))
        mine = ess[ess["group"] == number] if len(ess) else ess
        if not len(mine):
            blocks.append(("p", t("no_essential")))
        for _, e in mine.iterrows():
            dots = t.dots(int(e["votes"]), int(e["votes_table"]), int(e["votes_plenary"]), within=True)
            blocks.append(
                (
                    "bullet",
                    t(
                        "essential_line",
                        family=t.family(e["family"]),
                        what=essential_name(summary, e),
                        dots=dots,
                    ),
                )
            )
    blocks += _plenary(summary, chart_png)
    blocks += plan.blocks(summary)  # « Plan d'action »: nothing without a plan (reports/plan.py)
    blocks.append(("h1", t("commitments")))
    if len(summary.commitments):
        for _, c in summary.commitments.iterrows():
            who = ", ".join(str(x) for x in (c["author"], c["organisation"]) if isinstance(x, str) and x)
            line = t("commitment_line", text=c["text"], group=c["group"])
            blocks.append(("bullet", line + (f" ({who})" if who else "")))
    else:
        blocks.append(("p", t("no_commitment")))
    blocks.append(("h1", t("timeline")))
    if "deroule" in chart_png:
        blocks.append(("chart", chart_png["deroule"]))
    else:
        blocks.append(("p", t("no_card")))
    listed = summary.annex_cards  # withheld cards marked, or left out (Summary.hidden)
    omitted = len(listed) < len(summary.cards)
    blocks.append(("h1", t("appendix_omitted" if omitted else "appendix")))
    family_order = listed["family"].map({f: i for i, f in enumerate(summary.families)})
    ordered = listed.assign(family_order=family_order).sort_values(
        ["group", "family_order", "seq"], kind="stable"
    )  # the workshop's family order, as everywhere else
    titles = {family: t.family(family) for family in ordered["family"].unique()}
    by_table = {number: [] for number in summary.by_group.index}
    header = list(t("annex_header"))
    columns = [ordered["group"], ordered["family"], annex_texts(summary, ordered), ordered["votes"]]
    if summary.plenary_dots:  # a column for the plenary's share of each card's dots ("–": none)
        header.append(t("annex_plenary"))
        columns.append(ordered["votes_plenary"])
    # One pass over the cards (not a filter and iterrows per table: 100 tables × 10,000 cards).
    for number, family, text, votes, *plenary in zip(*columns, strict=True):
        row = [titles[family], text, str(int(votes))]
        if plenary:
            row.append(str(int(plenary[0])) if plenary[0] else NONE)
        by_table.setdefault(number, []).append(row)
    names = summary.frames.groups.set_index("number")["name"]
    if not len(ordered):
        blocks.append(("p", t("no_card")))
        return blocks
    for number in summary.by_group.index:
        rows = by_table[number]
        name = str(names.get(number, f"Table {number}"))
        if not rows:  # a heading over nothing reads like a missing table
            blocks.append(("h2", name))
            blocks.append(("p", t("no_card_here")))
            continue
        blocks.append(("h2", f"{name} — {t.plural(len(rows), 'card')}"))
        blocks.append(("table", (header, rows)))
    return blocks


NONE = "–"  # an annex cell with no plenary dot
PLENARY_SHOWN = 15  # essentials listed in « Priorités de la plénière » (each table's list has them all)


MOST_VOTED_SHOWN = 10  # lines of « Les plus votées », the bars of its chart


def _most_voted(summary, chart_png) -> list:
    """« Les plus votées »: the cards and the tables' themes ranked together by their dots, then the
    chart of the same lines (same ranks, same names, same dots); nothing when nobody voted."""
    ranking = summary.most_voted
    if not len(ranking):
        return []
    t = summary.wording
    intro = t("most_voted_intro_plenary" if summary.plenary_dots else "most_voted_intro")
    paper = paper_dots_sentence(summary)  # the dots typed in by the référents are among these
    blocks = [
        ("h1", t("most_voted")),
        ("p", f"{intro} {t('most_voted_paper', paper=paper)}" if paper else intro),
    ]
    for _, r in ranking.head(MOST_VOTED_SHOWN).iterrows():
        line = t(
            "most_voted_line", rank=int(r["rank"]), what=essential_name(summary, r),
            table=summary.group_name(int(r["group"])), family=t.family(r["family"]),
            dots=t.dots(int(r["votes"]), int(r["votes_table"]), int(r["votes_plenary"]), within=True),
            tie=t("tie") if r["tie"] else "",
        )  # fmt: skip
        blocks.append(("bullet", line))
    if len(ranking) > MOST_VOTED_SHOWN:
        rest = len(ranking) - MOST_VOTED_SHOWN
        dots = t.plural(int(ranking["votes"].iloc[-1]), "dot")
        blocks.append(("after", t("most_voted_more", rest=t.plural(rest, "other_card"), dots=dots)))
    if "plus-votees" in chart_png:
        blocks.append(("chart", chart_png["plus-votees"]))
    return blocks


def _plenary(summary, chart_png) -> list:
    """« Priorités de la plénière »: the essentials of every table ranked by the room's dots (ties « ex
    æquo »), then its chart; nothing when nobody cast a plenary dot."""
    ranking = summary.plenary
    if not summary.plenary_dots or not len(ranking):
        return []
    t = summary.wording
    people = plenary_people(summary)
    blocks = [
        ("h1", t("plenary")),
        (
            "p",
            t("plenary_intro", dots=t.plural(summary.plenary_dots, "dot"), people=t.plural(people, "person")),
        ),
    ]
    for _, e in ranking.head(PLENARY_SHOWN).iterrows():
        line = t(
            "plenary_line", rank=int(e["rank"]), what=essential_name(summary, e), group=int(e["group"]),
            family=t.family(e["family"]), dots=t.plural(int(e["votes_plenary"]), "dot"),
            tie=t("tie") if e["tie"] else "",
        )  # fmt: skip
        blocks.append(("bullet", line))
    if len(ranking) > PLENARY_SHOWN:
        rest = t.plural(len(ranking) - PLENARY_SHOWN, "other_essential")
        blocks.append(("after", t("plenary_more", rest=rest)))
    if "priorites-pleniere" in chart_png:
        blocks.append(("chart", chart_png["priorites-pleniere"]))
    return blocks


STYLES = {
    "title": "Title",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "p": None,
    "after": None,
    "bullet": "List Bullet",
}
ANNEX_WIDTHS = (Cm(3.0), Cm(11.5), Cm(2.5))
ANNEX_WIDTHS_PLENARY = (Cm(3.0), Cm(8.6), Cm(2.7), Cm(2.7))  # with « Dont en plénière »
ANNEX_SIZE = Pt(9)
TOP_SHOWN = 10  # most voted cards listed per family (report.json keeps every tie)


class _Body:
    """Appends paragraphs and tables to the document body quickly.

    python-docx looks a style up by name at every `add_paragraph` (a scan of every style: 1 ms, so 13 s
    for the 10,000 bullets of a large workshop) and `add_row` rebuilds the table grid at each row. Here
    the first paragraph of each style and the first row of each table go through python-docx; the others
    are copies of that element with their text replaced (same XML as python-docx writes)."""

    def __init__(self, document):
        self.document = document
        self.end = document.element.body.sectPr  # new blocks go before the section properties
        self.templates = {}

    def _insert(self, element):
        if self.end is None:
            self.document.element.body.append(element)
        else:
            self.end.addprevious(element)

    def paragraph(self, text, kind):
        text = xml_safe(text)
        template = self.templates.get(kind)
        if template is None or not text or "\n" in text or "\t" in text:
            if kind == "title":
                made = self.document.add_heading(text, level=0)
            else:
                made = self.document.add_paragraph(text, style=STYLES[kind])
            if template is None and text and "\n" not in text and "\t" not in text:
                self.templates[kind] = made._p
            return
        element = deepcopy(template)
        element.find(f"{W}r/{W}t").text = text
        self._insert(element)

    def keep_last_with_next(self):
        """Keep the last paragraph on the page of the next one (Word's « paragraphes solidaires »)."""
        last = self.document.element.body[-1] if self.end is None else self.end.getprevious()
        if last is not None and last.tag == f"{W}p":
            last.get_or_add_pPr().keepNext_val = True

    def table(self, header, rows):
        """One table, header row repeated at the top of each page, rows never split across pages."""
        rows = [[xml_safe(cell) for cell in row] for row in rows]
        widths = ANNEX_WIDTHS if len(header) == len(ANNEX_WIDTHS) else ANNEX_WIDTHS_PLENARY
        table = self.document.add_table(rows=2, cols=len(header))
        table.autofit = False
        table.style = "Light Grid Accent 1"
        for cells, texts in ((table.rows[0].cells, header), (table.rows[1].cells, rows[0])):
            for cell, text, width in zip(cells, texts, widths, strict=True):
                cell.text = text
                cell.width = width
                cell.paragraphs[0].runs[0].font.size = ANNEX_SIZE
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        if look is not None:  # the style's bold first column would break « Contributions » in two
            look.set(qn("w:firstColumn"), "0")
            look.set(qn("w:val"), "0420")
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        head, first = table.rows[0]._tr, table.rows[1]._tr
        head.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        first.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        tbl = table._tbl
        simple = all(cell and "\n" not in cell and "\t" not in cell for cell in rows[0])
        for row in rows[1:]:
            if not simple or any(not cell or "\n" in cell or "\t" in cell for cell in row):
                cells = table.add_row().cells  # rare: python-docx writes breaks and empty cells
                for cell, text, width in zip(cells, row, widths, strict=True):
                    cell.text = text
                    cell.width = width
                    for run in cell.paragraphs[0].runs:
                        run.font.size = ANNEX_SIZE
                continue
            element = deepcopy(first)
            for t, text in zip(element.iter(f"{W}t"), row, strict=True):
                t.text = text
            tbl.append(element)


PLAN_WIDTHS = (Cm(4.6), Cm(3.6), Cm(2.2), Cm(3.2), Cm(3.4))  # action, who, due, indicator, origin


def plan_table(document, header, rows) -> None:
    """An axis of the « Plan d'action »: one row an action, each cell its lines (the action's title in
    bold), the header repeated on each page, rows never split."""
    table = document.add_table(rows=1, cols=len(header))
    table.autofit = False
    table.style = "Light Grid Accent 1"
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420")
    for column, width in zip(table.columns, PLAN_WIDTHS, strict=True):
        column.width = width
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text, width in zip(table.rows[0].cells, header, PLAN_WIDTHS, strict=True):
        cell.width = width
        run = cell.paragraphs[0].add_run(xml_safe(text))
        run.font.size, run.font.bold = ANNEX_SIZE, True
    for row in rows:
        made = table.add_row()
        made._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for c, (cell, lines, width) in enumerate(zip(made.cells, row, PLAN_WIDTHS, strict=True)):
            cell.width = width
            for i, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(2)
                run = paragraph.add_run(xml_safe(line))
                run.font.size = Pt(10) if c == 0 and i == 0 else ANNEX_SIZE
                run.font.bold = c == 0 and i == 0
    document.add_paragraph()  # air before the next axis


def write(summary, path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2))
    base = document.styles["Normal"]
    base.font.name = "Calibri"
    base.font.size = Pt(11)
    words = summary.wording
    document.core_properties.title = xml_safe(words("report_title", title=summary.workshop["title"]))
    document.core_properties.language = words.core_language
    for lang in document.styles.element.iter(qn("w:lang")):  # the proofing language (Word's template: en-US)
        lang.set(qn("w:val"), words.core_language)
    body = _Body(document)
    for kind, payload in outline(summary):
        if kind == "subtitle":
            p = document.add_paragraph(xml_safe(payload))
            p.runs[0].font.color.rgb = RGBColor(0x4A, 0x4A, 0x4A)
        elif kind in STYLES:
            if kind == "after":
                body.keep_last_with_next()
            body.paragraph(payload, kind)
        elif kind == "chart":
            paragraph = document.add_paragraph()  # what document.add_picture does, without a pass
            paragraph.add_run().add_picture(io.BytesIO(payload), width=Cm(16))  # over every paragraph
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            header, rows = payload
            if rows:
                body.table(header, rows)
        elif kind == "plan_table":
            plan_table(document, *payload)
    document.add_paragraph(words.colon(words("produced_by")) + f" {summary.workshop['code']}")
    document.save(path)
