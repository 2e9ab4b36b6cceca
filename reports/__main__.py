"""Offline report: `python -m reports <code> --format docx -o compte-rendu.docx`.

Reads the database named by DATABASE_URL (the app's default SQLite file otherwise). Also what the
HTTP route runs in a subprocess, so that pandas and matplotlib never run on the server's event loop.
Exit codes: 0 written, 2 bad arguments, 3 unknown workshop.
"""

import argparse
import os
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.config import Config
from facilitator.database import make_engine
from reports import UnknownWorkshop, build_summary, writers
from reports.wording import LANGUAGES

NO_SYNTHESIS = ("csv", "xlsx")  # formats without the cross-table themes: not computed for them


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports", description="Write a workshop's compte rendu.")
    parser.add_argument("code", help="the workshop's join code")
    parser.add_argument("--format", "-f", default="docx", choices=writers.FORMATS)
    parser.add_argument(
        "-o", "--output", help="file to write (default: title and date in the current folder)"
    )
    parser.add_argument("--output-dir", help="folder to write into, under the default file name (printed)")
    parser.add_argument("--database", help="database URL (default: DATABASE_URL or the app's SQLite file)")
    parser.add_argument(
        "--language",
        "-l",
        choices=LANGUAGES,
        help="the document's language (default: the workshop's, else fr)",
    )
    parser.add_argument(
        "--excel",
        action="store_true",
        help="csv only: the file a spreadsheet opens (« ; » in French, readable headers, local times)",
    )
    parser.add_argument(
        "--hidden",
        choices=("marked", "omitted"),
        help="the annex's hidden cards: listed marked « masquée », or left out (default: the workshop's)",
    )
    parser.add_argument(
        "--nice", type=int, default=0, help="lower this process's CPU priority by N (the server passes 10)"
    )
    args = parser.parse_args(argv)
    if args.nice:
        os.nice(args.nice)  # the live workshop on the same cores comes first
    if args.excel and args.format != "csv":
        parser.error("--excel only applies to --format csv")
    if args.format not in writers.available():
        parser.error(f"format {args.format} is not available in this version")
    engine = make_engine(args.database or Config().DATABASE_URL)
    try:
        with Session(engine) as session:
            summary = build_summary(
                session,
                args.code,
                synthesis=args.format not in NO_SYNTHESIS,
                language=args.language,
                hidden=args.hidden,
            )
    except UnknownWorkshop:
        print(f"unknown workshop: {args.code}", file=sys.stderr)
        return 3
    finally:
        engine.dispose()
    output = Path(args.output or Path(args.output_dir or ".") / writers.filename(summary, args.format))
    writers.write(summary, args.format, output, excel=args.excel)
    print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
