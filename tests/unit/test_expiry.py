"""§3 party clocks on expiry, the sweeper, and "an expired clock is executed before any later event"."""
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.feed_builders import (
    CLERK, SUPERVISOR, T0, D, H, S, accepted, apply_ok, apply_rejected, cancelled, escalated, evidence, judge,
    message, open_case, platform_clock, posted, proposal, return_received, return_shipped, utc, withdrawn,
)
from mediator_app.domain.actions import claim, propose, rule
from mediator_app.domain.judge import judge_action
from mediator_app.domain.money import Money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.time import format_utc
from mediator_app.domain.transitions import execute_expiries

POLICY = get_policy("aliexpress-2024")
SELLER_DUE = utc(2026, 11, 6, 2, 0)   # T0 + 120 h


def sweep(state, now):
    return execute_expiries(state, POLICY, now)


# --- seller_response ----------------------------------------------------------------------------------

def test_nothing_executes_before_the_due_time():
    state = open_case()
    after, changes = sweep(state, SELLER_DUE - S)
    assert changes == []
    assert after.to_json() == state.to_json()


def test_seller_silent_executes_the_buyer_proposal_at_the_due_time():
    state = open_case(dispute_id="EX1")
    after, changes = sweep(state, SELLER_DUE)
    assert after.stage == "closed" and after.status == "closed"
    o = after.outcome
    assert (o.reached_type, o.adopted, o.refund, o.return_required, o.return_status, o.resolved_at) == (
        "seller_response_timeout", "buyer", Money(Decimal("66.65"), "USD"), False, "none", SELLER_DUE)
    assert o.terms.proposal_id == "P-1"
    assert after.version == 2
    assert after.party_clock is None
    assert after.last_feed_at == SELLER_DUE
    assert platform_clock(after, "platform_intervention").stopped_at == SELLER_DUE
    [c] = changes
    assert (c.kind, c.at, c.party, c.actor, c.version_after) == (
        "clock.expired", SELLER_DUE, "seller", "sweeper", 2)
    assert c.payload == {"clock": "seller_response", "reached_type": "seller_response_timeout", "adopted": "buyer"}
    assert c.exec_key == "seller_response@2026-11-01T02:00:00Z"
    # the input is not changed
    assert state.stage == "awaiting_seller" and state.version == 1


def test_sweeping_much_later_still_resolves_at_the_due_time():
    after, _ = sweep(open_case(), SELLER_DUE + 30 * D)
    assert after.outcome.resolved_at == SELLER_DUE
    assert after.last_feed_at == SELLER_DUE


def test_an_executed_clock_executes_exactly_once():
    once, first = sweep(open_case(), SELLER_DUE)
    twice, second = sweep(once, SELLER_DUE + D)
    assert len(first) == 1 and second == []
    assert twice.version == once.version == 2


def test_restarted_clock_does_not_expire_at_the_old_due_time():
    state = apply_ok(open_case(), posted("buyer", "P-2", T0 + 2 * D, amount="60.00"))
    after, changes = sweep(state, SELLER_DUE)
    assert changes == []
    after, changes = sweep(state, T0 + 2 * D + timedelta(hours=120))
    assert after.outcome.terms.proposal_id == "P-2"
    assert after.outcome.refund == Money(Decimal("60.00"), "USD")


# --- buyer_response ------------------------------------------------------------------------------------

def test_buyer_silent_executes_the_seller_proposal():
    at = T0 + D
    state = apply_ok(open_case(), posted("seller", "S-1", at))
    after, [c] = sweep(state, at + timedelta(hours=120))
    o = after.outcome
    assert (o.reached_type, o.adopted, o.refund, o.resolved_at) == (
        "buyer_response_timeout", "seller", Money(Decimal("20.00"), "USD"), at + timedelta(hours=120))
    assert c.party == "buyer"


