"""The case as the window and `show` see it at `now`: typed, immutable, built once by the domain.

`case_view(state, now)` makes a `CaseSnapshot`; `CaseSnapshot.to_json()` is exactly the `show` object (§4) without its
`timeline`, which `TimelineEntry.to_json()` gives. The window reads the objects (datetimes, `Money`,
`Proposal`s, the `Expiry` of each clock); the CLI prints their JSON. Proposal history (each party's proposals with
their fate) comes from the timeline here, not from the window.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Iterable, Mapping, cast

from .dispute import NEGOTIATION_STAGES, DisputeState, Outcome, PendingApproval, PlatformClock
from .errors import Rejection
from .expiry import CLOCK_RULES_BY_NAME, DECIDING_CLOCKS, Expiry, on_expiry_of
from .money import Money
from .policy import Policy, get_policy
from .proposals import Proposal
from .time import format_utc, parse_time
from .types import Actor, ClockName, DisputeId, HistoryStatus, ProposalParty, Stage, UserName

PROPOSAL_PARTIES: tuple[ProposalParty, ...] = ("buyer", "seller", "platform")


@dataclass(frozen=True)
class Deadline:
    """One running clock: who must act, when it is due, what started it, its rule and what executes on expiry."""

    clock: ClockName
    party: Actor
    due: datetime
    expiry: Expiry
    started_at: datetime
    started_by: str
    rule: str  # the policy key that sets its length
    executes: bool  # a party clock (executes) or an SLA (never does)
    overdue: bool  # due <= now

    @property
    def on_expiry(self) -> str:
        return self.expiry.words()

    def to_json(self) -> dict[str, Any]:
        return {"clock": self.clock, "party": self.party, "due": format_utc(self.due), "on_expiry": self.on_expiry,
                "started_at": format_utc(self.started_at), "started_by": self.started_by, "rule": self.rule,
                "executes": self.executes, "overdue": self.overdue}


def running_deadlines(state: DisputeState, now: datetime | None = None) -> tuple[Deadline, ...]:
    """Every running clock, earliest first (`overdue` is False without a `now`)."""
    out: list[Deadline] = []
    clock = state.party_clock
    if clock is not None:
        out.append(Deadline(clock.clock, clock.party, clock.due,
                            on_expiry_of(state, clock.clock), clock.started_at, clock.started_by,
                            CLOCK_RULES_BY_NAME[clock.clock].policy_key, True,
                            now is not None and clock.due <= now))
    for pc in state.running_platform_clocks():
        out.append(Deadline(pc.clock, "platform", pc.due, on_expiry_of(state, pc.clock),
                            pc.started_at, pc.started_by, CLOCK_RULES_BY_NAME[pc.clock].policy_key, False,
                            now is not None and pc.due <= now))
    out.sort(key=lambda d: (d.due, d.clock))
    return tuple(out)


def sla_breached(state: DisputeState, now: datetime) -> bool:
    """A platform clock (the intervention or the ruling deadline) stopped at or after its due time, or running at
    `now` >= due. An expired deciding party clock that is not yet executed stops the platform clocks at its due
    time."""
    stop_at = now
    clock = state.party_clock
    if clock is not None and clock.clock in DECIDING_CLOCKS and clock.due <= now:
        stop_at = clock.due
    return any(_breached(pc, stop_at) for pc in state.platform_clocks)


def _breached(pc: PlatformClock, stop_at: datetime) -> bool:
    end = pc.stopped_at if pc.stopped_at is not None else stop_at
    return end >= pc.due


def policy_of(name: str) -> Policy | None:
    try:
        return get_policy(name)
    except Rejection:
        return None


@dataclass(frozen=True)
class CaseSnapshot:
    """The `show` object, typed."""

    dispute_id: DisputeId
    order_id: str
    buyer_id: str
    seller_id: str
    kind: str
    reason: str
    policy: str
    status: str  # open | closed
    stage: Stage
    version: int
    order_total: Money
    opened_at: datetime
    proposals: Mapping[str, Proposal | None]  # buyer, seller, platform (read-only)
    platform_acceptances: tuple[str, ...]
    platform_proposal_rejected: bool
    deadlines: tuple[Deadline, ...]
    sla_breached: bool
    assigned_to: UserName | None  # the holder at `now` (None once the lease lapsed)
    claim_expires_at: datetime | None  # only while held
    pending: PendingApproval | None
    outcome: Outcome | None
    negotiating: bool
    now: datetime  # the moment this view was computed at

    def proposal(self, party: str) -> Proposal | None:
        return self.proposals.get(party)

    def shown_proposal(self, party: str) -> Proposal | None:
        """What a party's pane shows: the active proposal, or for the platform one waiting for approval."""
        if party == "platform" and self.pending is not None and self.pending.what == "platform_proposal":
            return self.pending.proposal
        return self.proposals.get(party)

    @property
    def rules(self) -> Policy | None:
        """The case's policy (None: a name this build does not know)."""
        return policy_of(self.policy)

    @property
    def platform_zone(self) -> str | None:
        """The platform's time zone, from the case's policy."""
        rules = self.rules
        return rules.platform_zone if rules is not None else None

    def to_json(self) -> dict[str, Any]:
        """Exactly the `show` object without `timeline` (the CLI's contract)."""
        return {
            "dispute_id": self.dispute_id,
            "order_id": self.order_id,
            "buyer_id": self.buyer_id,
            "seller_id": self.seller_id,
            "kind": self.kind,
            "reason": self.reason,
            "policy": self.policy,
            "status": self.status,
            "stage": self.stage,
            "version": self.version,
            "order_total": self.order_total.to_json(),
            "opened_at": format_utc(self.opened_at),
            "proposals": {p: (v.to_json() if v else None) for p, v in self.proposals.items()},
            "acceptances": {"platform_proposal": list(self.platform_acceptances)},
            "platform_proposal_rejected": self.platform_proposal_rejected,
            "deadlines": [d.to_json() for d in self.deadlines],
            "sla_breached": self.sla_breached,
            "assigned_to": self.assigned_to,
            "claim_expires_at": format_utc(self.claim_expires_at) if self.claim_expires_at else None,
            "pending_approval": self.pending.to_json() if self.pending else None,
            "outcome": self.outcome.to_json() if self.outcome else None,
            "negotiating": self.negotiating,
        }


