"""The cross-table themes as organisers edited them (facilitator/crossthemes.py, the "Synthèse" page).

When a workshop has stored report themes, the report uses them, in their order and with their titles:
cards deleted or merged since drop out (a theme left empty disappears), and the counted cards in no
stored theme (posted after the proposal) are clustered like the automatic synthesis and appended as
proposals. Provenance ("soulevé par N tables sur M") is recomputed from the cards that remain.
No Flask or Socket.IO imports.
"""

import pandas as pd
from sqlalchemy import select

from facilitator.models import ReportTheme, ReportThemeCard
from reports.load import printable

HISTORY = ("origin", "proposed_by", "renamed", "regrouped")  # what each report.json theme says of its history


def load_themes(session, workshop_id: int) -> list[dict]:
    """The stored themes in order: [{"id", "title", "edited", "cards": [card ids]}] ([] when none)."""
    themes = session.scalars(
        select(ReportTheme)
        .where(ReportTheme.workshop_id == workshop_id)
        .order_by(ReportTheme.position, ReportTheme.id)
    ).all()
    if not themes:
        return []
    members: dict[int, list[int]] = {}
    for theme_id, card_id in session.execute(
        select(ReportThemeCard.theme_id, ReportThemeCard.card_id)
        .where(ReportThemeCard.workshop_id == workshop_id)
        .order_by(ReportThemeCard.card_id)
    ):
        members.setdefault(theme_id, []).append(card_id)
    return [
        {
            "id": t.id,
            "title": printable(t.title),
            "edited": bool(t.edited),
            "cards": members.get(t.id, []),
            **history(t),
        }
        for t in themes
    ]


def history(theme: ReportTheme) -> dict:
    """Where a stored theme comes from (`origin`: machine, facilitator, table; `proposed_by` the table's
    number) and what persons did with it (`renamed`: a machine's title changed; `regrouped`: its cards
    changed by a merge, split, move or a table's attachment). The compte rendu says it (issue 17)."""
    origin = theme.origin or "machine"
    return {
        "origin": origin,
        "proposed_by": theme.proposed_by,
        "renamed": origin == "machine"
        and theme.machine_title is not None
        and theme.title != theme.machine_title,
        "regrouped": bool(theme.regrouped),
    }


def _card(row) -> dict:
    return {
        "id": int(row["id"]),
        "group": int(row["group"]),
        "family": row["family"],
        "text": row["text"],
        "votes": int(row.get("votes", 0)),
    }


def synthesis(
    stored: list[dict],
    counted: pd.DataFrame,
    total_tables: int,
    cluster=None,
    language: str = "fr",
    withheld: pd.DataFrame | None = None,
) -> list[dict]:
    """The report's `themes` from the stored ones and the counted cards (reports.aggregate.with_votes).

    `cluster(counted_rest, total_tables)` groups the cards in no stored theme (default: the automatic
    cross-table synthesis, reading the cards in `language`, the workshop's). `withheld`: the hidden or
    sealed cards, left out of `counted`; a stored title made of one of them (an automatic title is a
    card's text, facilitator.events.made_of) is replaced by one made of the cards that remain."""
    from facilitator.events import made_of
    from reports.synthesis import OTHER_TITLE, provenance, title_for

    hidden_text = (
        {} if withheld is None else dict(zip(withheld["id"].astype(int), withheld["text"], strict=True))
    )

    by_id = {int(row["id"]): row for _, row in counted.iterrows()}
    used, out = set(), []
    for theme in stored:
        ids = [card_id for card_id in theme["cards"] if card_id in by_id and card_id not in used]
        if not ids:
            continue
        used.update(ids)
        rows = sorted((by_id[i] for i in ids), key=lambda r: (int(r["group"]), int(r.get("seq", 0))))
        tables = sorted({int(r["group"]) for r in rows})
        title = theme["title"]
        if any(made_of(title, hidden_text[i]) for i in theme["cards"] if i in hidden_text):
            title = title_for([r["text"] for r in rows], language) or OTHER_TITLE
        out.append(
            {
                "title": title,
                "tables": tables,
                "provenance": provenance(len(tables), total_tables),
                "cards": [_card(r) for r in rows],
                "edited": theme.get("edited", False),
                **{key: theme[key] for key in HISTORY if key in theme},
            }
        )
    rest = counted[~counted["id"].astype(int).isin(used)]
    if len(rest):
        if cluster is None:
            from reports.synthesis import cross_table_themes

            def cluster(rest, total):
                return cross_table_themes(rest, total, language=language)

        for theme in cluster(rest, total_tables):
            # No person saw these: cards posted after the room's synthesis, grouped by the machine now.
            out.append({**theme, "edited": False, "origin": "auto", "proposed_by": None, "renamed": False,
                        "regrouped": False})  # fmt: skip
    return out
