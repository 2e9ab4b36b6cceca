"""Synthèse: the cross-table themes of the compte rendu, proposed by the machine, edited by organisers.

Not the tables' own themes (facilitator/themes.py, made by référents at one table): these "report
themes" group the counted cards of every table for the report. The facilitator (token) or the
organiser (key) asks for a proposal, then renames, merges, splits and moves cards; the report
(reports/edited_themes.py) uses what is stored. Each card is in at most one report theme.

Computing a proposal is CPU work (spaCy, scikit-learn): it runs in a long-lived `python -m
reports.synthesis --serve` subprocess (facilitator/synthesis/worker.py, the models loaded once), never in
the server process (which never imports reports/). Every refusal raises a
DomainError before anything is changed. Every change records one `synthesis:changed` event in the same
transaction (livesynthesis.py): the facilitator's screens follow it live, the boards while it is projected
(docs/decisions.md, "Live synthesis"). Every answer is the whole synthesis with `projected`.
"""

import logging

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from facilitator import livesynthesis
from facilitator.errors import DomainError
from facilitator.events import commit_and_publish
from facilitator.models import Card, ReportTheme, ReportThemeCard, Theme, Workshop
from facilitator.synthesis.listing import (  # noqa: F401  (the names this module always offered)
    COUNTED,
    LISTED,
    ORGANISER,
    check_editor,
    counted_cards,
    listing,
    provenance,
)
from facilitator.synthesis.listing import assignments as _assignments
from facilitator.synthesis.listing import stored_themes as _themes  # noqa: F401
from facilitator.synthesis.worker import Worker, WorkerError
from facilitator.textsafety import clean_typed
from facilitator.themes import TITLE_LIMIT, clean_title

log = logging.getLogger(__name__)


def answer(session, workshop: Workshop, state: dict | None = None) -> dict:
    """The whole synthesis (`listing`), whether the boards show it and the workshop's `seq` (a page ignores
    the `synthesis:changed` it has already seen)."""
    state = state if state is not None else listing(session, workshop)
    return {**state, "projected": livesynthesis.is_projected(session, workshop), "seq": workshop.seq}


def show(session, workshop: Workshop, editor) -> dict:
    check_editor(workshop, editor)
    return answer(session, workshop)


# --- Proposal ------------------------------------------------------------------------------------------


def proposal_input(session, workshop: Workshop, editor, replace_edited: bool = False) -> list[dict]:
    """The cards to cluster: every counted card a board may read, except those in an edited theme (unless
    replaced). Not a hidden card (nor a sealed one, already out of `counted_cards`): an automatic title is
    a card's text, and the Synthèse is projected; a hidden card stays among the cards in no theme, where
    the organisers may still move it (it counts)."""
    check_editor(workshop, editor)
    kept = set()
    if not replace_edited:
        kept = set(
            session.scalars(
                select(ReportThemeCard.card_id)
                .join(ReportTheme, ReportTheme.id == ReportThemeCard.theme_id)
                .where(ReportThemeCard.workshop_id == workshop.id, ReportTheme.edited.is_(True))
            )
        )
    titles = dict(
        session.execute(select(Theme.id, Theme.title).where(Theme.workshop_id == workshop.id)).all()
    )
    return [
        {
            "id": card.id,
            "table": number,
            "family": card.family,
            "text": card.text,
            # The référent's table theme (issue 17): the proposal merges those of several tables.
            "theme": card.theme_id if card.theme_id in titles else None,
            "theme_title": titles.get(card.theme_id),
        }
        for card, number in counted_cards(session, workshop)
        if card.id not in kept and card.status == "visible"
    ]


def synthesise(cards: list[dict], timeout: float = 300, language: str = "fr") -> list[dict]:
    """Cluster the cards in this process's `python -m reports.synthesis --serve` worker (spaCy and
    scikit-learn never run in the server process; the models load once, at the first proposal); return
    its [{"title", "cards": [indexes], "tables"}]. `language`: the cards' (the workshop's)."""
    if not cards:
        return []
    keys = ("table", "family", "text", "theme", "theme_title")
    worker = synthesis_worker(timeout)
    try:
        return worker.propose([{key: c.get(key) for key in keys} for c in cards], language)
    except (WorkerError, ValueError, OSError) as exc:
        log.error("synthesis worker failed: %s", type(exc).__name__)  # never its text: it may quote a card
        raise DomainError("synthesis_failed", status=500) from exc


