"""Read one workshop from the database into pandas DataFrames: the only module of `reports/` that
queries the database. It takes an explicit SQLAlchemy session, like the domain functions."""

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select

from facilitator.models import (
    Card,
    Essential,
    Event,
    Group,
    Participant,
    Step,
    Theme,
    Vote,
    Workshop,
    isoformat,
)
from facilitator.plan.exports import read as plan_rows
from facilitator.textsafety import printable
from facilitator.tokens import normalise_join_code


class UnknownWorkshop(LookupError):
    """No workshop has this code or id."""


@dataclass
class Frames:
    workshop: dict
    cards: pd.DataFrame
    participants: pd.DataFrame
    groups: pd.DataFrame
    votes: pd.DataFrame
    essentials: pd.DataFrame
    themes: pd.DataFrame
    steps: pd.DataFrame
    events: pd.DataFrame
    # when each step of the agenda started (`step:changed` to a new running step): the timeline marks them
    step_starts: pd.DataFrame = field(default_factory=lambda: _frame("step_starts", []))
    # the action plan (issue 14): axes, actions, their provenance cards, the volunteers (no e-mail)
    plan_axes: pd.DataFrame = field(default_factory=lambda: _frame("plan_axes", []))
    plan_actions: pd.DataFrame = field(default_factory=lambda: _frame("plan_actions", []))
    plan_cards: pd.DataFrame = field(default_factory=lambda: _frame("plan_cards", []))
    plan_engagements: pd.DataFrame = field(default_factory=lambda: _frame("plan_engagements", []))


COLUMNS = {
    "cards": [
        "id", "group", "participant_id", "family", "text", "source", "status", "sealed", "step_id",
        "theme_id", "merged_into_id", "seq", "created_at",
    ],
    "participants": ["id", "group", "name", "organisation", "created_at", "paper"],
    "groups": ["id", "number", "name"],
    "votes": ["id", "participant_id", "card_id", "theme_id", "stage", "created_at"],
    "essentials": ["id", "group", "family", "card_id", "theme_id", "position", "source", "created_at"],
    "themes": ["id", "group", "title", "created_at", "family"],  # family: the chosen filing, else None
    "steps": ["id", "position", "kind", "title", "duration", "voting"],
    "events": ["seq", "type", "group_id", "created_at"],
    "step_starts": ["position", "title", "created_at"],
    "plan_axes": ["id", "title", "position"],
    "plan_actions": [
        "id", "group", "axis_id", "title", "owner", "partners", "due", "first_step", "indicator",
        "position", "status", "merged_into_id",
    ],
    "plan_cards": ["action_id", "card_id"],
    "plan_engagements": ["action_id", "participant_id", "name"],
}  # fmt: skip


def _frame(name, rows):
    frame = pd.DataFrame(rows, columns=COLUMNS[name])
    if "created_at" in frame:
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def _utc(moment):
    return None if moment is None else pd.Timestamp(isoformat(moment))


def find(session, code_or_id) -> Workshop:
    if isinstance(code_or_id, int):
        workshop = session.get(Workshop, code_or_id)
    else:
        workshop = session.scalar(
            select(Workshop).where(Workshop.code == normalise_join_code(str(code_or_id)))
        )
    if workshop is None:
        raise UnknownWorkshop(code_or_id)
    return workshop


