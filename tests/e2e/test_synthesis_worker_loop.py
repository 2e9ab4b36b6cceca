"""The synthesis worker under the real servers' event loops: while a proposal is computed (the models
load, then the cards cluster: seconds), the loop keeps serving — a stalled loop would freeze every live
socket of the workshop. The worker's pipes must be the cooperative ones eventlet and gevent patch in."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import sys
mode = sys.argv[1]
if mode == "eventlet":
    import eventlet
    eventlet.monkey_patch()
    spawn, sleep = eventlet.spawn, eventlet.sleep
else:
    from gevent import monkey
    monkey.patch_all()
    import gevent
    spawn, sleep = gevent.spawn, gevent.sleep
import json, time
from facilitator.synthesis.worker import Worker

ticks = []
def ticker():
    while True:
        ticks.append(time.monotonic())
        sleep(0.05)
spawn(ticker)
sleep(0.1)
cards = [{"table": 1 + i % 3, "family": "forces", "text": t} for i, t in enumerate(
    ["Des pistes cyclables sûres", "Louer des vélos en gare", "Un label accueil vélo",
     "Trains avec places vélos", "Signalétique des véloroutes", "Parkings vélos sécurisés"])]
worker = Worker(timeout=120)
start = time.monotonic()
themes = worker.propose(cards)
end = time.monotonic()
worker.close()
during = [t for t in ticks if start < t < end]
gaps = [b - a for a, b in zip(during, during[1:])]
print(json.dumps({"seconds": end - start, "ticks": len(during), "longest_gap": max(gaps, default=end - start),
                  "cards": sorted(i for t in themes for i in t["cards"])}))
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_loop_keeps_serving_while_the_worker_clusters(mode):
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["cards"] == list(range(6))  # every card in one theme: the proposal came back
    # The models load in the worker (seconds): the ticker ran all along, never stopped for long.
    assert seen["ticks"] >= 5, seen
    assert seen["longest_gap"] < seen["seconds"] / 2, seen
