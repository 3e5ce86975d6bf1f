"""§3 "Who may do what": roles, rulings, four-eyes approval and send-back, claims, notes, versions."""
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.feed_builders import (
    AUDITOR, CLERK, CLERK2, SUPERVISOR, SUPERVISOR2, T0, D, H, S, accepted, apply_ok, escalated, open_case,
    platform_clock, posted, proposal, utc, withdrawn,
)
from mediator_app.domain.actions import (
    PERMISSIONS, Actor, add_note, approve, claim, propose, release, rule, send_back,
)
from mediator_app.domain.errors import Rejection
from mediator_app.domain.judge import judge_action
from mediator_app.domain.money import Money

LEASE = timedelta(minutes=30)


def big_case(total="800.00", currency="USD"):
    return open_case(total=total, currency=currency, prop=proposal("P-1", "refund", total, currency))


def pending_ruling(by=CLERK, at=T0 + H):
    state = apply_ok(big_case(), posted("seller", "S-1", T0 + 30 * 60 * S, amount="100.00"))
    new, change = rule(state, by, at, "buyer")
    assert new.stage == "pending_approval"
    return new


# --- roles ---------------------------------------------------------------------------------------------

ACTIONS = {
    "propose": lambda s, a: propose(s, a, T0 + H, "refund", "10.00"),
    "rule": lambda s, a: rule(s, a, T0 + H, "buyer"),
    "claim": lambda s, a: claim(s, a, T0 + H),
    "release": lambda s, a: release(s, a, T0 + H),
    "note": lambda s, a: add_note(s, a, T0 + H, "looked at it"),
    "approve": lambda s, a: approve(s, a, T0 + 2 * H),
    "send-back": lambda s, a: send_back(s, a, T0 + 2 * H, "no"),
}


def test_permission_table_matches_contract():
    assert PERMISSIONS == {
        "propose": ("clerk", "supervisor"), "rule": ("clerk", "supervisor"), "claim": ("clerk", "supervisor"),
        "release": ("clerk", "supervisor"), "note": ("clerk", "supervisor"),
        "approve": ("supervisor",), "send-back": ("supervisor",), "assign": ("supervisor",),
    }


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_auditor_may_not_act(action):
    state = pending_ruling() if action in ("approve", "send-back") else open_case()
    with pytest.raises(Rejection, match="auditor"):
        ACTIONS[action](state, AUDITOR)


@pytest.mark.parametrize("action", ["approve", "send-back"])
def test_clerk_may_not_approve_or_send_back(action):
    state = pending_ruling(by=CLERK2)
    with pytest.raises(Rejection, match="supervisor"):
        ACTIONS[action](state, CLERK)


@pytest.mark.parametrize("role", ["admin", "", "Supervisor"])
def test_unknown_role_may_not_act(role):
    with pytest.raises(Rejection):
        add_note(open_case(), Actor("mallory", role), T0 + H, "hi")


# --- rulings ------------------------------------------------------------------------------------------

def test_ruling_below_threshold_resolves_as_platform_arbitrate():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    at = T0 + 2 * H
    new, change = rule(state, CLERK, at, "seller", note="photos show the parcel arrived")
    o = new.outcome
    assert (new.stage, o.reached_type, o.adopted, o.refund, o.resolved_at) == (
        "closed", "platform_arbitrate", "seller", Money(Decimal("20.00"), "USD"), at)
    assert new.party_clock is None
    assert all(c.stopped_at == at for c in new.platform_clocks)
    assert (change.kind, change.actor, change.party, change.version_after) == ("ruling.made", "alice", "platform", 3)
    assert change.payload["adopt"] == "seller"
    assert "photos show" in change.summary


@pytest.mark.parametrize("pre,stage", [
    ([], "awaiting_seller"),
    ([posted("seller", "S-1", T0 + H)], "awaiting_buyer"),
    ([escalated("buyer", T0 + H)], "platform_review"),
])
def test_ruling_allowed_in_decision_stages(pre, stage):
    state = apply_ok(open_case(), *pre)
    assert state.stage == stage
    new, _ = rule(state, CLERK, T0 + 2 * H, "buyer")
    assert new.outcome.reached_type == "platform_arbitrate"


