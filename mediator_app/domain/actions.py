"""Clerk and supervisor actions (§3 "Who may do what"). Pure: state in, new state and a Change out."""
from __future__ import annotations

from datetime import datetime
from typing import cast

from .dispute import DisputeDraft, DisputeState, PendingApproval
from .errors import Rejection
from .permissions import (  # re-exported (`X as X`): the names this module always had
    DECISION_STAGES as DECISION_STAGES, PERMISSIONS as PERMISSIONS, ROLES as ROLES, Actor as Actor,
    check_permission as check_permission, facts_of, require,
)
from .money import Money, parse_amount
from .policy import Policy, get_policy
from .proposals import Proposal, check_terms
from .text import is_blank
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


def acted(action: str, actor: Actor, **arguments: object) -> dict[str, object]:
    """An action's replay record (§7.3): its name, its arguments and the role its actor had when acting."""
    return {"action": action, "arguments": arguments, "role": actor.role}


def _step(before: DisputeState, state: DisputeDraft, kind: str, at: datetime, actor: Actor, summary: str,
          payload: dict[str, object] | None, replay: dict[str, object]) -> tuple[DisputeState, Change]:
    """One version step from `before`: the draft frozen as the next state, and its change (carrying both, and
    `replay`, the action as `acted` records it)."""
    state.version += 1
    after = state.freeze()
    return after, Change(kind, at, "platform", actor.name, summary, state.version, payload or {},
                         before=before, after=after, replay=replay)


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
                 {"proposal": proposal.to_json(), "pending": new.stage == "pending_approval"},
                 acted("propose", actor, remedy=remedy, amount=amount, return_shipping_paid_by=return_shipping_paid_by,
                       note=note))


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
    return _step(state, new, "ruling.made", at, actor, summary, payload, acted("rule", actor, adopt=adopt, note=note))


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
    return _step(state, new, kind, at, actor, summary, {"approved": pending.to_json()}, acted("approve", actor))


def send_back(state: DisputeState, actor: Actor, at: datetime, note: str) -> tuple[DisputeState, Change]:
    check_permission(actor, "send-back")
    if not note or is_blank(note):
        raise Rejection("send-back needs a note saying why")
    _require(state, actor, "send-back", at)
    pending = state.pending
    assert pending is not None
    new = state.copy()
    new.pending = None
    start_platform_review(new, get_policy(state.policy), at, f"approval.sent_back by {actor.name}")
    summary = f"{actor.name} sent back {pending.by}'s {pending.what.replace('_', ' ')}: {note}"
    return _step(state, new, "approval.sent_back", at, actor, summary, {"sent_back": pending.to_json(), "note": note},
                 acted("send-back", actor, note=note))


def add_note(state: DisputeState, actor: Actor, at: datetime, text: str) -> tuple[DisputeState, Change]:
    _require(state, actor, "note", at)
    if not text or is_blank(text):
        raise Rejection("a note needs text")
    new = state.copy()
    return _step(state, new, "note.added", at, actor, f"{actor.name}: {text}", {"text": text},
                 acted("note", actor, text=text))


# The assignment rules (who may hold what) live in their own module; re-exported here for the callers of old
from .assignment import assign as assign, claim as claim, release as release  # noqa: E402 (imports `actions`: kept last)
