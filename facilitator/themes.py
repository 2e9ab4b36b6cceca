"""Themes: titled groups of cards at one table, made by the table's référent (or the facilitator).

Create with a title and cards, rename, add and remove cards, dissolve. Each change records ONE event
(`theme:created`, `theme:updated`, `theme:dissolved`) for the boards and the theme's table, carrying the
theme with the ids of its cards: a client sets each card's `theme` from it. Idempotent on `client_id`.
"""

from sqlalchemy import delete, select

from facilitator import votes
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.events import record_event
from facilitator.families import theme_filings
from facilitator.models import Card, Essential, Theme, Workshop, isoformat
from facilitator.moderation import MAX_MERGE, _essentials_changed, moderated_card
from facilitator.replies import finish, stored_reply
from facilitator.textsafety import clean_typed
from facilitator.workshops import find_group, snapshot_part

TITLE_LIMIT = 200


def clean_title(title) -> str:
    """A theme's title (a table's, or a cross-table one of the Synthèse): `clean_typed`, not empty, short."""
    title = clean_typed(title)
    if not title:
        raise DomainError("empty_title")
    if len(title) > TITLE_LIMIT:
        raise DomainError("title_too_long", limit=TITLE_LIMIT)
    return title


def _moderator(workshop: Workshop, viewer: Viewer):
    if viewer is None or viewer.workshop_id != workshop.id or viewer.role not in ("referent", "facilitator"):
        raise DomainError("forbidden", status=403)


def _theme_cards(session, theme: Theme) -> list[Card]:
    return list(
        session.scalars(
            select(Card)
            .where(Card.theme_id == theme.id, Card.status.in_(("visible", "hidden")))
            .order_by(Card.seq)
        )
    )


def theme_to_dict(session, theme: Theme, group_number: int) -> dict:
    """`family`: the family it is filed under (votes, essentials): the chosen one (`family_chosen`), else
    its earliest visible card's; None while it has no visible card."""
    cards = _theme_cards(session, theme)
    visible = [card for card in cards if card.status == "visible"]
    return {
        "id": theme.id,
        "title": theme.title,
        "group": group_number,
        "cards": [card.id for card in cards],
        "family": (theme.family or visible[0].family) if visible else None,
        "family_chosen": theme.family is not None,
        "created_at": isoformat(theme.created_at),
    }


def find_theme(session, workshop: Workshop, viewer: Viewer, theme_id) -> Theme:
    """Return a theme this viewer may change, or refuse (`unknown_theme`, `not_your_table`)."""
    _moderator(workshop, viewer)
    theme = (
        session.get(Theme, theme_id) if isinstance(theme_id, int) and not isinstance(theme_id, bool) else None
    )
    if theme is None or theme.workshop_id != workshop.id:
        raise DomainError("unknown_theme", status=404)
    if viewer.role != "facilitator" and theme.group_id != viewer.group_id:
        raise DomainError("not_your_table", status=403)
    return theme


def _cards_for(session, workshop, viewer, card_ids, group_id) -> list[Card]:
    ids = list(dict.fromkeys(card_ids))
    if len(ids) > MAX_MERGE:
        raise DomainError("invalid_payload", problem=f"at most {MAX_MERGE} cards at once")
    cards = [moderated_card(session, workshop, viewer, card_id) for card_id in ids]
    if any(card.group_id != group_id for card in cards):
        raise DomainError("mixed_tables")
    return cards


def _group_of(workshop, theme_or_id):
    group_id = theme_or_id if isinstance(theme_or_id, int) else theme_or_id.group_id
    return next(g for g in workshop.groups if g.id == group_id)


def _publish(session, workshop, theme, type_, client_id, joined=()):
    """Record the theme's event; `joined`: the cards that just joined it, whose table dots move to it."""
    group = _group_of(workshop, theme)
    session.flush()
    body = theme_to_dict(session, theme, group.number)
    event = record_event(session, workshop, type_, {"theme": body}, group)
    events = [event, *votes.move_dots_to_theme(session, workshop, theme, group, list(joined))]
    return finish(session, workshop, client_id, events, {"ok": True, "theme": body})


