"""Who may take which action on a case now (§3 "Who may do what"): the one home of that rule.

The window enables its commands from `allowed_actions`; the actions (`domain.actions`, through
`services.casework`) refuse through `require`, with the same reasons. What depends on the action's own
arguments (an amount, whose proposal a ruling adopts, a note's text, the assignee) is checked by the action.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, Mapping, Protocol

from .errors import Rejection
from .time import format_utc

Role = Literal["clerk", "supervisor", "auditor", "service"]
ActionName = Literal["claim", "release", "propose", "rule", "note", "approve", "send-back", "assign"]

#: `service` is the login ingest and the sweeper run as (§7.1): it takes no clerk action and reads every case
ROLES: Final = ("clerk", "supervisor", "auditor", "service")
#: Every action a clerk or supervisor takes on one case, in menu order.
ACTIONS: Final[tuple[ActionName, ...]] = ("claim", "release", "propose", "rule", "note", "approve", "send-back",
                                          "assign")
#: Action -> roles allowed to take it.
PERMISSIONS: Final[dict[str, tuple[str, ...]]] = {
    "propose": ("clerk", "supervisor"),
    "rule": ("clerk", "supervisor"),
    "claim": ("clerk", "supervisor"),
    "release": ("clerk", "supervisor"),
    "note": ("clerk", "supervisor"),
    "approve": ("supervisor",),
    "send-back": ("supervisor",),
    "assign": ("supervisor",),
}
#: Where a platform proposal or a ruling can be made.
DECISION_STAGES: Final = ("awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review")
APPROVAL_STAGES: Final = ("pending_approval",)


@dataclass(frozen=True)
class Actor:
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rule looks at, made once from a dispute's state (`facts_of`)."""

    dispute_id: str
    stage: str
    assigned_to: str | None
    claim_expires_at: datetime | None
    pending_by: str | None = None
    pending_what: str | None = None  # "ruling" | "platform_proposal"
    active_proposals: frozenset[str] = frozenset()  # parties with an active proposal a ruling could adopt
    hold_kind: str | None = None  # "assignment": a supervisor's standing assignment (§5.1), else a claim's lease
    assigned_by: str | None = None

    def holder(self, now: datetime) -> str | None:
        """Who holds the case at `now`: a claim until its lease lapses, a standing assignment until it closes."""
        if not self.assigned_to:
            return None
        if self.hold_kind == "assignment":
            return self.assigned_to if self.stage != "closed" else None
        if self.claim_expires_at and now < self.claim_expires_at:
            return self.assigned_to
        return None

    def held_text(self, now: datetime) -> str:
        """`D-1 is claimed by alice until …` or `D-1 is assigned to alice (by bob)`."""
        if self.hold_kind == "assignment":
            return f"{self.dispute_id} is assigned to {self.assigned_to} (by {self.assigned_by})"
        return f"{self.dispute_id} is claimed by {self.assigned_to} until {format_utc(self.claim_expires_at)}"


class _Pending(Protocol):
    @property
    def by(self) -> str: ...
    @property
    def what(self) -> str: ...


