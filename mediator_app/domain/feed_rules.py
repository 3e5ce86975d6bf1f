"""How each feed event changes a dispute (§2, §3). Pure: state in, new state and a Change out."""
from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Callable

from .dispute import UNRESOLVED_STAGES, AnyState, DisputeDraft, DisputeState, Order, PartyClock, PlatformClock
from .errors import Rejection
from .evidence import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, content_refusal
from .events import FeedEvent, event_record, optional_text, require_text
from .money import parse_money
from .policy import DEFAULT_POLICY, Policy, get_policy
from .proposals import parse_proposal
from .text import is_blank
from .time import end_of_calendar_day, format_utc, parse_time
from .transitions import (
    Change, as_party, awaiting_acceptance, is_negotiating, other_party, resolve, restart_negotiation_clock,
    start_platform_review,
)

MESSAGE_MAX_CHARS = 4000
KINDS = {"only_refund": "refund", "return_and_refund": "return_and_refund"}
#: Stages where a party's proposals may change.
PROPOSAL_STAGES = UNRESOLVED_STAGES


def parse_order(data: Any) -> Order:
    if not isinstance(data, dict):
        raise Rejection("order must be an object")
    total = parse_money(data.get("total"), "order total")
    if total.amount <= 0:
        raise Rejection(f"order total {total} must be greater than zero")
    shipped_at = parse_time(data.get("shipped_at"), "order.shipped_at")
    delivered_at = parse_time(data["delivered_at"], "order.delivered_at") if data.get("delivered_at") is not None else None
    if delivered_at is not None and delivered_at < shipped_at:
        raise Rejection("order.delivered_at is before order.shipped_at")
    promised = data.get("promised_delivery_days")
    if promised is not None and (isinstance(promised, bool) or not isinstance(promised, int)
                                 or not 0 <= promised <= 3650):
        raise Rejection("order.promised_delivery_days must be a whole number of days from 0 to 3650")
    return Order(require_text(data, "order_id"), require_text(data, "buyer_id"), require_text(data, "seller_id"), total,
                 shipped_at, delivered_at, promised)


def opening_window(order: Order, policy: Policy) -> tuple[datetime, datetime]:
    """Both ends inclusive (§3)."""
    promised = order.promised_delivery_days
    if promised is not None and promised < policy.open_at_once_if_promised_days_below:
        earliest = order.shipped_at
    else:
        earliest = order.shipped_at + timedelta(days=policy.open_after_shipped_days)
    if order.delivered_at is not None:
        latest = order.delivered_at + timedelta(days=policy.protection_days_after_delivery)
    else:
        days = promised if promised is not None else policy.default_promised_delivery_days
        latest = order.shipped_at + timedelta(days=days + policy.protection_days_after_delivery)
    return earliest, latest


def open_dispute(ev: FeedEvent) -> tuple[DisputeState, Change]:
    """A new dispute from `dispute.opened` (the caller checks that the id and the order are free)."""
    data = ev.data
    policy_name = data.get("policy") or DEFAULT_POLICY
    if not isinstance(policy_name, str):
        raise Rejection("policy must be a policy name")
    policy = get_policy(policy_name)
    order = parse_order(data.get("order"))
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise Rejection(f"kind must be only_refund or return_and_refund (got {kind!r})")
    reason = require_text(data, "reason")
    proposal = parse_proposal(data.get("proposal"), order.total, "opening proposal")
    if proposal.remedy != KINDS[kind]:
        raise Rejection(f"a {kind} dispute must open with remedy {KINDS[kind]} (got {proposal.remedy})")
    earliest, latest = opening_window(order, policy)
    if not earliest <= ev.at <= latest:
        raise Rejection(
            f"opened at {format_utc(ev.at)} outside the opening window "
            f"{format_utc(earliest)} .. {format_utc(latest)} (policy {policy.name})"
        )
    state = DisputeDraft(
        dispute_id=ev.dispute_id, order=order, kind=kind, reason=reason, policy=policy.name,
        opened_at=ev.at, stage="awaiting_seller", version=1, last_feed_at=ev.at,
    )
    state.proposals["buyer"] = proposal
    state.used_proposal_ids.append(proposal.proposal_id)
    state.last_mover = "buyer"
    started_by = f"dispute.opened {ev.event_id}"
    restart_negotiation_clock(state, policy, ev.at, started_by)
    due = end_of_calendar_day(ev.at, policy.platform_intervention_days, policy.platform_zone)
    state.platform_clocks.append(PlatformClock("platform_intervention", ev.at, due, started_by))
    summary = f"buyer opened a {kind} dispute ({reason}) asking {proposal.describe()} on order {order.order_id}"
    opened = state.freeze()
    change = Change(ev.type, ev.at, "buyer", "feed", summary, 1,
                    {"proposal": proposal.to_json()}, event_id=ev.event_id, after=opened,
                    replay={"event": event_record(ev)})
    return opened, change