def create_theme(
    session,
    workshop: Workshop,
    viewer: Viewer,
    title: str,
    card_ids: list,
    *,
    group_number=None,
    client_id=None,
) -> dict:
    """Group cards of one table under a title. The référent's table, or `group_number` (facilitator)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _moderator(workshop, viewer)
    title = clean_title(title)
    if viewer.role == "facilitator":
        if group_number is None and card_ids:
            # The table of the first card.
            group_id = moderated_card(session, workshop, viewer, card_ids[0]).group_id
        else:
            group_id = find_group(workshop, group_number).id
    else:
        if group_number is not None and group_number != viewer.group_number:
            raise DomainError("not_your_table", status=403)
        group_id = viewer.group_id
    cards = _cards_for(session, workshop, viewer, card_ids, group_id)
    theme = Theme(workshop_id=workshop.id, group_id=group_id, title=title)
    session.add(theme)
    session.flush()
    for card in cards:
        card.theme_id = theme.id
    return _publish(session, workshop, theme, "theme:created", client_id, [c.id for c in cards])


def rename_theme(
    session, workshop: Workshop, viewer: Viewer, theme_id, title: str, *, client_id=None
) -> dict:
    """Give a theme a new title."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    theme = find_theme(session, workshop, viewer, theme_id)
    theme.title = clean_title(title)
    return _publish(session, workshop, theme, "theme:updated", client_id)


def add_theme_cards(
    session, workshop: Workshop, viewer: Viewer, theme_id, card_ids: list, *, client_id=None
) -> dict:
    """Put cards of the theme's table into the theme (out of any other theme)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    theme = find_theme(session, workshop, viewer, theme_id)
    joined = []
    for card in _cards_for(session, workshop, viewer, card_ids, theme.group_id):
        if card.theme_id != theme.id:
            joined.append(card.id)
        card.theme_id = theme.id
    return _publish(session, workshop, theme, "theme:updated", client_id, joined)


def remove_theme_cards(
    session, workshop: Workshop, viewer: Viewer, theme_id, card_ids: list, *, client_id=None
) -> dict:
    """Take cards out of the theme (they stay on the table, in their family)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    theme = find_theme(session, workshop, viewer, theme_id)
    for card in _cards_for(session, workshop, viewer, card_ids, theme.group_id):
        if card.theme_id == theme.id:
            card.theme_id = None
    return _publish(session, workshop, theme, "theme:updated", client_id)


def set_theme_family(
    session, workshop: Workshop, viewer: Viewer, theme_id, family: str | None, *, client_id=None
) -> dict:
    """File a theme (a mixed-family one, typically) under a family of the workshop, under « Transverse »
    (`families.TRANSVERSE`: none of them), or back under its earliest card's (`family` None). Its dots stay; it leaves the essentials of another family
    (`essentials:changed`), as a card moved to another family would not be kept there either."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    theme = find_theme(session, workshop, viewer, theme_id)
    if family is not None and family not in theme_filings(workshop.families):
        raise DomainError("unknown_family")
    theme.family = family
    session.flush()
    group = _group_of(workshop, theme)
    body = theme_to_dict(session, theme, group.number)
    events = [record_event(session, workshop, "theme:updated", {"theme": body}, group)]
    stale = select(Essential.id).where(Essential.theme_id == theme.id, Essential.family != body["family"])
    if session.scalar(stale.limit(1)) is not None:
        session.execute(
            delete(Essential).where(Essential.id.in_(stale)).execution_options(synchronize_session=False)
        )
        session.flush()
        events.extend(_essentials_changed(session, workshop, group))
    return finish(session, workshop, client_id, events, {"ok": True, "theme": body})


def dissolve_theme(session, workshop: Workshop, viewer: Viewer, theme_id, *, client_id=None) -> dict:
    """Dissolve a theme: its cards stay, ungrouped; dots and essentials on the theme go with it."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    theme = find_theme(session, workshop, viewer, theme_id)
    group = _group_of(workshop, theme)
    body = theme_to_dict(session, theme, group.number)
    for card in session.scalars(select(Card).where(Card.theme_id == theme.id)):
        card.theme_id = None
    session.delete(theme)
    session.flush()
    event = record_event(session, workshop, "theme:dissolved", {"theme": body}, group)
    return finish(session, workshop, client_id, [event], {"ok": True, "theme": body})


@snapshot_part
def themes_snapshot(session, workshop: Workshop, group, viewer) -> dict:
    """Snapshot part: `themes` [theme…] of the tables this viewer sees."""
    query = select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.id)
    if group is not None:
        query = query.where(Theme.group_id == group.id)
    tables = [group] if group is not None else workshop.groups  # a phone's join loads its table only
    numbers = {g.id: g.number for g in tables}
    return {"themes": [theme_to_dict(session, t, numbers[t.group_id]) for t in session.scalars(query)]}