def test_ruling_allowed_in_awaiting_parties():
    state, _ = propose(open_case(), CLERK, T0 + H, "refund", "30.00")
    new, _ = rule(state, SUPERVISOR, T0 + 2 * H, "platform")
    assert (new.outcome.adopted, new.outcome.refund) == ("platform", Money(Decimal("30.00"), "USD"))


def test_ruling_for_a_return_goes_to_the_return_stage():
    state = open_case(kind="return_and_refund")
    new, _ = rule(state, CLERK, T0 + H, "buyer")
    assert new.stage == "awaiting_return_shipment"
    assert new.party_clock.due == T0 + H + timedelta(days=10)


def test_ruling_not_allowed_in_pending_approval_or_once_resolved():
    with pytest.raises(Rejection, match="pending_approval"):
        rule(pending_ruling(), SUPERVISOR, T0 + 2 * H, "seller")
    closed = apply_ok(open_case(), accepted("seller", "P-1", T0 + H))
    with pytest.raises(Rejection, match="closed"):
        rule(closed, CLERK, T0 + 2 * H, "buyer")
    returning = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    with pytest.raises(Rejection, match="awaiting_return_shipment"):
        rule(returning, CLERK, T0 + 2 * H, "buyer")


def test_ruling_must_adopt_an_active_proposal():
    state = open_case()
    with pytest.raises(Rejection, match="no active proposal"):
        rule(state, CLERK, T0 + H, "seller")
    with pytest.raises(Rejection, match="no active proposal"):
        rule(state, CLERK, T0 + H, "platform")
    withdrawn_state = apply_ok(state, withdrawn("buyer", "P-1", T0 + H))
    with pytest.raises(Rejection, match="no active proposal"):
        rule(withdrawn_state, CLERK, T0 + 2 * H, "buyer")
    with pytest.raises(Rejection, match="--adopt"):
        rule(state, CLERK, T0 + H, "clerk")


@pytest.mark.parametrize("total,currency,amount,pending", [
    ("800.00", "USD", "500.00", True), ("800.00", "USD", "499.99", False),
    ("100000", "JPY", "75000", True), ("100000", "JPY", "74999", False),
    ("800.00", "EUR", "450.00", True), ("800.00", "GBP", "399.99", False),
])
def test_ruling_four_eyes_threshold(total, currency, amount, pending):
    state = open_case(total=total, currency=currency, prop=proposal("P-1", "refund", amount, currency))
    new, change = rule(state, CLERK, T0 + H, "buyer")
    if pending:
        assert new.stage == "pending_approval"
        assert new.outcome is None
        assert (new.pending.what, new.pending.by, new.pending.adopt) == ("ruling", "alice", "buyer")
        assert new.pending.proposal.refund == Money(Decimal(amount), currency)
        assert new.party_clock is None
        assert all(c.stopped_at == T0 + H for c in new.platform_clocks)
        assert change.kind == "ruling.made" and change.payload.get("pending") is True
    else:
        assert new.stage == "closed"
        assert new.outcome.reached_type == "platform_arbitrate"


def test_approved_ruling_executes_the_terms_fixed_when_made():
    state = pending_ruling(by=CLERK, at=T0 + H)
    # the buyer withdraws and posts new terms while the ruling waits: stage stays, terms stay
    state = apply_ok(state, withdrawn("buyer", "P-1", T0 + 2 * H))
    assert state.stage == "pending_approval"
    state = apply_ok(state, posted("buyer", "P-2", T0 + 3 * H, amount="10.00"))
    at = T0 + 4 * H
    new, change = approve(state, SUPERVISOR, at)
    o = new.outcome
    assert (o.reached_type, o.adopted, o.refund, o.resolved_at) == (
        "platform_arbitrate", "buyer", Money(Decimal("800.00"), "USD"), at)
    assert o.terms.proposal_id == "P-1"
    assert new.stage == "closed" and new.pending is None
    assert (change.kind, change.actor, change.version_after) == ("ruling.approved", "bob", state.version + 1)


