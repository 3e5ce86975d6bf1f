"""The history's hash chain (§7.3): each row's `hash` is SHA-256 over the previous row's hash of the same
dispute (64 zeros for version 1) and the row's canonical content.

The canonical content is one line of JSON as orjson writes it (RFC 8259, UTF-8, no spaces, non-ASCII as it
is), an array in this fixed order:
`[dispute_id, version, at, kind, actor, party, summary, payload]`, where `at` is UTC with microseconds
(`2026-11-20T02:00:00.000000Z`) and `payload` is the stored payload text exactly as written (so no reader's
JSON formatting can change a hash). The hash is `sha256(previous_hex + "\\n" + canonical)`, hex.

This form is part of the stored data: every row written since revision 0011 is hashed by it, so it never
changes. The write path (`db/store.append_history`), the backfill of revision 0011 and `audit verify`
(`domain/replay.py`) all call `row_hash`.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Iterable, NamedTuple

import orjson

#: The "previous hash" of a dispute's first row (version 1).
GENESIS = "0" * 64
#: The payload key that holds what a replay needs (the feed event as applied, or the action with its
#: arguments and the actor's role); `show`'s timeline leaves it out (`without_replay`).
REPLAY_KEY = "replay"


class ChainRow(NamedTuple):
    """The hashed content of one history row."""

    dispute_id: str
    version: int
    at: datetime
    kind: str
    actor: str
    party: str | None
    summary: str
    payload: str  # the stored text


def canonical_time(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("a history time must carry its zone")
    if at.tzinfo is not timezone.utc:
        at = at.astimezone(timezone.utc)
    if at.year < 1000:  # strftime's %Y does not pad years below 1000 here; isoformat does: keep strftime's form
        return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # isoformat(timespec="microseconds") with "Z" for "+00:00", written by orjson (a fifth of the time), which
    # leaves out microseconds that are zero
    text = orjson.dumps(at, option=orjson.OPT_UTC_Z)
    return text[1:-1].decode() if at.microsecond else text[1:-2].decode() + ".000000Z"


def canonical(row: ChainRow) -> bytes:
    """The row's canonical content (module docstring)."""
    return orjson.dumps([row.dispute_id, row.version, canonical_time(row.at), row.kind, row.actor, row.party,
                         row.summary, row.payload])


def row_hash(previous: str, row: ChainRow) -> str:
    """The hash of `row`, chained to `previous` (the hash of the dispute's row before it, or GENESIS)."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(row)).hexdigest()


def chain(rows: Iterable[ChainRow], previous: str = GENESIS) -> list[str]:
    """The hashes of one dispute's consecutive rows, the first chained to `previous`."""
    out = []
    for row in rows:
        previous = row_hash(previous, row)
        out.append(previous)
    return out


def payload_text(payload: dict[str, object], replay: dict[str, object] | None) -> str:
    """The stored payload: the change's payload, with what a replay needs under REPLAY_KEY."""
    stored = dict(payload)
    if replay is not None:
        stored[REPLAY_KEY] = replay
    return json.dumps(stored, ensure_ascii=False, default=str)


def without_replay(payload: dict[str, object]) -> dict[str, object]:
    """A stored payload as the timeline shows it (the replay's record is the audit's, not the case's)."""
    if REPLAY_KEY not in payload:
        return payload
    return {key: value for key, value in payload.items() if key != REPLAY_KEY}
