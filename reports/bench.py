"""Benchmark: `python -m reports.bench [--cards 10000] [--tables 9] [--people 90]`.

Builds a synthetic workshop in a temporary SQLite database (card texts recombined from the
thermalisme sample so that most are distinct), then times the summary (with the synthesis) and every
format, in one process, as the report subprocess does. Figures go in docs/reports.md."""

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.database import make_engine, upgrade_database
from facilitator.models import Card, Essential, Participant, Vote
from facilitator.workshops import create_workshop

SAMPLE = Path(__file__).resolve().parent.parent / "facilitator" / "demo_data" / "thermalisme.json"


def populate(url: str, cards: int, tables: int, people: int, seed: int = 7) -> str:
    upgrade_database(url)
    engine = make_engine(url)
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    with Session(engine) as session:
        workshop, _ = create_workshop(session, title=sample["workshop"]["title"],
                                      question=sample["workshop"]["question"], groups=tables)  # fmt: skip
        persons = [
            Participant(workshop_id=workshop.id, group_id=workshop.groups[i % tables].id, token_hash=f"b{i}",
                        name=f"Personne {i}", organisation=rng.choice(["OT", "ADT", "RT", "CRTL", "Autre", None]))
            for i in range(people)
        ]  # fmt: skip
        session.add_all(persons)
        session.flush()
        start = datetime.now(UTC) - timedelta(hours=2)
        rows = []
        for i in range(cards):
            a, b = rng.choice(sample["cards"]), rng.choice(sample["cards"])
            words_a, words_b = a["text"].split(), b["text"].split()
            text = " ".join(words_a[: max(2, len(words_a) // 2)] + words_b[len(words_b) // 2 :])
            person = rng.choice(persons)
            rows.append(Card(workshop_id=workshop.id, group_id=person.group_id, participant_id=person.id,
                             client_id=f"b{i}", family=a["family"], text=text, seq=i + 1,
                             source="phone" if i % 9 else "paper",
                             created_at=start + timedelta(seconds=rng.randint(0, 5400))))  # fmt: skip
        session.add_all(rows)
        session.flush()
        session.add_all(Vote(workshop_id=workshop.id, participant_id=p.id, card_id=rng.choice(rows).id)
                        for p in persons for _ in range(workshop.vote_budget))  # fmt: skip
        for group in workshop.groups:
            mine = [c for c in rows if c.group_id == group.id][:6]
            session.add_all(Essential(workshop_id=workshop.id, group_id=group.id, family=c.family, card_id=c.id,
                                      position=i) for i, c in enumerate(mine))  # fmt: skip
        session.commit()
        code = workshop.code
    engine.dispose()
    return code


def main(argv=None) -> int:
    from reports import build_summary, writers

    parser = argparse.ArgumentParser(prog="python -m reports.bench")
    parser.add_argument("--cards", type=int, default=10000)
    parser.add_argument("--tables", type=int, default=9)
    parser.add_argument("--people", type=int, default=90)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        code = populate(url, args.cards, args.tables, args.people)
        engine = make_engine(url)
        began = time.perf_counter()
        with Session(engine) as session:
            summary = build_summary(session, code)
        figures = {"summary (load + aggregate + synthesis)": time.perf_counter() - began}
        for fmt in writers.available():
            began = time.perf_counter()
            writers.write(summary, fmt, Path(folder) / f"report.{fmt}")
            figures[fmt] = time.perf_counter() - began
        engine.dispose()
    total = sum(figures.values())
    print(f"{args.cards} cards, {args.tables} tables, {args.people} people, "
          f"{len(summary.synthesis)} themes")  # fmt: skip
    for name, seconds in figures.items():
        print(f"  {name:<40} {seconds:6.2f} s")
    print(f"  {'every format, one summary':<40} {total:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
