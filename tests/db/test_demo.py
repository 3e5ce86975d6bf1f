"""Demo data goes through the real feed path: nothing rejected, every stage present, reproducible by seed."""
from __future__ import annotations

from collections import Counter

import pytest

from mediator_app.services.context import Context
from mediator_app.services.demo import DEMO_USERS, fill_demo
from mediator_app.services.reading import queue, show, stage_counts
from mediator_app.services.users import list_users


def test_demo_fills_every_stage_without_rejections(ctx: Context) -> None:
    progress: list[tuple[int, int]] = []
    report = fill_demo(ctx, 150, seed=3, progress=lambda done, total: progress.append((done, total)))
    assert report.rejected == []
    assert report.applied > 150
    assert progress[-1][0] == progress[-1][1] == report.applied + report.duplicates
    counts = stage_counts(ctx)
    assert sum(counts.values()) == 150
    for stage in ("awaiting_seller", "awaiting_buyer", "platform_review", "awaiting_return_shipment",
                  "awaiting_return_receipt", "closed"):
        assert counts.get(stage, 0) > 0, stage
    assert {name for name, _ in DEMO_USERS} <= {name for name, _ in list_users(ctx)}
    currencies = Counter(case["order_total"]["currency"] for case in queue(ctx))
    assert set(currencies) == {"USD", "EUR", "BRL", "CNY"}


def test_demo_is_reproducible_by_seed(ctx: Context, tmp_path: pytest.TempPathFactory) -> None:
    from mediator_app.db import migrate
    from mediator_app.db.engine import make_engine

    fill_demo(ctx, 40, seed=9)
    other_engine = make_engine(f"sqlite:///{tmp_path}/other.db")
    migrate.upgrade(other_engine)
    other = Context(other_engine, ctx.clock, workstation="test")
    fill_demo(other, 40, seed=9)
    first, second = queue(ctx), queue(other)
    assert [c["dispute_id"] for c in first] == [c["dispute_id"] for c in second]
    some = first[len(first) // 2]["dispute_id"]
    strip = lambda case: {k: v for k, v in case.items() if k != "timeline"}  # noqa: E731
    assert strip(show(ctx, some)) == strip(show(other, some))
    other_engine.dispose()
