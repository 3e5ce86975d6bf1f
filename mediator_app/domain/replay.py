"""`audit verify`'s judgement of one dispute (§7.3): its hash chain, its versions, and its stored state against
the replay of its history through the rules.

The replay is the rules' own: a feed row is judged again by `feed_rules.open_dispute` / `judge.judge_event`
from the feed line its payload recorded, an action row by `judge.judge_action` with the action, its arguments
and the role its actor had (`actions.acted`), and an executed clock by `transitions.execute_expiries` up to its
time. Every change the replay makes must equal the stored row (kind, time, party, actor, summary, payload), and
the last state must equal the stored one. Deterministic: nothing here reads a clock or the database.

A dispute whose first row carries no replay record was written before revision 0011 (decision 140): its hashes
and versions are checked, its state is not replayed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

import orjson

from . import actions
from .audit_chain import GENESIS, REPLAY_KEY, ChainRow, payload_text, row_hash
from .dispute import DisputeState
from .errors import Rejection
from .events import parse_event
from .feed_rules import open_dispute
from .judge import judge_action, judge_event
from .permissions import Actor
from .policy import get_policy
from .transitions import Change, execute_expiries


class StoredRow:
    """One history row as stored: its hashed content and its hash (None: a row without one). A plain class with
    slots (a frozen dataclass's `__init__` and a `cached_property` cost more than the hash of a short row)."""

    __slots__ = ("content", "hash", "_payload")

    def __init__(self, content: ChainRow, hash: str | None) -> None:
        self.content = content
        self.hash = hash
        self._payload: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"StoredRow({self.content!r}, {self.hash!r})"

    @property
    def version(self) -> int:
        return self.content.version

    @property
    def payload(self) -> dict[str, Any]:
        """The stored payload, parsed once."""
        if self._payload is None:
            self._payload = parse_payload(self.content.payload)
        return self._payload


def parse_payload(text: str) -> dict[str, Any]:
    """A stored payload's JSON text as an object ({} for any other JSON value); ValueError when it is no JSON."""
    try:
        value = orjson.loads(text)  # the same values as json.loads, ~5x faster
    except orjson.JSONDecodeError:  # what orjson refuses and json reads (NaN, lone surrogates)
        value = json.loads(text)
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Problem:
    dispute_id: str
    version: int
    problem: str

    def to_json(self) -> dict[str, Any]:
        return {"dispute_id": self.dispute_id, "version": self.version, "problem": self.problem}


Step = Callable[[DisputeState, Actor, datetime], "tuple[DisputeState, Change | None]"]
Arguments = Mapping[str, Any]

#: action name (as `actions.acted` records it) -> the step it replays, from its recorded arguments
ACTIONS: dict[str, Callable[[Arguments], Step]] = {
    "propose": lambda a: lambda s, who, at: actions.propose(s, who, at, a["remedy"], a["amount"],
                                                            a["return_shipping_paid_by"], a["note"]),
    "rule": lambda a: lambda s, who, at: actions.rule(s, who, at, a["adopt"], a["note"]),
    "approve": lambda a: actions.approve,
    "send-back": lambda a: lambda s, who, at: actions.send_back(s, who, at, a["note"]),
    "note": lambda a: lambda s, who, at: actions.add_note(s, who, at, a["text"]),
    "claim": lambda a: lambda s, who, at: actions.claim(s, who, at, take_over=a["take_over"]),
    "assign": lambda a: lambda s, who, at: actions.assign(s, who, at, Actor(a["to"], a["to_role"])),
    "release": lambda a: actions.release,
}


def check_chain(dispute_id: str, rows: Sequence[StoredRow], stored_version: int | None) -> list[Problem]:
    """Hashes and versions: each row's hash over the stored hash of the row before it; every version from 1
    to the dispute's stored version present (rows in version order)."""
    problems: list[Problem] = []
    expected = 1
    previous_known: str | None = GENESIS
    for row in rows:
        if row.version > expected:
            problems.extend(Problem(dispute_id, v, f"version {v} is missing from the history (a row was deleted)")
                            for v in range(expected, row.version))
            previous_known = None  # what the row chains to is gone: its own hash cannot be judged
        if row.hash is None:
            problems.append(Problem(dispute_id, row.version, "the history row has no hash"))
        elif previous_known is not None and row_hash(previous_known, row.content) != row.hash:
            problems.append(Problem(dispute_id, row.version,
                                    "the history row does not match its hash (its content was changed)"))
        previous_known, expected = row.hash, row.version + 1
    for v in range(expected, (stored_version or 0) + 1):
        problems.append(Problem(dispute_id, v, f"version {v} is missing from the history (a row was deleted)"))
    return problems


#: REPLAY_KEY as a JSON text spells it when no character of it is escaped
_RECORD_KEY = f'"{REPLAY_KEY}"'


def replay_record(text: str, parsed: Callable[[], dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The replay record a stored payload (its JSON text) holds; None for a row written before revision 0011.
    `parsed`: the payload already parsed, when the caller has it. ValueError for a payload that is no JSON."""
    if _RECORD_KEY not in text and "\\" not in text:
        return None  # a JSON text that neither spells the key nor escapes any character has no such key
    value = (parsed() if parsed is not None else parse_payload(text)).get(REPLAY_KEY)
    return value if isinstance(value, dict) else None


def _record(row: StoredRow) -> dict[str, Any] | None:
    return replay_record(row.content.payload, lambda: row.payload)


def is_replayable(rows: Sequence[StoredRow]) -> bool:
    """Whether the history starts with a replay record (written since revision 0011)."""
    return bool(rows) and rows[0].version == 1 and _record(rows[0]) is not None


class _Refused(Exception):
    def __init__(self, version: int, problem: str) -> None:
        super().__init__(problem)
        self.version, self.problem = version, problem


def _judge(state: DisputeState | None, row: StoredRow) -> list[Change]:
    """The changes the rules make for a row that starts a step of its own (a feed line, an action, a clock)."""
    content = row.content
    if content.kind == "clock.expired":
        if state is None:
            raise _Refused(row.version, "the history starts with an executed clock")
        _, executed = execute_expiries(state, get_policy(state.policy), content.at)
        if not executed:
            raise _Refused(row.version, "on replay no clock is due at this row's time")
        return executed
    record = _record(row)
    if record is None:
        raise _Refused(row.version, "the history row carries no replay record")
    if "event" in record:
        ev = parse_event(record["event"])
        if ev.type == "evidence.added":  # the bytes are kept apart: the rules take what was recorded of them
            ev = replace(ev, recorded_content=(str(row.payload.get("sha256")), int(row.payload.get("size", 0))))
        if state is None:
            return [open_dispute(ev)[1]]
        judgement = judge_event(state, ev)
    else:
        if state is None:
            raise _Refused(row.version, "the history starts with an action")
        make = ACTIONS.get(str(record.get("action")))
        if make is None:
            raise _Refused(row.version, f"unknown action {record.get('action')!r} in the replay record")
        step = make(record.get("arguments") or {})
        actor = Actor(content.actor, str(record.get("role")))
        judgement = judge_action(state, content.at, lambda s: step(s, actor, content.at))
    if judgement.rejection is not None:
        raise _Refused(row.version, f"the rules refuse it on replay: {judgement.rejection}")
    return judgement.changes


def _differences(change: Change, row: StoredRow) -> list[str]:
    content = row.content
    out = [name for name, mine, theirs in (
        ("version", change.version_after, content.version), ("kind", change.kind, content.kind),
        ("at", change.at, content.at), ("party", change.party, content.party),
        ("actor", change.actor, content.actor), ("summary", change.summary, content.summary)) if mine != theirs]
    mine = dict(change.payload)
    if change.replay is not None:
        mine[REPLAY_KEY] = change.replay
    if mine != row.payload and json.loads(payload_text(change.payload, change.replay)) != row.payload:
        out.append("payload")  # (the second form: a value the stored JSON holds as text, e.g. a Decimal)
    return out


def replay(dispute_id: str, rows: Sequence[StoredRow],
           start: DisputeState | None = None) -> tuple[DisputeState | None, list[Problem]]:
    """The state the history replays to (None when it cannot be replayed to its end) and what went wrong;
    from `start` (a baseline's state, whose version the first row follows) or from nothing (the first row opens
    the dispute)."""
    state: DisputeState | None = start
    produced: list[Change] = []
    try:
        for row in rows:
            if state is not None and row.version != state.version + 1:
                return None, []  # a gap: reported by check_chain; the replay cannot go on
            if not produced:
                produced = _judge(state, row)
            change = produced.pop(0)
            differs = _differences(change, row)
            if differs:
                return None, [Problem(dispute_id, row.version,
                                      f"the history row differs from its replay ({', '.join(differs)})")]
            assert change.after is not None
            state = change.after
    except _Refused as refused:
        return None, [Problem(dispute_id, refused.version, refused.problem)]
    except (Rejection, KeyError, TypeError, ValueError) as exc:  # a record the rules cannot read
        version = rows[0].version if state is None else state.version + 1
        return None, [Problem(dispute_id, version, f"the replay record cannot be replayed: {exc}")]
    return state, []


@dataclass(frozen=True)
class Verdict:
    problems: list[Problem]
    replayed: DisputeState | None  # the state the history replays to, when it could be replayed to its end


@dataclass(frozen=True)
class Baseline:
    """A dispute's stored row as it was before its first change since revision 0017 (decision 269): the rows
    after `version` replay from `state` (its JSON text) when the history itself starts without replay records."""
    version: int
    state: str


def verify(dispute_id: str, rows: Sequence[StoredRow], stored_state: Mapping[str, Any] | str | None,
           stored_version: int | None, baseline: Baseline | None = None) -> Verdict:
    """Every problem of one dispute: its chain and versions, then its replay against the stored state (the
    state's JSON, parsed or as stored text): from its first row, or, for a history that starts without replay
    records (before revision 0011), from its `baseline` (without one, such a history is not replayed)."""
    problems = check_chain(dispute_id, rows, stored_version)
    if stored_state is None:
        problems.append(Problem(dispute_id, rows[-1].version if rows else 0, "the dispute's row is missing"))
        return Verdict(problems, None)
    if any(p.problem.startswith("version ") for p in problems):
        return Verdict(problems, None)
    if is_replayable(rows):
        replayed, refused = replay(dispute_id, rows)
    elif baseline is not None:
        replayed, refused = _from_baseline(dispute_id, rows, baseline)
    else:
        return Verdict(problems, None)
    problems.extend(refused)
    if replayed is not None:
        differs = state_differences(stored_state, replayed.to_json())
        if differs:
            problems.append(Problem(dispute_id, int(stored_version or 0),
                                    "the stored state differs from the replay of its history "
                                    f"({', '.join(differs)})"))
    return Verdict(problems, replayed)


def _from_baseline(dispute_id: str, rows: Sequence[StoredRow],
                   baseline: Baseline) -> tuple[DisputeState | None, list[Problem]]:
    """The replay of the rows after the baseline's version, from its state (itself, when none follows)."""
    try:
        start = DisputeState.from_json(orjson.loads(baseline.state))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, Rejection) as exc:
        return None, [Problem(dispute_id, baseline.version, f"the replay baseline cannot be read: {exc}")]
    if start.version != baseline.version:
        return None, [Problem(dispute_id, baseline.version,
                              f"the replay baseline's state is at version {start.version}, not {baseline.version}")]
    return replay(dispute_id, [row for row in rows if row.version > baseline.version], start)


def state_differences(stored: Mapping[str, Any] | str, mine: dict[str, Any]) -> list[str]:
    """The keys whose values differ between a stored state and the replayed one's JSON form. Stored text that
    is, byte for byte, what the write path makes of the replayed state (`orjson.dumps(state.to_json())`) is
    equal without being parsed; any other text is parsed and compared key by key (a state written in another
    JSON form)."""
    if isinstance(stored, str):
        if orjson.dumps(mine) == stored.encode():
            return []
        parsed = orjson.loads(stored)
        stored = parsed if isinstance(parsed, dict) else {}  # not an object: every key differs
    return sorted(key for key in set(stored) | set(mine) if stored.get(key) != mine.get(key))
