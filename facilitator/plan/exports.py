"""The action plan as the compte rendu and the follow-up files show it (issue 14).

`fold` is the one rule of what the plan shows, shared by the compte rendu (reports/plan.py) and the
files below: dropped actions out, a duplicate merged in plenary folded into the action it was merged
into (its tables, cards and volunteers count for the kept one: « portée par 4 tables »), actions under
their axis in the facilitator's order, those without an axis last (« Sans axe »), only the cards the
compte rendu's body may quote, volunteers counted and named only when they gave a name in a workshop
that is not anonymous. An e-mail never reaches any of it (docs/privacy.md).

`ics` and `csv_text` are the files `GET /api/workshops/<code>/plan.ics` and `plan.csv` send
(facilitator/plan/routes.py; docs/protocol.md): plain functions, no Flask, no pandas (they run in the
server process, unlike the compte rendu)."""

import calendar
import csv
import io
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select

from facilitator.models import (
    Card,
    Group,
    Participant,
    PlanAction,
    PlanActionCard,
    PlanAxis,
    PlanEngagement,
    Workshop,
)
from facilitator.textsafety import printable, spreadsheet_safe

NNBSP = "\u202f"  # French: narrow no-break space before « : » and inside « »
MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}  # fmt: skip
WORDS = {
    "fr": {
        "calendar": "Plan d’action",
        "owner": "Porteur",
        "partners": "Partenaires",
        "due": "Échéance",
        "first_step": "Première étape",
        "indicator": "Indicateur",
        "axis": "Axe",
        "origin": "Origine",
        "cards": "Cartes d’origine",
        "volunteers": "Volontaires",
        "no_axis": "Sans axe",
        "plenary": "proposée en plénière",
        "one_table": "portée par {table}",
        "tables": "portée par {n} tables ({names})",
        "end_of": "fin {month} {year}",
        "day": "{day} {month} {year}",
    },
    "en": {
        "calendar": "Action plan",
        "owner": "Owner",
        "partners": "Partners",
        "due": "Due",
        "first_step": "First step",
        "indicator": "Indicator",
        "axis": "Axis",
        "origin": "Origin",
        "cards": "Origin cards",
        "volunteers": "Volunteers",
        "no_axis": "No axis",
        "plenary": "proposed in plenary",
        "one_table": "carried by {table}",
        "tables": "carried by {n} tables ({names})",
        "end_of": "end of {month} {year}",
        "day": "{day} {month} {year}",
    },
}
# The CSV's columns: the first four are the names task tools map by themselves on import (Asana,
# ClickUp, Notion, Jira, Planner through Excel…), so they stay in English whatever the language.
CSV_HEADER = (
    "Title", "Owner", "Due date", "Description", "Axis", "Partners", "First step", "Indicator", "Tables",
    "Volunteers",
)  # fmt: skip


def language_of(language) -> str:
    code = str(language or "").strip().lower()[:2]
    return code if code in WORDS else "fr"


# --- the plan as it is shown ----------------------------------------------------------------------


def fold(axes, actions, links, engagements, *, quotable, anonymous=False) -> list[dict]:
    """The plan: [{"id" (None: « Sans axe »), "title" (None: « Sans axe »), "actions": [...]}], axes
    in their order, empty axes left out, the actions without an axis last.

    `axes`: dicts {id, title, position}; `actions`: dicts {id, group (table number or None), axis_id,
    title, owner, partners, due, first_step, indicator, position, status, merged_into_id}; `links`:
    (action_id, card_id); `engagements`: (action_id, participant_id, name or None); `quotable`: card id →
    {id, text, family, group, seq} for every card the plan may quote (a merged card given as the card it
    was merged into). Each action: its own fields, `tables` (sorted numbers, all its duplicates'),
    `merged` (ids folded into it), `cards` (quotable, in posting order), `volunteers` (people), and
    `volunteer_names` (empty when `anonymous`)."""
    by_id = {a["id"]: a for a in actions}

    def root(action):
        seen = set()
        while action["merged_into_id"] in by_id and action["id"] not in seen:
            seen.add(action["id"])
            action = by_id[action["merged_into_id"]]
        return action

    kept = {
        a["id"]: a
        for a in actions
        if a["status"] == "active" and (a["merged_into_id"] is None or a["merged_into_id"] not in by_id)
    }
    members = {i: [] for i in kept}
    for action in actions:
        top = root(action)
        if top["id"] in kept and (action["id"] == top["id"] or action["status"] != "dropped"):
            members[top["id"]].append(action["id"])
    owner_of = {m: k for k, ms in members.items() for m in ms}
    cards = {k: {} for k in kept}
    for action_id, card_id in links:
        if action_id in owner_of and card_id in quotable:
            card = quotable[card_id]
            cards[owner_of[action_id]][card["id"]] = card
    people = {k: {} for k in kept}
    for action_id, participant_id, name in engagements:
        if action_id in owner_of:
            people[owner_of[action_id]].setdefault(participant_id, name)
    shown = {}
    for k, action in kept.items():
        tables = sorted({by_id[m]["group"] for m in members[k] if by_id[m]["group"] is not None})
        names = (
            [] if anonymous else list(dict.fromkeys(n.strip() for n in people[k].values() if n and n.strip()))
        )
        shown[k] = {
            **{key: action.get(key) for key in ("id", "title", "owner", "partners", "due", "first_step",
                                                "indicator", "group")},
            "tables": [int(t) for t in tables],
            "merged": sorted(m for m in members[k] if m != k),
            "cards": sorted(cards[k].values(), key=lambda c: (c.get("seq") or 0, c["id"])),
            "volunteers": len(people[k]),
            "volunteer_names": names,
            **({"updated_at": action["updated_at"]} if "updated_at" in action else {}),
        }  # fmt: skip
    order = sorted(kept.values(), key=lambda a: (a["position"] or 0, a["id"]))
    known = {a["id"] for a in axes}
    out = []
    for axis in sorted(axes, key=lambda a: (a["position"] or 0, a["id"])):
        mine = [shown[a["id"]] for a in order if a["axis_id"] == axis["id"]]
        if mine:
            out.append({"id": axis["id"], "title": axis["title"], "actions": mine})
    loose = [shown[a["id"]] for a in order if a["axis_id"] not in known]
    if loose:
        out.append({"id": None, "title": None, "actions": loose})
    return out


