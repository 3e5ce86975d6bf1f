"""Proposals: the terms a party (or the platform) offers, validated against the order."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

from .errors import Rejection
from .money import Money, parse_money
from .types import ProposalParty, Remedy

PARTIES = ("buyer", "seller", "platform")
REMEDIES = ("refund", "return_and_refund", "no_refund")


@dataclass(frozen=True)
class Proposal:
    proposal_id: str
    remedy: Remedy
    refund: Money | None = None
    return_shipping_paid_by: ProposalParty | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"proposal_id": self.proposal_id, "remedy": self.remedy}
        if self.refund is not None:
            out["refund"] = self.refund.to_json()
        if self.return_shipping_paid_by is not None:
            out["return_shipping_paid_by"] = self.return_shipping_paid_by
        if self.note is not None:
            out["note"] = self.note
        return out

    @staticmethod
    def from_json(data: dict[str, Any]) -> Proposal:
        refund = data.get("refund")
        return Proposal(
            proposal_id=data["proposal_id"],
            remedy=data["remedy"],
            refund=parse_money(refund) if refund is not None else None,
            return_shipping_paid_by=data.get("return_shipping_paid_by"),
            note=data.get("note"),
        )

    def describe(self) -> str:
        """Short human text: `refund 20.00 USD`, `return and refund 66.65 USD`, `no refund`."""
        if self.remedy == "no_refund" or self.refund is None:
            return "no refund"
        if self.remedy == "return_and_refund":
            return f"return and refund {self.refund}"
        return f"refund {self.refund}"


def refund_bound(amount: Decimal, order_total: Money) -> Literal["not_positive", "above_total"] | None:
    """Which bound of §1 a refund of `amount` (in the order's currency) breaks: it must be greater than zero and
    at most the order total. None when it is within both."""
    if amount <= 0:
        return "not_positive"
    if amount > order_total.amount:
        return "above_total"
    return None


def check_terms(
    remedy: Any, refund: Money | None, return_shipping_paid_by: Any, order_total: Money, what: str
) -> tuple[Remedy, Money | None, ProposalParty | None]:
    """The shared checks of §1 for a proposal's remedy, refund and return shipping."""
    if not isinstance(remedy, str) or remedy not in REMEDIES:
        raise Rejection(f"{what}: remedy must be one of {', '.join(REMEDIES)} (got {remedy!r})")
    if remedy == "no_refund":
        if refund is not None:
            raise Rejection(f"{what}: a no_refund proposal carries no refund")
    else:
        if refund is None:
            raise Rejection(f"{what}: remedy {remedy} needs a refund amount")
        if refund.currency != order_total.currency:
            raise Rejection(
                f"{what}: refund currency {refund.currency} is not the order's currency {order_total.currency}"
            )
        bound = refund_bound(refund.amount, order_total)
        if bound == "not_positive":
            raise Rejection(f"{what}: refund {refund} must be greater than zero")
        if bound == "above_total":
            raise Rejection(f"{what}: refund {refund} is above the order total {order_total}")
    if remedy == "return_and_refund":
        payer = return_shipping_paid_by if return_shipping_paid_by is not None else "buyer"
        if not isinstance(payer, str) or payer not in PARTIES:
            raise Rejection(f"{what}: return_shipping_paid_by must be buyer, seller or platform")
        return "return_and_refund", refund, cast(ProposalParty, payer)
    if return_shipping_paid_by is not None:
        raise Rejection(f"{what}: return_shipping_paid_by is only for return_and_refund")
    return cast(Remedy, remedy), refund, None


def parse_proposal(data: Any, order_total: Money, what: str = "proposal") -> Proposal:
    """A proposal object from the feed (§1), checked against the order total."""
    if not isinstance(data, dict):
        raise Rejection(f"{what} must be an object")
    proposal_id = data.get("proposal_id")
    if not isinstance(proposal_id, str) or not proposal_id.strip() or len(proposal_id) > 64:
        raise Rejection(f"{what}: proposal_id must be a non-empty string of at most 64 characters")
    raw_refund = data.get("refund")
    refund = parse_money(raw_refund, f"{what} refund") if raw_refund is not None else None
    note = data.get("note")
    if note is not None and (not isinstance(note, str) or len(note) > 4000):
        raise Rejection(f"{what}: note must be text of at most 4000 characters")
    remedy, refund, payer = check_terms(
        data.get("remedy"), refund, data.get("return_shipping_paid_by"), order_total, what
    )
    return Proposal(proposal_id, remedy, refund, payer, note)
