"""Builders for feed event dicts (contract §2) and small helpers to run them through the domain.

Times are explicit datetimes (or ISO strings passed through unchanged); nothing reads the wall clock.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from mediator_app.domain.actions import Actor
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.events import FeedEvent, parse_event
from mediator_app.domain.feed_rules import open_dispute
from mediator_app.domain.judge import Judgement, judge_event
from mediator_app.domain.transitions import Change

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The example disputes open at 2026-11-01T10:00+08:00 (= 02:00Z).
T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
#: Shipped 12 days before T0: inside the default opening window.
SHIPPED = T0 - timedelta(days=12)

H = timedelta(hours=1)
D = timedelta(days=1)
S = timedelta(seconds=1)

CLERK = Actor("alice", "clerk")
CLERK2 = Actor("carol", "clerk")
SUPERVISOR = Actor("bob", "supervisor")
SUPERVISOR2 = Actor("dave", "supervisor")
AUDITOR = Actor("eve", "auditor")

_ids = itertools.count(1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sh(*args: int) -> datetime:
    """A wall time in the platform zone (Asia/Shanghai)."""
    return datetime(*args, tzinfo=SHANGHAI)


def iso(at: datetime | str) -> str:
    if isinstance(at, str):
        return at
    if at.tzinfo is None:
        raise ValueError("builders need aware datetimes (use a str to build an offset-less time)")
    return at.isoformat()


def next_event_id() -> str:
    return f"E-{next(_ids)}"


def money(amount: str | Any, currency: str = "USD") -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def proposal(pid: str, remedy: str = "refund", amount: str | Any | None = "66.65", currency: str = "USD",
             payer: str | None = None, note: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"proposal_id": pid, "remedy": remedy}
    if remedy != "no_refund" and amount is not None:
        out["refund"] = money(amount, currency)
    if payer is not None:
        out["return_shipping_paid_by"] = payer
    if note is not None:
        out["note"] = note
    return out


def event(type_: str, at: datetime | str, dispute_id: str = "D-1", party: str | None = None,
          event_id: str | None = None, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"event_id": event_id or next_event_id(), "type": type_, "at": iso(at),
                           "dispute_id": dispute_id}
    if party is not None:
        out["party"] = party
    out.update(fields)
    return out


def order(total: str = "66.65", currency: str = "USD", shipped_at: datetime | str = SHIPPED,
          delivered_at: datetime | str | None = None, promised: int | None = None,
          order_id: str = "O-1") -> dict[str, Any]:
    out: dict[str, Any] = {"order_id": order_id, "buyer_id": "B-1", "seller_id": "S-1",
                           "total": money(total, currency), "shipped_at": iso(shipped_at)}
    if delivered_at is not None:
        out["delivered_at"] = iso(delivered_at)
    if promised is not None:
        out["promised_delivery_days"] = promised
    return out


def opened(at: datetime | str = T0, dispute_id: str = "D-1", kind: str = "only_refund",
           prop: dict[str, Any] | None = None, total: str = "66.65", currency: str = "USD",
           shipped_at: datetime | str = SHIPPED, delivered_at: datetime | str | None = None,
           promised: int | None = None, reason: str = "not_received", **fields: Any) -> dict[str, Any]:
    if prop is None:
        remedy = "refund" if kind == "only_refund" else "return_and_refund"
        prop = proposal("P-1", remedy, total, currency)
    return event("dispute.opened", at, dispute_id,
                 order=order(total, currency, shipped_at, delivered_at, promised), kind=kind,
                 reason=reason, proposal=prop, **fields)


def posted(party: str, pid: str, at: datetime | str, remedy: str = "refund", amount: str | None = "20.00",
           currency: str = "USD", payer: str | None = None, dispute_id: str = "D-1") -> dict[str, Any]:
    return event("proposal.posted", at, dispute_id, party,
                 proposal=proposal(pid, remedy, amount, currency, payer))


def withdrawn(party: str, pid: str, at: datetime | str, dispute_id: str = "D-1") -> dict[str, Any]:
    return event("proposal.withdrawn", at, dispute_id, party, proposal_id=pid)


def accepted(party: str, pid: str, at: datetime | str, dispute_id: str = "D-1") -> dict[str, Any]:
    return event("proposal.accepted", at, dispute_id, party, proposal_id=pid)


def rejected(party: str, pid: str, at: datetime | str, note: str | None = None,
             dispute_id: str = "D-1") -> dict[str, Any]:
    extra = {"note": note} if note is not None else {}
    return event("proposal.rejected", at, dispute_id, party, proposal_id=pid, **extra)


def escalated(party: str, at: datetime | str, dispute_id: str = "D-1") -> dict[str, Any]:
    return event("dispute.escalated", at, dispute_id, party)


def cancelled(at: datetime | str, party: str = "buyer", dispute_id: str = "D-1") -> dict[str, Any]:
    return event("dispute.cancelled", at, dispute_id, party)


def evidence(party: str, at: datetime | str, content: bytes = b"\x89PNG\r\n\x1a\n fake image bytes",
             media_type: str = "image/png", sha256: str | None = None, content_base64: str | None = None,
             filename: str = "photo.png", dispute_id: str = "D-1") -> dict[str, Any]:
    return event("evidence.added", at, dispute_id, party, filename=filename, media_type=media_type,
                 sha256=sha256 if sha256 is not None else hashlib.sha256(content).hexdigest(),
                 content_base64=content_base64 if content_base64 is not None
                 else base64.b64encode(content).decode("ascii"))


def message(party: str, at: datetime | str, text: str = "hello", dispute_id: str = "D-1") -> dict[str, Any]:
    return event("message.posted", at, dispute_id, party, text=text)


def return_shipped(at: datetime | str, tracking: str = "TRK-1", carrier: str | None = "SF",
                   party: str = "buyer", dispute_id: str = "D-1") -> dict[str, Any]:
    extra = {"carrier": carrier} if carrier is not None else {}
    return event("return.shipped", at, dispute_id, party, tracking_number=tracking, **extra)


def return_received(at: datetime | str, party: str = "seller", dispute_id: str = "D-1") -> dict[str, Any]:
    return event("return.received", at, dispute_id, party)


# --- running events through the domain -------------------------------------------------------------

def ev(obj: dict[str, Any]) -> FeedEvent:
    return parse_event(obj)


def open_case(**kw: Any) -> DisputeState:
    """A freshly opened dispute (see `opened` for the keywords)."""
    state, _ = open_dispute(ev(opened(**kw)))
    return state


def judge(state: DisputeState, obj: dict[str, Any]) -> Judgement:
    return judge_event(state, ev(obj))


def apply_ok(state: DisputeState, *objs: dict[str, Any]) -> DisputeState:
    """Apply events that must all be accepted."""
    for obj in objs:
        j = judge(state, obj)
        assert j.rejection is None, f"{obj['type']} unexpectedly rejected: {j.rejection}"
        state = j.state
    return state


def apply_rejected(state: DisputeState, obj: dict[str, Any]) -> Judgement:
    """Apply an event that must be rejected; returns the judgement (with its reason)."""
    j = judge(state, obj)
    assert j.rejection is not None, f"{obj['type']} was unexpectedly accepted"
    return j


def last_change(j: Judgement) -> Change:
    assert j.changes, "no change recorded"
    return j.changes[-1]


def platform_clock(state: DisputeState, name: str, index: int = -1):
    clocks = [c for c in state.platform_clocks if c.clock == name]
    assert clocks, f"no {name} clock"
    return clocks[index]
