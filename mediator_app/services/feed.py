"""Ingest the marketplace's event feed: idempotent by event_id, in file order, each bad line kept with its reason."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import Connection

from mediator_app.db import store
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.events import FeedEvent, event_id_of, parse_event, parse_line
from mediator_app.domain.feed_rules import open_dispute
from mediator_app.domain.judge import judge_event
from mediator_app.domain.policy import get_policy
from mediator_app.domain.transitions import execute_expiries
from mediator_app.domain.time import format_utc
from mediator_app.domain.transitions import Change

from .context import Context, with_retries

CHUNK_LINES = 1000


@dataclass
class IngestReport:
    applied: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    executed: list[dict[str, Any]] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        self.applied += other.applied
        self.duplicates += other.duplicates
        self.rejected.extend(other.rejected)
        self.executed.extend(other.executed)

    def to_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "duplicates": self.duplicates, "rejected": self.rejected,
                "executed": self.executed}


def executed_json(dispute_id: str, change: Change) -> dict[str, Any]:
    """One entry of `executed` (§4): the clock and what it decided."""
    out: dict[str, Any] = {"dispute_id": dispute_id, "clock": change.payload.get("clock"), "at": format_utc(change.at)}
    if "reached_type" in change.payload:
        out["reached_type"] = change.payload["reached_type"]
        out["adopted"] = change.payload.get("adopted")
    if "return_status" in change.payload:
        out["return_status"] = change.payload["return_status"]
    return out


def numbered_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number from 1, content) for every non-blank line; blank lines keep their place.

    Lines end at LF (a CR before it is dropped); a UTF-8 byte order mark at the start is skipped.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        if raw.strip():
            yield number, raw


def ingest_bytes(ctx: Context, data: bytes, source: str) -> IngestReport:
    return ingest_lines(ctx, numbered_lines(data), source)


def numbered_events(events: Iterable[dict[str, Any]]) -> Iterator[tuple[int, bytes]]:
    """Event objects as numbered feed lines, so generated events take exactly the path of a file."""
    for number, event in enumerate(events, start=1):
        yield number, json.dumps(event, ensure_ascii=False).encode()


def ingest_events(ctx: Context, events: Iterable[dict[str, Any]], source: str = "events") -> IngestReport:
    return ingest_lines(ctx, numbered_events(events), source)


def ingest_lines(ctx: Context, lines: Iterable[tuple[int, bytes]], source: str,
                 chunk_lines: int = CHUNK_LINES, on_chunk: Callable[[int], None] | None = None) -> IngestReport:
    """Apply the lines chunk by chunk, one transaction per chunk; `on_chunk(lines)` reports progress."""
    report = IngestReport()
    written = WrittenStates()
    iterator = iter(lines)
    while chunk := list(islice(iterator, chunk_lines)):
        report.merge(with_retries(lambda: _ingest_chunk(ctx, chunk, source, written), pause=ctx.pause))
        if on_chunk is not None:
            on_chunk(len(chunk))
    return report


class WrittenStates(dict[str, DisputeState]):
    """The states the last chunks of one ingest committed, by dispute id, the most recently written last.

    A feed names the same disputes chunk after chunk; a dispute still at the version written here is not read
    and decoded again (`store.load_disputes(known=...)`). The rules never change a state in place, so these
    objects stay what was committed. Bounded: the oldest are forgotten beyond `limit` (a state holds ~4 KB, so
    5,000 of them ~20 MB)."""

    def __init__(self, limit: int = 5_000) -> None:
        super().__init__()
        self.limit = limit

    def committed(self, states: Iterable[DisputeState]) -> None:
        for state in states:
            self.pop(state.dispute_id, None)
            self[state.dispute_id] = state
        for oldest in list(islice(self, max(0, len(self) - self.limit))):
            del self[oldest]


@dataclass
class _Working:
    """A dispute touched in this chunk: its state and the changes to write."""

    state: DisputeState
    version_before: int | None
    changes: list[Change] = field(default_factory=list)


class _Chunk:
    """One transaction's worth of lines."""

    def __init__(self, ctx: Context, conn: Connection, source: str, written: WrittenStates) -> None:
        self.ctx, self.conn, self.source, self.written = ctx, conn, source, written
        self.now = ctx.clock.now()
        self.report = IngestReport()
        self.working: dict[str, _Working] = {}
        self.by_order: dict[str, list[str]] = {}  # order id -> disputes in `working` for that order
        self.seen: set[str] = set()

    def reject(self, line: int, raw: str, event_id: str | None, dispute_id: str | None, reason: str) -> None:
        self.report.rejected.append({"line": line, "event_id": event_id, "reason": reason})
        store.record_rejection(self.conn, self.now, self.source, line, event_id, dispute_id, reason, raw)

    def preload(self, dispute_ids: Iterable[str]) -> None:
        """Read (and on PostgreSQL lock) every dispute the chunk names, in one query."""
        for dispute_id, state in store.load_disputes(self.conn, dispute_ids, known=self.written).items():
            self.add(dispute_id, _Working(state, state.version))

    def preload_orders(self, order_ids: Iterable[str]) -> None:
        """Read (and lock) the disputes that hold the orders the chunk opens disputes for, in one query."""
        holders = store.open_disputes_for_orders(self.conn, order_ids)
        self.preload(h for h in holders.values() if h not in self.working)

    def add(self, dispute_id: str, work: _Working) -> None:
        self.working[dispute_id] = work
        self.by_order.setdefault(work.state.order.order_id, []).append(dispute_id)

    def dispute(self, dispute_id: str) -> _Working | None:
        return self.working.get(dispute_id)

    def catch_up(self, work: _Working, at: datetime) -> None:
        """Execute the dispute's clocks due by `at` (they decide at their due time, swept or not)."""
        after, changes = execute_expiries(work.state, get_policy(work.state.policy), at)
        work.state = after
        work.changes.extend(changes)
        self.report.executed.extend(executed_json(after.dispute_id, c) for c in changes)

    def order_is_taken(self, order_id: str, at: datetime) -> str | None:
        """The dispute that holds the order open at `at`, if any (its expired clocks executed first).

        The order's open dispute in the database was preloaded with the chunk (`preload_orders`); disputes
        opened earlier in the chunk are in `working` too."""
        for dispute_id in self.by_order.get(order_id, ()):
            work = self.working[dispute_id]
            if work.state.status == "open":
                self.catch_up(work, at)
                if work.state.status == "open":
                    return dispute_id
        return None

    def apply(self, ev: FeedEvent) -> str | None:
        """Apply one event; returns a rejection reason or None."""
        work = self.dispute(ev.dispute_id)
        if ev.type == "dispute.opened":
            if work is not None:
                return f"dispute {ev.dispute_id} already exists; a second dispute.opened is rejected"
            state, change = open_dispute(ev)
            taken = self.order_is_taken(state.order.order_id, ev.at)
            if taken is not None:
                return f"order {state.order.order_id} already has an open dispute ({taken}); one open dispute per order"
            self.add(ev.dispute_id, _Working(state, None, [change]))
            return None
        if work is None:
            return f"unknown dispute {ev.dispute_id}"
        judgement = judge_event(work.state, ev)
        work.state = judgement.state
        work.changes.extend(judgement.changes)
        self.report.executed.extend(executed_json(ev.dispute_id, c) for c in judgement.expiries)
        return judgement.rejection

    def write(self) -> None:
        store.write_disputes(self.conn, [(w.state, w.version_before, w.changes) for w in self.working.values()],
                             self.now, self.ctx.workstation)


