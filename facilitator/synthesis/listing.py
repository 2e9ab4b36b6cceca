"""The synthesis as stored: cross-table themes in order with their counted cards, the cards in no theme,
and, for each table, which of its table themes and loose cards are attached to which cross-table theme.

Shared by crossthemes.py and livesynthesis.py (which used to import each other); imports only models.
"""

from sqlalchemy import select

from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.models import Card, Group, ReportTheme, ReportThemeCard, Theme, Workshop

ORGANISER = "organiser"  # the editor holding the organiser key (no Viewer: the HTTP API)
COUNTED = ("visible", "hidden")  # the cards the report counts (reports/aggregate.py)
# The cards the synthesis lists: counted and no longer sealed (before the reveal nobody but their author
# reads them, not even the organisers here: the Synthèse is often projected).
LISTED = Card.status.in_(COUNTED) & Card.sealed.is_(False)
# Where a cross-table theme comes from (ReportTheme.origin): the machine's proposal, the facilitator
# (by hand, or split off a theme), or a table's référent (`proposed_by` its number).
ORIGINS = ("machine", "facilitator", "table")


def check_editor(workshop: Workshop, editor) -> None:
    """Only this workshop's facilitator or the organiser edits its synthesis."""
    if editor == ORGANISER:
        return
    if isinstance(editor, Viewer) and editor.workshop_id == workshop.id and editor.role == "facilitator":
        return
    raise DomainError("forbidden", status=403)


def provenance(tables: int, total: int) -> str:
    """The report's wording (reports/synthesis.py): "soulevé par 3 tables sur 9"."""
    return f"soulevé par {tables} table{'s' if tables > 1 else ''} sur {total}"


def counted_cards(session, workshop: Workshop) -> list[tuple[Card, int]]:
    """The workshop's counted cards (visible or hidden, not merged, not deleted), once revealed (not
    sealed), with their table number."""
    rows = session.execute(
        select(Card, Group.number)
        .join(Group, Group.id == Card.group_id)
        .where(Card.workshop_id == workshop.id, LISTED)
        .order_by(Card.seq)
    ).all()
    return [(card, number) for card, number in rows]


def assignments(session, workshop_id: int) -> dict[int, int]:
    """card id → report theme id."""
    rows = session.execute(
        select(ReportThemeCard.card_id, ReportThemeCard.theme_id).where(
            ReportThemeCard.workshop_id == workshop_id
        )
    ).all()
    return {card_id: theme_id for card_id, theme_id in rows}


def stored_themes(session, workshop_id: int) -> list[ReportTheme]:
    return list(
        session.scalars(
            select(ReportTheme)
            .where(ReportTheme.workshop_id == workshop_id)
            .order_by(ReportTheme.position, ReportTheme.id)
        )
    )


def card_dict(card: Card, number: int) -> dict:
    return {
        "id": card.id,
        "group": number,
        "family": card.family,
        "text": card.text,
        "status": card.status,
        "table_theme": card.theme_id,
    }


def history(theme: ReportTheme) -> dict:
    """Where the theme comes from and what persons did with it (the compte rendu says it, point 5)."""
    origin = theme.origin or "machine"
    renamed = origin == "machine" and theme.machine_title is not None and theme.title != theme.machine_title
    return {
        "origin": origin,
        "proposed_by": theme.proposed_by,
        "renamed": renamed,
        "regrouped": bool(theme.regrouped),
    }


def listed(theme: ReportTheme, cards: list) -> bool:
    """A theme with no card left is not listed (the report drops it too), but for one a person started
    empty (seeded by the facilitator, proposed by a table) and nobody changed since: the référents attach
    their themes to it."""
    return bool(cards) or ((theme.origin or "machine") != "machine" and not theme.regrouped)


def attachments(session, workshop: Workshop, cards, assigned: dict[int, int]) -> dict[str, dict]:
    """For each table (by group id, as a string: the rooms are named by it): `themes` {table theme id:
    the cross-table theme holding all its listed cards, or None} and `cards` {loose card id: its
    cross-table theme or None}. Ids only: never a card's text."""
    out = {str(group.id): {"themes": {}, "cards": {}} for group in workshop.groups}
    members: dict[int, set] = {}
    for card, _number in cards:
        part = out.get(str(card.group_id))
        if part is None:
            continue
        if card.theme_id is None:
            part["cards"][str(card.id)] = assigned.get(card.id)
        else:
            members.setdefault(card.theme_id, set()).add(assigned.get(card.id))
    for theme_id, group_id in session.execute(
        select(Theme.id, Theme.group_id).where(Theme.workshop_id == workshop.id)
    ):
        places = members.get(theme_id, set())
        part = out.get(str(group_id))
        if part is not None:
            part["themes"][str(theme_id)] = next(iter(places)) if len(places) == 1 else None
    return out


def listing(session, workshop: Workshop) -> dict:
    """The synthesis as stored: themes in order with their counted cards, and the cards in no theme.

    A theme whose cards were all deleted or merged away is not listed (the report drops it too), unless a
    person started it (`listed`)."""
    cards = counted_cards(session, workshop)
    assigned = assignments(session, workshop.id)
    total = len(workshop.groups)
    members: dict[int, list] = {}
    unassigned = []
    for card, number in cards:
        theme_id = assigned.get(card.id)
        if theme_id is None:
            unassigned.append(card_dict(card, number))
        else:
            members.setdefault(theme_id, []).append(card_dict(card, number))
    themes = []
    stored = stored_themes(session, workshop.id)
    for theme in stored:
        theme_cards = members.get(theme.id, [])
        if not listed(theme, theme_cards):
            continue
        tables = sorted({c["group"] for c in theme_cards})
        themes.append(
            {
                "id": theme.id,
                "title": theme.title,
                "edited": bool(theme.edited),
                **history(theme),
                "tables": tables,
                "provenance": provenance(len(tables), total),
                "cards": theme_cards,
            }
        )
    return {
        "proposed": bool(stored),
        "total_tables": total,
        "themes": themes,
        "unassigned": unassigned,
        "attached": attachments(session, workshop, cards, assigned),
    }
