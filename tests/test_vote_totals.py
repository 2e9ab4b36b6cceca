"""« Totaux cachés pendant le vote » (issue 16): while the table vote runs, the server sends phones and
boards no table totals — not in the broadcasts, the acks, the snapshots or a replay — only each phone
its own dots; the référent still sees them; when the vote step ends every table gets its totals."""

import json

import pytest

from facilitator.models import Workshop
from tests.conftest import new_client_id, received

AGENDA = [
    {"title": "Vote de la table", "minutes": 10, "open_families": ["forces"], "hidden_until_reveal": False,
     "voting": "table"},
    {"title": "Conclusion", "minutes": 5, "open_families": [], "hidden_until_reveal": False, "voting": "off"},
]  # fmt: skip


def everything(test_client):
    return [packet["args"][0] for packet in test_client.get_received()]


def totals_in(payloads) -> list:
    """Every table total a client was told: `votes` of `vote:counts`, acks, essentials, `votes:totals`."""
    found = []
    for payload in payloads:
        text = json.dumps(payload)
        if '"votes": ' in text:
            found += [v for v in _values(payload, "votes") if v is not None]
        if payload.get("type") == "votes:totals":
            found += list(payload["counts"].values())
    return found


def _values(node, key):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and not isinstance(v, dict | list):
                yield v
            else:
                yield from _values(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from _values(item, key)


@pytest.fixture
def room(make_workshop, joined, phone):
    w, secrets = make_workshop(groups=2, vote_budget=3, hide_vote_totals=True)
    facilitator, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    assert facilitator.emit("agenda:update", {"steps": AGENDA}, callback=True)["ok"]
    assert facilitator.emit("step:start", {}, callback=True)["ok"]
    lea, lea_join = phone(w.code, group=1, name="Léa")
    paul, _ = phone(w.code, group=1, name="Paul")
    board, _ = joined(w.code, "board", token=secrets.board_token)
    referent, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    card = lea.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Idée"}, callback=True
    )
    for client in (lea, paul, board, referent, facilitator):
        client.get_received()
    return {
        "w": w,
        "lea": lea,
        "lea_token": lea_join["participant_token"],
        "paul": paul,
        "board": board,
        "referent": referent,
        "facilitator": facilitator,
        "card": card["card"],
    }


def test_phones_and_boards_get_no_totals_while_the_table_vote_runs(room, phone):
    key = f"card:{room['card']['id']}"
    ack = room["lea"].emit("vote:cast", {"card_id": room["card"]["id"], "delta": 1}, callback=True)
    assert ack["ok"] and ack["remaining"] == 2 and ack["mine"] == {key: 1}
    assert ack["votes"] is None  # not even the caster's own ack says the total
    room["paul"].emit("vote:cast", {"card_id": room["card"]["id"], "delta": 1}, callback=True)

    for name in ("lea", "paul", "board"):
        payloads = everything(room[name])
        counts = [p for p in payloads if p.get("type") == "vote:counts"]
        assert len(counts) == 2 and all(c["votes"] is None for c in counts), name
        assert totals_in(payloads) == [], name
    # The référent (staff) still sees them, live.
    staff = [p["votes"] for p in everything(room["referent"]) if p.get("type") == "vote:counts"]
    assert staff == [1, 2]

    # A phone joining now: its own dots, no totals; a replay since an earlier seq: no totals either.
    _, again = phone(room["w"].code, participant_token=room["lea_token"])
    votes = again["snapshot"]["votes"]
    assert votes["totals_hidden"] is True and votes["counts"]["table"] == {}
    assert votes["mine"]["table"] == {key: 1}
    seq = again["snapshot"]["seq"]
    replay, resumed = phone(room["w"].code, participant_token=room["lea_token"], since=seq - 3)
    assert "events" in resumed and resumed["events"] and totals_in(resumed["events"]) == []


def test_the_totals_reach_every_table_when_the_vote_step_ends(room, phone):
    key = f"card:{room['card']['id']}"
    for name in ("lea", "paul"):
        room[name].emit("vote:cast", {"card_id": room["card"]["id"], "delta": 1}, callback=True)
    for client in (room["lea"], room["paul"], room["board"]):
        client.get_received()
    assert room["facilitator"].emit("step:next", {}, callback=True)["ok"]
    for name in ("paul", "board"):
        payloads = everything(room[name])
        step = [p for p in payloads if p.get("type") == "step:changed"]
        assert step and step[-1]["agenda"]["totals_hidden"] is False, name
        totals = [p for p in payloads if p.get("type") == "votes:totals" and p["group"] == 1]
        assert totals and totals[-1]["counts"] == {key: 2}, name
    _, later = phone(room["w"].code, group=1)
    assert later["snapshot"]["votes"]["counts"]["table"] == {key: 2}


def test_without_the_option_phones_see_the_running_totals(make_workshop, phone):
    w, _ = make_workshop(groups=1)
    lea, _ = phone(w.code, group=1)
    paul, _ = phone(w.code, group=1)
    card = lea.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Idée"}, callback=True
    )
    paul.get_received()
    assert lea.emit("vote:cast", {"card_id": card["card"]["id"], "delta": 1}, callback=True)["votes"] == 1
    assert [c["votes"] for c in received(paul, "vote:counts")] == [1]


def test_the_option_is_set_at_creation(client, app, session):
    response = client.post(
        "/api/workshops",
        json={"title": "Atelier", "hide_vote_totals": True},
        headers={"Authorization": f"Bearer {app.config['ORGANISER_KEY']}"},
    )
    assert response.status_code == 201, response.text
    code = response.get_json()["code"]
    assert session.query(Workshop).filter_by(code=code).one().hide_vote_totals is True
    assert client.get(f"/api/workshops/{code}").get_json()["hide_vote_totals"] is True
    bad = client.post(
        "/api/workshops",
        json={"title": "Atelier", "hide_vote_totals": "oui"},
        headers={"Authorization": f"Bearer {app.config['ORGANISER_KEY']}"},
    )
    assert bad.status_code == 400


def test_the_console_turns_it_off_mid_vote_and_the_totals_go_out(room):
    key = f"card:{room['card']['id']}"
    room["paul"].emit("vote:cast", {"card_id": room["card"]["id"], "delta": 1}, callback=True)
    refused = room["referent"].emit("workshop:hide_totals", {"hidden": False}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    for client in (room["lea"], room["board"]):
        client.get_received()
    reply = room["facilitator"].emit("workshop:hide_totals", {"hidden": False}, callback=True)
    assert (
        reply["ok"]
        and reply["agenda"]["hide_vote_totals"] is False
        and reply["agenda"]["totals_hidden"] is False
    )
    payloads = everything(room["lea"])
    assert [p["counts"] for p in payloads if p.get("type") == "votes:totals"] == [{key: 1}]
    # On again, still in the vote: nothing more is told.
    assert room["facilitator"].emit("workshop:hide_totals", {"hidden": True}, callback=True)["agenda"][
        "totals_hidden"
    ]
    room["lea"].get_received()
    room["paul"].emit("vote:cast", {"card_id": room["card"]["id"], "delta": 1}, callback=True)
    assert totals_in(everything(room["lea"])) == []
