"""Rate limits, brute-force throttling, catching up after a reconnection, and allowed origins."""

import pytest

from facilitator.network import host_allowed
from tests.conftest import new_client_id


@pytest.fixture
def app_config():
    return {
        "RATE_LIMIT_CARDS": "5/10 seconds",
        "RATE_LIMIT_EVENTS": "30/10 seconds",
        "RATE_LIMIT_JOIN_FAILURES": "4/minute",
    }


def post(sock, text, family="forces"):
    return sock.emit(
        "card:add", {"client_id": new_client_id(), "family": family, "text": text}, callback=True
    )


def test_a_flooding_phone_is_slowed_and_its_neighbours_are_not(make_workshop, phone, count_rows):
    workshop, _ = make_workshop(groups=2)
    flooder, _ = phone(workshop.code, group=1)
    neighbour, _ = phone(workshop.code, group=1)
    replies = [post(flooder, f"Idée {n}") for n in range(8)]
    assert [r["ok"] for r in replies] == [True] * 5 + [False] * 3
    refused = replies[5]["error"]
    assert refused["code"] == "rate_limited"
    assert refused["details"]["retry_after"] >= 1
    assert "trop vite" in refused["message"]
    before = count_rows()
    assert post(flooder, "Encore une")["ok"] is False
    assert count_rows() == before
    assert post(neighbour, "Moi aussi j'ai une idée")["ok"] is True


def test_a_connection_sending_too_many_events_is_slowed(make_workshop, phone):
    workshop, _ = make_workshop()
    sock, _ = phone(workshop.code)
    replies = [sock.emit("sync", {"since": 0}, callback=True) for _ in range(35)]
    assert all(r["ok"] for r in replies[:29])
    assert replies[-1]["error"]["code"] == "rate_limited"


def test_failed_joins_are_throttled_across_connections(make_workshop, socket_client, phone):
    """Reconnecting does not reset the guessing budget of an address: past it, a wrong code is refused
    without saying whether it exists, and it ends that connection's guessing."""
    workshop, _ = make_workshop()
    already_in, _ = phone(workshop.code)
    for attempt in range(4):
        guesser = socket_client()
        reply = guesser.emit(
            "join", {"code": f"ZZZZZZZ{attempt + 2}", "role": "participant", "group": 1}, callback=True
        )
        assert reply["error"]["code"] == "unknown_workshop"
        guesser.disconnect()
    guesser = socket_client()
    reply = guesser.emit("join", {"code": "ZZZZZZZ7", "role": "participant", "group": 1}, callback=True)
    assert reply["error"]["code"] == "too_many_attempts"
    reply = guesser.emit("join", {"code": workshop.code, "role": "participant", "group": 1}, callback=True)
    assert reply["error"]["code"] == "too_many_attempts", "the failing connection is done"
    # People already in the workshop are not affected.
    assert post(already_in, "Toujours là")["ok"] is True


def test_right_credentials_from_a_guessing_address_are_admitted(make_workshop, socket_client, phone):
    """A venue is one address: someone guessing codes there never locks the others out."""
    workshop, secrets = make_workshop()
    _, first = phone(workshop.code)
    for attempt in range(6):
        socket_client().emit("join", {"code": f"ZZZZZZZ{attempt + 2}", "role": "participant"}, callback=True)
    joins = [
        {"code": workshop.code, "role": "participant", "group": 2},
        {"code": workshop.code, "role": "participant", "participant_token": first["participant_token"]},
        {"code": workshop.code, "role": "referent", "token": secrets.referent_tokens[1]},
        {"code": workshop.code, "role": "facilitator", "token": secrets.facilitator_token},
        {"code": workshop.code, "role": "board", "token": secrets.board_token},
    ]
    for payload in joins:
        reply = socket_client().emit("join", payload, callback=True)
        assert reply["ok"], (payload["role"], reply)


def test_wrong_codes_looked_up_over_http_are_limited_and_right_ones_served(client, make_workshop):
    """`GET /api/workshops/<code>` and the pages count wrong codes with failed joins (one budget)."""
    workshop, _ = make_workshop()
    answers = [client.get(f"/api/workshops/ZZZZZZZ{n + 2}").status_code for n in range(4)]
    assert answers == [404] * 4
    refused = client.get("/api/workshops/ZZZZZZZ8")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_attempts"
    assert client.get("/j/ZZZZZZZ9").status_code == 429
    assert client.get(f"/api/workshops/{workshop.code}").status_code == 200
    assert client.get(f"/j/{workshop.code}").status_code == 200


def test_a_rejoin_with_since_gets_only_the_missed_events(make_workshop, phone, socket_client):
    workshop, _ = make_workshop(groups=2)
    author, first = phone(workshop.code, group=1)
    seen = first["snapshot"]["seq"]
    post(author, "Avant la coupure")
    other_table, _ = phone(workshop.code, group=2)
    post(other_table, "Autre table")
    back = socket_client()
    reply = back.emit(
        "join",
        {
            "code": workshop.code,
            "role": "participant",
            "participant_token": first["participant_token"],
            "since": seen,
        },
        callback=True,
    )
    assert reply["ok"] and "snapshot" not in reply
    texts = [e["card"]["text"] for e in reply["events"] if e["type"] == "card:added"]
    assert texts == ["Avant la coupure"]
    assert reply["seq"] > seen


