"""A queue line: one shape from the stored row to the painted cell.

`QueueLine` is what a line of the clerk's queue shows. Most of it changes only when the dispute does: that part
is stored with every write (`disputes.queue_row`, `encode`) so a page of the queue is read without decoding whole
states, and read back with `decode`. Who holds the case and whether the platform SLA is breached depend on `now`:
the database computes them at the read (`decode(..., holder, sla_breached)`), and `queue_line(state, now)` does
the same from a state. Both ways give equal lines (tests/db/test_queue_lines.py).

The stored text is compact JSON; its shape is fixed by the rows already written:
`{"order_id", "buyer_id", "seller_id", "stage", "kind", "reason", "total", "asked", "clock", "clock_party", "due",
"preview": null | {"clock", "silent", "adopted", "remedy", "refund", "at"}, "version"}` — money as
`{"amount", "currency"}`, times as `…Z`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson

from .dispute import DisputeState
from .money import Money
from .time import format_utc
from .view import Preview, deadlines, default_judgment, sla_breached

__all__ = ["QueueLine", "decode", "encode", "queue_line", "stored_json"]


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One queue line, everything a cell shows; `due` is the earliest running clock's, `clock_party` who must
    act on it; `preview_*` what executes if the silent party stays silent (all None when no party clock runs).
    `assigned_to` and `sla_breached` are at the `now` of the read."""

    dispute_id: str
    order_id: str
    buyer_id: str
    seller_id: str
    stage: str
    kind: str
    reason: str
    total: Money
    asked: Money | None
    clock: str | None
    clock_party: str | None
    due: datetime | None
    preview_clock: str | None
    preview_silent: str | None
    preview_adopted: str | None
    preview_remedy: str | None
    preview_refund: Money | None
    preview_at: datetime | None
    assigned_to: str | None
    sla_breached: bool
    version: int

    @property
    def preview(self) -> Preview | None:
        """The default-judgment preview as the domain's `Preview`, or None."""
        if self.preview_clock is None or self.preview_silent is None or self.preview_at is None:
            return None
        return Preview(self.preview_clock, self.preview_silent, self.preview_adopted, self.preview_remedy,
                       self.preview_refund, self.preview_at)


def queue_line(state: DisputeState, now: datetime | None, running: list[dict[str, Any]] | None = None) -> QueueLine:
    """The line of a state at `now`; with `now` None only the stored part is meant (no holder, SLA ok: what a
    write stores need not pay for them). `running` is `deadlines(state)` when the caller has it already."""
    running = deadlines(state) if running is None else running
    first = running[0] if running else None
    preview = default_judgment(state)
    buyer = state.proposals["buyer"]
    return QueueLine(
        dispute_id=state.dispute_id, order_id=state.order.order_id, buyer_id=state.order.buyer_id,
        seller_id=state.order.seller_id, stage=state.stage, kind=state.kind, reason=state.reason,
        total=state.order.total, asked=buyer.refund if buyer else None,
        clock=first["clock"] if first else None, clock_party=first["party"] if first else None,
        due=first["due"] if first else None,
        preview_clock=preview.clock if preview else None, preview_silent=preview.silent if preview else None,
        preview_adopted=preview.adopted if preview else None, preview_remedy=preview.remedy if preview else None,
        preview_refund=preview.refund if preview else None, preview_at=preview.at if preview else None,
        assigned_to=state.holder(now) if now is not None else None,
        sla_breached=sla_breached(state, now) if now is not None else False, version=state.version,
    )


def stored_json(line: QueueLine) -> dict[str, Any]:
    """The stored part of a line (what does not depend on `now`), as the JSON object `encode` writes."""
    return {
        "order_id": line.order_id, "buyer_id": line.buyer_id, "seller_id": line.seller_id,
        "stage": line.stage, "kind": line.kind, "reason": line.reason, "total": line.total.to_json(),
        "asked": _money_json(line.asked),
        "clock": line.clock, "clock_party": line.clock_party,
        "due": format_utc(line.due) if line.due is not None else None,
        "preview": None if line.preview_clock is None or line.preview_at is None else {
            "clock": line.preview_clock, "silent": line.preview_silent, "adopted": line.preview_adopted,
            "remedy": line.preview_remedy, "refund": _money_json(line.preview_refund),
            "at": format_utc(line.preview_at)},
        "version": line.version,
    }


def encode(line: QueueLine) -> str:
    """The text stored in `disputes.queue_row`."""
    return orjson.dumps(stored_json(line)).decode()


def decode(dispute_id: str, text: str | bytes, holder: str | None, breached: bool) -> QueueLine:
    """A stored line back, with the holder and the SLA the read computed at its `now`.

    Runs on the GUI thread the first time a row is shown (~40 µs): plain dict lookups, no validation beyond what
    the constructors do — the text was written by `encode`."""
    data = orjson.loads(text)
    preview = data["preview"] or {}
    return QueueLine(
        dispute_id=dispute_id, order_id=data["order_id"], buyer_id=data["buyer_id"], seller_id=data["seller_id"],
        stage=data["stage"], kind=data["kind"], reason=data["reason"], total=_money(data["total"]),
        asked=_money_or_none(data["asked"]), clock=data["clock"], clock_party=data["clock_party"],
        due=_time(data["due"]),
        preview_clock=preview.get("clock"), preview_silent=preview.get("silent"),
        preview_adopted=preview.get("adopted"), preview_remedy=preview.get("remedy"),
        preview_refund=_money_or_none(preview.get("refund")), preview_at=_time(preview.get("at")),
        assigned_to=holder, sla_breached=breached, version=data["version"],
    )


def _money_json(value: Money | None) -> dict[str, str] | None:
    return value.to_json() if value is not None else None


def _money(data: dict[str, str]) -> Money:
    return Money(Decimal(data["amount"]), data["currency"])


def _money_or_none(data: dict[str, str] | None) -> Money | None:
    return _money(data) if data is not None else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None  # `…Z`: Python 3.11 reads it
