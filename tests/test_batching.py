"""Coalesced broadcasts: cards posted in a burst reach a crowded room together (`cards:batch`), in order, each once."""

import threading

import pytest

from facilitator.realtime import batching
from facilitator.realtime.batching import Coalescer


class Clock:
    def __init__(self):
        self.now = 100.0


def make(clock):
    """A coalescer whose timers run when the test says so."""
    sent, timers = [], []
    coalescer = Coalescer(
        send=lambda event, message, rooms: sent.append((event, message, list(rooms))),
        sleep=lambda seconds: None,
        spawn=lambda fn, *args: timers.append((fn, args)),
        clock=lambda: clock.now,
        size=lambda room: 1 if room.endswith(":board") and "small" in room else 100,
    )
    return coalescer, sent, timers


def card(seq, group="g1"):
    return {"type": "card:added", "seq": seq, "card": {"id": seq, "group": group}}


def delivered(sent, room):
    """Every card:added a member of `room` receives, in order, batches unpacked."""
    out = []
    for event, message, rooms in sent:
        if room not in rooms:
            continue
        if event == "cards:batch":
            assert message["seq"] == message["messages"][-1]["seq"]
            out.extend(m for m in message["messages"])
        else:
            out.append(message)
    return out


def test_a_lone_card_goes_out_at_once_unchanged():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    coalescer.publish(card(1), ["w1:board", "w1:g1"], 1, 0.1)
    assert sent == [("card:added", card(1), ["w1:board", "w1:g1"])]
    assert timers == []


def test_a_burst_keeps_order_and_loses_nothing():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    for seq in range(1, 51):
        group = f"w1:g{seq % 3}"
        coalescer.publish(card(seq, group), ["w1:board", group], 1, 0.1)
        clock.now += 0.01
    while timers:
        fn, args = timers.pop(0)
        fn(*args)
    board = delivered(sent, "w1:board")
    assert [m["seq"] for m in board] == list(range(1, 51))
    for g in range(3):
        room = f"w1:g{g}"
        assert [m["seq"] for m in delivered(sent, room)] == [s for s in range(1, 51) if s % 3 == g]
    # The board got a handful of messages, not fifty.
    assert len([s for s in sent if "w1:board" in s[2]]) <= 7


def test_joins_at_a_crowded_table_leave_together_each_once_in_order():
    """500 phones joining one table: each join's participants:count and group:presence, batched."""
    clock = Clock()
    coalescer, sent, timers = make(clock)
    expected = []
    for n in range(1, 41):
        count = {"type": "participants:count", "seq": n, "group": 1, "participants": n}
        presence = {"type": "group:presence", "group": 1, "connected": n}  # live state: no seq
        for message in (count, presence):
            coalescer.publish(message, ["w1:g1"], 1, 0.1)
            expected.append(message)
        clock.now += 0.005
    while timers:
        fn, args = timers.pop(0)
        fn(*args)
    received = []
    for event, message, _rooms in sent:
        if event == "cards:batch":
            assert message["seq"] == max(m["seq"] for m in message["messages"] if "seq" in m)
            received.extend(message["messages"])
        else:
            received.append(message)
    assert received == expected
    assert len(sent) <= 4  # 80 messages in 0.2 s: a few sends to each phone, not 80


def test_plenary_dots_reach_the_whole_workshop_together_and_in_order_with_the_tables_cards():
    """A phone is in its table's room and the workshop's: it gets every message once, seq ascending."""
    clock = Clock()
    coalescer, sent, timers = make(clock)
    expected = []
    for seq in range(1, 121):
        if seq % 4 == 0:  # a card at table 1 now and then, between plenary dots
            message, rooms = card(seq, "w1:g1"), ["w1:board", "w1:g1"]
        else:
            message = {
                "type": "vote:counts",
                "seq": seq,
                "stage": "plenary",
                "target": "card:1",
                "votes": seq,
            }
            rooms = ["w1"]
        coalescer.publish(message, rooms, 1, 0.1)
        expected.append(message)
        clock.now += 0.004
        if seq % 25 == 0:  # the window's timers fire while dots keep coming
            while timers:
                fn, args = timers.pop(0)
                fn(*args)
    while timers:
        fn, args = timers.pop(0)
        fn(*args)
    phone = []  # a phone at table 1: rooms w1 and w1:g1
    for event, message, rooms in sent:
        if "w1" in rooms or "w1:g1" in rooms:
            phone.extend(message["messages"] if event == "cards:batch" else [message])
    assert phone == expected
    # 90 dots to 1,000 phones: a few dozen sends to the workshop's room, not 90.
    assert len([s for s in sent if s[2] == ["w1"]]) <= 40
    from facilitator.realtime.core import workshop_room

    assert batching.everyone_room(7) == workshop_room(7)


