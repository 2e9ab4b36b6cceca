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
        f"{colon('Ont posté au moins une carte')} {fr_number(p['posted'])} personnes ({fr_percent(p['share_posted'])})",
        f"{colon('Cartes par personne')} {str(p['cards_per_person']).replace('.', ',')} en moyenne",
        f"{colon('Gommettes posées')} {fr_number(len(summary.frames.votes))}",
    ]


def family_title(family: str) -> str:
    return label(family)
