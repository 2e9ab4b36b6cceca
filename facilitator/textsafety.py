"""Text that leaves the app in other formats: spreadsheet cells.

A card starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula by
Excel, LibreOffice or Google Sheets (CSV/formula injection, OWASP). Every spreadsheet or CSV writer
passes each cell through `spreadsheet_safe` (see docs/security.md).
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """Return `text` as a spreadsheet keeps it as text: a leading `'` when it could start a formula.

    Values that are not strings (numbers, None) are returned unchanged: a writer passes them on as
    numbers or empty cells.
    """
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
