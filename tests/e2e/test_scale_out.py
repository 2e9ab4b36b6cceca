"""Scale-out on an existing engine: two server processes share live events through Redis and state
through PostgreSQL, as behind a load balancer with sticky WebSocket connections."""

import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from harness import ACK_TIMEOUT, ROOT, LiveClient, free_port, new_client_id
from services import postgres_server, redis_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

# A process silent this long no longer counts in presence (the default is 15 s; short here so the
# kill -9 test waits seconds, not a quarter of a minute).
PRESENCE_TTL = 3


def listen(client, *events):
    """Record these broadcasts too (LiveClient records cards by default)."""
    for event in events:
        client.sio.on(event, client._recorder(event))
    return client


def messages(client, event) -> list[dict]:
    with client.condition:
        return [m for m in client.received if m["event"] == event]


def wait_until(client, check, what, timeout=ACK_TIMEOUT):
    """Wait until `check()` holds (re-checked at each message this client receives)."""
    deadline = time.monotonic() + timeout
    with client.condition:
        while not check():
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"{client.name or 'client'} waited {timeout}s for {what}")
            client.condition.wait(min(left, 0.2))


def connected_at(client, group):
    """The last `group:presence` count this client heard for a table (None: none yet)."""
    counts = [m["connected"] for m in messages(client, "group:presence") if m["group"] == group]
    return counts[-1] if counts else None


def wait_presence(client, group, expected, timeout=ACK_TIMEOUT):
    wait_until(
        client,
        lambda: connected_at(client, group) == expected,
        f"table {group} to count {expected} connected (last heard {connected_at(client, group)})",
        timeout,
    )


def vote(client, card_id, delta=1, client_id=None):
    payload = {"card_id": card_id, "delta": delta}
    if client_id:
        payload["client_id"] = client_id
    return client.call("vote:cast", payload)


def refused(reply, code):
    assert not reply["ok"] and reply["error"]["code"] == code, reply
    return reply["error"]


@pytest.fixture(scope="module")
def two_servers(server_factory, redis_server, postgres_server):  # noqa: F811
    """Process A migrates the database first; process B starts on the same database and Redis."""
    env = {
        "DATABASE_URL": postgres_server.url,
        "REDIS_URL": redis_server.url,
        "FACILITATOR_PRESENCE_TTL": str(PRESENCE_TTL),
    }
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


def test_two_processes_started_at_once_on_an_empty_database(
    server_factory,
    redis_server,  # noqa: F811
    postgres_server,  # noqa: F811
    connect,
):
    """As two service units at boot: both run the migrations at start-up, on a database with no tables
    yet; one migrates while the other waits, and both serve the same workshops."""
    env = {
        "DATABASE_URL": postgres_server.create_database(f"at_once_{int(time.time() * 1000)}"),
        "REDIS_URL": redis_server.url,
    }
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: server_factory("eventlet", **env), range(2))
    created = first.create_workshop(groups=1)
    board = connect(second, "board on B")
    board.join(code=created["code"], role="board", token=created["board_token"])
    phone = connect(first, "phone on A")
    phone.join(code=created["code"], role="participant", group=1)
    board.wait_for_card(phone.post("forces", "Les deux processus ont démarré ensemble")["card"]["id"])
    first.stop()
    second.stop()


# --- Votes and budgets across processes -----------------------------------------------------------------


