"""`mediator stats` (§5.3): every figure against the hand count of tests/db/desk_set.py, on both databases."""
from __future__ import annotations

from pathlib import Path

import pytest

from mediator_app.domain.desk import REACHED_TYPES
from mediator_app.services.context import Context
from tests.cli_runner import Mediator

from . import desk_set as ds
from .feeds import z


@pytest.fixture
def m(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Mediator:
    mediator = Mediator(db_url, capsys)
    ds.build(mediator, tmp_path)
    return mediator


def test_every_figure_counted_by_hand(m: Mediator) -> None:
    s = m.ok("stats", "--as", "bob", "--days", "7", now=z(ds.NOW))
    assert s["at"] == "2026-11-05T02:00:00Z"
    assert s["by_stage"] == ds.EXPECTED_BY_STAGE
    assert list(s["by_stage"]) == list(ds.EXPECTED_BY_STAGE)  # every open stage, in §3's order
    assert s["open"] == 16 == sum(ds.EXPECTED_DUE_IN.values())
    assert s["due_in"] == ds.EXPECTED_DUE_IN
    assert s["sla_breached_open"] == 2
    assert s["workload"] == ds.EXPECTED_WORKLOAD
    assert [d["day"] for d in s["days"]] == list(ds.EXPECTED_OPENED)
    for day in s["days"]:
        assert day["opened"] == ds.EXPECTED_OPENED[day["day"]], day
        resolved, breached, by_type = ds.EXPECTED_RESOLVED.get(day["day"], (0, 0, {}))
        assert (day["resolved"], day["resolved_sla_breached"]) == (resolved, breached), day
        assert day["by_reached_type"] == {t: by_type.get(t, 0) for t in REACHED_TYPES}


def test_each_open_dispute_where_show_puts_it(m: Mediator) -> None:
    """The hand count's premises, read back from `show`: the stage, the earliest clock, the SLA."""
    from mediator_app.domain.desk import due_bucket
    from mediator_app.domain.time import parse_time

    for d, (_at, stage, bucket, breached) in ds.OPEN.items():
        case = m.ok("show", d, "--as", "dora", now=z(ds.NOW))
        first = parse_time(case["deadlines"][0]["due"], "due") if case["deadlines"] else None
        assert (case["stage"], due_bucket(first, ds.NOW), case["sla_breached"]) == (stage, bucket, breached), d
    for d, (_at, resolved_at, reached, breached) in ds.CLOSED.items():
        case = m.ok("show", d, "--as", "dora", now=z(ds.NOW))
        assert (case["outcome"]["resolved_at"], case["outcome"]["reached_type"], case["sla_breached"]) == (
            z(resolved_at), reached, breached)


def test_a_minute_later_the_edges_move(m: Mediator) -> None:
    """At NOW + 1 s: D-4H joins the overdue; D-24H (NOW + 4 h) is under 4 h; D-72H (NOW + 24 h) under 24 h;
    D-LATER (NOW + 72 h) under 72 h."""
    from datetime import timedelta

    s = m.ok("stats", "--as", "dora", "--days", "1", now=z(ds.NOW + timedelta(seconds=1)))
    assert s["due_in"] == {"overdue": 4, "lt_4h": 1, "lt_24h": 2, "lt_72h": 4, "later": 4, "none": 1}
    assert len(s["days"]) == 1 and s["days"][0]["day"] == "2026-11-05"


def test_the_days_default_and_bounds(m: Mediator) -> None:
    assert len(m.ok("stats", "--as", "bob", now=z(ds.NOW))["days"]) == 14
    assert len(m.ok("stats", "--as", "bob", "--days", "366", now=z(ds.NOW))["days"]) == 366
    for bad in ("0", "367"):
        assert m("stats", "--as", "bob", "--days", bad, now=z(ds.NOW)).code == 2
    run = m("stats", "--as", "alice", now=z(ds.NOW))
    assert run.code == 1 and "supervisor or auditor" in run.json["error"]
    assert m("stats", "--as", "nobody", now=z(ds.NOW)).code == 1
