"""Moderating cards: edit, hide and restore, move to another family, merge duplicates, delete; and the
table's "ready" signal.

Who may do what: a participant edits and deletes their own cards at their own table, while the card's
family is still open for posting; the référent moderates its own table; the facilitator moderates every
table; the board only reads. Every change records ONE event (`card:updated` with the whole card,
`group:ready`) for the boards and the card's table — whose phones never read a hidden card's text,
only its author does (see `card_event`) — and is idempotent on an optional `client_id`: a
resend (an outbox after a lost ack) gets the stored reply and changes nothing.
"""

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from facilitator import livesynthesis
from facilitator.access import Viewer
from facilitator.agenda import posting_open, sealed_event, voting_state
from facilitator.cards import clean_text
from facilitator.errors import DomainError
from facilitator.essentials import essentials_of
from facilitator.events import commit_and_publish, record_event
from facilitator.models import Card, ClientRequest, Essential, Vote, Workshop, utcnow
from facilitator.workshops import find_group, snapshot_part

MODERATORS = ("referent", "facilitator")
MAX_MERGE = 50


# --- Idempotent requests -----------------------------------------------------------------------------


def stored_reply(session, workshop: Workshop, client_id: str | None) -> dict | None:
    """The reply given to an earlier request with this `client_id`, or None."""
    if not client_id:
        return None
    request = session.scalar(
        select(ClientRequest).where(
            ClientRequest.workshop_id == workshop.id, ClientRequest.client_id == client_id
        )
    )
    return dict(request.reply) if request is not None else None


def finish(session, workshop: Workshop, client_id: str | None, events: list, reply: dict) -> dict:
    """Keep the reply under `client_id`, commit, publish the events; a concurrent twin gets the first reply."""
    if client_id:
        session.add(ClientRequest(workshop_id=workshop.id, client_id=client_id, reply=reply))
    try:
        commit_and_publish(session, events)
    except IntegrityError:
        session.rollback()
        earlier = stored_reply(session, workshop, client_id)
        if earlier is None:
            raise
        return earlier
    return reply


# --- Who may touch a card ----------------------------------------------------------------------------


def _check_viewer(workshop: Workshop, viewer: Viewer):
    if viewer is None or viewer.workshop_id != workshop.id or viewer.role == "board":
        raise DomainError("forbidden", status=403)


def find_card(session, workshop: Workshop, card_id) -> Card:
    """Return a card of this workshop that still exists (not deleted), or refuse with `unknown_card`."""
    card = session.get(Card, card_id) if isinstance(card_id, int) and not isinstance(card_id, bool) else None
    if card is None or card.workshop_id != workshop.id or card.status == "deleted":
        raise DomainError("unknown_card", status=404)
    return card


def moderated_card(session, workshop: Workshop, viewer: Viewer, card_id, *, author_may=False) -> Card:
    """Return the card if this viewer may change it, or refuse.

    `author_may`: the participant who wrote the card may do this too (edit, delete) while its family is
    still open for posting. A card still sealed (hidden until reveal) can only be changed by its author:
    nobody else has read it.
    """
    _check_viewer(workshop, viewer)
    card = find_card(session, workshop, card_id)
    if viewer.role != "facilitator" and card.group_id != viewer.group_id:
        raise DomainError("not_your_table", status=403)
    if viewer.role == "participant":
        if not author_may or card.participant_id != viewer.participant_id:
            raise DomainError("forbidden", status=403)
        if card.status != "visible" or not posting_open(workshop, card.family):
            raise DomainError("editing_closed", status=409)
    elif viewer.role not in MODERATORS:
        raise DomainError("forbidden", status=403)
    elif card.sealed:
        raise DomainError("card_sealed", status=409)
    if card.status == "merged":
        raise DomainError("card_merged", status=409)
    return card


