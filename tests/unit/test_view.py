"""§3/§4 the case as `show` presents it at `now`: deadlines, on_expiry, sla_breached, pending approval,
outcome; and the lossless storage form of the state."""
from datetime import timedelta

import pytest

from tests.unit.feed_builders import (
    CLERK, SUPERVISOR, T0, D, H, S, accepted, apply_ok, escalated, open_case, posted, proposal,
    return_shipped, utc, withdrawn,
)
from mediator_app.domain.actions import approve, claim, propose, rule
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.policy import get_policy
from mediator_app.domain.transitions import execute_expiries, on_expiry
from mediator_app.domain.view import case_json, deadlines, sla_breached

POLICY = get_policy("aliexpress-2024")
INTERVENTION_DUE = utc(2026, 11, 8, 16, 0)
SELLER_DUE = utc(2026, 11, 6, 2, 0)


def brief(case):
    return [(d["clock"], d["party"], d["due"], d["on_expiry"]) for d in case["deadlines"]]


def test_show_of_a_freshly_opened_dispute():
    case = case_json(open_case(dispute_id="EX1"), T0)
    assert case["dispute_id"] == "EX1"
    assert (case["order_id"], case["kind"], case["reason"], case["policy"]) == (
        "O-1", "only_refund", "not_received", "aliexpress-2024")
    assert (case["status"], case["stage"], case["version"]) == ("open", "awaiting_seller", 1)
    assert case["order_total"] == {"amount": "66.65", "currency": "USD"}
    assert case["opened_at"] == "2026-11-01T02:00:00Z"
    assert case["proposals"] == {"buyer": {"proposal_id": "P-1", "remedy": "refund",
                                           "refund": {"amount": "66.65", "currency": "USD"}},
                                 "seller": None, "platform": None}
    assert case["acceptances"] == {"platform_proposal": []}
    assert brief(case) == [
        ("seller_response", "seller", "2026-11-06T02:00:00Z", "execute buyer proposal P-1"),
        ("platform_intervention", "platform", "2026-11-08T16:00:00Z", "nothing executes (platform deadline)"),
    ]
    assert [d["overdue"] for d in case["deadlines"]] == [False, False]
    assert case["sla_breached"] is False
    assert case["assigned_to"] is None
    assert case["pending_approval"] is None
    assert case["outcome"] is None


def test_deadlines_are_sorted_earliest_first():
    at = utc(2026, 11, 5, 2, 0)
    state = apply_ok(open_case(), posted("seller", "S-1", at))
    assert [d["clock"] for d in deadlines(state)] == ["platform_intervention", "buyer_response"]
    assert [d["due"] for d in deadlines(state)] == [INTERVENTION_DUE, at + timedelta(hours=120)]
    assert deadlines(state)[0]["due"] == INTERVENTION_DUE  # the earliest running clock (the queue's key)
    state = apply_ok(state, escalated("buyer", at + H))   # ruling due end of Nov 8 local = Nov 8 16:00Z
    assert [d["clock"] for d in deadlines(state)] == ["platform_intervention", "platform_ruling"]


def test_deadline_detail_explains_the_clock():
    [d, _] = deadlines(open_case(event_id="E-OPEN"))
    assert d["started_at"] == T0
    assert d["started_by"] == "dispute.opened E-OPEN"
    assert d["rule"] == "party_response_hours"
    assert d["executes"] is True
    assert deadlines(open_case())[1]["executes"] is False


@pytest.mark.parametrize("setup,clock,text", [
    (lambda: apply_ok(open_case(), posted("seller", "S-1", T0 + H)), "buyer_response", "execute seller proposal S-1"),
    (lambda: apply_ok(open_case(), withdrawn("buyer", "P-1", T0 + H)), "buyer_response", "close with no refund"),
    (lambda: propose(open_case(), CLERK, T0 + H, "refund", "40.00")[0], "parties_response",
     "execute platform proposal D-1-PL1"),
    (lambda: apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H)), "return_shipment",
     "close with no refund (return not shipped)"),
    (lambda: apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H),
                      return_shipped(T0 + 2 * H)), "return_receipt",
     "execute the refund 66.65 USD (receipt not confirmed)"),
])
def test_on_expiry_texts(setup, clock, text):
    state = setup()
    [d] = [d for d in deadlines(state) if d["clock"] == clock]
    assert d["on_expiry"] == text
    assert on_expiry(state, clock) == text


def test_contract_example_03_after_the_platform_proposal():
    state, _ = propose(open_case(dispute_id="EX3"), CLERK, utc(2026, 11, 2, 2, 0), "refund", "40.00")
    case = case_json(state, utc(2026, 11, 2, 2, 0))
    assert case["stage"] == "awaiting_parties"
    assert brief(case) == [("parties_response", "both", "2026-11-07T02:00:00Z", "execute platform proposal EX3-PL1")]
    assert case["sla_breached"] is False
    state = apply_ok(state, accepted("seller", "EX3-PL1", utc(2026, 11, 3, 2, 0), dispute_id="EX3"))
    case = case_json(state, utc(2026, 11, 3, 2, 0))
    assert case["stage"] == "awaiting_parties"
    assert case["acceptances"] == {"platform_proposal": ["seller"]}


