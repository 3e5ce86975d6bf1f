"""A demo database of 20,000 disputes (`mediator demo`: the feed, the SLA and a day of the desk's work) verifies
with no problem: every stored state is the replay of its history through the rules."""
from __future__ import annotations

from mediator_app.services import audit_verify, demo
from mediator_app.services.context import Context


def test_twenty_thousand_demo_disputes_verify_clean(ctx: Context) -> None:
    demo.fill_demo(ctx, 20_000, seed=7, desk=True)
    seen: list[tuple[int, int]] = []
    report = audit_verify.verify_audit(ctx, "dora", processes=2, progress=lambda done, total: seen.append((done, total)))
    assert report.problems == []
    assert report.disputes == 20_000 and report.rows > 40_000  # full timelines, not only the openings
    assert seen[-1] == (20_000, 20_000) and len(seen) == 20_000 // audit_verify.BATCH
