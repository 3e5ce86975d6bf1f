"""The outbound feed's events (§8.1): what the marketplace must now do or show, derived from a change.

One pure function, `outbound_events(before, after, version, at)`, is the only home of the rule. The write path
(db.store.write_disputes) calls it for every change it stores, with the states on either side of the change,
so no writer can store a change without its events.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NamedTuple, Sequence

from .dispute import DisputeState
from .policy import get_policy
from .proposals import Proposal
from .time import format_utc

PROPOSAL_POSTED = "platform_proposal.posted"
RESOLVED = "dispute.resolved"
RETURN_REQUESTED = "return.requested"
CLOSED = "dispute.closed"
#: The event types, in the order one change writes them (§8.1's table)
TYPES = (PROPOSAL_POSTED, RESOLVED, RETURN_REQUESTED, CLOSED)
#: The history kinds of a clerk's or supervisor's change (not a feed event) that can write each type: the
#: database refuses an event of a user's login whose change is of another kind (decision 211)
ACTION_KINDS: dict[str, tuple[str, ...]] = {
    PROPOSAL_POSTED: ("platform_proposal.posted", "platform_proposal.approved"),
    **{t: ("ruling.made", "ruling.approved", "clock.expired") for t in (RESOLVED, RETURN_REQUESTED, CLOSED)},
}


@dataclass(frozen=True)
class OutboundEvent:
    """One event without its `seq` (the database hands that out when the change commits)."""

    event_id: str
    type: str
    dispute_id: str
    version: int
    at: datetime
    fields: dict[str, Any]

    def to_json(self, seq: int | None = None) -> dict[str, Any]:
        head: dict[str, Any] = {} if seq is None else {"seq": seq}
        return {**head, "event_id": self.event_id, "type": self.type, "dispute_id": self.dispute_id,
                "version": self.version, "at": format_utc(self.at), **self.fields}


def event_id(dispute_id: str, version: int, type_: str) -> str:
    """Stable: the same change (dispute, version after it, type) always has the same id."""
    return f"OUT-{dispute_id}-{version}-{type_}"


def _platform_id(state: DisputeState | None) -> str | None:
    proposal = state.proposals.get("platform") if state is not None else None
    return proposal.proposal_id if proposal is not None else None


def outbound_events(before: DisputeState | None, after: DisputeState, version: int,
                    at: datetime) -> list[OutboundEvent]:
    """The events of one change from `before` (None: the dispute is new) to `after`, in §8.1's order.

    - `platform_proposal.posted`: the active platform proposal is a new one (posted, or approved when it
      waited for four-eyes; a proposal waiting for approval is not active yet, and ids are never reused);
    - `dispute.resolved`: the dispute gets its outcome;
    - `return.requested`: stage `awaiting_return_shipment` begins (`ship_by`: the return clock's due);
    - `dispute.closed`: the stage becomes `closed` (`outcome` final: `refund` is what must be paid).
    """
    out: list[OutboundEvent] = []

    def add(type_: str, **fields: Any) -> None:
        out.append(OutboundEvent(event_id(after.dispute_id, version, type_), type_, after.dispute_id, version, at,
                                 fields))

    posted = _platform_id(after)
    if posted is not None and posted != _platform_id(before):
        proposal = after.proposals["platform"]
        assert proposal is not None
        add(PROPOSAL_POSTED, proposal=proposal.to_json())
    if after.outcome is not None and (before is None or before.outcome is None):
        add(RESOLVED, outcome=after.outcome.to_json())
    was = before.stage if before is not None else None
    if after.stage == "awaiting_return_shipment" and was != "awaiting_return_shipment":
        clock = after.party_clock
        assert clock is not None and clock.clock == "return_shipment"
        add(RETURN_REQUESTED, ship_by=format_utc(clock.due))
    if after.stage == "closed" and was != "closed":
        assert after.outcome is not None
        add(CLOSED, outcome=after.outcome.to_json())
    return out


class Recorded(NamedTuple):
    """One stored history row, as much of it as a replay needs."""

    version: int
    at: datetime
    kind: str
    payload: dict[str, Any]


# the history kinds whose change may resolve a dispute (clock.expired only with a `reached_type`)
_RESOLVING = ("proposal.accepted", "dispute.cancelled", "ruling.made", "ruling.approved", "clock.expired")
#: the only history kinds a replay looks at (the migration reads no other rows)
REPLAYED_KINDS = (*_RESOLVING, "platform_proposal.posted", "platform_proposal.approved", "return.received")


def _resolves(row: Recorded) -> bool:
    if row.kind == "clock.expired":
        return "reached_type" in row.payload
    if row.kind == "ruling.made":
        return not row.payload.get("pending")
    return row.kind in _RESOLVING


def replayed_events(final: DisputeState, history: Sequence[Recorded]) -> list[OutboundEvent]:
    """The events a dispute stored before the outbound feed existed would have written, from its history and
    its current state: each at the `version` and `at` of its change (migration 0005).

    - every `platform_proposal.posted` that was not waiting for approval, and every
      `platform_proposal.approved`, posted the proposal its payload holds;
    - the resolution is the last row that can resolve (nothing resolves after it: every later change is a
      return step, a message, evidence or a note); its outcome is the final one as it stood then (return
      status `awaiting_shipment` or `none`, the refund of the adopted terms);
    - with a return, `return.requested` comes with the resolution (`ship_by`: resolution + the policy's
      return time); the dispute closed with the last return step (`return.received`, or the return clock's
      expiry), else with the resolution.
    """
    rows = sorted(history, key=lambda r: r.version)
    out: list[OutboundEvent] = []

    def add(row: Recorded, type_: str, **fields: Any) -> None:
        out.append(OutboundEvent(event_id(final.dispute_id, row.version, type_), type_, final.dispute_id,
                                 row.version, row.at, fields))

    resolution: Recorded | None = None
    if final.outcome is not None:
        candidates = [r for r in rows if _resolves(r)]
        timed = [r for r in candidates if r.at == final.outcome.resolved_at]
        chosen = timed or candidates
        resolution = chosen[-1] if chosen else None
    closing: Recorded | None = None
    if final.stage == "closed" and final.outcome is not None:
        if final.outcome.return_required:
            steps = [r for r in rows if r.kind == "return.received"
                     or (r.kind == "clock.expired" and "return_status" in r.payload)]
            closing = steps[-1] if steps else None
        else:
            closing = resolution
    for row in rows:
        if row.kind == "platform_proposal.posted" and not row.payload.get("pending"):
            add(row, PROPOSAL_POSTED, proposal=Proposal.from_json(row.payload["proposal"]).to_json())
        elif row.kind == "platform_proposal.approved":
            add(row, PROPOSAL_POSTED, proposal=Proposal.from_json(row.payload["approved"]["proposal"]).to_json())
        if row is resolution:
            assert final.outcome is not None
            outcome = final.outcome
            terms = outcome.terms
            then = replace(outcome, refund=terms.refund if terms is not None and terms.remedy != "no_refund" else None,
                           return_status="awaiting_shipment" if outcome.return_required else "none")
            add(row, RESOLVED, outcome=then.to_json())
            if outcome.return_required:
                add(row, RETURN_REQUESTED,
                    ship_by=format_utc(outcome.resolved_at + get_policy(final.policy).return_ship))
        if row is closing:
            assert final.outcome is not None
            add(row, CLOSED, outcome=final.outcome.to_json())
    return out
