"""The agenda and its timer: every transition, every refusal (which changes nothing), posting rules."""

from datetime import UTC, datetime, timedelta

import pytest

from facilitator import agenda
from facilitator.access import Viewer
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.models import Card, Event, Participant, Workshop
from tests.conftest import new_client_id

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def w(session, make_workshop):
    workshop, _ = make_workshop(groups=2)
    return session.get(Workshop, workshop.id)


def facilitator(w):
    return Viewer(w.id, "facilitator")


def phone_viewer(session, w, number=1):
    group = w.group(number)
    participant = Participant(workshop_id=w.id, group_id=group.id, token_hash=new_client_id(), name="Léa")
    session.add(participant)
    session.commit()
    return Viewer(w.id, "participant", group.id, group.number, participant.id)


def referent(w, number=1):
    group = w.group(number)
    return Viewer(w.id, "referent", group.id, group.number)


def post(session, w, viewer, family="forces", text="Une idée"):
    return post_card(session, w, viewer, client_id=new_client_id(), family=family, text=text)[0]


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code
    return info.value


def step_events(session, w):
    return [
        e
        for e in session.query(Event).filter_by(workshop_id=w.id).order_by(Event.seq)
        if e.type == "step:changed"
    ]


# --- free mode ------------------------------------------------------------------------------------------


def test_free_mode_opens_every_family_and_table_voting(session, w):
    assert w.step_status == "free" and w.step_position is None
    assert agenda.open_families(w) == w.families
    assert all(agenda.posting_open(w, f) for f in w.families)
    assert agenda.voting_state(w) == "table"
    state = agenda.agenda_state(w)
    assert state["status"] == "free" and state["step"] is None and len(state["steps"]) == 7


# --- transitions --------------------------------------------------------------------------------------


def test_start_enters_the_first_step_with_a_deadline_and_one_event(session, w):
    state = agenda.start(session, w, facilitator(w), now=T0)
    assert state["position"] == 0 and state["status"] == "running"
    assert state["started_at"] == "2026-11-23T09:00:00.000Z"
    assert state["deadline"] == "2026-11-23T09:15:00.000Z"  # accueil: 15 minutes
    assert state["server_time"].endswith("Z") and state["step"]["kind"] == "accueil"
    events = step_events(session, w)
    assert len(events) == 1 and events[0].group_id is None
    assert events[0].payload["agenda"]["deadline"] == state["deadline"]


def test_pause_keeps_the_seconds_left_and_resume_sets_a_new_deadline(session, w):
    agenda.start(session, w, facilitator(w), now=T0)
    state = agenda.pause(session, w, facilitator(w), now=T0 + timedelta(minutes=5))
    assert state["status"] == "paused" and state["remaining"] == 600 and state["deadline"] is None
    refused("not_running", agenda.pause, session, w, facilitator(w))
    state = agenda.resume(session, w, facilitator(w), now=T0 + timedelta(minutes=30))
    assert state["status"] == "running" and state["remaining"] is None
    assert state["deadline"] == "2026-11-23T09:40:00.000Z"
    refused("not_paused", agenda.resume, session, w, facilitator(w))
    assert len(step_events(session, w)) == 3


def test_extend_adds_minutes_running_paused_and_past_the_deadline(session, w):
    agenda.start(session, w, facilitator(w), now=T0)
    state = agenda.extend(session, w, facilitator(w), 5, now=T0 + timedelta(minutes=1))
    assert state["deadline"] == "2026-11-23T09:20:00.000Z"
    # Past the deadline: counted from now, so +1 min gives one real minute.
    state = agenda.extend(session, w, facilitator(w), 1, now=T0 + timedelta(minutes=30))
    assert state["deadline"] == "2026-11-23T09:31:00.000Z"
    agenda.pause(session, w, facilitator(w), now=T0 + timedelta(minutes=30, seconds=30))
    state = agenda.extend(session, w, facilitator(w), 2, now=T0 + timedelta(minutes=31))
    assert state["remaining"] == 30 + 120
    refused("invalid_payload", agenda.extend, session, w, facilitator(w), 0)
    refused("invalid_payload", agenda.extend, session, w, facilitator(w), 61)


