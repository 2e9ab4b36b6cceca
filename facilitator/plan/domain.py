"""The action plan built in the room: actions at the tables, axes and merges in plenary, engagements.

Who may do what (an explicit `access.Viewer` on every call):
- the référent creates, edits, drops, restores, merges and orders the actions of their own table, made
  from its cards (provenance kept);
- the facilitator does all of that at any table and in plenary (`group` None), and alone makes the
  axes (from the synthesis themes or typed), moves actions into them, orders them, and says whether
  volunteers may leave an e-mail (`Workshop.plan_contacts`);
- a participant volunteers for (« Je m'engage ») and withdraws from an active action of their own
  table, with an e-mail only when the workshop allows it and only with their consent (timestamped);
- the board only reads.

Every refusal is a `DomainError` raised before anything changes. Every change commits, then publishes:
one `plan:table` {group, actions} per table it touched (that table's phones, référent, the boards and
the facilitator: the table's own actions, never another table's) and one `plan:changed` {plan} with the
whole plan for the facilitator's screens and the boards only (`events.SCREEN_EVENTS`: never a phone,
live or replayed). Both are in the log, so a client that reconnects converges with `sync` or its
snapshot (`plan_snapshot`). Idempotent on an optional `client_id`, as cards are.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import delete, func, select

from facilitator.agenda import current_step
from facilitator.errors import DomainError
from facilitator.events import PLAN_CHANGED, record_event
from facilitator.models import (
    Card,
    Participant,
    PlanAction,
    PlanActionCard,
    PlanAxis,
    PlanEngagement,
    ReportTheme,
    Workshop,
    isoformat,
    utcnow,
)
from facilitator.replies import finish, stored_reply
from facilitator.textsafety import clean_typed
from facilitator.viewer import Viewer
from facilitator.workshops import find_group, snapshot_part

PLAN_TABLE = "plan:table"
PLAN_SETTINGS = "plan:settings"
STEP_KIND = "plan"  # the agenda's « Plan d'action » step (agenda.PLAN_STEP)

# Lengths people meet (the columns' own, or what a form shows well).
TITLE_MAX = 200
OWNER_MAX = 120
PARTNERS_MAX = 300
DETAIL_MAX = 1000  # first step, indicator
EMAIL_MAX = 254
# Bounds on how much a table, the plenary and one action may hold.
MAX_TABLE_ACTIONS = 40
MAX_ACTIONS = 400
MAX_AXES = 30
MAX_CARDS = 20
STAFF = ("referent", "facilitator")
DUE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- Validation ----------------------------------------------------------------------------------------


def clean_field(value, limit: int, field: str, *, multiline: bool = False) -> str:
    """A typed field as stored (`clean_typed`); refuse it past `limit` (`plan_field_too_long`)."""
    text = clean_typed(value, multiline=multiline)
    if len(text) > limit:
        raise DomainError("plan_field_too_long", field=field, limit=limit)
    return text


def clean_title(value, code: str = "empty_action_title") -> str:
    title = clean_field(value, TITLE_MAX, "title")
    if not title:
        raise DomainError(code)
    return title


def clean_due(value) -> str | None:
    """An échéance: a month "2027-03" or a day "2027-03-15" (years 2000–2100), or None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    match = DUE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise DomainError("invalid_due")
    year, month, day = (int(part) if part else None for part in match.groups())
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise DomainError("invalid_due")
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise DomainError("invalid_due") from None
    return value.strip()


def clean_email(value) -> str | None:
    email = clean_typed(value)
    if not email:
        return None
    if len(email) > EMAIL_MAX or not EMAIL.match(email):
        raise DomainError("invalid_email")
    return email


# --- Who may do what -----------------------------------------------------------------------------------


def _same_workshop(workshop: Workshop, viewer: Viewer):
    if viewer is None or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)


def _staff(workshop: Workshop, viewer: Viewer):
    _same_workshop(workshop, viewer)
    if viewer.role not in STAFF:
        raise DomainError("forbidden", status=403)


def _facilitator(workshop: Workshop, viewer: Viewer):
    _same_workshop(workshop, viewer)
    if viewer.role != "facilitator":
        raise DomainError("forbidden", status=403)