def read(session, workshop: Workshop, number: dict) -> tuple[list, list, list, list]:
    """A workshop's plan as `fold` takes it — axes, actions, links, engagements — read from the database
    by the server's routes (`load`) and by the compte rendu (reports/load.py) alike. `number`: table
    id → table number. Engagements carry the volunteer's name (None in an anonymous workshop), never
    an e-mail."""
    wid = workshop.id

    def rows(model, *order):
        return session.scalars(select(model).where(model.workshop_id == wid).order_by(*order)).all()

    axes = [
        {"id": a.id, "title": printable(a.title), "position": a.position} for a in rows(PlanAxis, PlanAxis.id)
    ]
    actions = [
        {"id": a.id, "group": number.get(a.group_id), "axis_id": a.axis_id, "title": printable(a.title),
         "owner": printable(a.owner or ""), "partners": printable(a.partners or ""), "due": a.due,
         "first_step": printable(a.first_step or ""), "indicator": printable(a.indicator or ""),
         "position": a.position, "status": a.status, "merged_into_id": a.merged_into_id,
         "updated_at": a.updated_at}
        for a in rows(PlanAction, PlanAction.id)
    ]  # fmt: skip
    links = [(c.action_id, c.card_id) for c in rows(PlanActionCard, PlanActionCard.id)]
    names = {}
    if not workshop.anonymous:
        names = dict(
            session.execute(
                select(Participant.id, Participant.name).where(Participant.workshop_id == wid)
            ).all()
        )
    engagements = [
        (e.action_id, e.participant_id, printable(names.get(e.participant_id)) or None)
        for e in rows(PlanEngagement, PlanEngagement.id)
    ]
    return axes, actions, links, engagements


def load(session, workshop: Workshop) -> list[dict]:
    """`fold` of a workshop's plan read from the database (the server's routes: no pandas). The cards it
    may quote are those the compte rendu's body may: visible and not sealed (docs/decisions.md,
    "Issue 16"), a merged card standing for the card it was merged into."""
    wid = workshop.id
    number = dict(session.execute(select(Group.id, Group.number).where(Group.workshop_id == wid)).all())
    axes, actions, links, engagements = read(session, workshop, number)
    linked = {card_id for _, card_id in links}
    quotable, merged = {}, {}
    if linked:
        for card in session.scalars(select(Card).where(Card.workshop_id == wid).order_by(Card.seq)):
            if card.status == "visible" and not card.sealed:
                quotable[card.id] = {"id": card.id, "text": printable(card.text), "family": card.family,
                                     "group": number.get(card.group_id), "seq": card.seq}  # fmt: skip
            elif card.status == "merged" and card.merged_into_id is not None:
                merged[card.id] = card.merged_into_id
        quotable.update({m: quotable[k] for m, k in merged.items() if k in quotable})
    return fold(axes, actions, links, engagements, quotable=quotable, anonymous=bool(workshop.anonymous))


# --- échéances --------------------------------------------------------------------------------------


def due_date(due) -> date | None:
    """The day of an échéance: "2027-03-15" that day; a month "2027-03" its last day (an échéance is
    « d'ici fin mars »); anything else None (no event)."""
    if not isinstance(due, str):
        return None
    try:
        if len(due) == 7:
            year, month = int(due[:4]), int(due[5:7])
            return date(year, month, calendar.monthrange(year, month)[1])
        return date.fromisoformat(due) if len(due) == 10 else None
    except ValueError:
        return None