def test_next_goto_and_end(session, w):
    agenda.start(session, w, facilitator(w), now=T0)
    state = agenda.next_step(session, w, facilitator(w), now=T0 + timedelta(minutes=10))
    assert state["position"] == 1 and state["step"]["kind"] == "forces-faiblesses"
    assert state["deadline"] == "2026-11-23T09:35:00.000Z"  # fresh 25-minute clock from the change
    assert state["open_families"] == ["forces", "faiblesses"]
    state = agenda.goto(session, w, facilitator(w), 6, now=T0)
    assert state["position"] == 6
    refused("no_next_step", agenda.next_step, session, w, facilitator(w))
    refused("unknown_step", agenda.goto, session, w, facilitator(w), 7)
    state = agenda.end(session, w, facilitator(w))
    assert state["status"] == "ended" and state["deadline"] is None and state["open_families"] == []
    assert agenda.voting_state(w) == "off"
    refused("agenda_ended", agenda.end, session, w, facilitator(w))
    refused("no_next_step", agenda.next_step, session, w, facilitator(w))
    refused("not_running", agenda.extend, session, w, facilitator(w), 1)
    state = agenda.goto(session, w, facilitator(w), 4, now=T0)  # back into the plenary after the end
    assert state["status"] == "running" and state["voting"] == "plenary"


def test_commands_before_start_are_refused(session, w):
    for fn in (agenda.pause, agenda.resume, agenda.next_step, agenda.end):
        refused("agenda_not_started", fn, session, w, facilitator(w))
    refused("agenda_not_started", agenda.extend, session, w, facilitator(w), 1)
    refused("agenda_not_started", agenda.goto, session, w, facilitator(w), 1)
    assert step_events(session, w) == []
    agenda.start(session, w, facilitator(w))
    refused("agenda_started", agenda.start, session, w, facilitator(w))


def test_voting_state_follows_the_step(session, w):
    agenda.start(session, w, facilitator(w))
    assert agenda.voting_state(w) == "off"
    agenda.goto(session, w, facilitator(w), 3)
    assert agenda.voting_state(w) == "table"
    agenda.set_locked(session, w, facilitator(w), True)
    assert agenda.voting_state(w) == "off"


# --- editing the agenda -------------------------------------------------------------------------------

NEW_AGENDA = [
    {"title": "Idées", "minutes": 10, "open_families": ["attentes", "forces"], "hidden_until_reveal": True},
    {"title": "  Vote  ", "minutes": 5, "voting": "table"},
]


def test_update_agenda_replaces_the_steps_before_start(session, w):
    state = agenda.update_agenda(session, w, facilitator(w), NEW_AGENDA)
    assert [s["title"] for s in state["steps"]] == ["Idées", "Vote"]
    # Families keep the workshop's order.
    assert state["steps"][0]["open_families"] == ["forces", "attentes"]
    assert state["steps"][0]["duration"] == 600 and state["steps"][0]["hidden_until_reveal"] is True
    assert state["steps"][1]["voting"] == "table"
    session.expire_all()
    assert [s.title for s in session.get(Workshop, w.id).steps] == ["Idées", "Vote"]
    longer = NEW_AGENDA + [{"title": f"Étape {i}", "minutes": 1} for i in range(4)]
    assert len(agenda.update_agenda(session, w, facilitator(w), longer)["steps"]) == 6