def _opened_order_ids(events: Iterable[FeedEvent]) -> set[str]:
    """The order ids that the chunk's `dispute.opened` events name (well-formed or not: the rules judge them)."""
    out = set()
    for ev in events:
        order = ev.data.get("order") if ev.type == "dispute.opened" else None
        if isinstance(order, dict) and isinstance(order.get("order_id"), str):
            out.add(order["order_id"])
    return out


def _ingest_chunk(ctx: Context, chunk: list[tuple[int, bytes]], source: str, written: WrittenStates) -> IngestReport:
    with ctx.engine.begin() as conn:
        batch = _Chunk(ctx, conn, source, written)
        parsed: list[tuple[int, str, dict[str, Any] | None, FeedEvent | None, str | None]] = []
        for number, raw_bytes in chunk:
            try:
                raw = raw_bytes.decode("utf-8")
            except UnicodeDecodeError:
                batch.reject(number, raw_bytes.decode("utf-8", "replace"), None, None, "line is not valid UTF-8")
                continue
            obj: dict[str, Any] | None = None
            try:
                obj = parse_line(raw)
                parsed.append((number, raw, obj, parse_event(obj), None))
            except Rejection as exc:
                parsed.append((number, raw, obj, None, exc.reason))
            except (TypeError, ValueError, OverflowError, RecursionError) as exc:
                parsed.append((number, raw, obj, None, f"could not be read ({type(exc).__name__}: {exc})"))
        events = [ev for _, _, _, ev, _ in parsed if ev is not None]
        batch.preload(ev.dispute_id for ev in events)  # locks first: a concurrent ingest's events are then seen
        batch.preload_orders(_opened_order_ids(events))
        known = store.known_event_ids(conn, [ev.event_id for ev in events])
        for number, raw, obj, ev, error in parsed:
            event_id = event_id_of(obj) if obj is not None else None
            dispute_id = obj.get("dispute_id") if obj is not None and isinstance(obj.get("dispute_id"), str) else None
            if ev is None:
                batch.reject(number, raw, event_id, dispute_id, error or "rejected")
                continue
            if ev.event_id in known or ev.event_id in batch.seen:
                batch.report.duplicates += 1
                continue
            try:
                reason = batch.apply(ev)
            except Rejection as exc:
                reason = exc.reason
            except (TypeError, ValueError, KeyError, OverflowError, RecursionError) as exc:
                # a shape the checks did not foresee: this line is rejected, the rest of the file goes on
                reason = f"could not be judged ({type(exc).__name__}: {exc})"
            if reason is not None:
                batch.reject(number, raw, ev.event_id, ev.dispute_id, reason)
            else:
                batch.seen.add(ev.event_id)
                batch.report.applied += 1
        batch.write()
    written.committed(w.state for w in batch.working.values() if w.changes)
    return batch.report
