"""Emoji in the printed documents (PDF and charts).

DejaVu, the documents' font, has the smileys but not 👍 🌊 🚀: reportlab and matplotlib drew those as
empty boxes. Debian's colour emoji font (Noto Color Emoji) is a bitmap font neither library can use,
so the documents fall back, character by character, on Symbola (fonts-symbola, monochrome, every
emoji up to Unicode 10). What neither font has is spelled out, « [thumbs up sign] », never a box.
The characters that only shape an emoji in a colour font — variation selectors, the zero-width
joiner, skin tones — are dropped: 👩🏽‍🔬 prints 👩🔬. DOCX, PPTX and HTML keep every character as typed:
Word, PowerPoint, LibreOffice and browsers pick an emoji font themselves.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

SYMBOL_FONT_FILES = (
    Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),  # Debian's fonts-symbola
    Path("/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf"),
    Path("/usr/share/fonts/TTF/Symbola.ttf"),
    Path("/usr/share/fonts/gdouros-symbola/Symbola.ttf"),
)
SHAPING = re.compile("[\ufe0e\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")


@cache
def symbol_font() -> Path | None:
    """Symbola's file, or None when it is not installed (then what DejaVu lacks is spelled out)."""
    return next((path for path in SYMBOL_FONT_FILES if path.exists()), None)


def spelled(char: str) -> str:
    """A character no font of ours has, as words: « [thumbs up sign] »."""
    name = unicodedata.name(char, "")
    return f"[{name.lower()}]" if name else ""


def runs(text: str, main, symbols) -> list[tuple[bool, str]]:
    """`text` as consecutive pieces `(in_symbol_font, piece)`: what `main(codepoint)` says the
    document's font has stays in it, what only `symbols(codepoint)` has goes to Symbola, the rest is
    spelled out in the document's font; shaping characters are dropped."""
    out: list[tuple[bool, str]] = []
    for char in SHAPING.sub("", text):
        code = ord(char)
        if main(code) or char in "\n\t":
            piece, symbol = char, False
        elif symbols(code):
            piece, symbol = char, True
        else:
            piece, symbol = spelled(char), False
        if out and out[-1][0] == symbol:
            out[-1] = (symbol, out[-1][1] + piece)
        elif piece:
            out.append((symbol, piece))
    return out


def needs_fallback(text: str, main) -> bool:
    """Whether `text` has a character the document's font lacks (most texts: no, and stay as they are)."""
    return any(not main(ord(char)) and char not in "\n\t" for char in text)
