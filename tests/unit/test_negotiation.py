"""§2/§3 feed rules while the parties negotiate: who must act, clocks, acceptance, escalation,
cancellation, evidence and messages, order of events, closed disputes."""
import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.feed_builders import (
    T0, D, H, S, accepted, apply_ok, apply_rejected, cancelled, escalated, evidence, judge, message, open_case,
    platform_clock, posted, rejected, return_received, return_shipped, withdrawn,
)
from mediator_app.domain.evidence import EVIDENCE_MAX_BYTES
from mediator_app.domain.feed_rules import apply_event
from mediator_app.domain.money import Money
from mediator_app.domain.errors import Rejection
from mediator_app.domain.events import parse_event
from mediator_app.domain.time import format_utc
from mediator_app.domain.transitions import who_must_act

RESPONSE = timedelta(hours=120)


def clock_of(state):
    c = state.party_clock
    return (c.clock, c.party, c.started_at, c.due)


# --- who must act ----------------------------------------------------------------------------------

def test_who_must_act_rules():
    state = open_case().copy()  # a draft: states themselves are immutable
    assert who_must_act(state) == "seller"                       # buyer has one, seller none
    state.proposals["buyer"] = None
    assert who_must_act(state) == "buyer"                        # buyer none wins
    state.proposals["seller"] = state.proposals["platform"] = None
    state.last_mover = "seller"
    assert who_must_act(state) == "buyer"
    state = open_case().copy()
    state.proposals["seller"] = state.proposals["buyer"]
    state.last_mover = "seller"
    assert who_must_act(state) == "buyer"                        # both: the one that did not move last
    state.last_mover = "buyer"
    assert who_must_act(state) == "seller"
    assert who_must_act(state.freeze()) == "seller"


def test_seller_counter_makes_the_buyer_act_from_the_counter():
    at = T0 + 2 * H
    state = apply_ok(open_case(), posted("seller", "S-1", at))
    assert state.stage == "awaiting_buyer"
    assert clock_of(state) == ("buyer_response", "buyer", at, at + RESPONSE)
    assert state.proposals["seller"].refund == Money(Decimal("20.00"), "USD")
    assert state.proposals["buyer"].proposal_id == "P-1"
    assert state.version == 2
    assert state.last_feed_at == at


def test_buyer_counter_makes_the_seller_act_again():
    t1, t2 = T0 + D, T0 + 2 * D
    state = apply_ok(open_case(), posted("seller", "S-1", t1), posted("buyer", "P-2", t2, amount="50.00"))
    assert state.stage == "awaiting_seller"
    assert clock_of(state) == ("seller_response", "seller", t2, t2 + RESPONSE)
    assert state.proposals["buyer"].proposal_id == "P-2"     # supersedes P-1
    assert state.version == 3


def test_post_restarts_the_clock_even_when_the_same_party_must_act():
    t1 = T0 + 3 * D
    state = apply_ok(open_case(), posted("buyer", "P-2", t1, amount="60.00"))
    assert state.stage == "awaiting_seller"                  # the seller was already the one to act
    assert clock_of(state) == ("seller_response", "seller", t1, t1 + RESPONSE)
    assert state.party_clock.due != T0 + RESPONSE
    t2 = t1 + 4 * D
    state = apply_ok(state, posted("buyer", "P-3", t2, amount="55.00"))
    assert clock_of(state) == ("seller_response", "seller", t2, t2 + RESPONSE)
    assert state.party_clock.started_by.startswith("proposal.posted ")


def test_withdraw_restarts_the_clock_even_when_the_same_party_must_act():
    t1, t2 = T0 + D, T0 + 2 * D
    # seller counters (buyer must act), buyer counters (seller must act), seller withdraws: seller still acts
    state = apply_ok(open_case(), posted("seller", "S-1", t1), posted("buyer", "P-2", t1 + H))
    assert state.stage == "awaiting_seller"
    state = apply_ok(state, withdrawn("seller", "S-1", t2))
    assert state.stage == "awaiting_seller"
    assert clock_of(state) == ("seller_response", "seller", t2, t2 + RESPONSE)
    assert state.proposals["seller"] is None


def test_withdrawing_makes_the_withdrawing_party_act():
    t1, t2 = T0 + D, T0 + 2 * D
    # seller counters (buyer must act); seller withdraws: the seller must act, not the buyer
    state = apply_ok(open_case(), posted("seller", "S-1", t1))
    assert state.stage == "awaiting_buyer"
    state = apply_ok(state, withdrawn("seller", "S-1", t2))
    assert state.stage == "awaiting_seller"
    assert clock_of(state) == ("seller_response", "seller", t2, t2 + RESPONSE)


