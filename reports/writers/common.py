"""What the document formats share: French dates, numbers and labels, the outline of the compte rendu."""

from datetime import datetime

from reports.charts import label

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]  # fmt: skip
NNBSP = "\u202f"  # narrow no-break space: before « : ; ! ? % » and between thousands in French


def fr_date(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[moment.month - 1]} {moment.year}"


def fr_number(value) -> str:
    return f"{int(value):,}".replace(",", NNBSP)


def fr_percent(share: float) -> str:
    return f"{round(share * 100)}{NNBSP}%"


def quoted(text: str) -> str:
    return f"«{NNBSP}{text}{NNBSP}»"


def colon(label_text: str) -> str:
    """`Participants :` with the narrow no-break space French puts before a colon."""
    return f"{label_text}{NNBSP}:"


def plural(n: int, one: str, many: str) -> str:
    return f"{fr_number(n)} {one if n in (0, 1) else many}"


def participation_lines(summary) -> list[str]:
    p = summary.participation
    return [
        f"{colon('Participants')} {fr_number(p['participants'])}, répartis en {plural(len(summary.by_group), 'table', 'tables')}",
        f"{colon('Cartes')} {fr_number(len(summary.cards))} ({fr_number(p['phone'])} au téléphone, "
        f"{fr_number(p['paper'])} sur papier)",
        f"{colon('Ont posté au moins une carte')} {plural(p['posted'], 'personne', 'personnes')} ({fr_percent(p['share_posted'])})",
        f"{colon('Cartes par personne')} {str(p['cards_per_person']).replace('.', ',')} en moyenne",
        f"{colon('Gommettes posées')} {fr_number(len(summary.frames.votes))}",
    ]


def family_title(family: str) -> str:
    return label(family)


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


def more_cards(rest: int, where: str = "annexe") -> str:
    return f"… et {plural(rest, 'autre carte', 'autres cartes')} ({where})"


def family_themes(summary, family: str, limit: int = THEMES_PER_FAMILY) -> list[dict]:
    """The cross-table themes that speak for a family: its cards in each theme, the tables they come
    from (`provenance` counts only this family's cards), most tables first."""
    from reports.synthesis import provenance

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
                "provenance": provenance(len(tables), total),
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
        of_family = summary.cards[summary.cards["family"] == family].sort_values("seq", kind="stable")
        for card_id, group, text in zip(of_family["id"], of_family["group"], of_family["text"], strict=True):
            if len(chosen) >= cards:
                break
            if int(card_id) not in ids:
                chosen.append({"id": int(card_id), "group": int(group), "family": family, "text": text})
    return themes, chosen


def no_dots_sentence(summary) -> str:
    if len(summary.frames.votes):
        return "Aucune gommette n’a été posée sur les cartes de cette famille."
    return "Aucune gommette n’a été posée pendant l’atelier."
