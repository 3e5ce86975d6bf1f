"""A marketplace-sized database, fast: dispute states built directly and written with bulk Core inserts.

    python -m bench.dataset --db URL [--open 200000] [--closed 1000000]

Not the feed path (that is `mediator demo`): this only fills the tables the queue and the case read, with
states the rules could have produced — open disputes across the negotiation, review and return stages with
their clocks, and closed ones with an outcome — plus the opening row of each timeline.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterator

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from mediator_app.db import migrate, store
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import Dispute, History, User
from mediator_app.domain.dispute import DisputeState, Order, Outcome, PartyClock, PlatformClock
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
    state = DisputeState(dispute_id, order, "only_refund", rng.choice(REASONS), POLICY.name, opened,
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
        return state
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
    return state


def _rows(start: int, count: int, is_open: bool, seed: int) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(seed * 1_000_003 + start)
    for n in range(start, start + count):
        state = build_state(n, rng, is_open)
        row = {"dispute_id": state.dispute_id, **store.dispute_columns(state, NOW)}
        history = {"dispute_id": state.dispute_id, "version": 1, "version_before": 0, "at": state.opened_at,
                   "recorded_at": NOW, "kind": "dispute.opened", "party": "buyer", "actor": "feed",
                   "workstation": "bench", "summary": f"buyer opened a dispute asking {state.proposals['buyer'].describe()}",
                   "payload": json.dumps({"proposal": state.proposals["buyer"].to_json()}),
                   "event_id": f"BENCH-{state.dispute_id}", "exec_key": None, "idempotency_key": None}
        yield row, history


def build(engine: Engine, open_count: int, closed_count: int, seed: int = 7, quiet: bool = False) -> float:
    """Fill an empty, upgraded database; returns the seconds it took."""
    migrate.upgrade(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(User)).scalar_one() == 0:
            conn.execute(insert(User.__table__), [{"name": "alice", "role": "clerk", "created_at": NOW},
                                                  {"name": "bob", "role": "supervisor", "created_at": NOW}])
    plan = [(0, open_count, True), (open_count, closed_count, False)]
    done = 0
    for first, count, is_open in plan:
        for start in range(first, first + count, CHUNK):
            size = min(CHUNK, first + count - start)
            pairs = list(_rows(start, size, is_open, seed))
            with engine.begin() as conn:
                conn.execute(insert(Dispute.__table__), [p[0] for p in pairs])
                conn.execute(insert(History.__table__), [p[1] for p in pairs])
            done += size
            if not quiet:
                print(f"\r{done:,} / {open_count + closed_count:,} disputes", end="", file=sys.stderr, flush=True)
    if not quiet:
        print(file=sys.stderr)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE disputes")
            conn.exec_driver_sql("ANALYZE history")
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
    args = parser.parse_args()
    engine = make_engine(args.db)
    if count_disputes(engine):
        print(json.dumps({"error": "the database is not empty"}))
        sys.exit(1)
    seconds = build(engine, args.open, args.closed)
    print(json.dumps({"open": args.open, "closed": args.closed, "seconds": round(seconds, 1),
                      "rows_per_second": round((args.open + args.closed) / seconds)}))


if __name__ == "__main__":
    main()
