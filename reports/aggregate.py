"""Pure functions on the DataFrames of `reports.load`: counts, participation, top cards, essentials,
timeline and commitments. No database, no I/O.

Which cards count (docs/decisions.md, "Reports"): visible and hidden cards count (a hidden card was
posted and moderated off the board; it is still a contribution), sealed cards count (the report is
for the organisers), a merged card is folded into the card it was merged into (it is not counted
twice, its dots go to the kept card), deleted cards never count. A hidden card, or one still sealed,
is `withheld`: it counts, but its words never reach the report's body (themes, rankings, essentials,
commitments); only the annex may list it, marked (issue 16).
"""

import pandas as pd

from facilitator.families import TRANSVERSE

COUNTED = ("visible", "hidden")
PAPER_AUTHOR = "papier"
UNKNOWN_ORGANISATION = "non renseignée"


def kept_id(cards: pd.DataFrame) -> dict:
    """Map every card id to the id of the card that represents it after merges (itself if unmerged)."""
    target = dict(zip(cards["id"], cards["merged_into_id"], strict=True))
    resolved = {}
    for card_id in target:
        seen, current = set(), card_id
        while pd.notna(target.get(current)) and current not in seen:
            seen.add(current)
            current = int(target[current])
        resolved[card_id] = current
    return resolved


def counted_cards(cards: pd.DataFrame) -> pd.DataFrame:
    """The cards a reader counts, with `merged` (how many cards were folded into each)."""
    kept = kept_id(cards)
    merged = cards[cards["status"] == "merged"]["id"].map(kept).value_counts()
    counted = cards[cards["status"].isin(COUNTED)].copy()
    counted["merged"] = counted["id"].map(merged).fillna(0).astype(int)
    sealed = counted["sealed"].fillna(False).astype(bool) if "sealed" in counted else False
    counted["withheld"] = (counted["status"] == "hidden") | sealed
    return counted.reset_index(drop=True)


PLENARY = "plenary"
STAGES = ("table", PLENARY)  # report columns `votes_table`, `votes_plenary`; `votes` is both


def at_stage(votes: pd.DataFrame, stage: str | None) -> pd.DataFrame:
    """The dots of one stage ("table" or "plenary"), or every dot (None). A dot whose stage is not
    "plenary" was cast at the table (the column's default)."""
    if stage is None:
        return votes
    plenary = votes["stage"] == PLENARY
    return votes[plenary if stage == PLENARY else ~plenary]


def card_votes(cards: pd.DataFrame, votes: pd.DataFrame, stage: str | None = None) -> pd.Series:
    """Dots per card id (of one stage, or both), dots on merged cards moved to the kept card."""
    on_cards = at_stage(votes, stage).dropna(subset=["card_id"])
    kept = kept_id(cards)
    ids = on_cards["card_id"].astype(int).map(lambda i: kept.get(i, i))
    return ids.value_counts()


def theme_votes(votes: pd.DataFrame, stage: str | None = None) -> pd.Series:
    return at_stage(votes, stage).dropna(subset=["theme_id"])["theme_id"].astype(int).value_counts()


