"""What the organiser may choose for a kit, and the agenda's clock times."""

import re
from dataclasses import dataclass, replace

from facilitator.errors import DomainError
from facilitator.kit.texts import default_rules, french_spacing
from facilitator.textsafety import clean_typed

POSTER_SIZES = ("a4", "a3", "both")
RULES_MAX = 3000
CONTACT_MAX = 200
START_PATTERN = re.compile(r"^\s*([01]?\d|2[0-3])\s*[:hH]\s*([0-5]\d)\s*$")


@dataclass(frozen=True)
class KitOptions:
    """`rules` None: the default rules in the workshop's language; `start` the agenda's first clock
    time, or blank: the agenda then shows times relative to a start written in by hand."""

    rules: str | None = None
    start: str = ""
    posters: str = "a4"
    contact: str = ""
    card_pages: int = 1

    def validated(self) -> "KitOptions":
        """Return these options as they will be printed (`clean_typed`), or refuse them with
        `invalid_payload` naming the field."""
        rules = clean_typed(self.rules, multiline=True) if self.rules is not None else None
        options = replace(self, rules=rules or None, contact=clean_typed(self.contact))
        return options._checked()

    def _checked(self) -> "KitOptions":
        if self.posters not in POSTER_SIZES:
            raise DomainError("invalid_payload", problem="posters must be a4, a3 or both")
        if str(self.start or "").strip():
            parse_start(self.start)
        if self.rules is not None and len(self.rules) > RULES_MAX:
            raise DomainError("invalid_payload", problem=f"rules has {RULES_MAX} characters at most")
        if len(self.contact) > CONTACT_MAX:
            raise DomainError("invalid_payload", problem=f"contact has {CONTACT_MAX} characters at most")
        if not 0 <= self.card_pages <= 20:
            raise DomainError("invalid_payload", problem="card_pages must be between 0 and 20")
        return self

    def rule_lines(self, language: str) -> list[str]:
        """Return the rules, one per non-blank line, without list marks people may have typed."""
        text = self.rules if self.rules and self.rules.strip() else default_rules(language)
        lines = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip() for line in text.splitlines()]
        return [french_spacing(line) if language == "fr" else line for line in lines if line]


def parse_start(text: str) -> int:
    """Return the minutes after midnight of '9:30', '09h30' or '9 h 30', or refuse."""
    match = START_PATTERN.match(str(text).replace(" ", "")) if text is not None else None
    if not match:
        raise DomainError("invalid_payload", problem="start must be a time such as 9:30")
    return int(match.group(1)) * 60 + int(match.group(2))


def clock(minutes: int, language: str) -> str:
    hours, mins = divmod(minutes % (24 * 60), 60)
    return f"{hours} h {mins:02d}" if language == "fr" else f"{hours}:{mins:02d}"


BLANK_START = "__ h __"


def elapsed(minutes: int, language: str) -> str:
    """Return '+15 min' or '+1 h 05' ('+1:05' in English): the time since the start."""
    hours, mins = divmod(minutes, 60)
    if not hours:
        return f"+{mins} min"
    return f"+{hours} h {mins:02d}" if language == "fr" else f"+{hours}:{mins:02d}"


def agenda_times(steps, start: str, language: str) -> list[tuple[str, str, int]]:
    """Return (time, title, minutes) for each step, one after the other from `start`.

    Without a start the sheet never guesses a clock time: the first row is a blank to fill in
    (« __ h __ ») and the others the time elapsed since it (« +15 min », « +1 h 05 »)."""
    known = bool(str(start or "").strip())
    first = parse_start(start) if known else 0
    at = first
    rows = []
    for step in steps:
        minutes = round(step.duration / 60)
        rows.append((_time(at, first, known, language), step.title, minutes))
        at += minutes
    rows.append((_time(at, first, known, language), "Fin" if language == "fr" else "End", 0))
    return rows


def _time(at: int, first: int, known: bool, language: str) -> str:
    if known:
        return clock(at, language)
    return BLANK_START if at == first else elapsed(at - first, language)