def test_buyer_withdrawal_makes_the_buyer_act():
    t1 = T0 + D
    state = apply_ok(open_case(), withdrawn("buyer", "P-1", t1))
    assert state.stage == "awaiting_buyer"
    assert clock_of(state) == ("buyer_response", "buyer", t1, t1 + RESPONSE)
    assert state.proposals["buyer"] is None


def test_seller_withdrawal_leaving_buyer_without_proposal_means_awaiting_buyer():
    t1, t2, t3 = T0 + D, T0 + 2 * D, T0 + 3 * D
    state = apply_ok(open_case(), posted("seller", "S-1", t1), withdrawn("buyer", "P-1", t2))
    assert state.stage == "awaiting_buyer"
    state = apply_ok(state, withdrawn("seller", "S-1", t3))
    # the first rule of "who must act" wins over "the withdrawing party acts"
    assert state.stage == "awaiting_buyer"
    assert clock_of(state) == ("buyer_response", "buyer", t3, t3 + RESPONSE)
    assert state.proposals == {"buyer": None, "seller": None, "platform": None}


def test_seller_posting_while_buyer_has_none_keeps_the_buyer_acting():
    t1, t2 = T0 + D, T0 + 2 * D
    state = apply_ok(open_case(), withdrawn("buyer", "P-1", t1), posted("seller", "S-1", t2))
    assert state.stage == "awaiting_buyer"
    assert clock_of(state) == ("buyer_response", "buyer", t2, t2 + RESPONSE)


def test_buyer_reposting_after_withdrawal_makes_the_seller_act():
    t1, t2 = T0 + D, T0 + 2 * D
    state = apply_ok(open_case(), withdrawn("buyer", "P-1", t1), posted("buyer", "P-2", t2))
    assert state.stage == "awaiting_seller"
    assert clock_of(state) == ("seller_response", "seller", t2, t2 + RESPONSE)


def test_withdrawing_only_the_own_active_proposal():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    for obj in (withdrawn("seller", "P-1", T0 + 2 * H),     # the buyer's
                withdrawn("buyer", "S-1", T0 + 2 * H),      # the seller's
                withdrawn("buyer", "P-404", T0 + 2 * H)):   # unknown
        j = apply_rejected(state, obj)
        assert "active proposal" in j.rejection
        assert j.state.version == state.version
    state2 = apply_ok(state, posted("seller", "S-2", T0 + 3 * H))
    j = apply_rejected(state2, withdrawn("seller", "S-1", T0 + 4 * H))  # superseded
    assert "active proposal" in j.rejection


def test_proposal_id_already_used_is_rejected():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H), posted("seller", "S-2", T0 + 2 * H))
    for obj in (posted("seller", "S-1", T0 + 3 * H),   # own superseded id
                posted("seller", "P-1", T0 + 3 * H),   # the other party's id
                posted("buyer", "S-2", T0 + 3 * H)):
        j = apply_rejected(state, obj)
        assert "already used" in j.rejection
    state = apply_ok(state, withdrawn("seller", "S-2", T0 + 4 * H))
    assert "already used" in apply_rejected(state, posted("seller", "S-2", T0 + 5 * H)).rejection


@pytest.mark.parametrize("remedy,amount", [("no_refund", None), ("return_and_refund", "30.00"),
                                           ("refund", "66.65")])
def test_after_opening_any_remedy_is_allowed(remedy, amount):
    state = apply_ok(open_case(kind="only_refund"), posted("seller", "S-1", T0 + H, remedy=remedy, amount=amount))
    assert state.proposals["seller"].remedy == remedy


@pytest.mark.parametrize("amount,currency,match", [
    ("66.66", "USD", "above the order total"), ("10.00", "EUR", "not the order's currency"),
    (10.0, "USD", "decimal string"), ("1.005", "USD", "minor digits"),
])
def test_posted_proposal_amount_rules(amount, currency, match):
    j = apply_rejected(open_case(), posted("seller", "S-1", T0 + H, amount=amount, currency=currency))
    assert match in j.rejection
    assert j.state.proposals["seller"] is None


# --- acceptance -------------------------------------------------------------------------------------

