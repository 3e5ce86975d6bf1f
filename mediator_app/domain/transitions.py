"""The transitions every rule shares: who must act, clocks, resolution and expiry (§3)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Sequence

from .dispute import NEGOTIATION_STAGES, AnyState, DisputeDraft, DisputeState, Outcome, PartyClock, PlatformClock
from .expiry import CLOCK_RULES_BY_NAME, is_deciding, on_expiry_of
from .policy import Policy
from .proposals import Proposal
from .time import end_of_calendar_day, format_utc
from .types import Party, PartyClockName, ProposalParty, ReachedType, Stage

#: The stage and the clock of the party that must act.
AWAITING: dict[Party, Stage] = {"buyer": "awaiting_buyer", "seller": "awaiting_seller"}
RESPONSE_CLOCK: dict[Party, PartyClockName] = {"buyer": "buyer_response", "seller": "seller_response"}
#: Who must accept the platform's proposal for it to resolve the dispute (§3: both parties).
PLATFORM_ACCEPTORS: tuple[Party, ...] = ("buyer", "seller")


@dataclass(frozen=True, init=False)
class Change:
    """One applied change: one version step and one row of the append-only history. Its `__init__` fills the
    instance's dict at once (the frozen dataclass's own sets each of its 15 fields through
    `object.__setattr__`: a tenth of the cost of replaying a history row)."""

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
    # what a replay needs (§7.3), stored in the payload under `audit_chain.REPLAY_KEY`: {"event": the feed line as
    # applied} or {"action", "arguments", "role"}; None for an executed clock (the state before it decides it)
    replay: dict[str, Any] | None = field(default=None, compare=False)
    # the dispute on either side of the change (`before` None: it opened): the write path derives the outbound
    # events from them (domain.outbound), so a change cannot be stored without its events
    before: DisputeState | None = field(default=None, compare=False, repr=False)
    after: DisputeState | None = field(default=None, compare=False, repr=False)

    def __init__(self, kind: str, at: datetime, party: str | None, actor: str, summary: str, version_after: int,
                 payload: dict[str, Any] | None = None, event_id: str | None = None, exec_key: str | None = None,
                 idempotency_key: str | None = None, idempotency_action: str | None = None,
                 attachment: bytes | None = None, replay: dict[str, Any] | None = None,
                 before: DisputeState | None = None, after: DisputeState | None = None) -> None:
        self.__dict__.update(
            kind=kind, at=at, party=party, actor=actor, summary=summary, version_after=version_after,
            payload={} if payload is None else payload, event_id=event_id, exec_key=exec_key,
            idempotency_key=idempotency_key, idempotency_action=idempotency_action, attachment=attachment,
            replay=replay, before=before, after=after)


def other_party(party: str) -> Party:
    return "seller" if party == "buyer" else "buyer"


def as_party(party: str | None) -> Party:
    """A feed event's party as a buyer or seller (`events` checked it; anything else is a bug here)."""
    if party == "buyer":
        return "buyer"
    if party == "seller":
        return "seller"
    raise ValueError(f"not a party: {party!r}")


def party_to_act(buyer_proposed: bool, seller_proposed: bool, last_mover: str) -> Party:
    """§3: no buyer proposal -> buyer; else no seller proposal -> seller; else whoever did not move last."""
    if not buyer_proposed:
        return "buyer"
    if not seller_proposed:
        return "seller"
    return other_party(last_mover)


def awaits(stage: str, party: str) -> bool:
    """Whether the negotiation stage waits on `party`'s answer (`awaiting_buyer` on the buyer)."""
    return any(p == party and s == stage for p, s in AWAITING.items())


def awaiting_acceptance(stage: str, accepted: Sequence[str]) -> tuple[Party, ...]:
    """Whom the platform's proposal still waits on: in `awaiting_parties` it executes on the acceptance of both
    parties, so each party that has not accepted it yet; in any other stage nobody."""
    if stage != "awaiting_parties":
        return ()
    return tuple(party for party in PLATFORM_ACCEPTORS if party not in accepted)


def who_must_act(state: AnyState) -> Party:
    """`party_to_act` of the state's proposals and last mover."""
    return party_to_act(state.proposals["buyer"] is not None, state.proposals["seller"] is not None,
                        state.last_mover)


