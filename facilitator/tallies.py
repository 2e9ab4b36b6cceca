"""Dots counted per target (« card:12 », « theme:3 »): read by the votes, the essentials and the agenda,
whose end of a hidden-totals vote publishes each table's totals. A module of its own so that the agenda
names them without importing votes.py, which imports the agenda (no import cycle)."""

from sqlalchemy import bindparam, func, select

from facilitator.events import record_event
from facilitator.models import Card, Group, Theme, Vote, Workshop


def _table_targets(group_id):
    """SQL condition on Vote: a dot on one of this table's cards or themes (`workshop_id` bound).

    Without `votes.workshop_id` (a card or theme belongs to one workshop), so SQLite reads the table's
    cards by their index and their dots by votes(card_id) / votes(theme_id), not every dot of the workshop.
    """
    table_cards = select(Card.id).where(
        Card.workshop_id == bindparam("workshop_id"), Card.group_id == group_id
    )
    return Vote.card_id.in_(table_cards) | Vote.theme_id.in_(
        select(Theme.id).where(Theme.group_id == group_id)
    )


def target_key(card_id: int | None = None, theme_id: int | None = None) -> str:
    return f"card:{card_id}" if card_id is not None else f"theme:{theme_id}"


def counts(session, workshop: Workshop, stage: str, group: Group | None = None) -> dict[str, int]:
    """{target key: dots} at this stage, for one table's targets (or every table)."""
    where = _table_targets(group.id) if group is not None else Vote.workshop_id == workshop.id
    query = (
        select(Vote.card_id, Vote.theme_id, func.count(Vote.id))
        .where(Vote.stage == stage, where)
        .group_by(Vote.card_id, Vote.theme_id)
    )
    rows = session.execute(query, {"workshop_id": workshop.id})
    return {target_key(card_id, theme_id): n for card_id, theme_id, n in rows}


def totals_events(session, workshop: Workshop) -> list:
    """The table vote's totals, one `votes:totals` {group, stage: "table", counts: {target: dots}} per
    table (its phones, the boards, its staff): what phones and boards were not told while the totals
    were hidden (`agenda.totals_hidden`). Recorded, so a phone that reconnects later gets them too."""
    return [
        record_event(
            session,
            workshop,
            "votes:totals",
            {"group": group.number, "stage": "table", "counts": counts(session, workshop, "table", group)},
            group,
        )
        for group in workshop.groups
    ]
