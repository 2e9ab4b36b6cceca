"""Socket.IO handlers of the action plan: validate the payload, call one domain function, answer.

Every write counts in the sender's card budget (`cards`, per device: the same rate limit as posting a
card). The domain records `plan:table` for the tables touched and `plan:changed` for the screens
(facilitator/plan/domain.py); docs/protocol.md lists payloads, acks, errors and receivers.
"""

from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StrictStr

from facilitator.extensions import db
from facilitator.plan import domain
from facilitator.ratelimits import rate_limits
from facilitator.realtime.core import current_viewer, current_workshop, device_key, on_event
from facilitator.schemas import HUGE, OptionalClientId, Payload, Typed, TypedLines

Id = Annotated[StrictInt, Field(ge=1, le=2**62)]
Ids = Annotated[list[Id], Field(max_length=500)]


class PlanListPayload(Payload):
    pass


class ActionSavePayload(Payload):
    """`plan:action_save`: no `action_id` creates (at `group`, the facilitator's choice; None: plenary)."""

    action_id: Id | None = None
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)
    title: Typed = Field(max_length=HUGE)
    owner: Typed = Field(default="", max_length=HUGE)
    partners: Typed = Field(default="", max_length=HUGE)
    due: StrictStr | None = Field(default=None, max_length=32)
    first_step: TypedLines = Field(default="", max_length=HUGE)
    indicator: TypedLines = Field(default="", max_length=HUGE)
    card_ids: Annotated[list[Id], Field(max_length=50)] | None = None
    client_id: OptionalClientId = None


class ActionPayload(Payload):
    action_id: Id
    client_id: OptionalClientId = None


class ActionMergePayload(Payload):
    keep: Id
    actions: Ids = Field(min_length=1)
    client_id: OptionalClientId = None


class ActionMovePayload(ActionPayload):
    axis: Id | None = None


class OrderPayload(Payload):
    actions: Ids
    axis: Id | None = None
    client_id: OptionalClientId = None


class AxisSavePayload(Payload):
    axis_id: Id | None = None
    title: Typed = Field(max_length=HUGE)
    client_id: OptionalClientId = None


class AxisPayload(Payload):
    axis_id: Id
    client_id: OptionalClientId = None


class AxesOrderPayload(Payload):
    axes: Ids
    client_id: OptionalClientId = None


class AxesProposePayload(Payload):
    client_id: OptionalClientId = None


class ContactsPayload(Payload):
    allowed: StrictBool


class VolunteerPayload(ActionPayload):
    email: Typed | None = Field(default=None, max_length=HUGE)
    consent: StrictBool = False


def _context(write=True):
    viewer = current_viewer()
    if write:
        rate_limits.check("cards", device_key(viewer))
    return current_workshop(viewer), viewer


@on_event("plan:list", PlanListPayload)
def on_plan_list(_payload: PlanListPayload):
    """The plan as this viewer reads it: whole (facilitator, board) or its table's (`me` for a phone)."""
    workshop, viewer = _context(write=False)
    return {"ok": True, "plan": domain.plan_for(db.session, workshop, viewer)}


@on_event("plan:action_save", ActionSavePayload)
def on_action_save(payload: ActionSavePayload):
    workshop, viewer = _context()
    return domain.save_action(
        db.session,
        workshop,
        viewer,
        action_id=payload.action_id,
        title=payload.title,
        owner=payload.owner,
        partners=payload.partners,
        due=payload.due,
        first_step=payload.first_step,
        indicator=payload.indicator,
        card_ids=payload.card_ids,
        group_number=payload.group,
        client_id=payload.client_id,
    )


@on_event("plan:action_drop", ActionPayload)
def on_action_drop(payload: ActionPayload):
    workshop, viewer = _context()
    return domain.set_dropped(
        db.session, workshop, viewer, payload.action_id, True, client_id=payload.client_id
    )


@on_event("plan:action_restore", ActionPayload)
def on_action_restore(payload: ActionPayload):
    """Restore a dropped action, or take a merged one back out of the action it was merged into."""
    workshop, viewer = _context()
    return domain.set_dropped(
        db.session, workshop, viewer, payload.action_id, False, client_id=payload.client_id
    )


@on_event("plan:action_merge", ActionMergePayload)
def on_action_merge(payload: ActionMergePayload):
    workshop, viewer = _context()
    return domain.merge_actions(
        db.session, workshop, viewer, payload.keep, payload.actions, client_id=payload.client_id
    )


@on_event("plan:action_move", ActionMovePayload)
def on_action_move(payload: ActionMovePayload):
    workshop, viewer = _context()
    return domain.move_action(
        db.session, workshop, viewer, payload.action_id, payload.axis, client_id=payload.client_id
    )


@on_event("plan:order", OrderPayload)
def on_order(payload: OrderPayload):
    workshop, viewer = _context()
    return domain.order_actions(
        db.session, workshop, viewer, payload.actions, axis_id=payload.axis, client_id=payload.client_id
    )


@on_event("plan:axis_save", AxisSavePayload)
def on_axis_save(payload: AxisSavePayload):
    workshop, viewer = _context()
    return domain.save_axis(
        db.session,
        workshop,
        viewer,
        title=payload.title,
        axis_id=payload.axis_id,
        client_id=payload.client_id,
    )


@on_event("plan:axis_delete", AxisPayload)
def on_axis_delete(payload: AxisPayload):
    workshop, viewer = _context()
    return domain.delete_axis(db.session, workshop, viewer, payload.axis_id, client_id=payload.client_id)


@on_event("plan:axes_order", AxesOrderPayload)
def on_axes_order(payload: AxesOrderPayload):
    workshop, viewer = _context()
    return domain.order_axes(db.session, workshop, viewer, payload.axes, client_id=payload.client_id)


@on_event("plan:axes_propose", AxesProposePayload)
def on_axes_propose(payload: AxesProposePayload):
    """One axis per theme of the cross-table synthesis that has none yet."""
    workshop, viewer = _context()
    return domain.propose_axes(db.session, workshop, viewer, client_id=payload.client_id)


@on_event("plan:contacts", ContactsPayload)
def on_contacts(payload: ContactsPayload):
    """Whether volunteers may leave an e-mail; everyone hears `plan:settings` {contacts}."""
    workshop, viewer = _context()
    return domain.set_contacts(db.session, workshop, viewer, payload.allowed)


@on_event("plan:volunteer", VolunteerPayload)
def on_volunteer(payload: VolunteerPayload):
    """« Je m'engage » from a phone, optionally with an e-mail (allowed workshop, consent ticked)."""
    workshop, viewer = _context()
    return domain.volunteer(
        db.session,
        workshop,
        viewer,
        payload.action_id,
        email=payload.email,
        consent=payload.consent,
        client_id=payload.client_id,
    )


@on_event("plan:withdraw", ActionPayload)
def on_withdraw(payload: ActionPayload):
    workshop, viewer = _context()
    return domain.withdraw(db.session, workshop, viewer, payload.action_id, client_id=payload.client_id)
