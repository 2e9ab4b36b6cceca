"""All cards, one row each, UTF-8 with a BOM so that Excel reads the accents; every text cell goes
through `spreadsheet_safe` (no formula injection).

Two dialects (docs/reports.md, "CSV"): `write` is the data file (`report.csv`: comma, the stable
snake_case columns, UTC ISO times, raw values such as `phone`/`hidden`), which scripts read;
`write_excel` is the file a spreadsheet opens with a double click (`report.csv?excel=1`, the
console's button): `;` in French (Excel in a French locale splits on `;`, a comma is its decimal
mark), readable headers, values in the document's language, local times with their zone."""

import csv
from zoneinfo import ZoneInfo

import pandas as pd

from facilitator.textsafety import spreadsheet_safe
from reports.wording import words

HEADER = list(words("fr")("csv_header"))  # French; `header(summary)` follows the document's language


def header(summary) -> list[str]:
    return list(summary.wording("csv_header"))


def rows(summary) -> list[list]:
    """Every counted card as a list of cells, by table then posting order (vectorised: 10,000 cards)."""
    cards = summary.annex_cards.sort_values(["group", "seq"], kind="stable")  # `status` marks hidden ones
    people = summary.frames.participants.set_index("id")
    names = summary.frames.groups.set_index("number")["name"]
    if summary.workshop["anonymous"]:
        author = organisation = pd.Series("", index=cards.index)
    else:
        author = cards["participant_id"].map(people["name"]).fillna("")
        organisation = cards["participant_id"].map(people["organisation"]).fillna("")
    frame = pd.DataFrame(
        {
            "table": cards["group"].astype(int),
            "name": cards["group"].map(names).fillna("").astype(str),
            "family": cards["family"],
            "text": cards["text"],
            "votes": cards["votes"].astype(int),
            "author": author,
            "organisation": organisation,
            "source": cards["source"],
            "status": cards["status"],
            "merged": cards["merged"].astype(int),
            "created_at": cards["created_at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "Z",
            # after the original columns (never reordered): `votes` is both stages, these split it
            "votes_table": cards["votes_table"].astype(int),
            "votes_plenary": cards["votes_plenary"].astype(int),
        }
    )
    return [[v.item() if hasattr(v, "item") else v for v in row]
            for row in frame.itertuples(index=False, name=None)]  # fmt: skip


def write(summary, path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header(summary))
        for row in rows(summary):
            writer.writerow([spreadsheet_safe(value) for value in row])


ZONE = "Europe/Paris"  # the zone of every time the documents show (the charts' too)
PARIS = ZoneInfo(ZONE)
EXCEL_DELIMITER = {"fr": ";", "en": ","}  # what Excel splits on in that language's usual locale
LOCAL_TIME = {"fr": "%d/%m/%Y %H:%M:%S", "en": "%Y-%m-%d %H:%M:%S"}  # both read as dates by Excel


def local_times(summary, moments: pd.Series) -> list[str]:
    """UTC moments as the document's language writes a local time in Paris (the zone is in the header)."""
    if moments.dt.tz is None:
        moments = moments.dt.tz_localize("UTC")
    return moments.dt.tz_convert(PARIS).dt.strftime(LOCAL_TIME[summary.wording.language]).tolist()


def excel_header(summary) -> list[str]:
    return [h.format(zone=ZONE) for h in summary.wording("excel_header")]


def excel_rows(summary) -> list[list]:
    """The cards as a spreadsheet reader wants them: family labels, « téléphone »/« papier »,
    « visible »/« masquée », the time in Paris (the zone is in the header), both stages of the dots
    next to their total."""
    t = summary.wording
    values = t("excel_values")
    cards = summary.annex_cards.sort_values(["group", "seq"], kind="stable")
    local = local_times(summary, cards["created_at"])
    out = []
    for row, when in zip(rows(summary), local, strict=True):
        (table, name, family, text, votes, author, organisation, source, status, merged, _utc,
         votes_table, votes_plenary) = row  # fmt: skip
        out.append([table, name, t.family(family), text, votes, votes_table, votes_plenary, author, organisation,
                    values.get(source, source), values.get(status, status), merged, when])  # fmt: skip
    return out


def write_excel(summary, path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=EXCEL_DELIMITER[summary.wording.language])
        writer.writerow(excel_header(summary))
        for row in excel_rows(summary):
            writer.writerow([spreadsheet_safe(value) for value in row])
