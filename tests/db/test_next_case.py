"""Next case: the most urgent free case of the view, looked for in its head first, then in the rest."""
from __future__ import annotations

from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, workbench
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.workbench import QueueQuery
from tests.feeds import opened


def test_next_case_looks_past_a_head_whose_cases_are_all_taken(ctx: Context, clock: FixedClock) -> None:
    ingest_events(ctx, [opened(f"D-{n}") for n in range(1, 9)])
    view = QueueQuery(user="alice")
    order = workbench.queue_ids(ctx, view)
    for dispute_id in order[:3]:
        casework.claim(ctx, dispute_id, "carol")
    result = workbench.claim_next_in_view(ctx, "alice", view, head=3)  # all three of the head are carol's
    assert result is not None and result.case["dispute_id"] == order[3]
    result = workbench.claim_next_in_view(ctx, "alice", view, head=5)  # the head holds a free one: the first
    assert result is not None and result.case["dispute_id"] == order[4]
    for dispute_id in order[5:]:
        casework.claim(ctx, dispute_id, "carol")
    assert workbench.claim_next_in_view(ctx, "alice", view, head=3) is None
