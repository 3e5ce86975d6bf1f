"""The desk's typed rows: what the window reads and what the command prints are one object."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from mediator_app.domain.desk import DUE_BUCKETS, OPEN_STAGES, REACHED_TYPES
from mediator_app.domain.desk_rows import ApprovalRow, DayFigures, DeskFigures, WorkloadRow, frozen_counts
from mediator_app.domain.money import Money

AT = datetime(2026, 11, 5, 2, 0, tzinfo=timezone.utc)


def test_an_approval_turns_overdue_exactly_at_its_due_time_and_prints_as_approvals_does() -> None:
    row = ApprovalRow("D-1", "ruling", "alice", Money(Decimal("900.00"), "USD"), AT, AT + timedelta(hours=24),
                      False, True, 7)
    assert not row.overdue_at(AT + timedelta(hours=24) - timedelta(microseconds=1))
    assert row.overdue_at(AT + timedelta(hours=24))
    assert row.to_json() == {"dispute_id": "D-1", "what": "ruling", "by": "alice",
                             "refund": {"amount": "900.00", "currency": "USD"}, "submitted_at": "2026-11-05T02:00:00Z",
                             "due": "2026-11-06T02:00:00Z", "overdue": False, "can_approve": True}
    assert ApprovalRow("D-2", "platform_proposal", "bob", None, AT, AT, True, False, 1).to_json()["refund"] is None


def test_figures_print_every_key_zeros_included() -> None:
    day = DayFigures(date(2026, 11, 4), 3, 4, 1, frozen_counts(REACHED_TYPES, {"platform_arbitrate": 4}))
    assert day.breach_rate == 25.0 and DayFigures(date(2026, 11, 5), 1, 0, 0, frozen_counts(REACHED_TYPES, {})) \
        .breach_rate is None
    figures = DeskFigures(AT, frozen_counts(OPEN_STAGES, {"awaiting_seller": 2, "platform_review": 1}),
                          frozen_counts(DUE_BUCKETS, {"overdue": 3}), 1, (WorkloadRow("alice", "clerk", 2, 1, 0),),
                          (day,))
    out = figures.to_json()
    assert out["open"] == figures.open == 3
    assert list(out["by_stage"]) == list(OPEN_STAGES) and list(out["due_in"]) == list(DUE_BUCKETS)
    assert out["days"][0]["by_reached_type"] == {t: (4 if t == "platform_arbitrate" else 0) for t in REACHED_TYPES}
    assert out["workload"] == [{"user": "alice", "role": "clerk", "holding": 2, "holding_overdue": 1,
                                "decided_today": 0}]
