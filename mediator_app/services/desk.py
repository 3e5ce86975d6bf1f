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
from mediator_app.domain.time import format_utc
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
    """Every dispute in `pending_approval`, ordered by `due`, then id (they are few: states are decoded)."""
    return [row for row, _version in approval_rows(ctx, user)]


def approval_rows(ctx: Context, user: str) -> list[tuple[dict[str, Any], int]]:
    """`approvals` with each dispute's version (the window approves with compare-and-set on it)."""
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
        refund = pending.proposal.refund
        rows.append((due, state.dispute_id, state.version, {
            "dispute_id": state.dispute_id, "what": pending.what, "by": pending.by,
            "refund": refund.to_json() if refund is not None else None,
            "submitted_at": format_utc(pending.made_at), "due": format_utc(due), "overdue": now >= due,
            "can_approve": can_approve(user, role, pending.by),
        }))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(r[3], r[2]) for r in rows]


# ---- §5.3 the dashboard's figures

def check_days(days: int) -> None:
    if not 1 <= days <= DAYS_MAX:
        raise ValueError(f"--days must be between 1 and {DAYS_MAX} (got {days})")


def stats(ctx: Context, user: str, days: int = DAYS_DEFAULT) -> dict[str, Any]:
    check_days(days)
    now = ctx.clock.now()
    calendar = last_days(now, days)
    today = day_start(now)

    def load(conn: Connection) -> tuple[Any, ...]:
        _reader(conn, user, "stats")
        return (dq.open_figures(conn, now), dq.workload(conn, now, today), dq.opened_per_day(conn, calendar),
                dq.resolved_per_day(conn, calendar))

    (stages, breached, buckets), work_rows, opened, resolved = read(ctx, load)
    by_stage = {s: stages.get(s, 0) for s in OPEN_STAGES}
    due_in = {b: buckets[b] for b in DUE_BUCKETS}
    day_rows = {d.day.isoformat(): {"day": d.day.isoformat(), "opened": opened.get(d.day.isoformat(), 0),
                                    "resolved": 0, "resolved_sla_breached": 0,
                                    "by_reached_type": {t: 0 for t in REACHED_TYPES}} for d in calendar}
    for day, reached, stopped_breach, n in resolved:
        row = day_rows[day]
        row["resolved"] += n
        row["resolved_sla_breached"] += n if stopped_breach else 0
        row["by_reached_type"][reached] = row["by_reached_type"].get(reached, 0) + n
    return {
        "at": format_utc(now), "open": sum(by_stage.values()), "by_stage": by_stage, "due_in": due_in,
        "sla_breached_open": breached,
        "workload": [{"user": name, "role": role, "holding": int(h), "holding_overdue": int(o),
                      "decided_today": int(d)} for name, role, h, o, d in work_rows],
        "days": list(day_rows.values()),
    }


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


def audit_row(row: Any) -> dict[str, Any]:
    return {"dispute_id": row.dispute_id, "version": row.version, "at": format_utc(row.at), "kind": row.kind,
            "actor": row.actor, "party": row.party, "summary": row.summary}


def check_reader(ctx: Context, user: str, what: str) -> None:
    read(ctx, lambda conn: _reader(conn, user, what))


def audit_page(ctx: Context, user: str, flt: AuditFilter, after: AuditKey | None = None,
               limit: int | None = 200) -> list[Any]:
    """One page of matching history rows (raw rows; `audit_row` turns one into the JSON object)."""
    if limit is not None and limit < 1:
        raise ValueError("--limit must be at least 1")

    def load(conn: Connection) -> list[Any]:
        _reader(conn, user, "audit")
        return dq.audit_page(conn, flt.where(), flt.newest_first, after, limit)

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


