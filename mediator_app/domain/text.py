"""Party and clerk text is data (issue 13): what counts as empty, and how it is shown on a terminal."""
from __future__ import annotations

import re
import unicodedata

#: Characters that show nothing though they are not whitespace to str.strip(): zero-width spaces and joiners,
#: the word joiner, the byte order mark, the Mongolian vowel separator, Hangul fillers and the blank Braille cell
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u3164\u115f\u1160\uffa0\u2800\u00ad")


def is_blank(text: str) -> bool:
    """True when `text` shows nothing: only whitespace (Unicode \\s), invisible characters and format or
    control characters."""
    first = text[:1]
    if first.isascii() and first.isalnum():  # nearly every text: shown at once (no per-character scan)
        return False
    return all(c.isspace() or c in INVISIBLE or unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp")
               for c in text)


# C0 and C1 controls (ESC, BEL, CR, backspace, CSI...), DEL, and the bidirectional overrides that reorder a line
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def for_terminal(text: str, keep_newlines: bool = False) -> str:
    """`text` safe to print: control characters written as escapes (`\\x1b` for ESC), so party text cannot
    retitle, clear or recolour a clerk's terminal or split a line; a tab stays. With `keep_newlines` a newline
    stays too (for a block the program laid out itself)."""
    def escape(match: re.Match[str]) -> str:
        c = match.group()
        if c == "\t" or (keep_newlines and c == "\n"):
            return c
        return _escape(match)

    return _TERMINAL_UNSAFE.sub(escape, text)
