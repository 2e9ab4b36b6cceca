"""The demo workshop's action plan (issue 14): three axes, eight actions of the Occitanie thermal
network (CRTL, ADT, Fédération thermale, offices de tourisme…), with their porteurs, partners,
échéances, first steps, indicators, provenance cards and a few volunteers, so that a newcomer sees
the last step of the workshop filled in and the compte rendu's « Plan d'action ».

The provenance cards are found by what they say (`keywords`), among each table's essentials first,
then its contributions, then any card the report may quote: the demo's sample can grow (more tables,
more cards) without ids to keep in step. An action whose words no card holds is still made, at the
table given, without provenance. Rows are written with the models (no events: the plan is already
built when the demo opens). No Flask here."""

from dataclasses import dataclass

from sqlalchemy import select

from facilitator.models import (
    Card,
    Essential,
    Group,
    Participant,
    PlanAction,
    PlanActionCard,
    PlanAxis,
    PlanEngagement,
)


@dataclass(frozen=True)
class DemoAction:
    title: str
    owner: str
    partners: str
    due: str
    first_step: str
    indicator: str
    keywords: tuple  # lower-case words of the cards it comes from
    table: int | None = 1  # where it is built when no card says it; None: made in plenary
    duplicate: bool = False  # a second table wrote the same action: merged in plenary into this one
    volunteers: int = 0


AXES = [
    (
        "Former et fidéliser les professionnels",
        [
            DemoAction(
                "Créer un campus des métiers du thermalisme",
                "Fédération thermale d’Occitanie",
                "Région Occitanie, université de Montpellier, GRETA",
                "2027-09",
                "Réunir exploitants, université et Région pour écrire le cahier des charges",
                "Une première promotion de 20 agents thermaux formés",
                ("campus", "formation diplômante", "recruter"),
                table=3,
                duplicate=True,
                volunteers=3,
            ),
            DemoAction(
                "Des sessions de formation à l’accueil dans chaque station",
                "CRTL Occitanie",
                "Offices de tourisme, GRETA, établissements thermaux",
                "2027-03",
                "Recenser les besoins de formation station par station avant l’hiver",
                "10 sessions organisées sur place, 150 professionnels formés",
                ("sessions de formation", "former nos pairs", "salle à disposition"),
                table=1,
                volunteers=2,
            ),
            DemoAction(
                "Loger les saisonniers à un prix abordable",
                "Communautés de communes des stations",
                "Bailleurs sociaux, exploitants thermaux",
                "2027-05-31",
                "Inventorier les logements vacants près des thermes",
                "50 logements réservés aux saisonniers pour la saison 2027",
                ("logement",),
                table=6,
            ),
        ],
    ),
    (
        "Renouveler l’offre et l’image de la destination",
        [
            DemoAction(
                "Lancer un forfait découverte de trois jours",
                "ADT du Gard",
                "Établissements thermaux, offices de tourisme",
                "2027-04",
                "Tester le forfait dans deux stations volontaires",
                "500 forfaits vendus la première année",
                ("forfait", "courts séjours", "trois semaines"),
                table=2,
                duplicate=True,
                volunteers=2,
            ),
            DemoAction(
                "Une campagne régionale commune sur les réseaux sociaux",
                "CRTL Occitanie",
                "ADT, offices de tourisme, stations",
                "2027-02-15",
                "Collecter les photos et témoignages des stations",
                "Un million de vues, +10 % de demandes de brochures",
                ("campagne", "photos", "communique seule"),
                table=4,
                volunteers=1,
            ),
            DemoAction(
                "Être présents ensemble aux Thermalies",
                "Fédération thermale d’Occitanie",
                "CRTL Occitanie, stations",
                "2027-01",
                "Réserver un stand commun",
                "Un stand régional partagé par au moins 15 stations",
                ("thermalies",),
                table=None,
            ),
        ],
    ),
    (
        "Faciliter l’accès et le séjour des curistes",
        [
            DemoAction(
                "Des navettes entre la gare et les thermes",
                "Région Occitanie (liO)",
                "Communes thermales, SNCF Voyageurs",
                "2027-06",
                "Compter les arrivées en train par station et par jour",
                "Une navette à chaque arrivée de train, dimanche compris",
                ("navettes", "liaison le dimanche", "train", "transports en commun"),
                table=1,
                duplicate=True,
                volunteers=1,
            ),
            DemoAction(
                "Sensibiliser les commerçants à l’accueil des curistes",
                "Offices de tourisme",
                "CCI Occitanie, unions commerciales",
                "2026-12",
                "Une réunion des commerçants dans chaque station",
                "Horaires d’ouverture adaptés dans 20 stations",
                ("commerçants", "commerces"),
                table=6,
            ),
        ],
    ),
]


