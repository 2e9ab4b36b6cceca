"""Text that people type, as it is stored, and text that leaves the app: spreadsheet cells, and the
log of a failed subprocess.

A card starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula by
Excel, LibreOffice or Google Sheets (CSV/formula injection, OWASP). Every spreadsheet or CSV writer
passes each cell through `spreadsheet_safe` (see docs/security.md).

Text that enters the app: what people type is stored as `clean_typed` leaves it (below).
A report or synthesis subprocess that fails logs only its `failure_outline`: the exception types and
code locations, never a message that could quote a card.
"""

import re
import unicodedata

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


# --- What people type: one rule for every human-typed string ----------------------------------------------
#
# Cards, edits, theme titles, first names, organisation types, workshop titles and questions, table names,
# agenda steps, the kit's rules and contact all pass through `clean_typed` (schemas.py runs it on every
# text field of a payload; the domain functions run it again for the organiser's forms, the CLI and the
# demo, which build no payload). Control and format characters are dropped: a NUL byte (PostgreSQL
# refuses it, spreadsheets too), bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069: "gpj.exe"
# shown as "exe.jpg"), zero-width spaces, lone surrogates (SQLite cannot encode them). Kept: the
# zero-width (non-)joiners that emoji sequences (👩‍💻, 🏳️‍🌈) and some scripts need, the tag characters of
# subdivision flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿), and line breaks (as "\n") in multi-line fields.

KEPT_FORMAT_CHARACTERS = frozenset("\t\u200c\u200d" + "".join(chr(c) for c in range(0xE0020, 0xE0080)))
# Letters that draw nothing (Hangul fillers, the blank Braille pattern): text made of them alone is empty.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def without_hidden_characters(text: str, keep: str = "") -> str:
    """`text` less its control, format and bidi characters (but the joiners, tags and tab above, and
    `keep`). `clean_typed` runs it line by line; the compte rendu (reports/load.py) runs it keeping
    line breaks on what an older database may still hold."""
    return "".join(
        ch for ch in text if ch in KEPT_FORMAT_CHARACTERS or ch in keep or unicodedata.category(ch)[0] != "C"
    )


def printable(text):
    """`text` as every document can hold it: control and format characters dropped (NUL and `\\x01`
    make python-docx, python-pptx and openpyxl raise; U+202E would reverse the words that follow it).

    Today's text rules refuse them on the way in; a database written before may still hold them, and
    a report never fails on what a card says. Anything that is not a string is returned unchanged."""
    if not isinstance(text, str) or text.isprintable():
        return text
    return without_hidden_characters(text, keep="\n")


def visible(text: str) -> bool:
    """True when `text` shows something: not only spaces, joiners and blank letters."""
    return any(
        not ch.isspace() and ch not in KEPT_FORMAT_CHARACTERS and ch not in BLANK_LETTERS for ch in text
    )


def clean_typed(text, *, multiline: bool = False) -> str:
    """Return what a person typed as it is stored, or "" when nothing visible is left.

    NFC; control, format and bidi characters dropped; one line: spaces tidied to single spaces;
    multi-line: each line trimmed, line breaks kept as "\\n". The caller refuses "" when the field is
    required (each with its own error: `empty_text`, `empty_title`, `invalid_payload`) and checks
    the length on the result.
    """
    text = "" if text is None else str(text)
    if multiline:
        # Line breaks first (\r\n, \r, U+2028…), then what each line keeps.
        text = "\n".join(without_hidden_characters(line).strip() for line in text.splitlines()).strip()
    else:
        text = " ".join(" ".join(without_hidden_characters(line) for line in text.splitlines()).split())
    text = unicodedata.normalize("NFC", text)
    return text if visible(text) else ""