def test_a_rejoin_from_too_far_back_gets_a_snapshot(make_workshop, phone, socket_client):
    workshop, _ = make_workshop()
    _author, first = phone(workshop.code)
    back = socket_client()
    reply = back.emit(
        "join",
        {
            "code": workshop.code,
            "role": "participant",
            "participant_token": first["participant_token"],
            "since": 10_000,
        },
        callback=True,
    )
    assert reply["ok"] and reply["snapshot"]["seq"] == reply["seq"]


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [(None, True), ("http://localhost", True), ("http://evil.example", False)],
)
def test_socket_connections_only_from_the_apps_own_origin(client, origin, accepted):
    headers = {"Origin": origin} if origin else {}
    response = client.get("/socket.io/?EIO=4&transport=polling", headers=headers)
    assert (response.status_code == 200) is accepted, response.data[:200]


def test_a_code_typed_in_lower_case_redirects_keeping_only_the_table(client, make_workshop):
    workshop, _ = make_workshop()
    response = client.get(f"/j/{workshop.code.lower()}?g=2&code=x&_external=1&_scheme=https")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{workshop.code}?g=2"


PUBLIC = "https://atelier.example.org"


@pytest.mark.parametrize(
    ("host", "public_url", "allowed_hosts", "served"),
    [
        ("atelier.example.org", PUBLIC, (), True),
        ("ATELIER.example.org:443", PUBLIC, (), True),
        ("127.0.0.1:5000", PUBLIC, (), True),
        ("localhost:5000", PUBLIC, (), True),
        ("[::1]:5000", PUBLIC, (), True),
        ("evil.example", PUBLIC, (), False),  # DNS rebinding: a site's name on this machine's address
        ("192.168.1.20:5000", PUBLIC, (), False),
        ("salle.local", PUBLIC, ("salle.local",), True),
        ("anything.example", PUBLIC, ("*",), True),
        # No PUBLIC_URL: the laptop is reached by its LAN address, whatever network it moves to.
        ("192.168.1.20:5000", None, (), True),
        ("[fe80::1]:5000", None, (), True),
        ("evil.example:5000", None, (), False),
        ("salle.local:5000", None, ("salle.local",), True),
        (None, PUBLIC, (), True),  # HTTP/1.0 sends no Host
    ],
)
def test_only_chosen_host_names_are_served(host, public_url, allowed_hosts, served):
    assert host_allowed(host, public_url, allowed_hosts) is served


def test_an_unknown_host_is_refused_with_a_clear_answer(client):
    refused = client.get("/healthz", headers={"Host": "evil.example"})
    assert refused.status_code == 421
    assert "FACILITATOR_ALLOWED_HOSTS" in refused.get_data(as_text=True)
    assert (
        client.get("/socket.io/?EIO=4&transport=polling", headers={"Host": "evil.example"}).status_code == 421
    )
    assert client.get("/healthz", headers={"Host": "facilitator.test"}).status_code == 200


PARTICIPANT_LIMITS = {
    "RATE_LIMIT_CARDS": "5/10 seconds",
    "RATE_LIMIT_NEW_PARTICIPANTS": "3/minute",
    "RATE_LIMIT_TABLE_CARDS": "1/minute",  # × 10 people at least: 10 a minute at a table
}


@pytest.mark.parametrize("app_config", [PARTICIPANT_LIMITS])
def test_new_people_at_a_table_come_at_a_limited_rate(make_workshop, socket_client, phone):
    workshop, _ = make_workshop(groups=2)
    for _ in range(3):
        phone(workshop.code, group=1)
    reply = socket_client().emit(
        "join", {"code": workshop.code, "role": "participant", "group": 1}, callback=True
    )
    assert reply["error"]["code"] == "table_busy" and reply["error"]["details"]["retry_after"] >= 1
    phone(workshop.code, group=2)  # another table is not slowed


@pytest.mark.parametrize("app_config", [PARTICIPANT_LIMITS])
def test_new_participants_share_their_tables_card_window(make_workshop, phone):
    """Joining again without a token gives a new participant, never a fresh budget for the table."""
    workshop, _ = make_workshop(groups=2)
    replies = []
    for _ in range(3):
        spammer, _ = phone(workshop.code, group=1)
        replies += [post(spammer, f"Spam {n}") for n in range(5)]
    assert sum(reply["ok"] for reply in replies) == 10
    assert replies[-1]["error"]["code"] == "rate_limited"
    other_table, _ = phone(workshop.code, group=2)
    assert post(other_table, "Une vraie idée")["ok"]
