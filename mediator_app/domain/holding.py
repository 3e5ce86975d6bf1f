"""Who holds a case at `now`, as `show` presents it (§5.1); the rules that change it are in `assignment`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from .dispute import DisputeState
from .policy import get_policy
from .time import format_utc

HoldKind = Literal["claim", "assignment"]
HOLDING_ROLES = ("clerk", "supervisor")  # who may hold cases (claim or assignment); auditors never do


@dataclass(frozen=True)
class Holding:
    """`show`'s `assignment`: who holds the case at `now`, how, since when (and until when, for a lease)."""

    to: str
    by: str | None  # who assigned it: only for an assignment
    kind: HoldKind
    since: datetime
    until: datetime | None  # the end of the lease: only for a claim

    def to_json(self) -> dict[str, Any]:
        return {"to": self.to, "by": self.by, "kind": self.kind, "since": format_utc(self.since),
                "until": format_utc(self.until)}


def holding(state: DisputeState, now: datetime) -> Holding | None:
    holder = state.holder(now)
    if holder is None:
        return None
    if state.hold_kind == "assignment":
        return Holding(holder, state.assigned_by, "assignment", state.held_since or now, None)
    assert state.claim_expires_at is not None
    # a claim stored before revision 0008 has no `held_since`: its last renewal is the best known start
    since = state.held_since or state.claim_expires_at - get_policy(state.policy).claim_lease
    return Holding(holder, None, "claim", since, state.claim_expires_at)


def may_hold(role: str) -> bool:
    """Clerks and supervisors hold cases; auditors never do."""
    return role in HOLDING_ROLES
