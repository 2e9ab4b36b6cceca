"""The live synthesis: every change of the cross-table themes (crossthemes.py) is one logged event,
`synthesis:changed`, for the facilitator's screens (console, Synthèse pages) and, while the facilitator
projects it, for the boards.

The event carries a summary, not the cards: each theme's id, title, tables, card count, card ids and at
most `EXAMPLES` representative card texts, taken only among the visible cards that are not sealed (a
board may read them; see docs/decisions.md, "Live synthesis"). The boards get `events.reader_view` of it:
no card ids, no cards outside themes, no title made of a card they may not read (`title_from`), and
nothing but `{"projected": false}` while it is not projected. Phones and référents never get it
(`events.SCREEN_EVENTS`). Hiding or restoring a card of a theme records a change too (`card_moderated`):
the boards stop showing a title made of it at once.

Whether the synthesis is projected is not a column: it is the `projected` of the workshop's last
`synthesis:changed` event (the log already orders every change), read only when the workshop has report
themes.
"""

from sqlalchemy import exists, select

from facilitator.errors import DomainError
from facilitator.events import (
    SYNTHESIS_CHANGED,
    commit_and_publish,
    made_of,
    record_event,
    referent_synthesis,
    screen_synthesis,
)
from facilitator.models import Card, Event, ReportTheme, ReportThemeCard, Workshop
from facilitator.synthesis.listing import check_editor, listing
from facilitator.workshops import snapshot_part

EXAMPLES = 3  # representative card texts per theme on the board
EXAMPLE_LIMIT = 180  # characters of an example shown on the board (the card keeps its whole text)
CHANGES = (
    "propose", "rename", "merge", "split", "move", "project", "unproject", "moderate",
    "seed", "attach", "table_propose", "reorder",  # the collaborative step (facilitator/synthesis/domain.py)
)  # fmt: skip


def has_themes(session, workshop: Workshop) -> bool:
    return bool(session.scalar(select(exists().where(ReportTheme.workshop_id == workshop.id))))


def last_change(session, workshop: Workshop) -> dict | None:
    """The payload of the workshop's last `synthesis:changed` event, or None."""
    return session.scalar(
        select(Event.payload)
        .where(Event.workshop_id == workshop.id, Event.type == SYNTHESIS_CHANGED)
        .order_by(Event.seq.desc())
        .limit(1)
    )


def is_projected(session, workshop: Workshop) -> bool:
    if not has_themes(session, workshop):
        return False
    last = last_change(session, workshop)
    return bool(last and last.get("projected"))


def _example(card: dict) -> dict:
    text = card["text"]
    if len(text) > EXAMPLE_LIMIT:
        text = text[: EXAMPLE_LIMIT - 1].rstrip() + "…"
    return {"id": card["id"], "group": card["group"], "family": card["family"], "text": text}


def examples(cards: list[dict], readable: set[int]) -> list[dict]:
    """Up to EXAMPLES cards a board may show, one per table first (the earliest of each), then the next
    earliest. `readable`: the ids of the visible, unsealed cards."""
    candidates = [card for card in cards if card["id"] in readable]
    chosen, tables = [], set()
    for card in candidates:
        if card["group"] not in tables:
            chosen.append(card)
            tables.add(card["group"])
    for card in candidates:
        if card not in chosen:
            chosen.append(card)
    chosen = sorted(chosen[:EXAMPLES], key=candidates.index)
    return [_example(card) for card in chosen]


def _theme_summary(theme: dict, readable: set[int]) -> dict:
    # The cards the title is made of (an automatic title is a card's text): a board never shows it while
    # one of them is hidden or sealed, now (`title_withheld`) or later (`events.screen_synthesis`).
    title_from = [c["id"] for c in theme["cards"] if made_of(theme["title"], c["text"])]
    summary = {
        "id": theme["id"],
        "title": theme["title"],
        "edited": theme["edited"],
        "tables": theme["tables"],
        "count": len(theme["cards"]),
        "cards": [c["id"] for c in theme["cards"]],
        "examples": examples(theme["cards"], readable),
        "title_from": title_from,
        "origin": theme.get("origin", "machine"),
        "proposed_by": theme.get("proposed_by"),
    }
    if any(i not in readable for i in title_from):
        summary["title_withheld"] = True
    return summary