def test_buyer_silent_without_seller_proposal_closes_with_no_refund():
    t1, t2, t3 = T0 + D, T0 + 2 * D, T0 + 3 * D
    state = apply_ok(open_case(), posted("seller", "S-1", t1), withdrawn("buyer", "P-1", t2),
                     withdrawn("seller", "S-1", t3))
    assert state.stage == "awaiting_buyer"
    after, [c] = sweep(state, t3 + timedelta(hours=120))
    o = after.outcome
    assert (after.stage, o.reached_type, o.adopted, o.refund, o.terms) == (
        "closed", "buyer_response_timeout", None, None, None)
    assert c.payload["adopted"] is None


def test_seller_no_refund_counter_executes_as_no_refund():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H, remedy="no_refund", amount=None))
    after, _ = sweep(state, T0 + H + timedelta(hours=120))
    assert (after.outcome.adopted, after.outcome.refund, after.stage) == ("seller", None, "closed")


# --- stages without a party clock ----------------------------------------------------------------------

def test_nothing_executes_in_platform_review_or_pending_approval():
    review = apply_ok(open_case(), escalated("buyer", T0 + H))
    after, changes = sweep(review, T0 + 365 * D)
    assert changes == [] and after.stage == "platform_review"
    big = open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"))
    pending, _ = propose(big, CLERK, T0 + H, "refund", "600.00")
    after, changes = sweep(pending, T0 + 365 * D)
    assert changes == [] and after.stage == "pending_approval"


# --- return clocks ------------------------------------------------------------------------------------

def test_return_not_shipped_closes_with_no_refund():
    at = utc(2026, 11, 2, 2, 0)
    state = apply_ok(open_case(dispute_id="EX4", kind="return_and_refund"),
                     accepted("seller", "P-1", at, dispute_id="EX4"))
    assert format_utc(state.party_clock.due) == "2026-11-12T02:00:00Z"
    after, changes = sweep(state, utc(2026, 11, 12, 2, 0) - S)
    assert changes == []
    after, [c] = sweep(state, utc(2026, 11, 12, 2, 0))
    o = after.outcome
    assert (after.stage, after.status, o.return_status, o.refund) == ("closed", "closed", "not_shipped", None)
    assert (o.reached_type, o.adopted, o.return_required, o.resolved_at) == (
        "negotiation_consensus", "buyer", True, at)
    assert (c.party, c.payload) == ("buyer", {"clock": "return_shipment", "return_status": "not_shipped"})
    assert after.version == state.version + 1


def test_return_receipt_timeout_executes_the_refund():
    t1, t2 = T0 + D, T0 + 4 * D
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", t1), return_shipped(t2))
    due = t2 + timedelta(hours=360)
    assert state.party_clock.due == due
    after, changes = sweep(state, due - S)
    assert changes == []
    after, [c] = sweep(state, due)
    o = after.outcome
    assert (after.stage, o.return_status, o.refund) == ("closed", "receipt_timeout", Money(Decimal("66.65"), "USD"))
    assert (c.party, c.payload["return_status"]) == ("seller", "receipt_timeout")


def test_follow_on_return_clock_already_expired_runs_in_the_same_sweep():
    state = open_case(kind="return_and_refund")
    after, changes = sweep(state, SELLER_DUE + timedelta(hours=240))
    assert [c.payload["clock"] for c in changes] == ["seller_response", "return_shipment"]
    assert [c.version_after for c in changes] == [2, 3]
    assert [c.at for c in changes] == [SELLER_DUE, SELLER_DUE + timedelta(hours=240)]
    assert after.version == 3
    o = after.outcome
    assert (after.stage, o.reached_type, o.return_status, o.refund, o.resolved_at) == (
        "closed", "seller_response_timeout", "not_shipped", None, SELLER_DUE)
    assert after.last_feed_at == SELLER_DUE + timedelta(hours=240)
    assert len({c.exec_key for c in changes}) == 2


def test_follow_on_clock_not_yet_expired_keeps_running():
    state = open_case(kind="return_and_refund")
    after, changes = sweep(state, SELLER_DUE + timedelta(hours=240) - S)
    assert len(changes) == 1
    assert after.stage == "awaiting_return_shipment"
    c = after.party_clock
    assert (c.clock, c.party, c.started_at, c.due) == (
        "return_shipment", "buyer", SELLER_DUE, SELLER_DUE + timedelta(hours=240))


