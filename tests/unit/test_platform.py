"""§3 platform proposals: awaiting_parties, acceptance by both, replacement, rejection, counters,
four-eyes for platform proposals and what `pending_approval` allows."""
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.feed_builders import (
    CLERK, SUPERVISOR, SUPERVISOR2, T0, D, H, accepted, apply_ok, apply_rejected, cancelled, escalated,
    open_case, platform_clock, posted, rejected, utc, withdrawn,
)
from mediator_app.domain.actions import approve, propose, rule, send_back
from mediator_app.domain.errors import Rejection
from mediator_app.domain.money import Money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.time import format_utc
from mediator_app.domain.transitions import execute_expiries

RESPONSE = timedelta(hours=120)
POLICY = get_policy("aliexpress-2024")


def proposed(state, at, amount="40.00", remedy="refund", actor=CLERK, **kw):
    new, change = propose(state, actor, at, remedy, amount, **kw)
    assert change.kind == "platform_proposal.posted"
    assert change.version_after == new.version == state.version + 1
    return new


def test_contract_example_03_platform_proposal_timeout():
    state = open_case(dispute_id="EX3")
    state = proposed(state, utc(2026, 11, 2, 2, 0))
    assert state.stage == "awaiting_parties"
    pid = state.proposals["platform"].proposal_id
    c = state.party_clock
    assert (c.clock, c.party, format_utc(c.due)) == ("parties_response", "both", "2026-11-07T02:00:00Z")
    assert state.running_platform_clocks() == []
    assert platform_clock(state, "platform_intervention").stopped_at == utc(2026, 11, 2, 2, 0)
    state = apply_ok(state, accepted("seller", pid, utc(2026, 11, 3, 2, 0), dispute_id="EX3"))
    assert state.stage == "awaiting_parties"
    assert state.platform_acceptances == ("seller",)
    state, changes = execute_expiries(state, POLICY, utc(2026, 11, 7, 2, 0))
    assert len(changes) == 1
    o = state.outcome
    assert (state.stage, o.reached_type, o.adopted, o.refund) == (
        "closed", "platform_proposal_timeout", "platform", Money(Decimal("40.00"), "USD"))
    assert o.resolved_at == utc(2026, 11, 7, 2, 0)


def test_platform_proposal_ids_are_new_and_recorded():
    state = proposed(open_case(), T0 + H)
    p = state.proposals["platform"]
    assert p.proposal_id == "D-1-PL1"
    assert (p.remedy, p.refund) == ("refund", Money(Decimal("40.00"), "USD"))
    assert p.proposal_id in state.used_proposal_ids


def test_platform_proposal_id_never_used_before_even_by_a_party():
    state = apply_ok(open_case(), posted("seller", "D-1-PL1", T0 + H), posted("buyer", "D-1-PL2", T0 + 2 * H))
    state = proposed(state, T0 + 3 * H)
    first = state.proposals["platform"].proposal_id
    assert first not in ("D-1-PL1", "D-1-PL2", "P-1")
    state = proposed(state, T0 + 4 * H, amount="41.00")
    second = state.proposals["platform"].proposal_id
    assert second != first
    assert len(set(state.used_proposal_ids)) == len(state.used_proposal_ids)
    # and a party may not take a platform id afterwards
    assert "already used" in apply_rejected(state, posted("seller", second, T0 + 5 * H)).rejection


@pytest.mark.parametrize("pre", [
    [], [posted("seller", "S-1", T0 + H)], [escalated("buyer", T0 + H)],
])
def test_platform_proposal_allowed_in_negotiation_and_review(pre):
    at = T0 + 2 * H
    state = proposed(apply_ok(open_case(), *pre), at)
    assert state.stage == "awaiting_parties"
    assert (state.party_clock.started_at, state.party_clock.due) == (at, at + RESPONSE)
    assert state.running_platform_clocks() == []
    assert all(c.stopped_at == at for c in state.platform_clocks)