def test_another_broadcast_sends_the_waiting_cards_first():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    coalescer.publish(card(1), ["w1:board", "w1:g1"], 1, 0.1)
    coalescer.publish(card(2), ["w1:board", "w1:g1"], 1, 0.1)
    coalescer.publish(card(3), ["w1:board", "w1:g1"], 1, 0.1)
    step = {"type": "step:changed", "seq": 4}
    coalescer.publish(step, ["w1"], 1, 0.1)
    events = [(event, message["seq"]) for event, message, _ in sent]
    assert events[-1] == ("step:changed", 4)
    # Cards 2 and 3 left (one batch per room) before the step change, after card 1.
    assert [e for e in events[:-1] if e[0] == "card:added"] == [("card:added", 1)]
    assert {e for e in events[1:-1]} == {("cards:batch", 3)}
    for fn, args in timers:  # the timers find nothing left to send
        fn(*args)
    assert len(sent) == 4


def test_a_quiet_room_is_not_delayed_by_a_busy_one():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    coalescer.publish(card(1), ["w1:g1"], 1, 0.1)
    coalescer.publish(card(2), ["w1:g1"], 1, 0.1)  # waits
    coalescer.publish(card(3), ["w1:g2"], 1, 0.1)  # another table: at once
    assert [(m["seq"], rooms) for _, m, rooms in sent] == [(1, ["w1:g1"]), (3, ["w1:g2"])]


def test_a_small_room_is_never_batched():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    for seq in (1, 2, 3):
        coalescer.publish(card(seq), ["small:board", "w1:g1"], 1, 0.1)
    assert [m["seq"] for m in delivered(sent, "small:board")] == [1, 2, 3]
    assert len([s for s in sent if "small:board" in s[2]]) == 3
    for fn, args in timers:
        fn(*args)
    assert [m["seq"] for m in delivered(sent, "w1:g1")] == [1, 2, 3]
    assert len([s for s in sent if "w1:g1" in s[2]]) == 2  # card 1 at once, 2 and 3 together


def test_a_private_card_follows_the_table_cards_waiting_before_it():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    coalescer.publish(card(1), ["w1:g1"], 1, 0.1)
    coalescer.publish(card(2), ["w1:g1"], 1, 0.1)  # waits
    coalescer.publish(card(3), ["w1:p7"], 1, 0.1, private=True)
    assert [(e, m["seq"]) for e, m, _ in sent] == [("card:added", 1), ("card:added", 2), ("card:added", 3)]


def test_batching_off_sends_everything_at_once():
    clock = Clock()
    coalescer, sent, timers = make(clock)
    for seq in (1, 2, 3):
        coalescer.publish(card(seq), ["w1:g1"], 1, 0)
    assert [m["seq"] for _, m, _ in sent] == [1, 2, 3] and timers == []


