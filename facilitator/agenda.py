"""The agenda: the steps of a workshop, with the ready-made 2-hour run sheets of each template.

Each step says which families are open for posting, whether cards stay hidden until the facilitator
reveals them, whether voting is open (at the tables or in plenary) and how long it lasts.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, select, true
from sqlalchemy.orm import selectinload

from facilitator.errors import DomainError
from facilitator.events import commit_and_publish, record_event
from facilitator.models import Card, Group, Step, Workshop, isoformat
from facilitator.tallies import totals_events
from facilitator.textsafety import clean_typed
from facilitator.viewer import Viewer

# (kind, French title, English title, minutes, open families, hidden until reveal, voting)
WELCOME = ("accueil", "Accueil et règles du jeu", "Welcome and rules of the game", 15, [], False, "off")
STRENGTHS_WEAKNESSES = (
    "forces-faiblesses", "Forces et faiblesses", "Strengths and weaknesses", 25, ["forces", "faiblesses"], True, "off",
)  # fmt: skip
ESSENTIALS = ("essentiel", "Sélectionner l’essentiel", "Select what matters most", 20, [], False, "table")
# The action plan (facilitator/plan): référents turn essentials into actions at the tables, phones
# volunteer (« Je m'engage »), then the facilitator groups every table's actions into axes, projected.
PLAN_STEP = ("plan", "Plan d’action", "Action plan", 15, [], False, "off")
CONCLUSION = ("conclusion", "Conclusion", "Conclusion", 5, [], False, "off")


def plenary(minutes):
    return ("pleniere", "Restitution en plénière", "Plenary feedback", minutes, [], False, "plenary")


RUN_SHEETS = {
    "concertation": [
        WELCOME,
        STRENGTHS_WEAKNESSES,
        (
            "attentes-contributions", "Attentes et contributions", "Expectations and contributions", 25,
            ["attentes", "contributions"], False, "off",
        ),
        ESSENTIALS,
        plenary(15),
        PLAN_STEP,
        CONCLUSION,
    ],
    "swot": [
        WELCOME,
        STRENGTHS_WEAKNESSES,
        (
            "opportunites-menaces", "Opportunités et menaces", "Opportunities and threats", 25,
            ["opportunites", "menaces"], False, "off",
        ),
        ESSENTIALS,
        plenary(15),
        PLAN_STEP,
        CONCLUSION,
    ],
    "start-stop-continue": [
        WELCOME,
        (
            "start-stop-continue", "Commencer, arrêter, continuer", "Start, stop, continue", 45,
            ["start", "stop", "continue"], True, "off",
        ),
        ESSENTIALS,
        plenary(20),
        PLAN_STEP,
        CONCLUSION,
    ],
}  # fmt: skip


def default_steps(template: str, language: str) -> list[Step]:
    """Return new Step rows for the template's ready-made run sheet, titled in the workshop's language."""
    steps = []
    for position, (kind, title_fr, title_en, minutes, families, hidden, voting) in enumerate(
        RUN_SHEETS[template]
    ):
        steps.append(
            Step(
                position=position,
                kind=kind,
                title=title_fr if language == "fr" else title_en,
                duration=minutes * 60,
                open_families=list(families),
                hidden_until_reveal=hidden,
                voting=voting,
                revealed=False,
            )
        )
    return steps


def step_to_dict(step: Step) -> dict:
    return {
        "position": step.position,
        "kind": step.kind,
        "title": step.title,
        "duration": step.duration,
        "open_families": list(step.open_families),
        "hidden_until_reveal": step.hidden_until_reveal,
        "voting": step.voting,
        "revealed": step.revealed,
    }


# --- Running the agenda -------------------------------------------------------------------------------
#
# The run state lives on the workshop: `step_position` (None = free mode), `step_status`
# (free | running | paused | ended), `step_started_at`, `step_deadline` (running) and `step_remaining`
# (seconds left, while paused). Every change records ONE workshop-wide `step:changed` event carrying the
# whole state, so a client that missed anything catches up from the last one (or from its snapshot).

VOTING_MODES = ("off", "table", "plenary")
MAX_STEPS = 30
MAX_EXTEND_MINUTES = 60


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they are UTC."""
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _facilitator_only(workshop: Workshop, viewer: Viewer):
    if viewer is None or viewer.role != "facilitator" or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)