@pytest.mark.parametrize(
    ("steps", "code"),
    [
        ([], "invalid_payload"),
        ([{"title": "", "minutes": 5}], "invalid_payload"),
        ([{"title": "A", "minutes": 0}], "invalid_payload"),
        ([{"title": "A", "minutes": 5, "open_families": ["menaces"]}], "unknown_family"),
        ([{"title": "A", "minutes": 5, "voting": "always"}], "invalid_payload"),
    ],
)
def test_update_agenda_refuses_bad_steps_and_changes_nothing(session, w, steps, code):
    before = [agenda.step_to_dict(s) for s in w.steps]
    refused(code, agenda.update_agenda, session, w, facilitator(w), steps)
    session.rollback()
    assert [agenda.step_to_dict(s) for s in session.get(Workshop, w.id).steps] == before


def as_edit(steps):
    """The agenda as the editor sends it back: the fields a person edits."""
    return [
        {
            "kind": s.kind,
            "title": s.title,
            "minutes": s.duration // 60,
            "open_families": list(s.open_families),
            "hidden_until_reveal": s.hidden_until_reveal,
            "voting": s.voting,
        }
        for s in steps
    ]


def test_update_agenda_while_running_adds_removes_and_reorders_the_future_steps(session, w):
    agenda.start(session, w, facilitator(w), now=T0)
    agenda.next_step(session, w, facilitator(w), now=T0)  # step 2 (forces-faiblesses), sealing
    w.steps[1].revealed = True
    session.commit()
    deadline = w.step_deadline
    edit = as_edit(w.steps)
    # Remove "attentes-contributions" and the plan, swap the plenary and the vote, add a last step.
    edit = edit[:2] + [edit[4], edit[3], edit[6], {"title": "Pot de l’amitié", "minutes": 15}]
    state = agenda.update_agenda(session, w, facilitator(w), edit)
    assert [s["kind"] for s in state["steps"]] == [
        "accueil", "forces-faiblesses", "pleniere", "essentiel", "conclusion", "custom",
    ]  # fmt: skip
    # The run goes on where it was: same step, same clock, the current step still revealed.
    assert state["position"] == 1 and state["status"] == "running"
    assert state["step"]["kind"] == "forces-faiblesses" and state["step"]["revealed"] is True
    assert w.step_deadline == deadline
    assert step_events(session, w)[-1].payload["agenda"]["steps"][-1]["title"] == "Pot de l’amitié"
    # Every future step removed: the current one is the last.
    state = agenda.update_agenda(session, w, facilitator(w), as_edit(w.steps)[:2])
    assert len(state["steps"]) == 2
    agenda.end(session, w, facilitator(w))  # after the end, still the steps after the shown one
    state = agenda.update_agenda(
        session, w, facilitator(w), as_edit(w.steps) + [{"title": "Bis", "minutes": 5}]
    )
    assert [s["title"] for s in state["steps"]][-1] == "Bis" and state["status"] == "ended"


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e[0].update(title="Autre accueil"),  # a past step renamed
        lambda e: e[1].update(minutes=40),  # the current step's length
        lambda e: e[1].update(open_families=["forces"]),  # the current step's families
        lambda e: e.pop(0),  # a past step removed
        lambda e: e.insert(1, {"title": "Avant", "minutes": 5}),  # a step inserted before the current
        lambda e: e.__setitem__(slice(0, 3), [e[2], e[0], e[1]]),  # a future step moved before it
        lambda e: e.__setitem__(slice(None), e[:1]),  # the current step removed
    ],
)
def test_update_agenda_while_running_refuses_the_current_and_past_steps(session, w, change):
    agenda.start(session, w, facilitator(w), now=T0)
    agenda.next_step(session, w, facilitator(w), now=T0)
    before = [agenda.step_to_dict(s) for s in w.steps]
    edit = as_edit(w.steps)
    change(edit)
    error = refused("step_fixed", agenda.update_agenda, session, w, facilitator(w), edit)
    assert error.status == 409 and error.details["position"] in (1, 2) and error.details["title"]
    session.rollback()
    assert [agenda.step_to_dict(s) for s in session.get(Workshop, w.id).steps] == before


