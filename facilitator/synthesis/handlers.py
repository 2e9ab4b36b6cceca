"""Socket.IO events of the collaborative Synthèse: validate, call one domain function, answer.

`synthesis:attach` and `synthesis:propose_theme` come from a table's référent (its own table's themes
and cards; the facilitator may name any) and answer the référent its table's outline; `synthesis:seed`
and `synthesis:reorder` come from the facilitator and answer the whole synthesis; `synthesis:show`
reads the current state. Each change is one `synthesis:changed`: the facilitator's screens get it whole,
the boards while it is projected, each référent its table's `synthesis:outline` (realtime.core.publish).
"""

from facilitator.extensions import db
from facilitator.realtime.core import current_viewer, current_workshop, on_event
from facilitator.schemas import (
    EmptyPayload,
    SynthesisAttachPayload,
    SynthesisProposeThemePayload,
    SynthesisReorderPayload,
    SynthesisSeedPayload,
)
from facilitator.synthesis import domain


def _context():
    viewer = current_viewer()
    return current_workshop(viewer), viewer


@on_event("synthesis:attach", SynthesisAttachPayload)
def on_synthesis_attach(payload: SynthesisAttachPayload):
    """A référent puts one of its table themes (or a loose card) in a cross-table theme."""
    workshop, viewer = _context()
    reply = domain.attach(
        db.session, workshop, viewer, payload.theme, table_theme=payload.table_theme, card=payload.card
    )
    return {"ok": True, **reply}


@on_event("synthesis:propose_theme", SynthesisProposeThemePayload)
def on_synthesis_propose_theme(payload: SynthesisProposeThemePayload):
    """A référent proposes a new cross-table theme (« proposé par la table N »), with its table theme."""
    workshop, viewer = _context()
    reply = domain.propose_theme(
        db.session, workshop, viewer, payload.title, table_theme=payload.table_theme, card=payload.card,
        client_id=payload.client_id,
    )  # fmt: skip
    return {"ok": True, **reply}


@on_event("synthesis:seed", SynthesisSeedPayload)
def on_synthesis_seed(payload: SynthesisSeedPayload):
    """The facilitator adds a cross-table theme by hand, empty."""
    workshop, viewer = _context()
    return {"ok": True, **domain.seed_theme(db.session, workshop, viewer, payload.title)}


@on_event("synthesis:reorder", SynthesisReorderPayload)
def on_synthesis_reorder(payload: SynthesisReorderPayload):
    """The facilitator orders the cross-table themes."""
    workshop, viewer = _context()
    return {"ok": True, **domain.reorder(db.session, workshop, viewer, payload.themes)}


@on_event("synthesis:show", EmptyPayload)
def on_synthesis_show(_payload):
    """The current synthesis: a référent's table outline, or the whole synthesis for the facilitator."""
    workshop, viewer = _context()
    return {"ok": True, **domain.outline(db.session, workshop, viewer)}
