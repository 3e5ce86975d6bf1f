"""The case as `show` and `queue` present it (§4), computed at `now`; nothing is executed here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .dispute import NEGOTIATION_STAGES, DisputeState, PlatformClock
from .holding import holding
from .money import Money
from .policy import get_policy
from .time import format_utc
from .transitions import expiry_verdict, on_expiry

DECIDING_CLOCKS = ("seller_response", "buyer_response", "parties_response")
CLOCK_RULES = {
    "seller_response": "party_response_hours", "buyer_response": "party_response_hours",
    "parties_response": "party_response_hours", "return_shipment": "return_ship_days",
    "return_receipt": "return_receive_days", "platform_intervention": "platform_intervention_days",
    "platform_ruling": "platform_ruling_days",
}


def deadlines(state: DisputeState) -> list[dict[str, Any]]:
    """Every running clock, earliest first."""
    out: list[dict[str, Any]] = []
    clock = state.party_clock
    if clock is not None:
        out.append({"clock": clock.clock, "party": clock.party, "due": clock.due,
                    "on_expiry": on_expiry(state, clock.clock), "started_at": clock.started_at,
                    "started_by": clock.started_by, "rule": CLOCK_RULES[clock.clock], "executes": True})
    for pc in state.running_platform_clocks():
        out.append({"clock": pc.clock, "party": "platform", "due": pc.due,
                    "on_expiry": on_expiry(state, pc.clock), "started_at": pc.started_at,
                    "started_by": pc.started_by, "rule": CLOCK_RULES[pc.clock], "executes": False})
    out.sort(key=lambda d: (d["due"], d["clock"]))
    return out


def sla_breached(state: DisputeState, now: datetime) -> bool:
    """A platform clock stopped at or after its due time, or running at `now` >= due.

    An expired deciding party clock that is not yet executed stops the platform clocks at its due time.
    """
    stop_at = now
    clock = state.party_clock
    if clock is not None and clock.clock in DECIDING_CLOCKS and clock.due <= now:
        stop_at = clock.due
    return any(_breached(pc, stop_at) for pc in state.platform_clocks)


def _breached(pc: PlatformClock, stop_at: datetime) -> bool:
    end = pc.stopped_at if pc.stopped_at is not None else stop_at
    return end >= pc.due


def approval_due(state: DisputeState) -> datetime | None:
    """When a supervisor should have decided what waits for approval (§5.2: never executes anything)."""
    if state.pending is None:
        return None
    return state.pending.made_at + get_policy(state.policy).approval


def case_json(state: DisputeState, now: datetime) -> dict[str, Any]:
    """The `show` object without `timeline`."""
    pending = state.pending
    pending_json: dict[str, Any] | None = None
    if pending is not None:
        pending_json = {"what": pending.what, "by": pending.by}
        if pending.adopt is not None:
            pending_json["adopt"] = pending.adopt
        pending_json["proposal"] = pending.proposal.to_json()
        pending_json["made_at"] = format_utc(pending.made_at)
        pending_json["submitted_at"] = format_utc(pending.made_at)
        pending_json["due"] = format_utc(approval_due(state))
    outcome = state.outcome.to_json() if state.outcome else None
    running = deadlines(state)
    for d in running:
        d["overdue"] = d["due"] <= now
        d["due"] = format_utc(d["due"])
        d["started_at"] = format_utc(d["started_at"])
    holder = state.holder(now)
    return {
        "dispute_id": state.dispute_id,
        "order_id": state.order.order_id,
        "buyer_id": state.order.buyer_id,
        "seller_id": state.order.seller_id,
        "kind": state.kind,
        "reason": state.reason,
        "policy": state.policy,
        "status": state.status,
        "stage": state.stage,
        "version": state.version,
        "order_total": state.order.total.to_json(),
        "opened_at": format_utc(state.opened_at),
        "proposals": {p: (v.to_json() if v else None) for p, v in state.proposals.items()},
        "acceptances": {"platform_proposal": list(state.platform_acceptances)},
        "platform_proposal_rejected": state.platform_rejected,
        "deadlines": running,
        "sla_breached": sla_breached(state, now),
        "assigned_to": holder,
        "claim_expires_at": format_utc(state.claim_expires_at) if holder else None,
        "assignment": hold.to_json() if (hold := holding(state, now)) is not None else None,
        "pending_approval": pending_json,
        "outcome": outcome,
        "negotiating": state.stage in NEGOTIATION_STAGES,
    }


@dataclass(frozen=True)
class Preview:
    """What executes if the party that must act stays silent (the default-judgment preview)."""

    clock: str
    silent: str  # seller | buyer | both
    adopted: str | None  # whose proposal executes (None: closes with no refund)
    remedy: str | None
    refund: Money | None
    at: datetime


def default_judgment(state: DisputeState) -> Preview | None:
    clock = state.party_clock
    if clock is None:
        return None
    if clock.clock in DECIDING_CLOCKS:
        _reached, adopted, terms = expiry_verdict(state)
        return Preview(clock.clock, clock.party, adopted, terms.remedy if terms else None,
                       terms.refund if terms else None, clock.due)
    if clock.clock == "return_shipment":
        return Preview(clock.clock, "buyer", None, "no_refund", None, clock.due)
    refund = state.outcome.refund if state.outcome else None
    return Preview(clock.clock, "seller", None, "refund", refund, clock.due)


def queue_line_json(state: DisputeState, running: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What a queue line shows that changes only when the dispute does (stored with each write, so the queue
    reads it without decoding the whole state); who holds the case and the SLA depend on `now` and are not here.
    `running` is `deadlines(state)` when the caller has it already."""
    running = deadlines(state) if running is None else running
    first = running[0] if running else None
    preview = default_judgment(state)
    buyer = state.proposals["buyer"]

    def money(value: Money | None) -> dict[str, str] | None:
        return value.to_json() if value is not None else None

    return {
        "order_id": state.order.order_id, "buyer_id": state.order.buyer_id, "seller_id": state.order.seller_id,
        "stage": state.stage, "kind": state.kind, "reason": state.reason, "total": state.order.total.to_json(),
        "asked": money(buyer.refund if buyer else None),
        "clock": first["clock"] if first else None, "clock_party": first["party"] if first else None,
        "due": format_utc(first["due"]) if first else None,
        "on_expiry": first["on_expiry"] if first else None,  # from revision 0008's writes on (spreadsheets)
        "preview": None if preview is None else {
            "clock": preview.clock, "silent": preview.silent, "adopted": preview.adopted, "remedy": preview.remedy,
            "refund": money(preview.refund), "at": format_utc(preview.at)},
        "version": state.version,
    }
