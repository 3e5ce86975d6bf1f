"""Small builders for feed lines (contract §2) used by the CLI tests in tests/db.

Every event gets an explicit `event_id` so tests can name the lines they expect back; times are
ISO strings built from T0 (2026-11-01T02:00Z = 10:00 in Shanghai), never from the wall clock.
"""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Union

UTC = timezone.utc
T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
SHIPPED = T0 - timedelta(days=12)  # inside the default opening window at T0

#: A feed line: an event dict, a raw string written as is, or None for a blank line.
Line = Union[dict[str, Any], str, None]


def z(at: datetime) -> str:
    """UTC with `Z`, as the command prints times."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def t(days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def money(amount: Any, currency: str = "USD") -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def proposal(pid: str, remedy: str = "refund", amount: Any = "20.00", currency: str = "USD",
             payer: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"proposal_id": pid, "remedy": remedy}
    if remedy != "no_refund":
        out["refund"] = money(amount, currency)
    if payer is not None:
        out["return_shipping_paid_by"] = payer
    return out


def event(event_id: str | None, type_: str, at: datetime | str, dispute_id: str = "D-1",
          party: str | None = None, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if event_id is not None:
        out["event_id"] = event_id
    out.update({"type": type_, "at": at if isinstance(at, str) else at.isoformat(), "dispute_id": dispute_id})
    if party is not None:
        out["party"] = party
    out.update(fields)
    return out


def opened(event_id: str, dispute_id: str = "D-1", at: datetime | str = T0, order_id: str = "O-1",
           total: str = "66.65", currency: str = "USD", ask: str | None = None, kind: str = "only_refund",
           buyer_pid: str = "P-B1") -> dict[str, Any]:
    remedy = "refund" if kind == "only_refund" else "return_and_refund"
    return event(event_id, "dispute.opened", at, dispute_id,
                 order={"order_id": order_id, "buyer_id": "B-1", "seller_id": "S-1",
                        "total": money(total, currency), "shipped_at": SHIPPED.isoformat()},
                 kind=kind, reason="not_received",
                 proposal=proposal(buyer_pid, remedy, ask if ask is not None else total, currency))


def posted(event_id: str, party: str, pid: str, at: datetime | str, amount: Any = "20.00",
           currency: str = "USD", remedy: str = "refund", dispute_id: str = "D-1") -> dict[str, Any]:
    return event(event_id, "proposal.posted", at, dispute_id, party,
                 proposal=proposal(pid, remedy, amount, currency))


def accepted(event_id: str, party: str, pid: str, at: datetime | str, dispute_id: str = "D-1") -> dict[str, Any]:
    return event(event_id, "proposal.accepted", at, dispute_id, party, proposal_id=pid)


def message(event_id: str | None, party: str, at: datetime | str, text: str = "hello",
            dispute_id: str = "D-1") -> dict[str, Any]:
    return event(event_id, "message.posted", at, dispute_id, party, text=text)


def escalated(event_id: str, party: str, at: datetime | str, dispute_id: str = "D-1") -> dict[str, Any]:
    return event(event_id, "dispute.escalated", at, dispute_id, party)


def cancelled(event_id: str, party: str, at: datetime | str, dispute_id: str = "D-1") -> dict[str, Any]:
    return event(event_id, "dispute.cancelled", at, dispute_id, party)


def evidence(event_id: str, party: str, at: datetime | str, content: bytes, media_type: str = "image/png",
             filename: str = "photo.png", sha256: str | None = None, dispute_id: str = "D-1") -> dict[str, Any]:
    return event(event_id, "evidence.added", at, dispute_id, party, filename=filename, media_type=media_type,
                 sha256=sha256 if sha256 is not None else hashlib.sha256(content).hexdigest(),
                 content_base64=base64.b64encode(content).decode("ascii"))


def render(line: Line) -> str:
    if line is None:
        return ""
    if isinstance(line, str):
        return line
    return json.dumps(line, ensure_ascii=False)


def write_feed(path: Path, lines: Iterable[Line]) -> Path:
    """Write JSON Lines (None -> a blank line); returns the path."""
    path.write_text("".join(render(line) + "\n" for line in lines), encoding="utf-8")
    return path
