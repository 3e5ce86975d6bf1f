"""A marketplace-sized database, fast: dispute states built directly and written in bulk.

    python -m bench.dataset --db URL [--open 200000] [--closed 1000000] [--jobs N]

Rows are generated in chunks by `--jobs` worker processes (each chunk is seeded on its own, so the rows do not
depend on the number of workers) and written in order: with `COPY ... FROM STDIN` on PostgreSQL, with
executemany Core inserts on SQLite.

Not the feed path (that is `mediator demo`): this only fills the tables the queue and the case read, with
states the rules could have produced — open disputes across the negotiation, review and return stages with
their clocks, and closed ones with an outcome — plus the opening row of each timeline.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator, Sequence

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Engine

from mediator_app.db import migrate, store
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import Dispute, History, User
from mediator_app.domain.audit_chain import GENESIS, ChainRow, row_hash
from mediator_app.domain.dispute import DisputeDraft, DisputeState, Order, Outcome, PartyClock, PlatformClock
from mediator_app.domain.money import Money
from mediator_app.domain.policy import ALIEXPRESS_2024 as POLICY
from mediator_app.domain.proposals import Proposal
from mediator_app.domain.time import end_of_calendar_day

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
CURRENCIES = (("USD", 5, 400), ("EUR", 5, 350), ("BRL", 20, 2000), ("CNY", 30, 3000))
REASONS = ("not_received", "not_as_described", "damaged", "wrong_item", "counterfeit", "missing_parts")
CHUNK = 5000


def _money(rng: random.Random, low: int, high: int, currency: str) -> Money:
    return Money(Decimal(rng.randint(low * 100, high * 100)).scaleb(-2), currency)


def build_state(n: int, rng: random.Random, is_open: bool) -> DisputeState:
    currency, low, high = rng.choice(CURRENCIES)
    total = _money(rng, low, high, currency)
    asked = Money((total.amount * Decimal(rng.choice((25, 50, 75, 100))) / 100).quantize(Decimal("0.01")), currency)
    opened = NOW - timedelta(minutes=rng.randint(10, 10 * 24 * 60)) if is_open else \
        NOW - timedelta(days=rng.randint(11, 700), minutes=rng.randint(0, 1440))
    dispute_id = f"B-{n:07d}"
    order = Order(f"O-{n:08d}", f"U-{rng.randint(1, 400_000)}", f"S-{rng.randint(1, 20_000)}", total,
                  opened - timedelta(days=12))
    buyer = Proposal(f"P-{n}-B1", "refund", asked)
    state = DisputeDraft(dispute_id, order, "only_refund", rng.choice(REASONS), POLICY.name, opened,
                         "awaiting_seller", 1, opened)
    state.proposals["buyer"] = buyer
    state.used_proposal_ids.append(buyer.proposal_id)
    intervention = end_of_calendar_day(opened, POLICY.platform_intervention_days, POLICY.platform_zone)
    state.platform_clocks.append(PlatformClock("platform_intervention", opened, intervention, "dispute.opened"))
    if not is_open:
        state.stage = "closed"
        state.platform_clocks = [PlatformClock("platform_intervention", opened, intervention, "dispute.opened",
                                               opened + timedelta(days=2))]
        state.outcome = Outcome("negotiation_consensus", "buyer", buyer, asked, False, "none",
                                opened + timedelta(days=2))
        return state.freeze()
    roll = rng.random()
    if roll < 0.45:
        state.party_clock = PartyClock("seller_response", "seller", opened, opened + POLICY.party_response,
                                       "dispute.opened")
    elif roll < 0.75:
        at = opened + timedelta(hours=rng.randint(1, 100))
        seller = Proposal(f"P-{n}-S1", "refund", Money((asked.amount / 2).quantize(Decimal("0.01")), currency))
        state.proposals["seller"] = seller
        state.used_proposal_ids.append(seller.proposal_id)
        state.stage, state.last_mover, state.last_feed_at = "awaiting_buyer", "seller", at
        state.party_clock = PartyClock("buyer_response", "buyer", at, at + POLICY.party_response, "proposal.posted")
    elif roll < 0.9:
        at = opened + timedelta(hours=rng.randint(1, 100))
        due = end_of_calendar_day(at, POLICY.platform_ruling_days, POLICY.platform_zone)
        state.stage, state.last_feed_at = "platform_review", at
        state.platform_clocks.append(PlatformClock("platform_ruling", at, due, "dispute.escalated"))
    else:
        at = opened + timedelta(hours=rng.randint(1, 100))
        state.stage, state.last_feed_at = "awaiting_return_shipment", at
        state.platform_clocks = [PlatformClock("platform_intervention", opened, intervention, "dispute.opened", at)]
        state.outcome = Outcome("negotiation_consensus", "buyer", buyer, asked, True, "awaiting_shipment", at)
        state.party_clock = PartyClock("return_shipment", "buyer", at, at + POLICY.return_ship, "resolution")
    return state.freeze()


def _rows(start: int, count: int, is_open: bool, seed: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(seed * 1_000_003 + start)
    for n in range(start, start + count):
        state = build_state(n, rng, is_open)
        row = {"dispute_id": state.dispute_id, **store.dispute_columns(state, NOW)}
        history = {"dispute_id": state.dispute_id, "version": 1, "version_before": 0, "at": state.opened_at,
                   "recorded_at": NOW, "kind": "dispute.opened", "party": "buyer", "actor": "feed",
                   "workstation": "bench", "summary": f"buyer opened a dispute asking {state.proposals['buyer'].describe()}",
                   "payload": json.dumps({"proposal": state.proposals["buyer"].to_json()}),
                   "event_id": f"BENCH-{state.dispute_id}", "exec_key": None, "idempotency_key": None,
                   "idempotency_action": None}
        # the opening row is hashed as the write path hashes every row (§7.3); it carries no replay record (the
        # state is built here, not replayed from a feed line), so `audit verify` checks its hash and version
        history["hash"] = row_hash(GENESIS, ChainRow(state.dispute_id, 1, state.opened_at, "dispute.opened", "feed",
                                                     "buyer", history["summary"], history["payload"]))
        yield row, history


Pairs = list[tuple[dict[str, Any], dict[str, Any]]]


def _chunk(job: tuple[int, int, bool, int]) -> Pairs:
    """One chunk of (dispute row, history row) pairs; run in a worker process."""
    start, size, is_open, seed = job
    return list(_rows(start, size, is_open, seed))


def _chunks(jobs: Sequence[tuple[int, int, bool, int]], processes: int) -> Iterator[Pairs]:
    """The chunks in order, generated by `processes` workers at most a few chunks ahead of the writer."""
    if processes <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield _chunk(job)
        return
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pending: deque[Any] = deque()
        queue = iter(jobs)
        for job in queue:
            pending.append(pool.apply_async(_chunk, (job,)))
            if len(pending) > processes:
                break
        while pending:
            chunk = pending.popleft().get()
            following = next(queue, None)
            if following is not None:
                pending.append(pool.apply_async(_chunk, (following,)))
            yield chunk


class _Copier:
    """Writes rows to one table with binary COPY FROM STDIN. Values go through the columns' own bind processing
    first (UTCDateTime checks awareness and converts to UTC), as an executemany insert would, and are sent as
    the types the table really has (asked of the server, so a new column needs nothing here)."""

    def __init__(self, engine: Engine, connection: Any, table: Table, columns: Sequence[str]) -> None:
        from psycopg import sql

        unknown = [name for name in columns if name not in table.c]
        if unknown:
            raise ValueError(f"{table.name} has no columns {unknown}")
        self.columns = list(columns)
        processors = [table.c[name].type.bind_processor(engine.dialect) for name in self.columns]
        self.processors: list[tuple[int, Callable[[Any], Any]]] = [
            (i, p) for i, p in enumerate(processors) if p is not None]
        found = dict(connection.execute(
            "SELECT attname, atttypid::int FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", (table.name,)).fetchall())
        self.types = [found[name] for name in self.columns]
        self.statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in self.columns))

    def write(self, cursor: Any, rows: Sequence[dict[str, Any]]) -> None:
        columns, processors, keys = self.columns, self.processors, set(self.columns)
        with cursor.copy(self.statement) as copy:
            copy.set_types(self.types)
            for row in rows:
                if row.keys() != keys:
                    raise ValueError(f"row columns {sorted(row)} differ from {sorted(columns)}")
                values = [row[name] for name in columns]
                for i, process in processors:
                    values[i] = process(values[i])
                copy.write_row(values)


def _write_sqlite(engine: Engine, chunks: Iterator[Pairs], progress: Callable[[int], None]) -> None:
    for pairs in chunks:
        with engine.begin() as conn:
            conn.execute(insert(Dispute.__table__), [p[0] for p in pairs])
            conn.execute(insert(History.__table__), [p[1] for p in pairs])
        progress(len(pairs))


def _write_copy(engine: Engine, chunks: Iterator[Pairs], progress: Callable[[int], None]) -> None:
    """PostgreSQL: one COPY per table and chunk, each chunk its own transaction (disputes first, for the
    history foreign key). Constraints, unique indexes and history's triggers apply to COPY as to INSERT."""
    copiers: tuple[_Copier, _Copier] | None = None
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        for pairs in chunks:
            if not pairs:
                continue
            if copiers is None:  # the columns are the row dicts' keys, whatever dispute_columns returns
                copiers = (_Copier(engine, connection, Dispute.__table__, list(pairs[0][0])),
                           _Copier(engine, connection, History.__table__, list(pairs[0][1])))
            with connection.cursor() as cursor:
                copiers[0].write(cursor, [p[0] for p in pairs])
                copiers[1].write(cursor, [p[1] for p in pairs])
            connection.commit()  # not connection.transaction(): inside an open transaction that is a savepoint
            progress(len(pairs))
    finally:
        raw.close()  # back to the pool, which rolls back whatever was not committed


