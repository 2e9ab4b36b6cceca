"""Joining, catching up and posting cards: `join`, `sync`, `card:add`, and the events nobody handles."""

import logging

from flask import current_app, request
from flask_socketio import join_room, leave_room

from facilitator.access import ParticipantLimits, admit
from facilitator.cards import card_view, post_card, resend_differs
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

# The participant each connection created: {sid: (workshop id, its token)}. A connection creates at most
# one participant per workshop; joining again without a token makes it that participant again.
own_participants: dict[str, tuple[int, str]] = {}
TABLE_CARDS_MIN_PEOPLE = 10  # a table's card window counts at least this many people (docs/security.md)


@on_event("join", JoinPayload)
def on_join(payload: JoinPayload):
    """Any client joins a workshop in a role; the ack carries its snapshot (and a phone's token)."""
    sid = request.sid
    if join_failures.get(sid, 0) >= current_app.config["JOIN_FAILURES_PER_CONNECTION"]:
        raise DomainError("too_many_attempts", status=429)
    try:
        workshop = find_workshop(db.session, payload.code)
        own = own_participants.get(sid)
        admission = admit(
            db.session,
            workshop,
            payload.role,
            token=payload.token,
            group_number=payload.group,
            name=payload.name,
            organisation=payload.organisation,
            participant_token=payload.participant_token,
            own_token=own[1] if own and own[0] == workshop.id else None,
            name_limit=current_app.config["NAME_MAX"],
            limits=_participant_limits(workshop.id),
            ticket_key=current_app.config["SECRET_KEY"],
        )
    except DomainError as exc:
        if exc.code in ("unknown_workshop", "bad_token", "ticket_expired"):
            _count_failed_join(sid)
        raise
    viewer = admission.viewer
    if admission.participant_token:
        own_participants[sid] = (workshop.id, admission.participant_token)
    previous = connections.get(sid)
    if previous is not None:
        for room in rooms_for(previous):
            leave_room(room)
    for room in rooms_for(viewer):
        join_room(room)
    connections[sid] = viewer
    connected = presence.connection_changed(previous, viewer)
    reply = {"ok": True, "role": viewer.role, "group": viewer.group_number}
    reply.update(catch_up(workshop, viewer, payload.since, newcomer_at_table=admission.newcomer_at_table))
    reply["presence"] = connected
    if admission.participant_token:
        reply["participant_token"] = admission.participant_token
    return reply


def _count_failed_join(sid):
    """A wrong code or token: count it against the connection and the address.

    Past the address's budget the failure is answered `too_many_attempts` and ends this connection's
    guessing (one guess per connection from then on), but right credentials from the same address
    are still admitted: the budget slows guessing, it never locks a venue out (docs/security.md).
    """
    join_failures[sid] = join_failures.get(sid, 0) + 1
    if rate_limits.failed("join_failures", client_address()):
        join_failures[sid] = current_app.config["JOIN_FAILURES_PER_CONNECTION"]
        raise DomainError("too_many_attempts", status=429) from None


def _participant_limits(workshop_id) -> ParticipantLimits:
    config = current_app.config

    def newcomer(group):
        rate_limits.check("new_participants", f"{workshop_id}:{group.id}", code="table_busy")

    return ParticipantLimits(config["MAX_PARTICIPANTS"], config["MAX_TABLE_PARTICIPANTS"], newcomer)


def _check_table_cards(viewer):
    """A phone's cards also count in its table's window (per address), which no reconnection resets:
    new participants made by joining again without a token share it instead of each bringing a fresh
    budget. It holds the per-device budget of each person connected at the table, so the people there
    never fill it together; only the cards of participants who left (a reconnection loop) do."""
    store = presence.store()
    people = max(TABLE_CARDS_MIN_PEOPLE, len(store.people(viewer.workshop_id, viewer.group_id)))
    # With Redis each process counts its own phones, so the window is this process's too.
    key = f"{getattr(store, 'process', '')}:{client_address()}:{viewer.workshop_id}:{viewer.group_id}"
    rate_limits.check_shared("table_cards", key, people)


@on_event("card:add", CardAddPayload)
def on_card_add(payload: CardAddPayload):
    """A phone posts a card at its table (a référent or the facilitator types a paper card).

    Broadcast `card:added` to the boards and the card's table.
    """
    viewer = current_viewer()
    rate_limits.check("cards", device_key(viewer))
    if viewer.participant_id is not None:
        _check_table_cards(viewer)
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
    reply = {"ok": True, "card": {**card_view(card, viewer, workshop.anonymous), "client_id": card.client_id}}
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
    """Forget a connection that went away; its table hears of it a moment later.

    Engine.IO runs this inside whatever send found the connection's ping timed out (a broadcast to
    its table, another phone's ack): nothing here may send, wait for a lock or use that caller's
    database session, so the presence count and its broadcast run in a background task
    (`presence.connection_left`).
    A client can also send an event named "disconnect" while still connected: that is not a
    disconnection, and must not reset its failed joins.
    """
    if socketio.server.manager.is_connected(request.sid, request.namespace):
        return error_body("unknown_event", event="disconnect")
    viewer = connections.pop(request.sid, None)
    join_failures.pop(request.sid, None)
    own_participants.pop(request.sid, None)
    if presence.LocalPresence.counted(viewer):
        socketio.start_background_task(presence.connection_left, current_app._get_current_object(), viewer)
