"""Clerk and supervisor actions (§3 "Who may do what"). Pure: state in, new state and a Change out."""
from __future__ import annotations

from datetime import datetime
from typing import cast

from .dispute import DisputeDraft, DisputeState, PendingApproval
from .errors import Rejection
from .permissions import (  # noqa: F401 (re-exported: the names this module always had)
    DECISION_STAGES, PERMISSIONS, ROLES, Actor, check_permission, facts_of, require,
)
from .money import Money, parse_amount
from .policy import Policy, get_policy
from .proposals import Proposal, check_terms
from .time import format_utc
from .types import ProposalParty
from .transitions import Change, post_platform_proposal, resolve, start_platform_review, stop_platform_clocks


def _require(state: DisputeState, actor: Actor, action: str, at: datetime, take_over: bool = True) -> None:
    """Who may take `action` on this case now: `domain.permissions`, the one home of the rule."""
    require(facts_of(state), actor, action, at, take_over)


def _next_platform_id(state: DisputeDraft) -> str:
    seq = state.platform_proposal_seq
    while True:
        seq += 1
        candidate = f"{state.dispute_id}-PL{seq}"
        if candidate not in state.used_proposal_ids:
            state.platform_proposal_seq = seq
            return candidate


def _step(before: DisputeState, state: DisputeDraft, kind: str, at: datetime, actor: Actor, summary: str,
          payload: dict[str, object] | None = None) -> tuple[DisputeState, Change]:
    """One version step from `before`: the draft frozen as the next state, and its change (carrying both)."""
    state.version += 1
    after = state.freeze()
    return after, Change(kind, at, "platform", actor.name, summary, state.version, payload or {},
                         before=before, after=after)


def propose(state: DisputeState, actor: Actor, at: datetime, remedy: str, amount: str | None,
            return_shipping_paid_by: str | None = None, note: str | None = None) -> tuple[DisputeState, Change]:
    """Post or replace the platform proposal (to `pending_approval` at the four-eyes threshold)."""
    _require(state, actor, "propose", at)
    policy = get_policy(state.policy)
    currency = state.order.total.currency
    refund = Money(parse_amount(amount, currency, "refund"), currency) if amount is not None else None
    if remedy in ("refund", "return_and_refund") and refund is None:
        raise Rejection(f"remedy {remedy} needs an amount (--amount)")
    remedy, refund, payer = check_terms(remedy, refund, return_shipping_paid_by, state.order.total,
                                        "platform proposal")
    new = state.copy()
    proposal = Proposal(_next_platform_id(new), remedy, refund, payer, note)
    new.used_proposal_ids.append(proposal.proposal_id)
    if policy.needs_four_eyes(refund):
        _await_approval(new, PendingApproval("platform_proposal", actor.name, proposal, at))
        summary = f"{actor.name} proposed {proposal.proposal_id}: {proposal.describe()}; awaits a supervisor's approval"
    else:
        replaced = state.proposals["platform"]
        post_platform_proposal(new, policy, proposal, at, f"platform_proposal.posted by {actor.name}")
        summary = f"{actor.name} proposed {proposal.proposal_id}: {proposal.describe()}"
        if replaced is not None:
            summary += f" (replaces {replaced.proposal_id})"
    return _step(state, new, "platform_proposal.posted", at, actor, summary,
                      {"proposal": proposal.to_json(), "pending": new.stage == "pending_approval"})


def _await_approval(state: DisputeDraft, pending: PendingApproval) -> None:
    stop_platform_clocks(state, pending.made_at)
    state.pending = pending
    state.stage = "pending_approval"
    state.party_clock = None


def rule(state: DisputeState, actor: Actor, at: datetime, adopt: str,
         note: str | None = None) -> tuple[DisputeState, Change]:
    """A final ruling adopting one party's active proposal (fixed now)."""
    check_permission(actor, "rule")
    if adopt not in ("buyer", "seller", "platform"):
        raise Rejection(f"--adopt must be buyer, seller or platform (got {adopt!r})")
    _require(state, actor, "rule", at)
    terms = state.proposals[adopt]
    if terms is None:
        raise Rejection(f"the {adopt} has no active proposal to adopt")
    policy = get_policy(state.policy)
    new = state.copy()
    payload: dict[str, object] = {"adopt": adopt, "proposal": terms.to_json(), "note": note}
    if policy.needs_four_eyes(terms.refund):
        _await_approval(new, PendingApproval("ruling", actor.name, terms, at, cast(ProposalParty, adopt)))
        summary = f"{actor.name} ruled for the {adopt} ({terms.describe()}); awaits a supervisor's approval"
        payload["pending"] = True
    else:
        resolve(new, policy, "platform_arbitrate", cast(ProposalParty, adopt), terms, at)
        summary = f"{actor.name} ruled for the {adopt}: {terms.proposal_id} executes ({terms.describe()})"
    if note:
        summary += f" — {note}"
    return _step(state, new, "ruling.made", at, actor, summary, payload)