def test_votes_and_budgets_hold_across_processes(two_servers, connect):
    """One participant with 5 dots (at most 2 on "forces") votes through A and B alternately, with a tab
    open on each, then from both at once: the budget is the database's, never one process's."""
    first, second = two_servers
    created = first.create_workshop(groups=1, vote_budget=5, family_budgets={"forces": 2})
    author = connect(second, "author on B")
    author.join(code=created["code"], role="participant", group=1)
    forces = [author.post("forces", f"Force {i}")["card"]["id"] for i in range(3)]
    weaknesses = [author.post("faiblesses", f"Faiblesse {i}")["card"]["id"] for i in range(4)]
    board = listen(connect(second, "board on B"), "vote:counts")
    board.join(code=created["code"], role="board", token=created["board_token"])

    token = connect(first).join(code=created["code"], role="participant", group=1)["participant_token"]
    on_a = connect(first, "voter's tab on A")
    on_a.join(code=created["code"], role="participant", participant_token=token)
    on_b = connect(second, "voter's tab on B")
    on_b.join(code=created["code"], role="participant", participant_token=token)

    def board_heard(card_id, votes):
        key = f"card:{card_id}"
        wait_until(
            board,
            lambda: (
                [m["votes"] for m in messages(board, "vote:counts") if m["target"] == key][-1:] == [votes]
            ),
            f"vote:counts {key} = {votes} on the board on B",
        )

    # A dot through A: the board on B hears the count; the resend through B counts once.
    first_dot = vote(on_a, forces[0], client_id="dot-across-processes")
    assert first_dot["ok"] and first_dot["remaining"] == 4 and first_dot["by_family"]["forces"] == 1, (
        first_dot
    )
    board_heard(forces[0], 1)
    assert vote(on_b, forces[0], client_id="dot-across-processes") == first_dot

    # The family budget, then the take-back through the other process.
    second_dot = vote(on_b, forces[1])
    assert second_dot["ok"] and second_dot["remaining"] == 3 and second_dot["by_family"]["forces"] == 0
    for tab in (on_a, on_b):
        assert refused(vote(tab, forces[2]), "no_family_dots_left")["details"]["family"] == "forces"
    taken_back = vote(on_a, forces[1], delta=-1)
    assert taken_back["ok"] and taken_back["votes"] == 0 and taken_back["remaining"] == 4, taken_back
    board_heard(forces[1], 0)
    refused(vote(on_b, forces[1], delta=-1), "no_dot_here")

    # Four dots left, ten casts at once from both processes (each tab waits for the other at a barrier).
    start = threading.Barrier(10)
    replies = []

    def cast(tab, card_id):
        start.wait()
        replies.append(vote(tab, card_id))

    threads = [
        threading.Thread(target=cast, args=((on_a, on_b)[i % 2], weaknesses[i % 4])) for i in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * ACK_TIMEOUT)
    accepted = [r for r in replies if r["ok"]]
    assert len(replies) == 10 and len(accepted) == 4, replies
    assert sorted(r["remaining"] for r in accepted) == [0, 1, 2, 3]
    assert {r["error"]["code"] for r in replies if not r["ok"]} == {"no_dots_left"}

    # The sixth dot is refused whichever process it goes through; the state is the same from both.
    for tab in (on_a, on_b):
        assert refused(vote(tab, weaknesses[0]), "no_dots_left")["details"]["budget"] == 5
    expected = {f"card:{forces[0]}": 1}
    for card_id in weaknesses:
        expected[f"card:{card_id}"] = expected.get(f"card:{card_id}", 0) + sum(
            1 for r in accepted if r["target"] == f"card:{card_id}"
        )
    expected = {key: n for key, n in expected.items() if n}
    assert sum(expected.values()) == 5
    for server in (first, second):
        voter = connect(server).join(code=created["code"], role="participant", participant_token=token)
        votes = voter["snapshot"]["votes"]
        assert votes["remaining"]["table"] == 0 and votes["mine"]["table"] == expected
        assert votes["remaining_by_family"]["table"]["forces"] == 1
        seen = connect(server).join(code=created["code"], role="board", token=created["board_token"])
        assert seen["snapshot"]["votes"]["counts"]["table"] == expected
    for key, votes in expected.items():
        board_heard(int(key.split(":")[1]), votes)


# --- The report, built from either process ------------------------------------------------------------


def report(server, created, fmt):
    response = requests.get(
        f"{server.url}/api/workshops/{created['code']}/report.{fmt}",
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:500]
    return response


