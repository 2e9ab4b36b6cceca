"""`python -m bench <scenario> [--mode eventlet|gevent|both] [--n N] ...`: measure Facilitator and its floor.

For each async mode: start the real server (`python wsgi.py`) in a fresh instance directory, create a
workshop through `POST /api/workshops`, drive N phones (plus one référent per table and one board) from
several load-generator processes over WebSockets, stop it; then do exactly the same against the floor
(`bench/floor.py`, a bare python-socketio server with the same rooms and fan-out). Print a table with
our figures and their ratio to the floor, and write bench/results/<scenario>-<mode>-<date>.json.
"""

import argparse
import json
import multiprocessing
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import requests

from bench import loadgen
from bench.procstat import Sampler

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
ORGANISER_KEY = "bench-organiser-key"
# Generous limits: the benchmark measures throughput, not the flood protection (whose code still runs).
RATE_ENV = {
    "FACILITATOR_RATE_CARDS": "100000/10 seconds",
    "FACILITATOR_RATE_EVENTS": "100000/10 seconds",
    "FACILITATOR_RATE_JOIN_FAILURES": "100000/minute",
    "FACILITATOR_RATE_NEW_PARTICIPANTS": "100000/10 seconds",
    "FACILITATOR_RATE_TABLE_CARDS": "100000/10 seconds",
}