def test_return_received_before_the_receipt_clock_beats_it():
    t1, t2 = T0 + D, T0 + 2 * D
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", t1), return_shipped(t2))
    due = t2 + timedelta(hours=360)
    j = judge(state, return_received(due - S))
    assert j.rejection is None and j.expiries == []
    assert j.state.outcome.return_status == "received"
    j = judge(state, return_received(due))
    assert j.rejection is not None and "ran out" in j.rejection
    assert j.state.outcome.return_status == "receipt_timeout"


# --- an expired clock is executed before a later event -----------------------------------------------

def test_seller_counter_after_the_time_ran_out_is_rejected_but_the_expiry_stays():
    state = open_case()
    j = judge(state, posted("seller", "S-1", SELLER_DUE + H))
    assert j.rejection is not None
    assert "the seller's response time ran out at 2026-11-06T02:00:00Z" in j.rejection
    [c] = j.changes
    assert c.kind == "clock.expired" and c.at == SELLER_DUE and c.version_after == 2
    assert j.expiries == [c]
    assert j.state.version == 2
    assert j.state.outcome.reached_type == "seller_response_timeout"
    assert j.state.proposals["seller"] is None


def test_seller_counter_exactly_at_the_due_time_is_too_late():
    j = judge(open_case(), posted("seller", "S-1", SELLER_DUE))
    assert j.rejection is not None and "ran out" in j.rejection
    assert j.state.outcome.reached_type == "seller_response_timeout"


def test_seller_counter_one_second_before_the_due_time_counts():
    j = judge(open_case(), posted("seller", "S-1", SELLER_DUE - S))
    assert j.rejection is None and j.expiries == []
    assert j.state.stage == "awaiting_buyer"


@pytest.mark.parametrize("make", [
    lambda at: cancelled(at), lambda at: escalated("seller", at), lambda at: accepted("seller", "P-1", at),
])
def test_other_late_moves_are_rejected_after_the_expiry(make):
    j = judge(open_case(), make(SELLER_DUE + D))
    assert j.rejection is not None and "ran out" in j.rejection
    assert j.state.outcome.reached_type == "seller_response_timeout"
    assert len(j.expiries) == 1


def test_late_message_is_applied_after_the_expiry():
    j = judge(open_case(), message("seller", SELLER_DUE + H, "sorry, I was away"))
    assert j.rejection is None
    assert [c.kind for c in j.changes] == ["clock.expired", "message.posted"]
    assert [c.version_after for c in j.changes] == [2, 3]
    assert j.state.version == 3
    assert j.state.stage == "closed"
    assert j.state.last_feed_at == SELLER_DUE + H


def test_late_evidence_lands_on_a_return_stage_after_the_expiry():
    state = open_case(kind="return_and_refund")
    j = judge(state, evidence("buyer", SELLER_DUE + D))
    assert j.rejection is None
    assert j.state.stage == "awaiting_return_shipment"
    assert [c.kind for c in j.changes] == ["clock.expired", "evidence.added"]


def test_return_shipped_after_the_follow_on_clock_ran_out_is_rejected():
    state = open_case(kind="return_and_refund")
    j = judge(state, return_shipped(SELLER_DUE + timedelta(hours=240) + H))
    assert j.rejection is not None
    assert "the seller's response time ran out" in j.rejection
    assert "the return shipment time ran out" in j.rejection
    assert [c.payload["clock"] for c in j.expiries] == ["seller_response", "return_shipment"]
    assert j.state.outcome.return_status == "not_shipped"


def test_return_shipped_after_seller_timeout_but_in_time_is_applied():
    state = open_case(kind="return_and_refund")
    j = judge(state, return_shipped(SELLER_DUE + D))
    assert j.rejection is None
    assert j.state.stage == "awaiting_return_receipt"
    assert [c.kind for c in j.changes] == ["clock.expired", "return.shipped"]


