"""The demo's numbers: the policy's timers (read from `domain.policy`), time units, the stage mix, currencies,
carriers, and how amounts and times are written in the feed."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from mediator_app.domain.policy import ALIEXPRESS_2024

MINUTE = 60
HOUR = 3600
DAY = 24 * HOUR

POLICY = ALIEXPRESS_2024  # the policy every demo dispute is opened under (the feed's default)
PARTY_RESPONSE_HOURS = POLICY.party_response_hours
RETURN_SHIP_HOURS = POLICY.return_ship_days * 24
RETURN_RECEIVE_HOURS = POLICY.return_receive_days * 24
OPEN_AFTER_SHIPPED_DAYS = POLICY.open_after_shipped_days
OPEN_AT_ONCE_IF_PROMISED_BELOW = POLICY.open_at_once_if_promised_days_below
PROTECTION_DAYS_AFTER_DELIVERY = POLICY.protection_days_after_delivery
DEFAULT_PROMISED_DAYS = POLICY.default_promised_delivery_days

#: No generated event comes closer than this to a running clock's due time.
SAFETY_SECONDS = 30 * MINUTE

UTC = timezone.utc
CHINA = timezone(timedelta(hours=8))  # the offset Chinese parties' event times carry


#: Share of disputes per plan; "overdue" means a party clock ran out
#: 1-12 hours before `now` (seller, buyer, return shipment or return receipt).
STAGE_MIX: tuple[tuple[str, float], ...] = (
    ("awaiting_seller", 0.20),
    ("awaiting_buyer", 0.16),
    ("platform_review", 0.12),
    ("awaiting_return_shipment", 0.10),
    ("awaiting_return_receipt", 0.10),
    ("closed", 0.27),
    ("overdue", 0.05),
)

REASONS_ONLY_REFUND = ("not_received", "not_received", "not_received", "not_as_described",
                       "damaged", "wrong_item", "counterfeit", "missing_parts")
REASONS_RETURN = ("not_as_described", "damaged", "wrong_item", "counterfeit", "missing_parts")


@dataclass(frozen=True)
class CurrencyProfile:
    """Plausible order totals, in minor units, for one currency."""

    code: str
    weight: float
    low: int
    high: int
    premium_low: int
    premium_high: int


CURRENCIES: tuple[CurrencyProfile, ...] = (
    CurrencyProfile("USD", 0.45, 499, 35000, 50000, 120000),
    CurrencyProfile("EUR", 0.25, 399, 30000, 45000, 100000),
    CurrencyProfile("BRL", 0.15, 1990, 150000, 250000, 600000),
    CurrencyProfile("CNY", 0.15, 2500, 220000, 350000, 800000),
)
#: Share of orders priced at or above the four-eyes threshold.
PREMIUM_SHARE = 0.05

CARRIERS: tuple[tuple[str, str], ...] = (
    # (carrier, tracking pattern: '#' is a digit)
    ("China Post", "RR#########CN"),
    ("Cainiao", "LP00############"),
    ("USPS", "9400##################"),
    ("Correios", "NL#########BR"),
    ("DHL eCommerce", "GM################"),
    ("YunExpress", "YT################"),
    ("4PX", "4PX###########CN"),
)


def format_amount(minor: int) -> str:
    """Minor units (cents) as the contract's decimal string with 2 digits."""
    return f"{minor // 100}.{minor % 100:02d}"


def format_time(epoch: int, zone: timezone) -> str:
    """ISO 8601 with an offset: `Z` for UTC, else `+08:00` style."""
    moment = datetime.fromtimestamp(epoch, zone)
    if zone is UTC:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def pattern_digits(rng: random.Random, pattern: str) -> str:
    """Replace every '#' in `pattern` with a random digit."""
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)


def order_total(rng: random.Random, profile: CurrencyProfile) -> int:
    """A log-uniform price with retail-style endings (.99, .90, .00)."""
    low, high = ((profile.premium_low, profile.premium_high) if rng.random() < PREMIUM_SHARE
                 else (profile.low, profile.high))
    minor = int(math.exp(rng.uniform(math.log(low), math.log(high))))
    units = max(1, minor // 100)
    return units * 100 + rng.choice((99, 99, 90, 0, 50))


def round_offer(minor: int, ceiling: int) -> int:
    """Round a partial refund to whole units when it is at least one unit; keep it in (0, ceiling]."""
    if minor >= 100:
        minor = minor // 100 * 100
    return max(1, min(minor, ceiling))
