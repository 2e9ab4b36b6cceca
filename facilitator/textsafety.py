"""Text that leaves the app in other formats: spreadsheet cells, and the log of a failed subprocess.

A card starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula by
Excel, LibreOffice or Google Sheets (CSV/formula injection, OWASP). Every spreadsheet or CSV writer
passes each cell through `spreadsheet_safe` (see docs/security.md).

A report or synthesis subprocess that fails logs only its `failure_outline`: the exception types and
code locations, never a message that could quote a card.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """Return `text` as a spreadsheet keeps it as text: a leading `'` when it could start a formula.

    Values that are not strings (numbers, None) are returned unchanged: a writer passes them on as
    numbers or empty cells.
    """
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


# --- Logs: what a failed report or synthesis subprocess may say (docs/security.md, issue 18 point 13) ---

_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)')
_RAISED = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::|$)")
_WARNED = re.compile(r"^(\S+):(\d+): (\w+Warning):")


def failure_outline(stderr: str, frames: int = 12) -> str:
    """The part of a failed subprocess's stderr that a log may keep: the exception types and where they
    were raised (`file:line in function`), never their messages nor any other line.

    A report's exception message can quote a card: matplotlib's mathtext error repeats the text it
    could not parse, openpyxl's IllegalCharacterError the whole cell, a font warning the emoji it lacks.
    Logs are kept longer, and read by more people, than the workshop's data."""
    kept = []
    for line in (stderr or "").splitlines():
        if found := _FRAME.match(line):
            kept.append(f"{found[1]}:{found[2]} in {found[3]}")
        elif found := _WARNED.match(line):
            kept.append(f"{found[3]} at {found[1]}:{found[2]}")
        elif found := _RAISED.match(line):
            kept.append(found[1])
    return " > ".join(kept[-frames:]) or "no traceback"