def build(engine: Engine, open_count: int, closed_count: int, seed: int = 7, quiet: bool = False,
          jobs: int | None = None) -> float:
    """Fill an empty, upgraded database with `jobs` processes (default: one per CPU) generating rows; returns
    the seconds it took. The rows do not depend on `jobs`."""
    jobs = jobs or os.cpu_count() or 1
    migrate.upgrade(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(User)).scalar_one() == 0:
            conn.execute(insert(User.__table__), [{"name": "alice", "role": "clerk", "created_at": NOW},
                                                  {"name": "bob", "role": "supervisor", "created_at": NOW}])
    plan = [(0, open_count, True), (open_count, closed_count, False)]
    work = [(start, min(CHUNK, first + count - start), is_open, seed)
            for first, count, is_open in plan for start in range(first, first + count, CHUNK)]
    total = open_count + closed_count
    done = 0

    def progress(size: int) -> None:
        nonlocal done
        done += size
        if not quiet:
            print(f"\r{done:,} / {total:,} disputes", end="", file=sys.stderr, flush=True)

    write = _write_sqlite if engine.dialect.name == "sqlite" else _write_copy
    write(engine, _chunks(work, jobs), progress)
    if not quiet:
        print(file=sys.stderr)
    with engine.begin() as conn:  # the filter's ids, in one statement (the feed path writes them per dispute)
        conn.exec_driver_sql(f"INSERT INTO dispute_search (dispute_id, search) "
                             f"SELECT dispute_id, {store.search_sql(engine.dialect.name)} FROM disputes")
    # statistics for the planners; on PostgreSQL also the visibility map, without which no scan is index-only
    # (autovacuum would get there, some minutes later)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("VACUUM ANALYZE disputes")
            conn.exec_driver_sql("VACUUM ANALYZE history")
            conn.exec_driver_sql("VACUUM ANALYZE dispute_search")
    return time.perf_counter() - started


def count_disputes(engine: Engine) -> int:
    migrate.upgrade(engine)
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Dispute)).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--open", type=int, default=200_000)
    parser.add_argument("--closed", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes generating rows (default: one per CPU)")
    args = parser.parse_args()
    engine = make_engine(args.db)
    if count_disputes(engine):
        print(json.dumps({"error": "the database is not empty"}))
        sys.exit(1)
    seconds = build(engine, args.open, args.closed, seed=args.seed, jobs=args.jobs)
    print(json.dumps({"open": args.open, "closed": args.closed, "seconds": round(seconds, 1),
                      "rows_per_second": round((args.open + args.closed) / seconds)}))


if __name__ == "__main__":
    main()