def current_step(workshop: Workshop) -> Step | None:
    """The step the workshop is in, or None in free mode."""
    if workshop.step_position is None:
        return None
    return next((s for s in workshop.steps if s.position == workshop.step_position), None)


def seconds_left(workshop: Workshop, now: datetime | None = None) -> int | None:
    """Seconds left in the current step (negative once over time), or None when no clock runs."""
    if workshop.step_status == "paused":
        return workshop.step_remaining
    if workshop.step_status == "running" and workshop.step_deadline is not None:
        delta = _aware(workshop.step_deadline) - (now or _now())
        return math.ceil(delta.total_seconds())
    return None


def time_is_up(workshop: Workshop, now: datetime | None = None) -> bool:
    """True when the current step's time has run out (running past the deadline, or paused at zero)."""
    left = seconds_left(workshop, now)
    return left is not None and left <= 0


def open_families(workshop: Workshop) -> list[str]:
    """The families open for posting now, ignoring the clock: free mode opens them all."""
    if workshop.step_status == "free" or workshop.step_position is None:
        return list(workshop.families)
    if workshop.step_status == "ended":
        return []
    step = current_step(workshop)
    if step is None:
        return []
    return [family for family in workshop.families if family in step.open_families]


def posting_open(workshop: Workshop, family: str, now: datetime | None = None, paper: bool = False) -> bool:
    """Whether a card of `family` may be posted now (see `check_posting` for the reason when not).

    `paper`: a référent (or the facilitator) typing a paper card, allowed past the deadline until the
    facilitator changes step.
    """
    try:
        check_posting(workshop, family, now=now, paper=paper)
    except DomainError:
        return False
    return True


def check_posting(workshop: Workshop, family: str, now: datetime | None = None, paper: bool = False):
    """Refuse a card the agenda does not allow: `locked`, `family_closed` or `step_closed`."""
    if workshop.locked:
        raise DomainError("locked", status=409)
    families = open_families(workshop)
    if family not in families:
        if not families:
            raise DomainError("posting_closed", status=409)
        raise DomainError(
            "family_closed", status=409, open=_family_names(families), open_families=list(families)
        )
    if not paper and time_is_up(workshop, now):
        raise DomainError("step_closed", status=409)


def _family_names(families) -> str:
    """The open families as people read them, in the reply's language when there is one."""
    try:
        from facilitator.i18n import FAMILY_LABELS

        return ", ".join(str(FAMILY_LABELS.get(f, f)) for f in families)
    except Exception:  # outside Flask (scripts): the keys are French words already
        return ", ".join(families)


def voting_state(workshop: Workshop) -> str:
    """Whether dots may be cast now: "off", "table" or "plenary". Free mode votes at the tables."""
    if workshop.locked or workshop.step_status == "ended":
        return "off"
    if workshop.step_status == "free" or workshop.step_position is None:
        return "table"
    step = current_step(workshop)
    return step.voting if step is not None else "off"


def totals_hidden(workshop: Workshop) -> bool:
    """Whether phones and boards get no table totals now (« Totaux cachés pendant le vote »): the
    workshop's option is on and the table vote is not over — free mode (voting open at the tables) or
    a step whose voting is "table", paused or locked included. Its end (another step, the end of the
    run) shows them: `_changed` then sends each table its totals (`votes:totals`)."""
    if not workshop.hide_vote_totals or workshop.step_status == "ended":
        return False
    if workshop.step_status == "free" or workshop.step_position is None:
        return True
    step = current_step(workshop)
    return step is not None and step.voting == "table"