def _pool(session, workshop) -> list[Card]:
    """The cards an action may come from, best first: the tables' essentials, their contributions,
    then every other card the report may quote (visible, not sealed)."""
    cards = session.scalars(
        select(Card)
        .where(Card.workshop_id == workshop.id, Card.status == "visible", Card.sealed.is_(False))
        .order_by(Card.seq)
    ).all()
    kept = set(
        session.scalars(
            select(Essential.card_id).where(
                Essential.workshop_id == workshop.id, Essential.card_id.is_not(None)
            )
        )
    )
    return sorted(cards, key=lambda c: (c.id not in kept, c.family != "contributions", c.seq))


def _matching(pool, keywords) -> list[Card]:
    return [card for card in pool if any(word in card.text.lower() for word in keywords)]


def create_plan(session, workshop) -> list[PlanAction]:
    """Write the demo's plan into `workshop` (already played: cards, essentials); return the kept
    actions. Safe on any sample: missing cards only mean less provenance."""
    groups = {g.number: g for g in session.scalars(select(Group).where(Group.workshop_id == workshop.id))}
    people = {}
    for person in session.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id).order_by(Participant.id)
    ):
        if not person.paper:
            people.setdefault(person.group_id, []).append(person)
    pool = _pool(session, workshop)
    used, kept = set(), []

    def add(**fields):
        action = PlanAction(workshop_id=workshop.id, **fields)
        session.add(action)
        session.flush()
        return action

    for position, (title, actions) in enumerate(AXES):
        axis = PlanAxis(workshop_id=workshop.id, title=title, position=position)
        session.add(axis)
        session.flush()
        for order, spec in enumerate(actions):
            found = [card for card in _matching(pool, spec.keywords) if card.id not in used]
            first = found[0] if found else None
            if spec.table is None:
                group_id = None  # made in plenary by the facilitator
            elif first is not None:
                group_id = first.group_id
            else:
                fallback = groups.get(spec.table) or next(iter(groups.values()), None)
                group_id = fallback.id if fallback else None
            fields = {
                "title": spec.title, "owner": spec.owner, "partners": spec.partners, "due": spec.due,
                "first_step": spec.first_step, "indicator": spec.indicator,
            }  # fmt: skip
            action = add(group_id=group_id, axis_id=axis.id, position=order, **fields)
            kept.append(action)
            mine = [card for card in found if card.group_id == group_id or group_id is None][:2] or found[:1]
            others = [card for card in found if card.group_id not in (group_id, None) and card not in mine]
            for card in mine:
                used.add(card.id)
                session.add(PlanActionCard(workshop_id=workshop.id, action_id=action.id, card_id=card.id))
            if spec.duplicate and others:  # the same action written at another table, merged into this one
                twin = others[0]
                used.add(twin.id)
                copy = add(group_id=twin.group_id, axis_id=axis.id, position=order, merged_into_id=action.id,
                           **fields)  # fmt: skip
                session.add(PlanActionCard(workshop_id=workshop.id, action_id=copy.id, card_id=twin.id))
            volunteers = people.get(group_id) or next(iter(people.values()), [])
            for person in volunteers[: spec.volunteers]:
                session.add(
                    PlanEngagement(workshop_id=workshop.id, action_id=action.id, participant_id=person.id)
                )
    session.commit()
    return kept
