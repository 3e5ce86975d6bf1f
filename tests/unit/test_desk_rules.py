"""The desk's rules (domain.desk, domain.assignment): buckets, days, who may approve and hold."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from mediator_app.domain.desk import can_approve, due_bucket, last_days
from mediator_app.domain.holding import may_hold

NOW = datetime(2026, 11, 5, 2, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)
S = timedelta(seconds=1)


def test_bucket_edges() -> None:
    cases = [(None, "none"), (NOW - S, "overdue"), (NOW, "overdue"), (NOW + S, "lt_4h"), (NOW + 4 * H - S, "lt_4h"),
             (NOW + 4 * H, "lt_24h"), (NOW + 24 * H - S, "lt_24h"), (NOW + 24 * H, "lt_72h"),
             (NOW + 72 * H - S, "lt_72h"), (NOW + 72 * H, "later")]
    assert [due_bucket(due, NOW) for due, _ in cases] == [b for _, b in cases]


def test_days_in_shanghai_end_today_at_local_midnight() -> None:
    days = last_days(datetime(2026, 11, 4, 16, 0, tzinfo=timezone.utc), 2)  # 00:00 Nov 5 in Shanghai
    assert [d.day.isoformat() for d in days] == ["2026-11-04", "2026-11-05"]
    assert days[1].start == datetime(2026, 11, 4, 16, 0, tzinfo=timezone.utc)
    assert days[1].end == datetime(2026, 11, 5, 16, 0, tzinfo=timezone.utc)
    before = last_days(datetime(2026, 11, 4, 15, 59, 59, tzinfo=timezone.utc), 1)
    assert before[0].day.isoformat() == "2026-11-04"


def test_a_day_in_a_zone_that_changes_offset_has_its_own_length() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    days = last_days(datetime(2026, 10, 26, 12, 0, tzinfo=timezone.utc), 3, berlin)  # DST ends Oct 25
    assert days[1].end.astimezone(timezone.utc) - days[1].start.astimezone(timezone.utc) == timedelta(hours=25)


def test_who_may_approve_and_hold() -> None:
    assert can_approve("bob", "supervisor", "alice")
    assert not can_approve("bob", "supervisor", "bob")
    assert not can_approve("dora", "auditor", "alice")
    assert may_hold("clerk") and may_hold("supervisor") and not may_hold("auditor")