class CaseLike(Protocol):
    """What `facts_of` reads: a `DisputeState`, or a typed view of the case with the same names."""

    @property
    def dispute_id(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def assigned_to(self) -> str | None: ...
    @property
    def claim_expires_at(self) -> datetime | None: ...
    @property
    def pending(self) -> _Pending | None: ...
    @property
    def proposals(self) -> Mapping[str, object | None]: ...


def facts_of(state: CaseLike) -> CaseFacts:
    pending = state.pending
    kind, by = getattr(state, "hold_kind", None), getattr(state, "assigned_by", None)
    hold = getattr(state, "assignment", None)  # a typed case view says it at its `now`
    if kind is None and hold is not None:
        kind, by = hold.kind, hold.by
    return CaseFacts(state.dispute_id, state.stage, state.assigned_to, state.claim_expires_at,
                     pending.by if pending else None, pending.what if pending else None,
                     frozenset(party for party, terms in state.proposals.items() if terms is not None),
                     kind, by)


def role_may(role: str | None, action: str) -> bool:
    """Whether a user of `role` may take `action` at all (on some case): what a window offers them."""
    return role in PERMISSIONS[action]


def role_refusal(actor: Actor, action: str) -> str | None:
    roles = PERMISSIONS[action]
    if actor.role not in roles:
        return f"{actor.name} is a {actor.role}; {action} needs the role {' or '.join(roles)}"
    return None


def check_permission(actor: Actor, action: str) -> None:
    """Refuse when the actor's role may not take `action` at all."""
    reason = role_refusal(actor, action)
    if reason is not None:
        raise Rejection(reason)


def _stage_refusal(facts: CaseFacts, action: str, stages: tuple[str, ...]) -> str | None:
    if facts.stage not in stages:
        return f"{action} is not allowed in stage {facts.stage} (allowed in {', '.join(stages)})"
    return None


def refusal(facts: CaseFacts, actor: Actor, action: str, now: datetime, take_over: bool = True) -> str | None:
    """Why `actor` may not take `action` on this case at `now`, or None when they may.

    `take_over` (claim only): a supervisor takes the case over from another holder (the window's Claim); a
    lease renewal passes False."""
    reason = role_refusal(actor, action)
    if reason is not None:
        return reason
    if action in ("propose", "rule"):
        return _stage_refusal(facts, action, DECISION_STAGES)
    if action == "approve":
        reason = _stage_refusal(facts, action, APPROVAL_STAGES)
        if reason is None and facts.pending_by == actor.name:
            what = (facts.pending_what or "decision").replace("_", " ")
            reason = f"nobody approves their own {what} ({actor.name} made it)"
        return reason
    if action == "send-back":
        return _stage_refusal(facts, action, APPROVAL_STAGES)
    if action == "claim":
        if facts.stage == "closed":
            return f"dispute {facts.dispute_id} is closed; a claim on a closed dispute is rejected"
        holder = facts.holder(now)
        if holder is not None and holder != actor.name and (actor.role != "supervisor" or not take_over):
            return f"{facts.held_text(now)}; only a supervisor may take it over"
        return None
    if action == "assign":
        if facts.stage == "closed":
            return f"dispute {facts.dispute_id} is closed; it cannot be assigned"
        return None
    if action == "release":
        holder = facts.holder(now)
        if holder is None:
            return f"{facts.dispute_id} is not claimed by anyone"
        if holder != actor.name and actor.role != "supervisor":
            if facts.hold_kind == "assignment":
                return f"{facts.held_text(now)}; only the holder or a supervisor releases it"
            return f"{facts.dispute_id} is claimed by {holder}; only the holder or a supervisor releases it"
        return None
    if action == "note":
        return None
    raise ValueError(f"unknown action {action!r}")


def require(facts: CaseFacts, actor: Actor, action: str, now: datetime, take_over: bool = True) -> None:
    """Refuse (Rejection with the reason) unless `actor` may take `action` on this case at `now`."""
    reason = refusal(facts, actor, action, now, take_over)
    if reason is not None:
        raise Rejection(reason)


def allowed_actions(facts: CaseFacts | None, actor: Actor, now: datetime) -> frozenset[str]:
    """The actions `actor` may take on this case at `now` (none without a case).

    A ruling also needs an active proposal to adopt: with none, every ruling is refused, so it is not offered."""
    if facts is None:
        return frozenset()
    allowed = {action for action in ACTIONS if refusal(facts, actor, action, now) is None}
    if not facts.active_proposals:
        allowed.discard("rule")
    return frozenset(allowed)


#: Who checks the audit trail (§7.3 `audit verify`, the window's Tools → Verify audit trail); an administrator's
#: connection needs no role.
AUDIT_VERIFIERS: Final = ("supervisor", "auditor")


def may_verify_audit(role: str | None) -> bool:
    return role in AUDIT_VERIFIERS
