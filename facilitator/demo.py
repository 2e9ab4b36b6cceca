"""A demo workshop with a full board: what a newcomer opens to see Facilitator at work.

    python -m facilitator.demo          # against the configured database (DATABASE_URL, .env)
    flask --app wsgi demo               # the same, through the app

Creates the workshop of `demo_data/thermalisme.json` (6 tables, 63 cards), seats a few participants
at each table (French first names, organisation types) and posts every card through the same domain
functions as the live app (`access.admit`, `cards.post_card`): events and sequence numbers are
recorded exactly as in a real session. A few cards are typed by the table's référent, as paper cards
are. Then the workshop is played to its end, as a finished one looks in the compte rendu: two
duplicates posted and merged by their référent (`moderation.merge_cards`), two tables group cards
under a theme (`themes.create_theme`), every participant casts their dots within the budget
(`votes.cast_vote`, always the same choices), each référent keeps the table's essentials from the
vote (`essentials.essentials_from_votes`), and the facilitator runs the agenda to the plenary vote
(`agenda.start`, `agenda.goto`), where the whole room spends its dots again on every table's essentials;
the agenda is left paused on that step, so the board opens on the plenary view with the room's dots.
Each run creates a new workshop; the links printed are the only way to its board.

No Flask here: the module works with a plain SQLAlchemy session.
"""

import json
import random
from itertools import cycle
from pathlib import Path

from facilitator import agenda
from facilitator.access import admit
from facilitator.cards import post_card
from facilitator.essentials import essentials_from_votes
from facilitator.families import TEMPLATES
from facilitator.links import workshop_links
from facilitator.moderation import merge_cards
from facilitator.plan.demo import create_plan
from facilitator.themes import create_theme
from facilitator.votes import cast_vote
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
# Duplicates a participant posts after the sample's cards, merged by the référent into the card they
# repeat (its index in the sample): (sample index, text).
DUPLICATES = [
    (5, "Pas de logement abordable pour les saisonniers"),
    (43, "Aucun train le dimanche pour arriver en cure"),
]
# Themes a référent makes at the table: (table, title, sample indexes of the cards).
THEMES = [
    (1, "Attirer et former les jeunes", [6, 30]),
    (3, "Former les équipes sur place", [2, 26, 32]),
]
VOTE_SEED = 2026  # the same dots at every run
PLENARY_SEED = 2027


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
    facilitator = admit(session, workshop, "facilitator", token=secrets.facilitator_token).viewer
    finish_demo(session, workshop, data["cards"], authors, referents, facilitator)
    create_plan(session, workshop)  # the last step filled in: the action plan (facilitator/plan/demo.py)
    return workshop_links(base_url, workshop, secrets)


def finish_demo(session, workshop, sample_cards, authors, referents, facilitator) -> None:
    """Play the rest of the workshop through the domain functions: merges, themes, dots, essentials,
    then the plenary vote."""
    from sqlalchemy import select

    from facilitator.models import Card

    by_client = {
        card.client_id: card for card in session.scalars(select(Card).where(Card.workshop_id == workshop.id))
    }
    sample_id = {index: by_client[f"demo-{index + 1}"].id for index in range(len(sample_cards))}
    for n, (index, text) in enumerate(DUPLICATES, start=1):
        table = sample_cards[index]["table"]
        duplicate, _ = post_card(
            session,
            workshop,
            authors[table][n % PARTICIPANTS_PER_TABLE],
            client_id=f"demo-duplicate-{n}",
            family=sample_cards[index]["family"],
            text=text,
        )
        merge_cards(session, workshop, referents[table], sample_id[index], [duplicate.id])
    themed, themes = set(), {}
    for table, title, indexes in THEMES:
        made = create_theme(session, workshop, referents[table], title, [sample_id[i] for i in indexes])
        themes.setdefault(table, []).append({"theme_id": made["theme"]["id"]})
        themed.update(indexes)

    chance = random.Random(VOTE_SEED)
    for group in workshop.groups:
        # The table's cards outside a theme, and its themes (a theme takes the dots of its cards).
        targets = [
            {"card_id": sample_id[i]}
            for i, card in enumerate(sample_cards)
            if card["table"] == group.number and i not in themed
        ] + themes.get(group.number, [])
        # A few ideas convince the table: weights make a podium rather than dots spread evenly.
        weights = [chance.choice((1, 1, 2, 4, 6)) for _ in targets]
        for viewer in authors[group.number]:
            for dot in range(workshop.vote_budget):
                target = chance.choices(targets, weights)[0]
                client_id = f"demo-vote-{viewer.participant_id}-{dot}"
                cast_vote(session, workshop, viewer, **target, delta=1, client_id=client_id)
        essentials_from_votes(session, workshop, referents[group.number])
    plenary_vote(session, workshop, authors, facilitator)


def plenary_vote(session, workshop, authors, facilitator) -> None:
    """The facilitator starts the agenda and goes to its plenary step; everyone spends the budget again
    on the tables' essentials (seeded: a few of them win the room); the clock is then paused there."""
    from sqlalchemy import select

    from facilitator.models import Essential

    agenda.start(session, workshop, facilitator)
    step = next(s for s in workshop.steps if s.voting == "plenary")
    agenda.goto(session, workshop, facilitator, step.position)
    kept = session.scalars(
        select(Essential)
        .where(Essential.workshop_id == workshop.id)
        .order_by(Essential.group_id, Essential.family, Essential.position)
    ).all()
    targets = [{"card_id": e.card_id} if e.card_id is not None else {"theme_id": e.theme_id} for e in kept]
    chance = random.Random(PLENARY_SEED)
    weights = [chance.choice((1, 1, 2, 3, 8)) for _ in targets]
    for table in sorted(authors):
        for viewer in authors[table]:
            for dot in range(workshop.vote_budget):
                target = chance.choices(targets, weights)[0]
                client_id = f"demo-plenary-{viewer.participant_id}-{dot}"
                cast_vote(session, workshop, viewer, **target, delta=1, client_id=client_id)
    agenda.pause(session, workshop, facilitator)


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
