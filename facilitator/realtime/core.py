"""The real-time core: rooms, publishing, the live connections and the handler decorator.

Rooms: `w<id>` every connection of a workshop; `w<id>:board` the boards and `w<id>:facilitator` the
facilitator (every table); `w<id>:g<group id>` the phones of one table; `w<id>:g<group id>:staff` the
référent of that table; `w<id>:p<participant id>` one participant's phones (private events: their own
card while it is sealed until reveal). Phones are only ever in their table's room, so they never
receive another table's cards; phones and boards get a message as `events.reader_view` leaves it (no
text of a card hidden by moderation), live and replayed, while the staff rooms (facilitator, référent)
get it whole.
"""

import functools
import logging

from flask import current_app, request
from pydantic import ValidationError
from sqlalchemy import bindparam, select

from facilitator import newcomers
from facilitator.access import Viewer, still_admitted
from facilitator.database import STORAGE_LOG, storage_problem
from facilitator.errors import DomainError, error_body, from_exception
from facilitator.events import (
    SYNTHESIS_CHANGED,
    Audience,
    CardsNow,
    cards_now,
    events_since,
    reader_view,
    referent_view,
    table_card,
)
from facilitator.extensions import db, socketio
from facilitator.i18n import family_labels
from facilitator.models import Group, Workshop, isoformat, utcnow
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


def facilitator_room(workshop_id):
    return f"w{workshop_id}:facilitator"


def group_room(workshop_id, group_id):
    return f"w{workshop_id}:g{group_id}"


def staff_room(workshop_id, group_id):
    return f"w{workshop_id}:g{group_id}:staff"


def participant_room(workshop_id, participant_id):
    return f"w{workshop_id}:p{participant_id}"


def rooms_for(viewer: Viewer) -> list[str]:
    rooms = [workshop_room(viewer.workshop_id)]
    if viewer.role == "facilitator":
        rooms.append(facilitator_room(viewer.workshop_id))
    elif viewer.sees_every_table:
        rooms.append(board_room(viewer.workshop_id))
    elif viewer.role == "referent":
        rooms.append(staff_room(viewer.workshop_id, viewer.group_id))
    else:
        rooms.append(group_room(viewer.workshop_id, viewer.group_id))
    if viewer.participant_id is not None:
        rooms.append(participant_room(viewer.workshop_id, viewer.participant_id))
    return rooms


def publish(message: dict, audience: Audience):
    """Deliver a committed event: to the whole workshop, the boards and one table, or one participant
    (or, `audience.screens`, the facilitator and the boards: `events.reader_view` for the boards).

    For a table, its phones and the boards get `reader_view(message)` (the one reduction `sync` uses
    too): when that differs (a card hidden
    by moderation, merged or deleted), the staff (facilitator, the table's référent) get the whole
    message, the phones and boards the reduced one, then the authors of the hidden cards it carries the
    whole one again (their own card stays readable to them).
    """
    # `card:added` is coalesced in crowded rooms (`cards:batch`) when they come faster than every 100 ms.
    workshop_id = audience.workshop_id
    if audience.participant_id is not None:
        to = [participant_room(workshop_id, audience.participant_id)]
        batching.emit(message, to, workshop_id, private=True)
        return
    if audience.screens:  # the live synthesis: the facilitator whole, the boards what they may show
        batching.emit(message, [facilitator_room(workshop_id)], workshop_id)
        batching.emit(reader_view(message), [board_room(workshop_id)], workshop_id)
        if message.get("type") == SYNTHESIS_CHANGED:  # each référent its table's outline (issue 17)
            for group_id in (message.get("synthesis") or {}).get("attached") or {}:
                outline = referent_view(message, int(group_id))
                batching.emit(outline, [staff_room(workshop_id, int(group_id))], workshop_id)
        return
    if audience.group_id is None:  # live, a workshop-wide message holds nothing to reduce (reduced if so)
        batching.emit(reader_view(message), [workshop_room(workshop_id)], workshop_id)
        return
    staff = [facilitator_room(workshop_id), staff_room(workshop_id, audience.group_id)]
    readers = [board_room(workshop_id), group_room(workshop_id, audience.group_id)]
    reduced = reader_view(message)
    if reduced is message:
        batching.emit(message, [*staff, *readers], workshop_id)
        return
    batching.emit(message, staff, workshop_id)
    batching.emit(reduced, readers, workshop_id)
    for participant_id in audience.authors:
        batching.emit(message, [participant_room(workshop_id, participant_id)], workshop_id, private=True)


