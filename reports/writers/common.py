"""What the document formats share: the outline's pieces in the summary's language (reports.wording:
dates, numbers, typography, labels)."""

import re

from reports.wording import NNBSP, words

__all__ = ["NNBSP"]

# Characters XML 1.0 refuses: python-docx and python-pptx raise on them, so one would fail the file.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML refuses. reports/load.py already drops them from what the
    database holds; the DOCX and PPTX writers pass every text through this too, so that a text from
    anywhere else can never fail the document."""
    return NOT_XML.sub("", text)


def participation_lines(summary) -> list[str]:
    w = summary.wording
    p = summary.participation
    return [
        f"{w.colon(w('p_participants'))} "
        + w(
            "p_participants_value",
            n=w.number(p["participants"]),
            tables=w.plural(len(summary.by_group), "table"),
        ),
        f"{w.colon(w('p_cards'))} "
        + w(
            "p_cards_value",
            n=w.number(len(summary.cards)),
            phone=w.number(p["phone"]),
            paper=w.number(p["paper"]),
        ),
        f"{w.colon(w('p_posted'))} {w.plural(p['posted'], 'person')} ({w.percent(p['share_posted'])})",
        f"{w.colon(w('p_per_person'))} " + w("p_per_person_value", n=w.decimal(p["cards_per_person"])),
        f"{w.colon(w('p_dots'))} {dots_cast(summary)}",
    ]


def dots_cast(summary) -> str:
    """« 23 » or, with a plenary vote, « 23 (15 à la table, 8 en plénière) »; then the dots the
    référents cast for people without a phone, when there are: « …, dont 12 gommettes posées sur papier
    par les référents pour 3 participants sans téléphone »."""
    w = summary.wording
    total, plenary = len(summary.frames.votes), summary.plenary_dots
    if not plenary:
        said = w.number(total)
    else:
        said = w(
            "p_dots_split", n=w.number(total), table=w.number(total - plenary), plenary=w.number(plenary)
        )
    paper = paper_dots_sentence(summary)
    return f"{said}, {paper}" if paper else said


def paper_dots_sentence(summary) -> str:
    """« dont 12 gommettes posées sur papier par les référents pour 3 participants sans téléphone », or
    "" when no référent cast a dot for anyone (report.json: totals.votes_paper, participants_paper)."""
    w = summary.wording
    dots = sum(summary.paper_dots_by_group().values())
    if not dots:
        return ""
    people = int(summary.frames.participants["paper"].sum())
    return w("p_dots_paper", dots=w.plural(dots, "paper_dot"), people=w.plural(people, "paperless"))


def family_title(family: str, summary=None) -> str:
    """The family's label in the summary's language (French without a summary)."""
    return (summary.wording if summary is not None else words()).family(family)


THEMES_PER_FAMILY = 3  # cross-table themes named in a family's synthesis when it has no dots
CARDS_PER_THEME = 5  # cards shown under a theme; the others are in the annex (report.json has them all)


def representative(cards: list[dict], limit: int = CARDS_PER_THEME) -> list[dict]:
    """At most `limit` cards of a theme: one per table first (the most voted of each), then the others
    by dots; a stable choice, in the order they are shown."""
    ordered = sorted(cards, key=lambda c: -int(c.get("votes", 0)))
    seen, first, rest = set(), [], []
    for card in ordered:
        (rest if card["group"] in seen else first).append(card)
        seen.add(card["group"])
    return (first + rest)[:limit]


def more_cards(summary, rest: int, where: str = "appendix_short") -> str:
    w = summary.wording
    return w("more_cards", rest=w.plural(rest, "other_card"), where=w(where))


def family_themes(summary, family: str, limit: int = THEMES_PER_FAMILY) -> list[dict]:
    """The cross-table themes that speak for a family: its cards in each theme, the tables they come
    from (`provenance` counts only this family's cards), most tables first."""
    total = len(summary.by_group)
    found = []
    for theme in summary.synthesis:
        mine = [card for card in theme["cards"] if card["family"] == family]
        if not mine:
            continue
        tables = sorted({card["group"] for card in mine})
        found.append(
            {
                "title": theme["title"],
                "tables": tables,
                "provenance": summary.wording.provenance(len(tables), total),
                "cards": mine,
            }
        )
    found.sort(key=lambda t: (-len(t["tables"]), -len(t["cards"])))
    return found[:limit]


def family_digest(summary, family: str, cards: int = THEMES_PER_FAMILY) -> tuple[list[dict], list[dict]]:
    """What stands for a family nobody voted on: its main themes and a few representative cards (the
    most shared card of each theme, then the family's first cards)."""
    themes = family_themes(summary, family)
    chosen = [representative(theme["cards"], 1)[0] for theme in themes][:cards]
    if len(chosen) < cards:
        ids = {card["id"] for card in chosen}
        body = summary.body_cards  # a hidden card never stands for its family
        of_family = body[body["family"] == family].sort_values("seq", kind="stable")
        for card_id, group, text in zip(of_family["id"], of_family["group"], of_family["text"], strict=True):
            if len(chosen) >= cards:
                break
            if int(card_id) not in ids:
                chosen.append({"id": int(card_id), "group": int(group), "family": family, "text": text})
    return themes, chosen


def annex_text(summary, card) -> str:
    """A card's text as the annex shows it: a hidden (or still sealed) card marked as such."""
    if card["status"] == "hidden":
        return summary.wording("annex_hidden", text=card["text"])
    if card["withheld"]:
        return summary.wording("annex_sealed", text=card["text"])
    return card["text"]


def annex_texts(summary, cards) -> list:
    """`annex_text` of every row of `cards` (summary.annex_cards, in any order)."""
    return [
        annex_text(summary, {"status": s, "withheld": w, "text": x})
        for s, w, x in zip(cards["status"], cards["withheld"], cards["text"], strict=True)
    ]


def no_dots_sentence(summary) -> str:
    return summary.wording("no_dots_family" if len(summary.frames.votes) else "no_dots")


def essential_name(summary, essential) -> str:
    """An essential as the documents name it: its card's text, or « thème « … » » (a theme's dots are its
    own: its cards show none in the annex)."""
    w = summary.wording
    if essential["kind"] == "theme":
        return w("essential_theme", title=w.quoted(essential["text"]))
    return essential["text"]


def plenary_people(summary) -> int:
    """How many people cast at least one plenary dot."""
    votes = summary.frames.votes
    return int(votes[votes["stage"] == "plenary"]["participant_id"].nunique())
