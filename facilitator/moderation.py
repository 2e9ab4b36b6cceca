"""Moderating cards: edit, hide and restore, move to another family, merge duplicates, delete; and the
table's "ready" signal.

Who may do what: a participant edits and deletes their own cards at their own table, while the card's
family is still open for posting; the référent moderates its own table; the facilitator moderates every
table; the board only reads. Every change records ONE event (`card:updated` with the whole card,
`group:ready`) for the boards and the card's table — whose phones never read a hidden card's text,
only its author does (see `card_event`) — and is idempotent on an optional `client_id`: a
resend (an outbox after a lost ack) gets the stored reply and changes nothing.
"""

from sqlalchemy import delete, func, select, update

from facilitator import livesynthesis
from facilitator.access import Viewer
from facilitator.agenda import posting_open, sealed_event, voting_state
from facilitator.cards import clean_text
from facilitator.errors import DomainError
from facilitator.essentials import essentials_of
from facilitator.events import record_event
from facilitator.models import Card, CardMerge, Essential, Theme, Vote, Workshop, utcnow
from facilitator.replies import finish, stored_reply
from facilitator.workshops import find_group, snapshot_part

MODERATORS = ("referent", "facilitator")
MAX_MERGE = 50

# --- Who may touch a card ----------------------------------------------------------------------------


def _check_viewer(workshop: Workshop, viewer: Viewer):
    if viewer is None or viewer.workshop_id != workshop.id or viewer.role == "board":
        raise DomainError("forbidden", status=403)


def find_card(session, workshop: Workshop, card_id) -> Card:
    """Return a card of this workshop that still exists (not deleted), or refuse with `unknown_card`."""
    card = session.get(Card, card_id) if isinstance(card_id, int) and not isinstance(card_id, bool) else None
    if card is None or card.workshop_id != workshop.id or card.status == "deleted":
        raise DomainError("unknown_card", status=404)
    return card


def moderated_card(session, workshop: Workshop, viewer: Viewer, card_id, *, author_may=False) -> Card:
    """Return the card if this viewer may change it, or refuse.

    `author_may`: the participant who wrote the card may do this too (edit, delete) while its family is
    still open for posting. A card still sealed (hidden until reveal) can only be changed by its author:
    nobody else has read it.
    """
    _check_viewer(workshop, viewer)
    card = find_card(session, workshop, card_id)
    if viewer.role != "facilitator" and card.group_id != viewer.group_id:
        raise DomainError("not_your_table", status=403)
    if viewer.role == "participant":
        if not author_may or card.participant_id != viewer.participant_id:
            raise DomainError("forbidden", status=403)
        if card.status != "visible" or not posting_open(workshop, card.family):
            raise DomainError("editing_closed", status=409)
    elif viewer.role not in MODERATORS:
        raise DomainError("forbidden", status=403)
    elif card.sealed:
        raise DomainError("card_sealed", status=409)
    if card.status == "merged":
        raise DomainError("card_merged", status=409)
    return card


def card_event(session, workshop: Workshop, card: Card, extra: dict | None = None):
    """Record the `card:updated` of a change: to the boards and the table, or to the author alone while
    the card is sealed (the others only ever hear the sealed counts).

    A hidden card reaches the staff (the facilitator, the table's référent) and its author whole; the
    boards and the table's other phones get `{"id", "group", "status": "hidden"}` (`events.table_view`).
    """
    payload = {"card": card.to_dict(anonymous=workshop.anonymous), **(extra or {})}
    if card.sealed:
        return record_event(
            session, workshop, "card:updated", payload, card.group, participant_id=card.participant_id
        )
    authors = (card.participant_id,) if card.status == "hidden" and card.participant_id else ()
    return record_event(session, workshop, "card:updated", payload, card.group, authors=authors)


def _changed(session, workshop, card: Card, client_id, extra_events=()):
    card.updated_at = utcnow()
    session.flush()
    session.expire(card, ["merged_cards"])
    events = [card_event(session, workshop, card), *extra_events]
    reply = {"ok": True, "card": card.to_dict(anonymous=workshop.anonymous)}
    return finish(session, workshop, client_id, events, reply)


def _unchanged(workshop, card: Card) -> dict:
    return {"ok": True, "card": card.to_dict(anonymous=workshop.anonymous)}


# --- Card operations ---------------------------------------------------------------------------------


