"""A demo desk at the moment it is made: the clerks' and the supervisor's day on top of the generated feed.

After the feed is in, the last day's work is replayed through the real services, each action at its own moment
(`FixedClock`), in time order: rulings (most execute; those at or above the currency's four-eyes threshold wait
for the supervisor, who approves some during the day), platform proposals, notes; then, in the last half hour,
cases claimed by the clerks and assigned by the supervisor, so they are held at `now`. At the end a handful of
approvals wait — in every currency the demo uses where a case is large enough.

Only cases whose feed is quiet since the action's moment and with no party clock due before `now` are touched:
nothing executes on the way, and no action is dated before the case's last event.
"""
from __future__ import annotations

import random
from functools import partial
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Callable

from mediator_app.db import store
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.money import CURRENCY_DIGITS, Money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.time import FixedClock

from . import casework
from .context import Context
from .reading import read

CLERKS = ("alice", "carol", "li.wei")
SUPERVISOR = "bob"
DAY = timedelta(hours=24)
#: Shares of the cases in platform review that were decided during the last day, by kind of decision.
RULED_SHARE = 0.25
PROPOSED_SHARE = 0.08
NOTED_SHARE = 0.02  # of every open case
PENDING_PER_CURRENCY = 2  # large cases left waiting for the supervisor, per currency
DECIDED_PER_CURRENCY = 2  # large cases the supervisor approved (or sent back) during the day, per currency
HELD_PER_CLERK = (2, 4)  # claimed in the last half hour
ASSIGNED_PER_CLERK = 2  # by the supervisor, in the last half hour
NOTES = ("Asked the seller for the tracking history.", "Photos checked: damage visible on the box.",
         "Buyer's account has two earlier disputes with this seller.", "Waiting for the carrier's reply.",
         "已联系卖家核实发货记录。", "买家提供的照片与描述一致。")


@dataclass
class DeskReport:
    """How many of each action the desk's day holds."""

    actions: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)  # actions the rules refused (none expected)


@dataclass(order=True)
class _Planned:
    at: datetime
    dispute_id: str
    user: str = field(compare=False)
    action: str = field(compare=False)
    run: Callable[[Context], object] = field(compare=False)


def _threshold(state: DisputeState) -> Money | None:
    amount = get_policy(state.policy).four_eyes_threshold.get(state.order.total.currency)
    return Money(amount, state.order.total.currency) if amount is not None else None


def _quiet_since(state: DisputeState, now: datetime) -> bool:
    """No party clock runs out before `now` (an action would execute it)."""
    return state.party_clock is None or state.party_clock.due > now


def _moment(rng: random.Random, state: DisputeState, start: datetime, end: datetime) -> datetime | None:
    """A moment in (max(start, the case's last event), end), whole seconds; None when there is none."""
    low = max(start, state.last_feed_at + timedelta(minutes=5))
    if low >= end:
        return None
    return (low + (end - low) * rng.random()).replace(microsecond=0)


