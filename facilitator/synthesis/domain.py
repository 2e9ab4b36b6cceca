"""The collaborative step of the Synthèse (issue 17): the room builds the cross-table themes.

The facilitator seeds them (the machine's proposal, crossthemes.propose, or by hand: `seed_theme`);
during a step of kind « Synthèse » (or with no agenda running) each référent attaches each of its table
themes (all its cards) and its loose cards to a cross-table theme (`attach`), or proposes a new one
(`propose_theme`, marked as proposed by its table). The facilitator merges, splits, renames and orders
(crossthemes.py). A référent only ever touches its own table's themes and cards. Every change is one
`synthesis:changed` (crossthemes._commit), which each référent receives as its table's
`synthesis:outline` (events.referent_view), so reconnects converge. Every refusal is a DomainError
raised before anything changes.
"""

from sqlalchemy import delete, func, select

from facilitator import agenda, crossthemes, livesynthesis
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.events import referent_synthesis
from facilitator.models import Card, ClientRequest, ReportTheme, ReportThemeCard, Theme, Workshop
from facilitator.replies import stored_reply
from facilitator.synthesis.listing import COUNTED, check_editor
from facilitator.themes import clean_title

STEP_KIND = "synthese"  # the agenda step during which the référents attach their themes


def _an_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def synthesis_open(workshop: Workshop) -> bool:
    """Whether référents may attach now: during a « Synthèse » step, or in free mode (no agenda)."""
    if workshop.step_status == "free" or workshop.step_position is None:
        return True
    step = agenda.current_step(workshop)
    return workshop.step_status in ("running", "paused") and step is not None and step.kind == STEP_KIND


def _check_attacher(workshop: Workshop, viewer) -> None:
    """The facilitator (any table), or a référent of this workshop while the step is open."""
    if not isinstance(viewer, Viewer) or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    if viewer.role == "facilitator":
        return
    if viewer.role != "referent":
        raise DomainError("forbidden", status=403)
    if not synthesis_open(workshop):
        raise DomainError("synthesis_closed", status=409)


def _table_theme(session, workshop: Workshop, viewer: Viewer, theme_id) -> Theme:
    theme = session.get(Theme, theme_id) if _an_id(theme_id) else None
    if theme is None or theme.workshop_id != workshop.id:
        raise DomainError("unknown_theme", status=404)
    if viewer.role != "facilitator" and theme.group_id != viewer.group_id:
        raise DomainError("not_your_table", status=403)
    return theme


def _loose_card(session, workshop: Workshop, viewer: Viewer, card_id) -> Card:
    card = session.get(Card, card_id) if _an_id(card_id) else None
    if card is None or card.workshop_id != workshop.id or card.status not in COUNTED or card.sealed:
        raise DomainError("unknown_card", status=404)
    if viewer.role != "facilitator" and card.group_id != viewer.group_id:
        raise DomainError("not_your_table", status=403)
    return card


def _chosen_cards(session, workshop, viewer, table_theme, card) -> list[int]:
    """The counted, unsealed cards to place: every card of the table theme, or the one card."""
    if (table_theme is None) == (card is None):
        raise DomainError("invalid_payload", problem="give a table theme or a card")
    if card is not None:
        return [_loose_card(session, workshop, viewer, card).id]
    theme = _table_theme(session, workshop, viewer, table_theme)
    ids = list(
        session.scalars(
            select(Card.id)
            .where(Card.theme_id == theme.id, Card.status.in_(COUNTED), Card.sealed.is_(False))
            .order_by(Card.seq)
        )
    )
    if not ids:
        raise DomainError("theme_without_cards", status=409)
    return ids


def _place(session, workshop: Workshop, card_ids: list[int], target: ReportTheme | None) -> bool:
    """Put the cards in `target` (None: in no theme); the themes they leave are marked changed, and one
    left without cards disappears (as crossthemes.move_card does). Whether anything changed."""
    rows = {
        row.card_id: row
        for row in session.scalars(
            select(ReportThemeCard).where(
                ReportThemeCard.workshop_id == workshop.id, ReportThemeCard.card_id.in_(card_ids)
            )
        )
    }
    left, changed = set(), False
    for card_id in card_ids:
        row = rows.get(card_id)
        if row is not None and target is not None and row.theme_id == target.id:
            continue
        changed = True
        if row is not None:
            left.add(row.theme_id)
        if target is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ReportThemeCard(workshop_id=workshop.id, theme_id=target.id, card_id=card_id))
        else:
            row.theme_id = target.id
    if not changed:
        return False
    if target is not None:
        target.edited = target.regrouped = True
    session.flush()
    for theme_id in left:
        previous = session.get(ReportTheme, theme_id)
        if previous is None:
            continue
        previous.edited = previous.regrouped = True
        if not crossthemes._theme_card_ids(session, previous):
            session.execute(delete(ReportThemeCard).where(ReportThemeCard.theme_id == previous.id))
            session.delete(previous)
    return True


