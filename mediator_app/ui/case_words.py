"""The case's words without widgets: due times in two zones, the timeline's event kinds, what runs on expiry, a
return's status. Shared by the window's panes and the case file (`report/case_file.py`), so both say the same."""
from __future__ import annotations

from datetime import datetime

from mediator_app.domain.expiry import Expiry

from .formatting import PARTIES, QT_TR_NOOP, label, terms_text, tr, when, zone_name

TIMELINE_KINDS = {
    "dispute.opened": QT_TR_NOOP("dispute opened"), "proposal.posted": QT_TR_NOOP("proposal posted"), "proposal.withdrawn": QT_TR_NOOP("proposal withdrawn"),
    "proposal.accepted": QT_TR_NOOP("proposal accepted"), "proposal.rejected": QT_TR_NOOP("proposal rejected"),
    "dispute.escalated": QT_TR_NOOP("escalated"), "dispute.cancelled": QT_TR_NOOP("cancelled"), "evidence.added": QT_TR_NOOP("evidence added"),
    "message.posted": QT_TR_NOOP("message"), "return.shipped": QT_TR_NOOP("return shipped"), "return.received": QT_TR_NOOP("return received"),
    "platform_proposal.posted": QT_TR_NOOP("platform proposal"), "platform_proposal.approved": QT_TR_NOOP("platform proposal approved"),
    "ruling.made": QT_TR_NOOP("ruling"), "ruling.approved": QT_TR_NOOP("ruling approved"), "approval.sent_back": QT_TR_NOOP("sent back"),
    "clock.expired": QT_TR_NOOP("clock expired"), "case.claimed": QT_TR_NOOP("claimed"), "case.assigned": QT_TR_NOOP("assigned"), "case.released": QT_TR_NOOP("released"),
    "note.added": QT_TR_NOOP("internal note"),
}
RETURN_STATUS = {"none": "", "awaiting_shipment": QT_TR_NOOP("return awaiting shipment"),
                 "awaiting_receipt": QT_TR_NOOP("return awaiting receipt"), "received": QT_TR_NOOP("return received"),
                 "not_shipped": QT_TR_NOOP("return not shipped"), "receipt_timeout": QT_TR_NOOP("receipt not confirmed in time")}
CASE_CONTEXT = "Case"
EXPIRY_CONTEXT = "Expiry"


def due_text(at: datetime, zone: str | None) -> str:
    """`23 Nov 21:57 UTC` (the clerk's zone) or `24 Nov 05:57 CST` (the platform zone)."""
    return f"{when(at, zone)} {zone_name(at, zone)}"


def timeline_kind(kind: str) -> str:
    """An event kind in words (`proposal.posted` → `proposal posted`); an unknown kind as it is."""
    return tr(TIMELINE_KINDS[kind], CASE_CONTEXT) if kind in TIMELINE_KINDS else kind


def return_status_text(status: str | None) -> str:
    """A return's status in words; `none` (no return) is empty, an unknown status as it is."""
    text = RETURN_STATUS.get(status or "none", status or "")
    return tr(text, CASE_CONTEXT) if text else ""


def expiry_text(expiry: Expiry) -> str:
    """What happens when the clock runs out (the contract's `on_expiry`, from `domain.expiry`), with the amount
    that would execute."""
    kind = expiry.kind
    if kind == "execute_proposal":
        assert expiry.proposal is not None
        terms = terms_text(expiry.proposal.remedy, expiry.proposal.refund)
        return (tr("execute %1 proposal %2\n→ %3", EXPIRY_CONTEXT).replace("%1", label(PARTIES, expiry.adopted))
                .replace("%2", expiry.proposal.proposal_id).replace("%3", terms))
    if kind == "close_no_refund":
        return tr("close with no refund", EXPIRY_CONTEXT)
    if kind == "return_not_shipped":
        return tr("close with no refund (return not shipped)", EXPIRY_CONTEXT)
    if kind == "close_on_receipt_timeout":
        return tr("close (receipt not confirmed)", EXPIRY_CONTEXT)
    if kind == "refund_on_receipt_timeout":
        return tr("execute the refund %1 (receipt not confirmed)", EXPIRY_CONTEXT).replace(
            "%1", terms_text("refund", expiry.refund))
    return tr("nothing executes: platform deadline (SLA breach)", EXPIRY_CONTEXT)
