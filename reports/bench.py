"""Benchmark: `python -m reports.bench [--cards 10000] [--tables 9] [--people 90] [--profile FILE]`.

Seeds a realistic workshop in a temporary SQLite database (`populate`, also used by
`python -m bench report-load`): 4 families, French texts with accents recombined from the thermalisme
sample so that most are distinct, phone and paper cards, hidden, merged and deleted cards, steps,
table themes with their cards, every person's dots (on cards and themes), each table's essentials.
Then times each phase of a report, as the report subprocess runs it: load, aggregate, synthesis
(engineer H1's, measured apart), charts, the shared outline, each writer; and every format from one
summary. Figures go in docs/reports.md ("Speed")."""

import argparse
import cProfile
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from facilitator.database import make_engine, upgrade_database
from facilitator.models import Card, Essential, Participant, Step, Theme, Vote
from facilitator.workshops import create_workshop

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "facilitator" / "demo_data" / "thermalisme.json"
# The phases each format needs (python -m reports skips the synthesis for csv and xlsx).
NEEDS = {
    "csv": ["load", "aggregate"],
    "xlsx": ["load", "aggregate"],
    "json": ["load", "aggregate", "synthesis (H1)"],
    "pptx": ["load", "aggregate", "synthesis (H1)", "charts"],
    "docx": ["load", "aggregate", "synthesis (H1)", "charts", "outline (docx, pdf, html)"],
}
ORGANISATIONS = ["Office de tourisme", "ADT", "Région", "CRTL", "Hébergeur", "Thermes", None]


