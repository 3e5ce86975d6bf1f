"""Policies: timers and thresholds as versioned data. Each dispute stores its policy name."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

from .errors import Rejection
from .money import Money


@dataclass(frozen=True)
class Policy:
    name: str
    open_after_shipped_days: int
    open_at_once_if_promised_days_below: int
    protection_days_after_delivery: int
    default_promised_delivery_days: int
    party_response_hours: int
    platform_intervention_days: int
    platform_ruling_days: int
    return_ship_days: int
    return_receive_days: int
    four_eyes_threshold: Mapping[str, Decimal] = field(default_factory=dict)
    platform_zone: str = "Asia/Shanghai"
    claim_lease_minutes: int = 30
    approval_hours: int = 24  # a supervisor decides what waits for approval within this (§5.2); never executes

    @property
    def approval(self) -> timedelta:
        return timedelta(hours=self.approval_hours)

    @property
    def party_response(self) -> timedelta:
        return timedelta(hours=self.party_response_hours)

    @property
    def return_ship(self) -> timedelta:
        return timedelta(days=self.return_ship_days)

    @property
    def return_receive(self) -> timedelta:
        return timedelta(days=self.return_receive_days)

    @property
    def claim_lease(self) -> timedelta:
        return timedelta(minutes=self.claim_lease_minutes)

    def needs_four_eyes(self, refund: Money | None) -> bool:
        """A refund at or above the currency's threshold needs a supervisor."""
        if refund is None:
            return False
        threshold = self.four_eyes_threshold.get(refund.currency)
        return threshold is not None and refund.amount >= threshold


ALIEXPRESS_2024 = Policy(
    name="aliexpress-2024",
    open_after_shipped_days=10,
    open_at_once_if_promised_days_below=5,
    protection_days_after_delivery=15,
    default_promised_delivery_days=60,
    party_response_hours=120,
    platform_intervention_days=7,
    platform_ruling_days=3,
    return_ship_days=10,
    return_receive_days=15,
    four_eyes_threshold=MappingProxyType({
        "USD": Decimal("500.00"), "EUR": Decimal("450.00"), "GBP": Decimal("400.00"),
        "CNY": Decimal("3500.00"), "BRL": Decimal("2500.00"), "JPY": Decimal("75000"),
        "KRW": Decimal("700000"),
    }),
    platform_zone="Asia/Shanghai",
    approval_hours=24,
)

POLICIES: Mapping[str, Policy] = MappingProxyType({ALIEXPRESS_2024.name: ALIEXPRESS_2024})
DEFAULT_POLICY = ALIEXPRESS_2024.name


def get_policy(name: str) -> Policy:
    try:
        return POLICIES[name]
    except KeyError:
        raise Rejection(f"unknown policy {name!r} (known: {', '.join(POLICIES)})") from None
