"""The supervisor's desk as typed rows (§5.2, §5.3): an approval waiting, the dashboard's figures.

Built once by the services from SQL; the window reads the objects (datetimes, `Money`, counts), the command
prints their `to_json()` (exactly `mediator approvals` / `mediator stats`). No widget parses JSON back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .desk import DUE_BUCKETS, OPEN_STAGES, REACHED_TYPES
from .money import Money
from .time import format_utc
from .types import PendingWhat


def _utc(at: datetime) -> str:
    text = format_utc(at)
    assert text is not None
    return text


@dataclass(frozen=True)
class ApprovalRow:
    """One dispute waiting in `pending_approval`, as the inbox lists it for `user` at the time it was read."""

    dispute_id: str
    what: PendingWhat
    by: str  # who made the ruling or proposal
    refund: Money | None
    submitted_at: datetime
    due: datetime  # submitted_at + the policy's approval_hours
    overdue: bool  # at the read's `now`
    can_approve: bool  # false for the author, and for anyone not a supervisor
    version: int  # the dispute's version (the window approves with compare-and-set on it)

    def overdue_at(self, now: datetime) -> bool:
        """`overdue` as the clock moves: due is exactly when it turns true."""
        return now >= self.due

    def to_json(self) -> dict[str, Any]:
        return {"dispute_id": self.dispute_id, "what": self.what, "by": self.by,
                "refund": self.refund.to_json() if self.refund is not None else None,
                "submitted_at": _utc(self.submitted_at), "due": _utc(self.due), "overdue": self.overdue,
                "can_approve": self.can_approve}


@dataclass(frozen=True)
class WorkloadRow:
    user: str
    role: str
    holding: int  # open cases held at `now` (claim or assignment)
    holding_overdue: int  # of those, the ones whose earliest running clock is due
    decided_today: int

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user, "role": self.role, "holding": self.holding,
                "holding_overdue": self.holding_overdue, "decided_today": self.decided_today}


@dataclass(frozen=True)
class DayFigures:
    """One calendar day of the platform zone."""

    day: date
    opened: int
    resolved: int
    resolved_sla_breached: int
    by_reached_type: Mapping[str, int]  # every reached_type of §3, zeros included

    @property
    def breach_rate(self) -> float | None:
        """The share of the resolved resolved after the SLA, in percent (None: nothing resolved)."""
        return 100.0 * self.resolved_sla_breached / self.resolved if self.resolved else None

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "opened": self.opened, "resolved": self.resolved,
                "resolved_sla_breached": self.resolved_sla_breached,
                "by_reached_type": {t: self.by_reached_type.get(t, 0) for t in REACHED_TYPES}}


@dataclass(frozen=True)
class DeskFigures:
    """What `mediator stats` prints at `at`."""

    at: datetime
    by_stage: Mapping[str, int]  # every open stage, zeros included
    due_in: Mapping[str, int]  # every bucket of DUE_BUCKETS
    sla_breached_open: int
    workload: tuple[WorkloadRow, ...]
    days: tuple[DayFigures, ...]  # oldest first, ending with today

    @property
    def open(self) -> int:
        return sum(self.by_stage.values())

    def to_json(self) -> dict[str, Any]:
        return {"at": _utc(self.at), "open": self.open, "by_stage": {s: self.by_stage[s] for s in OPEN_STAGES},
                "due_in": {b: self.due_in[b] for b in DUE_BUCKETS}, "sla_breached_open": self.sla_breached_open,
                "workload": [w.to_json() for w in self.workload], "days": [d.to_json() for d in self.days]}


def frozen_counts(keys: Iterable[str], counts: Mapping[str, int]) -> Mapping[str, int]:
    """`counts` over exactly `keys` (missing ones zero), read-only."""
    return MappingProxyType({k: int(counts.get(k, 0)) for k in keys})


@dataclass(frozen=True)
class AuditEntry:
    """One history row as the audit trail lists it (§5.4); (at, dispute_id, version) is its paging key."""

    dispute_id: str
    version: int
    at: datetime
    kind: str
    actor: str | None  # the user who acted; None for feed events and executed clocks
    party: str | None
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {"dispute_id": self.dispute_id, "version": self.version, "at": _utc(self.at), "kind": self.kind,
                "actor": self.actor, "party": self.party, "summary": self.summary}