def test_buyer_accepting_the_seller_counter_is_negotiation_consensus():
    t1, t2 = T0 + D, T0 + 2 * D
    state = apply_ok(open_case(), posted("seller", "S-1", t1), accepted("buyer", "S-1", t2))
    assert state.stage == "closed" and state.status == "closed"
    o = state.outcome
    assert (o.reached_type, o.adopted, o.refund, o.return_required, o.return_status, o.resolved_at) == (
        "negotiation_consensus", "seller", Money(Decimal("20.00"), "USD"), False, "none", t2)
    assert state.party_clock is None
    assert platform_clock(state, "platform_intervention").stopped_at == t2
    assert state.version == 3


def test_seller_accepting_the_buyer_proposal():
    state = apply_ok(open_case(), accepted("seller", "P-1", T0 + H))
    assert (state.outcome.reached_type, state.outcome.adopted) == ("negotiation_consensus", "buyer")
    assert state.outcome.refund == Money(Decimal("66.65"), "USD")


def test_accepting_no_refund_closes_without_refund():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H, remedy="no_refund", amount=None),
                     accepted("buyer", "S-1", T0 + 2 * H))
    assert state.stage == "closed"
    assert state.outcome.refund is None
    assert state.outcome.adopted == "seller"


def test_stale_acceptance_is_rejected():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H), posted("seller", "S-2", T0 + 2 * H,
                                                                          amount="25.00"))
    j = apply_rejected(state, accepted("buyer", "S-1", T0 + 3 * H))
    assert "stale" in j.rejection
    assert j.state.stage == "awaiting_buyer" and j.state.outcome is None
    assert j.state.version == state.version
    done = apply_ok(state, accepted("buyer", "S-2", T0 + 3 * H))
    assert done.outcome.refund == Money(Decimal("25.00"), "USD")


def test_accepting_a_withdrawn_proposal_is_rejected():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H), withdrawn("seller", "S-1", T0 + 2 * H))
    assert "stale" in apply_rejected(state, accepted("buyer", "S-1", T0 + 3 * H)).rejection


def test_accepting_an_unknown_id_is_rejected():
    assert "stale or unknown" in apply_rejected(open_case(), accepted("seller", "X-9", T0 + H)).rejection


def test_accepting_the_own_proposal_is_rejected():
    j = apply_rejected(open_case(), accepted("buyer", "P-1", T0 + H))
    assert "own proposal" in j.rejection
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    assert "own proposal" in apply_rejected(state, accepted("seller", "S-1", T0 + 2 * H)).rejection


def test_accepting_a_return_goes_through_the_return_stages():
    at = T0 + D
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", at))
    assert state.stage == "awaiting_return_shipment"
    assert state.status == "open"
    assert state.outcome.return_required is True
    assert state.outcome.return_status == "awaiting_shipment"
    assert clock_of(state) == ("return_shipment", "buyer", at, at + timedelta(hours=240))


# --- escalation and cancellation ---------------------------------------------------------------------

@pytest.mark.parametrize("pre", [[], [posted("seller", "S-1", T0 + H)]])
@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_escalation_enters_platform_review_with_a_ruling_clock(pre, who):
    at = T0 + D  # 2026-11-02T02:00Z = 10:00 in Shanghai on Nov 2
    state = apply_ok(open_case(), *pre, escalated(who, at))
    assert state.stage == "platform_review"
    assert state.party_clock is None
    ruling = platform_clock(state, "platform_ruling")
    assert ruling.started_at == at
    assert format_utc(ruling.due) == "2026-11-05T16:00:00Z"   # end of Nov 5, Shanghai
    assert ruling.stopped_at is None
    # the intervention clock keeps running until the first platform proposal or ruling
    assert platform_clock(state, "platform_intervention").stopped_at is None


def test_ruling_clock_counts_days_in_the_platform_zone():
    # 2026-11-02T16:30Z is already Nov 3 in Shanghai: due by the end of Nov 6 local
    state = apply_ok(open_case(), escalated("buyer", "2026-11-02T16:30:00Z"))
    assert format_utc(platform_clock(state, "platform_ruling").due) == "2026-11-06T16:00:00Z"
    state = apply_ok(open_case(), escalated("buyer", "2026-11-03T23:59:00+08:00"))
    assert format_utc(platform_clock(state, "platform_ruling").due) == "2026-11-06T16:00:00Z"


def test_escalation_is_not_allowed_in_platform_review():
    state = apply_ok(open_case(), escalated("buyer", T0 + H))
    j = apply_rejected(state, escalated("seller", T0 + 2 * H))
    assert "not allowed in stage platform_review" in j.rejection
    assert len([c for c in j.state.platform_clocks if c.clock == "platform_ruling"]) == 1