def populate(url: str, cards: int, tables: int, people: int, seed: int = 7) -> dict:
    """Seed one workshop; return its join code and secrets (board, référent and facilitator tokens)."""
    upgrade_database(url)
    engine = make_engine(url)
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    with Session(engine) as session:
        workshop, secrets = create_workshop(session, title=sample["workshop"]["title"],
                                            question=sample["workshop"]["question"], groups=tables)  # fmt: skip
        wid, families = workshop.id, list(workshop.families)
        groups = [g.id for g in workshop.groups]
        steps = list(session.scalars(select(Step.id).where(Step.workshop_id == wid).order_by(Step.position)))
        persons = [
            {"workshop_id": wid, "group_id": groups[i % tables], "token_hash": f"b{i}", "name": f"Personne {i}",
             "organisation": rng.choice(ORGANISATIONS)}
            for i in range(people)
        ]  # fmt: skip
        session.execute(insert(Participant), persons)
        person_ids = list(session.scalars(select(Participant.id).where(Participant.workshop_id == wid)))
        group_of = dict(zip(person_ids, (p["group_id"] for p in persons), strict=True))
        by_family = {f: [c["text"] for c in sample["cards"] if c["family"] == f] for f in families}
        everything = [c["text"] for c in sample["cards"]]
        start = datetime.now(UTC) - timedelta(hours=2)
        rows = []
        for i in range(cards):
            family = families[i % len(families)] if i % 7 else rng.choice(families)
            a = rng.choice(by_family[family] or everything)
            b = rng.choice(everything)
            words_a, words_b = a.split(), b.split()
            text = " ".join(words_a[: max(2, len(words_a) // 2)] + words_b[len(words_b) // 2 :])
            paper = i % 9 == 0
            person = rng.choice(person_ids)
            status = "visible"
            if i % 97 == 0:
                status = "hidden"
            elif i % 89 == 0:
                status = "deleted"
            rows.append({"workshop_id": wid, "group_id": group_of[person] if not paper else rng.choice(groups),
                         "participant_id": None if paper else person, "client_id": f"b{i}", "family": family,
                         "text": text, "source": "paper" if paper else "phone", "status": status,
                         "step_id": steps[min(len(steps) - 1, i * len(steps) // cards)] if steps else None,
                         "seq": i + 1, "created_at": start + timedelta(seconds=rng.randint(0, 5400))})  # fmt: skip
        session.execute(insert(Card), rows)
        card_rows = session.execute(
            select(Card.id, Card.group_id, Card.family).where(Card.workshop_id == wid).order_by(Card.seq)
        ).all()
        per_group = {g: [c for c in card_rows if c.group_id == g] for g in groups}
        # Merges: one card in 50 folded into the previous card of its table.
        for mine in per_group.values():
            for k in range(1, len(mine), 50):
                session.execute(
                    Card.__table__.update()
                    .where(Card.id == mine[k].id)
                    .values(status="merged", merged_into_id=mine[k - 1].id)
                )
        # Table themes: three per table, each gathering a few cards of the table.
        themes = []
        for g in groups:
            for t in range(3):
                theme = Theme(
                    workshop_id=wid, group_id=g, title=f"Thème {t + 1} : {rng.choice(everything)[:40]}"
                )
                session.add(theme)
                themes.append(theme)
        session.flush()
        for theme in themes:
            picked = rng.sample(per_group[theme.group_id], min(5, len(per_group[theme.group_id])))
            session.execute(
                Card.__table__.update().where(Card.id.in_([c.id for c in picked])).values(theme_id=theme.id)
            )
        votes = []
        for person in person_ids:
            mine = per_group[group_of[person]] or card_rows
            for _ in range(workshop.vote_budget - 1):  # dots gather on a table's few salient cards
                card = mine[min(len(mine) - 1, int(rng.paretovariate(1.2) * 3) - 3)]
                votes.append({"workshop_id": wid, "participant_id": person, "card_id": card.id})
            theme = rng.choice([t for t in themes if t.group_id == group_of[person]] or themes)
            votes.append({"workshop_id": wid, "participant_id": person, "theme_id": theme.id})
        session.execute(insert(Vote), votes)
        essentials = []
        for g in groups:
            for family in families:
                mine = [c for c in per_group[g] if c.family == family][: workshop.essentials_per_family]
                essentials.extend({"workshop_id": wid, "group_id": g, "family": family, "card_id": c.id,
                                   "position": i} for i, c in enumerate(mine))  # fmt: skip
        session.execute(insert(Essential), essentials)
        session.commit()
        info = {
            "code": workshop.code,
            "board_token": secrets.board_token,
            "facilitator_token": secrets.facilitator_token,
            "referents": dict(secrets.referent_tokens),
            "family": families[0],
        }
    engine.dispose()
    return info


def timed(figures: dict, name: str, action):
    began = time.perf_counter()
    result = action()
    figures[name] = time.perf_counter() - began
    return result


def measure(url: str, code: str, formats: list[str], folder: Path) -> tuple[dict, object]:
    """Seconds per phase, building one summary then every format from it (as one process would)."""
    from reports import Summary, aggregate_frames, writers
    from reports.load import load
    from reports.synthesis import cross_table_themes
    from reports.writers.docx_writer import outline

    figures: dict[str, float] = {}
    engine = make_engine(url)
    with Session(engine) as session:
        frames = timed(figures, "load", lambda: load(session, code))
    engine.dispose()
    summary: Summary = timed(figures, "aggregate", lambda: aggregate_frames(frames))
    summary.synthesis = timed(
        figures,
        "synthesis (H1)",
        lambda: cross_table_themes(summary.cards, total_tables=len(frames.groups)),
    )
    timed(figures, "charts", summary.chart_png)
    timed(figures, "outline (docx, pdf, html)", lambda: outline(summary))
    for fmt in formats:
        timed(figures, fmt, lambda fmt=fmt: writers.write(summary, fmt, folder / f"report.{fmt}"))
    return figures, summary


def main(argv=None) -> int:
    from reports import writers

    parser = argparse.ArgumentParser(prog="python -m reports.bench")
    parser.add_argument("--cards", type=int, default=10000)
    parser.add_argument("--tables", type=int, default=9, help="9 to 100 in real workshops")
    parser.add_argument("--people", type=int, help="default: 10 per table")
    parser.add_argument("--formats", nargs="*", help="default: every format")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the build to this file")
    parser.add_argument("--keep", type=Path, help="copy the built files into this folder")
    parser.add_argument(
        "--cli",
        action="store_true",
        help="also time `python -m reports` per format (what the HTTP route runs)",
    )
    args = parser.parse_args(argv)
    people = args.people or 10 * args.tables
    formats = args.formats or writers.available()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        began = time.perf_counter()
        code = populate(url, args.cards, args.tables, people)["code"]
        seeded = time.perf_counter() - began
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        figures, summary = measure(url, code, formats, Path(folder))
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        cli = {}
        if args.cli:
            for fmt in formats:
                began = time.perf_counter()
                subprocess.run([sys.executable, "-m", "reports", code, "-f", fmt, "--output-dir", folder,
                                "--database", url], check=True, capture_output=True, cwd=ROOT)  # fmt: skip
                cli[fmt] = time.perf_counter() - began
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for fmt in formats:
                (args.keep / f"report.{fmt}").write_bytes((Path(folder) / f"report.{fmt}").read_bytes())
    print(f"{args.cards} cards, {args.tables} tables, {people} people, {len(summary.synthesis)} themes "
          f"(seeded in {seeded:.1f} s)")  # fmt: skip
    for name, seconds in figures.items():
        print(f"  {name:<40} {seconds:6.2f} s")
    print(f"  {'every format, one summary':<40} {sum(figures.values()):6.2f} s")
    print(f"  {'  of which synthesis (H1)':<40} {figures['synthesis (H1)']:6.2f} s")
    for fmt, seconds in cli.items():
        print(f"  {'python -m reports -f ' + fmt + ' (own process)':<40} {seconds:6.2f} s")
    one = {
        fmt: sum(figures[phase] for phase in NEEDS.get(fmt, NEEDS["docx"])) + figures[fmt] for fmt in formats
    }
    slowest = max(one, key=one.get)
    print(f"  {'one format (the phases it needs + writer)':<40} {one[slowest]:6.2f} s at most ({slowest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
