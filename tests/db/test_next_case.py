"""Next case: the most urgent free case of the view, looked for in its head first, then in the rest."""
from __future__ import annotations

from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, workbench
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.workbench import QueueQuery
from tests.feeds import event, opened


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


def test_next_case_skips_no_case_when_rows_shift_between_the_head_and_the_key_list(
        ctx: Context, clock: FixedClock, monkeypatch) -> None:
    """Bug 4 of issue 10: the rest was `queue_ids(...)[head:]`, by position; when a case of the head left the
    view between the two reads, the first case past the head moved into the head's positions and was never tried."""
    ingest_events(ctx, [opened(f"D-{n}") for n in range(1, 9)])
    view = QueueQuery(user="alice")
    order = workbench.queue_ids(ctx, view)
    for dispute_id in order[:3]:
        casework.claim(ctx, dispute_id, "carol")
    real_claim_next = casework.claim_next
    calls: list[list[str]] = []

    def claim_next_while_the_buyer_cancels(ctx_: Context, user: str, candidates):  # another writer, in between
        calls.append(list(candidates))
        result = real_claim_next(ctx_, user, candidates)
        if len(calls) == 1:
            ingest_events(ctx, [event(order[0], "dispute.cancelled", clock.now(), "E-cancel", party="buyer")])
        return result

    monkeypatch.setattr(casework, "claim_next", claim_next_while_the_buyer_cancels)
    result = workbench.claim_next_in_view(ctx, "alice", view, head=3)
    assert order[0] not in workbench.queue_ids(ctx, view), "the cancellation closed the case"
    assert result is not None and result.case["dispute_id"] == order[3]
    assert not set(calls[0]) & set(calls[1]), "the head's cases are not tried twice"
