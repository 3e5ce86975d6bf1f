"""A queue line's display strings, made once — the first time the row is shown — and then only looked up.

Only the countdown changes between reloads; it is formatted at paint time from `row.due`. Everything else a
cell shows or says (text, tooltip, accessible text) is prepared here, so a repaint is a tuple lookup.
"""
from __future__ import annotations

from dataclasses import dataclass

from mediator_app.domain.queue_line import QueueLine
from mediator_app.ui.formatting import (CLOCKS, KINDS, PARTIES, STAGES, label, money_text, preview_text, reason_text,
                                        sla_breach_text,
                                        tr)

LEFT, CLOCK, DISPUTE, STAGE, REASON, AMOUNT, ASSIGNED, SLA, PREVIEW = range(9)
COLUMN_COUNT = 9


@dataclass(frozen=True, slots=True)
class PreparedLine:
    """One loaded queue line and its prepared strings, indexed by column (the countdown column's are empty)."""

    row: QueueLine
    texts: tuple[str, ...]
    tips: tuple[str, ...]


def amount_text(row: QueueLine) -> str:
    """`27.00 / 68.00 EUR`: the buyer's asked refund against the order total, the currency once."""
    asked, total = row.asked, row.total
    whole = money_text(total)
    if asked is None:
        return f"— / {whole}"
    if asked.currency == total.currency:
        return f"{money_text(asked).rsplit(' ', 1)[0]} / {whole}"
    return f"{money_text(asked)} / {whole}"


def clock_text(row: QueueLine) -> str:
    """The earliest clock and who must act: `buyer reply`, `return shipment (buyer)`."""
    if row.clock is None:
        return "—"
    name = label(CLOCKS, row.clock)
    if row.clock_party not in ("buyer", "seller"):
        return name  # platform clocks and `parties reply` name who acts already
    who = label(PARTIES, row.clock_party)
    if who.lower() in name.lower():
        return name
    return tr("%1 (%2)", "Queue").replace("%1", name).replace("%2", who)


def sla_text(breached: bool) -> str:
    return tr("breached", "Queue") if breached else tr("ok", "Queue")


def prepared_line(row: QueueLine) -> PreparedLine:
    preview = preview_text(row.preview_clock, row.preview_silent, row.preview_adopted, row.preview_remedy,
                           row.preview_refund, row.preview_at) or "—"
    texts = ("", clock_text(row), row.dispute_id, label(STAGES, row.stage), reason_text(row.reason),
             amount_text(row), row.assigned_to or "—", sla_text(row.sla_breached), preview)
    tips = (
        "", texts[CLOCK],
        tr("%1 · order %2 · buyer %3 · seller %4", "Queue").replace("%1", row.dispute_id)
        .replace("%2", row.order_id).replace("%3", row.buyer_id).replace("%4", row.seller_id),
        texts[STAGE],
        f"{texts[REASON]} · {label(KINDS, row.kind)}",
        tr("Buyer asks %1 of an order total of %2", "Queue").replace("%1", money_text(row.asked))
        .replace("%2", money_text(row.total)),
        tr("Held by %1", "Queue").replace("%1", row.assigned_to) if row.assigned_to else tr("Unassigned", "Queue"),
        sla_breach_text() if row.sla_breached
        else tr("Platform SLA ok", "Queue"),
        preview,
    )
    return PreparedLine(row, texts, tips)

