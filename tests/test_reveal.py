"""Hidden until reveal over Socket.IO: before the reveal no one but the author ever receives a sealed
card's text — not a phone at the same table, not another table, not the référent, not the board or the
facilitator, not a late joiner's snapshot, not a `sync`; after the reveal everyone at that table does."""

import json

import pytest

from tests.conftest import new_client_id, received

SECRET = "Le secret de la table 1"


@pytest.fixture
def run(make_workshop, joined, phone):
    """A two-table workshop in its silent step (forces-faiblesses), with every kind of viewer."""
    w, secrets = make_workshop(groups=2)
    fac, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    assert fac.emit("step:start", {}, callback=True)["ok"]
    assert fac.emit("step:next", {}, callback=True)["agenda"]["step"]["hidden_until_reveal"] is True
    board, _ = joined(w.code, "board", token=secrets.board_token)
    ref, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    author, author_join = phone(w.code, group=1, name="Léa")
    neighbour, _ = phone(w.code, group=1, name="Paul")
    other, _ = phone(w.code, group=2, name="Zoé")
    for c in (fac, board, ref, author, neighbour, other):
        c.get_received()
    return {
        "w": w,
        "secrets": secrets,
        "fac": fac,
        "board": board,
        "ref": ref,
        "author": author,
        "author_join": author_join,
        "neighbour": neighbour,
        "other": other,
    }


def everything(test_client):
    return json.dumps([p["args"] for p in test_client.get_received()], ensure_ascii=False)


def post_secret(run):
    reply = run["author"].emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": SECRET}, callback=True
    )
    assert reply["ok"], reply
    assert reply["card"]["text"] == SECRET and reply["card"]["sealed"] is True
    return reply["card"]


def test_a_sealed_card_reaches_only_its_author(run, joined, phone):
    post_secret(run)
    author_packets = run["author"].get_received()
    added = [p["args"][0] for p in author_packets if p["name"] == "card:added"]
    assert [a["card"]["text"] for a in added] == [SECRET], "the author's own phone gets the card"
    for name in ("fac", "board", "ref", "neighbour"):
        seen = run[name].get_received()
        text = json.dumps([p["args"] for p in seen], ensure_ascii=False)
        assert SECRET not in text and "Léa" not in text, name
        sealed = [p["args"][0] for p in seen if p["name"] == "card:sealed"]
        assert sealed and sealed[0]["counts"] == {"forces": 1} and sealed[0]["group"] == 1, name
        assert set(sealed[0]) == {"type", "seq", "group", "family", "counts"}
    assert everything(run["other"]) == "[]", "another table hears nothing of table 1"

    # A late joiner, a rejoin with `since`, the board's snapshot: counts only.
    late, late_join = phone(run["w"].code, group=1)
    snap = json.dumps(late_join["snapshot"], ensure_ascii=False)
    assert SECRET not in snap and late_join["snapshot"]["sealed"] == {"1": {"forces": 1}}
    _, board_join = joined(run["w"].code, "board", token=run["secrets"].board_token)
    assert SECRET not in json.dumps(board_join["snapshot"], ensure_ascii=False)
    assert board_join["snapshot"]["sealed"] == {"1": {"forces": 1}}
    _, ref_join = joined(run["w"].code, "referent", token=run["secrets"].referent_tokens[1])
    assert SECRET not in json.dumps(ref_join["snapshot"], ensure_ascii=False)
    sync = run["neighbour"].emit("sync", {"since": 0}, callback=True)
    assert SECRET not in json.dumps(sync, ensure_ascii=False)
    # The author, coming back, finds the card (snapshot and sync).
    again, again_join = phone(run["w"].code, participant_token=run["author_join"]["participant_token"])
    assert [c["text"] for c in again_join["snapshot"]["cards"]] == [SECRET]
    mine = again.emit("sync", {"since": 0}, callback=True)
    assert SECRET in json.dumps(mine, ensure_ascii=False)