SCENARIOS = {
    # name: phones, tables, join ramp (s), cards per phone in `duration` s, or a rate (cards/s)
    "crtl": {"n": 90, "tables": 9, "ramp": 5, "cards_per_phone": 5, "duration": 30},
    "large": {"n": 1000, "tables": 100, "ramp": 20, "rate": 50, "duration": 60, "votes": True},
    "storm": {"n": 1000, "tables": 100, "ramp": 10, "rate": 20, "duration": 5},
    "one-room": {"n": 200, "tables": 1, "ramp": None, "cards_per_phone": 5, "duration": 30},
}
TARGETS = {
    "large": {"board_p99": 0.250, "lost": 0, "duplicated": 0, "rss_mb": 400, "board_p99_ratio": 2},
    "storm": {"join_p99": 1.0, "join_failures": 0},
    "one-room-200": {"last_phone_p99": 0.250, "lost": 0},
    "one-room-500": {"last_phone_p99": 5.0, "lost": 0},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def votes_available() -> bool:
    """Votes exist once facilitator/votes.py and a `vote:cast` handler have landed."""
    handler = ROOT / "facilitator" / "realtime" / "votes.py"
    return (
        (ROOT / "facilitator" / "votes.py").exists()
        and handler.exists()
        and '"vote:cast"' in handler.read_text()
    )


def plan(scenario: str, args, seed: int) -> tuple[dict, list[dict]]:
    """The clients (phones, référents, board) with their join moment and the offsets of their posts."""
    conf = dict(SCENARIOS[scenario])
    conf["n"] = args.n or conf["n"]
    conf["tables"] = args.tables or conf["tables"]
    if args.duration:
        conf["duration"] = args.duration
    if conf["ramp"] is None:  # one-room: joins as a room fills, 50 a second
        conf["ramp"] = max(2, conf["n"] / 50)
    if args.ramp is not None:
        conf["ramp"] = args.ramp
    rng = random.Random(seed)
    n, tables = conf["n"], conf["tables"]
    specs = [{"id": 0, "role": "board", "group": None, "join_at": 0.0, "posts": []}]
    for table in range(1, tables + 1):
        specs.append({"id": len(specs), "role": "referent", "group": table, "join_at": 0.0, "posts": []})
    phones = []
    for i in range(n):
        spec = {"id": len(specs), "role": "participant", "group": i % tables + 1, "posts": []}
        spec["join_at"] = 0.5 + conf["ramp"] * i / n
        specs.append(spec)
        phones.append(spec)
    if "rate" in conf:
        total = int(conf["rate"] * conf["duration"])
        for k in range(total):
            rng.choice(phones)["posts"].append(k / conf["rate"])
    else:
        for phone in phones:
            phone["posts"] = sorted(rng.uniform(0, conf["duration"]) for _ in range(conf["cards_per_phone"]))
    for spec in specs:
        spec["posts"].sort()
    if conf.get("votes") and votes_available():
        # The vote burst: every phone puts `votes` dots on cards of its table within `vote_window` s.
        conf["vote_window"] = args.vote_window
        for phone in phones:
            phone["votes"] = sorted(rng.uniform(0, conf["vote_window"]) for _ in range(args.votes))
    return conf, specs


class Target:
    """A server under test: the real `python wsgi.py`, or the floor."""

    def __init__(self, kind: str, mode: str, workdir: Path):
        self.kind, self.mode = kind, mode
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = workdir / f"{kind}-{mode}"
        self.dir.mkdir(parents=True)
        self.process = None
        self.extra_env = {}

    def start(self, max_connections: int):
        if self.kind == "app":
            command = [sys.executable, "wsgi.py"]
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("FACILITATOR_", "DATABASE_URL", "REDIS_URL"))
            }
            env.update(
                FACILITATOR_INSTANCE=str(self.dir / "instance"),
                FACILITATOR_HOST="127.0.0.1",
                FACILITATOR_PORT=str(self.port),
                FACILITATOR_ASYNC_MODE=self.mode,
                FACILITATOR_MAX_CONNECTIONS=str(max_connections),
                PUBLIC_URL=self.url,
                ORGANISER_KEY=ORGANISER_KEY,
                SECRET_KEY="bench-secret-key",
                PYTHONUNBUFFERED="1",
                **RATE_ENV,
            )
            env.update(self.extra_env)
        else:
            command = [sys.executable, "-m", "bench.floor", "--port", str(self.port), "--mode", self.mode]
            command += ["--max-connections", str(max_connections)]
            env = dict(os.environ, PYTHONUNBUFFERED="1")
        with open(self.dir / "stdout.log", "wb") as out, open(self.dir / "stderr.log", "wb") as err:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
            )
        probe = "/healthz" if self.kind == "app" else "/socket.io/?EIO=4&transport=polling"
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.kind} ({self.mode}) exited:\n{self.log_tail()}")
            try:
                if requests.get(self.url + probe, timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"{self.kind} ({self.mode}) did not answer in 60 s:\n{self.log_tail()}")

    def log_tail(self, lines=30) -> str:
        text = (self.dir / "stderr.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def workshop(self, tables: int) -> dict:
        """The join code, tokens and a family to post in."""
        if self.kind == "floor":
            return {"code": "floor", "board_token": "x", "referents": {}, "family": "idea"}
        response = requests.post(
            f"{self.url}/api/workshops",
            json={"title": "Benchmark", "question": "Charge", "groups": tables, "template": "concertation"},
            headers={"Authorization": f"Bearer {ORGANISER_KEY}"},
            timeout=30,
        )
        if response.status_code != 201:
            raise SystemExit(f"POST /api/workshops answered {response.status_code}: {response.text}")
        body = response.json()
        info = requests.get(f"{self.url}/api/workshops/{body['code']}", timeout=30).json()
        return {
            "code": body["code"],
            "board_token": body["board_token"],
            "referents": {g["number"]: g["referent_token"] for g in body["groups"]},
            "family": info["families"][0],
        }

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def percentiles(values) -> dict:
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None, "count": 0}

    def pick(q):
        return round(values[min(len(values) - 1, int(q * len(values)))], 4)

    return {
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": round(values[-1], 4),
        "count": len(values),
    }


