"""One home for "what executes when a clock runs out" (domain.expiry) and the typed case view (domain.case_view):
every place that shows or executes an expiry agrees with it, on a table of clocks × stages; `show`'s JSON is
made from the typed objects and equals the JSON the rules gave before."""
from dataclasses import FrozenInstanceError
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from tests.unit.feed_builders import (
    CLERK, T0, H, accepted, apply_ok, escalated, message, open_case, posted, return_shipped, withdrawn,
)
from mediator_app.domain.actions import claim, propose, rule
from mediator_app.domain.case_view import Deadline, TimelineEntry, case_view, proposal_history
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.expiry import CLOCK_RULES_BY_NAME, EXECUTES, expiry_kind, on_expiry_of, ran_out_text
from mediator_app.domain.judge import judge_event
from mediator_app.domain.money import Money, parse_money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.proposals import Proposal
from mediator_app.domain.time import format_utc
from mediator_app.domain.transitions import execute_expiries, on_expiry
from mediator_app.domain.types import CLOCK_NAMES, STAGE_NAMES
from mediator_app.domain.queue_line import queue_line, stored_json
from mediator_app.domain.view import case_json, default_judgment
from mediator_app.domain.events import parse_event

POLICY = get_policy("aliexpress-2024")

#: (name, stage, builder): one state per stage and per way a clock can run out.
SCENARIOS = [
    ("seller silent, buyer's refund stands", "awaiting_seller", lambda: open_case()),
    ("buyer silent, seller's refund stands", "awaiting_buyer",
     lambda: apply_ok(open_case(), posted("seller", "S-1", T0 + H))),
    ("buyer silent, seller offers no refund", "awaiting_buyer",
     lambda: apply_ok(open_case(), posted("seller", "S-1", T0 + H, remedy="no_refund", amount=None))),
    ("buyer silent, nothing stands", "awaiting_buyer",
     lambda: apply_ok(open_case(), withdrawn("buyer", "P-1", T0 + H))),
    ("parties silent, platform proposal stands", "awaiting_parties",
     lambda: propose(open_case(), CLERK, T0 + H, "refund", "40.00")[0]),
    ("platform review", "platform_review", lambda: apply_ok(open_case(), escalated("buyer", T0 + H))),
    ("pending approval", "pending_approval",
     lambda: rule(apply_ok(open_case(total="900.00"), escalated("buyer", T0 + H)), CLERK, T0 + 2 * H, "buyer")[0]),
    ("return not shipped", "awaiting_return_shipment",
     lambda: apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))),
    ("receipt not confirmed", "awaiting_return_receipt",
     lambda: apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H),
                      return_shipped(T0 + 2 * H))),
    ("closed", "closed", lambda: apply_ok(open_case(), accepted("seller", "P-1", T0 + H))),
]
IDS = [s[0] for s in SCENARIOS]


def test_every_clock_has_a_rule_and_every_stage_is_covered():
    assert set(CLOCK_RULES_BY_NAME) == set(CLOCK_NAMES)
    assert {s[1] for s in SCENARIOS} == set(STAGE_NAMES)
    assert dict(EXECUTES) == {"seller_response": "buyer", "buyer_response": "seller", "parties_response": "platform"}
    for name, rule_ in CLOCK_RULES_BY_NAME.items():
        assert hasattr(POLICY, rule_.policy_key), name


@pytest.mark.parametrize("name,stage,build", SCENARIOS, ids=IDS)
def test_show_queue_and_execution_agree_with_the_one_mapping(name, stage, build):
    state = build()
    assert state.stage == stage
    view = case_view(state, T0 + 3 * H)
    case = case_json(state, T0 + 3 * H)
    for deadline, shown in zip(view.deadlines, case["deadlines"]):
        expiry = on_expiry_of(state, deadline.clock)
        assert deadline.expiry == expiry
        assert shown["on_expiry"] == expiry.words() == on_expiry(state, deadline.clock)
        assert shown["executes"] is CLOCK_RULES_BY_NAME[deadline.clock].runs_out_executes
        assert shown["rule"] == CLOCK_RULES_BY_NAME[deadline.clock].policy_key
        # the queue line stores the facts it shows; read back, they name the same outcome
        if deadline.executes:
            line = stored_json(queue_line(state, None))["preview"]
            refund = parse_money(line["refund"]) if line["refund"] is not None else None
            assert expiry_kind(line["clock"], line["adopted"], refund) == expiry.kind
            assert line["silent"] == expiry.silent
            assert line["adopted"] == expiry.adopted
    # what the sweeper executes is what was previewed
    party = state.party_clock
    if party is None:
        return
    preview = on_expiry_of(state, party.clock)
    swept, changes = execute_expiries(state, POLICY, party.due)
    first = changes[0]
    assert first.payload["clock"] == party.clock
    if preview.reached_type is not None:  # a deciding clock resolves as previewed
        assert swept.outcome is not None
        assert (swept.outcome.reached_type, swept.outcome.adopted) == (preview.reached_type, preview.adopted)
        assert swept.outcome.terms == preview.proposal
        assert swept.outcome.refund == preview.refund
        assert CLOCK_RULES_BY_NAME[party.clock].who in first.summary
    else:
        assert swept.stage == "closed"
        assert swept.outcome is not None
        executed_refund = swept.outcome.refund if swept.outcome.return_status == "receipt_timeout" else None
        assert executed_refund == preview.refund
    # a late event executes the same expiry first
    late = parse_event(message("buyer", party.due + H))
    judged = judge_event(state, late)
    assert judged.expiries and judged.expiries[0].payload["clock"] == party.clock
    assert judged.expiries[0].summary == first.summary


