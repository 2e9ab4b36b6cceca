"""Each table's essentials: what it keeps, up to `essentials_per_family` cards or themes per family.

The référent (or the facilitator) sets a family's essentials as an ordered list — marking, unmarking
and reordering are all one `set_essentials` — or takes them from the table's vote (`essentials_from_votes`:
the top N by dots, ties broken by the earlier card and shown). Every change records one
`essentials:changed` {group, essentials: [...]} with the table's whole list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from facilitator.agenda import run_over, voting_state
from facilitator.errors import DomainError
from facilitator.events import commit_and_publish, record_event
from facilitator.families import theme_filings
from facilitator.models import Card, Essential, Group, Theme, Workshop
from facilitator.votes import (
    counts,
    hiding,
    parse_key,
    rankings,
    reads_without_totals,
    table_ranking,
    target_key,
    theme_cards,
    theme_family,
    votable_card,
)
from facilitator.workshops import find_group, snapshot_part

if TYPE_CHECKING:
    from facilitator.access import Viewer


def _table(workshop: Workshop, viewer: Viewer, group_number: int | None) -> Group:
    """The table this viewer may choose essentials for: the référent's own, any for the facilitator."""
    if viewer is None or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    if viewer.role == "referent":
        if group_number is not None and group_number != viewer.group_number:
            raise DomainError("forbidden", status=403)
        return find_group(workshop, viewer.group_number)
    if viewer.role == "facilitator":
        if group_number is None:
            raise DomainError("group_required")
        return find_group(workshop, group_number)
    raise DomainError("forbidden", status=403)


def essentials_of(session, workshop: Workshop, group: Group) -> list[dict]:
    """The table's essentials in order (family by family, as the workshop lists them)."""
    return essentials_by_table(session, workshop, [group])[str(group.number)]


def essentials_by_table(session, workshop: Workshop, tables: list[Group]) -> dict[str, list[dict]]:
    """{table number: essentials_of(table)} for several tables, in the same few queries however many
    tables there are (a board's snapshot, `essentials:list` asked by every phone when the plenary opens)."""
    numbers = {table.id: table.number for table in tables}
    found: dict[str, list[dict]] = {str(number): [] for number in numbers.values()}
    if not numbers:
        return found
    rows = session.scalars(
        select(Essential)
        .where(Essential.workshop_id == workshop.id, Essential.group_id.in_(numbers))
        .order_by(Essential.position, Essential.id)
    ).all()
    if not rows:  # most tables, most of the time: no count queries for nothing
        return found
    one = tables[0] if len(tables) == 1 else None  # one table: count its targets only
    totals = counts(session, workshop, "table", one)
    plenary = counts(session, workshop, "plenary", one)
    card_ids = [row.card_id for row in rows if row.card_id is not None]
    theme_ids = [row.theme_id for row in rows if row.theme_id is not None]
    texts = {}
    if card_ids:
        texts.update(
            (target_key(card_id), text)
            for card_id, text in session.execute(select(Card.id, Card.text).where(Card.id.in_(card_ids)))
        )
    if theme_ids:
        texts.update(
            (target_key(theme_id=theme_id), title)
            for theme_id, title in session.execute(
                select(Theme.id, Theme.title).where(Theme.id.in_(theme_ids))
            )
        )
    order = {family: index for index, family in enumerate(theme_filings(workshop.families))}
    for row in sorted(rows, key=lambda r: (order.get(r.family, 99), r.position)):
        key = target_key(row.card_id, row.theme_id)
        number = numbers[row.group_id]
        found[str(number)].append(
            {
                "group": number,
                "family": row.family,
                "target": key,
                "card_id": row.card_id,
                "theme_id": row.theme_id,
                "text": texts.get(key, ""),
                "position": row.position,
                "source": row.source,
                "votes": totals.get(key, 0),
                "plenary_votes": plenary.get(key, 0),
            }
        )
    return found


def _check_target(session, workshop, group, family, card_id, theme_id):
    if card_id is not None:
        card = session.get(Card, card_id)
        if card is None or card.group_id != group.id or not votable_card(card):
            raise DomainError("unknown_target", status=404)
        if card.family != family:
            raise DomainError("invalid_payload", problem="a card is kept in its own family")
        return
    theme = session.get(Theme, theme_id)
    if theme is None or theme.group_id != group.id or not theme_cards(session, theme):
        raise DomainError("unknown_target", status=404)
    if theme_family(session, theme) != family:
        raise DomainError("invalid_payload", problem="a theme is kept in its own family")


def _replace(session, workshop, group, family, targets, source):
    session.execute(delete(Essential).where(Essential.group_id == group.id, Essential.family == family))
    for position, (card_id, theme_id) in enumerate(targets):
        session.add(
            Essential(
                workshop_id=workshop.id,
                group_id=group.id,
                family=family,
                card_id=card_id,
                theme_id=theme_id,
                position=position,
                source=source,
            )
        )
    session.flush()