def test_reveal_sends_the_cards_to_the_board_and_that_table(run, phone):
    card = post_secret(run)
    for c in ("fac", "board", "ref", "author", "neighbour", "other"):
        run[c].get_received()
    reply = run["fac"].emit("cards:reveal", {"step": 1}, callback=True)
    assert reply == {"ok": True, "revealed": 1}
    for name in ("fac", "board", "ref", "author", "neighbour"):
        revealed = received(run[name], "cards:revealed") if name != "fac" else None
        if revealed is None:
            continue
        assert [c["text"] for c in revealed[0]["cards"]] == [SECRET], name
        assert revealed[0]["cards"][0]["id"] == card["id"] and revealed[0]["counts"] == {}
    assert SECRET not in everything(run["other"]), "the other table never gets table 1's cards"
    _, late_join = phone(run["w"].code, group=1)
    assert [c["text"] for c in late_join["snapshot"]["cards"]] == [SECRET]
    assert late_join["snapshot"]["sealed"] == {}
    assert late_join["snapshot"]["agenda"]["step"]["revealed"] is True
    # Once the step is revealed, new cards are open at once.
    reply = run["neighbour"].emit(
        "card:add", {"client_id": new_client_id(), "family": "faiblesses", "text": "Ouverte"}, callback=True
    )
    assert reply["card"]["sealed"] is False
    assert [a["card"]["text"] for a in received(run["board"], "card:added")] == ["Ouverte"]


def test_reveal_per_table_leaves_the_other_tables_sealed(run, phone):
    post_secret(run)
    other_secret = "Secret de la table 2"
    assert run["other"].emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": other_secret}, callback=True
    )["ok"]
    run["board"].get_received()
    assert run["fac"].emit("cards:reveal", {"group": 1}, callback=True)["revealed"] == 1
    text = everything(run["board"])
    assert SECRET in text and other_secret not in text
    _, late_join = phone(run["w"].code, group=2)
    assert other_secret not in json.dumps(late_join["snapshot"], ensure_ascii=False)


@pytest.mark.parametrize("who", ["board", "ref", "author"])
@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("step:start", {}),
        ("step:pause", {}),
        ("step:resume", {}),
        ("step:extend", {"minutes": 5}),
        ("step:next", {}),
        ("step:goto", {"position": 0}),
        ("step:end", {}),
        ("cards:reveal", {}),
        ("workshop:lock", {"locked": True}),
        ("agenda:update", {"steps": [{"title": "A", "minutes": 5}]}),
    ],
)
def test_only_the_facilitator_may_run_the_agenda(run, who, event, payload):
    post_secret(run)
    run[who].get_received()
    reply = run[who].emit(event, payload, callback=True)
    assert reply["ok"] is False and reply["error"]["code"] == "forbidden", reply
    assert reply["error"]["message"]
    assert SECRET not in everything(run["neighbour"])


def test_every_client_follows_the_step_and_posting_follows_it(run):
    reply = run["fac"].emit("step:next", {}, callback=True)
    assert reply["agenda"]["position"] == 2
    for name in ("board", "ref", "author", "neighbour", "other"):
        changed = received(run[name], "step:changed")
        assert [c["agenda"]["position"] for c in changed] == [2], name
        assert changed[0]["agenda"]["deadline"] and changed[0]["agenda"]["server_time"]
    refused = run["author"].emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Trop tard"}, callback=True
    )
    assert refused["ok"] is False and refused["error"]["code"] == "family_closed"
    assert "Attentes" in refused["error"]["message"] or "Expectations" in refused["error"]["message"]
    assert run["fac"].emit("workshop:lock", {"locked": True}, callback=True)["agenda"]["locked"] is True
    locked = run["ref"].emit(
        "card:add", {"client_id": new_client_id(), "family": "attentes", "text": "Papier"}, callback=True
    )
    assert locked["error"]["code"] == "locked"


def test_commands_need_a_join_and_a_valid_payload(socket_client, run):
    reply = socket_client().emit("step:start", {}, callback=True)
    assert reply["error"]["code"] == "not_joined"
    reply = run["fac"].emit("step:extend", {"minutes": 500}, callback=True)
    assert reply["error"]["code"] == "invalid_payload"


def test_a_phone_that_was_away_catches_up_with_the_step(run, socket_client):
    token = run["author_join"]["participant_token"]
    since = run["author_join"]["snapshot"]["seq"]
    run["author"].disconnect()
    run["fac"].emit("step:next", {}, callback=True)
    run["fac"].emit("step:pause", {}, callback=True)
    back = socket_client()
    reply = back.emit(
        "join",
        {"code": run["w"].code, "role": "participant", "participant_token": token, "since": since},
        callback=True,
    )
    assert reply["ok"] and reply["server_time"].endswith("Z")
    changes = [e["agenda"] for e in reply["events"] if e["type"] == "step:changed"]
    assert changes[-1]["position"] == 2 and changes[-1]["status"] == "paused"
    assert changes[-1]["remaining"] > 0