def edit_card(
    session, workshop: Workshop, viewer: Viewer, card_id, text: str, *, client_id=None, text_limit=280
) -> dict:
    """Change a card's text (its author while the family is open, the table's référent, the facilitator)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id, author_may=True)
    text = clean_text(text, text_limit)
    if text == card.text:
        return _unchanged(workshop, card)
    card.text = text
    return _changed(session, workshop, card, client_id)


def set_card_hidden(
    session, workshop: Workshop, viewer: Viewer, card_id, hidden: bool, *, client_id=None
) -> dict:
    """Hide a card from the table and the board (référent, facilitator), or restore it.

    Hiding takes the card out of its table's essentials (restoring does not put it back); for a card of
    the Synthèse, both record a `synthesis:changed` (a title made of the card leaves the boards at once).
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id)
    status = "hidden" if hidden else "visible"
    if card.status == status:
        return _unchanged(workshop, card)
    card.status = status
    card.updated_at = utcnow()
    session.flush()
    session.expire(card, ["merged_cards"])
    events = [card_event(session, workshop, card)]
    if hidden:
        events.extend(_leave_essentials(session, workshop, card))
    events.extend(livesynthesis.card_moderated(session, workshop, card))
    reply = {"ok": True, "card": card.to_dict(anonymous=workshop.anonymous)}
    return finish(session, workshop, client_id, events, reply)


def _leave_essentials(session, workshop: Workshop, card: Card) -> list:
    """A hidden (or deleted) card stops being one of its table's essentials (the board shows them with
    their text, the plenary votes on them): `essentials:changed` with the table's list, when it was one."""
    if session.scalar(select(Essential.id).where(Essential.card_id == card.id).limit(1)) is None:
        return []
    session.execute(delete(Essential).where(Essential.card_id == card.id))
    session.flush()
    return _essentials_changed(session, workshop, card.group)


def move_card(session, workshop: Workshop, viewer: Viewer, card_id, family: str, *, client_id=None) -> dict:
    """Move a card to another family of the workshop (référent, facilitator)."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id)
    if family not in workshop.families:
        raise DomainError("unknown_family")
    if card.family == family:
        return _unchanged(workshop, card)
    card.family = family
    return _changed(session, workshop, card, client_id)


def delete_card(session, workshop: Workshop, viewer: Viewer, card_id, *, client_id=None) -> dict:
    """Delete a card: its author (while the family is open), or a moderator for a paper card.

    Moderators hide phone cards rather than delete them: the author's words stay in the data.
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    card = moderated_card(session, workshop, viewer, card_id, author_may=True)
    if viewer.role != "participant" and card.source != "paper":
        raise DomainError("forbidden", status=403)
    card.status = "deleted"
    card.theme_id = None
    session.flush()
    extra = [sealed_event(session, workshop, card)] if card.sealed else []
    extra += _leave_essentials(session, workshop, card)  # its text would stay on the boards otherwise
    return _changed(session, workshop, card, client_id, extra)