def test_concurrent_publishers_lose_nothing():
    sent = []
    lock = threading.Lock()

    def send(event, message, rooms):
        with lock:
            sent.append((event, message, list(rooms)))

    coalescer = Coalescer(
        send=send,
        sleep=lambda s: threading.Event().wait(s),
        spawn=lambda fn, *a: threading.Thread(target=fn, args=a).start(),
        size=lambda room: 100,
    )
    seq = iter(range(1, 10_000))
    seq_lock = threading.Lock()

    def poster():
        for _ in range(50):
            with seq_lock:  # as the database's row lock orders commits
                coalescer.publish(card(next(seq)), ["w1:board", "w1:g1"], 1, 0.02)

    threads = [threading.Thread(target=poster) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threading.Event().wait(0.2)
    coalescer.flush_workshop(1)
    for room in ("w1:board", "w1:g1"):
        assert [m["seq"] for m in delivered(sent, room)] == list(range(1, 401))


def test_a_send_that_publishes_again_neither_freezes_nor_overtakes():
    """Engine.IO closes a phone whose ping timed out inside the send that finds it, and its departure
    is broadcast from there: that broadcast must neither wait for the send in progress (issue 18: every
    green thread froze behind it) nor leave before it."""
    clock = Clock()
    sent, timers = [], []

    def send(event, message, rooms):
        sent.append((event, message.get("seq"), list(rooms)))
        if event == "cards:batch" and len(sent) == 2:  # the batch finds a phone gone
            coalescer.publish(
                {"type": "group:presence", "group": 1, "connected": 9}, ["w1:board", "w1:g1"], 1, 0.1
            )
            coalescer.publish({"type": "step:changed", "seq": 4}, ["w1"], 1, 0.1)

    coalescer = Coalescer(
        send=send,
        sleep=lambda seconds: None,
        spawn=lambda fn, *args: timers.append((fn, args)),
        clock=lambda: clock.now,
        size=lambda room: 100,
    )
    for seq in (1, 2, 3):
        coalescer.publish(card(seq), ["w1:g1"], 1, 0.1)  # 1 at once, 2 and 3 wait
    flusher = threading.Thread(target=coalescer.flush, args=("w1:g1", 1), daemon=True)
    flusher.start()
    flusher.join(timeout=5)
    assert not flusher.is_alive(), "the flush froze on its own lock"
    assert sent == [
        ("card:added", 1, ["w1:g1"]),
        ("cards:batch", 3, ["w1:g1"]),
        ("group:presence", None, ["w1:board"]),
        ("group:presence", None, ["w1:g1"]),  # held in the table's window, sent before the step change
        ("step:changed", 4, ["w1"]),
    ]


def test_with_slow_sends_each_publisher_returns_once_its_own_broadcast_has_left():
    """One sender at a time, never under the lock: the others wait for it (or take over), so an ack
    still follows its broadcast; each message leaves once, each publisher's in its order."""
    sent = []

    def send(event, message, rooms):
        threading.Event().wait(0.001)  # a send that yields (a message queue, a full socket)
        sent.append(message["id"])

    coalescer = Coalescer(send=send, size=lambda room: 100)
    late = []

    def poster(who):
        for n in range(30):
            coalescer.publish({"type": "step:changed", "id": (who, n)}, ["w1"], 1, 0.1)
            if (who, n) not in sent:
                late.append((who, n))

    threads = [threading.Thread(target=poster, args=(who,)) for who in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert late == []
    assert sorted(sent) == [(who, n) for who in range(6) for n in range(30)]
    for who in range(6):
        assert [n for w, n in sent if w == who] == list(range(30))


@pytest.fixture
def app_config():
    return {"BATCH_MS": 100, "BATCH_MIN_CLIENTS": 1}


def test_a_burst_of_cards_reaches_the_board_and_the_table_each_once(make_workshop, joined, phone):
    batching.coalescer.forget()
    workshop, secrets = make_workshop(groups=2)
    board, _ = joined(workshop.code, "board", token=secrets.board_token)
    author, _ = phone(workshop.code, group=1)
    neighbour, _ = phone(workshop.code, group=1)
    other_table, _ = phone(workshop.code, group=2)
    for i in range(6):
        reply = author.emit(
            "card:add",
            {"client_id": f"c{i}", "family": workshop.families[0], "text": f"carte {i}"},
            callback=True,
        )
        assert reply["ok"], reply
    threading.Event().wait(0.3)  # past the window: the waiting cards have left

    def texts(client):
        out = []
        for packet in client.get_received():
            message = packet["args"][0]
            if packet["name"] == "cards:batch":
                # The joins' participants:count and group:presence may travel in the same batches.
                assert {m["type"] for m in message["messages"]} <= batching.BATCHED
                out.extend(m["card"]["text"] for m in message["messages"] if m["type"] == "card:added")
            elif packet["name"] == "card:added":
                out.append(message["card"]["text"])
        return out

    expected = [f"carte {i}" for i in range(6)]
    assert texts(board) == expected
    assert texts(neighbour) == expected
    assert texts(other_table) == []