def run_over(workshop: Workshop) -> bool:
    """Whether the run is over: ended, or at its conclusion (a step of kind "conclusion", or the last
    step when it opens no family and no vote). Phones then thank people with the essentials."""
    if workshop.step_status == "ended":
        return True
    if workshop.step_status == "free":
        return False
    step = current_step(workshop)
    if step is None:
        return False
    if step.kind == "conclusion":
        return True
    last = max((s.position for s in workshop.steps), default=-1)
    return step.position == last and not step.open_families and step.voting == "off"


def sealing_step(workshop: Workshop) -> Step | None:
    """The step whose new cards are sealed (hidden until reveal), or None."""
    step = current_step(workshop)
    if step is None or workshop.step_status not in ("running", "paused"):
        return None
    if step.hidden_until_reveal and not step.revealed:
        return step
    return None


def agenda_state(workshop: Workshop, now: datetime | None = None) -> dict:
    """The whole agenda state, as `step:changed` and the snapshot carry it."""
    now = now or _now()
    step = current_step(workshop)
    return {
        "position": workshop.step_position,
        "status": workshop.step_status,
        "started_at": isoformat(_aware(workshop.step_started_at)) if workshop.step_started_at else None,
        "deadline": isoformat(_aware(workshop.step_deadline)) if workshop.step_deadline else None,
        "remaining": workshop.step_remaining,
        "server_time": isoformat(now),
        "step": step_to_dict(step) if step is not None else None,
        "steps": [step_to_dict(s) for s in workshop.steps],
        "open_families": open_families(workshop),
        "voting": voting_state(workshop),
        "totals_hidden": totals_hidden(workshop),
        "hide_vote_totals": bool(workshop.hide_vote_totals),
        "locked": workshop.locked,
    }


def _changed(session, workshop: Workshop, hidden_before: bool = False):
    """Record the one `step:changed` event of this change, commit and publish it; return the state.

    `hidden_before`: the table totals were hidden before this change (`totals_hidden`); when they no
    longer are, each table's totals follow in `votes:totals` events, in the same commit."""
    session.flush()
    state = agenda_state(workshop)
    events = [record_event(session, workshop, "step:changed", {"agenda": state})]
    if hidden_before and not state["totals_hidden"]:
        events += totals_events(session, workshop)
    commit_and_publish(session, events)
    return state


def _enter(workshop: Workshop, position: int, now: datetime):
    step = next((s for s in workshop.steps if s.position == position), None)
    if step is None:
        raise DomainError("unknown_step", status=404)
    workshop.step_position = position
    workshop.step_status = "running"
    workshop.step_started_at = now
    workshop.step_deadline = now + timedelta(seconds=step.duration)
    workshop.step_remaining = None


def _started(workshop: Workshop):
    if workshop.step_status == "free" or workshop.step_position is None:
        raise DomainError("agenda_not_started", status=409)


