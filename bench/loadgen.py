"""One load-generator process: many python-socketio AsyncClients (aiohttp WebSockets) on one asyncio loop.

The parent gives each process its share of the clients; every client connects and joins at its own
moment, then, at a wall-clock start time shared by every process, posts its cards at their planned
offsets. The card text carries the client id and the send time (`bench <client_id> <time.time()>`), so
any process on the machine can tell the post→receive latency of any card it receives.
"""

import asyncio
import os
import random
import time
import uuid

import socketio

ACK_TIMEOUT = 30


class Receiver:
    """What one client received: per card client id, the receive times (more than one = duplicated)."""

    def __init__(self, spec):
        self.spec = spec
        self.cards: dict[str, list[float]] = {}
        self.foreign = 0  # cards of another table (a phone or référent must never get one)
        self.sent = []  # (client_id, group, t_send, t_ack or None, error or None)
        self.join_seconds = None
        self.connect_seconds = None
        self.join_error = None
        self.received = 0
        self.last_seq = 0
        self.card_ids = []  # ids of this table's cards, to vote on
        self.out_of_order = 0  # card:added arriving with a seq lower than one already received

    def on_message(self, message):
        if message.get("type") == "cards:batch":
            for inner in message.get("messages", ()):
                self.on_message(inner)
            return
        if message.get("type") != "card:added":
            return
        now = time.time()
        card = message.get("card") or {}
        parts = str(card.get("text", "")).split()
        if len(parts) != 3 or parts[0] != "bench":
            return
        self.received += 1
        seq = message.get("seq") or 0
        if seq < self.last_seq:
            self.out_of_order += 1
        self.last_seq = max(self.last_seq, seq)
        self.cards.setdefault(parts[1], []).append(now - float(parts[2]))
        if card.get("group") == self.spec["group"] and "id" in card:
            self.card_ids.append(card["id"])
        if self.spec["role"] != "board" and card.get("group") != self.spec["group"]:
            self.foreign += 1


async def run_client(spec, setup, t_join, start_at, done_posting, shared):
    receiver = Receiver(spec)
    sio = socketio.AsyncClient(reconnection=False, request_timeout=ACK_TIMEOUT)
    sio.on("card:added", receiver.on_message)
    sio.on("cards:batch", receiver.on_message)
    await asyncio.sleep(max(0.0, t_join + spec["join_at"] - time.time()))
    t0 = time.time()
    try:
        await sio.connect(setup["url"], transports=["websocket"], wait_timeout=ACK_TIMEOUT)
        receiver.connect_seconds = time.time() - t0
        payload = {"code": setup["code"], "role": spec["role"]}
        if spec["role"] == "participant":
            payload.update(group=spec["group"], name=f"P{spec['id']}")
        elif spec["role"] == "referent":
            payload.update(group=spec["group"], token=spec["token"])
        else:
            payload.update(token=spec["token"])
        reply = await sio.call("join", payload, timeout=ACK_TIMEOUT)
        if not (isinstance(reply, dict) and reply.get("ok")):
            raise RuntimeError(f"join refused: {reply!r}")
        receiver.join_seconds = time.time() - t0
    except Exception as exc:  # a refused or timed-out join is a result, not a crash
        receiver.join_error = f"{type(exc).__name__}: {exc}"[:200]
        shared["joined"] += 1
        return receiver, sio
    shared["joined"] += 1
    start = await start_at
    for offset in spec["posts"]:
        await asyncio.sleep(max(0.0, start + offset - time.time()))
        client_id = uuid.uuid4().hex
        t_send = time.time()
        data = {"client_id": client_id, "family": setup["family"], "text": f"bench {client_id} {t_send:.6f}"}
        try:
            reply = await sio.call("card:add", data, timeout=ACK_TIMEOUT)
            if isinstance(reply, dict) and reply.get("ok"):
                receiver.sent.append((client_id, spec["group"], t_send, time.time() - t_send, None))
            else:
                error = reply.get("error") if isinstance(reply, dict) else repr(reply)
                receiver.sent.append((client_id, spec["group"], t_send, None, str(error)[:100]))
        except Exception as exc:
            receiver.sent.append((client_id, spec["group"], t_send, None, type(exc).__name__))
    done_posting.append(spec["id"])
    return receiver, sio


