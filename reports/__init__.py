"""The compte rendu: a workshop read from the database, aggregated with pandas, written in every
format. Never imports Flask or Socket.IO (tests/test_reports.py checks it)."""

from dataclasses import dataclass, field

import pandas as pd

from reports import aggregate, plan
from reports.load import Frames, UnknownWorkshop, load

__all__ = ["Summary", "UnknownWorkshop", "aggregate_frames", "build_summary"]


@dataclass
class Summary:
    frames: Frames
    cards: pd.DataFrame  # counted cards with their dots
    by_family: pd.Series
    by_group: pd.DataFrame
    by_organisation: pd.DataFrame
    by_step: pd.DataFrame
    participation: dict
    top: dict  # family → DataFrame
    top_themes: pd.DataFrame
    essentials: pd.DataFrame
    timeline: pd.DataFrame
    commitments: pd.DataFrame
    synthesis: list = field(default_factory=list)  # cross-table themes
    language: str | None = None  # the document's language: None = the workshop's (reports.wording)
    hidden: str = "marked"  # the annex lists withheld cards marked (« masquée ») or "omitted"
    _charts: dict = field(default_factory=dict, repr=False)

    @property
    def body_cards(self) -> pd.DataFrame:
        """The counted cards the report's body may quote: not hidden, not still sealed (`withheld`).
        Withheld cards count in the totals; their words stay out of themes, lists and rankings."""
        return self.cards[~self.cards["withheld"]]

    @property
    def annex_cards(self) -> pd.DataFrame:
        """The cards the annex lists: every counted card (withheld ones marked), or only the body's when
        the workshop (or the report's `hidden` option) says "omitted"."""
        return self.body_cards if self.hidden == "omitted" else self.cards

    @property
    def wording(self):
        """The compte rendu's words (reports.wording) in `language`, else the workshop's, else French."""
        from reports.wording import words

        return words(self.language or self.frames.workshop.get("language"))

    def chart_png(self, dpi=150) -> dict:
        """Chart name → PNG, drawn once per summary and resolution (every writer shares them)."""
        if dpi not in self._charts:
            from reports import charts

            self._charts[dpi] = charts.all_png(self, dpi)
        return self._charts[dpi]

    @property
    def plenary(self) -> pd.DataFrame:
        """The room's priorities: the essentials ranked by their plenary dots (aggregate.plenary); empty
        when nobody cast a plenary dot."""
        return aggregate.plenary(self.essentials)

    @property
    def transverse(self) -> pd.DataFrame:
        """The themes filed « Transverse » (aggregate.transverse_themes): their own group after the
        families in the documents."""
        if "transverse" not in self._charts:
            self._charts["transverse"] = aggregate.transverse_themes(self.frames)
        return self._charts["transverse"]

    @property
    def most_voted(self) -> pd.DataFrame:
        """« Les plus votées »: cards and themes ranked together (aggregate.most_voted), computed once."""
        if "most_voted" not in self._charts:
            self._charts["most_voted"] = aggregate.most_voted(self.frames)
        return self._charts["most_voted"]

    @property
    def plenary_dots(self) -> int:
        """How many dots were cast in plenary (0: the documents have no « Priorités de la plénière »)."""
        return int((self.frames.votes["stage"] == aggregate.PLENARY).sum())

    @property
    def workshop(self) -> dict:
        return self.frames.workshop

    @property
    def families(self) -> list:
        return self.frames.workshop["families"]

    def group_name(self, number) -> str:
        groups = self.frames.groups
        names = groups.set_index("number")["name"]
        return str(names.get(number, f"Table {number}"))

    def paper_dots_by_group(self) -> dict:
        """{table number: dots cast for the table's paper participants (both stages)}."""
        people = self.frames.participants
        paper = people[people["paper"].astype(bool)].set_index("id")["group"]
        if not len(paper):
            return {}
        votes = self.frames.votes
        tables = votes["participant_id"].map(paper).dropna().astype(int)
        return {int(n): int(count) for n, count in tables.value_counts().items()}

    def to_report(self) -> dict:
        """report.json: the public contract's keys, then the richer sections."""
        w = self.workshop
        participants_by_group = self.frames.participants["group"].value_counts()
        paper_dots = self.paper_dots_by_group()
        by_group = []
        for number, row in self.by_group.iterrows():
            ess = self.essentials[self.essentials["group"] == number] if len(self.essentials) else []
            by_group.append(
                {
                    "number": int(number),
                    "name": self.group_name(number),
                    "participants": int(participants_by_group.get(number, 0)),
                    "votes_paper": int(paper_dots.get(number, 0)),
                    "cards": int(row["total"]),
                    "by_family": {f: int(row[f]) for f in self.families},
                    "essentials": [
                        {
                            "family": e["family"],
                            "position": int(e["position"]),
                            "kind": e["kind"],
                            "text": e["text"],
                            "votes": int(e["votes"]),
                            "source": e["source"],
                            "votes_table": int(e["votes_table"]),
                            "votes_plenary": int(e["votes_plenary"]),
                        }
                        for _, e in (ess.iterrows() if len(ess) else [])
                    ],
                }
            )
        return {
            "workshop": {
                "code": w["code"],
                "title": w["title"],
                "question": w["question"],
                "language": w["language"],
                "template": w["template"],
                "families": self.families,
                "created_at": w["created_at"],
            },
            "totals": {
                "participants": int(len(self.frames.participants)),
                "cards": int(len(self.cards)),
                "votes": int(len(self.frames.votes)),
                "merged": int((self.frames.cards["status"] == "merged").sum()),
                "hidden": int((self.cards["status"] == "hidden").sum()),
                "deleted": int((self.frames.cards["status"] == "deleted").sum()),
                "votes_table": int(len(self.frames.votes)) - self.plenary_dots,
                "votes_plenary": self.plenary_dots,
                # Dots the référents cast for people without a phone (both stages), and those people.
                "votes_paper": int(sum(paper_dots.values())),
                "participants_paper": int(self.frames.participants["paper"].sum()),
            },
            "by_family": {f: int(n) for f, n in self.by_family.items()},
            "by_group": by_group,
            "top": {
                family: [
                    {
                        "text": r["text"],
                        "votes": int(r["votes"]),
                        "group": int(r["group"]),
                        "rank": int(r["rank"]),
                        "id": int(r["id"]),
                        "votes_table": int(r["votes_table"]),
                        "votes_plenary": int(r["votes_plenary"]),
                    }
                    for _, r in frame.iterrows()
                ]
                for family, frame in self.top.items()
            },
            "top_themes": [
                {
                    "title": r["title"],
                    "votes": int(r["votes"]),
                    "group": int(r["group"]),
                    "rank": int(r["rank"]),
                    "votes_table": int(r["votes_table"]),
                    "votes_plenary": int(r["votes_plenary"]),
                }
                for _, r in self.top_themes.iterrows()
            ],
            "transverse": [
                {
                    "id": int(r["id"]),
                    "title": r["title"],
                    "group": int(r["group"]),
                    "cards": int(r["cards"]),
                    "votes": int(r["votes"]),
                    "votes_table": int(r["votes_table"]),
                    "votes_plenary": int(r["votes_plenary"]),
                }
                for _, r in self.transverse.iterrows()
            ],
            "most_voted": [
                {
                    "rank": int(r["rank"]),
                    "tie": bool(r["tie"]),
                    "kind": r["kind"],
                    "id": int(r["id"]),
                    "text": r["text"],
                    "group": int(r["group"]),
                    "family": r["family"],
                    "votes": int(r["votes"]),
                    "votes_table": int(r["votes_table"]),
                    "votes_plenary": int(r["votes_plenary"]),
                }
                for _, r in self.most_voted.iterrows()
            ],
            "plenary": [
                {
                    "rank": int(r["rank"]),
                    "tie": bool(r["tie"]),
                    "kind": r["kind"],
                    "id": int(r["card_id"] if r["kind"] == "card" else r["theme_id"]),
                    "text": r["text"],
                    "group": int(r["group"]),
                    "family": r["family"],
                    "votes_plenary": int(r["votes_plenary"]),
                    "votes_table": int(r["votes_table"]),
                    "votes": int(r["votes"]),
                }
                for _, r in self.plenary.iterrows()
            ],
            "participation": self.participation,
            "by_organisation": {
                str(org): {"cards": int(row["total"]), **{f: int(row[f]) for f in self.families}}
                for org, row in self.by_organisation.iterrows()
            },
            "by_step": [{"step": r["step"], "cards": int(r["cards"])} for _, r in self.by_step.iterrows()],
            "timeline": [
                {
                    "minute": minute.isoformat().replace("+00:00", "Z"),
                    **{f: int(row[f]) for f in self.families},
                }
                for minute, row in self.timeline.iterrows()
            ],
            "commitments": [
                {k: (None if pd.isna(v) else (int(v) if k == "group" else v)) for k, v in r.items()}
                for _, r in self.commitments.iterrows()
            ],
            "themes": self.synthesis,
            "plan": plan.to_json(self),  # the action plan (issue 14): {"actions", "volunteers", "axes"}
        }


