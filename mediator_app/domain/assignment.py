"""Who holds a case (§3, §5.1): a clerk's claim is a 30-minute lease; a supervisor's assignment stands until the
holder or a supervisor releases it, a supervisor assigns the case elsewhere, or the dispute closes.

Who may claim, assign and release at all is `permissions` (the one home of "who may do what"); this module
changes the holder: a renewal keeps `since`, the holder claiming their own assignment changes nothing,
assigning a case to whoever holds it by an assignment is refused."""
from __future__ import annotations

from datetime import datetime

from .actions import Actor, _step, acted
from .dispute import DisputeState
from .errors import Rejection
from .holding import may_hold
from .permissions import check_permission, facts_of, require
from .policy import Policy, get_policy
from .time import format_utc
from .transitions import Change

#: The saved views `reassign --view` takes (§5.1), and the queue's own names for them.
REASSIGN_VIEWS = {"all": "all", "unassigned": "unassigned", "due_24h": "due24h", "sla_breached": "sla",
                  "needs_ruling": "needs_ruling", "pending_approval": "pending_approval"}


def claim(state: DisputeState, actor: Actor, at: datetime, policy: Policy | None = None,
          take_over: bool = True) -> tuple[DisputeState, Change | None]:
    """Take the case as a lease. The holder renews a claim (keeping `since`); the holder of an assignment
    claiming it changes nothing (None: no change); a supervisor takes a case another holds (unless `take_over`
    is False), ending that claim or assignment."""
    require(facts_of(state), actor, "claim", at, take_over)
    holder = state.holder(at)
    if holder == actor.name and state.hold_kind == "assignment":
        return state, None
    lease = (policy or get_policy(state.policy)).claim_lease
    new = state.copy()
    new.assigned_to = actor.name
    new.claim_expires_at = at + lease
    new.hold_kind, new.assigned_by = "claim", None
    if holder == actor.name:
        summary = f"{actor.name} renewed the claim until {format_utc(new.claim_expires_at)}"
    else:
        new.held_since = at
        if holder is not None:
            summary = f"{actor.name} took the case over from {holder}"
        else:
            summary = f"{actor.name} claimed the case until {format_utc(new.claim_expires_at)}"
    return _step(state, new, "case.claimed", at, actor, summary,
                 {"previous": holder, "expires_at": format_utc(new.claim_expires_at)},
                 acted("claim", actor, take_over=take_over))


def assign(state: DisputeState, actor: Actor, at: datetime, to: Actor) -> tuple[DisputeState, Change]:
    """A supervisor's standing assignment of the case to `to` (a clerk or a supervisor)."""
    check_permission(actor, "assign")
    if not may_hold(to.role):
        raise Rejection(f"{to.name} is a {to.role} and cannot hold cases")
    require(facts_of(state), actor, "assign", at)
    holder = state.holder(at)
    if holder == to.name and state.hold_kind == "assignment":
        raise Rejection(f"already assigned to {to.name}")
    new = state.copy()
    new.assigned_to, new.hold_kind, new.assigned_by, new.held_since = to.name, "assignment", actor.name, at
    new.claim_expires_at = None
    if holder == to.name:
        summary = f"{actor.name} assigned the case to {to.name} (who had claimed it)"
    else:
        summary = f"{actor.name} assigned the case to {to.name}" + (f" (held by {holder})" if holder else "")
    return _step(state, new, "case.assigned", at, actor, summary,
                 {"previous": holder, "to": to.name, "assigned_by": actor.name},
                 acted("assign", actor, to=to.name, to_role=to.role))


def release(state: DisputeState, actor: Actor, at: datetime) -> tuple[DisputeState, Change]:
    require(facts_of(state), actor, "release", at)
    holder = state.holder(at)
    new = state.copy()
    new.assigned_to = new.claim_expires_at = new.assigned_by = new.held_since = new.hold_kind = None
    return _step(state, new, "case.released", at, actor, f"{actor.name} released the case (held by {holder})",
                 {"previous": holder}, acted("release", actor))