def approve(state: DisputeState, actor: Actor, at: datetime) -> tuple[DisputeState, Change]:
    _require(state, actor, "approve", at)
    pending = state.pending
    assert pending is not None
    policy = get_policy(state.policy)
    new = state.copy()
    if pending.what == "ruling":
        assert pending.adopt is not None
        resolve(new, policy, "platform_arbitrate", pending.adopt, pending.proposal, at)
        kind = "ruling.approved"
        summary = (f"{actor.name} approved {pending.by}'s ruling for the {pending.adopt}: "
                   f"{pending.proposal.proposal_id} executes ({pending.proposal.describe()})")
    else:
        post_platform_proposal(new, policy, pending.proposal, at, f"platform_proposal.approved by {actor.name}")
        kind = "platform_proposal.approved"
        summary = (f"{actor.name} approved {pending.by}'s platform proposal {pending.proposal.proposal_id}: "
                   f"{pending.proposal.describe()}")
    return _step(state, new, kind, at, actor, summary, {"approved": pending.to_json()})


def send_back(state: DisputeState, actor: Actor, at: datetime, note: str) -> tuple[DisputeState, Change]:
    check_permission(actor, "send-back")
    if not note or not note.strip():
        raise Rejection("send-back needs a note saying why")
    _require(state, actor, "send-back", at)
    pending = state.pending
    assert pending is not None
    new = state.copy()
    new.pending = None
    start_platform_review(new, get_policy(state.policy), at, f"approval.sent_back by {actor.name}")
    summary = f"{actor.name} sent back {pending.by}'s {pending.what.replace('_', ' ')}: {note}"
    return _step(state, new, "approval.sent_back", at, actor, summary, {"sent_back": pending.to_json(), "note": note})


def claim(state: DisputeState, actor: Actor, at: datetime, policy: Policy | None = None,
          take_over: bool = True) -> tuple[DisputeState, Change]:
    """Take the case (a lease); a supervisor may take over another's claim unless `take_over` is False."""
    _require(state, actor, "claim", at, take_over)
    holder = state.holder(at)
    lease = (policy or get_policy(state.policy)).claim_lease
    new = state.copy()
    new.assigned_to = actor.name
    new.claim_expires_at = at + lease
    if holder == actor.name:
        summary = f"{actor.name} renewed the claim until {format_utc(new.claim_expires_at)}"
    elif holder is not None:
        summary = f"{actor.name} took the case over from {holder}"
    else:
        summary = f"{actor.name} claimed the case until {format_utc(new.claim_expires_at)}"
    return _step(state, new, "case.claimed", at, actor, summary, {"previous": holder,
                                                               "expires_at": format_utc(new.claim_expires_at)})


def assign(state: DisputeState, actor: Actor, at: datetime, to: Actor) -> tuple[DisputeState, Change]:
    """A supervisor gives the case (a fresh lease) to another clerk or supervisor."""
    check_permission(actor, "assign")
    if to.role not in PERMISSIONS["claim"]:
        raise Rejection(f"{to.name} is a {to.role} and cannot hold cases")
    _require(state, actor, "assign", at)
    holder = state.holder(at)
    new = state.copy()
    new.assigned_to = to.name
    new.claim_expires_at = at + get_policy(state.policy).claim_lease
    summary = f"{actor.name} assigned the case to {to.name}" + (f" (held by {holder})" if holder else "")
    return _step(state, new, "case.claimed", at, actor, summary,
                      {"previous": holder, "assigned_by": actor.name, "expires_at": format_utc(new.claim_expires_at)})


def release(state: DisputeState, actor: Actor, at: datetime) -> tuple[DisputeState, Change]:
    _require(state, actor, "release", at)
    holder = state.holder(at)
    new = state.copy()
    new.assigned_to = None
    new.claim_expires_at = None
    return _step(state, new, "case.released", at, actor, f"{actor.name} released the case (held by {holder})",
                      {"previous": holder})


def add_note(state: DisputeState, actor: Actor, at: datetime, text: str) -> tuple[DisputeState, Change]:
    _require(state, actor, "note", at)
    if not text or not text.strip():
        raise Rejection("a note needs text")
    new = state.copy()
    return _step(state, new, "note.added", at, actor, f"{actor.name}: {text}", {"text": text})
