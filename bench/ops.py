"""`python -m bench.ops [--n 1000] [--tables 100] [--profile join|vote|card]`: the cost of one operation.

In process, without sockets or a second program: the real Socket.IO handlers (through Flask-SocketIO's
test client, threading mode) on a SQLite file with the server's settings. For each operation — a
phone's `join`, `card:add`, `vote:cast` — prints the CPU time of this process per operation (mean and
p95, first and last tenth: does it grow with the workshop?) and the SQL statements it ran. CPU time
does not depend on what else the machine runs, so this is how a change is judged on a busy machine;
`python -m bench` then says what it does to latencies.

What the server sends is encoded as the server encodes it (once per emit), and handed to the
recipients' connections; the test client would then decode every packet again for every recipient (a
phone's work, three times the encoding's), so only the client whose operation is measured reads its
packets (its ack, its own broadcasts): `Delivery` counts the others' instead (docs/performance.md).
"""

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
import uuid
from pathlib import Path


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class Meter:
    """CPU time and SQL statements per operation."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = 0
        self.texts = []
        self.keep_texts = False

        @event.listens_for(engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, *_args):
            self.statements += 1
            if self.keep_texts:
                self.texts.append(statement)

    def run(self, fn):
        before = self.statements
        t0 = time.process_time()
        result = fn()
        return result, time.process_time() - t0, self.statements - before


class Delivery:
    """Stands in for the test client's delivery to every connection but the measured one's: the packet
    the server built is counted, not decoded again as the recipient's test client would."""

    def __init__(self, server):
        self.server = server
        self.emitter = None
        self.delivered = 0

    def install(self):
        """After each new test client (which puts its own delivery in place)."""
        mock = self.server._send_eio_packet

        def send(eio_sid, eio_packet):
            if eio_sid == self.emitter:
                return mock(eio_sid, eio_packet)
            self.delivered += 1
            return None

        self.server._send_eio_packet = send

    def measure(self, client, fn):
        self.emitter = client.eio_sid
        try:
            return fn()
        finally:
            self.emitter = None


def report(name, cpu, statements):
    if not cpu:
        return
    tenth = max(1, len(cpu) // 10)
    print(
        f"{name:10} n={len(cpu):5}  CPU ms mean {1000 * statistics.mean(cpu):6.2f}  "
        f"p95 {1000 * percentile(cpu, 0.95):6.2f}  first tenth {1000 * statistics.mean(cpu[:tenth]):6.2f}  "
        f"last tenth {1000 * statistics.mean(cpu[-tenth:]):6.2f}  "
        f"SQL per op {statistics.mean(statements):5.1f} (min {min(statements)}, max {max(statements)})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="phones (default 1000)")
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--cards", type=int, default=3, help="cards per table before the votes")
    parser.add_argument("--votes", type=int, default=3, help="dots per phone")
    parser.add_argument("--profile", choices=("join", "card", "vote"), help="cProfile one operation")
    parser.add_argument("--sql", choices=("join", "card", "vote"), help="print the SQL of one operation")
    args = parser.parse_args()

    from facilitator import create_app
    from facilitator.config import TestConfig
    from facilitator.database import upgrade_database
    from facilitator.extensions import db, socketio
    from facilitator.workshops import create_workshop

    workdir = Path(tempfile.mkdtemp(prefix="facilitator-ops-"))
    config = TestConfig(workdir, BATCH_MS=100)
    upgrade_database(config.DATABASE_URL)
    app = create_app(config)
    meter = Meter(db.engine)
    # CPU time, not wall time: a commit waiting for the disk (fsync) is not work, and other processes
    # running on the machine do not count.
    profiler = cProfile.Profile(time.process_time) if args.profile else None

    with app.app_context():
        workshop, secrets = create_workshop(db.session, title="Ops", groups=args.tables)
        code, family = workshop.code, workshop.families[0]
        db.session.remove()

    def timed(kind, fn):
        meter.keep_texts = args.sql == kind
        if profiler is not None and args.profile == kind:
            profiler.enable()
        try:
            return meter.run(fn)
        finally:
            if profiler is not None and args.profile == kind:
                profiler.disable()

    delivery = Delivery(socketio.server)
    board = socketio.test_client(app)
    joined = board.emit("join", {"code": code, "role": "board", "token": secrets.board_token}, callback=True)
    assert joined["ok"], joined
    phones, cpu, statements = [], [], []
    for i in range(args.n):
        client = socketio.test_client(app)
        delivery.install()
        group = i % args.tables + 1
        payload = {"code": code, "role": "participant", "group": group, "name": f"P{i}"}
        reply, seconds, count = timed(
            "join", lambda c=client, p=payload: delivery.measure(c, lambda: c.emit("join", p, callback=True))
        )
        assert reply["ok"], reply
        phones.append((client, group))
        cpu.append(seconds)
        statements.append(count)
        if i % 50 == 0:  # what the phones received stays small in memory
            for c, _ in phones:
                c.get_received()
            board.get_received()
    report("join", cpu, statements)
    if args.sql == "join":
        print("\n".join(meter.texts[-statements[-1] :]))

    cards_of: dict[int, list[int]] = {}
    cpu, statements = [], []
    for client, group in phones:
        if len(cards_of.setdefault(group, [])) >= args.cards:
            continue
        payload = {"client_id": uuid.uuid4().hex, "family": family, "text": "Une idée"}
        reply, seconds, count = timed(
            "card",
            lambda c=client, p=payload: delivery.measure(c, lambda: c.emit("card:add", p, callback=True)),
        )
        assert reply["ok"], reply
        cards_of[group].append(reply["card"]["id"])
        cpu.append(seconds)
        statements.append(count)
    report("card:add", cpu, statements)
    if args.sql == "card":
        print("\n".join(meter.texts[-statements[-1] :]))

    cpu, statements = [], []
    for round_ in range(args.votes):
        for index, (client, group) in enumerate(phones):
            card = cards_of[group][(index + round_) % len(cards_of[group])]
            payload = {"card_id": card, "delta": 1, "client_id": uuid.uuid4().hex}
            reply, seconds, count = timed(
                "vote",
                lambda c=client, p=payload: delivery.measure(
                    c, lambda: c.emit("vote:cast", p, callback=True)
                ),
            )
            assert reply["ok"], reply
            cpu.append(seconds)
            statements.append(count)
        for c, _ in phones:
            c.get_received()
    report("vote:cast", cpu, statements)
    if args.sql == "vote":
        print("\n".join(meter.texts[-statements[-1] :]))

    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
    for client, _ in phones:
        client.disconnect()
    board.disconnect()


if __name__ == "__main__":
    main()