def _next_position(session, workshop: Workshop) -> int:
    last = session.scalar(
        select(func.max(ReportTheme.position)).where(ReportTheme.workshop_id == workshop.id)
    )
    return (last or 0) + 1


def seed_theme(session, workshop: Workshop, editor, title) -> dict:
    """The facilitator (or organiser) adds a cross-table theme by hand, empty, at the end: the référents
    attach their themes to it. Its title is a person's: a new proposal keeps it."""
    check_editor(workshop, editor)
    row = ReportTheme(
        workshop_id=workshop.id, title=clean_title(title), position=_next_position(session, workshop),
        edited=True, origin="facilitator",
    )  # fmt: skip
    session.add(row)
    return crossthemes._commit(session, workshop, "seed")


def attach(session, workshop: Workshop, viewer: Viewer, theme_id, *, table_theme=None, card=None) -> dict:
    """Put a table theme (all its cards) or a loose card in the cross-table theme `theme_id` (None: in
    none). A référent only its own table's; the same place again changes and records nothing."""
    _check_attacher(workshop, viewer)
    target = None if theme_id is None else crossthemes.find_theme(session, workshop, theme_id)
    ids = _chosen_cards(session, workshop, viewer, table_theme, card)
    if not _place(session, workshop, ids, target):
        return _reply(session, workshop, viewer, crossthemes.answer(session, workshop))
    return _reply(session, workshop, viewer, crossthemes._commit(session, workshop, "attach"))


def propose_theme(
    session, workshop: Workshop, viewer: Viewer, title, *, table_theme=None, card=None, client_id=None
) -> dict:
    """A référent proposes a new cross-table theme, marked as proposed by its table, with its table theme
    (or loose card) in it, or empty; the facilitator may too (then it is its own, by hand). Idempotent on
    `client_id`: a resend after a lost answer creates nothing and answers the synthesis as it is now."""
    _check_attacher(workshop, viewer)
    if stored_reply(session, workshop, client_id) is not None:
        return _reply(session, workshop, viewer, crossthemes.answer(session, workshop))
    title = clean_title(title)
    ids = None
    if table_theme is not None or card is not None:
        ids = _chosen_cards(session, workshop, viewer, table_theme, card)
    by_table = viewer.role == "referent"
    row = ReportTheme(
        workshop_id=workshop.id, title=title, position=_next_position(session, workshop), edited=True,
        origin="table" if by_table else "facilitator", proposed_by=viewer.group_number if by_table else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    if ids:
        _place(session, workshop, ids, row)
        row.regrouped = False  # its first cards are what it was proposed with
    if client_id:
        session.add(ClientRequest(workshop_id=workshop.id, client_id=client_id, reply={"theme": row.id}))
    return _reply(session, workshop, viewer, crossthemes._commit(session, workshop, "table_propose"))


def reorder(session, workshop: Workshop, editor, theme_ids: list) -> dict:
    """The facilitator orders the cross-table themes: `theme_ids` first in this order, the others after."""
    check_editor(workshop, editor)
    wanted = list(dict.fromkeys(theme_ids or []))
    themes = [crossthemes.find_theme(session, workshop, i) for i in wanted]
    rest = [t for t in crossthemes._themes(session, workshop.id) if t.id not in set(wanted)]
    ordered = themes + rest
    if [t.position for t in ordered] == list(range(1, len(ordered) + 1)):
        return crossthemes.answer(session, workshop)
    for position, theme in enumerate(ordered, start=1):
        theme.position = position
    return crossthemes._commit(session, workshop, "reorder")


def _reply(session, workshop: Workshop, viewer: Viewer, state: dict) -> dict:
    """The answer: the whole synthesis for the facilitator; for a référent only its table's outline
    (never the cards of another table)."""
    if viewer.role != "referent":
        return state
    outline = referent_synthesis(livesynthesis.summary(session, workshop, state), viewer.group_id)
    return {"synthesis_outline": outline, "seq": state["seq"]}


def outline(session, workshop: Workshop, viewer: Viewer) -> dict:
    """What a référent's console shows now (the facilitator: the whole synthesis)."""
    if not isinstance(viewer, Viewer) or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    if viewer.role not in ("referent", "facilitator"):
        raise DomainError("forbidden", status=403)
    return _reply(session, workshop, viewer, crossthemes.answer(session, workshop))
