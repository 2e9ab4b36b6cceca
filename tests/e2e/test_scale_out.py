"""Scale-out on an existing engine: two server processes share live events through Redis and state
through PostgreSQL, as behind a load balancer with sticky WebSocket connections."""

import pytest
from harness import ACK_TIMEOUT
from services import postgres_server, redis_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_servers(server_factory, redis_server, postgres_server):  # noqa: F811
    """Process A migrates the database first; process B starts on the same database and Redis."""
    env = {"DATABASE_URL": postgres_server.url, "REDIS_URL": redis_server.url}
    first = server_factory("eventlet", **env)
    second = server_factory("eventlet", **env)
    return first, second


def test_a_card_posted_through_one_process_reaches_a_board_on_the_other(two_servers, connect):
    first, second = two_servers
    created = first.create_workshop(groups=3)
    board = connect(second, "board on B")
    board.join(code=created["code"], role="board", token=created["board_token"])
    neighbour = connect(second, "phone on B, table 1")
    neighbour.join(code=created["code"], role="participant", group=1)
    other_table = connect(second, "phone on B, table 2")
    other_table.join(code=created["code"], role="participant", group=2)
    phone = connect(first, "phone on A")
    phone.join(code=created["code"], role="participant", group=1, name="Inès")

    ack = phone.post("forces", "Des équipes fidèles et attachées à leur station ✨")
    assert ack["ok"], ack
    card = board.wait_for_card(ack["card"]["id"])[-1]
    assert card["text"] == "Des équipes fidèles et attachées à leur station ✨"
    neighbour.wait_for_card(ack["card"]["id"])

    sentinel = connect(second, "phone on B, table 2 sender")
    sentinel.join(code=created["code"], role="participant", group=2)
    last = sentinel.post("attentes", "Carte témoin")
    other_table.wait_for_card(last["card"]["id"])
    assert [c["id"] for c in other_table.cards()] == [last["card"]["id"]]


def test_both_processes_see_the_same_state_and_sequence(two_servers, connect):
    first, second = two_servers
    created = second.create_workshop(groups=2)
    ids = []
    for server, group in ((first, 1), (second, 2), (first, 2), (second, 1)):
        phone = connect(server)
        phone.join(code=created["code"], role="participant", group=group)
        reply = phone.post("faiblesses", f"Idée de la table {group} via {server.port}")
        assert reply["ok"], reply
        ids.append(reply["card"]["id"])
    snapshots = []
    for server in (first, second):
        board = connect(server)
        snapshots.append(
            board.join(code=created["code"], role="board", token=created["facilitator_token"])["snapshot"]
        )
    assert snapshots[0]["cards"] == snapshots[1]["cards"]
    assert sorted(c["id"] for c in snapshots[0]["cards"]) == sorted(ids)
    seqs = [c["seq"] for c in snapshots[0]["cards"]]
    assert len(set(seqs)) == len(seqs), "each change has its own sequence number across processes"
    assert snapshots[0]["seq"] == snapshots[1]["seq"]


def test_an_idempotent_resend_through_the_other_process_stores_one_card(two_servers, connect):
    first, second = two_servers
    created = first.create_workshop(groups=1)
    token = connect(first).join(code=created["code"], role="participant", group=1)["participant_token"]
    phone_a = connect(first)
    phone_a.join(code=created["code"], role="participant", participant_token=token)
    reply_a = phone_a.post("attentes", "Une seule fois", client_id="resend-across-processes")
    phone_b = connect(second)
    phone_b.join(code=created["code"], role="participant", participant_token=token)
    reply_b = phone_b.post("attentes", "Une seule fois", client_id="resend-across-processes")
    assert reply_a["card"]["id"] == reply_b["card"]["id"]
    board = connect(second)
    cards = board.join(code=created["code"], role="board", token=created["board_token"])["snapshot"]["cards"]
    assert [c["text"] for c in cards] == ["Une seule fois"]


def test_pages_behind_several_processes_use_websocket_only(two_servers):
    """Long-polling would need sticky sessions, and a venue is one NAT address: no IP affinity."""
    import json
    import re

    import requests

    first, _ = two_servers
    created = first.create_workshop(groups=1)
    page = requests.get(f"{first.url}/j/{created['code']}", timeout=ACK_TIMEOUT).text
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', page, re.S).group(1))
    assert data["websocket_only"] is True