def update_agenda(session, workshop: Workshop, viewer: Viewer, steps: list[dict]) -> dict:
    """Replace the agenda (add, remove, reorder, change steps in one edit).

    Each step: {"title", "minutes", "open_families" (⊂ the workshop's), "hidden_until_reveal",
    "voting" (off|table|plenary), "kind"?}. Once started, only the steps after the current one may
    change (see `check_fixed_steps`): the room has lived the others, their cards point at them.
    """
    _facilitator_only(workshop, viewer)
    if not 1 <= len(steps) <= MAX_STEPS:
        raise DomainError("invalid_payload", problem=f"an agenda has 1 to {MAX_STEPS} steps")
    cleaned = []
    for item in steps:
        title = clean_typed(item.get("title"))
        if not title or len(title) > 200:
            raise DomainError("invalid_payload", problem="a step needs a title of 1 to 200 characters")
        minutes = item.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 480:
            raise DomainError("invalid_payload", problem="a step lasts 1 to 480 minutes")
        families = list(dict.fromkeys(item.get("open_families") or []))
        if any(f not in workshop.families for f in families):
            raise DomainError("unknown_family")
        voting = item.get("voting", "off")
        if voting not in VOTING_MODES:
            raise DomainError("invalid_payload", problem="voting is off, table or plenary")
        cleaned.append(
            {
                "kind": str(item.get("kind") or "custom")[:40],
                "title": title,
                "duration": minutes * 60,
                "open_families": [f for f in workshop.families if f in families],
                "hidden_until_reveal": bool(item.get("hidden_until_reveal", False)),
                "voting": voting,
                "revealed": False,
            }
        )
    fixed = fixed_steps(workshop)
    check_fixed_steps(fixed, cleaned)
    # Rows keep their position; only their content changes, so no unique (workshop, position) clash.
    existing = list(workshop.steps)
    for position, fields in enumerate(cleaned):
        if position < len(fixed):
            continue  # the current and past steps stay as they are (their `revealed` too)
        if position < len(existing):
            row = existing[position]
            for name, value in fields.items():
                setattr(row, name, value)
        else:
            workshop.steps.append(Step(position=position, **fields))
    for row in existing[len(cleaned) :]:
        workshop.steps.remove(row)
        session.delete(row)
    return _changed(session, workshop)


# What makes a step the same step: what the room saw of it (not its kind, not `revealed`).
FIXED_FIELDS = ("title", "duration", "open_families", "hidden_until_reveal", "voting")


def fixed_steps(workshop: Workshop) -> list[Step]:
    """The steps an edit may not touch: none before the start, else up to the current one included."""
    if workshop.step_status == "free" or workshop.step_position is None:
        return []
    return [s for s in workshop.steps if s.position <= workshop.step_position]


def check_fixed_steps(fixed: list[Step], cleaned: list[dict]):
    """Refuse an edit that changes, moves or removes the current step or one before it.

    The edit sends the whole agenda: its first steps must be the fixed ones, unchanged and in order.
    `details.position` (1-based) names the first step that differs.
    """
    for index, step in enumerate(fixed):
        same = index < len(cleaned) and all(
            getattr(step, name) == cleaned[index][name] for name in FIXED_FIELDS
        )
        if not same:
            raise DomainError("step_fixed", status=409, position=index + 1, title=step.title)


def start(session, workshop: Workshop, viewer: Viewer, now: datetime | None = None) -> dict:
    """Start the agenda: enter its first step, the clock running."""
    _facilitator_only(workshop, viewer)
    hidden = totals_hidden(workshop)
    if workshop.step_status != "free" or workshop.step_position is not None:
        raise DomainError("agenda_started", status=409)
    if not workshop.steps:
        raise DomainError("unknown_step", status=404)
    _enter(workshop, workshop.steps[0].position, now or _now())
    return _changed(session, workshop, hidden)


def pause(session, workshop: Workshop, viewer: Viewer, now: datetime | None = None) -> dict:
    """Stop the clock; the seconds left are kept (posting stays as the step says)."""
    _facilitator_only(workshop, viewer)
    _started(workshop)
    if workshop.step_status != "running":
        raise DomainError("not_running", status=409)
    workshop.step_remaining = max(0, seconds_left(workshop, now or _now()))
    workshop.step_deadline = None
    workshop.step_status = "paused"
    return _changed(session, workshop)


def resume(session, workshop: Workshop, viewer: Viewer, now: datetime | None = None) -> dict:
    """Start the clock again with the seconds that were left."""
    _facilitator_only(workshop, viewer)
    _started(workshop)
    if workshop.step_status != "paused":
        raise DomainError("not_paused", status=409)
    workshop.step_deadline = (now or _now()) + timedelta(seconds=workshop.step_remaining or 0)
    workshop.step_remaining = None
    workshop.step_status = "running"
    return _changed(session, workshop)


