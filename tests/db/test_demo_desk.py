"""`mediator demo` and the first run build a desk as an ordinary day looks (issue 15): counted on a seed at the
moment of generation, through the real feed and the real clerk actions."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from mediator_app.db.schema import History
from mediator_app.domain.money import parse_money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context
from mediator_app.services.demo import fill_demo
from mediator_app.services.demo_desk import CLERKS, SUPERVISOR
from mediator_app.services.reading import queue, read, stage_counts


def test_the_demo_desk_looks_like_a_real_day(ctx: Context, clock: FixedClock) -> None:
    report = fill_demo(ctx, 1500, seed=2024, desk=True)
    assert report.rejected == []
    now = clock.now()
    counts = stage_counts(ctx)
    for stage in ("awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review", "pending_approval",
                  "awaiting_return_shipment", "awaiting_return_receipt", "closed"):
        assert counts.get(stage, 0) > 0, (stage, counts)
    cases = queue(ctx)
    breached = sum(c["sla_breached"] for c in cases)
    assert 0.02 <= breached / len(cases) <= 0.05, breached

    pending = [c for c in cases if c["pending_approval"] is not None]
    assert 2 <= len(pending) <= 15
    for case in pending:  # every one waits because it is at or above its currency's four-eyes threshold
        proposal = case["pending_approval"]["proposal"]
        refund = parse_money(proposal["refund"])
        assert get_policy(case["policy"]).needs_four_eyes(refund), case["dispute_id"]
    assert len({c["order_total"]["currency"] for c in pending}) >= 2

    held = Counter(c["assigned_to"] for c in cases if c["assigned_to"])
    assert set(held) == set(CLERKS) and all(n >= 2 for n in held.values()), held

    rows = read(ctx, lambda conn: conn.execute(select(History.kind, History.actor, History.at)
                                               .where(History.actor.in_((*CLERKS, SUPERVISOR)))).all())
    kinds = Counter(kind for kind, _actor, _at in rows)
    assert all(now - timedelta(hours=24) <= at <= now for _kind, _actor, at in rows)
    assert kinds["ruling.made"] >= 20 and kinds["platform_proposal.posted"] >= 3, kinds
    assert kinds["ruling.approved"] + kinds["platform_proposal.approved"] + kinds["approval.sent_back"] >= 1, kinds
    assert {actor for _kind, actor, _at in rows} == {*CLERKS, SUPERVISOR}
    assert kinds["case.claimed"] >= 10 and kinds["note.added"] >= 5, kinds
