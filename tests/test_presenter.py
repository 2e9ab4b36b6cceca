"""Presenter control (`board:show`): the facilitator's console puts a view on the boards, live; the
boards and the consoles follow it, phones and référents never hear of it, and a board that reconnects
converges on the last view (replayed events or its snapshot)."""

import pytest

from tests.conftest import received


@pytest.fixture
def room(make_workshop, phone, joined):
    w, secrets = make_workshop(groups=3)
    people = {
        "phone": phone(w.code, group=1)[0],
        "referent": joined(w.code, "referent", token=secrets.referent_tokens[1])[0],
        "board": joined(w.code, "board", token=secrets.board_token)[0],
        "facilitator": joined(w.code, "facilitator", token=secrets.facilitator_token)[0],
        "console": joined(w.code, "facilitator", token=secrets.facilitator_token)[0],
    }
    for test_client in people.values():
        test_client.get_received()
    return w, secrets, people


def show(test_client, **payload):
    return test_client.emit("board:show", payload, callback=True)


def test_the_board_follows_the_console_and_phones_hear_nothing(room):
    _, _, people = room
    reply = show(people["facilitator"], view="present", table=2)
    assert reply["ok"], reply
    assert reply["board"]["view"] == "present" and reply["board"]["table"] == 2
    [message] = received(people["board"], "board:changed")
    assert {k: message["board"][k] for k in ("view", "table")} == {"view": "present", "table": 2}
    assert message["board"]["at"].endswith("Z")
    assert message["seq"] == reply["board"]["seq"]
    assert [m["board"] for m in received(people["console"], "board:changed")] == [message["board"]]
    for name in ("phone", "referent"):
        assert received(people[name], "board:changed") == [], name


def test_one_table_views_default_to_the_first_table_and_others_have_none(room):
    _, _, people = room
    assert show(people["facilitator"], view="table")["board"]["table"] == 1
    assert show(people["facilitator"], view="plenary", table=3)["board"]["table"] is None


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"view": "everything"}, "invalid_payload"),
        ({}, "invalid_payload"),
        ({"view": "table", "table": "2"}, "invalid_payload"),
        ({"view": "table", "table": 9}, "unknown_group"),
        ({"view": "present", "table": 0}, "invalid_payload"),
    ],
)
def test_malformed_or_unknown_views_are_refused(room, payload, code):
    _, _, people = room
    reply = people["facilitator"].emit("board:show", payload, callback=True)
    assert reply["ok"] is False and reply["error"]["code"] == code, reply
    assert received(people["board"], "board:changed") == []


@pytest.mark.parametrize("who", ["board", "referent", "phone"])
def test_only_the_facilitator_drives_the_board(room, who):
    _, _, people = room
    reply = show(people[who], view="plenary")
    assert reply["ok"] is False and reply["error"]["code"] == "forbidden", reply
    assert received(people["board"], "board:changed") == []


def test_a_reconnecting_board_converges(room, joined):
    w, secrets, people = room
    since = people["board"].emit("sync", {"since": 0}, callback=True)["seq"]
    show(people["facilitator"], view="plenary")
    show(people["facilitator"], view="present", table=3)
    replay = people["board"].emit("sync", {"since": since}, callback=True)
    last = [m["board"] for m in replay["events"] if m["type"] == "board:changed"][-1]
    assert (last["view"], last["table"]) == ("present", 3)
    phone_replay = people["phone"].emit("sync", {"since": since}, callback=True)
    assert [m for m in phone_replay["events"] if m["type"] == "board:changed"] == []
    _, fresh = joined(w.code, "board", token=secrets.board_token)
    assert fresh["snapshot"]["board"]["view"] == "present" and fresh["snapshot"]["board"]["table"] == 3
    _, phone_join = joined(w.code, "participant", group=1)
    assert "board" not in phone_join["snapshot"]


def test_a_workshop_never_driven_has_no_board_state(make_workshop, joined):
    w, secrets = make_workshop(groups=2)
    _, reply = joined(w.code, "board", token=secrets.board_token)
    assert reply["snapshot"]["board"] is None
