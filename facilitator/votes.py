"""Dot voting: a budget of dots per participant, on cards or themes, at the table then in plenary.

The budget is enforced here, on the server: the participant's dots are counted inside the transaction,
after `events.next_seq` has taken the workshop's row lock, so two casts racing can never both take the
last dot. A dot is one `Vote` row; taking it back deletes the row. Stages: "table" (a participant votes
on the visible cards and themes of their own table) and "plenary" (on every table's essentials); the
agenda says which one is open (`agenda.voting_state`).

Targets are named by a string key, `card:<id>` or `theme:<id>`, in counts, acks and events.

Paper participants: a person without a phone is created by the référent at their table
(`add_paper_participant`) and has the same budget as everyone; the référent casts their dots for them
(`cast_vote(..., paper_participant=id)`), counted against that person's budget, never the référent's.
The report counts their dots apart (`votes_paper`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from facilitator import tokens
from facilitator.access import _clean_name, _count_event
from facilitator.agenda import totals_hidden, voting_state
from facilitator.errors import DomainError
from facilitator.events import commit_and_publish, next_seq, record_event
from facilitator.models import Card, ClientRequest, Essential, Group, Participant, Theme, Vote, Workshop
from facilitator.replies import finish, stored_reply
from facilitator.tallies import _table_targets, counts, target_key, totals_events  # noqa: F401  (re-exported)
from facilitator.viewer import Viewer
from facilitator.workshops import snapshot_part

STAGES = ("table", "plenary")
PAPER_PER_TABLE = 100  # paper participants a table may hold (each one is a person the référent votes for)


# --- The statements of a cast and of a phone's snapshot, built once -----------------------------------
# Building a statement is most of what a small query costs in Python (see workshops.WORKSHOP_BY_CODE);
# these run at every dot and every join.


_by_target = (Vote.card_id, Vote.theme_id)
# The hot statements of a dot are written on the tables, not the mapped classes: they return plain rows,
# and an ORM-enabled statement pays the ORM's compile and result machinery for nothing.
_VOTES = Vote.__table__
_CARDS = Card.__table__
MY_DOTS_BY_STAGE = (
    select(Vote.stage, *_by_target, func.count(Vote.id))
    .where(Vote.workshop_id == bindparam("workshop_id"), Vote.participant_id == bindparam("participant_id"))
    .group_by(Vote.stage, *_by_target)
)
SNAPSHOT_COUNTS_AT_TABLE = (
    select(Vote.stage, *_by_target, func.count(Vote.id))
    .where(
        ((Vote.workshop_id == bindparam("workshop_id")) & (Vote.stage == "plenary"))
        | ((Vote.stage == "table") & _table_targets(bindparam("group_id")))
    )
    .group_by(Vote.stage, *_by_target)
)
# Plain inserts (no unit of work for rows nothing reads back in the transaction).
INSERT_VOTE = insert(Vote.__table__)
INSERT_CLIENT_REQUEST = insert(ClientRequest.__table__)
# What a dot needs of its card, as a plain row (no ORM object built for it): the table stage only lets a
# phone vote at its own table, so the table's number is the voter's.
VOTED_CARD = select(
    _CARDS.c.workshop_id,
    _CARDS.c.group_id,
    _CARDS.c.status,
    _CARDS.c.sealed,
    _CARDS.c.theme_id,
    _CARDS.c.family,
).where(_CARDS.c.id == bindparam("card_id"))


@dataclass(frozen=True)
class Table:
    """The table a dot's counts go to: its id (the event's audience) and number (the message)."""

    id: int
    number: int


def _dots_and_total_statement(column):
    """{target: my dots} and the target's total at a stage, in one query. Written so that SQLite reads two
    indexes (votes(workshop_id, participant_id), then the target's votes(card_id) or votes(theme_id))
    rather than every dot of the workshop."""
    v = _VOTES.c
    mine = (v.workshop_id == bindparam("workshop_id")) & (v.participant_id == bindparam("participant_id"))
    mine_here = func.sum(case((v.participant_id == bindparam("participant_id"), 1), else_=0))
    return (
        select(v.card_id, v.theme_id, mine_here, func.count(v.id))
        .where(v.stage == bindparam("stage"), mine | (column == bindparam("target_id")))
        .group_by(v.card_id, v.theme_id)
    )


DOTS_AND_TOTAL = {
    "card": _dots_and_total_statement(_VOTES.c.card_id),
    "theme": _dots_and_total_statement(_VOTES.c.theme_id),
}


def parse_key(key: str) -> tuple[int | None, int | None]:
    kind, _, number = key.partition(":")
    return (int(number), None) if kind == "card" else (None, int(number))


# --- What a target is -------------------------------------------------------------------------------


def votable_card(card: Card | None) -> bool:
    """A card people may vote on or keep: visible (not hidden, merged or deleted), not sealed."""
    return card is not None and card.status == "visible" and not card.sealed


def theme_cards(session, theme: Theme) -> list[Card]:
    return list(
        session.scalars(
            select(Card).where(Card.theme_id == theme.id, Card.status == "visible").order_by(Card.seq)
        )
    )


def theme_family(session, theme: Theme) -> str | None:
    """A theme's family: the one its référent chose, else the family of its earliest visible card
    (None: an empty theme, whatever was chosen — it takes no dots and cannot be kept)."""
    cards = theme_cards(session, theme)
    if not cards:
        return None
    return theme.family or cards[0].family


def _target_family(session, card_id, theme_id) -> str | None:
    if card_id is not None:
        card = session.get(Card, card_id)
        return card.family if card is not None else None
    theme = session.get(Theme, theme_id)
    return theme_family(session, theme) if theme is not None else None


def _resolve_target(session, workshop: Workshop, viewer: Viewer, stage: str, card_id, theme_id):
    """Return (`Table`, family) of the target this participant may vote on at this stage, or refuse."""
    if (card_id is None) == (theme_id is None):
        raise DomainError("invalid_payload", problem="give card_id or theme_id")
    if stage == "plenary":
        column = Essential.card_id if card_id is not None else Essential.theme_id
        essential = session.scalar(
            select(Essential).where(Essential.workshop_id == workshop.id, column == (card_id or theme_id))
        )
        if essential is None:
            raise DomainError("unknown_target", status=404)
        group = session.get(Group, essential.group_id)
        return Table(group.id, group.number), essential.family
    if card_id is not None:
        card = session.execute(VOTED_CARD, {"card_id": card_id}).first()
        if card is None or card.workshop_id != workshop.id or card.group_id != viewer.group_id:
            raise DomainError("unknown_target", status=404)
        if not votable_card(card):
            raise DomainError("unknown_target", status=404)
        if card.theme_id is not None:  # the theme stands for its cards: one row of dots per theme
            raise DomainError("card_in_theme", status=409)
        return Table(viewer.group_id, viewer.group_number), card.family
    theme = session.get(Theme, theme_id)
    if theme is None or theme.workshop_id != workshop.id or theme.group_id != viewer.group_id:
        raise DomainError("unknown_target", status=404)
    family = theme_family(session, theme)
    if family is None:
        raise DomainError("unknown_target", status=404)
    return Table(viewer.group_id, viewer.group_number), family


# --- Counting -----------------------------------------------------------------------------------------


def my_dots(session, workshop: Workshop, participant_id: int, stage: str) -> dict[str, int]:
    """{target key: dots} this participant put at this stage."""
    rows = session.execute(
        select(Vote.card_id, Vote.theme_id, func.count(Vote.id))
        .where(Vote.workshop_id == workshop.id, Vote.participant_id == participant_id, Vote.stage == stage)
        .group_by(Vote.card_id, Vote.theme_id)
    )
    return {target_key(card_id, theme_id): n for card_id, theme_id, n in rows}


def _family_use(session, mine: dict[str, int]) -> Counter:
    use: Counter = Counter()
    targets = [(parse_key(key), n) for key, n in mine.items() if n > 0]
    card_ids = [card_id for (card_id, _theme), _n in targets if card_id is not None]
    families = (
        {
            row.id: row.family
            for row in session.execute(select(Card.id, Card.family).where(Card.id.in_(card_ids)))
        }
        if card_ids
        else {}
    )
    for (card_id, theme_id), n in targets:
        family = families.get(card_id) if card_id is not None else _target_family(session, None, theme_id)
        if family is not None:
            use[family] += n
    return use


def remaining(session, workshop: Workshop, participant_id: int | None, stage: str) -> dict:
    """The dots left: {"remaining": n, "by_family": {family: n} | None, "mine": {target: n}}."""
    if participant_id is None:
        return {"remaining": 0, "by_family": None, "mine": {}}
    return _left(session, workshop, my_dots(session, workshop, participant_id, stage))


def _left(session, workshop: Workshop, mine: dict[str, int]) -> dict:
    """`remaining` from the participant's dots at a stage, already counted."""
    left = max(0, workshop.vote_budget - sum(mine.values()))
    by_family = None
    if workshop.family_budgets:
        use = _family_use(session, mine)
        by_family = {
            family: max(0, int(budget) - use.get(family, 0))
            for family, budget in workshop.family_budgets.items()
            if family in workshop.families
        }
    return {"remaining": left, "by_family": by_family, "mine": mine}


def hiding(workshop: Workshop, stage: str) -> dict:
    """{"totals_hidden": True} for a table-stage message recorded while the totals are hidden, else {}:
    `events.reader_view` then gives phones and boards the message without its totals."""
    return {"totals_hidden": True} if stage == "table" and totals_hidden(workshop) else {}


def reads_without_totals(workshop: Workshop, viewer) -> bool:
    """Whether this viewer (a phone or a board) gets no table totals now; staff and scripts always do."""
    return viewer is not None and viewer.role in ("participant", "board") and totals_hidden(workshop)


# --- Casting ------------------------------------------------------------------------------------------


def cast_vote(
    session,
    workshop: Workshop,
    viewer: Viewer,
    *,
    card_id: int | None = None,
    theme_id: int | None = None,
    delta: int,
    client_id: str | None = None,
    paper_participant: int | None = None,
) -> dict:
    """Put a dot on a card or theme (delta +1) or take one back (-1); return the ack.

    `paper_participant`: the référent of that person's table (or the facilitator) casts for a paper
    participant, on that person's budget; the ack then names them (`paper_participant`).

    Ack: {"ok": True, "stage", "target", "votes" (the target's total), "remaining", "by_family",
    "mine": {target: n}}. A resend with the same `client_id` answers the stored ack and counts once.
    Broadcast `vote:counts` {group, stage, target, card_id, theme_id, votes}: totals, never who voted.
    While the table totals are hidden (`agenda.totals_hidden`) a phone's own ack says `"votes": null`
    and phones and boards get the broadcast with `"votes": null` (`events.reader_view`).
    """
    casting_for_paper = paper_participant is not None
    if paper_participant is not None:
        viewer = _paper_voter(session, workshop, viewer, paper_participant)
    if viewer is None or viewer.role != "participant" or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    if viewer.participant_id is None:
        raise DomainError("forbidden", status=403)
    if isinstance(delta, bool) or delta not in (1, -1):  # `True == 1`: a boolean is no dot
        raise DomainError("invalid_payload", problem="delta is 1 or -1")
    try:
        reply = _cast(session, workshop, viewer, card_id, theme_id, delta, client_id)
    except DomainError:
        # A resend of an acknowledged cast answers its first ack, even if it would be refused now (the
        # last dot, voting closed since). Looked up only here: a first cast needs no extra read.
        reply = _first_answer(session, workshop, client_id, viewer)
        if reply is None:
            raise
    if casting_for_paper:
        return {**reply, "paper_participant": paper_participant}  # the référent: staff sees the totals
    if reply.get("stage") == "table" and totals_hidden(workshop):
        return {**reply, "votes": None}
    return reply


def _paper_voter(session, workshop: Workshop, viewer: Viewer, participant_id) -> Viewer:
    """The viewer a référent (or the facilitator) casts as: a paper participant of their table."""
    if viewer is None or viewer.workshop_id != workshop.id or viewer.role not in ("referent", "facilitator"):
        raise DomainError("forbidden", status=403)
    person = session.get(Participant, participant_id) if isinstance(participant_id, int) else None
    if person is None or person.workshop_id != workshop.id or not person.paper:
        raise DomainError("unknown_paper_participant", status=404)
    if viewer.role == "referent" and person.group_id != viewer.group_id:
        raise DomainError("not_your_table", status=403)
    group = next(g for g in workshop.groups if g.id == person.group_id)
    return Viewer(workshop.id, "participant", group.id, group.number, person.id)


def _dots_and_total(
    session, workshop, participant_id, stage, card_id, theme_id
) -> tuple[dict[str, int], int]:
    """({target: dots} this participant put at this stage, the target's total dots): one query."""
    statement = DOTS_AND_TOTAL["card" if card_id is not None else "theme"]
    rows = session.execute(
        statement,
        {
            "workshop_id": workshop.id,
            "participant_id": participant_id,
            "stage": stage,
            "target_id": card_id if card_id is not None else theme_id,
        },
    )
    key = target_key(card_id, theme_id)
    mine, total = {}, 0
    for row_card, row_theme, n_mine, n_all in rows:
        row_key = target_key(row_card, row_theme)
        if n_mine:
            mine[row_key] = n_mine
        if row_key == key:
            total = n_all
    return mine, total


def _cast(session, workshop, viewer, card_id, theme_id, delta, client_id) -> dict:
    stage = voting_state(workshop)
    if stage == "off":
        raise DomainError("voting_closed", status=409)
    group, family = _resolve_target(session, workshop, viewer, stage, card_id, theme_id)
    key = target_key(card_id, theme_id)
    budget = workshop.vote_budget
    family_budget = (workshop.family_budgets or {}).get(family)

    # The row lock: from here until the commit no other cast of this workshop can count or insert, so
    # the counts read now plus this cast's own dot are exact at the commit.
    seq = next_seq(session, workshop.id)
    mine, total = _dots_and_total(session, workshop, viewer.participant_id, stage, card_id, theme_id)
    if delta > 0:
        if sum(mine.values()) >= budget:
            raise DomainError("no_dots_left", status=409, budget=budget)
        if family_budget is not None and _family_use(session, mine).get(family, 0) >= int(family_budget):
            raise DomainError("no_family_dots_left", status=409, budget=int(family_budget), family=family)
        dot = {"workshop_id": workshop.id, "participant_id": viewer.participant_id, "stage": stage}
        session.execute(INSERT_VOTE, {**dot, "card_id": card_id, "theme_id": theme_id})
    else:
        if mine.get(key, 0) <= 0:
            raise DomainError("no_dot_here", status=409)
        column = Vote.card_id if card_id is not None else Vote.theme_id
        one = (
            select(Vote.id)
            .where(
                Vote.workshop_id == workshop.id,
                Vote.participant_id == viewer.participant_id,
                Vote.stage == stage,
                column == (card_id or theme_id),
            )
            .order_by(Vote.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        session.execute(delete(Vote).where(Vote.id == one).execution_options(synchronize_session=False))
    total += delta
    mine[key] = mine.get(key, 0) + delta
    if mine[key] <= 0:
        del mine[key]
    event = record_event(
        session,
        workshop,
        "vote:counts",
        {
            "group": group.number,
            "stage": stage,
            "target": key,
            "card_id": card_id,
            "theme_id": theme_id,
            "votes": total,
            **hiding(workshop, stage),
        },
        # In plenary everyone votes on every table's essentials: the whole workshop hears the counts.
        group=group if stage == "table" else None,
        seq=seq,
    )
    state = _left(session, workshop, mine)
    reply = {
        "ok": True,
        "stage": stage,
        "target": key,
        "votes": total,
        "remaining": state["remaining"],
        "by_family": state["by_family"],
        "mine": state["mine"],
    }
    try:
        if client_id is not None:
            stored = {**reply, "participant_id": viewer.participant_id}
            session.execute(
                INSERT_CLIENT_REQUEST, {"workshop_id": workshop.id, "client_id": client_id, "reply": stored}
            )
        commit_and_publish(session, [event])
    except IntegrityError:
        # The same client id was acknowledged before (a resend), or raced itself: answer the first.
        stored = _first_answer(session, workshop, client_id, viewer)
        if stored is None:
            raise
        return stored
    return reply


def _first_answer(session, workshop, client_id, viewer):
    """After a refused or duplicate cast: roll back, then the stored ack of this client id, or None."""
    session.rollback()
    return _stored_reply(session, workshop, client_id, viewer) if client_id else None


def _stored_reply(session, workshop, client_id, viewer) -> dict | None:
    request = session.scalar(
        select(ClientRequest).where(
            ClientRequest.workshop_id == workshop.id, ClientRequest.client_id == client_id
        )
    )
    if request is None:
        return None
    reply = dict(request.reply)
    if reply.pop("participant_id", None) != viewer.participant_id or "target" not in reply:
        raise DomainError("client_id_conflict", status=409)
    return reply


# --- Ranking ------------------------------------------------------------------------------------------


def rank(entries: list[dict]) -> list[dict]:
    """Order entries {"target", "votes", "seq", ...} by votes (most first), then earlier seq.

    Equal votes share a rank ("ex aequo", `tie` True): 5, 3, 3, 1 dots rank 1, 2, 2, 4. The earlier card
    comes first among equals, which is how a tie at the cut of the essentials is broken.
    """
    ordered = sorted(entries, key=lambda e: (-e["votes"], e["seq"]))
    by_votes = Counter(e["votes"] for e in ordered)
    ranked, previous, current_rank = [], None, 0
    for index, entry in enumerate(ordered, start=1):
        if entry["votes"] != previous:
            current_rank, previous = index, entry["votes"]
        ranked.append({**entry, "rank": current_rank, "tie": by_votes[entry["votes"]] > 1})
    return ranked


def table_ranking(session, workshop: Workshop, group: Group) -> dict[str, list[dict]]:
    """{family: ranked [{"target", "card_id", "theme_id", "text", "votes", "seq", "rank", "tie"}]} of a
    table's votable cards and themes, by the table stage's dots."""
    return rankings(session, workshop, [group])[group.number]


def rankings(session, workshop: Workshop, groups: list[Group]) -> dict[int, dict[str, list[dict]]]:
    """{table number: table_ranking(table)} for several tables, in the same three queries however many
    tables there are (a board's snapshot ranks all 100)."""
    numbers = {group.id: group.number for group in groups}
    entries: dict[int, dict[str, list[dict]]] = {
        group_id: {family: [] for family in workshop.families} for group_id in numbers
    }
    if not numbers:
        return {}
    totals = counts(session, workshop, "table", groups[0] if len(groups) == 1 else None)
    cards = session.scalars(
        select(Card).where(Card.workshop_id == workshop.id, Card.group_id.in_(numbers)).order_by(Card.seq)
    ).all()
    members: dict[int, list[Card]] = {}  # theme id -> its visible cards by seq (`theme_cards`)
    for card in cards:
        if card.theme_id is not None and card.status == "visible":
            members.setdefault(card.theme_id, []).append(card)
        if votable_card(card) and card.theme_id is None:  # a card in a theme is ranked as its theme
            key = target_key(card.id)
            entries[card.group_id].setdefault(card.family, []).append(
                {
                    "target": key,
                    "card_id": card.id,
                    "theme_id": None,
                    "text": card.text,
                    "votes": totals.get(key, 0),
                    "seq": card.seq,
                }
            )
    themes = session.scalars(
        select(Theme).where(Theme.workshop_id == workshop.id, Theme.group_id.in_(numbers)).order_by(Theme.id)
    )
    for theme in themes:
        found = members.get(theme.id)
        if found:
            key = target_key(theme_id=theme.id)
            entries[theme.group_id].setdefault(theme.family or found[0].family, []).append(
                {
                    "target": key,
                    "card_id": None,
                    "theme_id": theme.id,
                    "text": theme.title,
                    "votes": totals.get(key, 0),
                    "seq": found[0].seq,
                }
            )
    return {
        numbers[group_id]: {family: rank(items) for family, items in by_family.items()}
        for group_id, by_family in entries.items()
    }


# --- Snapshot -----------------------------------------------------------------------------------------


def _snapshot_counts(session, workshop: Workshop, group: Group | None) -> dict[str, dict[str, int]]:
    """{stage: {target: dots}}: the table stage for `group`'s targets (or every table), the plenary
    stage for all — one query (a phone's join runs it)."""
    if group is not None:
        rows = session.execute(SNAPSHOT_COUNTS_AT_TABLE, {"workshop_id": workshop.id, "group_id": group.id})
    else:
        rows = session.execute(
            select(Vote.stage, *_by_target, func.count(Vote.id))
            .where(Vote.workshop_id == workshop.id, Vote.stage.in_(STAGES))
            .group_by(Vote.stage, *_by_target)
        )
    found: dict[str, dict[str, int]] = {stage: {} for stage in STAGES}
    for stage, card_id, theme_id, n in rows:
        found[stage][target_key(card_id, theme_id)] = n
    return found


def _my_dots_by_stage(session, workshop: Workshop, participant_id: int | None) -> dict[str, dict[str, int]]:
    """{stage: {target: dots}} this participant put, both stages in one query."""
    found: dict[str, dict[str, int]] = {stage: {} for stage in STAGES}
    if participant_id is None:
        return found
    rows = session.execute(MY_DOTS_BY_STAGE, {"workshop_id": workshop.id, "participant_id": participant_id})
    for stage, card_id, theme_id, n in rows:
        if stage in found:
            found[stage][target_key(card_id, theme_id)] = n
    return found


@snapshot_part
def votes_snapshot(session, workshop: Workshop, group: Group | None, viewer) -> dict:
    """Snapshot part "votes": the voting state, budgets, counts (table stage for the tables this viewer
    sees, plenary for all) and, for a participant, their own dots and what is left."""
    state = voting_state(workshop)
    participant_id = viewer.participant_id if viewer is not None else None
    dots = _my_dots_by_stage(session, workshop, participant_id)
    if participant_id is None:
        mine = {stage: {"remaining": 0, "by_family": None, "mine": {}} for stage in STAGES}
    else:
        mine = {stage: _left(session, workshop, dots[stage]) for stage in STAGES}
    totals = _snapshot_counts(session, workshop, group)
    hidden = reads_without_totals(workshop, viewer)
    if hidden:
        totals["table"] = {}  # its own dots only (`mine`): the totals come with `votes:totals`
    return {
        "votes": {
            "state": state,
            "budget": workshop.vote_budget,
            "family_budgets": dict(workshop.family_budgets) if workshop.family_budgets else None,
            "counts": {"table": totals["table"], "plenary": totals["plenary"]},
            "totals_hidden": totals_hidden(workshop),
            "mine": {stage: mine[stage]["mine"] for stage in STAGES},
            "remaining": {stage: mine[stage]["remaining"] for stage in STAGES},
            "remaining_by_family": {stage: mine[stage]["by_family"] for stage in STAGES},
        }
    }


# --- Paper participants -------------------------------------------------------------------------------


def _paper_table(workshop: Workshop, viewer: Viewer, group_number: int | None) -> Group:
    """The table a référent adds paper participants to (its own), or the facilitator's `group_number`."""
    if viewer is None or viewer.workshop_id != workshop.id:
        raise DomainError("forbidden", status=403)
    if viewer.role == "referent":
        if group_number is not None and group_number != viewer.group_number:
            raise DomainError("not_your_table", status=403)
        return next(g for g in workshop.groups if g.id == viewer.group_id)
    if viewer.role == "facilitator":
        if group_number is None:
            raise DomainError("group_required")
        group = workshop.group(group_number)
        if group is None:
            raise DomainError("unknown_group", status=404)
        return group
    raise DomainError("forbidden", status=403)


def paper_participant_to_dict(
    session, workshop: Workshop, person: Participant, number: int, group_number: int
):
    """A paper participant as the staff's consoles show them: their name (or their `number` at the
    table), and at each stage their dots and what is left."""
    dots = _my_dots_by_stage(session, workshop, person.id)
    left = {stage: _left(session, workshop, dots[stage]) for stage in STAGES}
    return {
        "id": person.id,
        "name": person.name,
        "number": number,
        "group": group_number,
        "mine": {stage: left[stage]["mine"] for stage in STAGES},
        "remaining": {stage: left[stage]["remaining"] for stage in STAGES},
        "remaining_by_family": {stage: left[stage]["by_family"] for stage in STAGES},
    }


def add_paper_participant(
    session,
    workshop: Workshop,
    viewer: Viewer,
    name: str | None = None,
    *,
    group_number: int | None = None,
    client_id: str | None = None,
    name_limit: int = 40,
) -> dict:
    """Add a person without a phone to the référent's table (the facilitator names the table): a
    participant of their own, with the workshop's dot budget, whom no link admits. `name` is optional
    (the console then says « Personne sans téléphone 2 »). Records `participants:count` for the table.

    Ack: {"ok": True, "participant": {"id", "name", "number", "group", "mine", "remaining",
    "remaining_by_family"}}. Idempotent on `client_id`."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    group = _paper_table(workshop, viewer, group_number)
    name = None if workshop.anonymous else _clean_name(name, name_limit)
    already = session.scalar(
        select(func.count(Participant.id)).where(
            Participant.group_id == group.id, Participant.paper.is_(True)
        )
    )
    if already >= PAPER_PER_TABLE:
        raise DomainError("table_full", status=403, limit=PAPER_PER_TABLE)
    person = Participant(
        workshop_id=workshop.id,
        group_id=group.id,
        token_hash=tokens.hash_token(tokens.new_token()),  # a token nobody holds
        name=name,
        paper=True,
    )
    session.add(person)
    session.flush()
    event = _count_event(session, workshop, group)
    reply = {
        "ok": True,
        "participant": paper_participant_to_dict(session, workshop, person, already + 1, group.number),
    }
    return finish(session, workshop, client_id, [event], reply)


@snapshot_part
def paper_participants_snapshot(session, workshop: Workshop, group: Group | None, viewer) -> dict:
    """Snapshot part "paper_participants" for the référent (its table) and the facilitator (every
    table): [paper participant…] in the order they were added. Nobody else gets the key."""
    if viewer is None or viewer.role not in ("referent", "facilitator"):
        return {}
    query = select(Participant).where(Participant.workshop_id == workshop.id, Participant.paper.is_(True))
    if group is not None:
        query = query.where(Participant.group_id == group.id)
    numbers = {g.id: g.number for g in workshop.groups}
    seen: Counter = Counter()
    found = []
    for person in session.scalars(query.order_by(Participant.id)):
        seen[person.group_id] += 1
        found.append(
            paper_participant_to_dict(
                session, workshop, person, seen[person.group_id], numbers[person.group_id]
            )
        )
    return {"paper_participants": found}


def move_dots_to_theme(session, workshop: Workshop, theme: Theme, group: Group, card_ids: list[int]) -> list:
    """Cards joining a theme bring their table-stage dots to it (the theme is voted on, not its cards:
    a dot left on a card would have no row to take it back from). Returns the `vote:counts` events."""
    if not card_ids:
        return []
    moved = dict(
        session.execute(
            select(Vote.card_id, func.count(Vote.id))
            .where(Vote.card_id.in_(card_ids), Vote.stage == "table")
            .group_by(Vote.card_id)
        ).all()
    )
    if not moved:
        return []
    session.execute(
        update(Vote)
        .where(Vote.card_id.in_(list(moved)), Vote.stage == "table")
        .values(card_id=None, theme_id=theme.id)
        .execution_options(synchronize_session=False)
    )
    total = session.scalar(
        select(func.count(Vote.id)).where(Vote.theme_id == theme.id, Vote.stage == "table")
    )
    events = []
    for card_id, theme_id, n in [*((c, None, 0) for c in sorted(moved)), (None, theme.id, total)]:
        payload = {
            "group": group.number,
            "stage": "table",
            "target": target_key(card_id, theme_id),
            "card_id": card_id,
            "theme_id": theme_id,
            "votes": n,
            **hiding(workshop, "table"),
        }
        events.append(record_event(session, workshop, "vote:counts", payload, group))
    return events


def my_votes(session, workshop: Workshop, viewer: Viewer) -> dict:
    """What a console shows of its own dots, read again after a change moved some (a merge, its undo,
    cards joining a theme): a participant's `mine`, `remaining` and `remaining_by_family` at both
    stages; for a référent (its table) or the facilitator, the `paper_participants` whose dots it casts."""
    if viewer is None or viewer.workshop_id != workshop.id or viewer.role == "board":
        raise DomainError("forbidden", status=403)
    if viewer.role in ("referent", "facilitator"):
        group = None
        if viewer.role == "referent":
            group = next(g for g in workshop.groups if g.id == viewer.group_id)
        return {"ok": True, **paper_participants_snapshot(session, workshop, group, viewer)}
    dots = _my_dots_by_stage(session, workshop, viewer.participant_id)
    left = {stage: _left(session, workshop, dots[stage]) for stage in STAGES}
    return {
        "ok": True,
        "mine": {stage: left[stage]["mine"] for stage in STAGES},
        "remaining": {stage: left[stage]["remaining"] for stage in STAGES},
        "remaining_by_family": {stage: left[stage]["by_family"] for stage in STAGES},
    }
