"""Presenter control: `board:show`, the facilitator's console choosing what the boards show."""

from facilitator import presenter
from facilitator.extensions import db
from facilitator.realtime.core import current_viewer, current_workshop, on_event
from facilitator.schemas import BoardShowPayload


@on_event("board:show", BoardShowPayload)
def on_board_show(payload: BoardShowPayload):
    """Answer `{"ok": true, "board": {"view", "table", "seq"}}`; the boards get `board:changed`."""
    viewer = current_viewer()
    workshop = current_workshop(viewer)
    state = presenter.show(db.session, workshop, viewer, payload.view, payload.table)
    return {"ok": True, "board": state}
