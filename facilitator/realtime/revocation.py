"""Ending live connections whose admission no longer holds: a deleted workshop's, renewed links'.

The domain names them (`events.Revocation`, passed to `commit_and_publish` by `delete_workshop`,
`rotate_links` and the kit); `end_connections` runs after the commit:

- this process's connections concerned leave their rooms at once (they receive nothing more), are
  told `session:ended` `{"type", "reason"}`, and are disconnected by a background task (their
  `disconnect` handler forgets them and their presence, in its own context: never inside the
  organiser's request, whose database session it would close);
- the rooms concerned are closed, in every process: with `REDIS_URL`, `close_room` goes through the
  message queue, so another process's stale connections stop receiving too (they stay only in the
  workshop's own room `w<id>`, whose messages every phone with the join code receives: nothing a
  rotated token gave);
- a connection not reached that way (another process's, or a change made outside the server)
  is refused and disconnected at its next event: `current_workshop` checks `access.still_admitted`.

Ids are never reused (migration 0005), so a deleted workshop's rooms never name another one.
"""

import logging

from facilitator.events import Revocation
from facilitator.extensions import socketio
from facilitator.realtime.core import (
    board_room,
    connections,
    disconnect_soon,
    facilitator_room,
    group_room,
    leave_rooms,
    staff_room,
    workshop_room,
)

log = logging.getLogger(__name__)


def closed_rooms(revocation: Revocation) -> list[str]:
    """The rooms whose every member is concerned (phones' rooms only when the workshop is gone)."""
    workshop_id = revocation.workshop_id
    rooms = []
    if revocation.reason == "workshop_deleted":
        rooms.append(workshop_room(workshop_id))
        rooms.extend(group_room(workshop_id, group_id) for group_id in revocation.group_ids)
    if revocation.reason == "workshop_deleted" or revocation.screens:
        rooms += [board_room(workshop_id), facilitator_room(workshop_id)]
    rooms.extend(staff_room(workshop_id, group_id) for group_id in revocation.group_ids)
    return rooms


def end_connections(revocation: Revocation):
    """End this process's connections that `revocation` names, and close its rooms in every process."""
    ended = [sid for sid, viewer in list(connections.items()) if revocation.ends(viewer)]
    for sid in ended:
        leave_rooms(sid, revocation.reason)
    for room in closed_rooms(revocation):
        socketio.server.close_room(room, namespace="/")
    if ended:
        disconnect_soon(ended)