def with_votes(cards: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """The counted cards with `votes` (every dot) and `votes_table` / `votes_plenary` (each stage's)."""
    counted = counted_cards(cards)
    for stage in STAGES:
        dots = card_votes(cards, votes, stage)
        counted[f"votes_{stage}"] = counted["id"].map(dots).fillna(0).astype(int)
    counted["votes"] = counted["votes_table"] + counted["votes_plenary"]
    return counted


def by_family(counted: pd.DataFrame, families: list) -> pd.Series:
    return counted["family"].value_counts().reindex(families, fill_value=0).astype(int)


def by_group(counted: pd.DataFrame, groups: pd.DataFrame, families: list) -> pd.DataFrame:
    """Tables × families, every table and family present, with a `total` column."""
    table = pd.crosstab(counted["group"], counted["family"]) if len(counted) else pd.DataFrame()
    table = table.reindex(index=list(groups["number"]), columns=families, fill_value=0).fillna(0).astype(int)
    table.index.name = "group"
    table["total"] = table.sum(axis=1)
    return table


def by_organisation(
    counted: pd.DataFrame, participants: pd.DataFrame, families: list, anonymous: bool = False
) -> pd.DataFrame:
    """Organisation types × families; paper cards and people who gave none are named as such. No row in
    an anonymous workshop: its report breaks nothing down by who posted (docs/privacy.md)."""
    if anonymous:
        counted = counted.iloc[0:0]
    organisation = participants.set_index("id")["organisation"]
    org = counted["participant_id"].map(organisation)
    org = org.where(org.notna() & (org != ""), UNKNOWN_ORGANISATION)
    org = org.where(counted["source"] != "paper", PAPER_AUTHOR)
    table = pd.crosstab(org, counted["family"]) if len(counted) else pd.DataFrame()
    table = table.reindex(columns=families, fill_value=0).fillna(0).astype(int)
    table.index.name = "organisation"
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False, kind="stable")