def load(session, code_or_id) -> Frames:
    """Return every row of one workshop as DataFrames (tables as numbers, timestamps in UTC), every
    human-typed text `printable`."""
    workshop = find(session, code_or_id)
    wid = workshop.id
    groups = session.scalars(select(Group).where(Group.workshop_id == wid).order_by(Group.number)).all()
    number = {g.id: g.number for g in groups}

    def rows(model, order):
        return session.scalars(select(model).where(model.workshop_id == wid).order_by(order)).all()

    cards = [
        (c.id, number.get(c.group_id), c.participant_id, c.family, printable(c.text), c.source, c.status,
         bool(c.sealed), c.step_id, c.theme_id, c.merged_into_id, c.seq, _utc(c.created_at))
        for c in rows(Card, Card.seq)
    ]  # fmt: skip
    # An anonymous workshop's report names nobody, whatever a tampered phone managed to store.
    participants = [
        (p.id, number.get(p.group_id), None, None, _utc(p.created_at), bool(p.paper))
        if workshop.anonymous
        else (
            p.id,
            number.get(p.group_id),
            printable(p.name),
            printable(p.organisation),
            _utc(p.created_at),
            bool(p.paper),
        )
        for p in rows(Participant, Participant.id)
    ]
    votes = [
        (v.id, v.participant_id, v.card_id, v.theme_id, v.stage, _utc(v.created_at))
        for v in rows(Vote, Vote.id)
    ]
    essentials = [
        (
            e.id,
            number.get(e.group_id),
            e.family,
            e.card_id,
            e.theme_id,
            e.position,
            e.source,
            _utc(e.created_at),
        )
        for e in rows(Essential, Essential.position)
    ]
    themes = [
        (t.id, number.get(t.group_id), printable(t.title), _utc(t.created_at), t.family)
        for t in rows(Theme, Theme.id)
    ]
    steps = [
        (s.id, s.position, s.kind, printable(s.title), s.duration, s.voting)
        for s in rows(Step, Step.position)
    ]
    events = [
        (e.seq, e.type, e.group_id, _utc(e.created_at))
        for e in session.execute(
            select(Event.seq, Event.type, Event.group_id, Event.created_at)
            .where(Event.workshop_id == wid)
            .order_by(Event.seq)
        )
    ]
    step_starts, current = [], None
    for created_at, payload in session.execute(
        select(Event.created_at, Event.payload)
        .where(Event.workshop_id == wid, Event.type == "step:changed")
        .order_by(Event.seq)
    ):
        agenda = (payload or {}).get("agenda") or {}
        position = agenda.get("position")
        if agenda.get("status") != "running" or position is None or position == current:
            continue  # a pause, a resume, a change within the step
        current = position
        title = printable(str((agenda.get("step") or {}).get("title") or ""))
        step_starts.append((int(position), title, _utc(created_at)))
    plan = load_plan(session, workshop, number)
    info = {
        "id": workshop.id,
        "code": workshop.code,
        "title": printable(workshop.title),
        "question": printable(workshop.question),
        "language": workshop.language,
        "template": workshop.template,
        "families": list(workshop.families),
        "organisations": [printable(o) for o in workshop.organisations or []],
        "vote_budget": workshop.vote_budget,
        "anonymous": bool(workshop.anonymous),
        "report_hidden": workshop.report_hidden or "marked",
        "created_at": isoformat(workshop.created_at),
    }
    return Frames(
        workshop=info,
        cards=_frame("cards", cards),
        participants=_frame("participants", participants),
        groups=_frame("groups", [(g.id, g.number, printable(g.name)) for g in groups]),
        votes=_frame("votes", votes),
        essentials=_frame("essentials", essentials),
        themes=_frame("themes", themes),
        steps=_frame("steps", steps),
        events=_frame("events", events),
        step_starts=_frame("step_starts", step_starts),
        **plan,
    )


def load_plan(session, workshop, number) -> dict:
    """The action plan's frames (issue 14), read by the plan's own reader (`facilitator.plan.exports.read`,
    which the server's plan.ics and plan.csv use too). Engagements carry the volunteer's name (None in
    an anonymous workshop), never an e-mail: no document of the compte rendu can print a contact."""
    axes, actions, links, engagements = plan_rows(session, workshop, number)
    axes = [(a["id"], a["title"], a["position"]) for a in axes]
    actions = [tuple(a[key] for key in COLUMNS["plan_actions"]) for a in actions]
    return {
        "plan_axes": _frame("plan_axes", axes),
        "plan_actions": _frame("plan_actions", actions),
        "plan_cards": _frame("plan_cards", links),
        "plan_engagements": _frame("plan_engagements", engagements),
    }