def test_a_report_built_from_either_process_is_the_same(two_servers, connect):
    first, second = two_servers
    created = second.create_workshop(groups=2, vote_budget=3)
    posted = {}  # card id → (table, family, text)
    phones = {}
    for server, group, name in (
        (first, 1, "Inès"),
        (second, 1, "Marc"),
        (first, 2, "Zoé"),
        (second, 2, "Yann"),
    ):
        phone = connect(server, f"{name} at table {group}")
        phone.join(code=created["code"], role="participant", group=group, name=name)
        phones[name] = phone
        for family, text in (("forces", f"Une force vue par {name}"), ("attentes", f"Une attente de {name}")):
            card = phone.post(family, text)["card"]
            posted[card["id"]] = (group, family, text)
    referent = connect(first, "référent of table 2 on A")
    referent.join(
        code=created["code"], role="referent", token=created["groups"][1]["referent_token"], group=2
    )
    paper = referent.call(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Carte papier de la table 2"}
    )
    assert paper["ok"] and paper["card"]["source"] == "paper", paper
    posted[paper["card"]["id"]] = (2, "forces", "Carte papier de la table 2")

    by_text = {text: card_id for card_id, (_g, _f, text) in posted.items()}
    dots = [
        ("Inès", "Une force vue par Marc"),
        ("Marc", "Une force vue par Marc"),
        ("Marc", "Une attente de Inès"),
        ("Zoé", "Carte papier de la table 2"),
        ("Yann", "Carte papier de la table 2"),
        ("Yann", "Une attente de Zoé"),
    ]
    for name, text in dots:
        assert vote(phones[name], by_text[text])["ok"]
    table_one = connect(second, "référent of table 1 on B")
    table_one.join(
        code=created["code"], role="referent", token=created["groups"][0]["referent_token"], group=1
    )
    for referent_client, family, texts in (
        (table_one, "forces", ["Une force vue par Marc"]),
        (referent, "forces", ["Carte papier de la table 2", "Une force vue par Yann"]),
    ):
        kept = referent_client.call(
            "essentials:set", {"family": family, "card_ids": [by_text[t] for t in texts]}
        )
        assert kept["ok"], kept

    # Each process builds its file in a subprocess of its own (another hash seed, another pandas run).
    with ThreadPoolExecutor(4) as pool:
        built = {
            (server.port, fmt): pool.submit(report, server, created, fmt)
            for server in (first, second)
            for fmt in ("json", "csv")
        }
        files = {key: future.result() for key, future in built.items()}
    from_a, from_b = files[first.port, "json"].json(), files[second.port, "json"].json()
    assert from_a == from_b, "report.json differs between the processes"
    assert from_a["totals"]["cards"] == len(posted) == 9
    assert from_a["totals"]["votes"] == len(dots)
    assert from_a["totals"]["participants"] == len(phones)
    assert from_a["by_family"]["forces"] == 5 and from_a["by_family"]["attentes"] == 4
    tables = {g["number"]: g for g in from_a["by_group"]}
    assert (tables[1]["cards"], tables[2]["cards"]) == (4, 5)
    assert [e["text"] for e in tables[1]["essentials"]] == ["Une force vue par Marc"]
    assert [(e["text"], e["votes"]) for e in tables[2]["essentials"]] == [
        ("Carte papier de la table 2", 2),
        ("Une force vue par Yann", 0),
    ]
    csv_a, csv_b = files[first.port, "csv"].content, files[second.port, "csv"].content
    assert csv_a == csv_b, "report.csv differs between the processes"
    assert "Carte papier de la table 2" in csv_a.decode("utf-8-sig")


# --- Presence across processes ------------------------------------------------------------------------


def test_presence_counts_the_phones_of_every_process(two_servers, connect):
    """The référent on B sees the phones connected through A too; a phone leaving A lowers the count;
    a person with a tab on each process counts once."""
    first, second = two_servers
    created = first.create_workshop(groups=2)
    referent = listen(connect(second, "référent of table 1 on B"), "group:presence")
    joined = referent.join(
        code=created["code"], role="referent", token=created["groups"][0]["referent_token"], group=1
    )
    assert joined["presence"] == {"1": 0}
    board = listen(connect(first, "board on A"), "group:presence")
    board.join(code=created["code"], role="board", token=created["board_token"])

    on_a = [connect(first, f"phone {i} on A") for i in range(2)]
    tokens = [p.join(code=created["code"], role="participant", group=1)["participant_token"] for p in on_a]
    wait_presence(referent, 1, 2)
    on_b = connect(second, "phone on B")
    assert on_b.join(code=created["code"], role="participant", group=1)["presence"] == {"1": 3}
    wait_presence(referent, 1, 3)
    wait_presence(board, 1, 3)
    second_tab = connect(second, "phone 0's second tab, on B")
    assert second_tab.join(code=created["code"], role="participant", participant_token=tokens[0])[
        "presence"
    ] == {"1": 3}
    elsewhere = connect(second, "phone at table 2 on B")
    elsewhere.join(code=created["code"], role="participant", group=2)
    wait_presence(board, 2, 1)
    late_board = connect(second).join(code=created["code"], role="board", token=created["board_token"])
    assert late_board["presence"] == {"1": 3, "2": 1}

    on_a[1].close()  # a phone leaves through A: the référent on B hears it
    wait_presence(referent, 1, 2)
    on_a[0].close()  # phone 0 still has its tab on B
    time.sleep(0.5)
    assert connected_at(referent, 1) == 2
    second_tab.close()
    wait_presence(referent, 1, 1)
    wait_presence(board, 1, 1)


