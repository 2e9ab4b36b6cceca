"""Socket.IO handlers: validate the payload, call one domain function, answer through the ack.

Rooms: `w<id>` every connection of a workshop; `w<id>:board` the facilitator and boards (every
table); `w<id>:g<group id>` the phones and the référent of one table. Phones are only ever in their
table's room, so they never receive another table's cards.
"""

import functools
import logging

from flask import current_app, request
from flask_socketio import join_room, leave_room
from pydantic import ValidationError

from facilitator.access import Viewer, admit
from facilitator.cards import post_card
from facilitator.errors import DomainError, error_body, from_exception
from facilitator.events import Audience, events_since
from facilitator.extensions import db, socketio
from facilitator.i18n import family_labels
from facilitator.models import Workshop
from facilitator.ratelimits import rate_limits
from facilitator.schemas import (
    CardAddPayload,
    JoinPayload,
    SyncPayload,
    describe,
    parse,
)
from facilitator.workshops import find_workshop, workshop_snapshot

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


def rooms_for(viewer: Viewer) -> list[str]:
    rooms = [workshop_room(viewer.workshop_id)]
    if viewer.sees_every_table:
        rooms.append(board_room(viewer.workshop_id))
    else:
        rooms.append(group_room(viewer.workshop_id, viewer.group_id))
    return rooms


def publish(message: dict, audience: Audience):
    """Deliver a committed event: to the whole workshop, or to the boards and one table."""
    if audience.group_id is None:
        to = workshop_room(audience.workshop_id)
    else:
        to = [board_room(audience.workshop_id), group_room(audience.workshop_id, audience.group_id)]
    socketio.emit(message["type"], message, to=to)


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
    snapshot = workshop_snapshot(db.session, workshop, group)
    snapshot["workshop"]["family_labels"] = family_labels(workshop.families)
    return snapshot


def catch_up(workshop: Workshop, viewer: Viewer, since: int | None) -> dict:
    """Return `{"seq", "events"}` missed since `since`, or `{"seq", "snapshot"}` when that is not possible."""
    if since is not None:
        group_id = None if viewer.sees_every_table else viewer.group_id
        missed = events_since(db.session, workshop, since, group_id, current_app.config["SYNC_MAX_EVENTS"])
        if missed is not None:
            return {"seq": workshop.seq, "events": missed}
    return {"seq": workshop.seq, "snapshot": snapshot_for(workshop, viewer)}


def client_address() -> str:
    """The address failed joins are counted against (the proxy's client address when trusted)."""
    return request.remote_addr or "unknown"


def device_key(viewer: Viewer) -> str:
    """What a card flood is counted against: the phone's participant, or the référent's table."""
    if viewer.participant_id is not None:
        return f"p{viewer.participant_id}"
    return f"{viewer.role}:{viewer.workshop_id}:{viewer.group_id}"


@on_event("join", JoinPayload)
def on_join(payload: JoinPayload):
    """Any client joins a workshop in a role; the ack carries its snapshot (and a phone's token)."""
    sid = request.sid
    address = client_address()
    if join_failures.get(sid, 0) >= current_app.config[
        "JOIN_FAILURES_PER_CONNECTION"
    ] or rate_limits.exhausted("join_failures", address):
        raise DomainError("too_many_attempts", status=429)
    try:
        workshop = find_workshop(db.session, payload.code)
        admission = admit(
            db.session,
            workshop,
            payload.role,
            token=payload.token,
            group_number=payload.group,
            name=payload.name,
            organisation=payload.organisation,
            participant_token=payload.participant_token,
            name_limit=current_app.config["NAME_MAX"],
        )
    except DomainError as exc:
        if exc.code in ("unknown_workshop", "bad_token"):
            join_failures[sid] = join_failures.get(sid, 0) + 1
            rate_limits.hit("join_failures", address)
        raise
    viewer = admission.viewer
    previous = connections.get(sid)
    if previous is not None:
        for room in rooms_for(previous):
            leave_room(room)
    for room in rooms_for(viewer):
        join_room(room)
    connections[sid] = viewer
    reply = {"ok": True, "role": viewer.role, "group": viewer.group_number}
    reply.update(catch_up(workshop, viewer, payload.since))
    if admission.participant_token:
        reply["participant_token"] = admission.participant_token
    return reply


@on_event("card:add", CardAddPayload)
def on_card_add(payload: CardAddPayload):
    """A phone posts a card at its table (a référent or the facilitator types a paper card).

    Broadcast `card:added` to the boards and the card's table.
    """
    viewer = current_viewer()
    rate_limits.check("cards", device_key(viewer))
    workshop = current_workshop(viewer)
    card, _created = post_card(
        db.session,
        workshop,
        viewer,
        client_id=payload.client_id,
        family=payload.family,
        text=payload.text,
        group_number=payload.group,
        text_limit=current_app.config["CARD_TEXT_MAX"],
    )
    return {"ok": True, "card": {**card.to_dict(anonymous=workshop.anonymous), "client_id": card.client_id}}


@on_event("sync", SyncPayload)
def on_sync(payload: SyncPayload):
    """A client that reconnects asks for what it missed: the events after `since`, or a snapshot."""
    viewer = current_viewer()
    return {"ok": True, **catch_up(current_workshop(viewer), viewer, payload.since)}


@socketio.on("*")
def on_unknown_event(*args):
    """Answer events nobody handles, so a client is never left waiting for an ack.

    (An event literally named "*" is the one exception: python-socketio dispatches it without its name
    and fails before this handler runs; see docs/protocol.md.)
    """
    event = args[0] if args and isinstance(args[0], str) else "*"
    return error_body("unknown_event", event=event[:64])


@socketio.on("disconnect")
def on_disconnect(*_args):
    """Forget a connection that went away.

    A client can also send an event named "disconnect" while still connected: that is not a
    disconnection, and must not reset its failed joins.
    """
    if socketio.server.manager.is_connected(request.sid, request.namespace):
        return error_body("unknown_event", event="disconnect")
    connections.pop(request.sid, None)
    join_failures.pop(request.sid, None)