def test_nobody_approves_their_own_ruling():
    state = pending_ruling(by=SUPERVISOR)
    with pytest.raises(Rejection, match="own ruling"):
        approve(state, SUPERVISOR, T0 + 2 * H)
    new, _ = approve(state, SUPERVISOR2, T0 + 2 * H)
    assert new.outcome.reached_type == "platform_arbitrate"


def test_approve_and_send_back_need_something_pending():
    state = open_case()
    with pytest.raises(Rejection, match="pending_approval"):
        approve(state, SUPERVISOR, T0 + H)
    with pytest.raises(Rejection, match="pending_approval"):
        send_back(state, SUPERVISOR, T0 + H, "why")


def test_send_back_returns_to_platform_review_with_a_new_ruling_clock():
    state = pending_ruling(by=CLERK, at=T0 + H)
    at = utc(2026, 11, 1, 16, 30)   # already Nov 2 in Shanghai
    new, change = send_back(state, SUPERVISOR, at, "the seller's photos were not considered")
    assert new.stage == "platform_review"
    assert new.pending is None and new.outcome is None
    assert new.party_clock is None
    ruling = platform_clock(new, "platform_ruling")
    assert (ruling.started_at, ruling.due, ruling.stopped_at) == (at, utc(2026, 11, 5, 16, 0), None)
    assert platform_clock(new, "platform_intervention").stopped_at == T0 + H
    assert (change.kind, change.actor, change.version_after) == ("approval.sent_back", "bob", state.version + 1)
    assert change.payload["note"] == "the seller's photos were not considered"
    # the clerk may rule again
    again, _ = rule(new, CLERK, at + H, "seller")
    assert again.outcome.adopted == "seller"


@pytest.mark.parametrize("note", ["", "   "])
def test_send_back_needs_a_note(note):
    with pytest.raises(Rejection, match="note"):
        send_back(pending_ruling(), SUPERVISOR, T0 + 2 * H, note)


def test_actions_do_not_take_part_in_feed_order():
    state = open_case()
    new, _ = add_note(state, CLERK, T0 + 3 * D, "call the seller")
    assert new.last_feed_at == state.last_feed_at
    apply_ok(new, posted("seller", "S-1", T0 + D))


# --- claims ---------------------------------------------------------------------------------------------

def test_claim_is_a_30_minute_lease():
    at = T0 + H
    state, change = claim(open_case(), CLERK, at)
    assert state.assigned_to == "alice"
    assert state.claim_expires_at == at + LEASE
    assert state.holder(at + LEASE - S) == "alice"
    assert state.holder(at + LEASE) is None
    assert (change.kind, change.actor, change.version_after) == ("case.claimed", "alice", 2)


def test_other_clerk_is_refused_while_the_claim_holds():
    state, _ = claim(open_case(), CLERK, T0)
    with pytest.raises(Rejection, match="claimed by alice"):
        claim(state, CLERK2, T0 + LEASE - S)
    taken, change = claim(state, CLERK2, T0 + LEASE)       # lapsed
    assert taken.assigned_to == "carol"
    assert change.payload["previous"] is None


def test_supervisor_takes_over_a_held_case():
    state, _ = claim(open_case(), CLERK, T0)
    taken, change = claim(state, SUPERVISOR, T0 + 10 * 60 * S)
    assert taken.assigned_to == "bob"
    assert taken.claim_expires_at == T0 + 10 * 60 * S + LEASE
    assert change.payload["previous"] == "alice"
    with pytest.raises(Rejection, match="claimed by bob"):
        claim(taken, CLERK, T0 + 20 * 60 * S)


def test_holder_renews_the_claim():
    state, _ = claim(open_case(), CLERK, T0)
    renewed, change = claim(state, CLERK, T0 + 20 * 60 * S)
    assert renewed.claim_expires_at == T0 + 50 * 60 * S
    assert renewed.version == 3
    assert "renewed" in change.summary


def test_claim_on_a_closed_dispute_is_rejected():
    closed = apply_ok(open_case(), accepted("seller", "P-1", T0 + H))
    with pytest.raises(Rejection, match="closed"):
        claim(closed, CLERK, T0 + 2 * H)
    with pytest.raises(Rejection, match="closed"):
        claim(closed, SUPERVISOR, T0 + 2 * H)


