"""The transitions every rule shares: who must act, clocks, resolution and expiry (§3)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .dispute import NEGOTIATION_STAGES, DisputeState, Outcome, PartyClock, PlatformClock
from .policy import Policy
from .proposals import Proposal
from .time import end_of_calendar_day, format_utc


@dataclass(frozen=True)
class Change:
    """One applied change: one version step and one row of the append-only history."""

    kind: str
    at: datetime
    party: str | None
    actor: str  # "feed", "sweeper" or a workstation user
    summary: str
    version_after: int
    payload: dict[str, Any] = field(default_factory=dict)
    event_id: str | None = None
    exec_key: str | None = None  # executed clocks: unique per dispute (backstop for exactly once)
    idempotency_key: str | None = None  # clerk actions: the client's key, so a retry never applies twice
    idempotency_action: str | None = None  # and the action it names ("note on D-1 #<digest of the arguments>")
    attachment: bytes | None = None  # evidence content


def other_party(party: str) -> str:
    return "seller" if party == "buyer" else "buyer"


def who_must_act(state: DisputeState) -> str:
    """§3: no buyer proposal -> buyer; else no seller proposal -> seller; else whoever did not move last."""
    if state.proposals["buyer"] is None:
        return "buyer"
    if state.proposals["seller"] is None:
        return "seller"
    return other_party(state.last_mover)


def restart_negotiation_clock(state: DisputeState, policy: Policy, at: datetime, started_by: str) -> None:
    """Recompute who must act and (re)start that party's 120 h clock at `at`."""
    party = who_must_act(state)
    state.stage = f"awaiting_{party}"
    state.party_clock = PartyClock(f"{party}_response", party, at, at + policy.party_response, started_by)


def start_platform_review(state: DisputeState, policy: Policy, at: datetime, started_by: str) -> None:
    """Enter `platform_review`: party clocks stop, a new 3-day ruling clock starts."""
    state.stage = "platform_review"
    state.party_clock = None
    due = end_of_calendar_day(at, policy.platform_ruling_days, policy.platform_zone)
    state.platform_clocks.append(PlatformClock("platform_ruling", at, due, started_by))


def stop_platform_clocks(state: DisputeState, at: datetime) -> None:
    state.platform_clocks = [c if c.stopped_at is not None else replace(c, stopped_at=at)
                             for c in state.platform_clocks]


def post_platform_proposal(state: DisputeState, policy: Policy, proposal: Proposal, at: datetime,
                           started_by: str) -> None:
    """An active platform proposal: both parties' 120 h clock; earlier acceptances no longer count."""
    state.proposals["platform"] = proposal
    state.platform_acceptances = []
    state.platform_rejected = False
    state.pending = None
    stop_platform_clocks(state, at)
    state.stage = "awaiting_parties"
    state.party_clock = PartyClock("parties_response", "both", at, at + policy.party_response, started_by)


def resolve(state: DisputeState, policy: Policy, reached_type: str, adopted: str | None,
            terms: Proposal | None, at: datetime) -> None:
    """Resolve the dispute; an outcome with a return goes through the return stages first."""
    stop_platform_clocks(state, at)
    state.pending = None
    refund = terms.refund if terms is not None and terms.remedy != "no_refund" else None
    needs_return = terms is not None and terms.remedy == "return_and_refund"
    state.outcome = Outcome(reached_type, adopted, terms, refund, needs_return,
                            "awaiting_shipment" if needs_return else "none", at)
    if needs_return:
        state.stage = "awaiting_return_shipment"
        state.party_clock = PartyClock("return_shipment", "buyer", at, at + policy.return_ship,
                                       f"resolution ({reached_type})")
    else:
        state.stage = "closed"
        state.closed_at = at
        state.party_clock = None


def on_expiry(state: DisputeState, clock: str) -> str:
    """What happens when `clock` runs out, in words (the default-judgment preview)."""
    proposals = state.proposals
    if clock == "seller_response":
        buyer = proposals["buyer"]
        return f"execute buyer proposal {buyer.proposal_id}" if buyer else "close with no refund"
    if clock == "buyer_response":
        seller = proposals["seller"]
        return f"execute seller proposal {seller.proposal_id}" if seller else "close with no refund"
    if clock == "parties_response":
        platform = proposals["platform"]
        return f"execute platform proposal {platform.proposal_id}" if platform else "close with no refund"
    if clock == "return_shipment":
        return "close with no refund (return not shipped)"
    if clock == "return_receipt":
        refund = state.outcome.refund if state.outcome else None
        return f"execute the refund {refund} (receipt not confirmed)" if refund else "close (receipt not confirmed)"
    return "nothing executes (platform deadline)"


def expiry_verdict(state: DisputeState) -> tuple[str, str | None, Proposal | None]:
    """For a negotiation clock: (reached_type, adopted party, terms) if it ran out now."""
    assert state.party_clock is not None
    clock = state.party_clock.clock
    if clock == "seller_response":
        terms = state.proposals["buyer"]
        return "seller_response_timeout", ("buyer" if terms else None), terms
    if clock == "buyer_response":
        terms = state.proposals["seller"]
        return "buyer_response_timeout", ("seller" if terms else None), terms
    terms = state.proposals["platform"]
    return "platform_proposal_timeout", ("platform" if terms else None), terms


def execute_expiries(state: DisputeState, policy: Policy, until: datetime) -> tuple[DisputeState, list[Change]]:
    """Execute every party clock due at or before `until`, follow-on clocks included.

    Each execution is its own version step dated at the clock's due time, and counts as a
    feed event at that time (`last_feed_at`). Returns the new state (the input is not changed).
    """
    changes: list[Change] = []
    while state.party_clock is not None and state.party_clock.due <= until:
        state = state.copy()
        clock = state.party_clock
        assert clock is not None
        at = clock.due
        payload: dict[str, Any] = {"clock": clock.clock}
        if clock.clock in ("return_shipment", "return_receipt"):
            assert state.outcome is not None
            if clock.clock == "return_shipment":
                state.outcome = replace(state.outcome, return_status="not_shipped", refund=None)
                summary = "the buyer did not ship the return in time: closed with no refund"
            else:
                state.outcome = replace(state.outcome, return_status="receipt_timeout")
                summary = f"the seller did not confirm receipt in time: refund {state.outcome.refund} executes"
            state.stage = "closed"
            state.closed_at = at
            state.party_clock = None
            payload["return_status"] = state.outcome.return_status
        else:
            reached_type, adopted, terms = expiry_verdict(state)
            who = {"seller_response": "the seller", "buyer_response": "the buyer"}.get(clock.clock, "the parties")
            what = (f"{adopted} proposal {terms.proposal_id} executes ({terms.describe()})"
                    if terms and adopted else "closed with no refund")
            summary = f"{who} did not respond in time: {what}"
            resolve(state, policy, reached_type, adopted, terms, at)
            payload["reached_type"] = reached_type
            payload["adopted"] = adopted
        state.version += 1
        state.last_feed_at = max(state.last_feed_at, at)
        changes.append(Change(
            "clock.expired", at, clock.party, "sweeper", summary, state.version, payload,
            exec_key=f"{clock.clock}@{format_utc(clock.started_at)}",
        ))
    return state, changes


def is_negotiating(state: DisputeState) -> bool:
    return state.stage in NEGOTIATION_STAGES