def test_contract_example_04_return_shipment():
    state = apply_ok(open_case(dispute_id="EX4", kind="return_and_refund"),
                     accepted("seller", "P-1", utc(2026, 11, 2, 2, 0), dispute_id="EX4"))
    case = case_json(state, utc(2026, 11, 2, 2, 0))
    assert (case["status"], case["stage"]) == ("open", "awaiting_return_shipment")
    assert case["outcome"]["return_required"] is True
    assert case["outcome"]["return_status"] == "awaiting_shipment"
    assert brief(case) == [("return_shipment", "buyer", "2026-11-12T02:00:00Z",
                            "close with no refund (return not shipped)")]
    swept, _ = execute_expiries(state, POLICY, utc(2026, 11, 12, 2, 0))
    case = case_json(swept, utc(2026, 11, 12, 2, 0))
    assert (case["status"], case["stage"]) == ("closed", "closed")
    assert case["outcome"]["return_status"] == "not_shipped"
    assert case["outcome"]["refund"] is None
    assert case["deadlines"] == []


def test_contract_example_01_after_the_sweep():
    swept, _ = execute_expiries(open_case(dispute_id="EX1"), POLICY, SELLER_DUE)
    case = case_json(swept, SELLER_DUE)
    out = case["outcome"]
    assert (case["status"], out["reached_type"], out["adopted"], out["refund"], out["resolved_at"]) == (
        "closed", "seller_response_timeout", "buyer", {"amount": "66.65", "currency": "USD"},
        "2026-11-06T02:00:00Z")
    assert (out["return_required"], out["return_status"]) == (False, "none")
    assert case["deadlines"] == []
    assert case["sla_breached"] is False


def test_show_never_executes_an_expired_clock():
    state = open_case()
    snapshot = state.to_json()
    case = case_json(state, SELLER_DUE + D)
    assert case["stage"] == "awaiting_seller" and case["version"] == 1 and case["outcome"] is None
    [seller, intervention] = case["deadlines"]
    assert seller["clock"] == "seller_response" and seller["overdue"] is True
    assert intervention["overdue"] is False
    assert case_json(state, SELLER_DUE)["deadlines"][0]["overdue"] is True            # now >= due
    assert case_json(state, SELLER_DUE - S)["deadlines"][0]["overdue"] is False
    assert state.to_json() == snapshot


# --- sla_breached ---------------------------------------------------------------------------------------

def countered(at=utc(2026, 11, 5, 2, 0)):
    """The buyer must act until Nov 10 02:00Z, after the intervention due time (Nov 8 16:00Z)."""
    return apply_ok(open_case(), posted("seller", "S-1", at))


def test_running_platform_clock_breaches_at_its_due_time():
    state = countered()
    assert sla_breached(state, INTERVENTION_DUE - S) is False
    assert sla_breached(state, INTERVENTION_DUE) is True
    assert case_json(state, INTERVENTION_DUE)["sla_breached"] is True


def test_stopped_before_due_never_counts():
    state, _ = propose(countered(), CLERK, INTERVENTION_DUE - S, "refund", "30.00")
    assert sla_breached(state, INTERVENTION_DUE + 30 * D) is False


def test_stopped_at_due_counts():
    state, _ = propose(countered(), CLERK, INTERVENTION_DUE, "refund", "30.00")
    assert sla_breached(state, INTERVENTION_DUE) is True
    assert sla_breached(state, INTERVENTION_DUE + 30 * D) is True


def test_stopped_after_due_counts_even_once_closed():
    state, _ = rule(countered(), CLERK, INTERVENTION_DUE + H, "seller")
    assert state.stage == "closed"
    assert sla_breached(state, INTERVENTION_DUE + 30 * D) is True
    assert case_json(state, INTERVENTION_DUE + 30 * D)["deadlines"] == []


def test_resolution_by_the_parties_before_due_never_counts():
    state = apply_ok(countered(), accepted("buyer", "S-1", utc(2026, 11, 6, 0, 0)))
    assert sla_breached(state, utc(2027, 1, 1)) is False


def test_expired_unexecuted_party_clock_stops_platform_clocks_at_its_due_time():
    state = open_case()   # the seller's clock (Nov 6 02:00Z) runs out before the intervention is due
    assert sla_breached(state, INTERVENTION_DUE + 30 * D) is False
    swept, _ = execute_expiries(state, POLICY, INTERVENTION_DUE + 30 * D)
    assert sla_breached(swept, INTERVENTION_DUE + 30 * D) is False


def test_expired_unexecuted_party_clock_after_the_platform_due_time_still_breaches():
    state = countered()   # the buyer's clock runs out Nov 10 02:00Z, after Nov 8 16:00Z
    assert sla_breached(state, utc(2026, 11, 20)) is True
    swept, _ = execute_expiries(state, POLICY, utc(2026, 11, 20))
    assert sla_breached(swept, utc(2026, 11, 20)) is True


