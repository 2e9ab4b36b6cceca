"""Replay a 9-table workshop (about 90 phones, a référent per table, a board per process) against one
or several running servers, and check what every client received.

    python tests/e2e/replay.py --url http://127.0.0.1:5001 --url http://127.0.0.1:5002 --key "$ORGANISER_KEY"

The phones, référents and boards are spread over the URLs in turn (phone k at table k mod 9 + 1,
on URL k mod len(urls): with two processes each table has phones on both). Each phone posts cards
from the thermalisme sample (facilitator/demo_data/thermalisme.json), all phones at once. Checks:
every card reaches every board once, every phone and référent of its table once, and no phone gets
another table's card; every card carries the same `seq` on every board as in its ack; the boards'
snapshots and sequence numbers are the same from every URL; presence counts every table's phones on
every process. Prints a JSON summary; exit status 1 when a check fails.

A single URL (nginx in front of several processes) works too: the balancer spreads the connections.
tests/e2e/test_scale_out.py runs it against two `wsgi.py` processes on one PostgreSQL and one Redis.
"""

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import requests
from harness import ACK_TIMEOUT, LiveClient

SAMPLE = Path(__file__).resolve().parents[2] / "facilitator" / "demo_data" / "thermalisme.json"


def create(url: str, key: str, tables: int) -> dict:
    sample = json.loads(SAMPLE.read_text())["workshop"]
    response = requests.post(
        f"{url}/api/workshops",
        json={
            "title": sample["title"],
            "question": sample["question"],
            "template": sample["template"],
            "language": sample["language"],
            "groups": tables,
        },
        headers={"Authorization": f"Bearer {key}"},
        timeout=ACK_TIMEOUT,
    )
    response.raise_for_status()
    return response.json()


def replay(urls: list[str], key: str, phones: int = 90, tables: int = 9, cards_per_phone: int = 5) -> dict:
    """Run the workshop; return {"problems": [...], "figures": {...}} (no problem: every check held)."""
    started = time.monotonic()
    servers = [SimpleNamespace(url=url.rstrip("/")) for url in urls]
    created = create(servers[0].url, key, tables)
    code = created["code"]
    sample = json.loads(SAMPLE.read_text())["cards"]
    clients: list[LiveClient] = []
    problems: list[str] = []

    def client(index, name):
        made = LiveClient(servers[index % len(servers)], name)
        clients.append(made)
        return made

    try:
        boards = []
        for index in range(len(servers)):
            board = client(index, f"board on {servers[index].url}")
            board.join(code=code, role="board", token=created["board_token"])
            boards.append(board)
        referents = {}
        for group in created["groups"]:
            number = group["number"]
            referent = client(number, f"référent of table {number}")
            referent.join(code=code, role="referent", token=group["referent_token"], group=number)
            referents[number] = referent

        def join_phone(k):
            table = k % tables + 1
            phone = client(k, f"phone {k} at table {table}")
            phone.join(code=code, role="participant", group=table, name=f"P{k}")
            return table, phone

        with ThreadPoolExecutor(20) as pool:
            phone_list = list(pool.map(join_phone, range(phones)))
        joined = time.monotonic()

        def post(k):
            table, phone = phone_list[k]
            acks = []
            for j in range(cards_per_phone):
                card = sample[(k * cards_per_phone + j) % len(sample)]
                reply = phone.post(card["family"], card["text"])
                if not reply["ok"]:
                    problems.append(f"phone {k}: card refused {reply['error']}")
                    continue
                acks.append(reply["card"])
            return acks

        with ThreadPoolExecutor(30) as pool:
            acks = [card for cards in pool.map(post, range(phones)) for card in cards]
        posted = time.monotonic()
        by_id = {card["id"]: card for card in acks}
        by_table = Counter(card["group"] for card in acks)

        for board in boards:
            board.wait_for(
                lambda cards: len({c["id"] for c in cards} & by_id.keys()) == len(by_id), 30, "every card"
            )
        for table, phone in phone_list:
            phone.wait_for(lambda cards, t=table: len(cards) >= by_table[t], 30, f"table {table}'s cards")
        for table, referent in referents.items():
            referent.wait_for(lambda cards, t=table: len(cards) >= by_table[t], 30, f"table {table}'s cards")
        time.sleep(0.5)  # a duplicate would arrive now
        delivered = time.monotonic()

        for board in boards:
            ids = Counter(c["id"] for c in board.cards())
            duplicated = [i for i, n in ids.items() if n > 1]
            if duplicated or set(ids) != set(by_id):
                problems.append(
                    f"{board.name}: {len(duplicated)} duplicated, {len(set(by_id) - set(ids))} missing"
                )
            seqs = {c["id"]: c["seq"] for c in board.cards()}
            if seqs != {i: c["seq"] for i, c in by_id.items()}:
                problems.append(f"{board.name}: sequence numbers differ from the acks")
        for label, table, receiver in [(p.name, t, p) for t, p in phone_list] + [
            (r.name, t, r) for t, r in referents.items()
        ]:
            cards = receiver.cards()
            foreign = [c["id"] for c in cards if c["group"] != table]
            ids = Counter(c["id"] for c in cards)
            expected = {i for i, c in by_id.items() if c["group"] == table}
            if foreign:
                problems.append(f"{label} received {len(foreign)} cards of other tables")
            if set(ids) != expected or max(ids.values(), default=1) > 1:
                problems.append(
                    f"{label}: {len(expected - set(ids))} missing, {sum(ids.values()) - len(ids)} twice"
                )

        snapshots = []
        for index, server in enumerate(servers):
            late = client(index, f"late board on {server.url}")
            snapshots.append(late.join(code=code, role="board", token=created["board_token"]))
        if any(s["snapshot"]["cards"] != snapshots[0]["snapshot"]["cards"] for s in snapshots):
            problems.append("the boards' snapshots differ between the URLs")
        if any(s["seq"] != snapshots[0]["seq"] for s in snapshots):
            problems.append(f"sequence numbers differ: {[s['seq'] for s in snapshots]}")
        if len(snapshots[0]["snapshot"]["cards"]) != len(by_id):
            problems.append(
                f"the snapshot has {len(snapshots[0]['snapshot']['cards'])} cards, {len(by_id)} posted"
            )
        people = Counter(table for table, _ in phone_list)
        for server, snapshot in zip(servers, snapshots, strict=True):
            expected = {str(t): n for t, n in sorted(people.items())}
            if snapshot["presence"] != expected:
                problems.append(f"presence from {server.url}: {snapshot['presence']} (expected {expected})")
        return {
            "problems": problems,
            "figures": {
                "code": code,
                "urls": [s.url for s in servers],
                "phones": phones,
                "tables": tables,
                "cards": len(by_id),
                "join_s": round(joined - started, 2),
                "post_s": round(posted - joined, 2),
                "deliver_s": round(delivered - posted, 2),
                "total_s": round(time.monotonic() - started, 2),
            },
        }
    finally:
        for made in clients:
            made.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True, help="a server (repeat for each process)")
    parser.add_argument("--key", required=True, help="the organiser key (ORGANISER_KEY)")
    parser.add_argument("--phones", type=int, default=90)
    parser.add_argument("--tables", type=int, default=9)
    parser.add_argument("--cards", type=int, default=5, help="cards per phone")
    args = parser.parse_args(argv)
    result = replay(args.url, args.key, args.phones, args.tables, args.cards)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