def test_both_accepting_resolves_as_platform_proposal_accepted():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, accepted("buyer", pid, T0 + 2 * H))
    assert state.stage == "awaiting_parties" and state.platform_acceptances == ("buyer",)
    state = apply_ok(state, accepted("seller", pid, T0 + 3 * H))
    o = state.outcome
    assert (state.stage, o.reached_type, o.adopted, o.refund, o.resolved_at) == (
        "closed", "platform_proposal_accepted", "platform", Money(Decimal("40.00"), "USD"), T0 + 3 * H)
    assert state.party_clock is None


def test_platform_return_proposal_accepted_goes_to_return_shipment():
    state = proposed(open_case(), T0 + H, remedy="return_and_refund", amount="30.00",
                     return_shipping_paid_by="seller")
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, accepted("buyer", pid, T0 + 2 * H), accepted("seller", pid, T0 + 3 * H))
    assert state.stage == "awaiting_return_shipment"
    assert state.outcome.terms.return_shipping_paid_by == "seller"
    assert state.party_clock.due == T0 + 3 * H + timedelta(days=10)


def test_a_party_accepts_a_platform_proposal_at_most_once():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, accepted("seller", pid, T0 + 2 * H))
    j = apply_rejected(state, accepted("seller", pid, T0 + 3 * H))
    assert "already accepted" in j.rejection
    assert j.state.platform_acceptances == ("seller",)
    assert j.state.version == state.version


def test_replaced_platform_proposal_acceptances_no_longer_count():
    state = proposed(open_case(), T0 + H)
    old = state.proposals["platform"].proposal_id
    state = apply_ok(state, accepted("seller", old, T0 + 2 * H))
    state = proposed(state, T0 + 3 * H, amount="35.00")
    new = state.proposals["platform"].proposal_id
    assert new != old
    assert state.platform_acceptances == ()
    assert state.stage == "awaiting_parties"
    assert (state.party_clock.started_at, state.party_clock.due) == (T0 + 3 * H, T0 + 3 * H + RESPONSE)
    # the old one is stale now
    assert "stale" in apply_rejected(state, accepted("buyer", old, T0 + 4 * H)).rejection
    # the buyer alone does not resolve: the seller's acceptance was of the replaced proposal
    state = apply_ok(state, accepted("buyer", new, T0 + 4 * H))
    assert state.stage == "awaiting_parties" and state.outcome is None
    state = apply_ok(state, accepted("seller", new, T0 + 5 * H))
    assert state.outcome.reached_type == "platform_proposal_accepted"
    assert state.outcome.refund == Money(Decimal("35.00"), "USD")


def test_rejection_of_the_platform_proposal_enters_platform_review():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    at = utc(2026, 11, 2, 17, 0)  # 2026-11-03T01:00 in Shanghai
    state = apply_ok(state, rejected("buyer", pid, at, note="too little"))
    assert state.stage == "platform_review"
    assert state.party_clock is None
    assert state.platform_rejected is True
    assert state.proposals["platform"].proposal_id == pid     # stays active
    ruling = platform_clock(state, "platform_ruling")
    assert ruling.started_at == at
    assert format_utc(ruling.due) == "2026-11-06T16:00:00Z"
    assert ruling.stopped_at is None
    # it cannot be accepted outside awaiting_parties, but a ruling may still adopt it
    assert "only in awaiting_parties" in apply_rejected(state, accepted("seller", pid, at + H)).rejection
    ruled, change = rule(state, CLERK, at + 2 * H, "platform")
    assert (ruled.outcome.reached_type, ruled.outcome.adopted) == ("platform_arbitrate", "platform")
    assert ruled.outcome.refund == Money(Decimal("40.00"), "USD")


def test_rejection_only_in_awaiting_parties():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, rejected("seller", pid, T0 + 2 * H))
    j = apply_rejected(state, rejected("buyer", pid, T0 + 3 * H))
    assert "not allowed in stage platform_review" in j.rejection
    assert len([c for c in j.state.platform_clocks if c.clock == "platform_ruling"]) == 1


