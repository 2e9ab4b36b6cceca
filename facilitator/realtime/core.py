"""The real-time core: rooms, publishing, the live connections and the handler decorator.

Rooms: `w<id>` every connection of a workshop; `w<id>:board` the facilitator and boards (every
table); `w<id>:g<group id>` the phones and the référent of one table; `w<id>:p<participant id>` one
participant's phones (private events: their own card while it is sealed until reveal). Phones are only
ever in their table's room, so they never receive another table's cards.
"""

import functools
import logging

from flask import current_app, request
from pydantic import ValidationError

from facilitator.access import Viewer
from facilitator.errors import DomainError, error_body, from_exception
from facilitator.events import Audience, events_since
from facilitator.extensions import db, socketio
from facilitator.i18n import family_labels
from facilitator.models import Workshop, isoformat, utcnow
from facilitator.ratelimits import rate_limits
from facilitator.realtime import batching
from facilitator.schemas import (
    describe,
    parse,
)
from facilitator.workshops import workshop_snapshot

log = logging.getLogger(__name__)

# Per-process state of live connections. Sticky sessions keep a connection on one process.
connections: dict[str, Viewer] = {}
join_failures: dict[str, int] = {}


def workshop_room(workshop_id):
    return f"w{workshop_id}"


def board_room(workshop_id):
    return f"w{workshop_id}:board"


def group_room(workshop_id, group_id):
    return f"w{workshop_id}:g{group_id}"


def participant_room(workshop_id, participant_id):
    return f"w{workshop_id}:p{participant_id}"


def rooms_for(viewer: Viewer) -> list[str]:
    rooms = [workshop_room(viewer.workshop_id)]
    if viewer.sees_every_table:
        rooms.append(board_room(viewer.workshop_id))
    else:
        rooms.append(group_room(viewer.workshop_id, viewer.group_id))
    if viewer.participant_id is not None:
        rooms.append(participant_room(viewer.workshop_id, viewer.participant_id))
    return rooms


def publish(message: dict, audience: Audience):
    """Deliver a committed event: to the whole workshop, the boards and one table, or one participant."""
    if audience.participant_id is not None:
        to = participant_room(audience.workshop_id, audience.participant_id)
    elif audience.group_id is None:
        to = workshop_room(audience.workshop_id)
    else:
        to = [board_room(audience.workshop_id), group_room(audience.workshop_id, audience.group_id)]
    # `card:added` is coalesced in crowded rooms (`cards:batch`) when they come faster than every 100 ms.
    private = audience.participant_id is not None
    batching.emit(message, to if isinstance(to, list) else [to], audience.workshop_id, private=private)


def on_event(name, schema):
    """Register a handler that always answers: `{"ok": true, ...}` or a structured error."""

    def decorator(handler):
        @functools.wraps(handler)
        def wrapper(data=None, *_extra):
            try:
                rate_limits.check("events", request.sid)
                payload = parse(schema, data)
                return handler(payload)
            except (ValidationError, ValueError) as exc:
                return error_body("invalid_payload", problem=describe(exc))
            except DomainError as exc:
                db.session.rollback()
                return from_exception(exc)
            except Exception:
                log.exception("socket event %s failed", name)
                db.session.rollback()
                return error_body("internal")
            finally:
                db.session.remove()

        socketio.on_event(name, wrapper)
        return wrapper

    return decorator


def current_viewer() -> Viewer:
    viewer = connections.get(request.sid)
    if viewer is None:
        raise DomainError("not_joined", status=401)
    return viewer


def current_workshop(viewer: Viewer) -> Workshop:
    workshop = db.session.get(Workshop, viewer.workshop_id)
    if workshop is None:
        raise DomainError("unknown_workshop", status=404)
    return workshop


def snapshot_for(workshop: Workshop, viewer: Viewer) -> dict:
    """The state this viewer starts from: its table only, or every table for boards."""
    group = None if viewer.sees_every_table else workshop.group(viewer.group_number)
    snapshot = workshop_snapshot(db.session, workshop, group, viewer)
    snapshot["workshop"]["family_labels"] = family_labels(workshop.families)
    return snapshot


def catch_up(workshop: Workshop, viewer: Viewer, since: int | None) -> dict:
    """Return `{"seq", "events"}` missed since `since`, or `{"seq", "snapshot"}` when that is not possible."""
    if since is not None:
        group_id = None if viewer.sees_every_table else viewer.group_id
        missed = events_since(
            db.session,
            workshop,
            since,
            group_id,
            current_app.config["SYNC_MAX_EVENTS"],
            participant_id=viewer.participant_id,
        )
        if missed is not None:
            return {"seq": workshop.seq, "events": missed, "server_time": isoformat(utcnow())}
    return {
        "seq": workshop.seq,
        "snapshot": snapshot_for(workshop, viewer),
        "server_time": isoformat(utcnow()),
    }


def client_address() -> str:
    """The address failed joins are counted against (the proxy's client address when trusted)."""
    return request.remote_addr or "unknown"


def device_key(viewer: Viewer) -> str:
    """What a card flood is counted against: the phone's participant, or the référent's table."""
    if viewer.participant_id is not None:
        return f"p{viewer.participant_id}"
    return f"{viewer.role}:{viewer.workshop_id}:{viewer.group_id}"