def extend(session, workshop: Workshop, viewer: Viewer, minutes: int, now: datetime | None = None) -> dict:
    """Give the current step `minutes` more; past the deadline, counted from now (posting reopens)."""
    _facilitator_only(workshop, viewer)
    _started(workshop)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise DomainError("invalid_payload", problem=f"minutes: 1 to {MAX_EXTEND_MINUTES}")
    now = now or _now()
    if workshop.step_status == "running":
        workshop.step_deadline = max(_aware(workshop.step_deadline), now) + timedelta(minutes=minutes)
    elif workshop.step_status == "paused":
        workshop.step_remaining = (workshop.step_remaining or 0) + minutes * 60
    else:
        raise DomainError("not_running", status=409)
    return _changed(session, workshop)


def goto(session, workshop: Workshop, viewer: Viewer, position: int, now: datetime | None = None) -> dict:
    """Enter the step at `position` (forward or back, also after the end), its clock starting afresh."""
    _facilitator_only(workshop, viewer)
    hidden = totals_hidden(workshop)
    _started(workshop)
    _enter(workshop, position, now or _now())
    return _changed(session, workshop, hidden)


def next_step(session, workshop: Workshop, viewer: Viewer, now: datetime | None = None) -> dict:
    """Enter the step after the current one; after the last step, use `end`."""
    _facilitator_only(workshop, viewer)
    hidden = totals_hidden(workshop)
    _started(workshop)
    later = [s.position for s in workshop.steps if s.position > workshop.step_position]
    if workshop.step_status == "ended" or not later:
        raise DomainError("no_next_step", status=409)
    _enter(workshop, min(later), now or _now())
    return _changed(session, workshop, hidden)


def end(session, workshop: Workshop, viewer: Viewer) -> dict:
    """End the agenda: the clock stops, posting and voting close (the step stays shown as the last)."""
    _facilitator_only(workshop, viewer)
    hidden = totals_hidden(workshop)
    _started(workshop)
    if workshop.step_status == "ended":
        raise DomainError("agenda_ended", status=409)
    workshop.step_status = "ended"
    workshop.step_deadline = None
    workshop.step_remaining = None
    return _changed(session, workshop, hidden)


def set_locked(session, workshop: Workshop, viewer: Viewer, locked: bool) -> dict:
    """Lock (or unlock) the workshop: no card is posted and no dot cast while it is locked."""
    _facilitator_only(workshop, viewer)
    workshop.locked = bool(locked)
    return _changed(session, workshop)


def set_hide_vote_totals(session, workshop: Workshop, viewer: Viewer, hidden: bool) -> dict:
    """Turn « Totaux cachés pendant le vote » on or off. Off during the table vote: each table's totals
    go out at once (`votes:totals`); on: phones and boards hear no more totals until the vote ends."""
    _facilitator_only(workshop, viewer)
    before = totals_hidden(workshop)
    workshop.hide_vote_totals = bool(hidden)
    return _changed(session, workshop, before)


# --- Hidden until reveal -------------------------------------------------------------------------------


def readable_cards(viewer):
    """SQL condition on Card: the cards this viewer may read. Sealed cards only reach their author.

    A participant reads their own sealed cards; a référent the paper cards of its table (it typed them);
    `viewer` None (scripts, the report) reads everything.
    """
    readable = Card.sealed.is_(False)
    if viewer is None:
        return true()
    if viewer.role == "participant" and viewer.participant_id is not None:
        readable = readable | (Card.participant_id == viewer.participant_id)
    elif viewer.role == "referent" and viewer.group_id is not None:
        readable = readable | (Card.participant_id.is_(None) & (Card.group_id == viewer.group_id))
    return readable


# One table's sealed counts: every phone's join reads them, so the statement is built once.
TABLE_SEALED_COUNTS = (
    select(Card.family, func.count(Card.id))
    .where(
        Card.workshop_id == bindparam("workshop_id"),
        Card.group_id == bindparam("group_id"),
        Card.sealed.is_(True),
        Card.status != "deleted",
    )
    .group_by(Card.family)
)


