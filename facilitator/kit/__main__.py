"""Build a workshop's preparation kit offline, from the configured database:

    python -m facilitator.kit <code> -o kit.pdf [--slides slides.pptx] [--rules-file rules.txt]
                              [--start 14:00] [--posters a4|a3|both] [--contact "…"] [--card-pages 1]
                              [--part all|posters|referents] [--table N]

The whole kit (--part all, the default) and the référent sheets (--part referents, of every table or
of --table N) issue fresh référent links, printed on the sheets: the previous ones stop working.
--part posters (QR and rules posters, paper cards) changes no link: reprint it as often as needed.
"""

import argparse
import sys

from facilitator.kit.options import POSTER_SIZES, KitOptions

PARTS = ("all", "posters", "referents")


def add_arguments(parser):
    parser.add_argument("code", help="the workshop's join code")
    parser.add_argument("-o", "--output", default=None, help="the PDF to write (default kit-<code>.pdf)")
    parser.add_argument("--slides", default=None, help="also write the introduction slides (PPTX) here")
    parser.add_argument("--rules-file", default=None, help="a UTF-8 text file: one rule per line")
    parser.add_argument(
        "--start",
        default="",
        help="clock time of the first agenda step (none: times from the start, « +15 min »)",
    )
    parser.add_argument("--posters", choices=POSTER_SIZES, default="a4", help="poster paper size (a4)")
    parser.add_argument("--contact", default="", help="the facilitator's contact line on the sheets")
    parser.add_argument("--card-pages", type=int, default=1, help="pages of paper cards per family (1)")
    parser.add_argument(
        "--part", choices=PARTS, default="all",
        help="all (default; re-issues the référent links), posters (changes no link), referents (re-issues)",
    )  # fmt: skip
    parser.add_argument("--table", type=int, default=None, help="with --part referents: only this table")


def options_from(args) -> KitOptions:
    rules = None
    if args.rules_file:
        with open(args.rules_file, encoding="utf-8") as handle:
            rules = handle.read()
    return KitOptions(
        rules=rules, start=args.start, posters=args.posters, contact=args.contact, card_pages=args.card_pages
    )


def main(argv=None) -> int:
    from dotenv import find_dotenv, load_dotenv
    from sqlalchemy.orm import Session

    from facilitator.config import Config
    from facilitator.database import make_engine, upgrade_database
    from facilitator.errors import DomainError
    from facilitator.kit import kit_filename, write_kit_files
    from facilitator.network import public_base_url
    from facilitator.workshops import find_workshop

    parser = argparse.ArgumentParser(prog="python -m facilitator.kit", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    load_dotenv(find_dotenv(usecwd=True))  # the .env of the directory it is run from, as wsgi.py
    config = Config()
    upgrade_database(config.DATABASE_URL)
    engine = make_engine(config.DATABASE_URL)
    try:
        with Session(engine, expire_on_commit=False) as session:
            workshop = find_workshop(session, args.code)
            output = args.output or kit_filename(workshop, "pdf", args.part, args.table)
            said = write_kit_files(
                session,
                workshop,
                public_base_url(config.as_flask_config()),
                output,
                args.slides,
                options_from(args),
                args.part,
                args.table,
            )
    except DomainError as exc:
        if exc.code == "unknown_workshop":
            print(f"Aucun atelier n’a le code {args.code} (no workshop has this code).", file=sys.stderr)
        else:
            print(f"{exc.code}: {exc.details.get('problem', '')}".rstrip(": "), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(said))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
