"""The snapshot a newcomer at a table starts from, kept per process while nothing but counts changed.

In a join storm (« scannez maintenant »: 2,000 phones in a minute) every phone's join builds the same
snapshot as the phone before it at its table: the table's cards, sealed counts, dots, essentials,
themes, the agenda. Building it is most of a join's work (a dozen statements). A newcomer has no card,
dot or engagement of its own, so its snapshot is the table's; only its table's head count and the
workshop's sequence number differ from the previous newcomer's, and those the join already knows.

The log is the rule that makes this exact: every change a phone can see is an event (that is how `sync`
catches a phone up), and the join's own events are `participants:count`. So a stored snapshot is still
right while the workshop's last event other than a head count (`STATE_VERSION`, one indexed statement on
`ix_events_state`, migration 0015) is the one it was built at — whichever process wrote it (it is read
from the database, not remembered). The workshop's and the table's own rows (title, step, names,
`ready`), read by the join anyway, are part of the key too.
"""

from collections import OrderedDict

from sqlalchemy import bindparam, func, select, text

from facilitator.models import Event, Group, Workshop

# A literal, not a parameter: SQLite and PostgreSQL use a partial index only for a query whose WHERE
# states the index's own condition.
NOT_A_COUNT = text("events.type != 'participants:count'")
_EVENTS = Event.__table__
STATE_VERSION = select(func.max(_EVENTS.c.seq)).where(
    _EVENTS.c.workshop_id == bindparam("workshop_id"), NOT_A_COUNT
)
KEPT = 1024  # tables remembered per process (a few kB each), the least recently joined forgotten first


def state_version(session, workshop_id: int) -> int:
    """The workshop's last event other than a head count (0 before any)."""
    return session.scalar(STATE_VERSION, {"workshop_id": workshop_id}) or 0


def row_key(workshop: Workshop, group: Group) -> tuple:
    """What of the workshop's and the table's rows a phone's snapshot shows, as a comparable value."""
    return (
        workshop.code,
        workshop.created_at,
        workshop.title,
        workshop.question,
        workshop.language,
        workshop.template,
        tuple(workshop.families),
        tuple(workshop.organisations),
        workshop.vote_budget,
        repr(workshop.family_budgets),
        workshop.anonymous,
        workshop.locked,
        workshop.essentials_per_family,
        workshop.hide_vote_totals,
        workshop.plan_contacts,
        workshop.step_position,
        workshop.step_status,
        workshop.step_started_at,
        workshop.step_deadline,
        workshop.step_remaining,
        group.number,
        group.name,
        group.ready,
    )


class NewcomerSnapshots:
    """(workshop id, table id) → (state version, row key, the snapshot a newcomer there gets)."""

    def __init__(self, kept: int = KEPT):
        self.kept = kept
        self.stored: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    def get(self, session, workshop: Workshop, group: Group):
        """The stored snapshot if nothing it shows changed since, with the version read now either way."""
        version = state_version(session, workshop.id)
        entry = self.stored.get((workshop.id, group.id))
        if entry is not None and entry[0] == version and entry[1] == row_key(workshop, group):
            self.stored.move_to_end((workshop.id, group.id))
            self.hits += 1
            return entry[2], version
        self.misses += 1
        return None, version

    def put(self, workshop: Workshop, group: Group, version: int, snapshot: dict):
        self.stored[(workshop.id, group.id)] = (version, row_key(workshop, group), snapshot)
        self.stored.move_to_end((workshop.id, group.id))
        while len(self.stored) > self.kept:
            self.stored.popitem(last=False)

    def forget(self, workshop_id: int | None = None):
        """Drop every table's (a deleted workshop's, or all when None)."""
        for key in [k for k in self.stored if workshop_id is None or k[0] == workshop_id]:
            del self.stored[key]


def for_newcomer(stored: dict, *, seq: int, group_number: int, at_table: int, participant_id: int) -> dict:
    """A copy of a stored newcomer snapshot for this participant: the sequence number now, its table's
    head count, and its own id where the plan part names the phone (`plan.me`). Nested parts are shared
    with the stored one, never changed."""
    snapshot = {**stored, "seq": seq, "participants": {str(group_number): at_table}}
    if isinstance(stored.get("plan"), dict) and "me" in stored["plan"]:
        snapshot["plan"] = {**stored["plan"], "me": participant_id}
    return snapshot


def snapshots_of(app) -> NewcomerSnapshots:
    """The app's store (one per app: tests run many apps, each on its own database, in one process)."""
    return app.extensions.setdefault("newcomer_snapshots", NewcomerSnapshots())
