"""Presence without Redis: the connected participants per table, counted from this process's index
(facilitator/realtime/presence.py). The two-process path through Redis is in tests/e2e/test_scale_out.py."""

from facilitator.access import Viewer
from facilitator.realtime import presence
from tests.conftest import received, received_until


def last_count(client, group):
    counts = [m["connected"] for m in received(client, "group:presence") if m["group"] == group]
    return counts[-1] if counts else None


def left(client, group, connected):
    """Wait for the count a departure announces (a background task: `presence.connection_left`)."""
    received_until(client, "group:presence", lambda m: m["group"] == group and m["connected"] == connected)


def test_a_table_counts_people_not_tabs_and_moves_and_leaves(app, make_workshop, joined, phone):
    workshop, secrets = make_workshop(groups=2)
    board, board_join = joined(workshop.code, "board", token=secrets.board_token)
    assert board_join["presence"] == {}
    referent, referent_join = joined(workshop.code, "referent", token=secrets.referent_tokens[1], group=1)
    assert referent_join["presence"] == {"1": 0}

    lea, lea_join = phone(workshop.code, group=1, name="Léa")
    assert lea_join["presence"] == {"1": 1}
    assert last_count(referent, 1) == 1
    # Léa opens a second tab: still one person at the table.
    lea_tab, tab_join = phone(workshop.code, participant_token=lea_join["participant_token"])
    assert tab_join["presence"] == {"1": 1}
    assert last_count(board, 1) == 1
    paul, paul_join = phone(workshop.code, group=1, name="Paul")
    assert paul_join["presence"] == {"1": 2}
    assert last_count(referent, 1) == 2
    _, board_again = joined(workshop.code, "board", token=secrets.board_token)
    assert board_again["presence"] == {"1": 2}

    # Paul moves to table 2: table 1 goes down, table 2 up, and the board hears both.
    moved = paul.emit(
        "join",
        {
            "code": workshop.code,
            "role": "participant",
            "group": 2,
            "participant_token": paul_join["participant_token"],
        },
        callback=True,
    )
    assert moved["presence"] == {"2": 1}
    board_counts = {m["group"]: m["connected"] for m in received(board, "group:presence")}
    assert board_counts == {1: 1, 2: 1}
    assert last_count(referent, 1) == 1

    lea_tab.disconnect()  # one of Léa's two tabs: she is still there
    left(referent, 1, 1)
    lea.disconnect()
    left(referent, 1, 0)
    paul.disconnect()
    left(board, 2, 0)
    with app.app_context():
        assert presence.store().workshop_counts(workshop.id) == {}, "nothing is left behind in the index"


def test_the_index_forgets_empty_tables_and_keeps_workshops_apart():
    index = presence.LocalPresence()
    a1 = Viewer(1, "participant", 10, 1, participant_id=7)
    a2 = Viewer(1, "participant", 11, 2, participant_id=7)
    other = Viewer(2, "participant", 10, 1, participant_id=8)
    assert index.change(None, a1) == [(1, 10, 1)]
    index.change(None, other)
    assert index.change(a1, a2) == [(1, 10, 1), (1, 11, 2)]
    assert index.workshop_counts(1) == {11: {"number": 2, "people": {7}}}
    assert index.workshop_counts(2) == {10: {"number": 1, "people": {8}}}
    index.change(a2, None)
    index.change(other, None)
    assert index.tables() == []
    assert index.change(Viewer(1, "board"), Viewer(1, "referent", 10, 1)) == []


def test_counts_across_processes_are_a_union_without_the_dead():
    """What each process wrote to the workshop's Redis hash, merged: a person on two processes counts
    once, and a process that stopped beating is left out."""
    fields = {
        "10:1:proc-a": "1 2 3",
        "10:1:proc-b": "3 4",
        "11:2:proc-b": "5",
        "11:2:proc-dead": "6 7",
        "12:3:proc-dead": "8",
    }
    counts = presence.union_counts(fields, {"proc-a", "proc-b"})
    assert counts == {10: {"number": 1, "people": {1, 2, 3, 4}}, 11: {"number": 2, "people": {5}}}
    assert presence.for_viewer(Viewer(1, "board"), counts) == {"1": 4, "2": 1}
    assert presence.for_viewer(Viewer(1, "participant", 12, 3, participant_id=9), counts) == {"3": 0}


def test_a_join_still_counts_when_redis_does_not_answer():
    """Redis down: the phone's table is counted from this process's own connections, and nothing raises."""
    import redis

    class Down:
        def pipeline(self, transaction=False):
            raise redis.ConnectionError("Connection refused")

    store = presence.RedisPresence("redis://127.0.0.1:1/0", ttl=15, client=Down())
    store._started = True  # no heartbeat thread in this test
    phone = Viewer(1, "participant", 10, 1, participant_id=7)
    touched = store.change(None, phone)
    assert store.workshop_counts(1, touched) == {10: {"number": 1, "people": {7}}}