def test_step_fixed_says_which_step_and_what_can_change(app):
    from facilitator.errors import from_exception

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        message = from_exception(DomainError("step_fixed", position=2, title="Forces"))["error"]["message"]
    assert "2" in message and "Forces" in message and "après l’étape en cours" in message


@pytest.mark.parametrize("role", ["participant", "referent", "board"])
def test_only_the_facilitator_runs_the_agenda(session, w, role):
    viewer = Viewer(w.id, role, w.groups[0].id, 1)
    for fn in (agenda.start, agenda.pause, agenda.resume, agenda.next_step, agenda.end):
        refused("forbidden", fn, session, w, viewer)
    refused("forbidden", agenda.update_agenda, session, w, viewer, NEW_AGENDA)
    refused("forbidden", agenda.reveal, session, w, viewer)
    refused("forbidden", agenda.set_locked, session, w, viewer, True)
    refused("forbidden", agenda.start, session, w, Viewer(w.id + 1000, "facilitator"))
    assert w.step_status == "free" and step_events(session, w) == []


# --- posting rules ----------------------------------------------------------------------------------


def test_posting_follows_the_open_families_of_the_step(session, w):
    someone = phone_viewer(session, w)
    agenda.start(session, w, facilitator(w))
    error = refused("posting_closed", post, session, w, someone)  # accueil: nothing open
    agenda.next_step(session, w, facilitator(w))
    error = refused("family_closed", post, session, w, someone, family="attentes")
    assert error.details["open_families"] == ["forces", "faiblesses"]
    assert "forces" in error.details["open"].lower()
    card = post(session, w, someone, family="faiblesses")
    assert card.id and card.step_id == agenda.current_step(w).id


def test_locked_workshop_refuses_every_card(session, w):
    someone = phone_viewer(session, w)
    agenda.set_locked(session, w, facilitator(w), True)
    refused("locked", post, session, w, someone)
    refused("locked", post, session, w, referent(w))
    agenda.set_locked(session, w, facilitator(w), False)
    assert post(session, w, someone).id


def test_time_up_closes_phones_but_not_paper_cards_until_the_step_changes(session, w):
    someone = phone_viewer(session, w)
    agenda.start(session, w, facilitator(w), now=datetime.now(UTC) - timedelta(hours=1))
    agenda.goto(session, w, facilitator(w), 2, now=datetime.now(UTC) - timedelta(hours=1))
    assert agenda.time_is_up(w)
    refused("step_closed", post, session, w, someone, family="attentes")
    assert post(session, w, referent(w), family="attentes").source == "paper"
    agenda.extend(session, w, facilitator(w), 1)  # one more minute: the phones post again
    assert post(session, w, someone, family="attentes").id
    agenda.end(session, w, facilitator(w))
    refused("posting_closed", post, session, w, referent(w), family="attentes")


def test_a_refused_card_changes_nothing(session, w, count_rows):
    someone = phone_viewer(session, w)
    agenda.start(session, w, facilitator(w))
    before = count_rows()
    refused("posting_closed", post, session, w, someone)
    assert count_rows() == before
    assert session.query(Card).count() == 0


def test_revealing_everything_leaves_the_silent_steps_ahead_silent(session, w):
    steps = [
        {"title": f"Silence {i}", "minutes": 5, "open_families": ["forces"], "hidden_until_reveal": True}
        for i in range(2)
    ]
    agenda.update_agenda(session, w, facilitator(w), steps)
    someone = phone_viewer(session, w)
    agenda.start(session, w, facilitator(w))
    assert post(session, w, someone).sealed is True
    assert [c.text for c in agenda.reveal(session, w, facilitator(w))] == ["Une idée"]
    assert [s.revealed for s in w.steps] == [True, False]
    assert post(session, w, someone).sealed is False
    agenda.next_step(session, w, facilitator(w))
    assert post(session, w, someone).sealed is True, "the next silent step hides its cards again"