_workers: dict[float, Worker] = {}


def synthesis_worker(timeout: float = 300) -> Worker:
    """The server process's worker (one per timeout asked, in practice one)."""
    if timeout not in _workers:
        _workers[timeout] = Worker(timeout=timeout)
    return _workers[timeout]


def store_proposal(
    session, workshop: Workshop, editor, cards: list[dict], proposal: list[dict], replace_edited: bool = False
) -> dict:
    """Replace the unedited themes (every theme with replace_edited) by the proposal.

    `cards` is what `proposal_input` returned, `proposal` the clustering of that list. Cards deleted or
    merged meanwhile, or already in an edited theme, are left out."""
    check_editor(workshop, editor)
    for theme in proposal:
        if not isinstance(theme.get("cards"), list) or any(
            not isinstance(i, int) or not 0 <= i < len(cards) for i in theme["cards"]
        ):
            raise DomainError("synthesis_failed", status=500)
    dropped = select(ReportTheme.id).where(ReportTheme.workshop_id == workshop.id)
    if not replace_edited:
        dropped = dropped.where(ReportTheme.edited.is_(False))
    dropped_ids = list(session.scalars(dropped))
    if dropped_ids:
        session.execute(delete(ReportThemeCard).where(ReportThemeCard.theme_id.in_(dropped_ids)))
        session.execute(delete(ReportTheme).where(ReportTheme.id.in_(dropped_ids)))
    session.flush()
    counted = {card.id for card, _ in counted_cards(session, workshop)}
    taken = set(_assignments(session, workshop.id))
    position = (
        session.scalar(select(func.max(ReportTheme.position)).where(ReportTheme.workshop_id == workshop.id))
        or 0
    )
    for theme in proposal:
        ids = [cards[i]["id"] for i in theme["cards"]]
        ids = [card_id for card_id in dict.fromkeys(ids) if card_id in counted and card_id not in taken]
        if not ids:
            continue
        position += 1
        title = clean_typed(theme.get("title"))[:TITLE_LIMIT] or f"Thème {position}"
        row = ReportTheme(
            workshop_id=workshop.id, title=title, position=position, edited=False, origin="machine",
            machine_title=title,
        )  # fmt: skip
        session.add(row)
        session.flush()
        session.add_all(ReportThemeCard(workshop_id=workshop.id, theme_id=row.id, card_id=i) for i in ids)
        taken.update(ids)
    return _commit(session, workshop, "propose")


def propose(session, workshop: Workshop, editor, replace_edited: bool = False, runner=None) -> dict:
    """Compute a proposal from the workshop's current cards (in a subprocess) and store it.
    `runner(cards)`: the clustering (default: `synthesise` in the workshop's language)."""
    cards = proposal_input(session, workshop, editor, replace_edited)
    workshop_id = workshop.id
    if runner is None:
        language = "en" if workshop.language == "en" else "fr"

        def runner(cards):
            return synthesise(cards, language=language)

    session.close()  # release the connection while the subprocess clusters (seconds)
    proposal = runner(cards)
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise DomainError("unknown_workshop", status=404)
    return store_proposal(session, workshop, editor, cards, proposal, replace_edited)


def _commit(session, workshop: Workshop, change: str) -> dict:
    """Record the change (`synthesis:changed`), commit, publish; return the whole synthesis."""
    try:
        session.flush()
        state = listing(session, workshop)
        event = livesynthesis.record_change(session, workshop, change, state)
        projected, seq = event.payload["projected"], event.seq
        commit_and_publish(session, [event])
    except IntegrityError as exc:  # two proposals or moves at once: the unique (workshop, card) held
        session.rollback()
        raise DomainError("synthesis_busy", status=409) from exc
    return {**state, "projected": projected, "seq": seq}


# --- Edits ---------------------------------------------------------------------------------------------


def find_theme(session, workshop: Workshop, theme_id) -> ReportTheme:
    theme = (
        session.get(ReportTheme, theme_id)
        if isinstance(theme_id, int) and not isinstance(theme_id, bool)
        else None
    )
    if theme is None or theme.workshop_id != workshop.id:
        raise DomainError("unknown_report_theme", status=404)
    return theme


