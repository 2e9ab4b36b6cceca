"""Who is who: admitting a connection to a workshop in a role, and what each role may do."""

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from facilitator import tokens
from facilitator.errors import DomainError
from facilitator.events import commit_and_publish, record_event
from facilitator.models import Group, Participant, Workshop
from facilitator.textsafety import clean_typed
from facilitator.workshops import PARTICIPANTS_AT_TABLE, find_group

ROLES = ("participant", "referent", "facilitator", "board")

# Built once (see workshops.WORKSHOP_BY_CODE): every join runs them.
PARTICIPANT_BY_TOKEN = select(Participant).where(
    Participant.workshop_id == bindparam("workshop_id"), Participant.token_hash == bindparam("token_hash")
)
REFERENT_GROUP = select(Group).where(
    Group.workshop_id == bindparam("workshop_id"), Group.referent_token_hash == bindparam("token_hash")
)


@dataclass(frozen=True)
class Viewer:
    """A joined connection: its workshop, role, and table (None for facilitator and board)."""

    workshop_id: int
    role: str
    group_id: int | None = None
    group_number: int | None = None
    participant_id: int | None = None

    @property
    def sees_every_table(self) -> bool:
        return self.role in ("facilitator", "board")


@dataclass
class Admission:
    viewer: Viewer
    participant_token: str | None = None
    # The viewer's table row, kept so the join's snapshot finds it in the session instead of reading it.
    group: Group | None = None


def _clean_name(value, limit: int, code: str = "name_too_long") -> str | None:
    if value is None:
        return None
    value = clean_typed(value)  # no NUL byte (PostgreSQL refuses it), no bidi override, no blank name
    if len(value) > limit:
        raise DomainError(code, limit=limit)
    return value or None


def admit(
    session,
    workshop: Workshop,
    role: str,
    *,
    token: str | None = None,
    group_number: int | None = None,
    name: str | None = None,
    organisation: str | None = None,
    participant_token: str | None = None,
    name_limit: int = 40,
) -> Admission:
    """Admit a connection in a role, or refuse with a DomainError that changes nothing."""
    if role in ("facilitator", "board"):
        allowed = tokens.token_matches(token, workshop.facilitator_token_hash)
        if role == "board":
            allowed = allowed or tokens.token_matches(token, workshop.board_token_hash)
        if not allowed:
            raise DomainError("bad_token", status=403)
        return Admission(Viewer(workshop.id, role))
    if role == "referent":
        group = _referent_group(session, workshop, token)
        if group is None or (group_number is not None and group_number != group.number):
            raise DomainError("bad_token", status=403)
        return Admission(Viewer(workshop.id, role, group.id, group.number), group=group)
    if role == "participant":
        return _admit_participant(
            session,
            workshop,
            token=participant_token,
            group_number=group_number,
            name=name,
            organisation=organisation,
            name_limit=name_limit,
        )
    raise DomainError("invalid_payload", problem="unknown role")


def _admit_participant(session, workshop, *, token, group_number, name, organisation, name_limit):
    name = _clean_name(name, name_limit)
    organisation = _clean_name(organisation, name_limit)
    if organisation is not None and organisation not in workshop.organisations:
        raise DomainError("unknown_organisation")
    participant = None
    if token:
        participant = session.scalar(
            PARTICIPANT_BY_TOKEN, {"workshop_id": workshop.id, "token_hash": tokens.hash_token(token)}
        )
    if group_number is None:
        if participant is not None:
            group = participant.group
        elif len(workshop.groups) == 1:
            group = workshop.groups[0]
        else:
            raise DomainError("group_required")
    else:
        group = find_group(workshop, group_number)

    events = []
    new_token = None
    if participant is None:
        new_token = tokens.new_token()
        participant = Participant(
            workshop_id=workshop.id,
            group_id=group.id,
            token_hash=tokens.hash_token(new_token),
            name=name,
            organisation=organisation,
        )
        session.add(participant)
        session.flush()
        events.append(_count_event(session, workshop, group))
    else:
        if name is not None:
            participant.name = name
        if organisation is not None:
            participant.organisation = organisation
        if participant.group_id != group.id:
            previous = participant.group
            participant.group_id = group.id
            participant.group = group
            session.flush()
            events.append(_count_event(session, workshop, previous))
            events.append(_count_event(session, workshop, group))
    commit_and_publish(session, events)
    viewer = Viewer(workshop.id, "participant", group.id, group.number, participant.id)
    return Admission(viewer, new_token or token, group=group)


def _referent_group(session, workshop: Workshop, token) -> Group | None:
    """The table whose référent token this is: one indexed row (groups.referent_token_hash), not every
    table's hash compared in turn."""
    if not token or not isinstance(token, str):
        return None
    group = session.scalar(
        REFERENT_GROUP, {"workshop_id": workshop.id, "token_hash": tokens.hash_token(token)}
    )
    if group is None or not tokens.token_matches(token, group.referent_token_hash):
        return None
    return group


def _count_event(session, workshop, group: Group):
    count = session.scalar(PARTICIPANTS_AT_TABLE, {"workshop_id": workshop.id, "group_id": group.id})
    return record_event(
        session, workshop, "participants:count", {"group": group.number, "participants": count}, group
    )