def card_event(session, workshop: Workshop, card: Card, extra: dict | None = None):
    """Record the `card:updated` of a change: to the boards and the table, or to the author alone while
    the card is sealed (the others only ever hear the sealed counts).

    A hidden card reaches the staff (the facilitator, the table's référent) and its author whole; the
    boards and the table's other phones get `{"id", "group", "status": "hidden"}` (`events.table_view`).
    """
    payload = {"card": card.to_dict(anonymous=workshop.anonymous), **(extra or {})}
    if card.sealed:
        return record_event(
            session, workshop, "card:updated", payload, card.group, participant_id=card.participant_id
        )
    authors = (card.participant_id,) if card.status == "hidden" and card.participant_id else ()
    return record_event(session, workshop, "card:updated", payload, card.group, authors=authors)


def _changed(session, workshop, card: Card, client_id, extra_events=()):
    card.updated_at = utcnow()
    session.flush()
    session.expire(card, ["merged_cards"])
    events = [card_event(session, workshop, card), *extra_events]
    reply = {"ok": True, "card": card.to_dict(anonymous=workshop.anonymous)}
    return finish(session, workshop, client_id, events, reply)


def _unchanged(workshop, card: Card) -> dict:
    return {"ok": True, "card": card.to_dict(anonymous=workshop.anonymous)}


# --- Card operations ---------------------------------------------------------------------------------


def edit_card(
    session, workshop: Workshop, viewer: Viewer, card_id, text: str, *, client_id=None, text_limit=280
) -> dict:
    """Change a card's text (its author while the family is open, the table's référent, the facilitator)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id, author_may=True)
    text = clean_text(text, text_limit)
    if text == card.text:
        return _unchanged(workshop, card)
    card.text = text
    return _changed(session, workshop, card, client_id)


def set_card_hidden(
    session, workshop: Workshop, viewer: Viewer, card_id, hidden: bool, *, client_id=None
) -> dict:
    """Hide a card from the table and the board (référent, facilitator), or restore it.

    Hiding takes the card out of its table's essentials (restoring does not put it back); for a card of
    the Synthèse, both record a `synthesis:changed` (a title made of the card leaves the boards at once).
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id)
    status = "hidden" if hidden else "visible"
    if card.status == status:
        return _unchanged(workshop, card)
    card.status = status
    card.updated_at = utcnow()
    session.flush()
    session.expire(card, ["merged_cards"])
    events = [card_event(session, workshop, card)]
    if hidden:
        events.extend(_leave_essentials(session, workshop, card))
    events.extend(livesynthesis.card_moderated(session, workshop, card))
    reply = {"ok": True, "card": card.to_dict(anonymous=workshop.anonymous)}
    return finish(session, workshop, client_id, events, reply)


def _leave_essentials(session, workshop: Workshop, card: Card) -> list:
    """A hidden (or deleted) card stops being one of its table's essentials (the board shows them with
    their text, the plenary votes on them): `essentials:changed` with the table's list, when it was one."""
    if session.scalar(select(Essential.id).where(Essential.card_id == card.id).limit(1)) is None:
        return []
    session.execute(delete(Essential).where(Essential.card_id == card.id))
    session.flush()
    essentials = essentials_of(session, workshop, card.group)
    # As `essentials.set_essentials` does: everyone hears it while the plenary vote is open.
    audience = None if voting_state(workshop) == "plenary" else card.group
    payload = {"group": card.group.number, "essentials": essentials}
    return [record_event(session, workshop, "essentials:changed", payload, audience)]


def move_card(session, workshop: Workshop, viewer: Viewer, card_id, family: str, *, client_id=None) -> dict:
    """Move a card to another family of the workshop (référent, facilitator)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id)
    if family not in workshop.families:
        raise DomainError("unknown_family")
    if card.family == family:
        return _unchanged(workshop, card)
    card.family = family
    return _changed(session, workshop, card, client_id)


def delete_card(session, workshop: Workshop, viewer: Viewer, card_id, *, client_id=None) -> dict:
    """Delete a card: its author (while the family is open), or a moderator for a paper card.

    Moderators hide phone cards rather than delete them: the author's words stay in the data.
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id, author_may=True)
    if viewer.role != "participant" and card.source != "paper":
        raise DomainError("forbidden", status=403)
    card.status = "deleted"
    card.theme_id = None
    session.flush()
    extra = [sealed_event(session, workshop, card)] if card.sealed else []
    extra += _leave_essentials(session, workshop, card)  # its text would stay on the boards otherwise
    return _changed(session, workshop, card, client_id, extra)