def _theme_card_ids(session, theme: ReportTheme) -> list[int]:
    return list(
        session.scalars(
            select(ReportThemeCard.card_id)
            .join(Card, Card.id == ReportThemeCard.card_id)
            .where(ReportThemeCard.theme_id == theme.id, LISTED)
            .order_by(Card.seq)
        )
    )


def rename(session, workshop: Workshop, editor, theme_id, title) -> dict:
    check_editor(workshop, editor)
    theme = find_theme(session, workshop, theme_id)
    new_title = clean_title(title)
    if theme.title == new_title and theme.edited:
        return answer(session, workshop)  # the same title: nothing changes, nothing is recorded
    theme.title = new_title
    theme.edited = True
    return _commit(session, workshop, "rename")


def merge(session, workshop: Workshop, editor, into_id, from_id, title=None) -> dict:
    """Theme `from` joins theme `into` (A + B → A): its cards move, it disappears. The title of A is
    kept unless a new one is given."""
    check_editor(workshop, editor)
    into = find_theme(session, workshop, into_id)
    source = find_theme(session, workshop, from_id)
    if into.id == source.id:
        raise DomainError("merge_same_theme")
    new_title = clean_title(title) if title is not None and str(title).strip() else None
    session.execute(
        update(ReportThemeCard).where(ReportThemeCard.theme_id == source.id).values(theme_id=into.id)
    )
    session.delete(source)
    if new_title:
        into.title = new_title
    into.edited = True
    into.regrouped = True
    return _commit(session, workshop, "merge")


def split(session, workshop: Workshop, editor, theme_id, card_ids, title) -> dict:
    """Move the chosen cards of a theme to a new theme with this title, placed right after it."""
    check_editor(workshop, editor)
    theme = find_theme(session, workshop, theme_id)
    new_title = clean_title(title)
    chosen = list(dict.fromkeys(card_ids or []))
    if not chosen:
        raise DomainError("invalid_payload", problem="no card chosen")
    present = _theme_card_ids(session, theme)
    if any(card_id not in present for card_id in chosen):
        raise DomainError("card_not_in_theme", status=409)
    if len(chosen) == len(present):
        raise DomainError("split_all_cards")
    session.execute(
        update(ReportTheme)
        .where(ReportTheme.workshop_id == workshop.id, ReportTheme.position > theme.position)
        .values(position=ReportTheme.position + 1)
    )
    row = ReportTheme(
        workshop_id=workshop.id, title=new_title, position=theme.position + 1, edited=True,
        origin="facilitator", regrouped=True,
    )  # fmt: skip
    session.add(row)
    session.flush()
    session.execute(
        update(ReportThemeCard)
        .where(ReportThemeCard.theme_id == theme.id, ReportThemeCard.card_id.in_(chosen))
        .values(theme_id=row.id)
    )
    theme.edited = True
    theme.regrouped = True
    return _commit(session, workshop, "split")


def move_card(session, workshop: Workshop, editor, card_id, theme_id) -> dict:
    """Put one counted card in another theme (also a card in no theme yet). A theme left without any
    card disappears."""
    check_editor(workshop, editor)
    card = session.get(Card, card_id) if isinstance(card_id, int) and not isinstance(card_id, bool) else None
    if card is None or card.workshop_id != workshop.id or card.status not in COUNTED or card.sealed:
        raise DomainError("unknown_card", status=404)
    target = find_theme(session, workshop, theme_id)
    row = session.scalar(
        select(ReportThemeCard).where(
            ReportThemeCard.workshop_id == workshop.id, ReportThemeCard.card_id == card.id
        )
    )
    if row is not None and row.theme_id == target.id:
        return answer(session, workshop)  # already there: nothing to change
    previous = None
    if row is None:
        session.add(ReportThemeCard(workshop_id=workshop.id, theme_id=target.id, card_id=card.id))
    else:
        previous = session.get(ReportTheme, row.theme_id)
        row.theme_id = target.id
    target.edited = target.regrouped = True
    session.flush()
    if previous is not None:
        previous.edited = previous.regrouped = True
        if not _theme_card_ids(session, previous):
            session.execute(delete(ReportThemeCard).where(ReportThemeCard.theme_id == previous.id))
            session.delete(previous)
    return _commit(session, workshop, "move")
