"""`mediator audit verify` and the window's Tools → Verify audit trail (§7.3).

Disputes are read in id order, BATCH at a time (`db/audit_reads`), and judged by `domain.replay.verify` plus
one check of the write path's own: the queue columns of the dispute's row must be those its stored state gives
(`store.dispute_columns`), so a row edited beside its JSON is found too. The judging runs in a pool of worker
processes (one per core); this process lists the batches and, whenever the workers have AHEAD batches each waiting
(or are still starting: a spawned worker takes seconds to import), judges the next batch itself. A single
dispute, or a small database, is judged here.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import orjson
from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from mediator_app.db import audit_reads, store
from mediator_app.db.engine import READ_ONLY, make_engine
from mediator_app.db.audit_reads import Span
from mediator_app.domain.audit_chain import ChainRow
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.permissions import may_verify_audit
from mediator_app.domain.replay import Baseline, Problem, StoredRow, is_replayable, verify

from .context import Context, with_retries
from .reading import read

#: disputes per batch (read in one transaction, judged by one worker): small enough that the last batches,
#: judged while the other processes have nothing left, take a fraction of a second (2,000 cost the 20,000-dispute
#: demo a tenth of its wall time), large enough that a batch's queries are few
BATCH = 500
#: below this many disputes the pool costs more than it saves (a spawned worker imports for 1-3 CPU-seconds)
POOL_FROM = 20_000
#: batches in flight per worker process
AHEAD = 3


@dataclass
class VerifyReport:
    disputes: int = 0
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"disputes": self.disputes, "rows": self.rows, "problems": [p.to_json() for p in self.problems]}


class Cancelled(Exception):
    """The caller asked the check to stop (the window's Cancel)."""


def check_role(role: str | None, user: str | None) -> None:
    """Who may run the check: `permissions.may_verify_audit` (supervisors, auditors; an administrator's
    connection passes no user)."""
    if user is None:
        return
    if role is None:
        raise Rejection(f"unknown user {user!r}")
    if not may_verify_audit(role):
        raise Rejection(f"{user} is a {role}: only supervisors and auditors verify the audit trail")


class DisputeRows(NamedTuple):
    """One dispute as read: its row's columns (`columns`: name -> value, `state` as the stored JSON text; empty
    when the row is gone), its history rows in version order, and its replay baseline if it has one."""

    dispute_id: str
    columns: dict[str, Any]
    history: list[StoredRow]
    baseline: Baseline | None = None


def judge_batch(batch: Sequence[DisputeRows]) -> tuple[int, int, list[Problem]]:
    """(disputes, rows, problems) of one batch, in the process that read it."""
    problems: list[Problem] = []
    rows = 0
    for dispute in batch:
        rows += len(dispute.history)
        raw = dispute.columns.get("state")
        verdict = verify(dispute.dispute_id, dispute.history, raw, dispute.columns.get("version"), dispute.baseline)
        problems.extend(verdict.problems)
        if raw is not None and not verdict.problems:
            problems.extend(_columns(dispute, raw, verdict.replayed))
    return len(batch), rows, problems


#: the columns read straight from the stored JSON when there is no replayed state to derive them all from
PLAIN_COLUMNS = ("stage", "version", "assigned_to", "policy", "kind", "reason")


def _columns(dispute: DisputeRows, raw: str, state: DisputeState | None) -> list[Problem]:
    """The row's derived columns against what the write path derives from the state (`state`: the replayed
    one, equal to the stored one). A dispute that was not replayed (written before revision 0011) has its
    plain columns compared with its stored JSON (`raw`; decoding every such state would cost more than the
    rest)."""
    columns = dispute.columns
    if state is None:
        stored = orjson.loads(raw)
        differs = [name for name in PLAIN_COLUMNS if stored.get(name) != columns.get(name)]
    else:
        derived = store.derived_columns(state)
        differs = [name for name in audit_reads.COLUMNS if name in derived and derived[name] != columns[name]]
    if not differs:
        return []
    return [Problem(dispute.dispute_id, int(columns.get("version") or 0),
                    f"the dispute's columns differ from its stored state ({', '.join(sorted(differs))})")]


def read_range(conn: Connection, span: Span) -> list[DisputeRows]:
    """One batch in one transaction: on PostgreSQL one snapshot (REPEATABLE READ), so a dispute's row and its
    history are seen at the same moment while workstations write; SQLite's read transaction is one already.

    The history is read first: a batch in which no dispute replays (all written before revision 0011, like
    `bench.dataset`'s) needs only the dispute columns that are held against the stored JSON, which spares
    reading (and the driver converting) every time column of every row."""
    if conn.dialect.name == "postgresql" and conn.get_execution_options().get("isolation_level") != SNAPSHOT:
        conn.exec_driver_sql(f"SET TRANSACTION ISOLATION LEVEL {SNAPSHOT}")
    out: dict[str, DisputeRows] = {}
    dispute_id = ""
    history: list[StoredRow] = []
    for row in audit_reads.read_history(conn, span):
        if row[0] != dispute_id or not out:
            dispute_id, history = row[0], []
            out[dispute_id] = DisputeRows(dispute_id, {}, history)
        at = row[2]
        if at.tzinfo is not timezone.utc:  # (a URL that sets its own TimeZone: psycopg gives that zone)
            at = at.astimezone(timezone.utc)
        history.append(StoredRow(ChainRow(dispute_id, row[1], at, row[3], row[4], row[5], row[6], row[7]), row[8]))
    for dispute_id, version, state in audit_reads.read_baselines(conn, span):
        found = out.get(dispute_id)
        if found is not None and not is_replayable(found.history):
            out[dispute_id] = found._replace(baseline=Baseline(version, state))
    full = any(d.baseline is not None or is_replayable(d.history) for d in out.values())
    names = audit_reads.COLUMNS if full else (*PLAIN_COLUMNS, "state")
    for row in audit_reads.read_disputes(conn, span, names):
        found = out.get(row[0])
        if found is None:
            out[row[0]] = DisputeRows(row[0], dict(zip(names, row[1:])), [])
        else:
            found.columns.update(zip(names, row[1:]))
    return [out[key] for key in sorted(out)]


def _ranges(ctx: Context, dispute_id: str | None) -> Iterator[Span]:
    """The span of each batch, in id order (the ids read from the primary key in one pass). Each span starts
    where the one before it ended and the last one is open-ended, so no history row falls between them (a
    dispute row deleted with its history left is found, whatever its id)."""
    if dispute_id is not None:
        yield Span(None, None, dispute_id)
        return
    after: str | None = None
    held: Span | None = None  # the span before the last: yielded once it is known not to be the last
    while True:
        ids = read(ctx, lambda conn: audit_reads.dispute_ids(conn, after, BATCH * 20))
        for start in range(0, len(ids), BATCH):
            if held is not None:
                yield held
            part = ids[start:start + BATCH]
            held = Span(held.last if held is not None else None, part[-1])
        if len(ids) < BATCH * 20:
            yield Span(held.after if held is not None else None, None)  # the last span is open-ended
            return
        after = ids[-1]


#: the isolation of one batch's transaction on PostgreSQL (one snapshot)
SNAPSHOT = "REPEATABLE READ"
_ENGINES: dict[str, Engine] = {}


def judge_on(engine: Engine, span: Span, pause: Callable[[float], None] = time.sleep) -> tuple[int, int, list[Problem]]:
    """A batch read on a connection of `engine` (tried again when the connection breaks), then judged with the
    transaction closed: judging takes seconds, which no open transaction should idle through. On PostgreSQL the
    snapshot is the transaction's own isolation (one BEGIN, no SET TRANSACTION round trip)."""
    options: dict[str, Any] = dict(READ_ONLY)
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = SNAPSHOT

    def attempt() -> list[DisputeRows]:
        with engine.connect().execution_options(**options) as conn:
            return read_range(conn, span)
    return judge_batch(with_retries(attempt, pause=pause))


def judge_range(url: str, span: Span) -> tuple[int, int, list[Problem]]:
    """A batch read and judged in a worker process, on its own connection to the database at `url` (kept for
    the next batch; no ping per checkout: a broken connection is tried again by `judge_on`)."""
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = make_engine(url, pool_pre_ping=False)
    return judge_on(engine, span)


def verify_audit(ctx: Context, user: str | None, dispute_id: str | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None, processes: int | None = None) -> VerifyReport:
    """Check every dispute (or one): hashes, versions, and stored state against the replay of its history.

    `user` is who asks (None: an administrator's connection); `progress(done, total)` after each batch (total:
    the disputes there are); `cancelled()` is asked between batches (True: `Cancelled` is raised). With more
    than POOL_FROM disputes, `processes` workers (default: one per core) each read and judge whole batches on
    their own connection, so reading is spread over the cores too."""
    check_role(read(ctx, lambda conn: store.get_user_role(conn, user)) if user else None, user)
    total = 1 if dispute_id is not None else read(ctx, audit_reads.count_disputes)
    report = VerifyReport()

    def add(result: tuple[int, int, list[Problem]]) -> None:
        report.disputes += result[0]
        report.rows += result[1]
        report.problems.extend(result[2])
        if progress is not None:
            progress(report.disputes, total)

    def stop_if_cancelled() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled()

    workers = processes if processes is not None else (os.cpu_count() or 1)
    if workers <= 1 or total < POOL_FROM:
        for span in _ranges(ctx, dispute_id):
            stop_if_cancelled()
            if dispute_id is not None:
                batch = read(ctx, lambda conn: read_range(conn, span))
                if not batch:
                    raise Rejection(f"unknown dispute {dispute_id}")
                add(judge_batch(batch))
            else:
                add(judge_on(ctx.engine, span, ctx.pause))
        report.problems.sort(key=lambda p: (p.dispute_id, p.version))
        return report
    url = ctx.engine.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: list[Future[tuple[int, int, list[Problem]]]] = []
        try:
            for span in _ranges(ctx, dispute_id):
                stop_if_cancelled()
                while pending and pending[0].done():
                    add(pending.pop(0).result())
                if len(pending) < workers * AHEAD:
                    pending.append(pool.submit(judge_range, url, span))
                else:  # the workers have enough to do (or are still starting): this process judges one too
                    add(judge_on(ctx.engine, span, ctx.pause))
            for future in pending:
                stop_if_cancelled()
                add(future.result())
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    report.problems.sort(key=lambda p: (p.dispute_id, p.version))
    return report
