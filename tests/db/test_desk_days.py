"""Per-day counts where the zone changes its offset inside the range: the exact boundaries are used."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from mediator_app.db import desk_queries
from mediator_app.domain.desk import last_days
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.feeds import opened


def test_opened_per_day_across_a_dst_change(ctx: Context) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Oct 25 2026: 03:00 CEST becomes 02:00 CET; local midnight of Oct 26 is 23:00Z on Oct 25
    instants = {"D-1": datetime(2026, 10, 24, 21, 59, 59, tzinfo=timezone.utc),  # Oct 24 23:59:59 CEST
                "D-2": datetime(2026, 10, 24, 22, 0, tzinfo=timezone.utc),  # Oct 25 00:00 CEST
                "D-3": datetime(2026, 10, 25, 22, 59, 59, tzinfo=timezone.utc),  # Oct 25 23:59:59 CET
                "D-4": datetime(2026, 10, 25, 23, 0, tzinfo=timezone.utc)}  # Oct 26 00:00 CET
    ingest_events(ctx, [opened(d, at, order_id=f"O-{d}") for d, at in instants.items()])
    days = last_days(datetime(2026, 10, 26, 12, 0, tzinfo=timezone.utc), 3, berlin)
    with ctx.engine.connect() as conn:
        counts = desk_queries.opened_per_day(conn, days)
    assert counts == {"2026-10-24": 1, "2026-10-25": 2, "2026-10-26": 1}
    assert days[0].start == datetime(2026, 10, 23, 22, 0, tzinfo=timezone.utc)