def test_posting_and_withdrawing_in_platform_review_change_proposals_not_stage():
    state = apply_ok(open_case(), escalated("buyer", T0 + H))
    before = tuple(state.platform_clocks)
    state = apply_ok(state, posted("seller", "S-1", T0 + 2 * H), withdrawn("buyer", "P-1", T0 + 3 * H),
                     posted("buyer", "P-2", T0 + 4 * H, amount="30.00"))
    assert state.stage == "platform_review"
    assert state.party_clock is None
    assert state.platform_clocks == before
    assert state.proposals["seller"].proposal_id == "S-1"
    assert state.proposals["buyer"].proposal_id == "P-2"
    assert state.version == 5


def test_accepting_in_platform_review_resolves():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H), escalated("buyer", T0 + 2 * H),
                     accepted("buyer", "S-1", T0 + 3 * H))
    assert state.outcome.reached_type == "negotiation_consensus"
    assert all(c.stopped_at == T0 + 3 * H for c in state.platform_clocks)


@pytest.mark.parametrize("pre", [[], [posted("seller", "S-1", T0 + H)], [escalated("seller", T0 + H)]])
def test_cancellation_closes_with_no_refund(pre):
    at = T0 + D
    state = apply_ok(open_case(), *pre, cancelled(at))
    assert state.stage == "closed"
    o = state.outcome
    assert (o.reached_type, o.adopted, o.refund, o.return_status, o.resolved_at) == (
        "buyer_cancelled", None, None, "none", at)
    assert state.party_clock is None
    assert all(c.stopped_at is not None for c in state.platform_clocks)


def test_cancellation_not_allowed_once_resolved():
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    j = apply_rejected(state, cancelled(T0 + 2 * H))
    assert "awaiting_return_shipment" in j.rejection
    state = apply_ok(state, return_shipped(T0 + 3 * H))
    assert "awaiting_return_receipt" in apply_rejected(state, cancelled(T0 + 4 * H)).rejection


def test_escalation_not_allowed_in_return_stages():
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    assert "not allowed" in apply_rejected(state, escalated("buyer", T0 + 2 * H)).rejection


def test_proposal_changes_not_allowed_in_return_stages():
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    assert "not allowed" in apply_rejected(state, posted("seller", "S-1", T0 + 2 * H)).rejection
    assert "not allowed" in apply_rejected(state, withdrawn("buyer", "P-1", T0 + 2 * H)).rejection


def test_rejecting_a_party_proposal_is_rejected():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    j = apply_rejected(state, rejected("buyer", "S-1", T0 + 2 * H))
    assert "only a platform proposal can be rejected" in j.rejection
    j = apply_rejected(open_case(), rejected("seller", "P-1", T0 + H))
    assert "only a platform proposal can be rejected" in j.rejection


# --- returns -----------------------------------------------------------------------------------------

def test_return_shipped_and_received():
    t1, t2, t3 = T0 + D, T0 + 3 * D, T0 + 6 * D
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", t1))
    state = apply_ok(state, return_shipped(t2))
    assert state.stage == "awaiting_return_receipt"
    assert state.status == "open"
    assert state.outcome.return_status == "awaiting_receipt"
    assert clock_of(state) == ("return_receipt", "seller", t2, t2 + timedelta(hours=360))
    state = apply_ok(state, return_received(t3))
    assert state.stage == "closed" and state.status == "closed"
    assert state.outcome.return_status == "received"
    assert state.outcome.refund == Money(Decimal("66.65"), "USD")
    assert state.outcome.resolved_at == t1
    assert state.party_clock is None
    assert state.version == 4


def test_return_events_only_in_their_stage():
    state = open_case(kind="return_and_refund")
    assert "not allowed in stage awaiting_seller" in apply_rejected(state, return_shipped(T0 + H)).rejection
    assert "not allowed in stage awaiting_seller" in apply_rejected(state, return_received(T0 + H)).rejection
    state = apply_ok(state, accepted("seller", "P-1", T0 + H))
    assert "awaiting_return_shipment" in apply_rejected(state, return_received(T0 + 2 * H)).rejection
    state = apply_ok(state, return_shipped(T0 + 2 * H))
    assert "awaiting_return_receipt" in apply_rejected(state, return_shipped(T0 + 3 * H)).rejection


