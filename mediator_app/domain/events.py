"""Feed events (§2): the common fields, parsed and checked before any rule is judged."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import Rejection
from .text import is_blank
from .time import parse_time

#: Event type -> the parties that may send it.
SENDERS: dict[str, tuple[str, ...]] = {
    "dispute.opened": ("buyer",),
    "proposal.posted": ("buyer", "seller"),
    "proposal.withdrawn": ("buyer", "seller"),
    "proposal.accepted": ("buyer", "seller"),
    "proposal.rejected": ("buyer", "seller"),
    "dispute.escalated": ("buyer", "seller"),
    "dispute.cancelled": ("buyer",),
    "evidence.added": ("buyer", "seller"),
    "message.posted": ("buyer", "seller"),
    "return.shipped": ("buyer",),
    "return.received": ("seller",),
}


@dataclass(frozen=True, init=False)
class FeedEvent:
    """One feed line as the rules read it (`__init__` fills the instance's dict at once, as `transitions.Change`
    does: one is made for every line ingested and every feed row `audit verify` replays)."""

    event_id: str
    type: str
    at: datetime
    dispute_id: str
    party: str
    data: dict[str, Any]
    #: set only by a replay (`domain.replay`): an evidence event's (sha256, size) as recorded when it was applied;
    #: the record keeps no content (the bytes are in the evidence table), so the rules take these instead
    recorded_content: tuple[str, int] | None = None

    def __init__(self, event_id: str, type: str, at: datetime, dispute_id: str, party: str, data: dict[str, Any],
                 recorded_content: tuple[str, int] | None = None) -> None:
        self.__dict__.update(event_id=event_id, type=type, at=at, dispute_id=dispute_id, party=party, data=data,
                             recorded_content=recorded_content)


#: What a feed line carries that its replay record leaves out: the evidence bytes (kept apart, named by sha256)
NOT_RECORDED = ("content_base64",)


def event_record(ev: FeedEvent) -> dict[str, Any]:
    """The feed line as applied, for the history's replay record (§7.3): every field but the evidence bytes."""
    if ev.data.keys().isdisjoint(NOT_RECORDED):
        return ev.data  # the rules never change an event's data: shared, not copied
    return {key: value for key, value in ev.data.items() if key not in NOT_RECORDED}


#: Longest accepted text per field (what the database columns hold); anything else is capped by TEXT_LIMIT.
LIMITS = {"event_id": 128, "dispute_id": 64, "order_id": 64, "buyer_id": 64, "seller_id": 64, "reason": 64,
          "proposal_id": 64, "filename": 255, "tracking_number": 128, "sha256": 64}
TEXT_LIMIT = 4000


def require_text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or is_blank(value):
        raise Rejection(f"{key} is missing or not a non-empty string")
    limit = LIMITS.get(key, TEXT_LIMIT)
    if len(value) > limit:
        raise Rejection(f"{key} is {len(value)} characters long, above the limit of {limit}")
    return value


def optional_text(data: dict[str, Any], key: str) -> str | None:
    """An optional free-text field: absent, null or a string (at most TEXT_LIMIT characters)."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Rejection(f"{key} must be text")
    if len(value) > TEXT_LIMIT:
        raise Rejection(f"{key} is {len(value)} characters long, above the limit of {TEXT_LIMIT}")
    return value


#: A JSON escape of a UTF-16 surrogate: a lone one decodes to a code point that is not a character
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class LineRejection(Rejection):
    """A line refused after it was read as an object: `obj` still names its event_id and dispute_id."""

    def __init__(self, reason: str, obj: dict[str, Any] | None) -> None:
        super().__init__(reason)
        self.obj = obj


#: Python's own cap on the digits of an integer it converts from text (sys.int_info.default_max_str_digits)
INT_DIGITS_LIMIT = 4300


class _Strict:
    """Hooks for `json.loads` that keep what RFC 8259 refuses (NaN, Infinity, duplicate keys, an integer too long
    to convert) as problems naming the key, so the line is rejected for the first of them with its event_id."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.found: list[_NotJson] = []  # every refused value, wherever it sits (a list in a list, say)

    def constant(self, name: str) -> Any:
        self.found.append(_NotJson(f"{name} is not a JSON value (RFC 8259)"))
        return self.found[-1]

    def integer(self, digits: str) -> Any:
        if len(digits.lstrip("-")) > INT_DIGITS_LIMIT:
            self.found.append(_NotJson(f"an integer of {len(digits.lstrip('-'))} digits is above the limit of "
                                       f"{INT_DIGITS_LIMIT}"))
            return self.found[-1]
        return int(digits)

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):  # a key twice: keep the first value, name the key
            out = {}
            for key, value in pairs:
                if key in out:
                    self.problems.append(f"the key {key!r} appears more than once in an object")
                else:
                    out[key] = value
        if self.found:  # name the key that holds a refused value
            for key, value in pairs:
                if isinstance(value, _NotJson) or (isinstance(value, list)
                                                   and any(isinstance(v, _NotJson) for v in value)):
                    what = value.what if isinstance(value, _NotJson) else next(
                        v.what for v in value if isinstance(v, _NotJson))
                    self.problems.append(f"{what} (in {key!r})")
        return out


