"""Joining, catching up and posting cards: `join`, `sync`, `card:add`, and the events nobody handles."""

import logging

from flask import current_app, request
from flask_socketio import join_room, leave_room

from facilitator.access import admit
from facilitator.cards import post_card, resend_differs
from facilitator.errors import DomainError, error_body
from facilitator.extensions import db, socketio
from facilitator.ratelimits import rate_limits
from facilitator.realtime import presence
from facilitator.realtime.core import (
    catch_up,
    client_address,
    connections,
    current_viewer,
    current_workshop,
    device_key,
    join_failures,
    on_event,
    rooms_for,
)
from facilitator.schemas import CardAddPayload, JoinPayload, SyncPayload
from facilitator.workshops import find_workshop

log = logging.getLogger(__name__)


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
    connected = presence.connection_changed(previous, viewer)
    reply = {"ok": True, "role": viewer.role, "group": viewer.group_number}
    reply.update(catch_up(workshop, viewer, payload.since))
    reply["presence"] = connected
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
    card, created = post_card(
        db.session,
        workshop,
        viewer,
        client_id=payload.client_id,
        family=payload.family,
        text=payload.text,
        group_number=payload.group,
        text_limit=current_app.config["CARD_TEXT_MAX"],
    )
    reply = {"ok": True, "card": {**card.to_dict(anonymous=workshop.anonymous), "client_id": card.client_id}}
    if not created:  # a resend: the stored card, and whether the text sent is not the one stored
        reply.update(duplicate=True, text_differs=resend_differs(card, payload.text))
    return reply


@on_event("sync", SyncPayload)
def on_sync(payload: SyncPayload):
    """A client that reconnects asks for what it missed: the events after `since`, or a snapshot."""
    viewer = current_viewer()
    return {"ok": True, **catch_up(current_workshop(viewer), viewer, payload.since)}


@socketio.on("*")
def on_unknown_event(*args):
    """Answer events nobody handles, so a client is never left waiting for an ack.

    (An event literally named "*" reaches it too: python-socketio dispatches that one without its name,
    which `core.answer_star_events` gives back.)
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
    viewer = connections.pop(request.sid, None)
    join_failures.pop(request.sid, None)
    presence.connection_changed(viewer, None)
    db.session.remove()