def merge_cards(
    session, workshop: Workshop, viewer: Viewer, keep_id, card_ids: list, *, client_id=None
) -> dict:
    """Merge duplicates into the kept card (référent, facilitator) — any of the chosen cards may be kept.

    The kept card keeps its text; the others become `merged` (`merged_into` the kept card) and stay
    listed in its `merged_from` with their text, author and table. Their dots and essentials move to the
    kept card. One `card:updated` carries the kept card and, in `merged`, the merged ones (then a
    `vote:counts` per target whose dots moved). What moved is kept in a `CardMerge`, so that
    `unmerge_card` can put it back; the reply's `merge` names it.
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    if viewer.role not in MODERATORS:
        _check_viewer(workshop, viewer)
        raise DomainError("forbidden", status=403)
    others = list(dict.fromkeys(c for c in card_ids if c != keep_id))
    if not others:
        raise DomainError("merge_too_few")
    if len(others) > MAX_MERGE:
        raise DomainError("invalid_payload", problem=f"at most {MAX_MERGE} cards at once")
    kept = moderated_card(session, workshop, viewer, keep_id)
    merged = [moderated_card(session, workshop, viewer, card_id) for card_id in others]
    if any(card.group_id != kept.group_id for card in merged):
        raise DomainError("mixed_tables")
    ids = [card.id for card in merged]
    before = _dot_counts(session, [kept.id, *ids])
    undo = {
        "cards": [
            {"id": c.id, "status": c.status, "theme": c.theme_id, "merged_into": c.merged_into_id}
            for c in merged
        ],
        "repointed": [
            {"id": c_id, "merged_into": into}
            for c_id, into in session.execute(
                select(Card.id, Card.merged_into_id).where(Card.merged_into_id.in_(ids))
            )
        ],
        "votes": _ids_by_card(session, Vote, ids),
        "essentials": _ids_by_card(session, Essential, ids),
    }
    now = utcnow()
    for card in merged:
        card.status = "merged"
        card.merged_into_id = kept.id
        card.theme_id = None
        card.updated_at = now
    # Cards merged earlier into one of these now point at the kept card (provenance stays one level deep).
    session.execute(
        update(Card)
        .where(Card.merged_into_id.in_(ids))
        .values(merged_into_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Vote)
        .where(Vote.card_id.in_(ids))
        .values(card_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Essential)
        .where(Essential.card_id.in_(ids))
        .values(card_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    kept.updated_at = now
    record = CardMerge(workshop_id=workshop.id, kept_id=kept.id, undo=undo)
    session.add(record)
    session.flush()
    session.expire(kept, ["merged_cards"])
    anonymous = workshop.anonymous
    event = card_event(
        session, workshop, kept, {"merged": [card.to_dict(anonymous=anonymous) for card in merged]}
    )
    events = [event, *_dot_count_events(session, workshop, kept.group, before)]
    reply = {"ok": True, "card": kept.to_dict(anonymous=anonymous), "merged": ids, "merge": record.id}
    return finish(session, workshop, client_id, events, reply)


def unmerge_card(session, workshop: Workshop, viewer: Viewer, card_id, *, client_id=None) -> dict:
    """Undo the last merge into this card (référent, facilitator): the merged cards come back as they
    were (visible or hidden, in their theme if it still exists), with the dots and essentials the merge
    moved — dots cast on the kept card since stay on it; a dot taken back since stays taken back.

    Merges into a card are undone latest first. Refused with `nothing_to_unmerge` when the card has no
    merge left to undo, `card_merged` when the card itself was merged since (undo that merge first).
    Records a `card:updated` for the kept card (`unmerged`: the ids), one per card restored, and the
    `vote:counts` / `essentials:changed` of what moved back.
    """
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    if viewer.role not in MODERATORS:
        _check_viewer(workshop, viewer)
        raise DomainError("forbidden", status=403)
    kept = moderated_card(session, workshop, viewer, card_id)
    record = session.scalar(
        select(CardMerge)
        .where(CardMerge.kept_id == kept.id, CardMerge.undone.is_(False))
        .order_by(CardMerge.id.desc())
        .limit(1)
    )
    if record is None:
        raise DomainError("nothing_to_unmerge", status=409)
    undo = record.undo
    ids = [entry["id"] for entry in undo["cards"]]
    restored = [
        card
        for card in session.scalars(select(Card).where(Card.id.in_(ids)).order_by(Card.seq))
        if card.status == "merged" and card.merged_into_id == kept.id
    ]
    if not restored:
        raise DomainError("nothing_to_unmerge", status=409)
    before = _dot_counts(session, [kept.id, *ids])
    themes = set(session.scalars(select(Theme.id).where(Theme.group_id == kept.group_id)))
    was = {entry["id"]: entry for entry in undo["cards"]}
    now = utcnow()
    for card in restored:
        card.status = was[card.id]["status"]
        card.merged_into_id = was[card.id]["merged_into"]
        theme = was[card.id]["theme"]
        card.theme_id = theme if theme in themes else None
        card.updated_at = now
    back = {card.id for card in restored}
    for entry in undo["repointed"]:
        if entry["merged_into"] in back:
            session.execute(
                update(Card)
                .where(Card.id == entry["id"], Card.merged_into_id == kept.id)
                .values(merged_into_id=entry["merged_into"])
                .execution_options(synchronize_session=False)
            )
    for model, key in ((Vote, "votes"), (Essential, "essentials")):
        for owner, row_ids in undo[key].items():
            if int(owner) in back and row_ids:
                session.execute(
                    update(model)
                    .where(model.id.in_(row_ids), model.card_id == kept.id)
                    .values(card_id=int(owner))
                    .execution_options(synchronize_session=False)
                )
    record.undone = True
    kept.updated_at = now
    session.flush()
    session.expire(kept, ["merged_cards"])
    session.expire_all()
    events = [card_event(session, workshop, kept, {"unmerged": sorted(back)})]
    events += [card_event(session, workshop, card) for card in restored]
    events += _dot_count_events(session, workshop, kept.group, before)
    moved_essentials = any(int(owner) in back and rows for owner, rows in undo["essentials"].items())
    if moved_essentials:
        events.extend(_essentials_changed(session, workshop, kept.group))
    reply = {
        "ok": True,
        "card": kept.to_dict(anonymous=workshop.anonymous),
        "unmerged": [card.to_dict(anonymous=workshop.anonymous) for card in restored],
    }
    return finish(session, workshop, client_id, events, reply)


def _ids_by_card(session, model, card_ids) -> dict[str, list[int]]:
    """{card id (as a JSON key): [ids of the `model` rows (votes, essentials) on that card]}."""
    found: dict[str, list[int]] = {}
    for row_id, card_id in session.execute(
        select(model.id, model.card_id).where(model.card_id.in_(card_ids))
    ):
        found.setdefault(str(card_id), []).append(row_id)
    return found


def _dot_counts(session, card_ids) -> dict[tuple[str, int], int]:
    """{(stage, card id): dots} on these cards."""
    rows = session.execute(
        select(Vote.stage, Vote.card_id, func.count(Vote.id))
        .where(Vote.card_id.in_(card_ids))
        .group_by(Vote.stage, Vote.card_id)
    )
    found = {(stage, card_id): n for stage, card_id, n in rows}
    return {**{(stage, c): 0 for stage in ("table", "plenary") for c in card_ids}, **found}


def _dot_count_events(session, workshop: Workshop, group, before: dict) -> list:
    """A `vote:counts` (as `votes.cast_vote` sends) for each card whose dots a merge or unmerge moved."""
    after = _dot_counts(session, sorted({card_id for _stage, card_id in before}))
    events = []
    for (stage, card_id), n in sorted(after.items()):
        if before.get((stage, card_id), 0) == n:
            continue
        payload = {
            "group": group.number,
            "stage": stage,
            "target": f"card:{card_id}",
            "card_id": card_id,
            "theme_id": None,
            "votes": n,
        }
        events.append(
            record_event(session, workshop, "vote:counts", payload, group if stage == "table" else None)
        )
    return events


def _essentials_changed(session, workshop: Workshop, group) -> list:
    """`essentials:changed` with the table's list; as `essentials.set_essentials` does, everyone hears it
    while the plenary vote is open."""
    essentials = essentials_of(session, workshop, group)
    audience = None if voting_state(workshop) == "plenary" else group
    payload = {"group": group.number, "essentials": essentials}
    return [record_event(session, workshop, "essentials:changed", payload, audience)]


# --- The table's "ready" signal ----------------------------------------------------------------------


def set_group_ready(
    session, workshop: Workshop, viewer: Viewer, ready: bool, *, group_number=None, client_id=None
) -> dict:
    """Tell the facilitator the table is ready (or not any more): its référent, or the facilitator."""
    if (earlier := stored_reply(session, workshop, client_id)) is not None:
        return earlier
    _check_viewer(workshop, viewer)
    if viewer.role == "facilitator":
        group = find_group(workshop, group_number)
    elif viewer.role == "referent":
        if group_number is not None and group_number != viewer.group_number:
            raise DomainError("not_your_table", status=403)
        group = next(g for g in workshop.groups if g.id == viewer.group_id)
    else:
        raise DomainError("forbidden", status=403)
    reply = {"ok": True, "group": group.number, "ready": bool(ready)}
    if group.ready == bool(ready):
        return reply
    group.ready = bool(ready)
    event = record_event(
        session, workshop, "group:ready", {"group": group.number, "ready": group.ready}, group
    )
    return finish(session, workshop, client_id, [event], reply)


@snapshot_part
def ready_snapshot(session, workshop: Workshop, group, viewer) -> dict:
    """Snapshot part: `ready` {table number: bool} for the tables this viewer sees."""
    groups = [group] if group is not None else workshop.groups
    return {"ready": {str(g.number): bool(g.ready) for g in groups}}