def test_a_rejection_after_an_expiry_uses_the_ran_out_words():
    state = open_case()
    late = parse_event(posted("seller", "S-1", T0 + timedelta(hours=121)))
    judged = judge_event(state, late)
    assert judged.rejection is not None
    assert judged.rejection.startswith(f"{ran_out_text('seller_response')} ran out at 2026-11-06T02:00:00Z")


def test_default_judgment_is_the_expiry_of_the_running_party_clock():
    for _name, _stage, build in SCENARIOS:
        state = build()
        preview = default_judgment(state)
        if state.party_clock is None:
            assert preview is None
            continue
        expiry = on_expiry_of(state, state.party_clock.clock)
        assert preview is not None
        assert (preview.clock, preview.silent, preview.adopted) == (expiry.clock, expiry.silent, expiry.adopted)
        assert preview.at == state.party_clock.due


# --- typed, immutable views -----------------------------------------------------------------------

@pytest.mark.parametrize("name,stage,build", SCENARIOS, ids=IDS)
def test_the_view_is_typed_and_its_json_is_the_show_object(name, stage, build):
    state = build()
    now = T0 + 200 * H
    view = case_view(state, now)
    assert isinstance(view.opened_at, datetime) and isinstance(view.order_total, Money)
    assert all(isinstance(d, Deadline) and isinstance(d.due, datetime) for d in view.deadlines)
    assert all(isinstance(p, Proposal) for p in view.proposals.values() if p is not None)
    assert view.to_json() == _legacy_case_json(state, now)
    assert view.platform_zone == POLICY.platform_zone
    with pytest.raises(FrozenInstanceError):
        view.stage = "closed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        view.proposals["buyer"] = None  # type: ignore[index]


def test_a_claimed_case_shows_its_holder_until_the_lease_lapses():
    state, _ = claim(open_case(), CLERK, T0)
    held = case_view(state, T0 + POLICY.claim_lease / 2)
    assert held.assigned_to == "alice" and held.claim_expires_at == T0 + POLICY.claim_lease
    lapsed = case_view(state, T0 + POLICY.claim_lease)
    assert lapsed.assigned_to is None and lapsed.claim_expires_at is None
    assert lapsed.to_json()["claim_expires_at"] is None


def test_the_pending_platform_proposal_is_what_the_platform_pane_shows():
    state = apply_ok(open_case(total="900.00"), escalated("buyer", T0 + H))
    state, _ = propose(state, CLERK, T0 + 2 * H, "refund", "600.00")
    view = case_view(state, T0 + 2 * H)
    assert view.stage == "pending_approval"
    assert view.proposal("platform") is None
    shown = view.shown_proposal("platform")
    assert shown is not None and shown.refund == Money(Decimal("600.00"), "USD")
    assert view.pending is not None and view.pending.by == "alice"