Handler = Callable[[DisputeDraft, FeedEvent, Policy], tuple[str, dict[str, Any]]]


def _require_stage(state: AnyState, ev: FeedEvent, stages: tuple[str, ...]) -> None:
    if state.stage not in stages:
        if state.stage == "closed":
            raise Rejection(f"dispute {state.dispute_id} is closed: it accepts only message.posted and evidence.added")
        raise Rejection(f"{ev.type} is not allowed in stage {state.stage} (allowed in {', '.join(stages)})")


def _proposal_id(ev: FeedEvent) -> str:
    return require_text(ev.data, "proposal_id")


def _posted(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    _require_stage(state, ev, PROPOSAL_STAGES)
    proposal = parse_proposal(ev.data.get("proposal"), state.order.total)
    if proposal.proposal_id in state.used_proposal_ids:
        raise Rejection(f"proposal_id {proposal.proposal_id} was already used in dispute {state.dispute_id}")
    previous = state.proposals[ev.party]
    state.proposals[ev.party] = proposal
    state.used_proposal_ids.append(proposal.proposal_id)
    summary = f"{ev.party} posted {proposal.proposal_id}: {proposal.describe()}"
    if previous is not None:
        summary += f" (supersedes {previous.proposal_id})"
    if is_negotiating(state):
        state.last_mover = as_party(ev.party)
        restart_negotiation_clock(state, policy, ev.at, f"{ev.type} {ev.event_id}")
    elif state.stage == "awaiting_parties":
        state.platform_rejected = True
        start_platform_review(state, policy, ev.at, f"{ev.type} {ev.event_id} (counter to the platform proposal)")
        summary += "; this rejects the platform proposal"
    payload = {"proposal": proposal.to_json(), "supersedes": previous.proposal_id if previous else None}
    return summary, payload


def _withdrawn(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    _require_stage(state, ev, PROPOSAL_STAGES)
    proposal_id = _proposal_id(ev)
    active = state.proposals[ev.party]
    if active is None or active.proposal_id != proposal_id:
        raise Rejection(f"{proposal_id} is not the {ev.party}'s active proposal; a party withdraws only its own")
    state.proposals[ev.party] = None
    if is_negotiating(state):
        state.last_mover = other_party(ev.party)  # the withdrawing party must act
        restart_negotiation_clock(state, policy, ev.at, f"{ev.type} {ev.event_id}")
    return f"{ev.party} withdrew {proposal_id} ({active.describe()})", {"proposal_id": proposal_id}


def _accepted(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    proposal_id = _proposal_id(ev)
    _require_stage(state, ev, UNRESOLVED_STAGES)
    own = state.proposals[ev.party]
    platform = state.proposals["platform"]
    other = state.proposals[other_party(ev.party)]
    if own is not None and own.proposal_id == proposal_id:
        raise Rejection(f"a party never accepts its own proposal ({proposal_id} is the {ev.party}'s)")
    if platform is not None and platform.proposal_id == proposal_id:
        if state.stage != "awaiting_parties":
            raise Rejection(f"a platform proposal can be accepted only in awaiting_parties (stage is {state.stage})")
        if ev.party in state.platform_acceptances:
            raise Rejection(f"the {ev.party} already accepted platform proposal {proposal_id}")
        state.platform_acceptances.append(ev.party)
        if not awaiting_acceptance(state.stage, state.platform_acceptances):
            resolve(state, policy, "platform_proposal_accepted", "platform", platform, ev.at)
            return (f"{ev.party} accepted platform proposal {proposal_id}; both accepted: {platform.describe()}",
                    {"proposal_id": proposal_id})
        return f"{ev.party} accepted platform proposal {proposal_id}", {"proposal_id": proposal_id}
    if other is not None and other.proposal_id == proposal_id:
        adopted = other_party(ev.party)
        resolve(state, policy, "negotiation_consensus", adopted, other, ev.at)
        return (f"{ev.party} accepted the {adopted}'s proposal {proposal_id}: {other.describe()}",
                {"proposal_id": proposal_id})
    raise Rejection(
        f"{proposal_id} is not the current active proposal of the other party or the platform (stale or unknown)"
    )


def _rejected(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    proposal_id = _proposal_id(ev)
    platform = state.proposals["platform"]
    if platform is None or platform.proposal_id != proposal_id:
        raise Rejection(f"only a platform proposal can be rejected ({proposal_id} is not the active platform proposal)")
    _require_stage(state, ev, ("awaiting_parties",))
    if ev.party in state.platform_acceptances:
        raise Rejection(f"the {ev.party} already accepted platform proposal {proposal_id}")
    state.platform_rejected = True
    start_platform_review(state, policy, ev.at, f"{ev.type} {ev.event_id}")
    note = optional_text(ev.data, "note")
    summary = f"{ev.party} rejected platform proposal {proposal_id}" + (f": {note}" if note else "")
    return summary, {"proposal_id": proposal_id, "note": note}


def _escalated(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    _require_stage(state, ev, ("awaiting_seller", "awaiting_buyer", "awaiting_parties"))
    start_platform_review(state, policy, ev.at, f"{ev.type} {ev.event_id}")
    return f"{ev.party} asked the platform to arbitrate", {}


def _cancelled(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    _require_stage(state, ev, UNRESOLVED_STAGES)
    dropped = state.pending
    resolve(state, policy, "buyer_cancelled", None, None, ev.at)
    summary = "buyer cancelled the dispute"
    if dropped is not None:
        summary += f" (the {dropped.what.replace('_', ' ')} awaiting approval is dropped)"
    return summary, {}


def _evidence(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    data = ev.data
    filename = require_text(data, "filename")
    media_type = data.get("media_type")
    if media_type not in EVIDENCE_TYPES:
        raise Rejection(f"evidence type {media_type!r} is not allowed (allowed: {', '.join(EVIDENCE_TYPES)})")
    sha256 = require_text(data, "sha256").lower()
    content, actual, size = _evidence_content(ev)
    if actual != sha256:
        raise Rejection(f"evidence sha256 does not match its content (declared {sha256}, content {actual})")
    if content is not None:  # a replay's bytes were judged when the event was applied
        refusal = content_refusal(media_type, content)
        if refusal is not None:
            raise Rejection(refusal)
    ev_payload: dict[str, Any] = {"filename": filename, "media_type": media_type, "sha256": actual, "size": size}
    if content is not None:
        ev_payload[ATTACHMENT] = content  # taken out by apply_event: stored apart from the payload
    return f"{ev.party} added evidence {filename} ({media_type}, {size} bytes)", ev_payload


def _evidence_content(ev: FeedEvent) -> tuple[bytes | None, str, int]:
    """(content, its sha256, its size) of an evidence event; a replay (§7.3) has no bytes: the sha256 and size
    recorded when the event was applied (its content was checked then, and is kept in the evidence table)."""
    if ev.recorded_content is not None:
        return None, *ev.recorded_content
    raw = ev.data.get("content_base64")
    if not isinstance(raw, str):
        raise Rejection("evidence content_base64 is missing")
    try:
        content = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise Rejection("evidence content_base64 is not valid base64") from None
    if len(content) > EVIDENCE_MAX_BYTES:
        raise Rejection(f"evidence is {len(content)} bytes, above the 10 MiB limit")
    return content, hashlib.sha256(content).hexdigest(), len(content)


def _message(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    text = ev.data.get("text")
    if not isinstance(text, str) or is_blank(text):
        raise Rejection("message text is missing or empty (whitespace and invisible characters do not count)")
    if len(text) > MESSAGE_MAX_CHARS:
        raise Rejection(f"message text has {len(text)} characters, above the limit of {MESSAGE_MAX_CHARS}")
    short = text if len(text) <= 80 else text[:79] + "…"
    return f"{ev.party}: {short}", {"text": text}


def _return_shipped(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    _require_stage(state, ev, ("awaiting_return_shipment",))
    tracking = require_text(ev.data, "tracking_number")
    carrier = optional_text(ev.data, "carrier")
    assert state.outcome is not None
    state.outcome = replace(state.outcome, return_status="awaiting_receipt")
    state.stage = "awaiting_return_receipt"
    state.party_clock = PartyClock("return_receipt", "seller", ev.at, ev.at + policy.return_receive,
                                   f"{ev.type} {ev.event_id}")
    via = f" via {carrier}" if carrier else ""
    return f"buyer shipped the return{via}, tracking {tracking}", {"tracking_number": tracking, "carrier": carrier}


def _return_received(state: DisputeDraft, ev: FeedEvent, policy: Policy) -> tuple[str, dict[str, Any]]:
    _require_stage(state, ev, ("awaiting_return_receipt",))
    assert state.outcome is not None
    state.outcome = replace(state.outcome, return_status="received")
    state.stage = "closed"
    state.closed_at = ev.at
    state.party_clock = None
    return f"seller confirmed receipt of the return: refund {state.outcome.refund} executes", {}


HANDLERS: dict[str, Handler] = {
    "proposal.posted": _posted,
    "proposal.withdrawn": _withdrawn,
    "proposal.accepted": _accepted,
    "proposal.rejected": _rejected,
    "dispute.escalated": _escalated,
    "dispute.cancelled": _cancelled,
    "evidence.added": _evidence,
    "message.posted": _message,
    "return.shipped": _return_shipped,
    "return.received": _return_received,
}
ALWAYS_ALLOWED = ("evidence.added", "message.posted")
ATTACHMENT = "_attachment"


def apply_event(state: DisputeState, ev: FeedEvent) -> tuple[DisputeState, Change]:
    """Judge one feed event against an existing dispute (expiries already executed)."""
    if ev.type == "dispute.opened":
        raise Rejection(f"dispute {state.dispute_id} already exists; a second dispute.opened is rejected")
    if ev.at < state.last_feed_at:
        raise Rejection(
            f"out of order: dated {format_utc(ev.at)}, before the dispute's last applied feed event or "
            f"executed expiry at {format_utc(state.last_feed_at)}"
        )
    if state.stage == "closed" and ev.type not in ALWAYS_ALLOWED:
        raise Rejection(f"dispute {state.dispute_id} is closed: it accepts only message.posted and evidence.added")
    policy = get_policy(state.policy)
    new = state.copy()
    summary, payload = HANDLERS[ev.type](new, ev, policy)
    new.version += 1
    new.last_feed_at = ev.at
    content = payload.pop(ATTACHMENT, None)
    after = new.freeze()
    change = Change(ev.type, ev.at, ev.party, "feed", summary, new.version, payload,
                    event_id=ev.event_id, attachment=content, before=state, after=after,
                    replay={"event": event_record(ev)})
    return after, change
