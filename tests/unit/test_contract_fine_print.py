"""§3 fine print (revision of 2026-11-26) that no other unit test pins down: one test per sentence.

Each test names the sentence it guards. Domain only: no database, times are explicit datetimes.
"""
from datetime import timedelta

import pytest

from tests.unit.feed_builders import (
    CLERK, SUPERVISOR, T0, D, H, S, accepted, apply_ok, apply_rejected, cancelled, escalated, evidence, judge,
    message, open_case, platform_clock, posted, proposal, return_shipped, withdrawn,
)
from mediator_app.domain.actions import add_note, approve, claim, propose, release, rule, send_back
from mediator_app.domain.dispute import UNRESOLVED_STAGES
from mediator_app.domain.errors import Rejection
from mediator_app.domain.judge import judge_action
from mediator_app.domain.policy import get_policy
from mediator_app.domain.transitions import execute_expiries
from mediator_app.domain.view import case_json

POLICY = get_policy("aliexpress-2024")
SELLER_DUE = T0 + timedelta(hours=120)


def big_case(**kw):
    """An order of USD 800.00 opened with a full refund (at the four-eyes threshold)."""
    return open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"), **kw)


def proposed(state, at, amount="40.00", remedy="refund", actor=CLERK):
    new, _ = propose(state, actor, at, remedy, amount)
    return new


def ruled(state, at, adopt="buyer", actor=CLERK):
    new, _ = rule(state, actor, at, adopt)
    return new


# One case per unresolved stage, each with the seller's S-1 and the buyer's P-1 active (so either party has
# something to accept), reached at or before T0 + 3 h.
def _awaiting_seller():
    # the seller countered, then the buyer countered again: the seller must act, both have proposals
    return apply_ok(big_case(), posted("seller", "S-1", T0 + H), posted("buyer", "P-2", T0 + 2 * H, amount="700.00"))


def _awaiting_buyer():
    return apply_ok(big_case(), posted("seller", "S-1", T0 + H))


def _awaiting_parties():
    return proposed(_awaiting_buyer(), T0 + 2 * H)


def _platform_review():
    return apply_ok(_awaiting_buyer(), escalated("buyer", T0 + 2 * H))


def _pending_ruling():
    return ruled(_awaiting_buyer(), T0 + 2 * H, "buyer")


def _pending_platform_proposal():
    return proposed(_awaiting_buyer(), T0 + 2 * H, amount="600.00")


UNRESOLVED = {
    "awaiting_seller": _awaiting_seller, "awaiting_buyer": _awaiting_buyer,
    "awaiting_parties": _awaiting_parties, "platform_review": _platform_review,
    "pending_approval (ruling)": _pending_ruling, "pending_approval (platform proposal)": _pending_platform_proposal,
}


def test_the_unresolved_cases_are_in_their_stages():
    stages = {name: make().stage for name, make in UNRESOLVED.items()}
    assert stages == {
        name: name.split(" ")[0] for name in UNRESOLVED}
    assert set(stages.values()) == set(UNRESOLVED_STAGES)


# --- "Accepting the other party's active proposal is allowed in every open, unresolved stage ... it resolves
# the dispute as negotiation_consensus and drops whatever waits for approval." ---------------------------

@pytest.mark.parametrize("party,pid,adopted", [("buyer", "S-1", "seller"), ("seller", None, "buyer")])
@pytest.mark.parametrize("name", list(UNRESOLVED))
def test_accepting_the_other_party_resolves_in_every_unresolved_stage_whoever_must_act(name, party, pid, adopted):
    state = UNRESOLVED[name]()
    pid = pid or state.proposals["buyer"].proposal_id
    at = T0 + 3 * H
    after = apply_ok(state, accepted(party, pid, at))
    o = after.outcome
    assert (o.reached_type, o.adopted, o.terms.proposal_id, o.resolved_at) == (
        "negotiation_consensus", adopted, pid, at)
    assert after.stage == "closed" and after.pending is None and after.party_clock is None
    assert case_json(after, at)["pending_approval"] is None
    # the platform clocks stop when the dispute is resolved (those already stopped keep their time)
    assert after.running_platform_clocks() == []
    assert all(c.stopped_at <= at for c in after.platform_clocks)


# --- "Cancellation is allowed in every open, unresolved stage, pending_approval included (what waits for
# approval is dropped)." -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(UNRESOLVED))
def test_cancellation_in_every_unresolved_stage_drops_what_waits(name):
    at = T0 + 3 * H
    after = apply_ok(UNRESOLVED[name](), cancelled(at))
    o = after.outcome
    assert (o.reached_type, o.adopted, o.refund, o.resolved_at) == ("buyer_cancelled", None, None, at)
    assert (after.stage, after.pending, after.party_clock) == ("closed", None, None)
    assert after.running_platform_clocks() == []
    with pytest.raises(Rejection):
        approve(after, SUPERVISOR, at + H)


def test_only_the_buyer_cancels():
    with pytest.raises(Rejection, match="may not send dispute.cancelled"):
        judge(open_case(), cancelled(T0 + H, party="seller"))


