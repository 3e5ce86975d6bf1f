"""Four sweepers in parallel processes over a few hundred expired disputes: each clock executed exactly once."""
from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from mediator_app.db.engine import make_engine
from mediator_app.db.schema import Dispute, History
from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.sweeper import sweep
from tests.feeds import T0, event, opened

SWEEPERS = 4
SWEEP_AT = T0 + timedelta(days=20)


def _sweeper_process(url: str, barrier: Any, results: Any, index: int) -> None:
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(SWEEP_AT), workstation=f"sweeper-{index}")
    barrier.wait()
    executed = sweep(ctx, batch=5)
    results.put([(e["dispute_id"], e["clock"]) for e in executed])
    engine.dispose()


def _feed() -> tuple[list[dict[str, Any]], Counter[tuple[str, str]]]:
    """Seller-silent refunds (1 execution), accepted returns never shipped (1), silent returns (2: follow-on)."""
    events: list[dict[str, Any]] = []
    expected: Counter[tuple[str, str]] = Counter()
    for n in range(200):
        d = f"R-{n}"
        events.append(opened(d))
        expected[(d, "seller_response")] += 1
    for n in range(60):
        d = f"A-{n}"
        events.append(opened(d, kind="return_and_refund"))
        events.append(event(d, "proposal.accepted", T0 + timedelta(hours=1), f"E-{d}-acc", party="seller",
                            proposal_id=f"P-{d}-B1"))
        expected[(d, "return_shipment")] += 1
    for n in range(60):
        d = f"S-{n}"
        events.append(opened(d, kind="return_and_refund"))
        expected[(d, "seller_response")] += 1
        expected[(d, "return_shipment")] += 1
    return events, expected


@pytest.mark.slow
def test_four_parallel_sweepers_execute_each_clock_exactly_once(db_url: str, clock: FixedClock) -> None:
    engine = make_engine(db_url)
    events, expected = _feed()
    report = ingest_events(Context(engine, clock), events)
    assert report.applied == len(events) and not report.rejected

    mp = multiprocessing.get_context("spawn")
    barrier = mp.Barrier(SWEEPERS)
    results = mp.Queue()
    processes = [mp.Process(target=_sweeper_process, args=(db_url, barrier, results, i)) for i in range(SWEEPERS)]
    for process in processes:
        process.start()
    reported = [results.get(timeout=240) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0

    executed = Counter(item for per_process in reported for item in per_process)
    assert executed == expected, "every expired clock reported exactly once across all sweepers"

    with engine.connect() as conn:
        rows = conn.execute(select(History.dispute_id, History.payload).where(History.kind == "clock.expired"))
        stored = Counter(r.dispute_id for r in rows)
        assert stored == Counter(d for (d, _clock) in expected.elements())
        open_left = conn.execute(select(func.count()).select_from(Dispute).where(Dispute.status == "open")).scalar()
        assert open_left == 0
        versions = dict(conn.execute(select(Dispute.dispute_id, Dispute.version)).all())
    # opened (1) + accepted (A only) + one step per executed clock
    assert all(versions[d] == 1 + (1 if d.startswith("A-") else 0) + stored[d] for d in versions)
    engine.dispose()
