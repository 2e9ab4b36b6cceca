"""Measure the cross-table synthesis (reports/synthesis.py): quality on the labelled sets and time on
1,000 and 10,000 generated cards. A script, not a test: `python tests/data/measure_synthesis.py`
(figures in docs/reports.md, "Cross-table synthesis: method and measurements").

Quality: V-measure of the themes against each set's human `theme` labels, and the number of themes.
Time: cards recombined from the labelled sets' texts (first half of one card + second half of
another, as reports/bench.py does), 9 tables, 4 families, so that most texts are distinct."""

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import v_measure_score  # noqa: E402

from reports import synthesis  # noqa: E402

HERE = Path(__file__).resolve().parent
SETS = {
    "oenotourisme (tuning set)": HERE / "oenotourisme.json",
    "velo": HERE / "velo.json",
    "affaires": HERE / "affaires.json",
    "montagne (written last, measured once)": HERE / "montagne.json",
    "memoire (round 2, validation)": HERE / "memoire.json",
    "littoral (round 2, validation)": HERE / "littoral.json",
    "sobriete (round 2, held out)": HERE / "sobriete.json",
    "thermalisme (shared sample)": ROOT.parent / "shared" / "samples" / "thermalisme.json",
    "thermalisme (demo copy)": ROOT / "facilitator" / "demo_data" / "thermalisme.json",
}


def quality(path: Path) -> tuple[float, int, int]:
    cards = json.loads(path.read_text(encoding="utf-8"))["cards"]
    labels = [0] * len(cards)
    found = synthesis.themes(cards)
    for number, theme in enumerate(found):
        for index in theme["cards"]:
            labels[index] = number
    return v_measure_score([c["theme"] for c in cards], labels), len(found), len(cards)


def generated(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    texts = []
    for path in [p for name, p in SETS.items() if "demo copy" not in name]:
        texts += [c["text"] for c in json.loads(path.read_text(encoding="utf-8"))["cards"]]
    families = ["forces", "faiblesses", "attentes", "contributions"]
    cards = []
    for i in range(count):
        a, b = rng.choice(texts).split(), rng.choice(texts).split()
        text = " ".join(a[: max(2, len(a) // 2)] + b[len(b) // 2 :])
        cards.append({"table": 1 + i % 9, "family": families[i % 4], "text": text})
    return cards


def main() -> int:
    started = time.perf_counter()
    synthesis.word_vectors()
    print(f"vector table loaded in {time.perf_counter() - started:.2f} s (once per process)")
    for name, path in SETS.items():
        if path.exists():
            score, count, cards = quality(path)
            print(f"{name:<40} {cards:>3} cards  V-measure {score:.3f}  {count} themes")
    for count in (1000, 10000):
        cards = generated(count)
        distinct = len({c["text"] for c in cards})
        started = time.perf_counter()
        found = synthesis.themes(cards)
        elapsed = time.perf_counter() - started
        print(f"{count:>6} cards ({distinct} distinct texts): {elapsed:.2f} s, {len(found)} themes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
