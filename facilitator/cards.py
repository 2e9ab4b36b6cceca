"""Cards: posting (idempotent on the client's id) and the rules on family and text."""

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from facilitator.access import Viewer
from facilitator.agenda import check_posting, current_step, sealed_event, sealing_step
from facilitator.errors import DomainError
from facilitator.events import commit_and_publish, next_seq, record_event
from facilitator.models import Card, Workshop, utcnow
from facilitator.textsafety import clean_typed
from facilitator.workshops import find_group

POSTING_ROLES = ("participant", "referent", "facilitator")


def clean_text(text: str, limit: int) -> str:
    """Return the card text as stored (`textsafety.clean_typed`, lines kept); refuse empty or long."""
    text = clean_typed(text, multiline=True)
    if not text:
        raise DomainError("empty_text")
    if len(text) > limit:
        raise DomainError("text_too_long", limit=limit)
    return text


def resend_differs(card: Card, text) -> bool:
    """True when a resend of `card`'s client_id carries another text than the one stored.

    The resend is still answered with the stored card (idempotency on client_id); the ack says so, so
    the phone gives the person their text back instead of losing it silently (docs/protocol.md).
    """
    return clean_typed(text, multiline=True) != card.text


def post_card(
    session,
    workshop: Workshop,
    viewer: Viewer,
    *,
    client_id: str,
    family: str,
    text: str,
    group_number: int | None = None,
    text_limit: int = 280,
) -> tuple[Card, bool]:
    """Post a card at the viewer's table; return it and whether it is new.

    The same `client_id` from the same author answers the stored card, so a phone that resends after a
    lost ack never makes a duplicate. Référents and the facilitator type paper cards.
    """
    if viewer.role not in POSTING_ROLES or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    try:
        card = _new_card(session, workshop, viewer, client_id, family, text, group_number, text_limit)
    except DomainError:
        # A resend of a card taken before (its ack was lost) is answered with it, even when a new card
        # would be refused now (the step ended, the family closed): looked up only then, not for every card.
        existing = _existing(session, workshop, client_id)
        if existing is None:
            raise
        return _same_author(existing, viewer), False
    try:
        _record_card(session, workshop, card, viewer)
    except IntegrityError:  # the unique (workshop, client_id): a resend, or the same card twice at once
        session.rollback()
        existing = _existing(session, workshop, client_id)
        if existing is None:
            raise
        return _same_author(existing, viewer), False
    return card, True


def _new_card(session, workshop, viewer, client_id, family, text, group_number, text_limit) -> Card:
    """The card to insert, or a DomainError (nothing changed)."""
    if family not in workshop.families:
        raise DomainError("unknown_family")
    # The agenda decides: locked workshop, family closed in this step, or the step's time is up (a paper
    # card typed by a référent is still taken until the facilitator changes step).
    check_posting(workshop, family, paper=viewer.role != "participant")
    text = clean_text(text, text_limit)
    step = sealing_step(workshop)
    current = current_step(workshop)
    if viewer.role == "facilitator":
        if group_number is None:
            raise DomainError("group_required")
        group_id = find_group(workshop, group_number).id
    else:
        group_id = viewer.group_id  # the table it joined (no read)
    card = Card(
        workshop_id=workshop.id,
        group_id=group_id,
        participant_id=viewer.participant_id,
        client_id=client_id,
        family=family,
        text=text,
        source="phone" if viewer.role == "participant" else "paper",
        status="visible",
        sealed=step is not None,
        step_id=current.id if current is not None else None,
    )
    return card


# A new card as a plain INSERT, then handed to the session as the row it now is: the unit of work's
# flush was a third of a card's CPU time for one row whose every value is known here.
INSERT_CARD = insert(Card.__table__).returning(Card.__table__.c.id)
CARD_COLUMNS = [column.key for column in Card.__table__.columns if column.key != "id"]


def _record_card(session, workshop, card, viewer):
    card.seq = next_seq(session, workshop.id)
    card.created_at, card.theme_id, card.merged_into_id, card.updated_at = utcnow(), None, None, None
    card.id = session.execute(INSERT_CARD, {key: getattr(card, key) for key in CARD_COLUMNS}).scalar_one()
    make_transient_to_detached(card)
    session.add(card)  # persistent, nothing left to write: its table and author load if asked
    set_committed_value(card, "merged_cards", [])  # a new card has none: no query to find out
    view = card_view(card, viewer, workshop.anonymous)
    if card.sealed:
        # Hidden until reveal: the author alone gets the card (a private event); the boards and the
        # table get `card:sealed`, counts without text or author.
        events = []
        seq = card.seq
        if card.participant_id is not None:
            events.append(
                record_event(
                    session,
                    workshop,
                    "card:added",
                    {"card": view},
                    group_id=card.group_id,
                    seq=card.seq,
                    participant_id=card.participant_id,
                )
            )
            seq = None
        events.append(sealed_event(session, workshop, card, seq=seq))
        commit_and_publish(session, events)
        return
    event = record_event(
        session,
        workshop,
        "card:added",
        {"card": view},
        group_id=card.group_id,
        seq=card.seq,
    )
    commit_and_publish(session, [event])


def card_view(card: Card, viewer: Viewer, anonymous: bool) -> dict:
    """`Card.to_dict` of a card this viewer posted (a new one, or its resend): its author and table are
    the viewer's, known since its join, so neither row is read again."""
    author = viewer.author if viewer.participant_id is not None else (None, None)
    number = viewer.group_number if viewer.role != "facilitator" else None
    return card.to_dict(anonymous=anonymous, author=author, group_number=number)


# Every card runs it (built once: see workshops.WORKSHOP_BY_CODE).
CARD_BY_CLIENT_ID = select(Card).where(
    Card.workshop_id == bindparam("workshop_id"), Card.client_id == bindparam("client_id")
)


def _existing(session, workshop, client_id):
    return session.scalar(CARD_BY_CLIENT_ID, {"workshop_id": workshop.id, "client_id": client_id})


def _same_author(card: Card, viewer: Viewer) -> Card:
    same = (
        card.participant_id == viewer.participant_id
        if viewer.role == "participant"
        else card.participant_id is None
        and (viewer.role == "facilitator" or card.group_id == viewer.group_id)
    )
    if not same:
        raise DomainError("client_id_conflict", status=409)
    return card
