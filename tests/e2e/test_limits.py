"""Limits against guessing and flooding, on a real server with its default limits (issue 18).

Everyone here comes from 127.0.0.1, as a whole venue comes from its one NAT address: the limits must
slow the one who guesses or floods, never the people next to them with the right code or link.
The server is this module's own (its guessing budget is spent here, the shared server's is not).
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from harness import ACK_TIMEOUT, LiveClient

pytestmark = pytest.mark.slow

GUESSERS = 13  # × 5 wrong codes each (the limit per connection): 65, past the 60 a minute per address
# Smaller than the defaults (300 people at a table; 60 cards a minute per person connected there, at
# least 10 counted), so that a short loop of reconnections reaches both.
TABLE_CAP = 12
TABLE_CARDS_A_MINUTE = 150  # 15 a minute × 10 people: the 11 spammers' 165 cards go past it


@pytest.fixture(scope="module")
def server(server_factory):
    return server_factory(
        "eventlet",
        FACILITATOR_MAX_TABLE_PARTICIPANTS=str(TABLE_CAP),
        FACILITATOR_RATE_TABLE_CARDS="15/10 seconds;15/minute",
    )


def refusal(reply):
    assert not reply["ok"], reply
    return reply["error"]["code"]


def guess_five_codes(server, first):
    guesser = LiveClient(server, "guesser")
    try:
        return [
            refusal(guesser.call("join", {"code": f"ZZZZZZ{first + n:02d}", "role": "participant"}))
            for n in range(5)
        ]
    finally:
        guesser.close()


def test_a_flood_of_wrong_codes_locks_no_one_with_right_credentials_out(server, connect):
    created = server.create_workshop(groups=2)
    code = created["code"]
    before = connect(server, "phone that will lose the Wi-Fi")
    token = before.join(code=code, role="participant", group=1)["participant_token"]
    before.close()

    with ThreadPoolExecutor(GUESSERS) as pool:
        answers = sum(pool.map(lambda n: guess_five_codes(server, 5 * n), range(GUESSERS)), [])
    assert set(answers) == {"unknown_workshop", "too_many_attempts"}, answers
    assert refusal(connect(server).call("join", {"code": "ZZZZZZ99", "role": "participant"})) == (
        "too_many_attempts"
    ), "the guesser is still slowed down"

    joins = {
        "new phone": {"code": code, "role": "participant", "group": 2},
        "phone back from a Wi-Fi drop": {"code": code, "role": "participant", "participant_token": token},
        "référent": {"code": code, "role": "referent", "token": created["groups"][0]["referent_token"]},
        "facilitator": {"code": code, "role": "facilitator", "token": created["facilitator_token"]},
        "board": {"code": code, "role": "board", "token": created["board_token"]},
    }
    clients = {who: connect(server, who) for who in joins}
    with ThreadPoolExecutor(len(joins)) as pool:
        replies = dict(
            zip(joins, pool.map(lambda who: clients[who].call("join", joins[who]), joins), strict=True)
        )
    assert {who: reply["ok"] for who, reply in replies.items()} == dict.fromkeys(joins, True), replies
    assert replies["phone back from a Wi-Fi drop"]["participant_token"] == token


def test_guessing_codes_over_http_is_limited_and_a_right_code_is_served(server):
    created = server.create_workshop(groups=2)
    with requests.Session() as http:
        answers = [
            http.get(f"{server.url}/api/workshops/ZZZZZY{n:02d}", timeout=ACK_TIMEOUT) for n in range(65)
        ]
        statuses = [answer.status_code for answer in answers]
        assert set(statuses) <= {404, 429} and statuses[-1] == 429, statuses
        assert answers[-1].json()["error"]["code"] == "too_many_attempts"
        served = http.get(f"{server.url}/api/workshops/{created['code']}", timeout=ACK_TIMEOUT)
        assert served.status_code == 200 and served.json()["code"] == created["code"]


def test_only_the_public_host_name_is_served(server):
    """DNS rebinding: a page of another site whose name points at this machine reaches no route."""
    port = server.port
    for path in ("/healthz", "/socket.io/?EIO=4&transport=polling"):
        refused = requests.get(
            f"{server.url}{path}",
            headers={"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
            timeout=ACK_TIMEOUT,
        )
        assert refused.status_code == 421, (path, refused.status_code)
        assert "does not answer to this name" in refused.text and server.url in refused.text
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        assert requests.get(f"{server.url}/healthz", headers={"Host": host}, timeout=ACK_TIMEOUT).ok


def test_joining_again_without_a_token_makes_no_fake_people_nor_fresh_card_budgets(server, connect):
    created = server.create_workshop(groups=3)
    code = created["code"]
    board = connect(server, "board")
    board.join(code=code, role="board", token=created["board_token"])
    honest = connect(server, "honest phone, table 1")
    honest.join(code=code, role="participant", group=1)

    rejoining = connect(server, "one connection joining again and again")
    tokens = {rejoining.join(code=code, role="participant", group=2)["participant_token"] for _ in range(10)}
    assert len(tokens) == 1, "one connection is one person"

    refusals, accepted = [], 0
    for n in range(TABLE_CAP + 3):  # a new connection each time: a new person each time
        spammer = LiveClient(server, f"spammer {n}")
        try:
            reply = spammer.call("join", {"code": code, "role": "participant", "group": 2})
            if not reply["ok"]:
                refusals.append(reply["error"])
                continue
            accepted += sum(spammer.post("forces", f"Spam {n}.{k}")["ok"] for k in range(15))
        finally:
            spammer.close()
    # The rejoining connection is one of the table's people: 11 spammers fit, the last 4 do not.
    assert [error["code"] for error in refusals] == ["table_full"] * 4, refusals
    assert str(TABLE_CAP) in refusals[0]["message"]
    assert accepted <= TABLE_CARDS_A_MINUTE, f"{accepted} spam cards reached the board"
    counted = connect(server, "a new board").join(code=code, role="board", token=created["board_token"])
    assert counted["snapshot"]["participants"]["2"] <= TABLE_CAP

    for k in range(5):  # the honest phone of another table posts as before
        ack = honest.post("attentes", f"Une vraie idée {k}")
        assert ack["ok"], ack
    board.wait_for_card(ack["card"]["id"])
