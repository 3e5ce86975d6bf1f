"""The supervisor's desk as rules (§5.2, §5.3): who may read it, the due-in buckets, the platform-zone days,
what counts as a decision, and who may approve what. Pure: no database, no Qt."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from .dispute import STAGES
from .errors import Rejection
from .permissions import role_may
from .policy import DEFAULT_POLICY, get_policy

DESK_ROLES = ("supervisor", "auditor")  # who reads approvals, stats and the audit trail
OPEN_STAGES = tuple(s for s in STAGES if s != "closed")
REACHED_TYPES = ("negotiation_consensus", "seller_response_timeout", "buyer_response_timeout",
                 "platform_proposal_accepted", "platform_proposal_timeout", "platform_arbitrate", "buyer_cancelled")
#: Due-in buckets in order, each with its lower bound from `now` (exclusive for lt_4h, inclusive after).
DUE_BUCKETS = ("overdue", "lt_4h", "lt_24h", "lt_72h", "later", "none")
BUCKET_EDGES_HOURS = {"lt_4h": 4, "lt_24h": 24, "lt_72h": 72}
DECISION_KINDS = ("platform_proposal.posted", "ruling.made", "ruling.approved", "platform_proposal.approved",
                  "approval.sent_back")
DAYS_DEFAULT, DAYS_MAX = 14, 366


def check_desk_reader(user: str, role: str | None, what: str) -> None:
    if role is None:
        raise Rejection(f"unknown user {user!r}")
    if role not in DESK_ROLES:
        raise Rejection(f"{user} is a {role}; {what} needs the role supervisor or auditor")


def approval_refusal(user: str, role: str | None, author: str) -> Literal["role", "own"] | None:
    """Why `user` may not approve what `author` made (four-eyes, §3): `role` (only supervisors approve), `own`
    (their own ruling or proposal), or None when they may."""
    if not role_may(role, "approve"):
        return "role"
    return "own" if user == author else None


def can_approve(user: str, role: str | None, author: str) -> bool:
    """Four-eyes (§3): a supervisor approves what someone else made."""
    return approval_refusal(user, role, author) is None


def lag_warning(behind: int, threshold: int) -> bool:
    """A consumer of the outbound feed more than `threshold` events behind is warned of on the desk (exactly at
    it is not): refunds may not be reaching the marketplace."""
    return behind > threshold


def due_bucket(due: datetime | None, now: datetime) -> str:
    """The bucket of an earliest running clock due at `due` (None: no clock runs). The SQL twin is in db."""
    if due is None:
        return "none"
    if due <= now:
        return "overdue"
    if due < now + timedelta(hours=4):
        return "lt_4h"
    if due < now + timedelta(hours=24):
        return "lt_24h"
    if due < now + timedelta(hours=72):
        return "lt_72h"
    return "later"


def urgency(due: datetime | None, now: datetime) -> Literal["overdue", "soon", "later", "none"]:
    """How pressing a clock due at `due` is, as the window shows it: overdue, soon (the next 24 h, the queue's
    `due24h` view), later, or none (no clock runs); the buckets of `due_bucket` folded."""
    bucket = due_bucket(due, now)
    if bucket in ("lt_4h", "lt_24h"):
        return "soon"
    return "overdue" if bucket == "overdue" else "none" if bucket == "none" else "later"


def platform_zone() -> ZoneInfo:
    """Every day boundary of `stats` is in the default policy's zone (§5.3)."""
    return ZoneInfo(get_policy(DEFAULT_POLICY).platform_zone)


@dataclass(frozen=True)
class Day:
    day: date
    start: datetime  # 00:00 of the day in the platform zone, as an aware UTC-comparable instant
    end: datetime  # 00:00 of the next day


def day_start(at: datetime, zone: ZoneInfo | None = None) -> datetime:
    zone = zone or platform_zone()
    local = at.astimezone(zone).date()
    return datetime.combine(local, time(0), zone)


def last_days(now: datetime, n: int, zone: ZoneInfo | None = None) -> list[Day]:
    """The `n` calendar days of the platform zone ending with today, oldest first."""
    zone = zone or platform_zone()
    today = now.astimezone(zone).date()
    out = []
    for back in range(n - 1, -1, -1):
        d = today - timedelta(days=back)
        out.append(Day(d, datetime.combine(d, time(0), zone), datetime.combine(d + timedelta(days=1), time(0), zone)))
    return out
