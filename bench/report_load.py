"""`python -m bench report-load [--mode eventlet|gevent|both] [--cards 10000] [--duration 30]`: does
building a report stall a live workshop?

For each async mode, twice: the real server (`python wsgi.py`, bench's `Target`) on a SQLite database
seeded beforehand with a 10,000-card workshop (`reports.bench.populate`: 9 tables, votes, essentials,
themes, paper cards, French text); a live workshop created through the API as bench does, with a
board, a référent per table and 90 phones at 9 tables posting 5 cards each in 30 s (bench's `crtl`
plan and load generator, `run_target`). The first run measures post→board without reports; during the
second, a facilitator downloads the 10,000-card workshop's report in each format (pdf, docx, xlsx,
pptx, in turn, again and again) through `GET /api/workshops/<code>/report.<fmt>` with its facilitator
token: same process, same database file, same two cores as the live workshop. Prints both and writes bench/results/report-load-<mode>-<date>.json.
Figures: docs/reports.md ("Speed").
"""

import argparse
import json
import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from bench.__main__ import RESULTS, Target, fmt, machine, percentiles, plan, run_target
from reports.bench import populate

FORMATS = ["pdf", "docx", "xlsx", "pptx"]


class SeededTarget(Target):
    """The real server on a database seeded before it starts; optionally downloading reports meanwhile."""

    def __init__(self, mode, workdir, cards, tables, formats, lead):
        super().__init__("app", mode, workdir)
        self.cards, self.tables, self.formats, self.lead = cards, tables, formats, lead
        self.seeded = None
        self.downloads = []  # (format, status, bytes, seconds, started at)
        self.probes = []  # (sent at, seconds) of GET /healthz
        self._stop = threading.Event()
        self._thread = None

    def start(self, max_connections):
        instance = self.dir / "instance"
        instance.mkdir(parents=True, exist_ok=True)
        began = time.time()
        self.seeded = populate(
            f"sqlite:///{instance / 'facilitator.db'}", self.cards, self.tables, 10 * self.tables
        )
        print(f"  seeded {self.cards} cards in {time.time() - began:.1f} s", flush=True)
        super().start(max_connections)

    def workshop(self, tables):
        """The live workshop: a fresh one, created through the API as bench does. The report is the
        seeded workshop's: with 10,000 cards in the live one, each phone's join snapshot (1,100 cards of
        its table) and the board's (10,000) would be what is measured, not the report."""
        live = super().workshop(tables)
        self._probe_thread = threading.Thread(target=self._probe, daemon=True)
        self._probe_thread.start()
        if self.formats:
            self._thread = threading.Thread(target=self._download, daemon=True)
            self._thread.start()
        return live

    def _probe(self):
        """GET /healthz every 100 ms: a request that needs nothing but the server's event loop, so its
        latency is the loop's lag, a time series to set against the report builds."""
        with requests.Session() as http:
            while not self._stop.wait(0.1):
                began = time.time()
                try:
                    http.get(f"{self.url}/healthz", timeout=30)
                except requests.RequestException:
                    continue
                self.probes.append((began, time.time() - began))

    def _download(self):
        """One facilitator downloading each format in turn, from shortly before the posts until the end."""
        if self._stop.wait(self.lead):
            return
        headers = {"Authorization": f"Bearer {self.seeded['facilitator_token']}"}
        k = 0
        while not self._stop.is_set():
            fmt_ = self.formats[k % len(self.formats)]
            k += 1
            began = time.time()
            try:
                answer = requests.get(
                    f"{self.url}/api/workshops/{self.seeded['code']}/report.{fmt_}",
                    headers=headers,
                    timeout=300,
                )
                status, size = answer.status_code, len(answer.content)
            except requests.RequestException as exc:
                status, size = type(exc).__name__, 0
            if self._stop.is_set() and status != 200:
                status = "cut"  # still building when the run ended: it did load the machine until then
            self.downloads.append((fmt_, status, size, round(time.time() - began, 2), began))

    def stop(self):
        self._stop.set()
        children = []
        if self.process is not None:  # a report still building: its subprocess would outlive the server
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as listing:
                children = [int(pid) for pid in listing.read().split()]
        super().stop()
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for thread in (self._thread, getattr(self, "_probe_thread", None)):
            if thread is not None:
                thread.join(timeout=30)