def test_party_clock_expiring_exactly_at_the_platform_due_time_counts():
    at = INTERVENTION_DUE - timedelta(hours=120)
    state = apply_ok(open_case(), posted("seller", "S-1", at))
    assert state.party_clock.due == INTERVENTION_DUE
    assert sla_breached(state, INTERVENTION_DUE + D) is True


def test_ruling_clock_breach():
    state = apply_ok(open_case(), escalated("buyer", T0 + H))     # ruling due end of Nov 4 local = Nov 4 16:00Z
    assert sla_breached(state, utc(2026, 11, 4, 16, 0) - S) is False
    assert sla_breached(state, utc(2026, 11, 4, 16, 0)) is True


def test_only_the_new_ruling_clock_counts_after_a_rejection():
    state = apply_ok(open_case(), escalated("buyer", T0 + H))
    state, _ = propose(state, CLERK, T0 + D, "refund", "30.00")       # stops the first ruling clock in time
    pid = state.proposals["platform"].proposal_id
    from tests.unit.feed_builders import rejected
    state = apply_ok(state, rejected("buyer", pid, utc(2026, 11, 6, 2, 0)))
    new_due = utc(2026, 11, 9, 16, 0)
    assert sla_breached(state, new_due - S) is False                # old clock stopped before its due
    assert sla_breached(state, new_due) is True


def test_pending_approval_stops_the_platform_clocks():
    big = open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"))
    state, _ = rule(big, CLERK, T0 + H, "buyer")
    assert state.stage == "pending_approval"
    assert sla_breached(state, utc(2027, 1, 1)) is False
    assert case_json(state, utc(2027, 1, 1))["deadlines"] == []


# --- pending approval, claims, outcome --------------------------------------------------------------

def test_pending_ruling_in_show():
    big = open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"))
    state, _ = rule(big, CLERK, T0 + H, "buyer")
    pending = case_json(state, T0 + H)["pending_approval"]
    assert {k: pending[k] for k in ("what", "by", "adopt", "proposal")} == {
        "what": "ruling", "by": "alice", "adopt": "buyer",
        "proposal": {"proposal_id": "P-1", "remedy": "refund", "refund": {"amount": "800.00", "currency": "USD"}},
    }


def test_pending_platform_proposal_in_show():
    big = open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"))
    state, _ = propose(big, CLERK, T0 + H, "refund", "100.00")
    state, _ = propose(state, CLERK, T0 + 2 * H, "refund", "600.00")
    case = case_json(state, T0 + 2 * H)
    assert case["stage"] == "pending_approval"
    pending = case["pending_approval"]
    assert pending["what"] == "platform_proposal" and pending["by"] == "alice"
    assert "adopt" not in pending
    assert pending["proposal"]["refund"] == {"amount": "600.00", "currency": "USD"}
    assert case["proposals"]["platform"]["proposal_id"] == "D-1-PL1"       # the previous one stays
    assert case["proposals"]["platform"]["refund"] == {"amount": "100.00", "currency": "USD"}
    approved, _ = approve(state, SUPERVISOR, T0 + 3 * H)
    case = case_json(approved, T0 + 3 * H)
    assert case["pending_approval"] is None
    assert case["proposals"]["platform"]["proposal_id"] == "D-1-PL2"


def test_assigned_to_is_null_once_the_lease_lapses():
    state, _ = claim(open_case(), CLERK, T0)
    assert case_json(state, T0 + timedelta(minutes=30) - S)["assigned_to"] == "alice"
    assert case_json(state, T0 + timedelta(minutes=30))["assigned_to"] is None


def test_status_stays_open_through_the_return_stages():
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    assert case_json(state, T0 + H)["status"] == "open"
    state = apply_ok(state, return_shipped(T0 + 2 * H))
    case = case_json(state, T0 + 2 * H)
    assert (case["status"], case["stage"], case["outcome"]["return_status"]) == (
        "open", "awaiting_return_receipt", "awaiting_receipt")


# --- storage form -----------------------------------------------------------------------------------

def test_state_survives_a_json_round_trip():
    big = open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"), delivered_at=T0 - D, promised=20)
    state = apply_ok(big, posted("seller", "S-1", T0 + H, remedy="return_and_refund", amount="300.00",
                                 payer="seller"))
    state, _ = propose(state, CLERK, T0 + 2 * H, "refund", "100.00")
    state = apply_ok(state, accepted("seller", "D-1-PL1", T0 + 3 * H))
    state, _ = propose(state, CLERK, T0 + 4 * H, "refund", "700.00")
    state, _ = claim(state, CLERK, T0 + 4 * H)
    for s in (state, open_case(), execute_expiries(open_case(kind="return_and_refund"), POLICY, utc(2027, 1, 1))[0]):
        data = s.to_json()
        back = DisputeState.from_json(data)
        assert back == s
        assert back.to_json() == data
    assert DisputeState.from_json(state.to_json()).pending.proposal.refund == state.pending.proposal.refund
