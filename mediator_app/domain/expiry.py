"""What runs out and what executes then: the one home of "seller silent → the buyer's proposal executes".

Every clock maps to who is silent when it runs out and what follows (§3). `show`'s `on_expiry`, the sweeper's
execution (`transitions.execute_expiries`), the rejection text of a late event (`judge`), the clock table, the
proposal panes and the queue preview all ask this module; none of them branches on a clock name itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, Mapping

from .dispute import AnyState, DisputeState
from .money import Money
from .proposals import Proposal
from .types import Actor, ClockName, DecidingClock, ProposalParty, ReachedType, Remedy

#: What a clock's expiry does, as a closed set of outcomes (the UI words each one).
ExpiryKind = Literal[
    "execute_proposal",  # a deciding clock ran out with the other side's proposal standing: it executes
    "close_no_refund",  # a deciding clock ran out with nothing standing: closed with no refund
    "return_not_shipped",  # the buyer did not ship the return: closed with no refund
    "refund_on_receipt_timeout",  # the seller did not confirm receipt: the refund executes
    "close_on_receipt_timeout",  # ... with no refund to execute: closed
    "platform_deadline",  # an SLA: nothing executes
]


@dataclass(frozen=True)
class ClockRule:
    """The fixed facts of one clock."""

    clock: ClockName
    silent: Actor  # who must act (and is silent when it runs out)
    executes: ProposalParty | None  # whose proposal executes on expiry (deciding clocks only)
    reached_type: ReachedType | None  # the outcome's reached_type when it executes
    policy_key: str  # the policy field that sets its length
    ran_out: str  # how a rejection names it: "the seller's response time"
    who: str  # how an executed expiry names the silent side: "the seller"
    deciding: bool  # resolves the dispute when it runs out
    runs_out_executes: bool  # a party clock (executes) vs a platform SLA (never executes)


CLOCK_RULES_BY_NAME: Mapping[str, ClockRule] = MappingProxyType({
    "seller_response": ClockRule("seller_response", "seller", "buyer", "seller_response_timeout",
                                 "party_response_hours", "the seller's response time", "the seller", True, True),
    "buyer_response": ClockRule("buyer_response", "buyer", "seller", "buyer_response_timeout",
                                "party_response_hours", "the buyer's response time", "the buyer", True, True),
    "parties_response": ClockRule("parties_response", "both", "platform", "platform_proposal_timeout",
                                  "party_response_hours", "the parties' response time", "the parties", True, True),
    "return_shipment": ClockRule("return_shipment", "buyer", None, None, "return_ship_days",
                                 "the return shipment time", "the buyer", False, True),
    "return_receipt": ClockRule("return_receipt", "seller", None, None, "return_receive_days",
                                "the seller's receipt confirmation time", "the seller", False, True),
    "platform_intervention": ClockRule("platform_intervention", "platform", None, None,
                                       "platform_intervention_days", "the platform's intervention time",
                                       "the platform", False, False),
    "platform_ruling": ClockRule("platform_ruling", "platform", None, None, "platform_ruling_days",
                                 "the platform's ruling time", "the platform", False, False),
})
DECIDING_CLOCKS: tuple[DecidingClock, ...] = ("seller_response", "buyer_response", "parties_response")
#: Which party's proposal a deciding clock executes.
EXECUTES: Mapping[str, ProposalParty] = MappingProxyType(
    {name: rule.executes for name, rule in CLOCK_RULES_BY_NAME.items() if rule.executes is not None})


def clock_rule(clock: str) -> ClockRule | None:
    return CLOCK_RULES_BY_NAME.get(clock)


def is_deciding(clock: str | None) -> bool:
    return clock in EXECUTES


def ran_out_text(clock: str) -> str:
    """`the seller's response time` (an unknown clock: its name)."""
    rule = CLOCK_RULES_BY_NAME.get(clock)
    return rule.ran_out if rule is not None else clock


@dataclass(frozen=True)
class Expiry:
    """What happens if `clock` runs out now: `kind`, and for an execution whose proposal with which terms."""

    clock: ClockName
    silent: Actor
    kind: ExpiryKind
    adopted: ProposalParty | None = None  # whose proposal executes
    proposal: Proposal | None = None  # the terms that execute
    refund: Money | None = None  # the refund that executes (None: no refund)
    reached_type: ReachedType | None = None  # deciding clocks: the outcome's reached_type

    @property
    def remedy(self) -> Remedy | None:
        """The remedy that executes (`no_refund` when closing without one; None for an SLA)."""
        if self.kind == "execute_proposal" and self.proposal is not None:
            return self.proposal.remedy
        if self.kind == "refund_on_receipt_timeout":
            return "refund"
        if self.kind == "platform_deadline":
            return None
        return "no_refund"

    def words(self) -> str:
        """The contract's `on_expiry` text (§4): `execute buyer proposal P-1`, `close with no refund`…"""
        if self.kind == "execute_proposal":
            assert self.proposal is not None
            return f"execute {self.adopted} proposal {self.proposal.proposal_id}"
        if self.kind == "close_no_refund":
            return "close with no refund"
        if self.kind == "return_not_shipped":
            return "close with no refund (return not shipped)"
        if self.kind == "refund_on_receipt_timeout":
            return f"execute the refund {self.refund} (receipt not confirmed)"
        if self.kind == "close_on_receipt_timeout":
            return "close (receipt not confirmed)"
        return "nothing executes (platform deadline)"


def expiry_kind(clock: str, adopted: str | None, refund: Money | None) -> ExpiryKind:
    """The kind of an expiry from its facts (for a stored queue line that carries them, not the state)."""
    if clock in EXECUTES:
        return "execute_proposal" if adopted is not None else "close_no_refund"
    if clock == "return_shipment":
        return "return_not_shipped"
    if clock == "return_receipt":
        return "refund_on_receipt_timeout" if refund is not None else "close_on_receipt_timeout"
    return "platform_deadline"


def on_expiry_of(state: AnyState, clock: str) -> Expiry:
    """What executes if `clock` runs out with `state` as it is."""
    rule = CLOCK_RULES_BY_NAME.get(clock)
    if rule is None:
        raise ValueError(f"unknown clock {clock!r}")
    if rule.executes is not None:
        proposal = state.proposals[rule.executes]
        if proposal is None:
            return Expiry(rule.clock, rule.silent, "close_no_refund", reached_type=rule.reached_type)
        refund = proposal.refund if proposal.remedy != "no_refund" else None
        return Expiry(rule.clock, rule.silent, "execute_proposal", rule.executes, proposal, refund,
                      rule.reached_type)
    if clock == "return_shipment":
        return Expiry(rule.clock, rule.silent, "return_not_shipped")
    if clock == "return_receipt":
        refund = state.outcome.refund if state.outcome else None
        kind: ExpiryKind = "refund_on_receipt_timeout" if refund else "close_on_receipt_timeout"
        return Expiry(rule.clock, rule.silent, kind, refund=refund)
    return Expiry(rule.clock, rule.silent, "platform_deadline")


def running_expiry(state: DisputeState) -> Expiry | None:
    """The expiry of the party clock that runs (the default-judgment preview); None when none runs."""
    clock = state.party_clock
    return on_expiry_of(state, clock.clock) if clock is not None else None