def stage_desk(ctx: Context, seed: int) -> DeskReport:
    """Replay the last day's desk work on the open disputes (see the module's text); deterministic by seed."""
    now = ctx.clock.now()
    rng = random.Random(f"desk-{seed}")
    states = sorted(read(ctx, lambda conn: store.queue_states(conn)), key=lambda s: s.dispute_id)
    quiet = [s for s in states if _quiet_since(s, now)]
    review = [s for s in quiet if s.stage == "platform_review"]
    plan: list[_Planned] = []
    taken: set[str] = set()
    day_start, day_end = now - DAY, now - timedelta(minutes=40)

    def add(state: DisputeState, at: datetime | None, user: str, action: str, run: Callable[[Context], object]) -> None:
        if at is not None:
            plan.append(_Planned(at, state.dispute_id, user, action, run))
            taken.add(state.dispute_id)

    # large cases left waiting for the supervisor: the buyer's refund ruled, or a platform refund proposed
    by_currency: dict[str, list[DisputeState]] = {}
    for state in review:
        threshold = _threshold(state)
        if threshold is not None and state.order.total.amount >= threshold.amount:
            by_currency.setdefault(state.order.total.currency, []).append(state)
    for currency in sorted(by_currency):
        for number, state in enumerate(by_currency[currency][:PENDING_PER_CURRENCY + DECIDED_PER_CURRENCY]):
            threshold = _threshold(state)
            assert threshold is not None
            clerk = rng.choice(CLERKS)
            at = _moment(rng, state, day_start, day_end)
            buyer = state.proposals["buyer"]
            if buyer is not None and buyer.refund is not None and buyer.refund.amount >= threshold.amount:
                add(state, at, clerk, "rule", partial(casework.rule, dispute_id=state.dispute_id, user=clerk,
                                                      adopt="buyer", note="Evidence supports the buyer."))
            else:
                add(state, at, clerk, "propose", partial(
                    casework.propose, dispute_id=state.dispute_id, user=clerk, remedy="refund",
                    amount=str(threshold.amount), note="Refund of the threshold amount."))
            if number >= PENDING_PER_CURRENCY and at is not None:  # the supervisor decided these during the day
                later = at + timedelta(minutes=rng.randint(20, 240))
                if later < day_end:
                    sent_back = rng.random() < 0.3
                    plan.append(_Planned(later, state.dispute_id, SUPERVISOR, "send-back" if sent_back else "approve",
                                         partial(casework.send_back, dispute_id=state.dispute_id, user=SUPERVISOR,
                                                 note="Ask the seller for the packing photos first.")
                                         if sent_back else
                                         partial(casework.approve, dispute_id=state.dispute_id, user=SUPERVISOR)))

    # the day's rulings and proposals on the rest of the review queue
    for state in review:
        if state.dispute_id in taken:
            continue
        roll = rng.random()
        clerk = rng.choice(CLERKS)
        at = _moment(rng, state, day_start, day_end)
        if roll < RULED_SHARE:
            adopt = "buyer" if state.proposals["seller"] is None or rng.random() < 0.55 else "seller"
            add(state, at, clerk, "rule", partial(casework.rule, dispute_id=state.dispute_id, user=clerk, adopt=adopt))
            adopted = state.proposals[adopt]
            refund = adopted.refund if adopted is not None else None
            threshold = _threshold(state)
            if at is not None and refund is not None and threshold is not None and refund.amount >= threshold.amount:
                later = at + timedelta(minutes=rng.randint(20, 180))  # the supervisor approves it during the day
                if later < day_end:
                    plan.append(_Planned(later, state.dispute_id, SUPERVISOR, "approve",
                                         partial(casework.approve, dispute_id=state.dispute_id, user=SUPERVISOR)))
        elif roll < RULED_SHARE + PROPOSED_SHARE:
            total = state.order.total
            offer = _partial(total.amount * Decimal(rng.uniform(0.3, 0.7)), total.currency)
            threshold = _threshold(state)
            if threshold is not None and offer >= threshold.amount:
                continue  # the day's proposals stay below the threshold; the pending ones are above
            add(state, at, clerk, "propose", partial(casework.propose, dispute_id=state.dispute_id, user=clerk,
                                                     remedy="refund", amount=str(offer),
                                                     note="A middle way between the two proposals."))

    # notes on a few open cases
    for state in quiet:
        if state.dispute_id not in taken and rng.random() < NOTED_SHARE:
            clerk, text = rng.choice(CLERKS), rng.choice(NOTES)
            add(state, _moment(rng, state, day_start, day_end), clerk, "note",
                partial(casework.note, dispute_id=state.dispute_id, user=clerk, text=text))

    # the last half hour: cases held by each clerk, and assigned by the supervisor
    free = [s for s in quiet if s.dispute_id not in taken]
    rng.shuffle(free)
    recent = now - timedelta(minutes=28)
    for clerk in CLERKS:
        for _ in range(rng.randint(*HELD_PER_CLERK)):
            if free:
                state = free.pop()
                add(state, _moment(rng, state, recent, now), clerk, "claim",
                    partial(casework.claim, dispute_id=state.dispute_id, user=clerk))
        for _ in range(ASSIGNED_PER_CLERK):
            if free:
                state = free.pop()
                add(state, _moment(rng, state, recent, now), SUPERVISOR, "assign",
                    partial(casework.assign, dispute_id=state.dispute_id, user=SUPERVISOR, to=clerk))

    report = DeskReport()
    for item in sorted(plan):
        try:
            item.run(Context(ctx.engine, FixedClock(item.at), ctx.workstation))
            report.actions[item.action] += 1
        except Rejection as exc:
            report.refused.append(f"{item.action} {item.dispute_id} by {item.user}: {exc}")
    return report


def _partial(amount: Decimal, currency: str) -> Decimal:
    """A proposal amount in whole units (at least one), written with the currency's minor digits."""
    whole = max(Decimal(1), amount.quantize(Decimal(1)))
    digits = CURRENCY_DIGITS.get(currency, 2)
    return whole.quantize(Decimal(1).scaleb(-digits)) if digits else whole