def run_target(target: Target, conf: dict, specs: list[dict], procs: int, drain: float, profile=None) -> dict:
    """Drive one server through the whole scenario; return its measurements."""
    target.start(max_connections=max(5000, 2 * len(specs)))
    spy = None
    try:
        ws = target.workshop(conf["tables"])
        for spec in specs:
            if spec["role"] == "board":
                spec["token"] = ws["board_token"]
            elif spec["role"] == "referent":
                spec["token"] = ws["referents"].get(spec["group"], "x")
        groups: dict[int, int] = {}
        for spec in specs:
            if spec["posts"]:
                groups[spec["group"]] = groups.get(spec["group"], 0) + len(spec["posts"])
        setup = {
            "url": target.url,
            "code": ws["code"],
            "family": ws["family"],
            "expected": {"board": sum(groups.values()), "groups": groups},
            "drain": drain,
        }
        sampler = Sampler().start()
        sampler.watch("server", target.process.pid)
        if profile and target.kind == "app":
            profile.parent.mkdir(parents=True, exist_ok=True)
            spy = subprocess.Popen(
                ["py-spy", "record", "--pid", str(target.process.pid), "--format", "raw", "--nonblocking"]
                + ["--rate", "100", "--output", str(profile)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        ctx = multiprocessing.get_context("spawn")
        results = ctx.Queue()
        controls, workers = [], []
        shares = [specs[i::procs] for i in range(procs)]
        setup["t_join"] = time.time() + 3.0  # time for the processes to start
        for share in shares:
            control = ctx.Queue()
            process = ctx.Process(target=loadgen.worker, args=(setup, share, control, results), daemon=True)
            process.start()
            controls.append(control)
            workers.append(process)
        for i, process in enumerate(workers):
            sampler.watch(f"loadgen{i}", process.pid)
        t_join = setup["t_join"]
        joined = 0
        while joined < procs:
            message = results.get(timeout=conf["ramp"] + 180)
            if message[0] == "error":
                raise SystemExit(f"load generator failed: {message[2]}")
            joined += 1
        t_joined = time.time()
        start = time.time() + 1.0
        for control in controls:
            control.put(start)
        drained = 0
        while drained < procs:
            message = results.get(timeout=conf["duration"] + drain + 300)
            if message[0] == "error":
                raise SystemExit(f"load generator failed: {message[2]}")
            drained += 1
        t_end = time.time()
        vote_start = time.time() + 1.0 if conf.get("vote_window") else None
        for control in controls:
            control.put(vote_start)
        outcomes = []
        while len(outcomes) < procs:
            message = results.get(timeout=conf.get("vote_window", 0) + 300)
            if message[0] == "error":
                raise SystemExit(f"load generator failed: {message[2]}")
            outcomes.append(message)
        t_votes = time.time()
        for process in workers:
            process.join(timeout=10)
        sampler.stop()
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        result = measure(target, conf, specs, outcomes, sampler, t_join, t_joined, start, t_end, procs)
        if vote_start is not None:
            votes = [v for o in outcomes for v in o[2]["votes"]]
            result["votes"] = {
                **percentiles(v[0] for v in votes),
                "cast": len(votes),
                "refused": sum(1 for v in votes if v[0] is None),
                "errors": sorted({v[1] for v in votes if v[1]})[:5],
                "server": sampler.usage("server", vote_start, t_votes),
            }
        return result
    finally:
        target.stop()
        if target.kind == "app":  # the server's own log, next to the results (gitignored)
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"last-server-{target.mode}.log").write_bytes((target.dir / "stderr.log").read_bytes())


def measure(target, conf, specs, outcomes, sampler, t_join, t_joined, start, t_end, procs) -> dict:
    posts, joins, cards, foreign, out_of_order = [], [], {}, 0, 0
    for _, _pid, summary, _cpu, _wall in outcomes:
        posts.extend(summary["posts"])
        joins.extend(summary["joins"])
        foreign += summary["foreign"]
        out_of_order += summary["out_of_order"]
        for client_id, fact in summary["cards"].items():
            merged = cards.setdefault(
                client_id, {"phones": 0, "phone_dups": 0, "phone_max": 0.0, "board": [], "referents": 0}
            )
            merged["phones"] += fact["phones"]
            merged["phone_dups"] += fact["phone_dups"]
            merged["phone_max"] = max(merged["phone_max"], fact["phone_max"])
            merged["board"].extend(fact["board"])
            merged["referents"] += fact.get("referents", 0)
    joined_phones: dict[int, int] = {}
    boards = referents = 0
    for role, group, _c, _seconds, error in joins:
        if error:
            continue
        if role == "participant":
            joined_phones[group] = joined_phones.get(group, 0) + 1
        elif role == "board":
            boards += 1
        else:
            referents += 1
    acked = [p for p in posts if p[3] is not None]
    lost = duplicated = 0
    board_latency, last_phone = [], []
    for client_id, group, _t_send, _ack, _error in acked:
        fact = cards.get(
            client_id, {"phones": 0, "phone_dups": 0, "phone_max": None, "board": [], "referents": 0}
        )
        want_phones = joined_phones.get(group, 0)
        lost += max(0, want_phones - fact["phones"]) + max(0, boards - min(len(fact["board"]), boards))
        duplicated += fact["phone_dups"] + max(0, len(fact["board"]) - boards)
        if fact["board"]:
            board_latency.append(min(fact["board"]))
        if want_phones and fact["phones"] >= want_phones:
            last_phone.append(fact["phone_max"])
    join_seconds = [j[3] for j in joins if not j[4] and j[0] == "participant"]
    loadgen = {}
    for i in range(procs):
        loadgen[f"loadgen{i}"] = sampler.usage(f"loadgen{i}", start, t_end)
    return {
        "target": target.kind,
        "mode": target.mode,
        "clients": len(specs),
        "join": {
            **percentiles(join_seconds),
            "failures": sum(1 for j in joins if j[4]),
            "errors": sorted({j[4] for j in joins if j[4]})[:5],
            "phase_seconds": round(t_joined - t_join, 2),
        },
        "post_ack": {**percentiles(a[3] for a in acked), "refused": len(posts) - len(acked)},
        "post_errors": sorted({p[4] for p in posts if p[4]})[:5],
        "post_board": percentiles(board_latency),
        "post_last_phone": percentiles(last_phone),
        "cards": {
            "posted": len(posts),
            "acked": len(acked),
            "lost": lost,
            "duplicated": duplicated,
            "foreign": foreign,
            "out_of_order": out_of_order,
        },
        "server": {
            "join_phase": sampler.usage("server", t_join, t_joined),
            "post_phase": sampler.usage("server", start, t_end),
        },
        "loadgen": loadgen,
        # Every process on the machine (200% = both cores busy): the server, the load generators, the rest.
        "machine_cpu_pct": sampler.usage("machine", start, t_end)["cpu_mean_pct"],
        "wall_seconds": round(t_end - start, 1),
    }


def cpu_per_join(data: dict):
    """The server's CPU time during the join phase per client (phones, référents, board), in ms."""
    seconds = data["server"]["join_phase"].get("cpu_seconds")
    return round(1000 * seconds / data["clients"], 2) if seconds is not None and data["clients"] else None


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        "?",
    )
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    packages = {}
    for name in (
        "Flask-SocketIO",
        "python-socketio",
        "python-engineio",
        "eventlet",
        "gevent",
        "gevent-websocket",
        "SQLAlchemy",
        "aiohttp",
    ):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(memory / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "packages": packages,
        "load_average_before": os.getloadavg(),
        "busy_processes": busy_processes(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "sqlite_commit_ms": sqlite_commit_ms(),
    }


def busy_processes() -> list[str]:
    """What else was using the CPU when the run started (ps, top 8 by CPU share)."""
    try:
        out = subprocess.run(
            ["ps", "-eo", "pcpu,etimes,args", "--sort=-pcpu", "--no-headers"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip()[:120] for line in out.splitlines()[:8]]


def sqlite_commit_ms() -> dict:
    """How long this disk takes to commit one SQLite row with the server's settings (WAL, synchronous=FULL)."""
    import sqlite3

    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "probe.db")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("CREATE TABLE t (x)")
        times = []
        for i in range(50):
            t0 = time.perf_counter()
            connection.execute("INSERT INTO t VALUES (?)", (i,))
            connection.commit()
            times.append(time.perf_counter() - t0)
        connection.close()
    times.sort()
    return {
        "p50": round(times[25] * 1000, 2),
        "p95": round(times[47] * 1000, 2),
        "max": round(times[-1] * 1000, 2),
    }


def ratio(ours, floor):
    if ours is None or not floor:
        return None
    return round(ours / floor, 2)


def fmt(seconds):
    return "—" if seconds is None else f"{seconds * 1000:.0f}"


def report(name: str, mode: str, ours: dict, floor: dict | None):
    rows = [
        ("join ms", "join"),
        ("post→ack ms", "post_ack"),
        ("post→board ms", "post_board"),
        ("post→last phone ms", "post_last_phone"),
    ]
    print(f"\n== {name} · {mode} · {ours['clients']} clients ==")
    header = f"{'':22}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}"
    if floor:
        header += f"{'floor p99':>11}{'ratio p50':>11}{'ratio p99':>11}"
    print(header)
    for label, key in rows:
        line = f"{label:22}" + "".join(f"{fmt(ours[key][q]):>8}" for q in ("p50", "p95", "p99", "max"))
        if floor:
            line += f"{fmt(floor[key]['p99']):>11}"
            line += f"{str(ratio(ours[key]['p50'], floor[key]['p50'])):>11}{str(ratio(ours[key]['p99'], floor[key]['p99'])):>11}"
        print(line)
    for label, data in (("ours", ours), ("floor", floor)):
        if not data:
            continue
        c, s = data["cards"], data["server"]
        print(
            f"{label:6} cards posted {c['posted']} acked {c['acked']} lost {c['lost']} duplicated {c['duplicated']} "
            f"foreign {c['foreign']} out of order {c['out_of_order']} · join failures {data['join']['failures']} (phase {data['join']['phase_seconds']} s)"
        )
        print(
            f"{'':6} server CPU join {s['join_phase']['cpu_mean_pct']}% "
            f"({cpu_per_join(data)} ms of CPU per client joined) · posts {s['post_phase']['cpu_mean_pct']}% "
            f"(peak {s['post_phase']['cpu_peak_pct']}%) · peak RSS {s['post_phase']['rss_peak_mb']} MB · load generators "
            + ", ".join(f"{v['cpu_mean_pct']}%/{v['cpu_peak_pct']}%" for v in data["loadgen"].values())
            + f" (mean/peak) · whole machine {data['machine_cpu_pct']}%"
        )
        if data.get("votes"):
            v = data["votes"]
            print(
                f"{'':6} vote burst: {v['cast']} dots, refused {v['refused']}, vote→ack p50 {fmt(v['p50'])} "
                f"p95 {fmt(v['p95'])} p99 {fmt(v['p99'])} ms, server CPU {v['server']['cpu_mean_pct']}% {v['errors']}"
            )
        if data["join"]["errors"] or data["post_errors"]:
            print(f"{'':6} errors: {data['join']['errors']} {data['post_errors']}")


def check_targets(name: str, ours: dict, floor: dict | None) -> dict:
    targets = TARGETS.get(name, {})
    verdict = {}
    for key, limit in targets.items():
        value = {
            "board_p99": ours["post_board"]["p99"],
            "last_phone_p99": ours["post_last_phone"]["p99"],
            "lost": ours["cards"]["lost"],
            "duplicated": ours["cards"]["duplicated"],
            "rss_mb": ours["server"]["post_phase"]["rss_peak_mb"],
            "join_p99": ours["join"]["p99"],
            "join_failures": ours["join"]["failures"],
            "board_p99_ratio": ratio(
                ours["post_board"]["p99"], (floor or {}).get("post_board", {}).get("p99")
            ),
        }[key]
        verdict[key] = {"value": value, "target": limit, "met": value is not None and value <= limit}
    return verdict


def main(argv=None):
    if (sys.argv[1:] if argv is None else argv)[:1] == ["report-load"]:  # bench/report_load.py
        from bench import report_load

        return report_load.main((sys.argv[1:] if argv is None else argv)[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--mode", choices=["eventlet", "gevent", "both"], default="both")
    parser.add_argument("--n", type=int, help="phones (default: the scenario's)")
    parser.add_argument("--tables", type=int, help="tables (default: the scenario's)")
    parser.add_argument("--duration", type=float, help="seconds of posting (default: the scenario's)")
    parser.add_argument("--ramp", type=float, help="seconds over which the phones join")
    parser.add_argument("--procs", type=int, default=3, help="load-generator processes (default 3)")
    parser.add_argument(
        "--drain", type=float, default=30, help="seconds to wait for late cards after posting"
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the bare python-socketio floor")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--votes", type=int, default=3, help="dots per phone in the vote burst (large)")
    parser.add_argument("--vote-window", type=float, default=10, help="seconds of the vote burst (large)")
    parser.add_argument(
        "--server-env", action="append", default=[], metavar="NAME=VALUE", help="extra setting for wsgi.py"
    )
    parser.add_argument(
        "--profile", action="store_true", help="record the server with py-spy (bench/results/*-profile.txt)"
    )
    parser.add_argument(
        "--out", type=Path, help="JSON file (default bench/results/<scenario>-<mode>-<date>.json)"
    )
    args = parser.parse_args(argv)
    conf, specs = plan(args.scenario, args, args.seed)
    name = args.scenario if args.scenario != "one-room" else f"one-room-{conf['n']}"
    modes = ["eventlet", "gevent"] if args.mode == "both" else [args.mode]
    notes = []
    if conf.get("votes"):
        if votes_available():
            notes.append(
                f"vote burst: {args.votes} dots per phone in {args.vote_window} s (free mode votes at tables)"
            )
        else:
            notes.append("vote burst skipped: facilitator/votes.py with `vote:cast` has not landed")
        print(notes[-1])
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    about = machine()
    print(f"load average {about['load_average_before']}, SQLite commit {about['sqlite_commit_ms']} ms")
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        for mode in modes:
            app_target = Target("app", mode, Path(workdir))
            app_target.extra_env = dict(item.split("=", 1) for item in args.server_env)
            profile = RESULTS / f"{name}-{mode}-{stamp}-profile.txt" if args.profile else None
            ours = run_target(
                app_target,
                conf,
                [dict(s) for s in specs],
                args.procs,
                args.drain,
                profile,
            )
            floor = None
            if not args.no_floor:
                floor = run_target(
                    Target("floor", mode, Path(workdir)),
                    conf,
                    [dict(s) for s in specs],
                    args.procs,
                    args.drain,
                )
            report(name, mode, ours, floor)
            verdict = check_targets(name, ours, floor)
            for key, v in verdict.items():
                print(f"  target {key}: {v['value']} (≤ {v['target']}) {'met' if v['met'] else 'MISSED'}")
            RESULTS.mkdir(exist_ok=True)
            out = args.out or RESULTS / f"{name}-{mode}-{stamp}.json"
            if args.out and len(modes) > 1:
                out = args.out.with_name(f"{args.out.stem}-{mode}{args.out.suffix}")
            out.write_text(
                json.dumps(
                    {
                        "scenario": name,
                        "mode": mode,
                        "date": stamp,
                        "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
                        "config": {
                            **conf,
                            "server_env": args.server_env,
                            "procs": args.procs,
                            "drain": args.drain,
                            "seed": args.seed,
                        },
                        "machine": about,
                        "notes": notes,
                        "ours": ours,
                        "floor": floor,
                        "ratios_p99": {
                            key: ratio(ours[key]["p99"], floor[key]["p99"]) if floor else None
                            for key in ("join", "post_ack", "post_board", "post_last_phone")
                        },
                        "targets": verdict,
                    },
                    indent=2,
                )
            )
            print(f"  written {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