def test_rejection_after_own_acceptance_is_refused():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, accepted("seller", pid, T0 + 2 * H))
    assert "already accepted" in apply_rejected(state, rejected("seller", pid, T0 + 3 * H)).rejection


def test_rejecting_a_replaced_platform_proposal_is_rejected():
    state = proposed(open_case(), T0 + H)
    old = state.proposals["platform"].proposal_id
    state = proposed(state, T0 + 2 * H, amount="30.00")
    assert "only a platform proposal" in apply_rejected(state, rejected("buyer", old, T0 + 3 * H)).rejection


@pytest.mark.parametrize("party", ["buyer", "seller"])
def test_counter_in_awaiting_parties_rejects_the_platform_proposal(party):
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    at = T0 + 5 * H
    state = apply_ok(state, posted(party, f"{party}-2", at, amount="50.00"))
    assert state.stage == "platform_review"
    assert state.party_clock is None
    assert state.platform_rejected is True
    assert state.proposals[party].proposal_id == f"{party}-2"
    assert state.proposals["platform"].proposal_id == pid
    ruling = platform_clock(state, "platform_ruling")
    assert ruling.started_at == at
    assert ruling.due == utc(2026, 11, 4, 16, 0)   # opened Nov 1 Shanghai -> end of Nov 4 local


def test_each_entry_into_platform_review_is_a_new_ruling_clock():
    state = apply_ok(open_case(), escalated("buyer", T0 + H))
    state = proposed(state, T0 + D)
    state = apply_ok(state, rejected("seller", state.proposals["platform"].proposal_id, T0 + 2 * D))
    rulings = [c for c in state.platform_clocks if c.clock == "platform_ruling"]
    assert len(rulings) == 2
    assert rulings[0].stopped_at == T0 + D
    assert rulings[1].started_at == T0 + 2 * D and rulings[1].stopped_at is None
    assert rulings[1].due == utc(2026, 11, 6, 16, 0)   # Nov 3 10:00 local -> end of Nov 6 local


def test_withdrawal_in_awaiting_parties_keeps_the_stage_and_clock():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    state = proposed(state, T0 + 2 * H)
    clock = state.party_clock
    state = apply_ok(state, withdrawn("seller", "S-1", T0 + 3 * H))
    assert state.stage == "awaiting_parties"
    assert state.party_clock == clock
    assert state.proposals["seller"] is None


def test_escalation_from_awaiting_parties():
    state = proposed(open_case(), T0 + H)
    state = apply_ok(state, escalated("seller", T0 + 2 * H))
    assert state.stage == "platform_review"
    assert state.party_clock is None
    assert platform_clock(state, "platform_ruling").started_at == T0 + 2 * H


def test_accepting_the_other_party_in_awaiting_parties_is_consensus():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    state = proposed(state, T0 + 2 * H)
    state = apply_ok(state, accepted("buyer", "S-1", T0 + 3 * H))
    assert (state.outcome.reached_type, state.outcome.adopted) == ("negotiation_consensus", "seller")
    assert state.stage == "closed"


def test_platform_proposal_cannot_be_accepted_before_it_is_posted_to_the_parties():
    # only awaiting_parties: in platform_review after an escalation from awaiting_parties
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, escalated("buyer", T0 + 2 * H))
    assert "only in awaiting_parties" in apply_rejected(state, accepted("seller", pid, T0 + 3 * H)).rejection


# --- four-eyes for platform proposals --------------------------------------------------------------

def big_case(**kw):
    kw.setdefault("total", "800.00")
    from tests.unit.feed_builders import proposal
    return open_case(prop=proposal("P-1", "refund", kw["total"], kw.get("currency", "USD")), **kw)


