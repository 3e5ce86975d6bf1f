"""The demo desk looks like an ordinary day at the moment it is generated (issue 15): counted on a seed, through
the real rules (every event judged by the domain, the SLA as `show` computes it)."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from mediator_app.demo import generate_demo_events
from mediator_app.domain import events as domain_events
from mediator_app.domain import feed_rules, judge
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.view import sla_breached

NOW = datetime(2026, 11, 26, 9, 30, 15, tzinfo=timezone.utc)


def states_at(count: int, seed: int, now: datetime) -> list[DisputeState]:
    states: dict[str, DisputeState] = {}
    for ev in generate_demo_events(count, seed, now, desk=True):
        parsed = domain_events.parse_event(json.loads(json.dumps(ev)))
        if ev["type"] == "dispute.opened":
            states[ev["dispute_id"]], _ = feed_rules.open_dispute(parsed)
        else:
            states[ev["dispute_id"]] = judge.judge_event(states[ev["dispute_id"]], parsed).state
    return list(states.values())


@pytest.mark.parametrize("now", [NOW, datetime(2027, 3, 1, 0, 0, tzinfo=timezone(timedelta(hours=8)))])
def test_most_open_cases_are_inside_the_sla_a_few_breach_soon_and_2_to_5_percent_breached(now: datetime) -> None:
    states = states_at(1500, 2024, now)
    open_cases = [s for s in states if s.stage != "closed"]
    breached = [s for s in open_cases if sla_breached(s, now)]
    soon = [s for s in open_cases if not sla_breached(s, now)
            and any(c.stopped_at is None and c.due - now <= timedelta(days=1) for c in s.platform_clocks)]
    assert 0.02 <= len(breached) / len(open_cases) <= 0.05, len(breached)
    assert 0.01 <= len(soon) / len(open_cases) <= 0.08, len(soon)
    inside = len(open_cases) - len(breached) - len(soon)
    assert inside / len(open_cases) >= 0.85


def test_the_top_of_the_queue_is_not_a_wall_of_old_breaches() -> None:
    """The first screen (the fifty most urgent by the earliest running clock) shows several kinds of row, and the
    breaches there are recent (hours to two days), not a week old (it was fifty rows of "platform SLA -6d")."""
    states = states_at(1500, 2024, NOW)
    open_cases = sorted((s for s in states if s.stage != "closed"),
                        key=lambda s: min([c.due for c in s.platform_clocks if c.stopped_at is None]
                                          + ([s.party_clock.due] if s.party_clock else []), default=NOW))
    top = open_cases[:50]
    assert sum(sla_breached(s, NOW) for s in top) <= 40
    assert len(Counter(s.stage for s in top)) >= 3
    running_due = [min(c.due for c in s.platform_clocks if c.stopped_at is None)
                   for s in open_cases if sla_breached(s, NOW) and any(c.stopped_at is None for c in s.platform_clocks)]
    late = sorted(NOW - due for due in running_due)
    assert late and late[len(late) * 9 // 10] <= timedelta(days=2), late[-5:]