# --- "Escalation is allowed from awaiting_seller, awaiting_buyer and awaiting_parties." (by either party,
# whoever must act) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("party", ["buyer", "seller"])
@pytest.mark.parametrize("name", ["awaiting_seller", "awaiting_buyer", "awaiting_parties"])
def test_either_party_may_escalate_from_the_three_stages(name, party):
    at = T0 + 3 * H
    after = apply_ok(UNRESOLVED[name](), escalated(party, at))
    assert (after.stage, after.party_clock) == ("platform_review", None)
    assert platform_clock(after, "platform_ruling").started_at == at


@pytest.mark.parametrize("name", ["platform_review", "pending_approval (ruling)",
                                  "pending_approval (platform proposal)"])
def test_escalation_is_refused_elsewhere(name):
    state = UNRESOLVED[name]()
    j = apply_rejected(state, escalated("seller", T0 + 3 * H))
    assert "not allowed in stage" in j.rejection
    assert j.state.version == state.version


# --- "Every platform proposal gets a proposal_id never used before in that dispute." / "A proposal_id
# already used in the dispute is rejected." (the platform's ids included) -----------------------------------

def test_a_party_may_not_reuse_a_platform_proposal_id():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    j = apply_rejected(state, posted("seller", pid, T0 + 2 * H))
    assert "already used" in j.rejection


def test_a_party_may_not_reuse_the_id_of_a_sent_back_platform_proposal():
    state = proposed(big_case(), T0 + H, amount="600.00")
    burnt = state.pending.proposal.proposal_id
    state, _ = send_back(state, SUPERVISOR, T0 + 2 * H, "too generous")
    assert "already used" in apply_rejected(state, posted("seller", burnt, T0 + 3 * H)).rejection


# --- "platform_intervention ... runs from opening until the first platform proposal or ruling.
# platform_ruling ... stops at the next ruling or platform proposal." ---------------------------------------

def test_the_intervention_clock_runs_through_an_escalation_and_stops_at_the_ruling():
    state = apply_ok(open_case(), escalated("seller", T0 + H))
    assert {c.clock for c in state.running_platform_clocks()} == {"platform_intervention", "platform_ruling"}
    at = T0 + D
    after = ruled(state, at, "buyer")
    assert [(c.clock, c.stopped_at) for c in after.platform_clocks] == [
        ("platform_intervention", at), ("platform_ruling", at)]
    assert case_json(after, at)["deadlines"] == []


def test_a_pending_ruling_stops_the_platform_clocks_and_send_back_starts_only_a_ruling_clock():
    state = apply_ok(big_case(), escalated("seller", T0 + H))
    made = T0 + D
    pending = ruled(state, made, "buyer")
    assert pending.running_platform_clocks() == []
    back, _ = send_back(pending, SUPERVISOR, made + H, "look again")
    running = back.running_platform_clocks()
    assert [(c.clock, c.started_at) for c in running] == [("platform_ruling", made + H)]
    assert platform_clock(back, "platform_intervention").stopped_at == made   # never restarts


# --- "Before an event or a clerk action dated at or after the due time of a running party clock is judged,
# that expiry is executed first — exactly once, recorded as the sweeper would record it, with resolved_at =
# the clock's due time and its own version step". ------------------------------------------------------------

def test_an_expiry_run_before_an_event_is_recorded_exactly_as_the_sweeper_records_it():
    state = open_case()
    swept, by_sweeper = execute_expiries(state, POLICY, SELLER_DUE + D)
    j = judge(state, message("buyer", SELLER_DUE + D))
    assert j.rejection is None
    assert j.changes[0] == by_sweeper[0]
    assert j.changes[0].actor == "sweeper" and j.changes[0].version_after == 2
    assert j.changes[1].version_after == 3                     # the event is its own, later, step
    assert j.state.outcome == swept.outcome


def test_an_expiry_run_before_a_clerk_action_is_recorded_exactly_as_the_sweeper_records_it():
    state = open_case(kind="return_and_refund")
    now = SELLER_DUE + D
    _, by_sweeper = execute_expiries(state, POLICY, now)
    j = judge_action(state, now, lambda s: add_note(s, CLERK, now, "called the buyer"))
    assert j.rejection is None
    assert [c.kind for c in j.changes] == ["clock.expired", "note.added"]
    assert j.changes[0] == by_sweeper[0]
    assert j.state.outcome.resolved_at == SELLER_DUE
    assert j.state.party_clock.started_at == SELLER_DUE         # the return clock starts at the due time


def test_an_expiry_stays_when_the_event_is_rejected_for_a_reason_of_its_own():
    # the late line is rejected for a bad checksum, not for the expiry: the expiry still happened
    state = open_case(kind="return_and_refund")
    j = apply_rejected(state, evidence("buyer", SELLER_DUE + H, sha256="0" * 64))
    assert "sha256" in j.rejection and "ran out at 2026-11-06T02:00:00Z" in j.rejection
    assert [c.kind for c in j.changes] == ["clock.expired"]
    assert (j.state.version, j.state.stage) == (2, "awaiting_return_shipment")


