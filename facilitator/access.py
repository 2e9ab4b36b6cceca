"""Who is who: admitting a connection to a workshop in a role, and what each role may do."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, case, func, insert, select

from facilitator import tokens
from facilitator.errors import DomainError
from facilitator.events import commit_and_publish, record_event
from facilitator.models import Group, Participant, Workshop, utcnow
from facilitator.textsafety import clean_typed
from facilitator.viewer import Viewer  # noqa: F401  (re-exported: `from facilitator.access import Viewer`)
from facilitator.workshops import PARTICIPANTS_AT_TABLE, find_group

ROLES = ("participant", "referent", "facilitator", "board")

# Built once (see workshops.WORKSHOP_BY_CODE): every join runs them.
PARTICIPANT_BY_TOKEN = select(Participant).where(
    Participant.workshop_id == bindparam("workshop_id"), Participant.token_hash == bindparam("token_hash")
)
REFERENT_GROUP = select(Group).where(
    Group.workshop_id == bindparam("workshop_id"), Group.referent_token_hash == bindparam("token_hash")
)
# A newcomer's row as a plain INSERT: nothing reads the ORM object back (its id, name and organisation are
# the viewer's), and a join storm makes hundreds a minute.
INSERT_PARTICIPANT = insert(Participant.__table__).returning(Participant.__table__.c.id)
# The people of a workshop and of one of its tables, in one statement (a newcomer's caps and count).
_PEOPLE = Participant.__table__.c
PARTICIPANTS_HERE = select(
    func.count(_PEOPLE.id), func.sum(case((_PEOPLE.group_id == bindparam("group_id"), 1), else_=0))
).where(_PEOPLE.workshop_id == bindparam("workshop_id"))


@dataclass(frozen=True)
class ParticipantLimits:
    """How many participants may be created, so that joining again without a token cannot fill a table
    with fake people (docs/security.md). 0 or None: no cap.

    `workshop`: participants in the workshop; `table`: at one table (a workshop of one table has only
    the workshop's cap: its table is the room); `newcomer(group)`: called before a participant is
    created at `group`, raises to refuse (the rate of newcomers per table).
    """

    workshop: int | None = None
    table: int | None = None
    newcomer: Callable[[Group], None] | None = None


@dataclass
class Admission:
    viewer: Viewer
    participant_token: str | None = None
    # The viewer's table row, kept so the join's snapshot finds it in the session instead of reading it.
    group: Group | None = None
    # A participant made by this join: its table's head count with it (`newcomers`: its snapshot is the
    # table's, with no card or dot of its own yet).
    newcomer_at_table: int | None = None


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
    own_token: str | None = None,
    name_limit: int = 40,
    limits: ParticipantLimits | None = None,
    ticket_key: str | None = None,
) -> Admission:
    """Admit a connection in a role, or refuse with a DomainError that changes nothing.

    `own_token`: the token of the participant this connection already created, if any: a connection
    that joins again without a (valid) token is that participant again, never a new one.
    `ticket_key`: the key that signs the organiser's tickets; `token` may then be a ticket.
    """
    if role in ("facilitator", "board"):
        credential = console_credential(workshop, role, token, ticket_key)
        return Admission(Viewer(workshop.id, role, credential=credential))
    if role == "referent":
        group = _referent_group(session, workshop, token)
        if group is None or (group_number is not None and group_number != group.number):
            raise DomainError("bad_token", status=403)
        viewer = Viewer(workshop.id, role, group.id, group.number, credential=group.referent_token_hash)
        return Admission(viewer, group=group)
    if role == "participant":
        return _admit_participant(
            session,
            workshop,
            token=participant_token,
            own_token=own_token,
            group_number=group_number,
            name=name,
            organisation=organisation,
            name_limit=name_limit,
            limits=limits or ParticipantLimits(),
        )
    raise DomainError("invalid_payload", problem="unknown role")


def console_credential(workshop: Workshop, role: str, token, ticket_key: str | None = None) -> str:
    """Return the hash of the credential `token` opens `role` with, or refuse (`bad_token`, or
    `ticket_expired` for a right ticket past its lifetime).

    The facilitator token opens the console and the board, the board token the board only. A ticket
    (`tokens.issue_ticket`, from the organiser's dashboard) stands for the token of its role: it is
    bound to that token's hash, so the connection it opens is that token's (it ends with new links)."""
    kinds = [("facilitator", workshop.facilitator_token_hash)]
    if role == "board":
        kinds.append(("board", workshop.board_token_hash))
    for _kind, credential in kinds:
        if tokens.token_matches(token, credential):
            return credential
    expired = False
    for kind, credential in kinds if ticket_key else []:
        state = tokens.ticket_state(token, ticket_key, workshop.id, kind, credential)
        if state == "valid":
            return credential
        expired = expired or state == "expired"
    raise DomainError("ticket_expired" if expired else "bad_token", status=403)


def still_admitted(session, workshop: Workshop, viewer: Viewer) -> bool:
    """Whether the token this connection was admitted with still opens the workshop in its role.

    Connections are ended when their tokens are replaced (`events.Revocation`); this is the check
    behind it for the connections that were not reached: another process's (`REDIS_URL`), or a change
    made outside the server (`python -m facilitator.kit` issues fresh référent links). Phones (no
    credential: the join code and their own participant token) are not concerned.
    """
    if viewer.credential is None:
        return True
    if viewer.role == "facilitator":
        return viewer.credential == workshop.facilitator_token_hash
    if viewer.role == "board":
        return viewer.credential in (workshop.facilitator_token_hash, workshop.board_token_hash)
    group = session.get(Group, viewer.group_id)
    return (
        group is not None
        and group.workshop_id == workshop.id
        and viewer.credential == group.referent_token_hash
    )


def _admit_participant(
    session, workshop, *, token, own_token, group_number, name, organisation, name_limit, limits
):
    if workshop.anonymous:
        # Its page asks for neither; what a tampered phone sends anyway is not stored (docs/privacy.md).
        name = organisation = None
    name = _clean_name(name, name_limit)
    organisation = _clean_name(organisation, name_limit)
    if organisation is not None and organisation not in workshop.organisations:
        raise DomainError("unknown_organisation")
    participant = None
    for candidate in (token, own_token):
        if candidate and participant is None:
            participant = session.scalar(
                PARTICIPANT_BY_TOKEN, {"workshop_id": workshop.id, "token_hash": tokens.hash_token(candidate)}
            )
            token = candidate if participant is not None else token
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
    new_token = at_table = None
    if participant is None:
        if limits.newcomer is not None:
            limits.newcomer(group)
        new_token = tokens.new_token()
        row = {"workshop_id": workshop.id, "group_id": group.id, "token_hash": tokens.hash_token(new_token),
               "name": name, "organisation": organisation, "created_at": utcnow(), "paper": False}  # fmt: skip
        participant_id = session.execute(INSERT_PARTICIPANT, row).scalar_one()
        in_workshop, at_table = session.execute(
            PARTICIPANTS_HERE, {"workshop_id": workshop.id, "group_id": group.id}
        ).one()
        _refuse_past_caps(session, workshop, limits, in_workshop, at_table)
        events.append(_count_event(session, workshop, group, at_table))
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
    if participant is not None:
        participant_id, name, organisation = participant.id, participant.name, participant.organisation
    viewer = Viewer(
        workshop.id, "participant", group.id, group.number, participant_id, author=(name, organisation)
    )
    return Admission(viewer, new_token or token, group=group, newcomer_at_table=at_table)


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


def _refuse_past_caps(session, workshop, limits: ParticipantLimits, in_workshop: int, at_table: int):
    """Undo the newcomer just flushed and refuse when it made the workshop or its table too full."""
    refusal = None
    if limits.workshop and in_workshop > limits.workshop:
        refusal = DomainError("workshop_full", status=403, limit=limits.workshop)
    elif limits.table and len(workshop.groups) > 1 and at_table > limits.table:
        refusal = DomainError("table_full", status=403, limit=limits.table)
    if refusal is not None:
        session.rollback()
        raise refusal


def _count_event(session, workshop, group: Group, count: int | None = None):
    if count is None:
        count = session.scalar(PARTICIPANTS_AT_TABLE, {"workshop_id": workshop.id, "group_id": group.id})
    return record_event(
        session, workshop, "participants:count", {"group": group.number, "participants": count}, group
    )