def test_return_shipped_needs_a_tracking_number():
    state = apply_ok(open_case(kind="return_and_refund"), accepted("seller", "P-1", T0 + H))
    assert "tracking_number" in apply_rejected(state, return_shipped(T0 + 2 * H, tracking="")).rejection


# --- closed disputes ---------------------------------------------------------------------------------

@pytest.fixture
def closed_state():
    return apply_ok(open_case(), accepted("seller", "P-1", T0 + H))


@pytest.mark.parametrize("make", [
    lambda at: posted("seller", "S-1", at), lambda at: withdrawn("buyer", "P-1", at),
    lambda at: accepted("seller", "P-1", at), lambda at: escalated("buyer", at), lambda at: cancelled(at),
    lambda at: rejected("buyer", "PL-1", at), lambda at: return_shipped(at), lambda at: return_received(at),
])
def test_closed_dispute_rejects_everything_but_messages_and_evidence(closed_state, make):
    j = apply_rejected(closed_state, make(T0 + 2 * H))
    assert "closed" in j.rejection
    assert j.state.version == closed_state.version
    assert j.changes == []


def test_closed_dispute_keeps_messages_and_evidence(closed_state):
    state = apply_ok(closed_state, message("buyer", T0 + 2 * H, "thanks"), evidence("seller", T0 + 3 * H))
    assert state.stage == "closed"
    assert state.version == closed_state.version + 2
    assert state.outcome == closed_state.outcome


# --- order of feed events ----------------------------------------------------------------------------

def test_event_dated_before_the_last_applied_feed_event_is_rejected():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + 2 * D))
    j = apply_rejected(state, message("buyer", T0 + 2 * D - S))
    assert "out of order" in j.rejection
    assert j.state.version == 2


def test_event_dated_before_the_opening_is_rejected():
    j = apply_rejected(open_case(), message("buyer", T0 - S))
    assert "out of order" in j.rejection


def test_event_at_the_same_instant_as_the_last_is_in_order():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + D), accepted("buyer", "S-1", T0 + D))
    assert state.outcome.reached_type == "negotiation_consensus"


def test_rejected_event_does_not_move_the_order_mark():
    state = open_case()
    j = apply_rejected(state, accepted("seller", "X-1", T0 + 3 * D))
    assert j.state.last_feed_at == T0
    apply_ok(j.state, message("buyer", T0 + D))


def test_clerk_free_feed_order_uses_instants_not_offsets():
    state = apply_ok(open_case(), message("buyer", "2026-11-02T10:00:00+08:00"))
    # 2026-11-02T01:59:59Z is earlier than 10:00+08:00 (02:00Z) on the same day
    assert "out of order" in apply_rejected(state, message("buyer", "2026-11-02T01:59:59Z")).rejection
    apply_ok(state, message("buyer", "2026-11-01T21:00:00-05:00"))  # = 2026-11-02T02:00Z


def test_second_opening_is_rejected_by_apply_event():
    state = open_case()
    from tests.unit.feed_builders import opened
    with pytest.raises(Rejection, match="already exists"):
        apply_event(state, parse_event(opened(at=T0 + H)))


# --- evidence and messages ----------------------------------------------------------------------------

#: the shortest bytes with each accepted type's own signature (decision 150)
SIGNED = {"image/jpeg": b"\xff\xd8\xff\xe0 jpeg", "image/png": b"\x89PNG\r\n\x1a\n png",
          "image/webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ", "application/pdf": b"%PDF-1.4 evidence",
          "video/mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00"}


