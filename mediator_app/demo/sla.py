"""The platform's SLA on a demo desk: most open cases well inside it, a few breaching within the day, a small
share breached — as a marketplace's desk looks on an ordinary morning (issue 15).

The deadlines are the rules' own (`domain.time.end_of_calendar_day` with the policy's days and zone): the
intervention clock from the opening, the ruling clock from an escalation; both stop when the parties settle (or
the buyer cancels), and an expired deciding party clock stops them at its due time (`domain.view.sla_breached`).
"""
from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import Literal

from mediator_app.domain.time import end_of_calendar_day

from .builder import DisputeBuilder
from .values import DAY, POLICY

SlaClass = Literal["breached", "soon", "inside", "long_breached"]
#: Shares of open demo disputes by where they stand against the platform's SLA at `now`.
SLA_MIX: tuple[tuple[SlaClass, float], ...] = (("breached", 0.035), ("soon", 0.06), ("inside", 0.905))
#: "soon": the earliest platform deadline falls within this long after `now`.
SOON_SECONDS = DAY
#: "breached": within this long past the deadline (a desk breaches a few cases a day; older ones were dealt
#: with): a dispute breached longer ago is "long_breached", which no dispute is drawn, so it is built again.
BREACH_DEPTH = 2 * DAY
#: A dispute is built again (new random draws) at most this many times to land in its class.
ATTEMPTS = 16


def draw_class(rng: random.Random) -> SlaClass:
    return rng.choices([name for name, _ in SLA_MIX], weights=[share for _, share in SLA_MIX])[0]


def _deadline(start_epoch: int, days: int) -> int:
    start = datetime.fromtimestamp(start_epoch, timezone.utc)
    return int(end_of_calendar_day(start, days, POLICY.platform_zone).timestamp())


def sla_left(d: DisputeBuilder, opened: int, now: int) -> int:
    """Seconds from when the platform's clocks stop (or `now`, running) to the earliest platform deadline."""
    deadlines = [_deadline(opened, POLICY.platform_intervention_days)]
    if d.escalated_at is not None:
        deadlines.append(_deadline(opened + d.escalated_at, POLICY.platform_ruling_days))
    if d.settled_at is not None:
        stop = opened + d.settled_at
    elif d.clock is not None and d.stage in ("awaiting_seller", "awaiting_buyer") and opened + d.clock.due <= now:
        stop = opened + d.clock.due  # an expired deciding clock stops the platform's at its due time
    else:
        stop = now
    return min(deadlines) - stop


def sla_class(d: DisputeBuilder, opened: int, now: int) -> SlaClass:
    left = sla_left(d, opened, now)
    if left <= -BREACH_DEPTH:
        return "long_breached"
    if left <= 0:
        return "breached"
    running = d.settled_at is None
    return "soon" if running and left <= SOON_SECONDS else "inside"