def answer_star_events(server):
    """Let the catch-all handler answer an event literally named "*" too.

    python-socketio gives that event to the catch-all handler without prepending its name (it is the
    catch-all's own key), so Flask-SocketIO's wrapper took the sid for the name and the payload for the
    sid, failed, and the client got no ack. The name is given back here; every other event resolves
    as before. Called by `create_app` on each new server (python-socketio is pinned in requirements).
    """
    find = server._get_event_handler

    def get_event_handler(event, namespace, args):
        handler, args = find(event, namespace, args)
        if event == "*" and handler is not None and handler is server.handlers.get(namespace, {}).get("*"):
            args = (event, *args)
        return handler, args

    server._get_event_handler = get_event_handler


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
            except Exception as exc:
                db.session.rollback()
                storage = storage_problem(exc)
                if storage:  # said as it is, in one line: a full disk is no bug to trace
                    log.error("socket event %s refused: %s (%s)", name, STORAGE_LOG[storage], exc)
                    return error_body(storage)
                log.exception("socket event %s failed", name)
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


# Built once: `session.get` builds and keys a new SELECT at every call, and every event of every
# connection reads its workshop (the session starts empty at each event).
WORKSHOP_BY_ID = select(Workshop).where(Workshop.id == bindparam("workshop_id"))


def current_workshop(viewer: Viewer) -> Workshop:
    """The viewer's workshop, while it exists and the token the viewer joined with still opens it;
    otherwise the connection ends (a deleted workshop, renewed links: see `realtime.revocation`)."""
    workshop = db.session.scalar(WORKSHOP_BY_ID, {"workshop_id": viewer.workshop_id})
    if workshop is None or not still_admitted(db.session, workshop, viewer):
        sid = request.sid
        leave_rooms(sid, "workshop_deleted" if workshop is None else "links_renewed")
        disconnect_soon([sid])
        if workshop is None:
            raise DomainError("unknown_workshop", status=404)
        raise DomainError("bad_token", status=403)
    return workshop


# How long a connection told `session:ended` has before it is disconnected: the message, written
# to its socket first, leaves before the disconnection.
GRACE_SECONDS = 0.2


def leave_rooms(sid: str, reason: str):
    """Take a connection that ends out of its rooms now, and tell it why (`realtime.revocation`)."""
    viewer = connections.get(sid)
    for room in rooms_for(viewer) if viewer is not None else ():
        socketio.server.leave_room(sid, room, namespace="/")
    socketio.emit("session:ended", {"type": "session:ended", "reason": reason}, to=sid, namespace="/")


def disconnect_soon(sids: list[str]):
    """Disconnect these connections after GRACE_SECONDS, in a background task with its own context:
    never inside the request that ended them, whose database session it would close."""
    socketio.start_background_task(_disconnect, current_app._get_current_object(), sids)


def _disconnect(app, sids):
    socketio.sleep(GRACE_SECONDS)
    with app.app_context():
        for sid in sids:
            try:
                socketio.server.disconnect(sid, namespace="/")
            except Exception:  # one failure must not keep the others connected
                log.exception("could not disconnect %s", sid)


READERS = ("participant", "board")  # who reads messages as `events.reader_view` leaves them


def snapshot_for(workshop: Workshop, viewer: Viewer, newcomer_at_table: int | None = None) -> dict:
    """The state this viewer starts from: its table only, or every table for boards.

    `newcomer_at_table`: the viewer is a participant its join just made, with its table's head count; its
    snapshot is then the one stored for its table while nothing it shows changed (`newcomers`)."""
    # Its own table's row (already in the session after a join), not the workshop's 100 tables.
    group = None if viewer.sees_every_table else db.session.get(Group, viewer.group_id)
    if newcomer_at_table is None or viewer.role != "participant" or group is None:
        return _built_snapshot(workshop, viewer, group)
    store = newcomers.snapshots_of(current_app)
    stored, version = store.get(db.session, workshop, group)
    if stored is None:
        stored = _built_snapshot(workshop, viewer, group)
        store.put(workshop, group, version, stored)
    return newcomers.for_newcomer(
        stored,
        seq=workshop.seq,
        group_number=group.number,
        at_table=newcomer_at_table,
        participant_id=viewer.participant_id,
    )


def _built_snapshot(workshop: Workshop, viewer: Viewer, group: Group | None) -> dict:
    snapshot = workshop_snapshot(db.session, workshop, group, viewer)
    snapshot["workshop"]["family_labels"] = family_labels(workshop.families)
    if viewer.role in READERS:
        # Phones and boards read the cards as `reader_view` leaves them; a phone its own hidden cards whole.
        hidden = [card["id"] for card in snapshot["cards"] if card["status"] == "hidden"]
        own = cards_now(db.session, hidden, viewer.participant_id).own
        snapshot["cards"] = [table_card(card, CardsNow(own=own)) for card in snapshot["cards"]]
    return snapshot


def catch_up(
    workshop: Workshop, viewer: Viewer, since: int | None, newcomer_at_table: int | None = None
) -> dict:
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
            reduce=viewer.role in READERS,
            referent=viewer.role == "referent",
        )
        if missed is not None:
            return {"seq": workshop.seq, "events": missed, "server_time": isoformat(utcnow())}
    return {
        "seq": workshop.seq,
        "snapshot": snapshot_for(workshop, viewer, newcomer_at_table),
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