@pytest.mark.parametrize("media_type", ["image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4"])
def test_allowed_evidence_types(media_type):
    content = SIGNED[media_type] + b" evidence " + media_type.encode()
    j = judge(open_case(), evidence("seller", T0 + H, content=content, media_type=media_type, filename="f"))
    assert j.rejection is None
    change = j.changes[-1]
    assert change.kind == "evidence.added"
    assert change.attachment == content
    assert change.payload == {"filename": "f", "media_type": media_type,
                              "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    assert "_attachment" not in change.payload
    assert j.state.version == 2
    assert j.state.stage == "awaiting_seller"
    assert j.state.party_clock.due == T0 + RESPONSE   # evidence does not restart a clock


@pytest.mark.parametrize("media_type", ["image/gif", "text/plain", "application/zip", "IMAGE/PNG", None])
def test_other_evidence_types_are_rejected(media_type):
    j = apply_rejected(open_case(), evidence("buyer", T0 + H, media_type=media_type))
    assert "evidence type" in j.rejection


def test_evidence_sha256_must_match():
    j = apply_rejected(open_case(), evidence("buyer", T0 + H, content=b"abc",
                                             sha256=hashlib.sha256(b"abd").hexdigest()))
    assert "sha256 does not match" in j.rejection


def test_evidence_sha256_in_upper_case_is_accepted():
    content = SIGNED["image/png"] + b"abc"
    apply_ok(open_case(), evidence("buyer", T0 + H, content=content,
                                   sha256=hashlib.sha256(content).hexdigest().upper()))


@pytest.mark.parametrize("b64", ["not base64!", "Y", "YWJ", "YW Jj", "YWJj\n"])
def test_evidence_with_bad_base64_is_rejected(b64):
    j = apply_rejected(open_case(), evidence("buyer", T0 + H, content_base64=b64, sha256="0" * 64))
    assert "base64" in j.rejection


def test_evidence_above_10_mib_is_rejected():
    content = b"\0" * (EVIDENCE_MAX_BYTES + 1)
    j = apply_rejected(open_case(), evidence("buyer", T0 + H, content=content, media_type="video/mp4"))
    assert "10 MiB" in j.rejection


def test_evidence_of_exactly_10_mib_is_accepted():
    assert EVIDENCE_MAX_BYTES == 10 * 1024 * 1024
    content = SIGNED["video/mp4"].ljust(EVIDENCE_MAX_BYTES, b"\0")
    state = apply_ok(open_case(), evidence("buyer", T0 + H, content=content, media_type="video/mp4"))
    assert state.version == 2


def test_evidence_needs_filename_and_content():
    obj = evidence("buyer", T0 + H)
    del obj["content_base64"]
    assert "content_base64" in apply_rejected(open_case(), obj).rejection
    assert "filename" in apply_rejected(open_case(), evidence("buyer", T0 + H, filename="")).rejection


def test_message_up_to_4000_characters():
    text = "é" * 4000    # characters, not bytes
    j = judge(open_case(), message("seller", T0 + H, text))
    assert j.rejection is None
    assert j.changes[-1].payload == {"text": text}
    j = apply_rejected(open_case(), message("seller", T0 + H, "x" * 4001))
    assert "4000" in j.rejection


@pytest.mark.parametrize("text", ["", "   ", None, 5])
def test_empty_or_non_text_message_is_rejected(text):
    apply_rejected(open_case(), message("buyer", T0 + H, text))


def test_message_does_not_change_stage_or_clock():
    state = open_case()
    after = apply_ok(state, message("buyer", T0 + D, "where is my parcel?"))
    assert after.stage == state.stage
    assert after.party_clock == state.party_clock
    assert after.version == 2


# --- versions and purity -----------------------------------------------------------------------------

def test_every_applied_event_is_exactly_one_version_step():
    state = open_case(kind="return_and_refund")
    events = [posted("seller", "S-1", T0 + H, remedy="return_and_refund", amount="40.00"),
              message("buyer", T0 + 2 * H), withdrawn("seller", "S-1", T0 + 3 * H),
              posted("seller", "S-2", T0 + 4 * H, remedy="return_and_refund", amount="45.00"),
              evidence("buyer", T0 + 5 * H), accepted("buyer", "S-2", T0 + 6 * H),
              return_shipped(T0 + 7 * H), return_received(T0 + 8 * H), message("seller", T0 + 9 * H)]
    for expected, obj in enumerate(events, start=2):
        j = judge(state, obj)
        assert j.rejection is None, j.rejection
        assert [c.version_after for c in j.changes] == [expected]
        assert j.changes[-1].kind == obj["type"]
        assert j.changes[-1].event_id == obj["event_id"]
        state = j.state
        assert state.version == expected


def test_rejected_event_leaves_the_version_alone():
    state = open_case()
    j = apply_rejected(state, accepted("buyer", "P-1", T0 + H))
    assert j.state.version == 1
    assert j.changes == []


def test_judging_does_not_change_the_input_state():
    state = apply_ok(open_case(), posted("seller", "S-1", T0 + H))
    snapshot = state.to_json()
    judge(state, accepted("buyer", "S-1", T0 + 2 * H))
    judge(state, withdrawn("seller", "S-1", T0 + 2 * H))
    judge(state, posted("buyer", "P-2", T0 + 2 * H))
    judge(state, escalated("buyer", T0 + 2 * H))
    judge(state, cancelled(T0 + 10 * D))
    assert state.to_json() == snapshot