def test_proposal_history_comes_from_the_timeline_in_the_domain():
    def entry(at, kind, party, payload):
        return TimelineEntry(at, kind, party, "", "feed", 0, None, payload)

    p1 = {"proposal_id": "P-1", "remedy": "refund", "refund": {"amount": "66.65", "currency": "USD"}}
    p2 = {"proposal_id": "P-2", "remedy": "refund", "refund": {"amount": "50.00", "currency": "USD"}}
    s1 = {"proposal_id": "S-1", "remedy": "no_refund"}
    pl1 = {"proposal_id": "D-1-PL1", "remedy": "refund", "refund": {"amount": "40.00", "currency": "USD"}}
    history = proposal_history([
        entry(T0, "dispute.opened", "buyer", {"proposal": p1}),
        entry(T0 + H, "proposal.posted", "seller", {"proposal": s1}),
        entry(T0 + 2 * H, "proposal.posted", "buyer", {"proposal": p2}),
        entry(T0 + 3 * H, "proposal.withdrawn", "seller", {"proposal_id": "S-1"}),
        entry(T0 + 4 * H, "platform_proposal.posted", None, {"proposal": pl1, "pending": True}),
        entry(T0 + 5 * H, "approval.sent_back", None, {"sent_back": {"what": "platform_proposal", "proposal": pl1}}),
    ])
    assert [(h.proposal.proposal_id, h.status, h.at) for h in history["buyer"]] == [
        ("P-1", "superseded", T0), ("P-2", "active", T0 + 2 * H)]
    assert [(h.proposal.proposal_id, h.status) for h in history["seller"]] == [("S-1", "withdrawn")]
    assert [(h.proposal.proposal_id, h.status) for h in history["platform"]] == [("D-1-PL1", "sent back")]
    assert history["buyer"][1].proposal.refund == Money(Decimal("50.00"), "USD")
    with pytest.raises(TypeError):
        history["buyer"] = ()  # type: ignore[index]


def test_timeline_entry_json_round_trip():
    entry = TimelineEntry(T0, "message.posted", "buyer", "buyer: hi", "feed", 3, "E-1", {"text": "hi"})
    data = entry.to_json()
    assert data == {"at": format_utc(T0), "kind": "message.posted", "party": "buyer", "summary": "buyer: hi",
                    "actor": "feed", "version": 3, "event_id": "E-1", "payload": {"text": "hi"}}
    assert TimelineEntry.from_json(data) == entry


def _legacy_case_json(state: DisputeState, now: datetime) -> dict:
    """The `show` object as `view.case_json` built it before the typed view (kept here as the reference)."""
    from mediator_app.domain.dispute import NEGOTIATION_STAGES
    from mediator_app.domain.view import deadlines, sla_breached

    pending = state.pending
    pending_json = None
    if pending is not None:
        pending_json = {"what": pending.what, "by": pending.by}
        if pending.adopt is not None:
            pending_json["adopt"] = pending.adopt
        pending_json["proposal"] = pending.proposal.to_json()
        pending_json["made_at"] = format_utc(pending.made_at)
        # contract §5.2 adds the approval clock (24 h from submission) to `show`
        pending_json["submitted_at"] = format_utc(pending.made_at)
        pending_json["due"] = format_utc(pending.made_at + timedelta(hours=24))
    running = deadlines(state)
    for d in running:
        d["overdue"] = d["due"] <= now
        d["due"] = format_utc(d["due"])
        d["started_at"] = format_utc(d["started_at"])
    holder = state.holder(now)
    return {
        "dispute_id": state.dispute_id, "order_id": state.order.order_id, "buyer_id": state.order.buyer_id,
        "seller_id": state.order.seller_id, "kind": state.kind, "reason": state.reason, "policy": state.policy,
        "status": state.status, "stage": state.stage, "version": state.version,
        "order_total": state.order.total.to_json(), "opened_at": format_utc(state.opened_at),
        "proposals": {p: (v.to_json() if v else None) for p, v in state.proposals.items()},
        "acceptances": {"platform_proposal": list(state.platform_acceptances)},
        "platform_proposal_rejected": state.platform_rejected, "deadlines": running,
        "sla_breached": sla_breached(state, now), "assigned_to": holder,
        "claim_expires_at": format_utc(state.claim_expires_at) if holder else None,
        # contract §5.1 adds who holds the case, how and since when (these cases hold claims only)
        "assignment": None if holder is None else {
            "to": holder, "by": None, "kind": "claim", "since": format_utc(state.held_since),
            "until": format_utc(state.claim_expires_at)},
        "pending_approval": pending_json, "outcome": state.outcome.to_json() if state.outcome else None,
        "negotiating": state.stage in NEGOTIATION_STAGES,
    }


# --- the state is immutable -----------------------------------------------------------------------

def test_a_state_never_changes_in_place():
    state = open_case()
    before = state.to_json()
    with pytest.raises(FrozenInstanceError):
        state.stage = "closed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        state.proposals["buyer"] = None  # type: ignore[index]
    assert isinstance(state.used_proposal_ids, tuple) and isinstance(state.platform_clocks, tuple)
    after, _ = propose(apply_ok(state, escalated("buyer", T0 + H)), CLERK, T0 + 2 * H, "refund", "40.00")
    swept, _ = execute_expiries(after, POLICY, T0 + 400 * H)
    assert state.to_json() == before  # rules and expiries made new states
    assert after.stage == "awaiting_parties" and swept.stage == "closed"


