"""Feed events (§2): the common fields, parsed and checked before any rule is judged."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import Rejection
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


@dataclass(frozen=True)
class FeedEvent:
    event_id: str
    type: str
    at: datetime
    dispute_id: str
    party: str
    data: dict[str, Any]


#: Longest accepted text per field (what the database columns hold); anything else is capped by TEXT_LIMIT.
LIMITS = {"event_id": 128, "dispute_id": 64, "order_id": 64, "buyer_id": 64, "seller_id": 64, "reason": 64,
          "proposal_id": 64, "filename": 255, "tracking_number": 128, "sha256": 64}
TEXT_LIMIT = 4000


def require_text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
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


def parse_line(line: str | bytes) -> dict[str, Any]:
    """One JSON Lines line (text, or bytes as read from a file: UTF-8) -> an object; anything else is a rejection."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Rejection(_decode_error_text(exc)) from None
    if "\x00" in line or "\\u0000" in line:
        raise Rejection("the line contains a NUL character, which no field may hold")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise Rejection(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except UnicodeDecodeError as exc:  # has no .msg/.colno: its own words
        raise Rejection(_decode_error_text(exc)) from None
    except RecursionError:
        raise Rejection("not valid JSON: nested too deeply") from None
    if not isinstance(obj, dict):
        raise Rejection("a feed line must be a JSON object")
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