async def main_async(setup, specs, control, results):
    loop = asyncio.get_running_loop()
    shared = {"joined": 0}
    start_future = loop.create_future()
    done_posting: list = []
    cpu0 = time.process_time()
    t_join = setup["t_join"]
    tasks = [
        asyncio.create_task(run_client(spec, setup, t_join, start_future, done_posting, shared))
        for spec in specs
    ]
    while shared["joined"] < len(specs):
        await asyncio.sleep(0.05)
    results.put(("joined", os.getpid(), time.process_time() - cpu0))
    start = await loop.run_in_executor(None, control.get)  # the shared start time
    cpu1 = time.process_time()
    start_future.set_result(start)
    outcome = await asyncio.gather(*tasks)
    receivers = [r for r, _ in outcome]
    # Drain: wait until every client has what its table should get, or the drain limit passes.
    expected = setup["expected"]  # {"board": total cards, group: cards of that table}
    deadline = time.time() + setup["drain"]
    while time.time() < deadline:
        missing = 0
        for r in receivers:
            if r.join_error:
                continue
            want = (
                expected["board"] if r.spec["role"] == "board" else expected["groups"].get(r.spec["group"], 0)
            )
            missing += max(0, want - len(r.cards))
        if missing == 0:
            break
        await asyncio.sleep(0.2)
    # Post phase ended when the last card of this process was acked; CPU counted to the drain's end.
    cpu2 = time.process_time()
    t_end = time.time()
    results.put(("drained", os.getpid()))
    vote_start = await loop.run_in_executor(None, control.get)  # None: no vote burst
    votes = []
    if vote_start is not None:
        rng = random.Random(os.getpid())
        await asyncio.gather(
            *(cast_votes(r, sio, vote_start, rng, votes) for r, sio in outcome if not r.join_error)
        )
    for _, sio in outcome:
        try:
            await sio.disconnect()
        except Exception:
            pass
    summary = summarise(receivers)
    summary["votes"] = votes
    results.put(("done", os.getpid(), summary, cpu2 - cpu1, t_end - start))


async def cast_votes(receiver, sio, start, rng, votes):
    """A phone puts its dots on cards of its table at its planned moments; record each ack's latency."""
    for offset in receiver.spec.get("votes", ()):
        await asyncio.sleep(max(0.0, start + offset - time.time()))
        if not receiver.card_ids:
            votes.append((None, "no card to vote on"))
            continue
        t0 = time.time()
        data = {"card_id": rng.choice(receiver.card_ids), "delta": 1, "client_id": uuid.uuid4().hex}
        try:
            reply = await sio.call("vote:cast", data, timeout=ACK_TIMEOUT)
            ok = isinstance(reply, dict) and reply.get("ok")
            error = None if ok else str(reply.get("error") if isinstance(reply, dict) else reply)[:100]
            votes.append((time.time() - t0 if ok else None, error))
        except Exception as exc:
            votes.append((None, type(exc).__name__))


def summarise(receivers):
    """Fold this process's clients into per-card facts the parent merges across processes."""
    posts, joins, cards = [], [], {}
    foreign = out_of_order = 0
    for r in receivers:
        out_of_order += r.out_of_order
        joins.append((r.spec["role"], r.spec["group"], r.connect_seconds, r.join_seconds, r.join_error))
        posts.extend(r.sent)
        foreign += r.foreign
        role = r.spec["role"]
        for client_id, latencies in r.cards.items():
            fact = cards.setdefault(client_id, {"phones": 0, "phone_dups": 0, "phone_max": 0.0, "board": []})
            if role == "board":
                fact["board"].extend(latencies)
            elif role == "participant":
                fact["phones"] += 1
                fact["phone_dups"] += len(latencies) - 1
                fact["phone_max"] = max(fact["phone_max"], max(latencies))
            else:
                fact.setdefault("referents", 0)
                fact["referents"] += 1
                fact["phone_dups"] += len(latencies) - 1
    return {"posts": posts, "joins": joins, "cards": cards, "foreign": foreign, "out_of_order": out_of_order}


def worker(setup, specs, control, results):
    """Entry point of one load-generator process (multiprocessing, spawn)."""
    try:
        asyncio.run(main_async(setup, specs, control, results))
    except Exception as exc:  # the parent reports it
        results.put(("error", os.getpid(), repr(exc)))
