"""A demo workshop with a full board: what a newcomer opens to see Facilitator at work.

    python -m facilitator.demo          # against the configured database (DATABASE_URL, .env)
    flask --app wsgi demo               # the same, through the app

Creates the workshop of `demo_data/thermalisme.json` (6 tables, 63 cards), seats a few participants
at each table (French first names, organisation types) and posts every card through the same domain
functions as the live app (`access.admit`, `cards.post_card`): events and sequence numbers are
recorded exactly as in a real session. A few cards are typed by the table's référent, as paper cards
are. Each run creates a new workshop; the links printed are the only way to its board.

No Flask here: the module works with a plain SQLAlchemy session.
"""

import json
from itertools import cycle
from pathlib import Path

from facilitator.access import admit
from facilitator.cards import post_card
from facilitator.families import TEMPLATES
from facilitator.links import workshop_links
from facilitator.workshops import create_workshop

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "thermalisme.json"

PARTICIPANTS_PER_TABLE = 4
# Every PAPER_EVERY-th card of a table is a paper card typed in by the table's référent.
PAPER_EVERY = 5
FIRST_NAMES = [
    "Camille", "Julien", "Sophie", "Mathieu", "Élodie", "Nicolas", "Claire", "Thomas",
    "Aurélie", "Guillaume", "Céline", "Antoine", "Manon", "Sébastien", "Laure", "Hugo",
    "Inès", "François", "Marion", "Benoît", "Chloé", "Jérôme", "Océane", "Loïc",
]  # fmt: skip


def load_sample(path: Path = DEMO_FILE) -> dict:
    """Read a sample file and check that every card fits its workshop."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    workshop = data["workshop"]
    families = TEMPLATES[workshop.get("template", "concertation")]
    for index, card in enumerate(data["cards"]):
        if card["family"] not in families or not 1 <= card["table"] <= workshop["tables"]:
            raise ValueError(f"{path}: card {index} does not fit the workshop: {card}")
    return data


def create_demo(session, base_url: str, path: Path = DEMO_FILE) -> dict:
    """Create the demo workshop with its participants and cards; return its links.

    The answer is `facilitator.links.workshop_links`: code, board, facilitator, join and référent URLs.
    """
    data = load_sample(path)
    spec = data["workshop"]
    workshop, secrets = create_workshop(
        session,
        title=spec["title"],
        question=spec.get("question", ""),
        groups=spec["tables"],
        template=spec.get("template", "concertation"),
        language=spec.get("language", "fr"),
    )
    names = cycle(FIRST_NAMES)
    organisations = cycle(workshop.organisations)
    authors = {}
    for group in workshop.groups:
        authors[group.number] = [
            admit(
                session,
                workshop,
                "participant",
                group_number=group.number,
                name=next(names),
                organisation=next(organisations),
            ).viewer
            for _ in range(PARTICIPANTS_PER_TABLE)
        ]
    referents = {
        number: admit(session, workshop, "referent", token=token).viewer
        for number, token in secrets.referent_tokens.items()
    }

    posted = dict.fromkeys(authors, 0)
    for index, card in enumerate(data["cards"], start=1):
        table = card["table"]
        posted[table] += 1
        if posted[table] % PAPER_EVERY == 0:
            viewer = referents[table]
        else:
            viewer = authors[table][posted[table] % PARTICIPANTS_PER_TABLE]
        post_card(
            session,
            workshop,
            viewer,
            client_id=f"demo-{index}",
            family=card["family"],
            text=card["text"],
        )
    return workshop_links(base_url, workshop, secrets)


def describe(links: dict, title: str = "") -> str:
    """Say in French where to go: board, facilitator console, join link and référent links."""
    lines = [
        "",
        f"Atelier de démonstration créé : « {title} »" if title else "Atelier de démonstration créé",
        f"  Code de l’atelier : {links['code']}",
        f"  Tableau à projeter : {links['board_url']}",
        f"  Console d’animation : {links['facilitator_url']}",
        f"  Lien des participants : {links['join_url']}",
        "  Référents facilitateurs :",
    ]
    lines += [f"    {group['name']} : {group['referent_url']}" for group in links["groups"]]
    lines.append("Lancez le serveur (python wsgi.py) s’il ne tourne pas déjà, puis ouvrez le tableau.")
    return "\n".join(lines) + "\n"


def main() -> int:
    from dotenv import find_dotenv, load_dotenv
    from sqlalchemy.orm import Session

    from facilitator.config import Config
    from facilitator.database import make_engine, upgrade_database
    from facilitator.network import public_base_url, reachable_by_phones

    load_dotenv(find_dotenv(usecwd=True))  # the .env of the directory it is run from, as wsgi.py
    config = Config()
    config.resolve_secrets()
    upgrade_database(config.DATABASE_URL)
    engine = make_engine(config.DATABASE_URL)
    base = public_base_url(config.as_flask_config())
    try:
        with Session(engine, expire_on_commit=False) as session:
            links = create_demo(session, base)
    finally:
        engine.dispose()
    print(describe(links, load_sample()["workshop"]["title"]), end="", flush=True)
    if not reachable_by_phones(base):
        print(
            "ATTENTION : ces liens ne marchent que sur cet ordinateur ; définissez PUBLIC_URL pour les téléphones."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