def restart_negotiation_clock(state: DisputeDraft, policy: Policy, at: datetime, started_by: str) -> None:
    """Recompute who must act and (re)start that party's 120 h clock at `at`."""
    party = who_must_act(state)
    state.stage = AWAITING[party]
    state.party_clock = PartyClock(RESPONSE_CLOCK[party], party, at, at + policy.party_response, started_by)


def start_platform_review(state: DisputeDraft, policy: Policy, at: datetime, started_by: str) -> None:
    """Enter `platform_review`: party clocks stop, a new 3-day ruling clock starts."""
    state.stage = "platform_review"
    state.party_clock = None
    due = end_of_calendar_day(at, policy.platform_ruling_days, policy.platform_zone)
    state.platform_clocks.append(PlatformClock("platform_ruling", at, due, started_by))


def stop_platform_clocks(state: DisputeDraft, at: datetime) -> None:
    state.platform_clocks = [c if c.stopped_at is not None else replace(c, stopped_at=at)
                             for c in state.platform_clocks]


def post_platform_proposal(state: DisputeDraft, policy: Policy, proposal: Proposal, at: datetime,
                           started_by: str) -> None:
    """An active platform proposal: both parties' 120 h clock; earlier acceptances no longer count."""
    state.proposals["platform"] = proposal
    state.platform_acceptances = []
    state.platform_rejected = False
    state.pending = None
    stop_platform_clocks(state, at)
    state.stage = "awaiting_parties"
    state.party_clock = PartyClock("parties_response", "both", at, at + policy.party_response, started_by)


def resolve(state: DisputeDraft, policy: Policy, reached_type: ReachedType, adopted: ProposalParty | None,
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


def on_expiry(state: AnyState, clock: str) -> str:
    """What happens when `clock` runs out, in words (the default-judgment preview); see `expiry`."""
    return on_expiry_of(state, clock).words()


def expiry_verdict(state: AnyState) -> tuple[ReachedType, ProposalParty | None, Proposal | None]:
    """For a negotiation clock: (reached_type, adopted party, terms) if it ran out now."""
    assert state.party_clock is not None
    expiry = on_expiry_of(state, state.party_clock.clock)
    assert expiry.reached_type is not None, "not a deciding clock"
    return expiry.reached_type, expiry.adopted, expiry.proposal


def execute_expiries(state: DisputeState, policy: Policy, until: datetime) -> tuple[DisputeState, list[Change]]:
    """Execute every party clock due at or before `until`, follow-on clocks included.

    Each execution is its own version step dated at the clock's due time, and counts as a
    feed event at that time (`last_feed_at`). Returns the new state (the input is not changed).
    """
    changes: list[Change] = []
    while state.party_clock is not None and state.party_clock.due <= until:
        draft = state.copy()
        clock = draft.party_clock
        assert clock is not None
        at = clock.due
        payload: dict[str, Any] = {"clock": clock.clock}
        if not is_deciding(clock.clock):
            assert draft.outcome is not None
            if clock.clock == "return_shipment":
                draft.outcome = replace(draft.outcome, return_status="not_shipped", refund=None)
                summary = "the buyer did not ship the return in time: closed with no refund"
            else:
                draft.outcome = replace(draft.outcome, return_status="receipt_timeout")
                summary = f"the seller did not confirm receipt in time: refund {draft.outcome.refund} executes"
            draft.stage = "closed"
            draft.closed_at = at
            draft.party_clock = None
            payload["return_status"] = draft.outcome.return_status
        else:
            reached_type, adopted, terms = expiry_verdict(draft)
            who = CLOCK_RULES_BY_NAME[clock.clock].who
            what = (f"{adopted} proposal {terms.proposal_id} executes ({terms.describe()})"
                    if terms and adopted else "closed with no refund")
            summary = f"{who} did not respond in time: {what}"
            resolve(draft, policy, reached_type, adopted, terms, at)
            payload["reached_type"] = reached_type
            payload["adopted"] = adopted
        draft.version += 1
        draft.last_feed_at = max(draft.last_feed_at, at)
        after = draft.freeze()
        changes.append(Change(
            "clock.expired", at, clock.party, "sweeper", summary, draft.version, payload,
            exec_key=f"{clock.clock}@{format_utc(clock.started_at)}", before=state, after=after,
        ))
        state = after
    return state, changes


def is_negotiating(state: AnyState) -> bool:
    return state.stage in NEGOTIATION_STAGES