def merge_cards(
    session, workshop: Workshop, viewer: Viewer, keep_id, card_ids: list, *, client_id=None
) -> dict:
    """Merge duplicates into the kept card (référent, facilitator).

    The kept card keeps its text; the others become `merged` (`merged_into` the kept card) and stay
    listed in its `merged_from` with their text, author and table. Their dots move to the kept card.
    One `card:updated` carries the kept card and, in `merged`, the merged ones.
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    if viewer.role not in MODERATORS:
        _check_viewer(workshop, viewer)
        raise DomainError("forbidden", status=403)
    others = list(dict.fromkeys(c for c in card_ids if c != keep_id))
    if not others:
        raise DomainError("merge_too_few")
    if len(others) > MAX_MERGE:
        raise DomainError("invalid_payload", problem=f"at most {MAX_MERGE} cards at once")
    kept = moderated_card(session, workshop, viewer, keep_id)
    merged = [moderated_card(session, workshop, viewer, card_id) for card_id in others]
    if any(card.group_id != kept.group_id for card in merged):
        raise DomainError("mixed_tables")
    ids = [card.id for card in merged]
    now = utcnow()
    for card in merged:
        card.status = "merged"
        card.merged_into_id = kept.id
        card.theme_id = None
        card.updated_at = now
    # Cards merged earlier into one of these now point at the kept card (provenance stays one level deep).
    session.execute(
        update(Card)
        .where(Card.merged_into_id.in_(ids))
        .values(merged_into_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    # TODO(votes): votes.py may keep per-card counts of its own; the rows move here.
    session.execute(
        update(Vote)
        .where(Vote.card_id.in_(ids))
        .values(card_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Essential)
        .where(Essential.card_id.in_(ids))
        .values(card_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    kept.updated_at = now
    session.flush()
    session.expire(kept, ["merged_cards"])
    anonymous = workshop.anonymous
    event = card_event(
        session, workshop, kept, {"merged": [card.to_dict(anonymous=anonymous) for card in merged]}
    )
    reply = {"ok": True, "card": kept.to_dict(anonymous=anonymous), "merged": ids}
    return finish(session, workshop, client_id, [event], reply)


# --- The table's "ready" signal ----------------------------------------------------------------------


def set_group_ready(
    session, workshop: Workshop, viewer: Viewer, ready: bool, *, group_number=None, client_id=None
) -> dict:
    """Tell the facilitator the table is ready (or not any more): its référent, or the facilitator."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _check_viewer(workshop, viewer)
    if viewer.role == "facilitator":
        group = find_group(workshop, group_number)
    elif viewer.role == "referent":
        if group_number is not None and group_number != viewer.group_number:
            raise DomainError("not_your_table", status=403)
        group = next(g for g in workshop.groups if g.id == viewer.group_id)
    else:
        raise DomainError("forbidden", status=403)
    reply = {"ok": True, "group": group.number, "ready": bool(ready)}
    if group.ready == bool(ready):
        return reply
    group.ready = bool(ready)
    event = record_event(
        session, workshop, "group:ready", {"group": group.number, "ready": group.ready}, group
    )
    return finish(session, workshop, client_id, [event], reply)


@snapshot_part
def ready_snapshot(session, workshop: Workshop, group, viewer) -> dict:
    """Snapshot part: `ready` {table number: bool} for the tables this viewer sees."""
    groups = [group] if group is not None else workshop.groups
    return {"ready": {str(g.number): bool(g.ready) for g in groups}}