def sealed_counts(session, workshop: Workshop, group: Group | None = None) -> dict[str, dict[str, int]]:
    """{table number: {family: sealed cards}} for every table (or one), counting cards still sealed."""
    if group is not None:
        rows = session.execute(TABLE_SEALED_COUNTS, {"workshop_id": workshop.id, "group_id": group.id}).all()
        return {str(group.number): dict(rows)} if rows else {}
    query = (
        select(Group.number, Card.family, func.count(Card.id))
        .join(Group, Group.id == Card.group_id)
        .where(Card.workshop_id == workshop.id, Card.sealed.is_(True), Card.status != "deleted")
        .group_by(Group.number, Card.family)
    )
    counts: dict[str, dict[str, int]] = {}
    for number, family, count in session.execute(query):
        counts.setdefault(str(number), {})[family] = count
    return counts


def sealed_event(session, workshop: Workshop, card: Card, seq=None):
    """Record `card:sealed`: the card's table and family and the counts, never its text or author."""
    counts = sealed_counts(session, workshop, card.group).get(str(card.group.number), {})
    payload = {"group": card.group.number, "family": card.family, "counts": counts}
    return record_event(session, workshop, "card:sealed", payload, card.group, seq=seq)


def reveal(
    session,
    workshop: Workshop,
    viewer: Viewer,
    step_position: int | None = None,
    group_number: int | None = None,
) -> list[Card]:
    """Reveal sealed cards: of one step (default: every step) and one table (default: every table).

    Each table gets one `cards:revealed` event with its cards (boards and that table receive it). Revealing
    a whole step marks it revealed: its later cards are no longer sealed.
    """
    _facilitator_only(workshop, viewer)
    step = None
    if step_position is not None:
        step = next((s for s in workshop.steps if s.position == step_position), None)
        if step is None:
            raise DomainError("unknown_step", status=404)
    group = None
    if group_number is not None:
        group = workshop.group(group_number) if isinstance(group_number, int) else None
        if group is None:
            raise DomainError("unknown_group", status=404)
    query = (
        select(Card)
        .where(Card.workshop_id == workshop.id, Card.sealed.is_(True))
        .order_by(Card.seq)
        .options(selectinload(Card.participant), selectinload(Card.group))
    )
    if step is not None:
        query = query.where(Card.step_id == step.id)
    if group is not None:
        query = query.where(Card.group_id == group.id)
    cards = session.scalars(query).all()
    if group is None:
        # Steps that have run (not the silent steps still ahead) become revealed.
        current = -1 if workshop.step_position is None else workshop.step_position
        ran = [s for s in workshop.steps if s.position <= current]
        for revealed_step in [step] if step is not None else ran:
            if revealed_step.hidden_until_reveal:
                revealed_step.revealed = True
    by_group: dict[int, list[Card]] = {}
    for card in cards:
        card.sealed = False
        by_group.setdefault(card.group.number, []).append(card)
    session.flush()
    events = []
    for number in sorted(by_group):
        table = by_group[number][0].group
        payload = {
            "group": number,
            "step": step_position,
            "cards": [c.to_dict(anonymous=workshop.anonymous) for c in by_group[number]],
            "counts": sealed_counts(session, workshop, table).get(str(number), {}),
        }
        events.append(record_event(session, workshop, "cards:revealed", payload, table))
    if group is None:
        # The steps' `revealed` flags changed: everyone's agenda state says so.
        events.append(record_event(session, workshop, "step:changed", {"agenda": agenda_state(workshop)}))
    commit_and_publish(session, events)
    return cards


def agenda_snapshot(session, workshop: Workshop, group: Group | None, viewer) -> dict:
    """Snapshot part: the agenda state and the sealed counts of the tables this viewer sees.

    No `server_time` in it (a snapshot describes state, the same until something changes): the `join`
    and `sync` acks carry the server's clock next to it.
    """
    state = agenda_state(workshop)
    del state["server_time"]
    return {"agenda": state, "sealed": sealed_counts(session, workshop, group)}