def summary(session, workshop: Workshop, listing: dict) -> dict:
    """What the live event carries about the synthesis (crossthemes.listing → no card texts but examples)."""
    ids = [c["id"] for t in listing["themes"] for c in t["cards"]]
    readable = set()
    if ids:
        readable = set(
            session.scalars(
                select(Card.id).where(
                    Card.workshop_id == workshop.id,
                    Card.status == "visible",
                    Card.sealed.is_(False),
                    Card.id.in_(ids),
                )
            )
        )
    return {
        "proposed": listing["proposed"],
        "total_tables": listing["total_tables"],
        "language": workshop.language,
        "themes": [_theme_summary(theme, readable) for theme in listing["themes"]],
        "unassigned": [c["id"] for c in listing["unassigned"]],
        # Which table themes and loose cards each table attached (ids only): each référent gets its own
        # table's part (events.referent_view).
        "attached": listing.get("attached", {}),
    }


def record_change(session, workshop: Workshop, change: str, listing: dict, projected: bool | None = None):
    """Record one `synthesis:changed` (not committed): the change, the summary and whether it is projected
    (unchanged unless given)."""
    if change not in CHANGES:
        raise ValueError(change)
    if projected is None:
        last = last_change(session, workshop)
        projected = bool(last and last.get("projected"))
    payload = {"change": change, "projected": projected, "synthesis": summary(session, workshop, listing)}
    return record_event(session, workshop, SYNTHESIS_CHANGED, payload)


def project(session, workshop: Workshop, editor, projected: bool) -> dict:
    """Show the synthesis on the boards (or stop). Projecting needs at least one theme
    (`synthesis_empty`); asking for the current state changes nothing and records nothing."""
    check_editor(workshop, editor)
    state = listing(session, workshop)
    if projected and not state["themes"]:
        raise DomainError("synthesis_empty", status=409)
    if projected == is_projected(session, workshop):
        return {**state, "projected": projected, "seq": workshop.seq}
    event = record_change(session, workshop, "project" if projected else "unproject", state, projected)
    seq = event.seq
    commit_and_publish(session, [event])
    return {**state, "projected": projected, "seq": seq}


def card_moderated(session, workshop: Workshop, card: Card) -> list:
    """A card of a theme hidden or restored: one `moderate` change, so that the boards drop (or show
    again) a title made of it at once; [] for a card in no theme (no synthesis, nothing recorded)."""
    in_theme = select(ReportThemeCard.id).where(ReportThemeCard.card_id == card.id).limit(1)
    if session.scalar(in_theme) is None:
        return []
    return [record_change(session, workshop, "moderate", listing(session, workshop))]


@snapshot_part
def synthesis_snapshot(session, workshop: Workshop, group, viewer) -> dict:
    """Snapshot part: `synthesis` for the facilitator (the summary and `projected`) and the boards (the
    projected synthesis as `screen_view` leaves it, or `{"projected": false}`); nothing for a table."""
    role = getattr(viewer, "role", None)
    if role == "referent" and group is not None:
        return {"synthesis_outline": referent_outline(session, workshop, group)}
    if group is not None or role not in ("facilitator", "board"):
        return {}
    if not has_themes(session, workshop):
        return {"synthesis": {"projected": False, "proposed": False, "themes": []}}
    projected = is_projected(session, workshop)
    if role == "board" and not projected:
        return {"synthesis": {"projected": False}}
    state = summary(session, workshop, listing(session, workshop))
    if role == "board":
        state = screen_synthesis(state)
    return {"synthesis": {"projected": projected, **state}}


def referent_outline(session, workshop: Workshop, group) -> dict:
    """A référent's view of the synthesis now (its snapshot part `synthesis_outline`): what
    `events.referent_synthesis` leaves of the summary for its table."""
    if not has_themes(session, workshop):
        return referent_synthesis({"themes": [], "total_tables": len(workshop.groups)}, group.id)
    state = summary(session, workshop, listing(session, workshop))
    return referent_synthesis(state, group.id)
