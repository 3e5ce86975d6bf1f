"""The demo stream: orders inside the opening window, the plan list, sellers, and every dispute's events in
global time order (`generate_demo_events`)."""
from __future__ import annotations

import math
import random
from datetime import datetime
from itertools import accumulate
from typing import Any, Iterator

from .builder import DisputeBuilder, Parties
from . import sla
from .plans import KIND_FOR_PLAN, PLANS, age_at_now
from .values import (CHINA, CURRENCIES, DAY, DEFAULT_PROMISED_DAYS, HOUR, OPEN_AFTER_SHIPPED_DAYS,
                     OPEN_AT_ONCE_IF_PROMISED_BELOW, PROTECTION_DAYS_AFTER_DELIVERY, REASONS_ONLY_REFUND,
                     REASONS_RETURN, STAGE_MIX, UTC, format_amount, format_time, order_total)


def _order(rng: random.Random, d: DisputeBuilder, order_id: str, opened: int) -> dict[str, Any]:
    """The order, with shipping dates inside the §3 opening window of `opened` (epoch seconds)."""
    if d.reason == "not_received":
        at_once = rng.random() < 0.1
        promised = rng.choice((3, 4)) if at_once else rng.choice((None, 20, 30, 45, 60))
        earliest = DAY if at_once else OPEN_AFTER_SHIPPED_DAYS * DAY
        latest = ((promised or DEFAULT_PROMISED_DAYS) + PROTECTION_DAYS_AFTER_DELIVERY) * DAY - HOUR
        shipped = opened - rng.randint(earliest, latest)
        delivered = None
    else:
        at_once = rng.random() < 0.15
        promised = rng.randint(2, OPEN_AT_ONCE_IF_PROMISED_BELOW - 1) if at_once else rng.choice((None, 15, 20, 30))
        transit = rng.randint(DAY, 4 * DAY) if at_once else rng.randint(6 * DAY, 25 * DAY)
        earliest = transit + HOUR if at_once else max(transit + HOUR, OPEN_AFTER_SHIPPED_DAYS * DAY)
        latest = transit + PROTECTION_DAYS_AFTER_DELIVERY * DAY - HOUR
        shipped = opened - rng.randint(earliest, latest)
        delivered = shipped + transit
    order: dict[str, Any] = {
        "order_id": order_id,
        "buyer_id": d.parties.buyer_id,
        "seller_id": d.parties.seller_id,
        "total": {"amount": format_amount(d.total), "currency": d.currency},
        "shipped_at": format_time(shipped, rng.choice((UTC, CHINA))),
    }
    if delivered is not None:
        order["delivered_at"] = format_time(delivered, rng.choice((UTC, CHINA)))
    if promised is not None:
        order["promised_delivery_days"] = promised
    return order


def _plan_list(rng: random.Random, count: int) -> list[str]:
    """`count` plan names in STAGE_MIX proportions (largest remainder), shuffled."""
    quotas = [(name, share * count) for name, share in STAGE_MIX]
    sizes = {name: int(q) for name, q in quotas}
    leftover = count - sum(sizes.values())
    for name, q in sorted(quotas, key=lambda item: item[1] - int(item[1]), reverse=True)[:leftover]:
        sizes[name] += 1
    plans = [name for name, _ in STAGE_MIX for _ in range(sizes[name])]
    rng.shuffle(plans)
    return plans


class _SellerPool:
    """A pool of sellers with a long tail: a few sellers carry many disputes."""

    def __init__(self, rng: random.Random, count: int) -> None:
        size = max(3, count // 6)
        self.ids = [f"S-{n}" for n in rng.sample(range(100000, 1000000), size)]
        self.languages = ["zh" if rng.random() < 0.65 else "en" for _ in range(size)]
        self.cumulative = list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(size)))

    def pick(self, rng: random.Random) -> tuple[str, str]:
        index = rng.choices(range(len(self.ids)), cum_weights=self.cumulative)[0]
        return self.ids[index], self.languages[index]