HIDDEN_MODES = ("marked", "omitted")


def build_summary(
    session, code, *, synthesis: bool = True, language: str | None = None, hidden: str | None = None
) -> Summary:
    """Read the workshop with this join code (or id) and aggregate it. Raises UnknownWorkshop.
    `language` ("fr" or "en") overrides the workshop's for the document's words; `hidden` ("marked" or
    "omitted") the workshop's `report_hidden`, how the annex treats hidden cards."""
    frames = load(session, code)
    summary = aggregate_frames(frames)
    summary.language = language
    chosen = hidden or frames.workshop.get("report_hidden")
    summary.hidden = chosen if chosen in HIDDEN_MODES else "marked"
    cards = summary.body_cards  # hidden and sealed cards never reach the synthesis
    if synthesis and len(cards):
        from reports import edited_themes
        from reports.synthesis import cross_table_themes

        stored = edited_themes.load_themes(session, frames.workshop["id"])  # the "Synthèse" page's edits
        written_in = frames.workshop.get("language") or "fr"  # the cards' language, not the document's
        if stored:
            summary.synthesis = edited_themes.synthesis(
                stored,
                cards,
                total_tables=len(frames.groups),
                language=written_in,
                withheld=summary.cards[summary.cards["withheld"]],
            )
        else:
            summary.synthesis = cross_table_themes(
                cards, total_tables=len(frames.groups), language=written_in
            )
        localise_themes(summary)
    return summary