def case_view(state: DisputeState, now: datetime) -> CaseSnapshot:
    holder = state.holder(now)
    return CaseSnapshot(
        dispute_id=DisputeId(state.dispute_id), order_id=state.order.order_id, buyer_id=state.order.buyer_id,
        seller_id=state.order.seller_id, kind=state.kind, reason=state.reason, policy=state.policy,
        status=state.status, stage=state.stage, version=state.version,
        order_total=state.order.total, opened_at=state.opened_at,
        proposals=MappingProxyType(dict(state.proposals)),
        platform_acceptances=tuple(state.platform_acceptances),
        platform_proposal_rejected=state.platform_rejected,
        deadlines=running_deadlines(state, now), sla_breached=sla_breached(state, now),
        assigned_to=UserName(holder) if holder else None,
        claim_expires_at=state.claim_expires_at if holder else None,
        pending=state.pending, outcome=state.outcome, negotiating=state.stage in NEGOTIATION_STAGES, now=now,
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the append-only history, as `show` lists it."""

    at: datetime
    kind: str
    party: str | None
    summary: str
    actor: str
    version: int
    event_id: str | None
    payload: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"at": format_utc(self.at), "kind": self.kind, "party": self.party, "summary": self.summary,
                "actor": self.actor, "version": self.version, "event_id": self.event_id,
                "payload": self.payload}

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> TimelineEntry:
        return TimelineEntry(parse_time(d["at"]), d["kind"], d.get("party"), d.get("summary") or "",
                             d.get("actor") or "", d.get("version") or 0, d.get("event_id"), d.get("payload") or {})


@dataclass(frozen=True)
class HistoryItem:
    """A proposal a party made, when, and its fate."""

    proposal: Proposal
    at: datetime
    status: HistoryStatus


def proposal_history(timeline: Iterable[TimelineEntry]) -> Mapping[str, tuple[HistoryItem, ...]]:
    """Every proposal each party made, oldest first, with its fate: active, superseded, withdrawn, awaiting
    approval, sent back."""
    history: dict[str, list[list[Any]]] = {p: [] for p in PROPOSAL_PARTIES}  # [proposal, at, status]

    def add(party: str, proposal: Mapping[str, Any], at: datetime, status: HistoryStatus = "active") -> None:
        for earlier in history[party]:
            if earlier[2] == "active" and status == "active":
                earlier[2] = "superseded"
        history[party].append([Proposal.from_json(dict(proposal)), at, status])

    def mark(party: str, proposal_id: str, status: HistoryStatus) -> None:
        for item in history[party]:
            if item[0].proposal_id == proposal_id:
                item[2] = status

    for entry in timeline:
        kind, payload, at = entry.kind, entry.payload, entry.at
        if kind in ("dispute.opened", "proposal.posted") and "proposal" in payload:
            add(entry.party or "buyer", payload["proposal"], at)
        elif kind == "proposal.withdrawn" and entry.party in history:
            mark(entry.party, payload["proposal_id"], "withdrawn")
        elif kind == "platform_proposal.posted":
            add("platform", payload["proposal"], at, "awaiting approval" if payload.get("pending") else "active")
        elif kind == "platform_proposal.approved":
            approved = payload["approved"]["proposal"]["proposal_id"]
            add("platform", payload["approved"]["proposal"], at)
            history["platform"] = [h for h in history["platform"]
                                   if not (h[0].proposal_id == approved and h[2] == "awaiting approval")]
        elif kind == "approval.sent_back" and payload.get("sent_back", {}).get("what") == "platform_proposal":
            mark("platform", payload["sent_back"]["proposal"]["proposal_id"], "sent back")
    return MappingProxyType({p: tuple(HistoryItem(i[0], i[1], i[2]) for i in items) for p, items in history.items()})
