"""The agenda and timer, hidden-until-reveal and the lock: the facilitator's controls.

Every handler answers with the new agenda state (`{"ok": true, "agenda": {...}}`); every change is
broadcast to the whole workshop as one `step:changed`. Only the facilitator may use them.
"""

from facilitator import agenda
from facilitator.extensions import db
from facilitator.realtime.core import current_viewer, current_workshop, on_event
from facilitator.schemas import (
    AgendaUpdatePayload,
    CardsRevealPayload,
    EmptyPayload,
    HideTotalsPayload,
    StepExtendPayload,
    StepGotoPayload,
    WorkshopLockPayload,
)


def _context():
    viewer = current_viewer()
    return current_workshop(viewer), viewer


@on_event("agenda:update", AgendaUpdatePayload)
def on_agenda_update(payload: AgendaUpdatePayload):
    """Replace the agenda's steps (before it starts)."""
    workshop, viewer = _context()
    state = agenda.update_agenda(db.session, workshop, viewer, [s.model_dump() for s in payload.steps])
    return {"ok": True, "agenda": state}


@on_event("step:start", EmptyPayload)
def on_step_start(_payload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.start(db.session, workshop, viewer)}


@on_event("step:pause", EmptyPayload)
def on_step_pause(_payload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.pause(db.session, workshop, viewer)}


@on_event("step:resume", EmptyPayload)
def on_step_resume(_payload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.resume(db.session, workshop, viewer)}


@on_event("step:extend", StepExtendPayload)
def on_step_extend(payload: StepExtendPayload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.extend(db.session, workshop, viewer, payload.minutes)}


@on_event("step:goto", StepGotoPayload)
def on_step_goto(payload: StepGotoPayload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.goto(db.session, workshop, viewer, payload.position)}


@on_event("step:next", EmptyPayload)
def on_step_next(_payload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.next_step(db.session, workshop, viewer)}


@on_event("step:end", EmptyPayload)
def on_step_end(_payload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.end(db.session, workshop, viewer)}


@on_event("cards:reveal", CardsRevealPayload)
def on_cards_reveal(payload: CardsRevealPayload):
    """Reveal the sealed cards of a step (default: all) at a table (default: all)."""
    workshop, viewer = _context()
    cards = agenda.reveal(
        db.session, workshop, viewer, step_position=payload.step, group_number=payload.group
    )
    return {"ok": True, "revealed": len(cards)}


@on_event("workshop:lock", WorkshopLockPayload)
def on_workshop_lock(payload: WorkshopLockPayload):
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.set_locked(db.session, workshop, viewer, payload.locked)}


@on_event("workshop:hide_totals", HideTotalsPayload)
def on_workshop_hide_totals(payload: HideTotalsPayload):
    """The facilitator turns « Totaux cachés pendant le vote » on or off; everyone gets `step:changed`."""
    workshop, viewer = _context()
    return {"ok": True, "agenda": agenda.set_hide_vote_totals(db.session, workshop, viewer, payload.hidden)}
