"""The follow-up of a workshop's action plan as the organiser's view, the projection and the compte rendu
show it: the plan as `facilitator.plan.exports.load` folds it, each action with its latest update
(« à lancer » when none), its history, and whether it is late; one progress figure per axis.

Plain functions, no Flask: the compte rendu's subprocess reads the follow-up through `read` too."""

from datetime import date

from sqlalchemy import select

from facilitator.models import ActionUpdate, Workshop, isoformat
from facilitator.plan.exports import due_date, load
from facilitator.textsafety import printable

STATUSES = ("todo", "doing", "done", "abandoned")
CLOSED = ("done", "abandoned")


def is_late(due, status, today: date) -> bool:
    """An échéance past (a month: after its last day) and the action neither done nor abandoned."""
    day = due_date(due)
    return day is not None and day < today and status not in CLOSED


def histories(session, workshop_id: int) -> dict[int, list[dict]]:
    """action id → its updates, oldest first, as plain dicts (a history: updates are never rewritten)."""
    out: dict[int, list[dict]] = {}
    updates = session.scalars(
        select(ActionUpdate).where(ActionUpdate.workshop_id == workshop_id).order_by(ActionUpdate.id)
    )
    for u in updates:
        out.setdefault(u.action_id, []).append(
            {"id": u.id, "status": u.status, "note": printable(u.note or ""), "on_date": u.on_date,
             "author": printable(u.author or ""), "at": isoformat(u.created_at), "link_id": u.link_id}
        )  # fmt: skip
    return out


def follow(plan: list[dict], history: dict[int, list[dict]], today: date) -> dict:
    """The follow-up from a folded plan and the histories: {"axes": [{id, title, actions, total, done,
    progress}], "actions": every action late first then in the plan's order, "late": count}. An action
    folded into another (merged in plenary) is followed through the kept one: its updates count too."""
    axes, actions = [], []
    for axis in plan:
        mine = []
        for action in axis["actions"]:
            updates = sorted(
                (u for i in (action["id"], *action.get("merged", ())) for u in history.get(i, ())),
                key=lambda u: u["id"],
            )
            last = updates[-1] if updates else None
            status = last["status"] if last else "todo"
            row = {
                **action,
                "axis_id": axis["id"],
                "axis_title": axis["title"],
                "status": status,
                "note": last["note"] if last else "",
                "on_date": last["on_date"] if last else None,
                "updated_at": last["at"] if last else None,
                "history": updates,
                "late": is_late(action.get("due"), status, today),
            }
            mine.append(row)
        counted = [a for a in mine if a["status"] != "abandoned"]
        done = sum(1 for a in counted if a["status"] == "done")
        axes.append(
            {"id": axis["id"], "title": axis["title"], "actions": mine, "total": len(counted), "done": done,
             "progress": done / len(counted) if counted else 0.0}
        )  # fmt: skip
        actions.extend(mine)
    ordered = sorted(actions, key=lambda a: not a["late"])
    return {"axes": axes, "actions": ordered, "late": sum(1 for a in actions if a["late"])}


def read(session, workshop: Workshop, today: date | None = None) -> dict:
    """The follow-up of one workshop, read from the database (see `follow`)."""
    return follow(load(session, workshop), histories(session, workshop.id), today or date.today())
