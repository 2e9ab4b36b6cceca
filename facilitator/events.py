"""The per-workshop event log, and publishing after commit: the one place that emits.

Every change is recorded once as an `Event` with the workshop's next sequence number, in the same
transaction as the change. After the commit, `commit_and_publish` hands the events to the publisher
(Socket.IO rooms in the app, a list in tests). A client that reconnects asks for the events after
the last `seq` it saw (`events_since`).
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from facilitator.models import Card, Event, Workshop, utcnow


@dataclass(frozen=True)
class Audience:
    """Who receives an event: the whole workshop, the boards plus one table, or one participant.

    For the boards plus one table, the table's phones and the boards receive `reader_view(message)`:
    what a card hidden by moderation (or merged, or deleted) said stays with the staff (the
    facilitator, the table's référent). `authors`: the participants whose own hidden card the message carries; they
    get the whole message too, after the table's view.
    """

    workshop_id: int
    group_id: int | None = None
    participant_id: int | None = None  # set: only that participant's connections (a sealed card)
    authors: tuple[int, ...] = ()
    # The facilitator's screens only (`SCREEN_EVENTS`): the facilitator whole, the boards `screen_view`.
    screens: bool = False


@dataclass(frozen=True)
class Revocation:
    """Live connections that must end once the change is committed, and why (told to each of them).

    `reason` "workshop_deleted": every connection of the workshop. "links_renewed": the connections
    admitted with a token just replaced — the facilitator's and the boards' when `screens`, the
    référents' of the tables `group_ids`. Phones (the join code, their own participant token) stay.
    `group_ids`: the tables concerned, whose rooms close (every table of a deleted workshop).
    """

    workshop_id: int
    reason: str
    screens: bool = False
    group_ids: tuple[int, ...] = ()

    def ends(self, viewer) -> bool:
        """Whether this connection (an `access.Viewer`) must end."""
        if viewer is None or viewer.workshop_id != self.workshop_id:
            return False
        if self.reason == "workshop_deleted":
            return True
        if viewer.role in ("facilitator", "board"):
            return self.screens
        return viewer.role == "referent" and viewer.group_id in self.group_ids


# --- What phones and boards may read: one reduction, live and replayed ---------------------------------

CARD_EVENTS = frozenset({"card:added", "card:updated"})
ESSENTIALS_CHANGED = "essentials:changed"


@dataclass(frozen=True)
class CardsNow:
    """The cards some messages mention as they are now (`cards_now`), for a phone or a board catching up.

    `own`: the viewer's own cards that are hidden or sealed (readable to their author only); `status`:
    {id: status} of the cards no longer visible (hidden, merged, deleted); `sealed`: the cards still
    sealed until reveal. A message read live passes no `CardsNow`: it is as recent as the cards.
    """

    own: frozenset = frozenset()
    status: dict = field(default_factory=dict)
    sealed: frozenset = frozenset()

    def unreadable(self, card_id) -> bool:
        """Whether this viewer may no longer read the card's text."""
        return card_id not in self.own and (card_id in self.status or card_id in self.sealed)


def table_card(card: dict, now: CardsNow | None = None) -> dict:
    """A card as a phone of its table receives it.

    Whole while it is visible (or hidden, to its author: `now.own`); otherwise only what a phone needs
    to drop it: `{"id", "group", "status"}` (and `merged_into`). `now` reduces an older message about a
    card hidden since, for a phone catching up. The text and authors of the cards merged into a card
    (`merged_from`) never reach phones either: one of them may have been hidden, and phones do not
    show them.
    """
    status = card.get("status")
    if now is not None and status == "visible":
        status = now.status.get(card.get("id"), status)
    own = now.own if now is not None else ()
    if status == "visible" or (status == "hidden" and card.get("id") in own):
        if card.get("merged_from"):
            return {
                **card,
                "merged_from": [{"id": m["id"], "group": m.get("group")} for m in card["merged_from"]],
            }
        return card
    reduced = {"id": card.get("id"), "group": card.get("group"), "status": status}
    if card.get("merged_into") is not None:
        reduced["merged_into"] = card["merged_into"]
    return reduced


def _cards_in(message: dict) -> list[dict]:
    if message.get("type") in CARD_EVENTS and isinstance(message.get("card"), dict):
        return [message["card"], *(message.get("merged") or [])]
    if message.get("type") == "cards:revealed":
        return list(message.get("cards") or [])
    return []


def table_view(message: dict, now: CardsNow | None = None) -> dict:
    """A card message as the table's phones receive it: the message itself when it holds nothing for staff."""
    cards = _cards_in(message)
    reduced = [table_card(card, now) for card in cards]
    if all(a is b for a, b in zip(reduced, cards, strict=True)):
        return message
    if message["type"] == "cards:revealed":
        return {**message, "cards": reduced}
    view = {**message, "card": reduced[0]}
    if "merged" in message:
        view["merged"] = reduced[1:]
    return view


def essentials_view(message: dict, now: CardsNow | None = None) -> dict:
    """An `essentials:changed` without the cards this viewer may no longer read (hidden, merged or
    deleted since, or sealed): the table's later list no longer has them either, but a replay goes
    through this older one first."""
    entries = message.get("essentials")
    if now is None or not isinstance(entries, list):
        return message
    kept = [e for e in entries if not (isinstance(e, dict) and now.unreadable(e.get("card_id")))]
    return message if len(kept) == len(entries) else {**message, "essentials": kept}


# --- What the boards may read of the live synthesis (livesynthesis.py) ---------------------------------

SYNTHESIS_CHANGED = "synthesis:changed"
BOARD_CHANGED = "board:changed"  # the view the facilitator puts on the boards (presenter.py)
PLAN_CHANGED = "plan:changed"  # the whole action plan, every table's actions (facilitator/plan/domain.py)
# Events for the facilitator and the boards only: never a phone's or a référent's, live or replayed.
SCREEN_EVENTS = frozenset({SYNTHESIS_CHANGED, BOARD_CHANGED, PLAN_CHANGED})
# What a board shows instead of an automatic title made of a card it may not read (« Thème 2 »).
WITHHELD_TITLE = {"fr": "Thème {n}", "en": "Theme {n}"}
_ARTICLES = frozenset({"un", "une", "des", "a", "an"})


def made_of(title: str, text: str) -> bool:
    """Whether a theme title is this card's text, as the proposal makes its titles (reports.synthesis:
    a card's words, tidied, a leading article dropped, perhaps cut): its words begin the card's. One
    word only counts when it is the whole card, so a short typed title ("Transport") stays the organisers'."""
    title_words = re.findall(r"\w+", str(title or "").casefold())
    card_words = re.findall(r"\w+", str(text or "").casefold())
    if not title_words:
        return False
    if card_words and card_words[0] in _ARTICLES and title_words[0] != card_words[0]:
        card_words = card_words[1:]
    if card_words[: len(title_words)] != title_words:
        return False
    return len(title_words) >= 2 or len(card_words) == 1


def withheld_title(position: int, language: str | None) -> str:
    return WITHHELD_TITLE.get(language or "fr", WITHHELD_TITLE["fr"]).format(n=position)


# What a board reads of a theme besides its examples: no card id (`proposed_by`: « proposé par la table 3 »).
SCREEN_THEME_KEYS = ("id", "title", "tables", "count", "proposed_by")


def screen_synthesis(synthesis: dict, now: CardsNow | None = None) -> dict:
    """The synthesis as a board shows it: themes (title, tables, count, examples), no card ids, no cards
    outside themes. `now` drops an example hidden since, and the title made of a card hidden since
    (`title_from`, livesynthesis.summary): « Thème 2 » instead; `title_withheld` says it already was."""
    themes = []
    for position, theme in enumerate(synthesis.get("themes") or [], start=1):
        examples = [e for e in theme.get("examples") or [] if not (now and now.unreadable(e.get("id")))]
        themes.append({key: theme[key] for key in SCREEN_THEME_KEYS if key in theme})
        withheld = theme.get("title_withheld") or (
            now is not None and any(now.unreadable(i) for i in theme.get("title_from") or [])
        )
        if withheld:
            themes[-1]["title"] = withheld_title(position, synthesis.get("language"))
        themes[-1]["examples"] = examples
    return {
        "proposed": synthesis.get("proposed", False),
        "total_tables": synthesis.get("total_tables"),
        "themes": themes,
    }


def screen_view(message: dict, now: CardsNow | None = None) -> dict:
    """A `synthesis:changed` as the boards receive it: the synthesis only while it is projected."""
    view = {key: message[key] for key in ("type", "seq", "change", "projected") if key in message}
    if message.get("projected") and isinstance(message.get("synthesis"), dict):
        view["synthesis"] = screen_synthesis(message["synthesis"], now)
    return view


SYNTHESIS_OUTLINE = "synthesis:outline"  # what a référent receives of a `synthesis:changed`


def referent_synthesis(synthesis: dict, group_id: int, now: CardsNow | None = None) -> dict:
    """The synthesis as a table's référent reads it (issue 17): every cross-table theme's id, title (as a
    board would show it: never made of a card it may not read), tables, card count, origin; which of ITS
    table's themes and loose cards are attached where. No card of another table, no example."""
    screened = screen_synthesis(synthesis, now)
    origins = {t.get("id"): t for t in synthesis.get("themes") or []}
    themes = [
        {
            **{key: theme[key] for key in ("id", "title", "tables", "count") if key in theme},
            "origin": origins.get(theme.get("id"), {}).get("origin", "machine"),
            "proposed_by": origins.get(theme.get("id"), {}).get("proposed_by"),
        }
        for theme in screened["themes"]
    ]
    mine = (synthesis.get("attached") or {}).get(str(group_id)) or {"themes": {}, "cards": {}}
    return {"total_tables": screened["total_tables"], "themes": themes, "attached": mine}


def referent_view(message: dict, group_id: int, now: CardsNow | None = None) -> dict:
    """A `synthesis:changed` as the référent of table `group_id` receives it: a `synthesis:outline`."""
    view = {"type": SYNTHESIS_OUTLINE, "seq": message.get("seq"), "change": message.get("change")}
    if isinstance(message.get("synthesis"), dict):
        view["synthesis"] = referent_synthesis(message["synthesis"], group_id, now)
    return view


def reader_view(message: dict, now: CardsNow | None = None) -> dict:
    """Any message as phones and boards may read it: THE reduction, for live publishing
    (`realtime.core.publish`, `now` None) and for catching up (`events_since`, `now` the cards as they
    are now). Card events lose the text of hidden, merged and deleted cards, `essentials:changed` the
    entries no longer readable, `synthesis:changed` becomes `screen_view`; the others carry no card text
    (`theme:*` card ids, `vote:counts` targets, `card:sealed` counts) and pass as they are — but a
    message recorded while the table totals were hidden (`"totals_hidden": true`, agenda.totals_hidden)
    loses them: `vote:counts` its `votes`, `essentials:changed` each entry's `votes` (null)."""
    if message.get("totals_hidden"):
        message = without_totals(message)
    type_ = message.get("type")
    if type_ == SYNTHESIS_CHANGED:
        return screen_view(message, now)
    if type_ == ESSENTIALS_CHANGED:
        return essentials_view(message, now)
    return table_view(message, now)


def without_totals(message: dict) -> dict:
    """The message with its table totals set to null (what phones and boards get while they are hidden)."""
    if message.get("type") == ESSENTIALS_CHANGED and isinstance(message.get("essentials"), list):
        entries = [{**e, "votes": None} if isinstance(e, dict) else e for e in message["essentials"]]
        return {**message, "essentials": entries}
    if "votes" in message:
        return {**message, "votes": None}
    return message


def mentioned_cards(message: dict) -> list:
    """The ids of the cards whose text a message carries (what `reader_view` needs to know of now)."""
    ids = [c.get("id") for c in _cards_in(message)]
    if message.get("type") == ESSENTIALS_CHANGED:
        ids += [e.get("card_id") for e in message.get("essentials") or [] if isinstance(e, dict)]
    synthesis = message.get("synthesis") if message.get("type") == SYNTHESIS_CHANGED else None
    if isinstance(synthesis, dict):
        for theme in synthesis.get("themes") or []:
            ids += [e.get("id") for e in theme.get("examples") or []]
            ids += list(theme.get("title_from") or [])
    return ids


def cards_now(session, card_ids, participant_id) -> CardsNow:
    """These cards as they are now, for this viewer (a phone's participant, None for a board)."""
    ids = {i for i in card_ids if isinstance(i, int) and not isinstance(i, bool)}
    if not ids:
        return CardsNow()
    rows = session.execute(
        select(Card.id, Card.status, Card.sealed, Card.participant_id).where(Card.id.in_(ids))
    ).all()
    own = frozenset(
        i
        for i, status, sealed, author in rows
        if author is not None and author == participant_id and (status == "hidden" or sealed)
    )
    status = {i: status for i, status, _sealed, _author in rows if status != "visible"}
    sealed = frozenset(i for i, _status, sealed, _author in rows if sealed)
    return CardsNow(own, status, sealed)


def _ignore(*_args):
    pass


_publisher = _ignore
_revoker = _ignore


def set_publisher(publisher):
    """Install the function that delivers `(message, audience)` once the transaction is committed."""
    global _publisher
    _publisher = publisher or _ignore


def set_revoker(revoker):
    """Install the function that ends the live connections a `Revocation` names (Socket.IO in the app;
    nothing in scripts, whose changes connections notice at their next event, see `access.still_admitted`)."""
    global _revoker
    _revoker = revoker or _ignore


# Every change runs it (each card, dot, join): built once, as building a statement costs more in Python
# than running it (see workshops.WORKSHOP_BY_CODE).
# On the table, not the mapped class: an ORM-enabled UPDATE goes through the ORM's bulk machinery (a
# sixth of a dot's CPU time) for a row this session updates itself (`set_committed_value` below).
_WORKSHOPS = Workshop.__table__
NEXT_SEQ = (
    update(_WORKSHOPS)
    .where(_WORKSHOPS.c.id == bindparam("workshop_id"))
    .values(seq=_WORKSHOPS.c.seq + 1)
    .returning(_WORKSHOPS.c.seq)
)


def next_seq(session, workshop_id: int) -> int:
    """Take the workshop's next sequence number; the row lock orders concurrent writers.

    The workshop loaded in this session is told its new `seq` (without marking it changed), so a
    snapshot taken after the commit carries the number of the last change it contains.
    """
    seq = session.execute(NEXT_SEQ, {"workshop_id": workshop_id}).scalar_one()
    loaded = session.identity_map.get(identity_key(Workshop, workshop_id))
    if loaded is not None:
        set_committed_value(loaded, "seq", seq)
    return seq


@dataclass
class LoggedEvent:
    """An event written to the log (`record_event`), as `commit_and_publish` hands it out."""

    workshop_id: int
    seq: int
    type: str
    group_id: int | None
    participant_id: int | None
    payload: dict
    authors: tuple = ()


# A plain INSERT, built once: every change writes one, and the ORM's unit of work for an object nobody
# reads back was a good part of a card's or a dot's CPU time (python -m bench.ops).
EVENT_INSERT = insert(Event.__table__)


def record_event(
    session,
    workshop: Workshop,
    type_: str,
    payload: dict,
    group=None,
    seq=None,
    participant_id=None,
    authors=(),
    group_id=None,
) -> LoggedEvent:
    """Append an event to the workshop's log (not committed yet); the payload gets its `seq`.

    Pass `seq` when the change itself stores the number it was taken with (a card keeps its own).
    `participant_id`: a private event, for that participant's connections only (their sealed card).
    `authors`: participants who get the whole message besides the table's view (their hidden card).
    `group_id`: the table's id instead of its row (`group`).
    """
    if seq is None:
        seq = next_seq(session, workshop.id)
    body = {"type": type_, "seq": seq, **payload}
    if group is not None:
        group_id = group.id
    event = LoggedEvent(workshop.id, seq, type_, group_id, participant_id, body, tuple(authors))
    if session.new or session.dirty or session.deleted:
        session.flush()  # the rows the event refers to (a new participant, a card) go first
    session.execute(
        EVENT_INSERT,
        {"workshop_id": event.workshop_id, "seq": seq, "type": type_, "group_id": event.group_id,
         "participant_id": participant_id, "payload": body, "created_at": utcnow()},
    )  # fmt: skip
    return event


def commit_and_publish(session, events: list[LoggedEvent], announcements=(), revocations=()):
    """Commit the unit of work, then publish its events: nothing is announced that could be lost.

    `announcements` are `(message, audience)` pairs that are not part of the log, such as the deletion
    of the workshop itself. `revocations` (`Revocation`) end live connections, after the announcements.
    """
    session.commit()
    for event in events:
        authors = getattr(event, "authors", ())
        screens = event.type in SCREEN_EVENTS
        audience = Audience(event.workshop_id, event.group_id, event.participant_id, authors, screens)
        _publisher(event.payload, audience)
    for message, audience in announcements:
        _publisher(message, audience)
    for revocation in revocations:
        _revoker(revocation)


def events_since(
    session,
    workshop: Workshop,
    since: int,
    group_id: int | None,
    limit: int,
    participant_id: int | None = None,
    reduce: bool | None = None,
    referent: bool = False,
):
    """Return the messages after `since` that this viewer may see, or None when a snapshot is due.

    `group_id` None means the viewer sees every table (facilitator, board). Private events reach only
    their participant (`participant_id`). `reduce` (default: for a participant) gives each message as
    phones and boards may read it NOW (`reader_view` with `cards_now`): an older message about a card
    hidden, merged, deleted since, or sealed, keeps none of its text, but for its author.
    """
    if since < 0 or since > workshop.seq or workshop.seq - since > limit:
        return None
    query = select(Event).where(Event.workshop_id == workshop.id, Event.seq > since).order_by(Event.seq)
    if group_id is not None:
        query = query.where((Event.group_id.is_(None)) | (Event.group_id == group_id))
        # The synthesis is for the screens only, but for a référent's outline (`referent_view`).
        hidden_types = SCREEN_EVENTS - {SYNTHESIS_CHANGED} if referent else SCREEN_EVENTS
        query = query.where(Event.type.not_in(hidden_types))
    if participant_id is None:
        query = query.where(Event.participant_id.is_(None))
    else:
        query = query.where(Event.participant_id.is_(None) | (Event.participant_id == participant_id))
    messages = [event.payload for event in session.scalars(query)]
    if referent and group_id is not None:
        outlines = [m for m in messages if m.get("type") == SYNTHESIS_CHANGED]
        now = (
            cards_now(session, [i for m in outlines for i in mentioned_cards(m)], None) if outlines else None
        )
        messages = [
            referent_view(m, group_id, now) if m.get("type") == SYNTHESIS_CHANGED else m for m in messages
        ]
    if not (reduce if reduce is not None else participant_id is not None):
        return messages
    # A phone or a board reads each message as the cards are now: a card hidden since stays hidden.
    now = cards_now(session, [i for m in messages for i in mentioned_cards(m)], participant_id)
    return [reader_view(message, now) for message in messages]