def _publish(session, workshop, group):
    essentials = essentials_of(session, workshop, group)
    # In plenary every phone votes on every table's essentials: the whole workshop hears the change.
    audience = None if voting_state(workshop) == "plenary" else group
    payload = {"group": group.number, "essentials": essentials, **hiding(workshop, "table")}
    event = record_event(session, workshop, "essentials:changed", payload, audience)
    commit_and_publish(session, [event])
    return essentials


def set_essentials(
    session,
    workshop: Workshop,
    viewer: Viewer,
    *,
    family: str,
    card_ids: list[int] | None = None,
    theme_ids: list[int] | None = None,
    targets: list[str] | None = None,
    group_number: int | None = None,
) -> list[dict]:
    """Set a family's essentials of a table, in order (an empty list unmarks them all); return the table's.

    `targets` (["card:12", "theme:3"]) mixes cards and themes in one order — how the console reorders a
    family's essentials; `card_ids` or `theme_ids` alone still work."""
    group = _table(workshop, viewer, group_number)
    if family not in theme_filings(workshop.families):  # « Transverse »: themes only (_check_target)
        raise DomainError("unknown_family")
    if sum(bool(x) for x in (card_ids, theme_ids, targets)) > 1:
        raise DomainError("invalid_payload", problem="give card_ids, theme_ids or targets, one of them")
    if targets:
        targets = [parse_key(key) for key in targets]
    else:
        targets = [(i, None) for i in card_ids or []] + [(None, i) for i in theme_ids or []]
    if len(set(targets)) != len(targets):
        raise DomainError("invalid_payload", problem="the same card twice")
    if len(targets) > workshop.essentials_per_family:
        raise DomainError("essentials_full", status=409, limit=workshop.essentials_per_family)
    for card_id, theme_id in targets:
        _check_target(session, workshop, group, family, card_id, theme_id)
    _replace(session, workshop, group, family, targets, "referent")
    return _publish(session, workshop, group)


def essentials_from_votes(
    session,
    workshop: Workshop,
    viewer: Viewer,
    *,
    family: str | None = None,
    group_number: int | None = None,
) -> dict:
    """Keep the top `essentials_per_family` of each family (or one) by the table's dots.

    Only cards and themes with at least one dot are kept. A tie at the cut is broken by the earlier card
    and reported in `ties`: {family: [entries left out with as many dots as the last one kept]}.
    Returns {"essentials": [...the table's...], "ranking": {family: ranked}, "ties": {...}}.
    """
    group = _table(workshop, viewer, group_number)
    if family is not None and family not in theme_filings(workshop.families):
        raise DomainError("unknown_family")
    limit = workshop.essentials_per_family
    ranking = table_ranking(session, workshop, group)
    families = [family] if family is not None else theme_filings(workshop.families)
    ties = {}
    for name in families:
        voted = [entry for entry in ranking.get(name, []) if entry["votes"] > 0]
        kept, left_out = voted[:limit], voted[limit:]
        if kept and left_out and left_out[0]["votes"] == kept[-1]["votes"]:
            ties[name] = [e for e in left_out if e["votes"] == kept[-1]["votes"]]
        _replace(session, workshop, group, name, [(e["card_id"], e["theme_id"]) for e in kept], "vote")
    essentials = _publish(session, workshop, group)
    return {"essentials": essentials, "ranking": ranking, "ties": ties}


def plenary_essentials(session, workshop: Workshop, viewer: Viewer) -> dict:
    """Every table's essentials with the plenary counts: for phones once the plenary vote opens.

    Boards and the facilitator may ask at any time; others while the plenary vote is open and once the
    run is over (`agenda.run_over`: the phone's thank-you shows the plenary's result); before the
    plenary, a phone sees its own table only.
    """
    if viewer is None or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    if not viewer.sees_every_table and voting_state(workshop) != "plenary" and not run_over(workshop):
        raise DomainError("voting_closed", status=409)
    return {
        "essentials": essentials_by_table(session, workshop, list(workshop.groups)),
        "counts": counts(session, workshop, "plenary"),
    }


@snapshot_part
def essentials_snapshot(session, workshop: Workshop, group: Group | None, viewer) -> dict:
    """Snapshot part "essentials": {table number: [...]} for every table (boards, facilitator, and
    everyone during the plenary vote), the viewer's own table otherwise; "ranking" of the tables seen."""
    every = group is None or voting_state(workshop) == "plenary"
    tables = list(workshop.groups) if every else [group]
    part = {
        "essentials": essentials_by_table(session, workshop, tables),
        "essentials_limit": workshop.essentials_per_family,
    }
    hidden = reads_without_totals(workshop, viewer)  # « Totaux cachés pendant le vote »: no table totals
    if hidden:
        for entries in part["essentials"].values():
            for entry in entries:
                entry["votes"] = None
    if (viewer is None or viewer.role in ("referent", "facilitator", "board")) and not hidden:
        seen = list(workshop.groups) if group is None else [group]
        part["ranking"] = {
            str(number): ranked for number, ranked in rankings(session, workshop, seen).items()
        }
    return part
