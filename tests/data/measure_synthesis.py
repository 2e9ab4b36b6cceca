"""Measure the cross-table synthesis (reports/synthesis.py): quality on the labelled sets, time on 1,000
and 10,000 generated cards, model load time and memory. A script, not a test:
`python tests/data/measure_synthesis.py [--sets-only] [--time-only]` (figures in docs/reports.md,
"Cross-table synthesis: method and measurements").

Quality: adjusted mutual information (AMI), adjusted Rand index (ARI) and V-measure of the proposal
against the person's themes, the number of themes found (the person's in brackets), and two baselines
for scale: every card alone, all cards in one theme. V-measure flatters over-splitting (every card
alone scores ≈ 0.67 on 60–100 cards); AMI and ARI score both baselines ≈ 0.

Gold label: `label` in the sets of tests/data/; the shared sample (read-only) still calls it `theme`.
A set's `theme` / `theme_title` (when `label` is there too) are the référents' table themes, the
proposal's input; "with table themes" passes them, "without" drops them.

Time: cards recombined from the labelled sets' texts (first half of one card + second half of
another, as reports/bench.py does), 9 tables, 4 families, so that most texts are distinct."""

import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import (  # noqa: E402
    adjusted_mutual_info_score,
    adjusted_rand_score,
    v_measure_score,
)

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
    "reseau (issue 17, table themes)": HERE / "reseau.json",
    "fluvial (issue 17, table themes)": HERE / "fluvial.json",
    "thermalisme (shared sample)": ROOT.parent / "shared" / "samples" / "thermalisme.json",
}


def labelled(path: Path) -> tuple[list[dict], list]:
    """(cards as the proposal reads them, the person's label of each card). The gold label is
    `label`; a set without it (the shared sample) keeps it in `theme`, which is then no table theme."""
    cards = json.loads(path.read_text(encoding="utf-8"))["cards"]
    if all("label" in c for c in cards):
        gold = [c["label"] for c in cards]
        inputs = [{k: v for k, v in c.items() if k != "label"} for c in cards]
    else:
        gold = [c["theme"] for c in cards]
        inputs = [{k: v for k, v in c.items() if k not in ("theme", "theme_title")} for c in cards]
    return inputs, gold


def without_table_themes(cards: list[dict]) -> list[dict]:
    return [{k: v for k, v in c.items() if k not in ("theme", "theme_title")} for c in cards]


def scores(gold: list, found: list[dict]) -> dict:
    labels = [-1] * len(gold)
    for number, theme in enumerate(found):
        for index in theme["cards"]:
            labels[index] = number
    assert -1 not in labels, "every card in one theme"
    return {
        "ami": adjusted_mutual_info_score(gold, labels),
        "ari": adjusted_rand_score(gold, labels),
        "v": v_measure_score(gold, labels),
        "themes": len(found),
        "human": len(set(gold)),
    }


def baselines(gold: list) -> dict:
    alone = [{"cards": [i]} for i in range(len(gold))]
    one = [{"cards": list(range(len(gold)))}]
    return {"alone": scores(gold, alone), "one": scores(gold, one)}


def as_sorted(cards: list[dict]) -> list[dict]:
    """The référents' table themes as they are, each loose card alone: what the room starts from."""
    groups = {}
    for index, card in enumerate(cards):
        key = ("theme", card["table"], card["theme"]) if "theme" in card else ("card", index)
        groups.setdefault(key, []).append(index)
    return [{"cards": members} for members in groups.values()]


def row(score: dict) -> str:
    return (
        f"AMI {score['ami']:.3f}  ARI {score['ari']:.3f}  V {score['v']:.3f}  "
        f"{score['themes']} themes ({score['human']})"
    )


def generated(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    texts = []
    for path in SETS.values():
        if path.exists():
            texts += [c["text"] for c in json.loads(path.read_text(encoding="utf-8"))["cards"]]
    families = ["forces", "faiblesses", "attentes", "contributions"]
    cards = []
    for i in range(count):
        a, b = rng.choice(texts).split(), rng.choice(texts).split()
        text = " ".join(a[: max(2, len(a) // 2)] + b[len(b) // 2 :])
        table = 1 + i % 9
        card = {"table": table, "family": families[i % 4], "text": text}
        if i % 3:  # two cards in three sorted by their référent, ~6 table themes a table
            card["theme"] = f"t{table}-{rng.randrange(6)}"
        cards.append(card)
    return cards


def measure_quality() -> None:
    for name, path in SETS.items():
        if not path.exists():
            continue
        cards, gold = labelled(path)
        has_table_themes = any("theme" in c for c in cards)
        base = baselines(gold)
        print(f"{name} — {len(cards)} cards")
        print(f"    every card alone  {row(base['alone'])}")
        print(f"    one theme         {row(base['one'])}")
        print(f"    proposal          {row(scores(gold, synthesis.themes(without_table_themes(cards))))}")
        if has_table_themes:
            print(f"    table themes only {row(scores(gold, as_sorted(cards)))}")
            print(f"    + table themes    {row(scores(gold, synthesis.themes(cards)))}")


def measure_time() -> None:
    started, cpu = time.perf_counter(), time.process_time()
    synthesis.load_models()
    print(
        f"models loaded in {time.perf_counter() - started:.2f} s, {time.process_time() - cpu:.2f} s of CPU "
        "(once per process)"
    )
    print(f"peak memory after loading: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for count in (1000, 10000):
        cards = generated(count)
        distinct = len({c["text"] for c in cards})
        started, cpu = time.perf_counter(), time.process_time()
        found = synthesis.themes(cards)
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{count:>6} cards ({distinct} distinct texts): {elapsed:.2f} s ({used:.2f} s of CPU), {len(found)} themes"
        )
        print(f"    peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        if count == 1000:  # the facilitator asks again: the sentence vectors are kept
            started, cpu = time.perf_counter(), time.process_time()
            synthesis.themes(cards)
            elapsed, used = time.perf_counter() - started, time.process_time() - cpu
            print(f"    the same cards again: {elapsed:.2f} s ({used:.2f} s of CPU)")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--time-only" not in argv:
        measure_quality()
    if "--sets-only" not in argv:
        measure_time()
    return 0


if __name__ == "__main__":
    sys.exit(main())