def test_claim_in_a_return_stage_is_allowed():
    returning = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    state, _ = claim(returning, CLERK, T0 + 2 * H)
    assert state.assigned_to == "alice"


def test_release_by_the_holder():
    state, _ = claim(open_case(), CLERK, T0)
    released, change = release(state, CLERK, T0 + H / 4)
    assert released.assigned_to is None and released.claim_expires_at is None
    assert released.holder(T0 + H / 4) is None
    assert (change.kind, change.version_after, change.payload["previous"]) == ("case.released", 3, "alice")


def test_release_by_another_clerk_is_refused_but_a_supervisor_may():
    state, _ = claim(open_case(), CLERK, T0)
    with pytest.raises(Rejection, match="only the holder or a supervisor"):
        release(state, CLERK2, T0 + H / 4)
    released, _ = release(state, SUPERVISOR, T0 + H / 4)
    assert released.assigned_to is None


def test_release_of_an_unclaimed_or_lapsed_case_is_rejected():
    with pytest.raises(Rejection, match="not claimed"):
        release(open_case(), CLERK, T0)
    state, _ = claim(open_case(), CLERK, T0)
    with pytest.raises(Rejection, match="not claimed"):
        release(state, CLERK, T0 + LEASE)


def test_no_action_requires_a_claim():
    state, _ = claim(open_case(), CLERK2, T0)
    new, _ = rule(state, CLERK, T0 + H / 4, "buyer")
    assert new.outcome.reached_type == "platform_arbitrate"


# --- notes and versions --------------------------------------------------------------------------------

def test_note_is_a_version_step_and_changes_nothing_else():
    state = open_case()
    new, change = add_note(state, SUPERVISOR, T0 + H, "buyer called")
    assert new.version == 2
    assert (change.kind, change.actor, change.payload) == ("note.added", "bob", {"text": "buyer called"})
    assert new.stage == state.stage and new.party_clock == state.party_clock
    with pytest.raises(Rejection, match="text"):
        add_note(state, CLERK, T0 + H, "  ")


def test_every_action_is_exactly_one_version_step():
    state = big_case()
    steps = [
        lambda s: claim(s, CLERK, T0 + H),
        lambda s: add_note(s, CLERK, T0 + H, "n"),
        lambda s: release(s, CLERK, T0 + H),
        lambda s: propose(s, CLERK, T0 + 2 * H, "refund", "100.00"),
        lambda s: propose(s, CLERK, T0 + 3 * H, "refund", "600.00"),     # pending
        lambda s: send_back(s, SUPERVISOR, T0 + 4 * H, "no"),
        lambda s: claim(s, SUPERVISOR, T0 + 4 * H),
        lambda s: rule(s, CLERK, T0 + 5 * H, "buyer"),                     # pending (800.00)
        lambda s: approve(s, SUPERVISOR, T0 + 6 * H),
    ]
    version = state.version
    for step in steps:
        j = judge_action(state, T0, step)
        assert j.rejection is None, j.rejection
        assert [c.version_after for c in j.changes] == [version + 1]
        state = j.state
        version += 1
    assert state.version == 1 + len(steps)
    assert state.outcome.reached_type == "platform_arbitrate"


def test_rejected_action_changes_nothing():
    state = open_case()
    j = judge_action(state, T0 + H, lambda s: approve(s, SUPERVISOR, T0 + H))
    assert j.rejection is not None and "pending_approval" in j.rejection
    assert j.changes == [] and j.state.version == 1


def test_claim_on_closed_dispute_after_expiry_is_rejected_with_the_expiry_kept():
    now = T0 + timedelta(hours=121)
    j = judge_action(open_case(), now, lambda s: claim(s, CLERK, now))
    assert j.rejection is not None and "closed" in j.rejection and "ran out" in j.rejection
    assert [c.kind for c in j.changes] == ["clock.expired"]


def test_actions_do_not_change_their_input():
    state = pending_ruling()
    snapshot = state.to_json()
    approve(state, SUPERVISOR, T0 + 2 * H)
    send_back(state, SUPERVISOR, T0 + 2 * H, "no")
    claim(state, CLERK, T0 + 2 * H)
    add_note(state, CLERK, T0 + 2 * H, "x")
    assert state.to_json() == snapshot
