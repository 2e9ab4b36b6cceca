"""All cards, one row each, UTF-8 with a BOM so that Excel reads the accents; every text cell goes
through `spreadsheet_safe` (no formula injection)."""

import csv

import pandas as pd

from facilitator.textsafety import spreadsheet_safe

HEADER = ["table", "nom_table", "famille", "texte", "votes", "auteur", "organisation", "source", "statut",
          "fusionnees", "cree_le"]  # fmt: skip


def rows(summary):
    people = summary.frames.participants.set_index("id")
    anonymous = summary.workshop["anonymous"]
    for _, card in summary.cards.sort_values(["group", "seq"], kind="stable").iterrows():
        pid = card["participant_id"]
        known = pd.notna(pid) and not anonymous and int(pid) in people.index
        yield [
            int(card["group"]),
            summary.group_name(card["group"]),
            card["family"],
            card["text"],
            int(card["votes"]),
            (people.at[int(pid), "name"] or "") if known else "",
            (people.at[int(pid), "organisation"] or "") if known else "",
            card["source"],
            card["status"],
            int(card["merged"]),
            card["created_at"].isoformat().replace("+00:00", "Z"),
        ]


def write(summary, path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in rows(summary):
            writer.writerow([spreadsheet_safe(value) for value in row])
