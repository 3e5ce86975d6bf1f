"""What a user name may be (§7.1): the one home of the rule.

A name is 1–63 characters: a lower-case letter, then lower-case letters, digits, `.`, `_` or `-`. What a person
types is taken through NFKC and lower-cased first (`ＡＬＩＣＥ` and `ALICE` are `alice`); anything else (a space,
a control or zero-width character, a letter outside a–z) is refused with the rule, so no two users look alike
and every name is also a PostgreSQL login that needs no quoting.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Final, Iterable

from .errors import Rejection

NAME_LIMIT: Final = 63
RULE: Final = ("a user name is 1 to 63 characters: a lower-case letter (a-z), then lower-case letters, digits, "
               "'.', '_' or '-'")
_NAME: Final = re.compile(r"[a-z][a-z0-9._-]{0,62}")
#: Actors the history names that are not users (domain.transitions.Change.actor): never a user's name
RESERVED: Final = frozenset({"feed", "sweeper"})


def normalise(typed: str) -> str:
    """The name as stored: NFKC, then lower-case (not yet checked)."""
    return unicodedata.normalize("NFKC", typed).lower()


def look_alike_key(name: str) -> str:
    """What a stored name looks like to a person: NFKC, case-folded, without whitespace, control or format
    (zero-width) characters. Two users with the same key look alike (names stored before revision 0010 were not
    checked, so `Alice`, ` alice` or `alice\u200b` may be stored beside a new `alice`)."""
    return "".join(c for c in unicodedata.normalize("NFKC", name).casefold()
                   if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp"))


def look_alike(stored: str, existing: Iterable[str]) -> str | None:
    """The first of `existing` (other than `stored` itself) that looks like `stored`, if any."""
    key = look_alike_key(stored)
    return next((name for name in existing if name != stored and look_alike_key(name) == key), None)


def check_user_name(typed: str) -> str:
    """The stored form of a new user's name, or a Rejection that states the rule (and shows what was typed,
    escaped, so an invisible character can be seen)."""
    name = normalise(typed)
    if _NAME.fullmatch(name) is None:
        raise Rejection(f"{RULE} (got {typed!r})")
    if name in RESERVED:
        raise Rejection(f"{name!r} is the history's name for the {name}, not a user's")
    return name


def is_user_name(text: str) -> bool:
    """Whether `text` is already a name in its stored form."""
    return _NAME.fullmatch(text) is not None and text not in RESERVED