class _NotJson:
    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what


def parse_line(line: str | bytes) -> dict[str, Any]:
    """One JSON Lines line (text, or bytes as read from a file: UTF-8) -> an object; anything else is a rejection.

    Strict JSON (decision 70): NaN, Infinity and -Infinity are refused, and so is a key that appears twice in
    one object (readers disagree on which value wins); the first value of a duplicated key is kept in the object
    only to report the line's event_id."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Rejection(_decode_error_text(exc)) from None
    if "\x00" in line or "\\u0000" in line:
        raise Rejection("the line contains a NUL character, which no field may hold")
    strict = _Strict()
    try:
        obj = json.loads(line, object_pairs_hook=strict.pairs, parse_constant=strict.constant,
                         parse_int=strict.integer)
    except json.JSONDecodeError as exc:
        raise Rejection(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except UnicodeDecodeError as exc:  # has no .msg/.colno: its own words
        raise Rejection(_decode_error_text(exc)) from None
    except RecursionError:
        raise Rejection("not valid JSON: nested too deeply") from None
    if isinstance(obj, _NotJson):
        raise Rejection(f"not valid JSON: {obj.what}")
    if not isinstance(obj, dict):
        raise Rejection("a feed line must be a JSON object")
    if strict.found and not strict.problems:
        strict.problems.append(strict.found[0].what)
    if strict.problems:
        raise LineRejection(f"not valid JSON: {strict.problems[0]}", obj)
    if _SURROGATE_ESCAPE.search(line) and _holds_lone_surrogate(obj):
        raise Rejection("the line holds a lone UTF-16 surrogate escape (such as \\ud800), which is not a character")
    return obj


def _decode_error_text(exc: UnicodeDecodeError) -> str:
    """A UnicodeDecodeError in words (it has `reason` and `start`, a byte offset, not `msg`/`colno`)."""
    return f"not valid UTF-8: {exc.reason} at byte {exc.start + 1}"


def _holds_lone_surrogate(obj: Any) -> bool:
    """Whether a decoded JSON value holds a code point no UTF-8 text can carry (a pair decodes to one character)."""
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def event_id_of(obj: dict[str, Any]) -> str | None:
    value = obj.get("event_id")
    return value if isinstance(value, str) and value.strip() else None


def parse_event(obj: dict[str, Any]) -> FeedEvent:
    """The common fields of every event, and who may send it."""
    event_id = require_text(obj, "event_id")
    kind = obj.get("type")
    if not isinstance(kind, str) or kind not in SENDERS:
        raise Rejection(f"unknown event type {kind!r}")
    at = parse_time(obj.get("at"), "at")
    dispute_id = require_text(obj, "dispute_id")
    allowed = SENDERS[kind]
    if kind == "dispute.opened":
        party = obj.get("party", "buyer")
    else:
        party = obj.get("party")
        if party is None:
            raise Rejection(f"{kind} needs a party ({' or '.join(allowed)})")
    if not isinstance(party, str) or party not in allowed:
        raise Rejection(f"party {party!r} may not send {kind} (only {' or '.join(allowed)})")
    return FeedEvent(event_id, kind, at, dispute_id, party, obj)
