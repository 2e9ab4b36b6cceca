"""`python -m bench.summary bench/results/*.json`: the results as Markdown tables (for docs/performance.md)."""

import json
import sys
from pathlib import Path


def ms(value):
    return "—" if value is None else f"{value * 1000:.0f}"


def row(data: dict) -> str:
    ours, floor = data["ours"], data.get("floor") or {}

    def pair(key, q):
        mine = ours[key][q]
        base = (floor.get(key) or {}).get(q)
        if base:
            return f"{ms(mine)} ({ms(base)}, ×{mine / base:.1f})" if mine is not None else "—"
        return ms(mine)

    cards = ours["cards"]
    server = ours["server"]["post_phase"]
    loadgen = max((v["cpu_peak_pct"] or 0) for v in ours["loadgen"].values()) if ours["loadgen"] else None
    verdict = (
        ", ".join(f"{k} {'✔' if v['met'] else '✘'}" for k, v in (data.get("targets") or {}).items()) or "—"
    )
    return (
        f"| {data['scenario']} | {data['mode']} | {pair('join', 'p50')} / {pair('join', 'p99')} "
        f"| {pair('post_ack', 'p50')} / {pair('post_ack', 'p99')} "
        f"| {pair('post_board', 'p50')} / {pair('post_board', 'p99')} "
        f"| {pair('post_last_phone', 'p50')} / {pair('post_last_phone', 'p99')} "
        f"| {cards['acked']}/{cards['posted']} · {cards['lost']} · {cards['duplicated']} · {cards['out_of_order']} "
        f"| {ours['join']['failures']} "
        f"| {server['cpu_mean_pct']}% ({(floor.get('server') or {}).get('post_phase', {}).get('cpu_mean_pct')}%) "
        f"| {server['rss_peak_mb']} | {loadgen}% | {verdict} |"
    )


HEADER = (
    "| scenario | mode | join p50 / p99 ms | post→ack p50 / p99 | post→board p50 / p99 | post→last phone p50 / p99 "
    "| acked/posted · lost · dup · out of order | join failures | server CPU, posting (floor) | peak RSS MB "
    "| load gen. peak CPU | targets |\n" + "| --- " * 12 + "|"
)


def main(paths):
    files = [json.loads(Path(p).read_text()) for p in paths]
    print(HEADER)
    for data in sorted(files, key=lambda d: (d["scenario"], d["mode"])):
        print(row(data))
    targets_table(files)
    print(
        "\n| scenario | mode | server CPU per client joined, ms (floor) | join phase: server CPU % "
        "| vote burst: vote→ack p50 / p99 ms (floor) | vote burst: server CPU % (floor) |\n"
        + "| --- " * 6
        + "|"
    )
    for data in sorted(files, key=lambda d: (d["scenario"], d["mode"])):
        floor = data.get("floor") or {}
        votes = data["ours"].get("votes")
        floor_votes = floor.get("votes") or {}
        burst = cpu = "—"
        if votes:
            burst = (
                f"{ms(votes['p50'])} / {ms(votes['p99'])} ({ms(floor_votes.get('p50'))} / "
                f"{ms(floor_votes.get('p99'))}), {votes['cast']} dots, {votes['refused']} refused"
            )
            cpu = f"{votes['server']['cpu_mean_pct']} ({(floor_votes.get('server') or {}).get('cpu_mean_pct', '—')})"
        print(
            f"| {data['scenario']} | {data['mode']} | {per_join(data['ours'])} ({per_join(floor)}) "
            f"| {data['ours']['server']['join_phase']['cpu_mean_pct']} | {burst} | {cpu} |"
        )


TARGET_NAMES = {
    "board_p99": ("p99 post→board ≤ 250 ms", 1000, "ms"),
    "lost": ("0 lost", 1, ""),
    "duplicated": ("0 duplicated", 1, ""),
    "rss_mb": ("server RSS ≤ 400 MB", 1, "MB"),
    "board_p99_ratio": ("p99 post→board ratio to the floor ≤ 2", 1, "×"),
    "join_p99": ("p99 join ≤ 1 s", 1000, "ms"),
    "join_failures": ("no refused connection", 1, ""),
    "last_phone_p99": ("p99 post→last phone", 1000, "ms"),
}


def targets_table(files):
    """| scenario | target | eventlet | gevent |, from the targets each run recorded."""
    runs = {(d["scenario"], d["mode"]): d.get("targets") or {} for d in files}
    print("\n| scenario | target | eventlet | gevent |\n| --- | --- | --- | --- |")
    for scenario in sorted({s for s, _ in runs}):
        names = list(dict.fromkeys(k for (s, _m), t in runs.items() if s == scenario for k in t))
        for name in names:
            label, scale, unit = TARGET_NAMES.get(name, (name, 1, ""))
            limit = next(
                (t[name]["target"] for (s, _m), t in runs.items() if s == scenario and name in t), None
            )
            if name == "last_phone_p99" and limit is not None:
                label = f"{label} ≤ {limit * scale:.0f} {unit}"
            cells = []
            for mode in ("eventlet", "gevent"):
                got = runs.get((scenario, mode), {}).get(name)
                if got is None or got["value"] is None:
                    cells.append("—")
                    continue
                value = got["value"] * scale
                shown = f"{value:.2f}" if unit == "×" else f"{value:.0f}"
                cells.append(
                    f"{shown}{' ' + unit if unit and unit != '×' else ''} {'✔' if got['met'] else '✘'}"
                )
            print(f"| {scenario} | {label} | {cells[0]} | {cells[1]} |")


def per_join(side: dict):
    """Server CPU time of the join phase per client joined, in ms (runs recorded before it: —)."""
    seconds = ((side.get("server") or {}).get("join_phase") or {}).get("cpu_seconds")
    return "—" if seconds is None or not side.get("clients") else f"{1000 * seconds / side['clients']:.1f}"


if __name__ == "__main__":
    main(sys.argv[1:])
