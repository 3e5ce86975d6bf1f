"""The state of one dispute, as the rules see it, with a lossless JSON form for storage."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Mapping, Union

from .money import Money, parse_money
from .proposals import Proposal
from .time import format_utc, parse_time
from .types import Party, Actor, PartyClockName, PendingWhat, PlatformClockName, ProposalParty, ReachedType, ReturnStatus, Stage

NEGOTIATION_STAGES = ("awaiting_seller", "awaiting_buyer")
RETURN_STAGES = ("awaiting_return_shipment", "awaiting_return_receipt")
#: Open and not yet resolved: what acceptance and cancellation allow.
UNRESOLVED_STAGES = ("awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review", "pending_approval")
STAGES = UNRESOLVED_STAGES + RETURN_STAGES + ("closed",)


@dataclass(frozen=True)
class Order:
    order_id: str
    buyer_id: str
    seller_id: str
    total: Money
    shipped_at: datetime
    delivered_at: datetime | None = None
    promised_delivery_days: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id, "buyer_id": self.buyer_id, "seller_id": self.seller_id,
            "total": self.total.to_json(), "shipped_at": format_utc(self.shipped_at),
            "delivered_at": format_utc(self.delivered_at),
            "promised_delivery_days": self.promised_delivery_days,
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> Order:
        return Order(
            d["order_id"], d["buyer_id"], d["seller_id"], parse_money(d["total"]),
            parse_time(d["shipped_at"]),
            parse_time(d["delivered_at"]) if d.get("delivered_at") else None,
            d.get("promised_delivery_days"),
        )


@dataclass(frozen=True)
class PartyClock:
    """The one running clock of a party that must act; it executes on expiry."""

    clock: PartyClockName
    party: Actor  # seller | buyer | both
    started_at: datetime
    due: datetime
    started_by: str  # the event that started it, for explainable clocks

    def to_json(self) -> dict[str, Any]:
        return {"clock": self.clock, "party": self.party, "started_at": format_utc(self.started_at),
                "due": format_utc(self.due), "started_by": self.started_by}

    @staticmethod
    def from_json(d: dict[str, Any]) -> PartyClock:
        return PartyClock(d["clock"], d["party"], parse_time(d["started_at"]), parse_time(d["due"]),
                          d["started_by"])


@dataclass(frozen=True)
class PlatformClock:
    """A clerk deadline (SLA): it never executes; kept after it stops, for `sla_breached`."""

    clock: PlatformClockName
    started_at: datetime
    due: datetime
    started_by: str
    stopped_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"clock": self.clock, "started_at": format_utc(self.started_at), "due": format_utc(self.due),
                "started_by": self.started_by, "stopped_at": format_utc(self.stopped_at)}

    @staticmethod
    def from_json(d: dict[str, Any]) -> PlatformClock:
        return PlatformClock(d["clock"], parse_time(d["started_at"]), parse_time(d["due"]), d["started_by"],
                             parse_time(d["stopped_at"]) if d.get("stopped_at") else None)


@dataclass(frozen=True)
class PendingApproval:
    what: PendingWhat
    by: str  # the user who made it
    proposal: Proposal  # the terms, fixed when made
    made_at: datetime
    adopt: ProposalParty | None = None  # rulings only

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"what": self.what, "by": self.by}
        if self.adopt is not None:
            out["adopt"] = self.adopt
        out["proposal"] = self.proposal.to_json()
        out["made_at"] = format_utc(self.made_at)
        return out

    @staticmethod
    def from_json(d: dict[str, Any]) -> PendingApproval:
        return PendingApproval(d["what"], d["by"], Proposal.from_json(d["proposal"]), parse_time(d["made_at"]),
                               d.get("adopt"))


@dataclass(frozen=True)
class Outcome:
    reached_type: ReachedType
    adopted: ProposalParty | None
    terms: Proposal | None  # what was executed (fixed at resolution)
    refund: Money | None
    return_required: bool
    return_status: ReturnStatus
    resolved_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "reached_type": self.reached_type, "adopted": self.adopted,
            "refund": self.refund.to_json() if self.refund else None,
            "return_required": self.return_required, "return_status": self.return_status,
            "resolved_at": format_utc(self.resolved_at),
            "terms": self.terms.to_json() if self.terms else None,
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> Outcome:
        return Outcome(
            d["reached_type"], d["adopted"], Proposal.from_json(d["terms"]) if d.get("terms") else None,
            parse_money(d["refund"]) if d.get("refund") else None, d["return_required"], d["return_status"],
            parse_time(d["resolved_at"]),
        )


def _holder(assigned_to: str | None, claim_expires_at: datetime | None, now: datetime, hold_kind: str | None,
            stage: str) -> str | None:
    """Who holds the case at `now`: a claim until its lease lapses, a standing assignment (§5.1) until the
    dispute closes (or someone releases or reassigns it)."""
    if not assigned_to:
        return None
    if hold_kind == "assignment":
        return assigned_to if stage != "closed" else None
    if claim_expires_at and now < claim_expires_at:
        return assigned_to
    return None


def _no_proposals() -> Mapping[str, Proposal | None]:
    return MappingProxyType({"buyer": None, "seller": None, "platform": None})


@dataclass(frozen=True)
class DisputeState:
    """One dispute's state: immutable (a rule makes a `DisputeDraft` with `copy()`, changes it, and `freeze()`s
    it into the next state), so a state once written or cached never changes in place."""

    dispute_id: str
    order: Order
    kind: str
    reason: str
    policy: str
    opened_at: datetime
    stage: Stage
    version: int
    last_feed_at: datetime
    proposals: Mapping[str, Proposal | None] = field(default_factory=_no_proposals)  # read-only
    used_proposal_ids: tuple[str, ...] = ()
    last_mover: Party = "buyer"
    platform_acceptances: tuple[str, ...] = ()
    platform_rejected: bool = False
    party_clock: PartyClock | None = None
    platform_clocks: tuple[PlatformClock, ...] = ()
    pending: PendingApproval | None = None
    outcome: Outcome | None = None
    assigned_to: str | None = None
    claim_expires_at: datetime | None = None  # the lease end of a claim; None for a standing assignment
    platform_proposal_seq: int = 0
    hold_kind: str | None = None  # "claim" (a lease) or "assignment" (standing, §5.1) while assigned_to is set
    assigned_by: str | None = None  # the supervisor who made the standing assignment
    held_since: datetime | None = None  # when the current holder began to hold the case
    closed_at: datetime | None = None  # when the stage became `closed` (by the rules' time)

    def __post_init__(self) -> None:
        if not isinstance(self.proposals, MappingProxyType):
            object.__setattr__(self, "proposals", MappingProxyType(dict(self.proposals)))
        for name in ("used_proposal_ids", "platform_acceptances", "platform_clocks"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @property
    def status(self) -> str:
        return "closed" if self.stage == "closed" else "open"

    @property
    def resolved(self) -> bool:
        return self.outcome is not None

    def copy(self) -> DisputeDraft:
        """A draft to change (its lists and dict are its own); `freeze()` makes it the next state."""
        draft = object.__new__(DisputeDraft)  # what __init__ would set, without its call per field
        values = draft.__dict__
        values.update(self.__dict__)  # every field (an instance's dict holds its fields only), then the four
        values["proposals"], values["used_proposal_ids"] = dict(self.proposals), list(self.used_proposal_ids)
        values["platform_acceptances"] = list(self.platform_acceptances)
        values["platform_clocks"] = list(self.platform_clocks)
        return draft

    def running_platform_clocks(self) -> list[PlatformClock]:
        return [c for c in self.platform_clocks if c.stopped_at is None]

    def holder(self, now: datetime) -> str | None:
        """Who holds the claim at `now` (None once the lease lapsed)."""
        return _holder(self.assigned_to, self.claim_expires_at, now, self.hold_kind, self.stage)

    def to_json(self) -> dict[str, Any]:
        return {
            "dispute_id": self.dispute_id, "order": self.order.to_json(), "kind": self.kind,
            "reason": self.reason, "policy": self.policy, "opened_at": format_utc(self.opened_at),
            "stage": self.stage, "version": self.version, "last_feed_at": format_utc(self.last_feed_at),
            "proposals": {p: (v.to_json() if v else None) for p, v in self.proposals.items()},
            "used_proposal_ids": list(self.used_proposal_ids), "last_mover": self.last_mover,
            "platform_acceptances": list(self.platform_acceptances), "platform_rejected": self.platform_rejected,
            "party_clock": self.party_clock.to_json() if self.party_clock else None,
            "platform_clocks": [c.to_json() for c in self.platform_clocks],
            "pending": self.pending.to_json() if self.pending else None,
            "outcome": self.outcome.to_json() if self.outcome else None,
            "assigned_to": self.assigned_to, "claim_expires_at": format_utc(self.claim_expires_at),
            "platform_proposal_seq": self.platform_proposal_seq,
            "hold_kind": self.hold_kind, "assigned_by": self.assigned_by, "held_since": format_utc(self.held_since),
            "closed_at": format_utc(self.closed_at),
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> DisputeState:
        return DisputeState(
            dispute_id=d["dispute_id"], order=Order.from_json(d["order"]), kind=d["kind"], reason=d["reason"],
            policy=d["policy"], opened_at=parse_time(d["opened_at"]), stage=d["stage"], version=d["version"],
            last_feed_at=parse_time(d["last_feed_at"]),
            proposals=MappingProxyType({p: (Proposal.from_json(v) if v else None) for p, v in d["proposals"].items()}),
            used_proposal_ids=tuple(d["used_proposal_ids"]), last_mover=d["last_mover"],
            platform_acceptances=tuple(d["platform_acceptances"]), platform_rejected=d["platform_rejected"],
            party_clock=PartyClock.from_json(d["party_clock"]) if d.get("party_clock") else None,
            platform_clocks=tuple(PlatformClock.from_json(c) for c in d["platform_clocks"]),
            pending=PendingApproval.from_json(d["pending"]) if d.get("pending") else None,
            outcome=Outcome.from_json(d["outcome"]) if d.get("outcome") else None,
            assigned_to=d.get("assigned_to"),
            claim_expires_at=parse_time(d["claim_expires_at"]) if d.get("claim_expires_at") else None,
            platform_proposal_seq=d.get("platform_proposal_seq", 0),
            # a state stored before standing assignments (revision 0008) holds claims only
            hold_kind=d.get("hold_kind", "claim" if d.get("assigned_to") else None),
            assigned_by=d.get("assigned_by"),
            held_since=parse_time(d["held_since"]) if d.get("held_since") else None,
            closed_at=parse_time(d["closed_at"]) if d.get("closed_at") else None,
        )

    def held_order_at(self, at: datetime) -> bool:
        """Whether this dispute held its order open at `at` or holds it since (§2 one open dispute per order,
        judged at the event's `at`, decision 73): open now, or closed after `at`. A state written before
        `closed_at` was kept counts as closed at its resolution."""
        if self.status == "open":
            return True
        closed = self.closed_at or (self.outcome.resolved_at if self.outcome else None)
        return closed is not None and closed > at

@dataclass
class DisputeDraft:
    """A dispute's state while one rule changes it (never stored, never cached): `freeze()` gives the
    `DisputeState`. Both forms hold the same fields, in the same order (`tests/unit/test_dispute_forms.py`), as
    they are but for the four collections (a read-only mapping and tuples in a state, a dict and lists in a
    draft), which `copy()` and `freeze()` convert: a field added to one is added to the other."""

    dispute_id: str
    order: Order
    kind: str
    reason: str
    policy: str
    opened_at: datetime
    stage: Stage
    version: int
    last_feed_at: datetime
    proposals: dict[str, Proposal | None] = field(
        default_factory=lambda: {"buyer": None, "seller": None, "platform": None})
    used_proposal_ids: list[str] = field(default_factory=list)
    last_mover: Party = "buyer"
    platform_acceptances: list[str] = field(default_factory=list)
    platform_rejected: bool = False
    party_clock: PartyClock | None = None
    platform_clocks: list[PlatformClock] = field(default_factory=list)
    pending: PendingApproval | None = None
    outcome: Outcome | None = None
    assigned_to: str | None = None
    claim_expires_at: datetime | None = None  # the lease end of a claim; None for a standing assignment
    platform_proposal_seq: int = 0
    hold_kind: str | None = None  # "claim" (a lease) or "assignment" (standing, §5.1) while assigned_to is set
    assigned_by: str | None = None  # the supervisor who made the standing assignment
    held_since: datetime | None = None  # when the current holder began to hold the case
    closed_at: datetime | None = None

    @property
    def status(self) -> str:
        return "closed" if self.stage == "closed" else "open"

    def running_platform_clocks(self) -> list[PlatformClock]:
        return [c for c in self.platform_clocks if c.stopped_at is None]

    def holder(self, now: datetime) -> str | None:
        return _holder(self.assigned_to, self.claim_expires_at, now, self.hold_kind, self.stage)

    def freeze(self) -> DisputeState:
        # what DisputeState(...) and its __post_init__ would make, without the frozen __init__'s
        # object.__setattr__ per field (a fifth of a replay's time went to copy() and freeze())
        state = object.__new__(DisputeState)
        values = state.__dict__
        values.update(self.__dict__)  # every field, then the four collections in their frozen forms
        values["proposals"] = MappingProxyType(dict(self.proposals))
        values["used_proposal_ids"] = tuple(self.used_proposal_ids)
        values["platform_acceptances"] = tuple(self.platform_acceptances)
        values["platform_clocks"] = tuple(self.platform_clocks)
        return state


#: Either form, for rules that only read.
AnyState = Union[DisputeState, DisputeDraft]