def test_a_draft_freezes_into_an_equal_state_and_back():
    state = propose(open_case(), CLERK, T0 + H, "refund", "40.00")[0]
    draft = state.copy()
    assert draft.freeze() == state
    draft.platform_acceptances.append("buyer")
    assert state.platform_acceptances == () and draft.freeze().platform_acceptances == ("buyer",)
    assert DisputeState.from_json(state.to_json()) == state


def test_the_inbox_and_the_desk_ask_the_domain_who_may_approve_assign_and_hold() -> None:
    """Four-eyes' why (`own` / `role`), the actions a role is offered, and who may hold a case: one home each in
    `domain`, which the desk's buttons, the inbox's tooltip and the assign dialogs' lists ask."""
    from mediator_app.domain.desk import approval_refusal, can_approve
    from mediator_app.domain.holding import may_hold
    from mediator_app.domain.permissions import PERMISSIONS, role_may

    assert approval_refusal("bob", "supervisor", "alice") is None and can_approve("bob", "supervisor", "alice")
    assert approval_refusal("bob", "supervisor", "bob") == "own" and not can_approve("bob", "supervisor", "bob")
    assert approval_refusal("alice", "clerk", "bob") == "role" and approval_refusal("dora", None, "bob") == "role"
    for action, roles in PERMISSIONS.items():
        for role in ("clerk", "supervisor", "auditor", "service", None):
            assert role_may(role, action) == (role in roles)
    assert [r for r in ("clerk", "supervisor", "auditor", "service") if may_hold(r)] == ["clerk", "supervisor"]


def test_urgency_and_who_a_stage_awaits_have_one_home() -> None:
    """The window's urgency (queue colours, clock rows) folds the desk's due buckets; a stage's party from the
    same map the transitions set it by."""
    from mediator_app.domain.desk import due_bucket, urgency
    from mediator_app.domain.transitions import awaits

    now = T0
    for due, level in ((None, "none"), (now, "overdue"), (now + timedelta(hours=3), "soon"),
                       (now + timedelta(hours=24) - timedelta(seconds=1), "soon"), (now + timedelta(hours=24), "later")):
        assert urgency(due, now) == level, (due, due_bucket(due, now))
    assert awaits("awaiting_buyer", "buyer") and awaits("awaiting_seller", "seller")
    assert not awaits("awaiting_buyer", "seller") and not awaits("awaiting_parties", "buyer")
    assert not awaits("platform_review", "platform")


def test_the_platform_proposal_waits_on_each_party_that_has_not_accepted_it() -> None:
    """One home for "both parties must accept the platform's proposal": the feed rules resolve on it and the
    platform pane's "awaiting …" asks it."""
    from mediator_app.domain.transitions import awaiting_acceptance

    state, _ = propose(open_case(), CLERK, T0 + H, "refund", "40.00")
    platform_id = state.proposals["platform"].proposal_id
    assert state.stage == "awaiting_parties"
    assert awaiting_acceptance(state.stage, state.platform_acceptances) == ("buyer", "seller")
    state = apply_ok(state, accepted("seller", platform_id, T0 + 2 * H))
    assert state.status == "open" and awaiting_acceptance(state.stage, state.platform_acceptances) == ("buyer",)
    state = apply_ok(state, accepted("buyer", platform_id, T0 + 3 * H))
    assert state.status == "closed" and state.outcome.reached_type == "platform_proposal_accepted"
    assert awaiting_acceptance(state.stage, state.platform_acceptances) == ()
    for stage in ("awaiting_seller", "awaiting_buyer", "platform_review", "pending_approval"):
        assert awaiting_acceptance(stage, ()) == ()  # nobody is asked to accept outside awaiting_parties


@pytest.mark.parametrize("amount, bound", [("0.00", "not_positive"), ("-1.00", "not_positive"),
                                           ("0.01", None), ("66.65", None), ("66.66", "above_total")])
def test_the_refund_bounds_have_one_home(amount: str, bound: str | None) -> None:
    """The propose dialog's hint and the rules' refusal ask the same `refund_bound`: a refund the dialog lets
    through is one the rules accept, and one it stops they refuse."""
    from mediator_app.domain.errors import Rejection
    from mediator_app.domain.proposals import check_terms, refund_bound

    total = Money(Decimal("66.65"), "USD")
    assert refund_bound(Decimal(amount), total) == bound
    try:
        check_terms("refund", Money(Decimal(amount), "USD"), None, total, "refund")
        refused = False
    except Rejection:
        refused = True
    assert refused == (bound is not None)