# --- an executed expiry is a feed event dated at its due time -------------------------------------------

def test_event_dated_before_an_executed_expiry_is_out_of_order():
    swept, _ = sweep(open_case(), SELLER_DUE + D)
    j = apply_rejected(swept, posted("seller", "S-1", SELLER_DUE - H))
    assert "out of order" in j.rejection
    assert j.state.version == 2
    # a message dated before the expiry is out of order too (messages are allowed when closed)
    assert "out of order" in apply_rejected(swept, message("buyer", SELLER_DUE - S)).rejection
    apply_ok(swept, message("buyer", SELLER_DUE))


def test_in_time_order_the_outcome_does_not_depend_on_the_sweeper():
    events = [message("buyer", T0 + H), posted("seller", "S-1", SELLER_DUE + H), message("seller", SELLER_DUE + D)]
    # without a sweep
    a = open_case(event_id="E-OPEN")
    reasons_a = []
    for obj in events:
        j = judge(a, obj)
        reasons_a.append(j.rejection is None)
        a = j.state
    # with the sweeper running between the events
    b = open_case(event_id="E-OPEN")
    reasons_b = []
    for obj in events:
        b, _ = sweep(b, utc(2026, 11, 6, 12, 0) if obj is events[1] else T0)
        j = judge(b, obj)
        reasons_b.append(j.rejection is None)
        b = j.state
    assert reasons_a == reasons_b == [True, False, True]
    assert a.to_json() == b.to_json()


# --- clerk actions after an expiry -------------------------------------------------------------------

def test_ruling_after_the_time_ran_out_is_rejected_and_the_expiry_stays():
    state = open_case()
    j = judge_action(state, SELLER_DUE + H, lambda s: rule(s, CLERK, SELLER_DUE + H, "buyer"))
    assert j.rejection is not None
    assert "ran out at 2026-11-06T02:00:00Z" in j.rejection
    assert [c.kind for c in j.changes] == ["clock.expired"]
    assert j.state.version == 2
    assert j.state.outcome.reached_type == "seller_response_timeout"


def test_action_before_the_due_time_executes_nothing():
    now = SELLER_DUE - S
    j = judge_action(open_case(), now, lambda s: rule(s, CLERK, now, "buyer"))
    assert j.rejection is None
    assert [c.kind for c in j.changes] == ["ruling.made"]
    assert j.state.outcome.reached_type == "platform_arbitrate"


def test_claim_after_expiry_on_a_return_stage_is_allowed():
    state = open_case(kind="return_and_refund")
    now = SELLER_DUE + H
    j = judge_action(state, now, lambda s: claim(s, SUPERVISOR, now))
    assert j.rejection is None
    assert [c.kind for c in j.changes] == ["clock.expired", "case.claimed"]
    assert [c.version_after for c in j.changes] == [2, 3]


def test_expect_version_is_compared_after_the_expiry():
    state = open_case()
    now = SELLER_DUE
    j = judge_action(state, now, lambda s: claim(s, CLERK, now), expect_version=1)
    assert j.conflict is not None
    assert (j.conflict.expected, j.conflict.actual) == (1, 2)
    assert j.rejection is None
    assert [c.kind for c in j.changes] == ["clock.expired"]   # the expiry stays
    assert j.state.version == 2 and j.state.assigned_to is None


def test_expect_version_matching_after_the_expiry_runs_the_action():
    state = open_case(kind="return_and_refund")
    now = SELLER_DUE + H
    j = judge_action(state, now, lambda s: claim(s, CLERK, now), expect_version=2)
    assert j.conflict is None and j.rejection is None
    assert j.state.version == 3 and j.state.assigned_to == "alice"


def test_expect_version_conflict_without_expiry_changes_nothing():
    state = open_case()
    j = judge_action(state, T0 + H, lambda s: claim(s, CLERK, T0 + H), expect_version=7)
    assert j.conflict is not None and (j.conflict.expected, j.conflict.actual) == (7, 1)
    assert j.changes == []
    assert j.state.version == 1 and j.state.assigned_to is None
