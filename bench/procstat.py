"""CPU and memory of processes, read from /proc (Linux): no dependency, sampled in a thread."""

import os
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, in seconds (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_kb(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) in kB, from /proc/<pid>/status (VmRSS, VmHWM)."""
    rss = peak = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1])
    except OSError:
        pass
    return rss, peak


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (everything but idle and iowait), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICKS


class Sampler:
    """Samples CPU% and RSS of named processes every `interval` seconds; phases mark time spans."""

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.pids: dict[str, int] = {}
        self.samples: list[tuple[float, dict[str, tuple[float, int]]]] = []  # (t, {name: (cpu s, rss kB)})
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, name: str, pid: int):
        self.pids[name] = pid

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._sample()
        self._stop.set()
        self._thread.join(timeout=5)

    def _sample(self):
        now = time.time()
        row = {"machine": (machine_busy_seconds(), 0)}
        for name, pid in list(self.pids.items()):
            rss, peak = memory_kb(pid)
            if rss or peak:
                self.peaks[name] = max(self.peaks.get(name, 0), peak, rss)
            row[name] = (cpu_seconds(pid), rss)
        self.samples.append((now, row))

    def _run(self):
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def usage(self, name: str, start: float, end: float) -> dict:
        """Mean and peak CPU (% of one core) of `name` between two wall-clock times, and its peak RSS."""
        points = [(t, row[name][0]) for t, row in self.samples if name in row and start <= t <= end]
        result = {"cpu_mean_pct": None, "cpu_peak_pct": None, "cpu_seconds": None}
        if len(points) >= 2:
            (t0, c0), (t1, c1) = points[0], points[-1]
            result["cpu_mean_pct"] = round(100 * (c1 - c0) / max(t1 - t0, 1e-9), 1)
            # CPU time does not depend on what else the machine runs: the cost of the phase's work.
            result["cpu_seconds"] = round(c1 - c0, 2)
            rates = [
                100 * (cb - ca) / max(tb - ta, 1e-9)
                for (ta, ca), (tb, cb) in zip(points, points[1:], strict=False)
                if tb > ta
            ]
            result["cpu_peak_pct"] = round(max(rates), 1) if rates else None
        result["rss_peak_mb"] = round(self.peaks.get(name, 0) / 1024, 1)
        return result