def test_an_action_late_enough_runs_the_follow_on_clock_too_each_its_own_step():
    state = open_case(kind="return_and_refund")
    ship_due = SELLER_DUE + timedelta(days=10)
    now = ship_due + H
    j = judge_action(state, now, lambda s: claim(s, CLERK, now))
    assert [(c.payload["clock"], c.at, c.version_after) for c in j.changes] == [
        ("seller_response", SELLER_DUE, 2), ("return_shipment", ship_due, 3)]
    assert "closed" in j.rejection                             # a claim on a closed dispute is rejected
    assert j.state.outcome.return_status == "not_shipped" and j.state.outcome.refund is None


# --- "An executed expiry counts as a feed event dated at its due time, so a feed event dated before it that
# arrives later is rejected as out of order" — also when a clerk action executed it. ----------------------

def test_an_expiry_executed_by_a_clerk_action_moves_the_feed_order_mark():
    state = open_case(kind="return_and_refund")
    now = SELLER_DUE + 2 * H
    j = judge_action(state, now, lambda s: add_note(s, CLERK, now, "x"))
    assert j.state.last_feed_at == SELLER_DUE                 # the expiry's due time, not the action's `now`
    late = apply_rejected(j.state, return_shipped(SELLER_DUE - S))
    assert "out of order" in late.rejection
    apply_ok(j.state, return_shipped(SELLER_DUE + H))         # after the expiry, before the action: in order


def test_a_clerk_action_without_an_expiry_does_not_move_the_feed_order_mark():
    state = open_case()
    j = judge_action(state, T0 + D, lambda s: add_note(s, CLERK, T0 + D, "x"))
    assert j.state.last_feed_at == T0
    apply_ok(j.state, posted("seller", "S-1", T0 + H))


# --- "show and queue never execute anything ... for sla_breached the platform clocks count as stopped at the
# due time of the expired party clock that decided the dispute." — the awaiting_parties clock too. -----------

def test_show_of_an_expired_parties_clock_neither_executes_nor_changes_pending_approval():
    state = proposed(open_case(), T0 + H)
    due = state.party_clock.due
    snapshot = state.to_json()
    case = case_json(state, due + 30 * D)
    assert (case["stage"], case["version"], case["outcome"], case["pending_approval"]) == (
        "awaiting_parties", state.version, None, None)
    assert [(d["clock"], d["overdue"]) for d in case["deadlines"]] == [("parties_response", True)]
    assert case["sla_breached"] is False
    assert state.to_json() == snapshot


# --- decision 7: "A new proposal from that party is still accepted and, as §3 says, takes the case to
# platform_review" (after the party accepted the platform proposal). ------------------------------------------

def test_a_counter_after_accepting_the_platform_proposal_still_rejects_it():
    state = proposed(open_case(), T0 + H)
    pid = state.proposals["platform"].proposal_id
    state = apply_ok(state, accepted("seller", pid, T0 + 2 * H))
    after = apply_ok(state, posted("seller", "S-9", T0 + 3 * H))
    assert (after.stage, after.platform_rejected, after.party_clock) == ("platform_review", True, None)
    assert after.proposals["platform"].proposal_id == pid     # stays active: a ruling may adopt it
    assert ruled(after, T0 + 4 * H, "platform").outcome.adopted == "platform"


# --- "In platform_review and pending_approval posting and withdrawing change the proposals but not the
# stage" — and start no party clock. --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["platform_review", "pending_approval (ruling)",
                                  "pending_approval (platform proposal)"])
def test_posting_and_withdrawing_without_a_party_clock_start_none(name):
    state = UNRESOLVED[name]()
    running = [c.clock for c in state.running_platform_clocks()]
    after = apply_ok(state, posted("seller", "S-2", T0 + 3 * H), withdrawn("buyer", "P-1", T0 + 4 * H))
    assert (after.stage, after.party_clock, after.pending) == (state.stage, None, state.pending)
    assert after.proposals["seller"].proposal_id == "S-2" and after.proposals["buyer"] is None
    assert [c.clock for c in after.running_platform_clocks()] == running


# --- decision 35: a release is allowed on a closed dispute that is still held. ------------------------------

def test_the_holder_may_release_a_case_that_closed_while_held():
    held, _ = claim(open_case(), CLERK, T0 + H)
    closed = apply_ok(held, accepted("seller", "P-1", T0 + H + 60 * S))
    assert closed.stage == "closed" and closed.holder(T0 + H + 600 * S) == "alice"
    with pytest.raises(Rejection, match="closed"):
        claim(closed, CLERK, T0 + H + 600 * S)                       # renewing is a claim: refused
    after, change = release(closed, CLERK, T0 + H + 600 * S)
    assert (change.kind, after.assigned_to, after.version) == ("case.released", None, closed.version + 1)
    assert after.outcome == closed.outcome
