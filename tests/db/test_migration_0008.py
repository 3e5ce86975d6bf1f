"""Revision 0008 carries a database at 0004 forward: a claim held then stays a claim, outcomes get their columns."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, text

from mediator_app.db import migrate
from mediator_app.db.schema import Dispute
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.feeds import T0, event, iso, opened


def test_upgrade_from_0004_keeps_claims_and_fills_the_outcome_columns(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2"),
                        event("D-2", "proposal.accepted", T0 + timedelta(hours=1), "E-acc", party="seller",
                              proposal_id="P-D-2-B1")])
    claimed_at = T0 + timedelta(hours=2)
    clock_ctx = Context(ctx.engine, FixedClock(claimed_at), "test")
    casework.claim(clock_ctx, "D-1", "alice")
    migrate.upgrade(ctx.engine, "0004")
    with ctx.engine.begin() as conn:  # the states as revision 0004 wrote them: no standing-assignment keys
        for dispute_id, raw in conn.execute(text("SELECT dispute_id, state FROM disputes")).all():
            state = json.loads(raw)
            for key in ("hold_kind", "assigned_by", "held_since"):
                state.pop(key, None)
            conn.execute(text("UPDATE disputes SET state = :s WHERE dispute_id = :d"),
                         {"s": json.dumps(state), "d": dispute_id})
    migrate.upgrade(ctx.engine)
    assert migrate.current_revision(ctx.engine) == migrate.head_revision()
    case = reading.show(Context(ctx.engine, FixedClock(claimed_at + timedelta(minutes=10)), "test"), "D-1")
    assert case["assignment"] == {"to": "alice", "by": None, "kind": "claim", "since": iso(claimed_at),
                                  "until": iso(claimed_at + timedelta(minutes=30))}
    with ctx.engine.connect() as conn:
        rows = {r.dispute_id: r for r in conn.execute(text(
            "SELECT dispute_id, resolved_at, reached_type, assigned_by FROM disputes"))}
    assert rows["D-1"].resolved_at is None and rows["D-1"].reached_type is None
    assert rows["D-2"].reached_type == "negotiation_consensus"
    # the stored text is exactly what a write stores, so the dashboard's range compares see it
    with ctx.engine.connect() as conn:
        found = conn.execute(select(Dispute.dispute_id).where(Dispute.resolved_at == T0 + timedelta(hours=1))).all()
    assert [r.dispute_id for r in found] == ["D-2"]
