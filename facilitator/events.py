"""The per-workshop event log, and publishing after commit: the one place that emits.

Every change is recorded once as an `Event` with the workshop's next sequence number, in the same
transaction as the change. After the commit, `commit_and_publish` hands the events to the publisher
(Socket.IO rooms in the app, a list in tests). A client that reconnects asks for the events after
the last `seq` it saw (`events_since`).
"""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from facilitator.models import Event, Workshop


@dataclass(frozen=True)
class Audience:
    """Who receives an event: the whole workshop, the boards plus one table, or one participant."""

    workshop_id: int
    group_id: int | None = None
    participant_id: int | None = None  # set: only that participant's connections (a sealed card)


def _ignore(_event, _audience):
    pass


_publisher = _ignore


def set_publisher(publisher):
    """Install the function that delivers `(message, audience)` once the transaction is committed."""
    global _publisher
    _publisher = publisher or _ignore


def next_seq(session, workshop_id: int) -> int:
    """Take the workshop's next sequence number; the row lock orders concurrent writers.

    The workshop loaded in this session is told its new `seq` (without marking it changed), so a
    snapshot taken after the commit carries the number of the last change it contains.
    """
    seq = session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(seq=Workshop.seq + 1)
        .returning(Workshop.seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    loaded = session.identity_map.get(identity_key(Workshop, workshop_id))
    if loaded is not None:
        set_committed_value(loaded, "seq", seq)
    return seq


def record_event(
    session, workshop: Workshop, type_: str, payload: dict, group=None, seq=None, participant_id=None
) -> Event:
    """Append an event to the workshop's log (not committed yet); the payload gets its `seq`.

    Pass `seq` when the change itself stores the number it was taken with (a card keeps its own).
    `participant_id`: a private event, for that participant's connections only (their sealed card).
    """
    if seq is None:
        seq = next_seq(session, workshop.id)
    body = {"type": type_, "seq": seq, **payload}
    event = Event(
        workshop_id=workshop.id,
        seq=seq,
        type=type_,
        group_id=group.id if group is not None else None,
        participant_id=participant_id,
        payload=body,
    )
    session.add(event)
    return event


def commit_and_publish(session, events: list[Event], announcements=()):
    """Commit the unit of work, then publish its events: nothing is announced that could be lost.

    `announcements` are `(message, audience)` pairs that are not part of the log, such as the deletion
    of the workshop itself.
    """
    session.commit()
    for event in events:
        _publisher(event.payload, Audience(event.workshop_id, event.group_id, event.participant_id))
    for message, audience in announcements:
        _publisher(message, audience)


def events_since(
    session,
    workshop: Workshop,
    since: int,
    group_id: int | None,
    limit: int,
    participant_id: int | None = None,
):
    """Return the messages after `since` that this viewer may see, or None when a snapshot is due.

    `group_id` None means the viewer sees every table (facilitator, board). Private events reach only
    their participant (`participant_id`).
    """
    if since < 0 or since > workshop.seq or workshop.seq - since > limit:
        return None
    query = select(Event).where(Event.workshop_id == workshop.id, Event.seq > since).order_by(Event.seq)
    if group_id is not None:
        query = query.where((Event.group_id.is_(None)) | (Event.group_id == group_id))
    if participant_id is None:
        query = query.where(Event.participant_id.is_(None))
    else:
        query = query.where(Event.participant_id.is_(None) | (Event.participant_id == participant_id))
    return [event.payload for event in session.scalars(query)]
