"""What keeps a 1,000-phone workshop fast: a card reads its own table, not every table (issue 6)."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from facilitator.access import admit
from facilitator.cards import card_view, post_card
from facilitator.extensions import db
from facilitator.models import Group
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id


def test_posting_a_card_at_a_100_table_workshop_reads_no_table_row(app, make_workshop):
    """The card's table is the one its author joined (the viewer knows it): not one row of 100 read."""
    created, _ = make_workshop(groups=100)
    with Session(db.engine, expire_on_commit=False) as joining:
        viewer = admit(joining, find_workshop(joining, created.code), "participant", group_number=42).viewer
        joining.commit()
    rows = []
    with Session(db.engine, expire_on_commit=False) as posting:

        @event.listens_for(posting, "loaded_as_persistent")
        def count(_session, instance):
            if isinstance(instance, Group):
                rows.append(instance.number)

        workshop = find_workshop(posting, created.code)
        card, created_now = post_card(
            posting, workshop, viewer, client_id=new_client_id(), family="forces", text="Des idées"
        )
    assert created_now and card.group_id == viewer.group_id
    assert card_view(card, viewer, anonymous=False)["group"] == 42
    assert rows == []


def test_the_in_memory_rate_limits_run_no_background_timer(monkeypatch):
    import threading

    from facilitator import ratelimits
    from facilitator.errors import DomainError

    clock = [1000.0]
    monkeypatch.setattr(ratelimits.time, "time", lambda: clock[0])
    before = threading.active_count()
    limits = ratelimits.RateLimits()
    limits.configure("memory://", {"cards": "3/10 seconds;5/minute"})
    for _ in range(3):
        limits.check("cards", "p1")
    try:
        limits.check("cards", "p1")
        raise AssertionError("a fourth card in 10 s went through")
    except DomainError as refused:
        assert refused.code == "rate_limited" and refused.details["retry_after"] == 10
    limits.check("cards", "p2")  # another device has its own count
    clock[0] += 10.5  # the 10-second window moved on; the minute still counts 3
    limits.check("cards", "p1")
    limits.check("cards", "p1")
    assert limits.exhausted("cards", "p1")  # 5 in the minute
    clock[0] += 61
    assert not limits.exhausted("cards", "p1")
    assert threading.active_count() == before


def test_presence_counts_people_per_table_from_an_index():
    """Presence keeps an index per workshop and table: a join no longer passes over every connection
    (counting every table with a pass each made a 1,000-phone join storm quadratic)."""
    from facilitator.access import Viewer
    from facilitator.realtime.presence import LocalPresence, for_viewer

    index = LocalPresence()
    for i in range(300):  # 300 connections; two tabs for some people
        index.change(None, Viewer(1, "participant", 100 + i % 10, i % 10 + 1, participant_id=i % 250))
    index.change(None, Viewer(1, "board"))
    index.change(None, Viewer(2, "participant", 999, 1, participant_id=5000))
    index.change(None, Viewer(1, "referent", 103, 4))
    counts = index.workshop_counts(1)
    board = for_viewer(Viewer(1, "board"), counts)
    expected = {str(n): len({i % 250 for i in range(300) if i % 10 + 1 == n}) for n in range(1, 11)}
    assert board == expected
    phone = for_viewer(Viewer(1, "participant", 103, 4, participant_id=1), counts)
    assert phone == {"4": expected["4"]}
    assert for_viewer(Viewer(1, "participant", 111, 12, participant_id=1), counts) == {"12": 0}
