"""All cards, one row each, UTF-8 with a BOM so that Excel reads the accents; every text cell goes
through `spreadsheet_safe` (no formula injection)."""

import csv

import pandas as pd

from facilitator.textsafety import spreadsheet_safe
from reports.wording import words

HEADER = list(words("fr")("csv_header"))  # French; `header(summary)` follows the document's language


def header(summary) -> list[str]:
    return list(summary.wording("csv_header"))


def rows(summary) -> list[list]:
    """Every counted card as a list of cells, by table then posting order (vectorised: 10,000 cards)."""
    cards = summary.cards.sort_values(["group", "seq"], kind="stable")
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
