"""The supervisor's desk (§5.2–§5.4): the approval inbox, the dashboard's figures, the audit trail. Reading only:
nothing is executed; every figure is what `queue`, `show` and the timelines show at `now`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import Connection, select

from mediator_app.db import desk_queries as dq
from mediator_app.db import store
from mediator_app.db.schema import OPEN, Dispute
from mediator_app.domain.desk import (
    DAYS_DEFAULT, DAYS_MAX, DUE_BUCKETS, OPEN_STAGES, REACHED_TYPES, can_approve, check_desk_reader, day_start,
    last_days,
)
from mediator_app.domain.desk_rows import ApprovalRow, AuditEntry, DayFigures, DeskFigures, WorkloadRow, frozen_counts
from mediator_app.domain.view import approval_due

from .context import Context
from .reading import read


def _reader(conn: Connection, user: str, what: str) -> str:
    role = store.get_user_role(conn, user)
    check_desk_reader(user, role, what)
    assert role is not None
    return role


# ---- §5.2 the approval inbox

def approvals(ctx: Context, user: str) -> list[dict[str, Any]]:
    """`mediator approvals`: the inbox's rows as JSON."""
    return [row.to_json() for row in approval_rows(ctx, user)]


def approval_rows(ctx: Context, user: str) -> list[ApprovalRow]:
    """Every dispute in `pending_approval`, ordered by `due`, then id (they are few: states are decoded)."""
    now = ctx.clock.now()

    def load(conn: Connection) -> tuple[str, list[str]]:
        role = _reader(conn, user, "approvals")
        query = select(Dispute.state).where(Dispute.status == OPEN, Dispute.stage == "pending_approval")
        return role, list(conn.execute(query).scalars())

    role, raws = read(ctx, load)
    rows = []
    for raw in raws:
        state = store.decode_state(raw)
        pending = state.pending
        if pending is None:
            continue
        due = approval_due(state)
        assert due is not None
        rows.append(ApprovalRow(state.dispute_id, pending.what, pending.by, pending.proposal.refund, pending.made_at,
                                due, now >= due, can_approve(user, role, pending.by), state.version))
    rows.sort(key=lambda r: (r.due, r.dispute_id))
    return rows


# ---- §5.3 the dashboard's figures

def check_days(days: int) -> None:
    if not 1 <= days <= DAYS_MAX:
        raise ValueError(f"--days must be between 1 and {DAYS_MAX} (got {days})")


def stats(ctx: Context, user: str, days: int = DAYS_DEFAULT) -> dict[str, Any]:
    """`mediator stats`: the figures as JSON."""
    return figures(ctx, user, days).to_json()


def figures(ctx: Context, user: str, days: int = DAYS_DEFAULT) -> DeskFigures:
    check_days(days)
    now = ctx.clock.now()
    calendar = last_days(now, days)
    today = day_start(now)

    def load(conn: Connection) -> tuple[Any, ...]:
        _reader(conn, user, "stats")
        return (dq.open_figures(conn, now), dq.workload(conn, now, today), dq.opened_per_day(conn, calendar),
                dq.resolved_per_day(conn, calendar))

    (stages, breached, buckets), work_rows, opened, resolved = read(ctx, load)
    per_day: dict[str, tuple[int, int, dict[str, int]]] = {}
    for day, reached, stopped_breach, n in resolved:
        total, late, by_type = per_day.get(day, (0, 0, {}))
        by_type[reached] = by_type.get(reached, 0) + n
        per_day[day] = (total + n, late + (n if stopped_breach else 0), by_type)
    day_rows = []
    for d in calendar:
        key = d.day.isoformat()
        total, late, by_type = per_day.get(key, (0, 0, {}))
        day_rows.append(DayFigures(d.day, int(opened.get(key, 0)), int(total), int(late),
                                   frozen_counts(REACHED_TYPES, by_type)))
    return DeskFigures(
        at=now, by_stage=frozen_counts(OPEN_STAGES, stages), due_in=frozen_counts(DUE_BUCKETS, buckets),
        sla_breached_open=int(breached),
        workload=tuple(WorkloadRow(name, role, int(h), int(o), int(d)) for name, role, h, o, d in work_rows),
        days=tuple(day_rows))


# ---- §5.4 the audit trail

@dataclass(frozen=True)
class AuditFilter:
    dispute_id: str | None = None
    user: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    newest_first: bool = False

    def where(self) -> list[Any]:
        return dq.audit_where(self.dispute_id, self.user, self.kind, self.since, self.until)


AuditKey = tuple[datetime, str, int]


def audit_row(row: AuditEntry) -> dict[str, Any]:
    return row.to_json()


def check_reader(ctx: Context, user: str, what: str) -> None:
    read(ctx, lambda conn: _reader(conn, user, what))


def audit_page(ctx: Context, user: str, flt: AuditFilter, after: AuditKey | None = None,
               limit: int | None = 200) -> list[AuditEntry]:
    """One page of matching history rows (`to_json()` gives each row's JSON object)."""
    if limit is not None and limit < 1:
        raise ValueError("--limit must be at least 1")

    def load(conn: Connection) -> list[AuditEntry]:
        _reader(conn, user, "audit")
        return [AuditEntry(*r) for r in dq.audit_page(conn, flt.where(), flt.newest_first, after, limit)]

    return read(ctx, load)


def audit(ctx: Context, user: str, flt: AuditFilter, limit: int | None = None) -> list[dict[str, Any]]:
    return [audit_row(r) for r in audit_page(ctx, user, flt, None, limit)]


def audit_count(ctx: Context, user: str, flt: AuditFilter) -> int:
    def load(conn: Connection) -> int:
        _reader(conn, user, "audit")
        return dq.audit_count(conn, flt.where())
    return read(ctx, load)


def audit_stream(ctx: Context, user: str, flt: AuditFilter, page: int = 5000,
                 limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every matching row, page by page (an export of millions of rows never holds them all)."""
    after: AuditKey | None = None
    left = limit
    while left is None or left > 0:
        size = page if left is None else min(page, left)
        rows = audit_page(ctx, user, flt, after, size)
        for r in rows:
            yield audit_row(r)
        if len(rows) < size:
            return
        last = rows[-1]
        after = (last.at, last.dispute_id, last.version)
        if left is not None:
            left -= len(rows)