def test_a_killed_process_stops_counting_its_phones(two_servers, connect):
    """kill -9 leaves A's phones in Redis: B's heartbeat drops them once A has been silent for the
    TTL, and announces the corrected count. (Last in this module: A is started again afterwards.)"""
    first, second = two_servers
    created = second.create_workshop(groups=1)
    referent = listen(connect(second, "référent on B"), "group:presence")
    referent.join(
        code=created["code"], role="referent", token=created["groups"][0]["referent_token"], group=1
    )
    for _ in range(3):
        connect(first, "phone on A").join(code=created["code"], role="participant", group=1)
    connect(second, "phone on B").join(code=created["code"], role="participant", group=1)
    wait_presence(referent, 1, 4)
    killed = time.monotonic()
    first.kill()
    try:
        wait_presence(referent, 1, 1, timeout=PRESENCE_TTL * 2 + ACK_TIMEOUT)
        took = time.monotonic() - killed
        # TTL, then at most one heartbeat (TTL / 3), plus slack for a busy machine.
        assert took <= PRESENCE_TTL + PRESENCE_TTL / 3 + 4, f"the dead process counted for {took:.1f}s"
        assert connect(second).join(code=created["code"], role="participant", group=1)["presence"] == {"1": 2}
    finally:
        first.start()
    phone = connect(first, "phone on A again")
    assert phone.join(code=created["code"], role="participant", group=1)["presence"] == {"1": 3}


# --- A 9-table workshop replayed against the two processes ------------------------------------------------


def test_a_nine_table_workshop_replayed_against_two_processes(two_servers):
    """90 phones (5 per table on each process), a référent per table and a board on each process, 450
    cards from the thermalisme sample posted all at once (tests/e2e/replay.py, also a command)."""
    from replay import replay

    first, second = two_servers
    result = replay([first.url, second.url], first.key, phones=90, tables=9, cards_per_phone=5)
    print(result["figures"])
    assert result["problems"] == []
    assert result["figures"]["cards"] == 450
    assert result["figures"]["total_s"] < 60


# --- The documented nginx configuration, in front of the two processes -----------------------------------


def established(port: int) -> int:
    """Established TCP connections to this local port (from /proc/net/tcp: no tool needed)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "01" and int(local.split(":")[1], 16) == port:
            count += 1
    return count


@pytest.fixture
def nginx(two_servers):
    """nginx running the configuration of docs/deployment.md (TLS off, on a free 127.0.0.1 port)."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is missing: apt-get install nginx (bin/debian-packages lists it)")
    documented = re.search(r"```nginx\n(.*?)```", (ROOT / "docs" / "deployment.md").read_text(), re.S).group(
        1
    )
    port = free_port()
    site = documented.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    site = site.replace("server 127.0.0.1:5001;", f"server 127.0.0.1:{two_servers[0].port};")
    site = site.replace("server 127.0.0.1:5002;", f"server 127.0.0.1:{two_servers[1].port};")
    folder = Path(tempfile.mkdtemp(prefix="facilitator-nginx-"))
    folder.chmod(0o755)
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {folder / 'nginx.pid'}; error_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 1024; }}\nhttp {{ access_log off; {temp}\n{site}}}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"nginx did not start: {process.communicate()[1].decode(errors='replace')}")
        time.sleep(0.1)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", port=port)
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_documented_nginx_configuration_spreads_one_address_over_both_processes(two_servers, nginx):
    """Every phone comes from 127.0.0.1 (one venue address) through the documented nginx: the
    WebSockets are spread over both processes, the Origin check passes, and the 9-table replay holds."""
    from replay import replay

    first, second = two_servers
    before = [established(server.port) for server in two_servers]
    clients = [LiveClient(nginx, f"client {i} through nginx") for i in range(10)]
    try:
        spread = [established(server.port) - count for server, count in zip(two_servers, before, strict=True)]
        assert sorted(spread) == [5, 5], f"connections per process through nginx: {spread}"
    finally:
        for client in clients:
            client.close()
    result = replay([nginx.url], first.key, phones=36, tables=9, cards_per_phone=2)
    assert result["problems"] == [], result
    page = requests.get(f"{nginx.url}/j/{result['figures']['code']}", timeout=ACK_TIMEOUT)
    assert page.ok and '"websocket_only": true' in page.text