def test_platform_proposal_at_the_threshold_waits_for_a_supervisor():
    state = big_case()
    at = T0 + H
    state = proposed(state, at, amount="500.00")
    assert state.stage == "pending_approval"
    assert state.pending.what == "platform_proposal"
    assert state.pending.by == "alice"
    assert state.pending.adopt is None
    assert state.pending.proposal.refund == Money(Decimal("500.00"), "USD")
    assert state.proposals["platform"] is None            # not yet active
    assert state.party_clock is None
    assert all(c.stopped_at == at for c in state.platform_clocks)   # making it stops the platform clocks


def test_platform_proposal_just_below_the_threshold_is_posted():
    state = proposed(big_case(), T0 + H, amount="499.99")
    assert state.stage == "awaiting_parties"
    assert state.pending is None


@pytest.mark.parametrize("amount,stage", [("75000", "pending_approval"), ("74999", "awaiting_parties")])
def test_jpy_threshold_for_platform_proposals(amount, stage):
    state = proposed(big_case(total="100000", currency="JPY"), T0 + H, amount=amount)
    assert state.stage == stage


def test_pending_platform_proposal_keeps_the_previous_one_active():
    state = proposed(big_case(), T0 + H, amount="100.00")
    previous = state.proposals["platform"]
    state = apply_ok(state, accepted("seller", previous.proposal_id, T0 + 2 * H))
    state = proposed(state, T0 + 3 * H, amount="600.00")
    assert state.stage == "pending_approval"
    assert state.proposals["platform"] == previous
    pending_id = state.pending.proposal.proposal_id
    assert pending_id != previous.proposal_id
    # the pending one is not active: accepting it is unknown; the old one cannot be accepted outside awaiting_parties
    assert "stale or unknown" in apply_rejected(state, accepted("buyer", pending_id, T0 + 4 * H)).rejection
    assert "only in awaiting_parties" in apply_rejected(
        state, accepted("buyer", previous.proposal_id, T0 + 4 * H)).rejection
    assert "not allowed in stage pending_approval" in apply_rejected(
        state, rejected("buyer", previous.proposal_id, T0 + 4 * H)).rejection
    # once approved, the seller's acceptance of the replaced proposal no longer counts
    approved, _ = approve(state, SUPERVISOR, T0 + 5 * H)
    assert approved.platform_acceptances == ()
    assert "stale" in apply_rejected(approved, accepted("seller", previous.proposal_id, T0 + 6 * H)).rejection
    approved = apply_ok(approved, accepted("buyer", pending_id, T0 + 6 * H))
    assert approved.outcome is None and approved.platform_acceptances == ("buyer",)


def test_approving_a_platform_proposal_posts_it():
    state = proposed(big_case(), T0 + H, amount="600.00")
    pid = state.pending.proposal.proposal_id
    at = T0 + 5 * H
    approved, change = approve(state, SUPERVISOR, at)
    assert change.kind == "platform_proposal.approved"
    assert approved.version == state.version + 1
    assert approved.stage == "awaiting_parties"
    assert approved.pending is None
    assert approved.proposals["platform"].proposal_id == pid
    assert approved.platform_acceptances == ()
    c = approved.party_clock
    assert (c.clock, c.party, c.started_at, c.due) == ("parties_response", "both", at, at + RESPONSE)
    both = apply_ok(approved, accepted("buyer", pid, at + H), accepted("seller", pid, at + 2 * H))
    assert both.outcome.refund == Money(Decimal("600.00"), "USD")


def test_nobody_approves_their_own_platform_proposal():
    state = proposed(big_case(), T0 + H, amount="600.00", actor=SUPERVISOR)
    with pytest.raises(Rejection, match="own"):
        approve(state, SUPERVISOR, T0 + 2 * H)
    approved, _ = approve(state, SUPERVISOR2, T0 + 2 * H)
    assert approved.stage == "awaiting_parties"