def localise_themes(summary) -> None:
    """The themes' provenance (and the automatic « Autres remarques » title) in the document's language."""
    from reports.synthesis import OTHER_TITLE

    words = summary.wording
    total = len(summary.frames.groups)
    for theme in summary.synthesis:
        theme["provenance"] = words.provenance(len(theme["tables"]), total)
        if theme.get("origin") is not None:  # the room's synthesis: « proposé par la machine, renommé »
            theme["history"] = words.history(theme)
        if theme["title"] == OTHER_TITLE and not theme.get("edited"):
            theme["title"] = words("other_remarks")


def aggregate_frames(frames: Frames) -> Summary:
    """The summary of loaded frames, without the synthesis (reports.bench times each phase)."""
    families = frames.workshop["families"]
    cards = aggregate.with_votes(frames.cards, frames.votes)
    body = cards[~cards["withheld"]]
    summary = Summary(
        frames=frames,
        cards=cards,
        by_family=aggregate.by_family(cards, families),
        by_group=aggregate.by_group(cards, frames.groups, families),
        by_organisation=aggregate.by_organisation(
            cards, frames.participants, families, frames.workshop["anonymous"]
        ),
        by_step=aggregate.by_step(cards, frames.steps),
        participation=aggregate.participation(frames.cards, frames.participants),
        top=aggregate.top_cards(frames.cards, frames.votes, families),
        top_themes=aggregate.top_themes(frames.themes, frames.cards, frames.votes),
        essentials=aggregate.essentials(frames),
        timeline=aggregate.timeline(cards, families),
        commitments=aggregate.commitments(body, frames.participants, frames.workshop["anonymous"]),
    )
    return summary
