"""Builders for feed events in the contract's JSON form (shared by service and CLI tests)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)


def iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def money(amount: str, currency: str = "USD") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def opened(dispute_id: str, at: datetime = T0, *, kind: str = "only_refund", total: str = "66.65",
           refund: str | None = None, currency: str = "USD", order_id: str | None = None,
           event_id: str | None = None) -> dict[str, Any]:
    remedy = "refund" if kind == "only_refund" else "return_and_refund"
    proposal: dict[str, Any] = {"proposal_id": f"P-{dispute_id}-B1", "remedy": remedy,
                                "refund": money(refund or total, currency)}
    return {
        "event_id": event_id or f"E-{dispute_id}-open", "type": "dispute.opened", "dispute_id": dispute_id,
        "at": iso(at),
        "order": {"order_id": order_id or f"O-{dispute_id}", "buyer_id": "B-1", "seller_id": "S-1",
                  "total": money(total, currency), "shipped_at": iso(at - timedelta(days=12))},
        "kind": kind, "reason": "not_received", "proposal": proposal,
    }


def event(dispute_id: str, kind: str, at: datetime, event_id: str, **fields: Any) -> dict[str, Any]:
    return {"event_id": event_id, "type": kind, "dispute_id": dispute_id, "at": iso(at), **fields}
