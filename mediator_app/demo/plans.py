"""Plans: each leaves a demo dispute in one stage at `now`, and how long before `now` it was opened."""
from __future__ import annotations

import random
from typing import Callable

from .builder import DisputeBuilder
from .values import DAY, HOUR, MINUTE


def _respond(d: DisputeBuilder) -> None:
    """A typical party response time: minutes to four days."""
    d.wait(0.3, 96)


def _counter(d: DisputeBuilder) -> None:
    """The seller counters the buyer's request."""
    _respond(d)
    d.post("seller", d.seller_counter_proposal())


def _plan_awaiting_seller(d: DisputeBuilder) -> None:
    roll = d.rng.random()
    if roll < 0.5:
        return                                  # the seller has not answered yet
    _counter(d)
    _respond(d)
    if roll < 0.8:
        d.post("buyer", d.buyer_counter_proposal())
    else:
        d.withdraw("seller")                    # the seller takes the offer back to revise it


def _plan_awaiting_buyer(d: DisputeBuilder) -> None:
    roll = d.rng.random()
    if roll < 0.2:
        d.wait(0.1, 48)
        d.withdraw("buyer")                     # the buyer withdraws to rethink the request
        return
    _counter(d)
    if roll >= 0.8:
        _respond(d)
        d.post("buyer", d.buyer_counter_proposal())
        _respond(d)
        d.post("seller", d.seller_counter_proposal(allow_no_refund=False))


def _plan_platform_review(d: DisputeBuilder) -> None:
    if d.rng.random() < 0.4:
        _respond(d)
        d.escalate("seller")                    # the seller disputes the claim outright
        return
    _counter(d)
    _respond(d)
    d.escalate("buyer")                         # the buyer rejects the counter offer


def _plan_awaiting_return_shipment(d: DisputeBuilder) -> None:
    if d.kind == "only_refund":                 # the seller offers a return instead
        _respond(d)
        d.post("seller", d.seller_return_offer())
        _respond(d)
        d.accept("buyer")
        return
    if d.rng.random() < 0.25:               # a partial refund offer first, then the buyer insists on a return
        _respond(d)
        d.post("seller", d.seller_counter_proposal(allow_no_refund=False))
        _respond(d)
        d.post("buyer", d.buyer_counter_proposal("return_and_refund"))
    _respond(d)
    d.accept("seller")


def _plan_awaiting_return_receipt(d: DisputeBuilder) -> None:
    _plan_awaiting_return_shipment(d)
    d.wait(3, 200)
    d.ship_return()


def _plan_closed(d: DisputeBuilder) -> None:
    roll = d.rng.random()
    if d.kind == "return_and_refund":           # the return completes
        _plan_awaiting_return_receipt(d)
        d.wait(48, 330)
        d.receive_return()
    elif roll < 0.3:
        _respond(d)
        d.accept("seller")                      # the seller simply agrees
    elif roll < 0.65:
        _counter(d)
        _respond(d)
        d.accept("buyer")                       # the buyer takes the counter offer
    elif roll < 0.8:
        _counter(d)
        d.wait(0.2, 24)
        d.withdraw("seller")
        d.wait(0.2, 24)
        d.post("seller", d.seller_counter_proposal(allow_no_refund=False))
        _respond(d)
        d.accept("buyer")
    else:
        if d.rng.random() < 0.5:
            _counter(d)
        _respond(d)
        d.cancel()


def _plan_overdue(d: DisputeBuilder) -> None:
    if d.kind == "return_and_refund":
        _plan_awaiting_return_shipment(d)
        if d.rng.random() < 0.5:
            d.wait(3, 200)
            d.ship_return()
    elif d.rng.random() < 0.5:
        _counter(d)                             # the buyer never answers the counter


KIND_FOR_PLAN: dict[str, Callable[[random.Random], str]] = {
    "awaiting_seller": lambda rng: "return_and_refund" if rng.random() < 0.2 else "only_refund",
    "awaiting_buyer": lambda rng: "return_and_refund" if rng.random() < 0.2 else "only_refund",
    "platform_review": lambda rng: "return_and_refund" if rng.random() < 0.3 else "only_refund",
    "awaiting_return_shipment": lambda rng: "only_refund" if rng.random() < 0.15 else "return_and_refund",
    "awaiting_return_receipt": lambda rng: "only_refund" if rng.random() < 0.15 else "return_and_refund",
    "closed": lambda rng: "return_and_refund" if rng.random() < 0.3 else "only_refund",
    "overdue": lambda rng: "return_and_refund" if rng.random() < 0.4 else "only_refund",
}

PLANS: dict[str, Callable[[DisputeBuilder], None]] = {
    "awaiting_seller": _plan_awaiting_seller,
    "awaiting_buyer": _plan_awaiting_buyer,
    "platform_review": _plan_platform_review,
    "awaiting_return_shipment": _plan_awaiting_return_shipment,
    "awaiting_return_receipt": _plan_awaiting_return_receipt,
    "closed": _plan_closed,
    "overdue": _plan_overdue,
}


def age_at_now(rng: random.Random, plan: str, d: DisputeBuilder) -> tuple[int, int]:
    """How long before `now` the reference moment lies: (age seconds, reference relative time).

    With a running party clock the reference is the clock's start; the age puts
    the due time a few hours, a few days, or (plan "overdue") 1-12 hours in the past.
    """
    if d.clock is None:
        last = d.events[-1][0]
        if plan == "platform_review":
            return rng.randint(30 * MINUTE, 6 * DAY), last
        return rng.randint(HOUR, 30 * DAY), last
    window = d.clock.hours * HOUR
    if plan == "overdue":
        return window + rng.randint(HOUR, 12 * HOUR), d.clock.start
    roll = rng.random()
    if roll < 0.2:
        remaining = rng.randint(30 * MINUTE, 12 * HOUR)
    elif roll < 0.5:
        remaining = rng.randint(12 * HOUR, 48 * HOUR)
    else:
        remaining = rng.randint(48 * HOUR, window - 30 * MINUTE)
    return window - remaining, d.clock.start