def test_sending_back_a_platform_proposal_returns_to_review_and_burns_its_id():
    state = proposed(big_case(), T0 + H, amount="600.00")
    burnt = state.pending.proposal.proposal_id
    at = utc(2026, 11, 3, 17, 0)  # Nov 4 01:00 in Shanghai
    back, change = send_back(state, SUPERVISOR, at, "too generous")
    assert change.kind == "approval.sent_back"
    assert back.stage == "platform_review"
    assert back.pending is None
    ruling = platform_clock(back, "platform_ruling")
    assert (ruling.started_at, ruling.due, ruling.stopped_at) == (at, utc(2026, 11, 7, 16, 0), None)
    again = proposed(back, at + H, amount="300.00")
    assert again.proposals["platform"].proposal_id != burnt


@pytest.mark.parametrize("make", [
    lambda at: cancelled(at), lambda at: accepted("seller", "P-1", at),
])
def test_resolving_in_pending_approval_drops_what_waits(make):
    state = proposed(big_case(), T0 + H, amount="600.00")
    state = apply_ok(state, make(T0 + 2 * H))
    assert state.pending is None
    assert state.stage == "closed"
    with pytest.raises(Rejection):
        approve(state, SUPERVISOR, T0 + 3 * H)


def test_posting_and_withdrawing_in_pending_approval_keep_the_stage():
    state = proposed(big_case(), T0 + H, amount="600.00")
    pending = state.pending
    state = apply_ok(state, posted("seller", "S-1", T0 + 2 * H), withdrawn("buyer", "P-1", T0 + 3 * H))
    assert state.stage == "pending_approval"
    assert state.pending == pending
    assert state.party_clock is None


def test_escalation_and_rejection_not_allowed_in_pending_approval():
    state = proposed(big_case(), T0 + H, amount="600.00")
    assert "not allowed" in apply_rejected(state, escalated("buyer", T0 + 2 * H)).rejection


# --- what `propose` refuses ---------------------------------------------------------------------------

def test_propose_not_allowed_in_pending_approval_or_once_resolved():
    state = proposed(big_case(), T0 + H, amount="600.00")
    with pytest.raises(Rejection, match="pending_approval"):
        propose(state, CLERK, T0 + 2 * H, "refund", "10.00")
    closed = apply_ok(open_case(), accepted("seller", "P-1", T0 + H))
    with pytest.raises(Rejection, match="closed"):
        propose(closed, CLERK, T0 + 2 * H, "refund", "10.00")
    returning = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    with pytest.raises(Rejection, match="awaiting_return_shipment"):
        propose(returning, CLERK, T0 + 2 * H, "refund", "10.00")


@pytest.mark.parametrize("remedy,amount,payer,match", [
    ("refund", None, None, "needs an amount"),
    ("return_and_refund", None, None, "needs an amount"),
    ("refund", "66.66", None, "above the order total"),
    ("refund", "10.001", None, "minor digits"),
    ("refund", "0", None, "greater than zero"),
    ("no_refund", "10.00", None, "no refund"),
    ("refund", "10.00", "seller", "only for return_and_refund"),
    ("store_credit", "10.00", None, "remedy"),
    ("refund", "ten", None, "decimal"),
])
def test_propose_validates_the_terms(remedy, amount, payer, match):
    state = open_case()
    with pytest.raises(Rejection, match=match):
        propose(state, CLERK, T0 + H, remedy, amount, payer)


def test_propose_no_refund_and_default_return_payer():
    state, _ = propose(open_case(), CLERK, T0 + H, "no_refund", None)
    assert state.proposals["platform"].refund is None
    state, _ = propose(open_case(), CLERK, T0 + H, "return_and_refund", "10.00", note="send it back")
    assert state.proposals["platform"].return_shipping_paid_by == "buyer"
    assert state.proposals["platform"].note == "send it back"


def test_propose_does_not_change_the_input_state():
    state = open_case()
    snapshot = state.to_json()
    propose(state, CLERK, T0 + H, "refund", "10.00")
    assert state.to_json() == snapshot