def _build_dispute(rng: random.Random, index: int, plan: str, now: int, sellers: _SellerPool,
                   desk: bool = False) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    """Run one plan; return the opening's epoch and the dispute's (relative time, event) pairs.

    `desk`: an open dispute is drawn a class against the platform's SLA (`sla.SLA_MIX`) and built again, with
    new draws, until it lands in it (at most `sla.ATTEMPTS` times: the last try stands)."""
    target = sla.draw_class(rng) if desk and plan != "closed" else None
    for _attempt in range(sla.ATTEMPTS):
        d, opened = _try_dispute(rng, index, plan, now, sellers)
        if target is None or sla.sla_class(d, opened, now) == target:
            break
    order_id = f"O-{8_100_000_000 + index * 100 + rng.randrange(100)}"
    d.events[0][1]["order"] = _order(rng, d, order_id, opened)
    return opened, d.events


def _try_dispute(rng: random.Random, index: int, plan: str, now: int,
                 sellers: _SellerPool) -> tuple[DisputeBuilder, int]:
    profile = rng.choices(CURRENCIES, weights=[c.weight for c in CURRENCIES])[0]
    kind = KIND_FOR_PLAN[plan](rng)
    reason = rng.choice(REASONS_RETURN if kind == "return_and_refund" else REASONS_ONLY_REFUND)
    seller_id, seller_lang = sellers.pick(rng)
    buyer_lang = "zh" if rng.random() < (0.9 if profile.code == "CNY" else 0.2) else "en"
    parties = Parties(f"B-{rng.randrange(10_000_000, 100_000_000)}", seller_id,
                      {"buyer": buyer_lang, "seller": seller_lang})
    d = DisputeBuilder(rng=rng, number=100001 + index, parties=parties, currency=profile.code,
                       total=order_total(rng, profile), kind=kind, reason=reason,
                       evidence_pending=rng.choice((1, 2)) if rng.random() < 1 / 3 else 0)
    d.open(order={})                            # the order is filled in once the opening is anchored
    PLANS[plan](d)
    age, reference = age_at_now(rng, plan, d)
    now_rel = d.finish(age, reference)
    return d, now - now_rel


def generate_demo_events(count: int, seed: int, now: datetime, desk: bool = False) -> Iterator[dict[str, Any]]:
    """Feed events for `count` disputes, ordered by `at` globally (ascending), reproducible for a given (count, seed, now).

    Disputes are numbered D-100001, D-100002, ...; event ids are
    ``DEMO-<seed>-<n>`` in stream order. Every `at` is <= `now` (taken to the
    whole second). See STAGE_MIX for the stage each dispute is left in. `desk`: the platform's SLA as on an
    ordinary day (`sla.SLA_MIX`: a few breached, a few due within the day, most well inside); without it the
    ages are the plans' alone (what the tests and benchmarks were built on).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    now_epoch = math.floor(now.timestamp())
    sellers = _SellerPool(rng, count)
    stream: list[tuple[int, int, int, str, dict[str, Any]]] = []
    for index, plan in enumerate(_plan_list(rng, count)):
        opened, events = _build_dispute(rng, index, plan, now_epoch, sellers, desk)
        dispute_id = f"D-{100001 + index}"
        for seq, (rel, body) in enumerate(events):
            at = opened + rel
            zone = UTC if rng.random() < 0.5 else CHINA
            stream.append((at, index, seq, format_time(at, zone), body))
            body["dispute_id"] = dispute_id
    stream.sort(key=lambda item: (item[0], item[1], item[2]))
    for n, (_, _, _, at_text, body) in enumerate(stream, start=1):
        event = {"event_id": f"DEMO-{seed}-{n}", "type": body.pop("type"),
                 "dispute_id": body.pop("dispute_id"), "at": at_text}
        event.update(body)
        yield event