def due_text(due, language="fr") -> str:
    """« fin mars 2027 » for a month, « 15 mars 2027 » for a day, "" for none."""
    day = due_date(due)
    if day is None:
        return ""
    words, months = WORDS[language_of(language)], MONTHS[language_of(language)]
    month = months[day.month - 1]
    if len(due) == 7:
        return words["end_of"].format(month=month, year=day.year)
    first = "1er" if day.day == 1 and language_of(language) == "fr" else str(day.day)
    return words["day"].format(day=first, month=month, year=day.year)


# --- the files ----------------------------------------------------------------------------------------


def colon(label, language) -> str:
    return f"{label}{NNBSP}:" if language_of(language) == "fr" else f"{label}:"


def quoted(text, language) -> str:
    return f"«{NNBSP}{text}{NNBSP}»" if language_of(language) == "fr" else f"\u201c{text}\u201d"


def origin(action, table_names, language="fr") -> str:
    """« portée par 3 tables (Accueil, Mobilités, Table 4) », « portée par Accueil », « proposée en
    plénière »."""
    words = WORDS[language_of(language)]
    names = [table_names.get(n, f"Table {n}") for n in action["tables"]]
    if not names:
        return words["plenary"]
    if len(names) == 1:
        return words["one_table"].format(table=names[0])
    return words["tables"].format(n=len(names), names=", ".join(names))


def description(action, axis_title, table_names, language="fr") -> str:
    """What a calendar event or a task says beyond its title, one line a field (empty fields left out)."""
    lang = language_of(language)
    words = WORDS[lang]
    lines = []
    for key, value in (
        ("owner", action["owner"]),
        ("partners", action["partners"]),
        ("due", due_text(action["due"], lang)),
        ("first_step", action["first_step"]),
        ("indicator", action["indicator"]),
        ("axis", axis_title or words["no_axis"]),
        ("origin", origin(action, table_names, lang)),
    ):
        if value:
            lines.append(f"{colon(words[key], lang)} {value}")
    if action["cards"]:
        quotes = f"{NNBSP}; " if lang == "fr" else "; "
        lines.append(
            f"{colon(words['cards'], lang)} " + quotes.join(quoted(c["text"], lang) for c in action["cards"])
        )
    if action["volunteers"]:
        who = f" ({', '.join(action['volunteer_names'])})" if action["volunteer_names"] else ""
        lines.append(f"{colon(words['volunteers'], lang)} {action['volunteers']}{who}")
    return "\n".join(lines)


def uid(action, code) -> str:
    """The event's UID, the same at every download, so that a calendar updates the event it has."""
    return f"plan-action-{action['id']}-{code.lower()}@facilitator"


def ics(plan, *, code, title, table_names, language="fr", now=None) -> bytes:
    """An iCalendar file (RFC 5545) of the plan: one all-day VEVENT per action with an échéance (its
    day; a month's last day), SUMMARY its title, DESCRIPTION `description`, CATEGORIES its axis."""
    lang = language_of(language)
    words = WORDS[lang]
    stamp = now or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", "-//Facilitator//Plan d'action//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{words['calendar']} — {title}")
    for axis in plan:
        axis_title = axis["title"] or words["no_axis"]
        for action in axis["actions"]:
            day = due_date(action["due"])
            if day is None:
                continue
            event = Event()
            event.add("uid", uid(action, code))
            event.add("dtstamp", stamp)
            changed = action.get("updated_at")
            if isinstance(changed, datetime):
                event.add("last-modified", changed if changed.tzinfo else changed.replace(tzinfo=UTC))
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", action["title"])
            event.add("description", description(action, axis["title"], table_names, lang))
            event.add("categories", [axis_title])
            event.add("transp", "TRANSPARENT")  # an échéance, not a meeting: nobody is busy
            cal.add_component(event)
    return cal.to_ical()


def csv_rows(plan, table_names, language="fr") -> list[list]:
    lang = language_of(language)
    words = WORDS[lang]
    out = []
    for axis in plan:
        for action in axis["actions"]:
            day = due_date(action["due"])
            out.append([
                action["title"], action["owner"], day.isoformat() if day else "",
                description(action, axis["title"], table_names, lang), axis["title"] or words["no_axis"],
                action["partners"], action["first_step"], action["indicator"],
                ", ".join(table_names.get(n, f"Table {n}") for n in action["tables"]),
                action["volunteers"],
            ])  # fmt: skip
    return out


def csv_text(plan, table_names, language="fr", delimiter=",") -> str:
    """The plan as a task tool imports it: one row an action, `CSV_HEADER`, the due date as ISO
    YYYY-MM-DD (a month's last day), UTF-8 with a BOM (Excel reads the accents), every text cell
    `spreadsheet_safe`. `delimiter` ";" for a spreadsheet in a French locale (`?excel=1`)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in csv_rows(plan, table_names, language):
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue()
