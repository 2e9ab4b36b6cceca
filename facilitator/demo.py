"""A demo workshop at the size of the real room: what a newcomer opens to see Facilitator at work.

    python -m facilitator.demo          # against the configured database (DATABASE_URL, .env)
    flask --app wsgi demo               # the same, through the app

Creates the workshop of `demo_data/thermalisme-salle.json` (9 tables, 90 cards), seats participants at each
table (French first names, organisation types: about 90 people) and posts every card through the same
domain functions as the live app (`access.admit`, `cards.post_card`): events and sequence numbers are
recorded exactly as in a real session. A few cards are typed by the table's référent, as paper cards
are. Then the workshop is played to its end, as a finished one looks in the compte rendu: two
duplicates posted and merged by their référent (`moderation.merge_cards`), three off-topic cards
hidden by their référent (`moderation.set_card_hidden`), five tables group cards under a theme
(`themes.create_theme`; one mixed theme filed « Transverse », another under a family its référent
chose), three tables seat a person without a phone whose dots the référent casts
(`votes.add_paper_participant`), every participant casts their dots within the budget
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
from facilitator.families import TEMPLATES, TRANSVERSE
from facilitator.links import workshop_links
from facilitator.moderation import merge_cards, set_card_hidden
from facilitator.plan.demo import create_plan
from facilitator.themes import create_theme, set_theme_family
from facilitator.votes import add_paper_participant, cast_vote
from facilitator.workshops import create_workshop

# The room at its real size: `thermalisme-salle.json` extends the shared sample (`thermalisme.json`, 6
# tables, 63 cards, kept as it is: the synthesis's quality is measured on it) with tables 7-9.
DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "thermalisme-salle.json"

PARTICIPANTS_PER_TABLE = 10  # with the sample's 9 tables: the 90 people of the design brief
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
# Themes a référent makes at the table: (table, title, sample indexes of the cards, family it is filed
# under: None for its earliest card's, a family, or « Transverse »).
THEMES = [
    (1, "Attirer et former les jeunes", [6, 30], None),
    (3, "Former les équipes sur place", [2, 26, 32], None),
    (5, "Bien accueillir les curistes", [34, 40], TRANSVERSE),
    (7, "Travailler ensemble entre stations", [69, 70], None),
    (9, "Se loger et venir sans voiture", [81, 82], "attentes"),
]
# Off-topic cards posted at a table and hidden by its référent (never on the board, in the synthesis
# or in the compte rendu's body): (table, family, text).
HIDDEN = [
    (2, "faiblesses", "Le parking de la mairie est encore en travaux, scandaleux"),
    (6, "attentes", "Qui a gagné le match hier soir ?"),
    (8, "contributions", "Test test 1 2 3"),
]
# Tables that seat a person without a phone: the référent casts their dots (a budget of their own).
PAPER_PEOPLE = {2: "Gisèle", 5: "Marcel", 8: None}
VOTE_SEED = 2026  # the same dots at every run
PLENARY_SEED = 2027


def load_sample(path: Path = DEMO_FILE) -> dict:
    """Read a sample file and check that every card fits its workshop."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "extends" in data:  # the base sample's workshop and cards, then these
        base = load_sample(Path(path).parent / data["extends"])
        data = {
            **base,
            "workshop": {**base["workshop"], **data["workshop"]},
            "cards": base["cards"] + data["cards"],
        }
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
    for n, (table, family, text) in enumerate(HIDDEN, start=1):
        card, _ = post_card(
            session,
            workshop,
            authors[table][-n % PARTICIPANTS_PER_TABLE],
            client_id=f"demo-hidden-{n}",
            family=family,
            text=text,
        )
        set_card_hidden(session, workshop, referents[table], card.id, True)
    themed, themes = set(), {}
    for table, title, indexes, filed in THEMES:
        made = create_theme(session, workshop, referents[table], title, [sample_id[i] for i in indexes])
        if filed is not None:
            set_theme_family(session, workshop, referents[table], made["theme"]["id"], filed)
        themes.setdefault(table, []).append({"theme_id": made["theme"]["id"]})
        themed.update(indexes)
    voters = {number: [(viewer, None) for viewer in people] for number, people in authors.items()}
    for table, name in PAPER_PEOPLE.items():
        person = add_paper_participant(session, workshop, referents[table], name)["participant"]
        voters[table].append((referents[table], person["id"]))

    chance = random.Random(VOTE_SEED)
    for group in workshop.groups:
        # The table's cards outside a theme, and its themes (a theme takes the dots of its cards).
        targets = [
            {"card_id": sample_id[i]}
            for i, card in enumerate(sample_cards)
            if card["table"] == group.number and i not in themed
        ] + themes.get(group.number, [])
        # A few ideas convince the table: weights make a podium rather than dots spread evenly; a theme
        # (several people's cards) draws more of them.
        weights = [chance.choice((1, 1, 2, 4, 6)) for _ in targets]
        weights = [w * 3 if "theme_id" in target else w for w, target in zip(weights, targets, strict=True)]
        for viewer, paper in voters[group.number]:
            for dot in range(workshop.vote_budget):
                target = chance.choices(targets, weights)[0]
                client_id = f"demo-vote-{paper or viewer.participant_id}-{dot}"
                cast_vote(
                    session, workshop, viewer, **target, delta=1, client_id=client_id, paper_participant=paper
                )
        essentials_from_votes(session, workshop, referents[group.number])
    plenary_vote(session, workshop, voters, facilitator)


def plenary_vote(session, workshop, voters, facilitator) -> None:
    """The facilitator starts the agenda and goes to its plenary step; everyone spends the budget again
    on the tables' essentials (seeded: a few of them win the room), the référents for the people without
    a phone (`voters`: {table: [(viewer, paper participant id or None)]}); the clock is then paused."""
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
    for table in sorted(voters):
        for viewer, paper in voters[table]:
            for dot in range(workshop.vote_budget):
                target = chance.choices(targets, weights)[0]
                client_id = f"demo-plenary-{paper or viewer.participant_id}-{dot}"
                cast_vote(
                    session, workshop, viewer, **target, delta=1, client_id=client_id, paper_participant=paper
                )
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