def _id(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def find_action(session, workshop: Workshop, viewer: Viewer, action_id) -> PlanAction:
    """An action this staff viewer may change: any for the facilitator, the référent's table's only."""
    _staff(workshop, viewer)
    action = session.get(PlanAction, action_id) if _id(action_id) is not None else None
    if action is None or action.workshop_id != workshop.id:
        raise DomainError("unknown_action", status=404)
    if viewer.role == "referent" and action.group_id != viewer.group_id:
        raise DomainError("plan_other_table", status=403)
    return action


def find_axis(session, workshop: Workshop, axis_id) -> PlanAxis:
    axis = session.get(PlanAxis, axis_id) if _id(axis_id) is not None else None
    if axis is None or axis.workshop_id != workshop.id:
        raise DomainError("unknown_axis", status=404)
    return axis


def _provenance(session, workshop: Workshop, viewer: Viewer, card_ids, group_id) -> list[int]:
    """The cards an action comes from: visible cards of this workshop, the référent's table's only, and
    for an action at a table, that table's (a plenary action may gather any table's)."""
    ids = list(dict.fromkeys(card_ids or []))
    if len(ids) > MAX_CARDS:
        raise DomainError("invalid_payload", problem=f"at most {MAX_CARDS} cards for an action")
    if any(_id(i) is None for i in ids):
        raise DomainError("unknown_card", status=404)
    found = {card.id: card for card in session.scalars(select(Card).where(Card.id.in_(ids)))} if ids else {}
    for card_id in ids:
        card = found.get(card_id)
        if card is None or card.workshop_id != workshop.id or card.status != "visible" or card.sealed:
            raise DomainError("unknown_card", status=404)
        if viewer.role == "referent" and card.group_id != viewer.group_id:
            raise DomainError("not_your_table", status=403)
        if group_id is not None and card.group_id != group_id:
            raise DomainError("mixed_tables")
    return ids


# --- Reading the plan ----------------------------------------------------------------------------------


def _axis_dict(axis: PlanAxis) -> dict:
    return {
        "id": axis.id,
        "title": axis.title,
        "position": axis.position,
        "report_theme": axis.report_theme_id,
    }


def _actions(session, workshop: Workshop, group_id=None, every=True) -> list[dict]:
    """The actions (of one table when not `every`) as clients receive them, in order.

    Each: {id, group (table number, None: made in plenary), axis, title, owner, partners, due,
    first_step, indicator, position, status (active|dropped), merged_into, cards (provenance ids),
    tables (the tables it carries: its own and those of the actions merged into it), volunteers
    [{participant, name, contact}], volunteers_total (with the merged actions'), updated_at}.
    No card text (a card hidden since stays hidden: clients read their own cards) and no e-mail."""
    query = select(PlanAction).where(PlanAction.workshop_id == workshop.id)
    if not every:
        query = query.where(PlanAction.group_id == group_id)
    rows = session.scalars(query.order_by(PlanAction.position, PlanAction.id)).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    numbers = {g.id: g.number for g in workshop.groups}
    # The actions merged into these (for one table: perhaps other tables' actions, counted, not listed).
    merged = (
        rows if every else session.scalars(select(PlanAction).where(PlanAction.merged_into_id.in_(ids))).all()
    )
    children: dict[int, list[PlanAction]] = {}
    for row in merged:
        if row.merged_into_id is not None:
            children.setdefault(row.merged_into_id, []).append(row)
    every_id = set(ids) | {row.id for row in merged}
    cards: dict[int, list[int]] = {}
    for action_id, card_id in session.execute(
        select(PlanActionCard.action_id, PlanActionCard.card_id)
        .where(PlanActionCard.action_id.in_(ids))
        .order_by(PlanActionCard.id)
    ):
        cards.setdefault(action_id, []).append(card_id)
    volunteers: dict[int, list[dict]] = {}
    for action_id, participant_id, name, email in session.execute(
        select(PlanEngagement.action_id, Participant.id, Participant.name, PlanEngagement.email)
        .join(Participant, Participant.id == PlanEngagement.participant_id)
        .where(PlanEngagement.action_id.in_(every_id))
        .order_by(PlanEngagement.id)
    ):
        volunteers.setdefault(action_id, []).append(
            {
                "participant": participant_id,
                "name": None if workshop.anonymous else name,
                "contact": email is not None,
            }
        )
    group_numbers = numbers
    result = []
    for row in rows:
        carried = children.get(row.id, [])
        tables = {group_numbers.get(a.group_id) for a in [row, *carried] if a.group_id is not None}
        result.append(
            {
                "id": row.id,
                "group": group_numbers.get(row.group_id) if row.group_id is not None else None,
                "axis": row.axis_id,
                "title": row.title,
                "owner": row.owner,
                "partners": row.partners,
                "due": row.due,
                "first_step": row.first_step,
                "indicator": row.indicator,
                "position": row.position,
                "status": row.status,
                "merged_into": row.merged_into_id,
                "cards": cards.get(row.id, []),
                "tables": sorted(n for n in tables if n is not None),
                "volunteers": volunteers.get(row.id, []),
                "volunteers_total": sum(len(volunteers.get(a.id, [])) for a in [row, *carried]),
                "updated_at": isoformat(row.updated_at),
            }
        )
    return result


def table_plan(session, workshop: Workshop, group) -> dict:
    """One table's view: {group, actions (its own, dropped and merged ones included), contacts}."""
    return {
        "group": group.number,
        "actions": _actions(session, workshop, group.id, every=False),
        "contacts": bool(workshop.plan_contacts),
    }


def whole_plan(session, workshop: Workshop) -> dict:
    """The facilitator's and the boards' view: {axes, actions (every table's and the plenary's), contacts}."""
    axes = session.scalars(
        select(PlanAxis).where(PlanAxis.workshop_id == workshop.id).order_by(PlanAxis.position, PlanAxis.id)
    ).all()
    return {
        "axes": [_axis_dict(axis) for axis in axes],
        "actions": _actions(session, workshop),
        "contacts": bool(workshop.plan_contacts),
    }


def plan_for(session, workshop: Workshop, viewer: Viewer) -> dict:
    """What `plan:list` answers: the whole plan (facilitator, board) or the viewer's table's."""
    _same_workshop(workshop, viewer)
    if viewer.sees_every_table:
        return whole_plan(session, workshop)
    view = table_plan(session, workshop, find_group(workshop, viewer.group_number))
    if viewer.participant_id is not None:
        view["me"] = viewer.participant_id
    return view


def in_plan_step(workshop: Workshop) -> bool:
    step = current_step(workshop)
    return step is not None and step.kind == STEP_KIND


@snapshot_part
def plan_snapshot(session, workshop: Workshop, group, viewer) -> dict:
    """Snapshot part "plan": the whole plan for the screens (`group` None), the table's for a référent,
    and for a phone its table's while the agenda is at a « Plan d'action » step (otherwise no query:
    a phone's join stays a handful of statements; it asks `plan:list` when the step begins)."""
    if group is None:
        return {"plan": whole_plan(session, workshop)}
    role = getattr(viewer, "role", None)
    if role == "participant" and not in_plan_step(workshop):
        view = {"group": group.number, "actions": [], "contacts": bool(workshop.plan_contacts)}
    else:
        view = table_plan(session, workshop, group)
    if role == "participant":
        view["me"] = viewer.participant_id
    return {"plan": view}


# --- Publishing ----------------------------------------------------------------------------------------


def _publish(session, workshop: Workshop, viewer: Viewer, touched, client_id, reply: dict) -> dict:
    """Record `plan:table` for each table touched and `plan:changed` for the screens; commit, publish.
    The reply carries the viewer's view of the plan (`plan`)."""
    session.flush()
    events, views = [], {}
    groups = {g.id: g for g in workshop.groups}
    for group_id in sorted(i for i in touched if i is not None):
        views[group_id] = table_plan(session, workshop, groups[group_id])
        events.append(record_event(session, workshop, PLAN_TABLE, views[group_id], groups[group_id]))
    whole = whole_plan(session, workshop)
    events.append(record_event(session, workshop, PLAN_CHANGED, {"plan": whole}))
    if viewer.sees_every_table:
        view = whole
    else:
        view = dict(views.get(viewer.group_id) or table_plan(session, workshop, groups[viewer.group_id]))
        if viewer.participant_id is not None:
            view["me"] = viewer.participant_id
    actions = {a["id"]: a for a in whole["actions"]}
    if "action" in reply:
        reply["action"] = actions.get(reply["action"])
    return finish(session, workshop, client_id, events, {"ok": True, **reply, "plan": view})


# --- Actions -------------------------------------------------------------------------------------------


def _new_table(workshop: Workshop, viewer: Viewer, group_number):
    """The table a new action is made at: the référent's own; the facilitator's choice, None: plenary."""
    if viewer.role == "referent":
        if group_number is not None and group_number != viewer.group_number:
            raise DomainError("plan_other_table", status=403)
        return find_group(workshop, viewer.group_number)
    return find_group(workshop, group_number) if group_number is not None else None


def save_action(
    session,
    workshop: Workshop,
    viewer: Viewer,
    *,
    action_id=None,
    title,
    owner="",
    partners="",
    due=None,
    first_step="",
    indicator="",
    card_ids=None,
    group_number=None,
    client_id=None,
) -> dict:
    """Create an action (no `action_id`) or change one: title (required), porteur, partners, échéance,
    first step, indicator, and its cards (`card_ids`; None keeps them when editing). A référent at their
    table; the facilitator at `group_number` or in plenary (None). Replies {ok, action, plan}."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _staff(workshop, viewer)
    fields = {
        "title": clean_title(title),
        "owner": clean_field(owner, OWNER_MAX, "owner"),
        "partners": clean_field(partners, PARTNERS_MAX, "partners"),
        "due": clean_due(due),
        "first_step": clean_field(first_step, DETAIL_MAX, "first_step", multiline=True),
        "indicator": clean_field(indicator, DETAIL_MAX, "indicator", multiline=True),
    }
    if action_id is None:
        group = _new_table(workshop, viewer, group_number)
        group_id = group.id if group is not None else None
        cards = _provenance(session, workshop, viewer, card_ids, group_id)
        at_table = session.scalar(
            select(func.count(PlanAction.id)).where(
                PlanAction.workshop_id == workshop.id,
                PlanAction.group_id == group_id if group_id is not None else PlanAction.group_id.is_(None),
            )
        )
        total = session.scalar(select(func.count(PlanAction.id)).where(PlanAction.workshop_id == workshop.id))
        if (group_id is not None and at_table >= MAX_TABLE_ACTIONS) or total >= MAX_ACTIONS:
            raise DomainError(
                "plan_full", status=409, limit=MAX_TABLE_ACTIONS if group_id is not None else MAX_ACTIONS
            )
        action = PlanAction(workshop_id=workshop.id, group_id=group_id, position=at_table, **fields)
        session.add(action)
        session.flush()
    else:
        action = find_action(session, workshop, viewer, action_id)
        if action.merged_into_id is not None:
            raise DomainError("action_merged", status=409)
        cards = None
        if card_ids is not None:
            cards = _provenance(session, workshop, viewer, card_ids, action.group_id)
        for name, value in fields.items():
            setattr(action, name, value)
        action.updated_at = utcnow()
        if cards is not None:
            session.execute(delete(PlanActionCard).where(PlanActionCard.action_id == action.id))
    for card_id in cards or []:
        session.add(PlanActionCard(workshop_id=workshop.id, action_id=action.id, card_id=card_id))
    return _publish(session, workshop, viewer, {action.group_id}, client_id, {"action": action.id})


def set_dropped(session, workshop: Workshop, viewer: Viewer, action_id, dropped: bool, *, client_id=None):
    """Drop an action (it stays, marked dropped: restore it any time) or restore it — restoring a merged
    action also takes it back out of the one it was merged into."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    action = find_action(session, workshop, viewer, action_id)
    touched = {action.group_id}
    if dropped:
        if action.merged_into_id is not None:
            raise DomainError("action_merged", status=409)
        action.status = "dropped"
    else:
        if action.merged_into_id is not None:
            kept = session.get(PlanAction, action.merged_into_id)
            touched.add(kept.group_id if kept is not None else None)
        action.status = "active"
        action.merged_into_id = None
    action.updated_at = utcnow()
    return _publish(session, workshop, viewer, touched, client_id, {"action": action.id})


def merge_actions(session, workshop: Workshop, viewer: Viewer, keep_id, action_ids, *, client_id=None):
    """Fold duplicates into `keep_id`: they stay (restore undoes it), their tables, cards and volunteers
    count for the kept one (« portée par 4 tables »). A référent merges their table's actions only."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    kept = find_action(session, workshop, viewer, keep_id)
    if kept.merged_into_id is not None:
        raise DomainError("action_merged", status=409)
    if kept.status != "active":
        raise DomainError("action_dropped", status=409)
    ids = list(dict.fromkeys(action_ids or []))
    if not ids or kept.id in ids:
        raise DomainError("invalid_payload", problem="merge other actions into the one kept")
    if len(ids) > MAX_TABLE_ACTIONS:
        raise DomainError("invalid_payload", problem=f"at most {MAX_TABLE_ACTIONS} actions at once")
    merged = [find_action(session, workshop, viewer, i) for i in ids]
    touched = {kept.group_id}
    now = utcnow()
    for action in merged:
        action.merged_into_id = kept.id
        action.updated_at = now
        touched.add(action.group_id)
    # Actions merged earlier into one of these now count for the kept one (one level, no chains).
    for earlier_merged in session.scalars(select(PlanAction).where(PlanAction.merged_into_id.in_(ids))):
        earlier_merged.merged_into_id = kept.id
        touched.add(earlier_merged.group_id)
    kept.updated_at = now
    return _publish(session, workshop, viewer, touched, client_id, {"action": kept.id})


def order_actions(session, workshop: Workshop, viewer: Viewer, action_ids, *, axis_id=None, client_id=None):
    """Put these actions, in this order, in an axis (`axis_id`; None: no axis) — the facilitator's
    plenary — or, for a référent, order their table's actions (no axis)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _staff(workshop, viewer)
    if axis_id is not None:
        _facilitator(workshop, viewer)
        find_axis(session, workshop, axis_id)
    ids = list(dict.fromkeys(action_ids or []))
    if len(ids) > MAX_ACTIONS:
        raise DomainError("invalid_payload", problem=f"at most {MAX_ACTIONS} actions")
    actions = [find_action(session, workshop, viewer, i) for i in ids]
    touched = set()
    for position, action in enumerate(actions):
        if viewer.role == "facilitator":
            action.axis_id = axis_id
        action.position = position
        touched.add(action.group_id)
    return _publish(session, workshop, viewer, touched, client_id, {})


def move_action(session, workshop: Workshop, viewer: Viewer, action_id, axis_id, *, client_id=None):
    """Put one action at the end of an axis (None: out of every axis). The facilitator only."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _facilitator(workshop, viewer)
    action = find_action(session, workshop, viewer, action_id)
    if axis_id is not None:
        find_axis(session, workshop, axis_id)
    if action.axis_id != axis_id:
        last = session.scalar(
            select(func.max(PlanAction.position)).where(
                PlanAction.workshop_id == workshop.id,
                PlanAction.axis_id == axis_id if axis_id is not None else PlanAction.axis_id.is_(None),
            )
        )
        action.axis_id = axis_id
        action.position = (last or 0) + 1
    return _publish(session, workshop, viewer, {action.group_id}, client_id, {"action": action.id})


# --- Axes (the facilitator, in plenary) ----------------------------------------------------------------


def _axes_count(session, workshop: Workshop) -> int:
    return session.scalar(select(func.count(PlanAxis.id)).where(PlanAxis.workshop_id == workshop.id))


def save_axis(session, workshop: Workshop, viewer: Viewer, *, title, axis_id=None, client_id=None) -> dict:
    """Create an axis (no `axis_id`, at the end) or rename one."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _facilitator(workshop, viewer)
    title = clean_title(title, "empty_axis_title")
    if axis_id is None:
        count = _axes_count(session, workshop)
        if count >= MAX_AXES:
            raise DomainError("plan_axes_full", status=409, limit=MAX_AXES)
        axis = PlanAxis(workshop_id=workshop.id, title=title, position=count)
        session.add(axis)
    else:
        axis = find_axis(session, workshop, axis_id)
        axis.title = title
    session.flush()
    return _publish(session, workshop, viewer, set(), client_id, {"axis": axis.id})


def delete_axis(session, workshop: Workshop, viewer: Viewer, axis_id, *, client_id=None) -> dict:
    """Delete an axis; its actions stay, in no axis."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _facilitator(workshop, viewer)
    axis = find_axis(session, workshop, axis_id)
    inside = session.scalars(select(PlanAction).where(PlanAction.axis_id == axis.id)).all()
    for action in inside:
        action.axis_id = None
    session.delete(axis)
    return _publish(session, workshop, viewer, set(), client_id, {})


def order_axes(session, workshop: Workshop, viewer: Viewer, axis_ids, *, client_id=None) -> dict:
    """Order the axes: those named first, in this order; the others after, as they were."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _facilitator(workshop, viewer)
    ids = list(dict.fromkeys(axis_ids or []))
    named = [find_axis(session, workshop, i) for i in ids]
    rest = session.scalars(
        select(PlanAxis)
        .where(PlanAxis.workshop_id == workshop.id, PlanAxis.id.not_in(ids or [0]))
        .order_by(PlanAxis.position, PlanAxis.id)
    ).all()
    for position, axis in enumerate([*named, *rest]):
        axis.position = position
    return _publish(session, workshop, viewer, set(), client_id, {})


def propose_axes(session, workshop: Workshop, viewer: Viewer, *, client_id=None) -> dict:
    """One axis per theme of the cross-table synthesis (`ReportTheme`, in its order) that has none yet,
    titled as the theme; rename them freely after. `no_synthesis_themes` before any synthesis."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _facilitator(workshop, viewer)
    themes = session.scalars(
        select(ReportTheme)
        .where(ReportTheme.workshop_id == workshop.id)
        .order_by(ReportTheme.position, ReportTheme.id)
    ).all()
    if not themes:
        raise DomainError("no_synthesis_themes", status=409)
    linked = set(
        session.scalars(
            select(PlanAxis.report_theme_id).where(
                PlanAxis.workshop_id == workshop.id, PlanAxis.report_theme_id.is_not(None)
            )
        )
    )
    count = _axes_count(session, workshop)
    for theme in themes:
        if theme.id in linked or count >= MAX_AXES:
            continue
        title = clean_typed(theme.title)[:TITLE_MAX] or f"Axe {count + 1}"
        session.add(PlanAxis(workshop_id=workshop.id, title=title, position=count, report_theme_id=theme.id))
        count += 1
    session.flush()
    return _publish(session, workshop, viewer, set(), client_id, {})


def set_contacts(session, workshop: Workshop, viewer: Viewer, allowed: bool) -> dict:
    """Say whether volunteers may leave an e-mail (off by default). Turning it off asks no new e-mail;
    those given with consent stay (they go with the workshop). Workshop-wide `plan:settings`."""
    _facilitator(workshop, viewer)
    workshop.plan_contacts = bool(allowed)
    event = record_event(session, workshop, PLAN_SETTINGS, {"contacts": bool(allowed)})
    return finish(session, workshop, None, [event], {"ok": True, "contacts": bool(allowed)})


# --- Engagements (the phones) --------------------------------------------------------------------------


def _volunteer_action(session, workshop: Workshop, viewer: Viewer, action_id) -> PlanAction:
    _same_workshop(workshop, viewer)
    if viewer.role != "participant" or viewer.participant_id is None:
        raise DomainError("forbidden", status=403)
    action = session.get(PlanAction, action_id) if _id(action_id) is not None else None
    if action is None or action.workshop_id != workshop.id:
        raise DomainError("unknown_action", status=404)
    if action.group_id != viewer.group_id:
        raise DomainError("plan_other_table", status=403)
    return action


def volunteer(
    session, workshop: Workshop, viewer: Viewer, action_id, *, email=None, consent=False, client_id=None
) -> dict:
    """« Je m'engage »: the participant volunteers for an active action of their table. An e-mail only
    when the workshop allows it (`contacts_off`) and with consent (`consent_required`), kept with the
    moment of consent; volunteering again adds or replaces the e-mail. Replies {ok, action, plan}."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    action = _volunteer_action(session, workshop, viewer, action_id)
    if workshop.locked:
        raise DomainError("locked", status=409)
    if action.merged_into_id is not None:
        raise DomainError("action_merged", status=409)
    if action.status != "active":
        raise DomainError("action_dropped", status=409)
    email = clean_email(email)
    if email is not None:
        if not workshop.plan_contacts:
            raise DomainError("contacts_off", status=409)
        if consent is not True:
            raise DomainError("consent_required")
    engagement = session.scalar(
        select(PlanEngagement).where(
            PlanEngagement.action_id == action.id, PlanEngagement.participant_id == viewer.participant_id
        )
    )
    if engagement is None:
        engagement = PlanEngagement(
            workshop_id=workshop.id, action_id=action.id, participant_id=viewer.participant_id
        )
        session.add(engagement)
    if email is not None:
        engagement.email = email
        engagement.consented_at = utcnow()
    return _publish(session, workshop, viewer, {action.group_id}, client_id, {"action": action.id})


def withdraw(session, workshop: Workshop, viewer: Viewer, action_id, *, client_id=None) -> dict:
    """Take back one's engagement (and the e-mail left with it). Nothing to take back: ok, no change."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    action = _volunteer_action(session, workshop, viewer, action_id)
    engagement = session.scalar(
        select(PlanEngagement).where(
            PlanEngagement.action_id == action.id, PlanEngagement.participant_id == viewer.participant_id
        )
    )
    if engagement is None:
        return {"ok": True, "action": action.id, "plan": plan_for(session, workshop, viewer)}
    session.delete(engagement)
    return _publish(session, workshop, viewer, {action.group_id}, client_id, {"action": action.id})
