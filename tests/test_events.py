"""The per-workshop event log: one event per change, numbered in order, replayed to whoever missed it."""

import pytest
from sqlalchemy import select

from facilitator.access import admit
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.events import Audience, events_since
from facilitator.models import Event, Workshop
from facilitator.workshops import find_workshop, workshop_snapshot
from tests.conftest import new_client_id


@pytest.fixture
def workshop(session, make_workshop):
    created, secrets = make_workshop(groups=3)
    loaded = find_workshop(session, created.code)
    loaded.secrets = secrets
    return loaded


def add_card(session, workshop, viewer, text="Carte"):
    card, _ = post_card(session, workshop, viewer, client_id=new_client_id(), family="forces", text=text)
    return card


def seqs(session, workshop):
    return list(session.scalars(select(Event.seq).where(Event.workshop_id == workshop.id).order_by(Event.id)))


def test_every_change_is_one_event_with_the_next_number(session, workshop):
    viewers = [admit(session, workshop, "participant", group_number=n).viewer for n in (1, 2, 3)]
    for viewer in viewers * 2:
        add_card(session, workshop, viewer)
    numbers = seqs(session, workshop)
    assert numbers == list(range(1, 10)), "3 joins and 6 cards, numbered 1..9 in the order they happened"
    assert session.scalar(select(Workshop.seq).where(Workshop.id == workshop.id)) == 9


def test_sequences_are_independent_between_workshops(session, workshop, make_workshop):
    created, _ = make_workshop()
    other = find_workshop(session, created.code)
    here = admit(session, workshop, "participant", group_number=1).viewer
    there = admit(session, other, "participant", group_number=1).viewer
    for _ in range(3):
        add_card(session, workshop, here)
    add_card(session, other, there)
    assert seqs(session, workshop) == [1, 2, 3, 4]
    assert seqs(session, other) == [1, 2]


def test_published_messages_carry_their_seq_and_audience(session, workshop, published):
    viewer = admit(session, workshop, "participant", group_number=2).viewer
    card = add_card(session, workshop, viewer)
    assert [message["seq"] for message, _ in published] == [1, 2]
    assert published[1][0]["card"]["id"] == card.id
    assert published[1][1] == Audience(workshop.id, viewer.group_id)


def test_snapshot_carries_the_current_seq(session, workshop):
    """A client starts from the snapshot's seq: it must count every change already in the snapshot."""
    viewer = admit(session, workshop, "participant", group_number=1).viewer
    add_card(session, workshop, viewer)
    add_card(session, workshop, viewer)
    snapshot = workshop_snapshot(session, workshop, None)
    assert snapshot["seq"] == 3
    assert [card["seq"] for card in snapshot["cards"]] == [2, 3]


@pytest.fixture
def busy(session, workshop):
    """Two cards at table 1, one at table 2, one at table 3 (after a join at each)."""
    viewers = {n: admit(session, workshop, "participant", group_number=n).viewer for n in (1, 2, 3)}
    add_card(session, workshop, viewers[1], "un")
    add_card(session, workshop, viewers[2], "deux")
    add_card(session, workshop, viewers[1], "un bis")
    add_card(session, workshop, viewers[3], "trois")
    return viewers


def texts(messages):
    return [m["card"]["text"] for m in messages if m["type"] == "card:added"]


def test_events_since_for_a_table_holds_only_that_table(session, workshop, busy):
    missed = events_since(session, workshop, 0, busy[1].group_id, limit=500)
    assert texts(missed) == ["un", "un bis"]
    assert all(m["type"] != "participants:count" or m["group"] == 1 for m in missed)
    assert [m["seq"] for m in missed] == sorted(m["seq"] for m in missed)


def test_events_since_for_the_boards_holds_every_table(session, workshop, busy):
    missed = events_since(session, workshop, 0, None, limit=500)
    assert texts(missed) == ["un", "deux", "un bis", "trois"]
    assert [m["seq"] for m in missed] == list(range(1, 8))


def test_events_since_returns_only_what_came_after(session, workshop, busy):
    assert texts(events_since(session, workshop, 5, None, limit=500)) == ["un bis", "trois"]
    assert events_since(session, workshop, 7, None, limit=500) == []


@pytest.mark.parametrize(
    ("since", "limit"),
    [(8, 500), (10**6, 500), (-1, 500), (0, 6), (1, 5)],
    ids=["ahead", "far-ahead", "negative", "too-far-behind", "too-far-behind-2"],
)
def test_a_snapshot_is_due_when_the_log_cannot_answer(session, workshop, busy, since, limit):
    assert events_since(session, workshop, since, None, limit=limit) is None


def test_just_within_the_limit_is_answered_with_events(session, workshop, busy):
    assert len(events_since(session, workshop, 2, None, limit=5)) == 5


def test_a_refused_card_records_nothing(session, workshop, busy):
    before = seqs(session, workshop)
    with pytest.raises(DomainError):
        post_card(session, workshop, busy[1], client_id=new_client_id(), family="nope", text="x")
    with pytest.raises(DomainError):
        post_card(session, workshop, busy[1], client_id=new_client_id(), family="forces", text="x" * 281)
    assert seqs(session, workshop) == before
    viewer = busy[1]
    add_card(session, workshop, viewer, "après")
    assert seqs(session, workshop) == [*before, before[-1] + 1], "no number was burnt by the refusals"