def by_step(counted: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """Cards per agenda step (cards posted in free mode under `hors étape`)."""
    titles = steps.set_index("id")["title"]
    step = counted["step_id"].map(titles).fillna("hors étape")
    order = list(steps["title"]) + ["hors étape"]
    counts = step.value_counts().reindex(order).dropna().astype(int)
    return counts.rename_axis("step").rename("cards").reset_index()


def participation(cards: pd.DataFrame, participants: pd.DataFrame) -> dict:
    """Who posted and how much. A duplicate merged into another card was still posted by its author: the
    people who posted and their cards per person count it (deleted cards were taken back, they do not);
    `phone` and `paper` are the counted cards, as in every total."""
    counted = counted_cards(cards)
    phone = counted[counted["source"] != "paper"]
    posted = cards[(cards["source"] != "paper") & cards["status"].isin(COUNTED + ("merged",))]
    per_person = posted["participant_id"].dropna().astype(int).value_counts()
    people = len(participants)
    posters = int(per_person.size)
    return {
        "participants": people,
        "posted": posters,
        "share_posted": round(posters / people, 3) if people else 0.0,
        "cards_per_person": round(len(phone) / people, 2) if people else 0.0,
        "cards_per_poster_median": float(per_person.median()) if posters else 0.0,
        "cards_per_poster_max": int(per_person.max()) if posters else 0,
        "phone": int(len(phone)),
        "paper": int((counted["source"] == "paper").sum()),
    }


def rank(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Sort by votes (then posting order) and keep `limit` rows plus every row tied with the last one.

    `rank` is the competition rank: two cards with the same dots share it."""
    ordered = frame[frame["votes"] > 0].sort_values(["votes", "seq"], ascending=[False, True], kind="stable")
    ordered = ordered.assign(rank=ordered["votes"].rank(method="min", ascending=False).astype(int))
    if len(ordered) > limit:
        ordered = ordered[ordered["votes"] >= ordered["votes"].iloc[limit - 1]]
    return ordered.reset_index(drop=True)


def top_cards(cards: pd.DataFrame, votes: pd.DataFrame, families: list, limit: int = 5) -> dict:
    """Family → the most voted visible cards (hidden cards are off the board, so off the podium)."""
    voted = with_votes(cards, votes)
    voted = voted[~voted["withheld"]]
    return {family: rank(voted[voted["family"] == family], limit) for family in families}


def top_themes(
    themes: pd.DataFrame, cards: pd.DataFrame, votes: pd.DataFrame, limit: int = 5
) -> pd.DataFrame:
    frame = themes.copy()
    for stage in STAGES:
        frame[f"votes_{stage}"] = frame["id"].map(theme_votes(votes, stage)).fillna(0).astype(int)
    frame["votes"] = frame["votes_table"] + frame["votes_plenary"]
    counted = counted_cards(cards)
    frame["cards"] = frame["id"].map(counted["theme_id"].value_counts()).fillna(0).astype(int)
    frame["seq"] = frame["id"]
    return rank(frame, limit)


def transverse_themes(frames) -> pd.DataFrame:
    """The tables' themes their référent filed « Transverse » (under none of the families), with a card
    to show, most dots first (then the earlier theme): `id`, `group`, `title`, `cards` (visible and
    hidden ones, as they count), `votes`, `votes_table`, `votes_plenary`."""
    columns = ["id", "group", "title", "cards", "votes", "votes_table", "votes_plenary"]
    themes = frames.themes
    if not len(themes) or "family" not in themes:
        return pd.DataFrame(columns=columns)
    chosen = themes[themes["family"] == TRANSVERSE].copy()
    counted = counted_cards(frames.cards)
    chosen["cards"] = chosen["id"].map(counted["theme_id"].value_counts()).fillna(0).astype(int)
    chosen = chosen[chosen["cards"] > 0]
    for stage in STAGES:
        chosen[f"votes_{stage}"] = chosen["id"].map(theme_votes(frames.votes, stage)).fillna(0).astype(int)
    chosen["votes"] = chosen["votes_table"] + chosen["votes_plenary"]
    ordered = chosen.sort_values(["votes", "id"], ascending=[False, True], kind="stable")
    return ordered[columns].reset_index(drop=True)


def most_voted(frames, limit: int = 10) -> pd.DataFrame:
    """Cards and themes ranked together by their dots (both stages): the visible cards and the tables'
    themes (a theme's dots are its own, its cards' are theirs), `limit` rows plus the ties with the
    last; `kind` card|theme, a theme's family and order those of its earliest card (the board files it
    there), `rank` the competition rank and `tie` when it is shared."""
    voted = with_votes(frames.cards, frames.votes)
    cards = voted[~voted["withheld"]]
    rows = pd.DataFrame(
        {
            "kind": "card",
            "id": cards["id"].astype(int),
            "text": cards["text"],
            "group": cards["group"].astype(int),
            "family": cards["family"],
            "votes": cards["votes"].astype(int),
            "votes_table": cards["votes_table"].astype(int),
            "votes_plenary": cards["votes_plenary"].astype(int),
            "seq": cards["seq"],
        }
    )
    themes = frames.themes.copy()
    if len(themes):
        for stage in STAGES:
            themes[f"votes_{stage}"] = (
                themes["id"].map(theme_votes(frames.votes, stage)).fillna(0).astype(int)
            )
        inside = counted_cards(frames.cards).dropna(subset=["theme_id"]).sort_values("seq", kind="stable")
        first = inside.groupby("theme_id").first()
        themes = pd.DataFrame(
            {
                "kind": "theme",
                "id": themes["id"].astype(int),
                "text": themes["title"],
                "group": themes["group"].astype(int),
                # the référent's filing (a family, « transverse »), else its earliest card's
                "family": themes["family"].where(themes["family"].notna(), themes["id"].map(first["family"])),
                "votes": themes["votes_table"] + themes["votes_plenary"],
                "votes_table": themes["votes_table"],
                "votes_plenary": themes["votes_plenary"],
                "seq": themes["id"].map(first["seq"]).fillna(float("inf")),
            }
        )
        rows = pd.concat([rows, themes[themes["family"].notna()]], ignore_index=True)
    ranked = rank(rows, limit)
    return ranked.assign(tie=ranked["rank"].map(ranked["rank"].value_counts()) > 1)


def essentials(frames) -> pd.DataFrame:
    """Each table's essentials in order, with their text (card text or theme title), their dots
    (`votes`: both stages, `votes_table`, `votes_plenary`) and `seq` (the card's, a theme's earliest
    card's: the order among equal dots, as everywhere)."""
    withheld = counted_cards(frames.cards)
    withheld = set(withheld[withheld["withheld"]]["id"].astype(int))
    ess = frames.essentials[~frames.essentials["card_id"].isin(withheld)].copy()  # words off the body
    cards = frames.cards.set_index("id")
    themes = frames.themes.set_index("id")
    dots = {
        stage: (card_votes(frames.cards, frames.votes, stage), theme_votes(frames.votes, stage))
        for stage in STAGES
    }
    theme_seq = frames.cards[frames.cards["status"].isin(COUNTED)].groupby("theme_id")["seq"].min()

    def describe(row):
        if pd.notna(row["card_id"]):
            cid = int(row["card_id"])
            per_stage = [int(dots[stage][0].get(cid, 0)) for stage in STAGES]
            return "card", cards["text"].get(cid, ""), *per_stage, cards["seq"].get(cid, float("inf"))
        tid = int(row["theme_id"]) if pd.notna(row["theme_id"]) else None
        if tid is None:
            return "theme", "", 0, 0, float("inf")
        per_stage = [int(dots[stage][1].get(tid, 0)) for stage in STAGES]
        return "theme", themes["title"].get(tid, ""), *per_stage, theme_seq.get(tid, float("inf"))

    columns = ["kind", "text", "votes_table", "votes_plenary", "seq"]
    described = ess.apply(describe, axis=1, result_type="expand") if len(ess) else None
    if described is None:
        return ess.assign(**{name: [] for name in [*columns, "votes"]})
    ess[columns] = described
    for name in ("votes_table", "votes_plenary"):
        ess[name] = ess[name].astype(int)
    ess["votes"] = ess["votes_table"] + ess["votes_plenary"]
    order = {family: i for i, family in enumerate(frames.workshop["families"])}
    ess["family_order"] = ess["family"].map(order).fillna(len(order))
    ess = ess.sort_values(["group", "family_order", "position"], kind="stable").drop(columns="family_order")
    return ess.reset_index(drop=True)


def plenary(ess: pd.DataFrame) -> pd.DataFrame:
    """The room's priorities: the essentials with at least one plenary dot, most plenary dots first (then
    the earlier card, as every ranking), `rank` the competition rank (1, 2, 2, 4) and `tie` when it is
    shared (« ex æquo »). Empty when nobody cast a plenary dot."""
    if not len(ess):
        return ess.assign(rank=[], tie=[])
    voted = ess[ess["votes_plenary"] > 0]
    ordered = voted.sort_values(["votes_plenary", "seq"], ascending=[False, True], kind="stable")
    ranks = ordered["votes_plenary"].rank(method="min", ascending=False).astype(int)
    shared = ordered["votes_plenary"].map(ordered["votes_plenary"].value_counts()) > 1
    return ordered.assign(rank=ranks, tie=shared).reset_index(drop=True)


def timeline(counted: pd.DataFrame, families: list, freq: str = "1min") -> pd.DataFrame:
    """Cards per minute and family, from the first card to the last (empty minutes as zeros)."""
    if counted.empty:
        return pd.DataFrame(columns=families)
    minute = counted["created_at"].dt.floor(freq)
    table = pd.crosstab(minute, counted["family"]).reindex(columns=families, fill_value=0)
    full = pd.date_range(table.index.min(), table.index.max(), freq=freq)
    table = table.reindex(full, fill_value=0).astype(int)
    table.index.name = "minute"
    return table


def commitments(counted: pd.DataFrame, participants: pd.DataFrame, anonymous: bool) -> pd.DataFrame:
    """The `contributions` family as a list: what each person or table commits to do."""
    rows = counted[counted["family"] == "contributions"].sort_values(["group", "seq"], kind="stable")
    people = participants.set_index("id")
    frame = pd.DataFrame(
        {
            "group": rows["group"].astype(int),
            "text": rows["text"],
            "author": None if anonymous else rows["participant_id"].map(people["name"]),
            "organisation": None if anonymous else rows["participant_id"].map(people["organisation"]),
            "source": rows["source"],
        }
    )
    return frame.reset_index(drop=True)
