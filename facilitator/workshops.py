"""Workshops and their tables: creation, lookup by join code, and the snapshot clients start from."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session, selectinload

from facilitator import tokens
from facilitator.agenda import agenda_snapshot, default_steps, readable_cards, step_to_dict
from facilitator.database import truncate_write_ahead_log
from facilitator.errors import DomainError
from facilitator.events import Audience, Revocation, commit_and_publish
from facilitator.families import DEFAULT_ORGANISATIONS, TEMPLATES, families_for
from facilitator.models import Card, Group, Participant, Workshop
from facilitator.textsafety import clean_typed

MAX_GROUPS = 100
TITLE_MAX = 200  # the column's length

# The statements every phone's join runs, built once with bound parameters: building a statement is
# most of what a small query costs in Python (measured: 146 µs built per call, 44 µs prebuilt), and a
# 1,000-phone join storm runs each of them 1,000 times in 10 s.
WORKSHOP_BY_CODE = select(Workshop).where(Workshop.code == bindparam("code"))
GROUP_BY_NUMBER = select(Group).where(
    Group.workshop_id == bindparam("workshop_id"), Group.number == bindparam("number")
)
_PEOPLE = Participant.__table__.c  # a count: a plain row, not the ORM's result machinery
PARTICIPANTS_AT_TABLE = select(func.count(_PEOPLE.id)).where(
    _PEOPLE.workshop_id == bindparam("workshop_id"), _PEOPLE.group_id == bindparam("group_id")
)
# A phone's cards: its table's, sealed ones only its own (agenda.readable_cards for a participant).
PHONE_CARDS = (
    select(Card)
    .where(
        Card.workshop_id == bindparam("workshop_id"),
        Card.group_id == bindparam("group_id"),
        Card.sealed.is_(False) | (Card.participant_id == bindparam("participant_id")),
    )
    .order_by(Card.seq)
    .options(
        selectinload(Card.participant),
        selectinload(Card.merged_cards).options(selectinload(Card.participant), selectinload(Card.group)),
    )
)


@dataclass
class WorkshopSecrets:
    """The tokens handed out once at creation; only their hashes are stored."""

    facilitator_token: str
    board_token: str
    referent_tokens: dict[int, str] = field(default_factory=dict)


def default_group_name(number: int, language: str) -> str:
    return f"Table {number}"


REPORT_HIDDEN = ("marked", "omitted")  # the annex's hidden cards: « masquée » or left out


def create_workshop(
    session,
    *,
    title: str,
    question: str = "",
    groups: int = 1,
    group_names: list[str] | None = None,
    template: str = "concertation",
    language: str = "fr",
    vote_budget: int = 5,
    organisations: list[str] | None = None,
    anonymous: bool = False,
    family_budgets: dict[str, int] | None = None,
    essentials_per_family: int = 3,
    report_hidden: str = "marked",
    hide_vote_totals: bool = False,
) -> tuple[Workshop, WorkshopSecrets]:
    """Create a workshop with its tables and return it with the tokens to hand out.

    `family_budgets` optionally caps the dots a participant may put in one family (within
    `vote_budget`); `essentials_per_family` is how many essentials a table keeps per family;
    `report_hidden` ("marked" or "omitted") how the compte rendu's annex treats hidden cards;
    `hide_vote_totals` keeps the table vote's totals from phones and boards until the vote ends.
    """
    if report_hidden not in REPORT_HIDDEN:
        raise DomainError("invalid_payload", problem="report_hidden: marked or omitted")
    if not 1 <= groups <= MAX_GROUPS:
        raise DomainError("invalid_payload", problem=f"groups must be between 1 and {MAX_GROUPS}")
    if template not in TEMPLATES:
        raise DomainError("invalid_payload", problem=f"unknown template {template!r}")
    title = clean_typed(title)
    if not title or len(title) > TITLE_MAX:
        raise DomainError("invalid_payload", problem=f"title: 1 to {TITLE_MAX} visible characters")
    question = clean_typed(question, multiline=True)
    names = [clean_typed(name) for name in group_names or []]
    organisations = [name for name in (clean_typed(o) for o in organisations or []) if name]
    secrets = WorkshopSecrets(tokens.new_token(), tokens.new_token())
    unknown = sorted(set(family_budgets or {}) - set(families_for(template)))
    if unknown:
        raise DomainError("invalid_payload", problem=f"family_budgets: unknown families {', '.join(unknown)}")
    workshop = Workshop(
        title=title,
        question=question,
        template=template,
        language=language,
        families=families_for(template),
        # Tidied as a phone's choice will be (see access._clean_name), or it would never match.
        organisations=organisations or list(DEFAULT_ORGANISATIONS),
        vote_budget=vote_budget,
        family_budgets=dict(family_budgets) if family_budgets else None,
        essentials_per_family=essentials_per_family,
        report_hidden=report_hidden,
        hide_vote_totals=bool(hide_vote_totals),
        anonymous=anonymous,
        facilitator_token_hash=tokens.hash_token(secrets.facilitator_token),
        board_token_hash=tokens.hash_token(secrets.board_token),
        seq=0,
    )
    workshop.steps.extend(default_steps(template, language))
    for number in range(1, groups + 1):
        referent_token = tokens.new_token()
        secrets.referent_tokens[number] = referent_token
        name = names[number - 1] if number <= len(names) else ""
        workshop.groups.append(
            Group(
                number=number,
                name=name or default_group_name(number, language),
                referent_token_hash=tokens.hash_token(referent_token),
            )
        )
    for _attempt in range(10):
        workshop.code = tokens.new_join_code()
        session.add(workshop)
        try:
            session.commit()
            return workshop, secrets
        except IntegrityError:
            session.rollback()
    raise RuntimeError("could not draw a free join code")


def find_workshop(session, code) -> Workshop:
    """Return the workshop with this join code, as people type it, or refuse."""
    if not isinstance(code, str) or not code.strip():
        raise DomainError("unknown_workshop", status=404)
    workshop = session.scalar(WORKSHOP_BY_CODE, {"code": tokens.normalise_join_code(code)})
    if workshop is None:
        raise DomainError("unknown_workshop", status=404)
    return workshop


def find_group(workshop: Workshop, number) -> Group:
    """Return the workshop's table with that number, or refuse.

    Reads that one row when the workshop's tables are not loaded yet (a phone's join at a 100-table
    workshop needs its own table, not 100 rows).
    """
    if not isinstance(number, int) or isinstance(number, bool):
        raise DomainError("unknown_group", status=404)
    session = object_session(workshop)
    if session is not None and "groups" in inspect(workshop).unloaded:
        group = session.scalar(GROUP_BY_NUMBER, {"workshop_id": workshop.id, "number": number})
    else:
        group = workshop.group(number)
    if group is None:
        raise DomainError("unknown_group", status=404)
    return group


def public_info(workshop: Workshop, group: Group | None = None) -> dict:
    """What anyone holding the join code may know about the workshop.

    `group`: the snapshot of a viewer at one table lists that table only in "groups" (`GET
    /api/workshops/<code>` and the pages list every table).
    """
    groups = [group] if group is not None else workshop.groups
    return {
        "code": workshop.code,
        "title": workshop.title,
        "question": workshop.question,
        "language": workshop.language,
        "template": workshop.template,
        "families": list(workshop.families),
        "organisations": list(workshop.organisations),
        "vote_budget": workshop.vote_budget,
        "anonymous": workshop.anonymous,
        "hide_vote_totals": bool(workshop.hide_vote_totals),
        "groups": [g.to_dict() for g in groups],
        "agenda": [step_to_dict(step) for step in workshop.steps],
    }


def participant_counts(session, workshop: Workshop, group: Group | None = None) -> dict[int, int]:
    """Count participants per table number: every table, or only `group` (a phone's snapshot)."""
    if group is not None:  # one indexed count (participants(workshop_id, group_id)), no join
        count = session.scalar(PARTICIPANTS_AT_TABLE, {"workshop_id": workshop.id, "group_id": group.id})
        return {group.number: count} if count else {}
    query = (
        select(Group.number, func.count(Participant.id))
        .join(Participant, Participant.group_id == Group.id)
        .where(Group.workshop_id == workshop.id)
        .group_by(Group.number)
    )
    return {number: count for number, count in session.execute(query)}


SNAPSHOT_PARTS = []


def snapshot_part(part):
    """Register `part(session, workshop, group, viewer) -> dict`, merged into every snapshot.

    Each feature (agenda, votes, themes…) adds its own state this way, next to its domain functions.
    """
    SNAPSHOT_PARTS.append(part)
    return part


snapshot_part(agenda_snapshot)  # "agenda" (run state) and "sealed" (counts of cards hidden until reveal)


def workshop_snapshot(session, workshop: Workshop, group: Group | None, viewer=None) -> dict:
    """Return the state a client starts from; `group` None means every table (facilitator, board).

    `viewer` (an `access.Viewer`, None in scripts) lets features show someone their own private state.
    """
    if group is not None and viewer is not None and viewer.role == "participant" and viewer.participant_id:
        parameters = {
            "workshop_id": workshop.id,
            "group_id": group.id,
            "participant_id": viewer.participant_id,
        }
        cards = session.scalars(PHONE_CARDS, parameters).all()
    else:
        loads = [
            selectinload(Card.participant),
            # One query for the duplicates merged into these cards (self-referential: the relationship's
            # own "selectin" read them card by card, a query per card of the snapshot).
            selectinload(Card.merged_cards).options(selectinload(Card.participant), selectinload(Card.group)),
        ]
        if group is None:  # one table's cards find their table in the session
            loads.append(selectinload(Card.group))
        query = (
            select(Card)
            .where(Card.workshop_id == workshop.id, readable_cards(viewer))
            .order_by(Card.seq)
            .options(*loads)
        )
        if group is not None:
            query = query.where(Card.group_id == group.id)
        cards = session.scalars(query).all()
    counts = participant_counts(session, workshop, group)
    snapshot = {
        "seq": workshop.seq,
        "workshop": public_info(workshop, group),
        "cards": [card.to_dict(anonymous=workshop.anonymous) for card in cards],
        "participants": {str(number): counts.get(number, 0) for number in _visible_numbers(workshop, group)},
    }
    for part in SNAPSHOT_PARTS:
        snapshot.update(part(session, workshop, group, viewer))
    return snapshot


def _visible_numbers(workshop, group):
    return [group.number] if group is not None else [g.number for g in workshop.groups]


def rotate_links(session, workshop: Workshop) -> WorkshopSecrets:
    """Replace the facilitator, board and référent tokens; return the new ones.

    The old links stop working, and so do the connections opened with them (consoles, boards,
    référents: the remedy for a leaked link); phones stay.
    """
    secrets = WorkshopSecrets(tokens.new_token(), tokens.new_token())
    workshop.facilitator_token_hash = tokens.hash_token(secrets.facilitator_token)
    workshop.board_token_hash = tokens.hash_token(secrets.board_token)
    for group in workshop.groups:
        secrets.referent_tokens[group.number] = tokens.new_token()
        group.referent_token_hash = tokens.hash_token(secrets.referent_tokens[group.number])
    ended = Revocation(
        workshop.id, "links_renewed", screens=True, group_ids=tuple(g.id for g in workshop.groups)
    )
    commit_and_publish(session, [], revocations=[ended])
    return secrets


def delete_workshop(session, workshop: Workshop):
    """Delete a workshop and everything in it (tables, participants, cards, events), tell its clients
    and end their connections; on SQLite, fold the write-ahead log into the database file at once so
    that the deleted text does not stay in it (secure_delete, see `database.make_engine`, zeroes it
    there)."""
    workshop_id = workshop.id
    ended = Revocation(workshop_id, "workshop_deleted", group_ids=tuple(g.id for g in workshop.groups))
    session.execute(delete(Workshop).where(Workshop.id == workshop_id))
    commit_and_publish(
        session,
        [],
        announcements=[({"type": "workshop:deleted"}, Audience(workshop_id))],
        revocations=[ended],
    )
    truncate_write_ahead_log(session)


def purge_old_workshops(session, days: int, now: datetime | None = None) -> int:
    """Delete the workshops created more than `days` days ago (0 keeps everything); return how many."""
    if days <= 0:
        return 0
    limit = (now or datetime.now(UTC)) - timedelta(days=days)
    old = session.scalars(select(Workshop).where(Workshop.created_at < limit)).all()
    for workshop in old:
        delete_workshop(session, workshop)
    if not old:  # a checkpoint left busy after an earlier deletion is retried here, every hour
        truncate_write_ahead_log(session)
    return len(old)