def summary(result, target) -> dict:
    downloads = target.downloads if target.formats else None
    out = {
        "post_board": result["post_board"],
        "post_ack": result["post_ack"],
        "post_last_phone": result["post_last_phone"],
        "cards": result["cards"],
        "server_cpu_pct": result["server"]["post_phase"]["cpu_mean_pct"],
        "machine_cpu_pct": result["machine_cpu_pct"],
        "join_p99": result["join"]["p99"],
    }
    probes = target.probes
    out["healthz"] = percentiles(seconds for _, seconds in probes)
    if downloads:
        windows = [(began, began + seconds) for _, _, _, seconds, began in downloads]
        during = [seconds for t, seconds in probes if any(a <= t <= b for a, b in windows)]
        out["healthz_during_builds"] = percentiles(during)
        out["healthz_outside_builds"] = percentiles(
            seconds for t, seconds in probes if not any(a <= t <= b for a, b in windows)
        )
    if downloads is not None:
        by_format = {}
        for fmt_, status, size, seconds, _ in downloads:
            entry = by_format.setdefault(fmt_, {"builds": 0, "failed": 0, "seconds": [], "bytes": 0})
            if status == "cut":
                entry["cut"] = entry.get("cut", 0) + 1
                continue
            entry["builds"] += 1
            entry["failed"] += status != 200
            entry["seconds"].append(seconds)
            entry["bytes"] = max(entry["bytes"], size)
        out["downloads"] = by_format
        if downloads:
            first, last = downloads[0][4], max(d[4] + d[3] for d in downloads)
            out["building_seconds"] = round(sum(d[3] for d in downloads), 1)
            out["building_share"] = round(sum(d[3] for d in downloads) / max(0.001, last - first), 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench report-load", description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["eventlet", "gevent", "both"], default="both")
    parser.add_argument("--cards", type=int, default=10000, help="cards seeded before the run")
    parser.add_argument("--tables", type=int, default=9)
    parser.add_argument("--n", type=int, default=90, help="phones posting")
    parser.add_argument("--duration", type=float, default=30, help="seconds of posting")
    parser.add_argument("--formats", nargs="*", default=FORMATS)
    parser.add_argument("--skip-baseline", action="store_true", help="only the run with report downloads")
    parser.add_argument("--procs", type=int, default=3)
    parser.add_argument("--drain", type=float, default=15)
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    plan_args = argparse.Namespace(n=args.n, tables=args.tables, duration=args.duration, ramp=None,
                                   vote_window=10, votes=0)  # fmt: skip
    conf, specs = plan("crtl", plan_args, seed=1)
    modes = ["eventlet", "gevent"] if args.mode == "both" else [args.mode]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    about = machine()
    print(f"load average {about['load_average_before']}")
    import tempfile

    lead = 3.0 + conf["ramp"] + 0.5  # bench starts joins 3 s after the workshop, posts after the ramp
    for mode in modes:
        runs = {}
        with tempfile.TemporaryDirectory(prefix="bench-report-") as workdir:
            for name, formats in (("without reports", []), ("with reports", args.formats)):
                if name == "without reports" and args.skip_baseline:
                    continue
                print(f"== report-load · {mode} · {name} ==", flush=True)
                target = SeededTarget(mode, Path(workdir) / name.replace(" ", "-"), args.cards, args.tables,
                                      formats, lead)  # fmt: skip
                target.extra_env = dict(item.split("=", 1) for item in args.server_env)
                result = run_target(target, conf, [dict(s) for s in specs], args.procs, args.drain)
                runs[name] = summary(result, target)
                b = runs[name]["post_board"]
                print(f"  post→board ms p50 {fmt(b['p50'])} p95 {fmt(b['p95'])} p99 {fmt(b['p99'])} "
                      f"max {fmt(b['max'])} · cards {result['cards']['acked']}/{result['cards']['posted']} "
                      f"lost {result['cards']['lost']} · server CPU {runs[name]['server_cpu_pct']}%", flush=True)  # fmt: skip
                for key in ("healthz", "healthz_during_builds", "healthz_outside_builds"):
                    if key in runs[name]:
                        h = runs[name][key]
                        print(f"  GET /healthz ({key.removeprefix('healthz').replace('_', ' ').strip() or 'all'}) ms "
                              f"p50 {fmt(h['p50'])} p99 {fmt(h['p99'])} max {fmt(h['max'])} ({h['count']} probes)")  # fmt: skip
                for fmt_, d in runs[name].get("downloads", {}).items():
                    print(f"  {fmt_}: {d['builds']} builds ({d['failed']} failed, {d.get('cut', 0)} cut by the end), "
                          f"seconds {d['seconds']}")  # fmt: skip
        RESULTS.mkdir(exist_ok=True)
        out = args.out or RESULTS / f"report-load-{mode}-{stamp}.json"
        if args.out and len(modes) > 1:
            out = args.out.with_name(f"{args.out.stem}-{mode}{args.out.suffix}")
        out.write_text(
            json.dumps(
                {
                    "scenario": "report-load",
                    "mode": mode,
                    "date": stamp,
                    "command": "python -m bench report-load "
                    + " ".join(sys.argv[2:] if argv is None else argv),
                    "config": {
                        **conf,
                        "cards_seeded": args.cards,
                        "formats": args.formats,
                        "server_env": args.server_env,
                    },  # fmt: skip
                    "machine": about,
                    "runs": runs,
                },
                indent=2,
            )
        )
        print(f"  written {out}")
    return 0
