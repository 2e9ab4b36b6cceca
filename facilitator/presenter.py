"""Presenter control: what the projected board shows, driven from the facilitator's console.

The facilitator (laptop or phone) sends `board:show` {view, table?} (the views of the board's keys 1–5,
and the full-screen welcome and closing covers); the board follows at once, as a
Mentimeter or Klaxoon presenter does. Each change is one logged `board:changed` event, for the boards
and the facilitator's consoles only (`events.SCREEN_EVENTS`: never a phone's or a référent's), so a
board that reconnects catches up with the log, or with the `board` part of its snapshot (the last
change). The board machine's own keys still switch its view locally until the next change.
"""

from sqlalchemy import select

from facilitator.errors import DomainError
from facilitator.events import BOARD_CHANGED, commit_and_publish, record_event
from facilitator.models import Event, Group, Workshop, isoformat, utcnow
from facilitator.workshops import snapshot_part

VIEWS = (
    "all",
    "table",
    "plenary",
    "present",
    "synthesis",
    "plan",
    "welcome",
    "closing",
)  # plan: facilitator/plan
TABLE_VIEWS = ("table", "present")  # the views that show one table


def _check_facilitator(workshop: Workshop, viewer) -> None:
    if viewer is None or viewer.role != "facilitator" or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)


def _table_number(session, workshop: Workshop, view: str, table: int | None) -> int | None:
    """The table a one-table view shows: the one asked for (`unknown_group` if it is not this
    workshop's), else the first table; None for the views of every table."""
    if view not in TABLE_VIEWS:
        return None
    numbers = session.scalars(
        select(Group.number).where(Group.workshop_id == workshop.id).order_by(Group.number)
    ).all()
    if not numbers:
        raise DomainError("unknown_group", status=404)
    if table is None:
        return numbers[0]
    if table not in numbers:
        raise DomainError("unknown_group", status=404)
    return table


def show(session, workshop: Workshop, viewer, view: str, table: int | None = None) -> dict:
    """Put a view on the boards (and the table a one-table view shows). Returns the board state
    `{"view", "table", "at", "seq"}`. Only this workshop's facilitator (`forbidden`)."""
    _check_facilitator(workshop, viewer)
    if view not in VIEWS:
        raise DomainError("invalid_payload", problem=f"view is one of {', '.join(VIEWS)}")
    number = _table_number(session, workshop, view, table)
    # `at` (server time): a board joining later knows whether the run entered a step since.
    board = {"view": view, "table": number, "at": isoformat(utcnow())}
    event = record_event(session, workshop, BOARD_CHANGED, {"board": board})
    state = {**event.payload["board"], "seq": event.seq}
    commit_and_publish(session, [event])
    return state


def board_state(session, workshop: Workshop) -> dict | None:
    """The last view the facilitator put on the boards `{"view", "table", "at", "seq"}`, or None (the board
    keeps its own)."""
    last = session.execute(
        select(Event.seq, Event.payload)
        .where(Event.workshop_id == workshop.id, Event.type == BOARD_CHANGED)
        .order_by(Event.seq.desc())
        .limit(1)
    ).first()
    if last is None:
        return None
    return {**last.payload["board"], "seq": last.seq}


@snapshot_part
def board_snapshot(session, workshop: Workshop, group, viewer) -> dict:
    """Snapshot part: `board` (the last `board_state`, or None) for the boards and the facilitator."""
    if group is not None or getattr(viewer, "role", None) not in ("facilitator", "board"):
        return {}
    return {"board": board_state(session, workshop)}
