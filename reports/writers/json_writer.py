"""report.json: the public contract's keys plus the richer sections (docs/protocol.md)."""

import json


def write(summary, path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(summary.to_report(), out, ensure_ascii=False, indent=1)
