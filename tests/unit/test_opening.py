"""§2 `dispute.opened` and the common event fields; §3 the opening window."""
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.feed_builders import (
    SHIPPED, T0, D, S, apply_rejected, ev, event, open_case, opened, proposal, sh, utc,
)
from mediator_app.domain.errors import Rejection
from mediator_app.domain.events import parse_event, parse_line
from mediator_app.domain.feed_rules import open_dispute, opening_window
from mediator_app.domain.money import Money
from mediator_app.domain.policy import ALIEXPRESS_2024
from mediator_app.domain.time import format_utc


def open_obj(obj):
    return open_dispute(ev(obj))


def test_opening_creates_the_dispute_awaiting_the_seller():
    state, change = open_obj(opened(at="2026-11-01T10:00:00+08:00", event_id="E-OPEN"))
    assert state.dispute_id == "D-1"
    assert state.stage == "awaiting_seller"
    assert state.status == "open"
    assert state.version == 1
    assert state.opened_at == T0
    assert state.last_feed_at == T0
    assert state.kind == "only_refund"
    assert state.reason == "not_received"
    assert state.policy == "aliexpress-2024"
    assert state.order.total == Money(Decimal("66.65"), "USD")
    assert state.proposals["buyer"].proposal_id == "P-1"
    assert state.proposals["seller"] is None and state.proposals["platform"] is None
    assert state.used_proposal_ids == ("P-1",)
    assert state.outcome is None and state.pending is None and state.assigned_to is None
    # the seller's 120 h clock from the opening
    clock = state.party_clock
    assert (clock.clock, clock.party, clock.started_at) == ("seller_response", "seller", T0)
    assert format_utc(clock.due) == "2026-11-06T02:00:00Z"
    # the platform intervention clock: end of the 7th calendar day in Shanghai
    [pc] = state.platform_clocks
    assert pc.clock == "platform_intervention"
    assert format_utc(pc.due) == "2026-11-08T16:00:00Z"
    assert pc.stopped_at is None
    assert (change.kind, change.version_after, change.party, change.actor, change.event_id) == (
        "dispute.opened", 1, "buyer", "feed", "E-OPEN")


@pytest.mark.parametrize("at,due", [
    (sh(2026, 11, 1, 23, 59), "2026-11-08T16:00:00Z"),   # last minute of Nov 1 in Shanghai
    (sh(2026, 11, 2, 0, 1), "2026-11-09T16:00:00Z"),     # first minute of Nov 2 in Shanghai
    (utc(2026, 11, 1, 16, 30), "2026-11-09T16:00:00Z"),  # Nov 1 in UTC, already Nov 2 in Shanghai
    (utc(2026, 11, 1, 15, 59), "2026-11-08T16:00:00Z"),  # still Nov 1 in Shanghai
])
def test_platform_intervention_counts_days_in_the_platform_zone(at, due):
    state = open_case(at=at)
    assert format_utc(state.platform_clocks[0].due) == due
    assert state.party_clock.due == at + timedelta(hours=120)


def test_opening_with_a_shanghai_offset_and_the_same_utc_instant_is_the_same_dispute():
    a = open_case(at="2026-11-01T10:00:00+08:00", event_id="E-1")
    b = open_case(at="2026-11-01T02:00:00Z", event_id="E-1")
    assert a.to_json() == b.to_json()


# --- the opening window (both ends inclusive) --------------------------------------------------------

def test_window_default_is_shipped_plus_10_days_until_shipped_plus_75_days():
    state = open_case(at=SHIPPED + 10 * D)
    earliest, latest = opening_window(state.order, ALIEXPRESS_2024)
    assert earliest == SHIPPED + 10 * D
    assert latest == SHIPPED + (60 + 15) * D


@pytest.mark.parametrize("offset,ok", [
    (10 * D - S, False), (10 * D, True), (75 * D, True), (75 * D + S, False),
])
def test_window_without_delivery_or_promise(offset, ok):
    obj = opened(at=SHIPPED + offset, shipped_at=SHIPPED)
    if ok:
        assert open_obj(obj)[0].opened_at == SHIPPED + offset
    else:
        with pytest.raises(Rejection, match="opening window"):
            open_obj(obj)


@pytest.mark.parametrize("promised,offset,ok", [
    (4, timedelta(0), True), (4, -S, False), (0, timedelta(0), True),
    (4, 19 * D, True), (4, 19 * D + S, False),        # shipped + 4 + 15 days
    (5, 10 * D - S, False), (5, 10 * D, True),         # 5 is not below 5: wait 10 days
    (5, 20 * D, True), (5, 20 * D + S, False),
    (30, 45 * D, True), (30, 45 * D + S, False),
])
def test_window_with_promised_delivery_days(promised, offset, ok):
    obj = opened(at=SHIPPED + offset, shipped_at=SHIPPED, promised=promised)
    if ok:
        open_obj(obj)
    else:
        with pytest.raises(Rejection, match="opening window"):
            open_obj(obj)


@pytest.mark.parametrize("offset,ok", [(15 * D, True), (15 * D + S, False)])
def test_window_ends_15_days_after_delivery(offset, ok):
    delivered = SHIPPED + 3 * D
    obj = opened(at=delivered + offset, shipped_at=SHIPPED, delivered_at=delivered)
    if ok:
        open_obj(obj)
    else:
        with pytest.raises(Rejection, match="opening window"):
            open_obj(obj)


def test_delivery_ends_the_window_even_when_the_promise_would_allow_more():
    delivered = SHIPPED + 11 * D
    obj = opened(at=delivered + 16 * D, shipped_at=SHIPPED, delivered_at=delivered)  # < shipped + 75 d
    with pytest.raises(Rejection, match="opening window"):
        open_obj(obj)


def test_short_promise_opens_at_once_even_with_delivery():
    delivered = SHIPPED + 2 * D
    open_obj(opened(at=SHIPPED + D, shipped_at=SHIPPED, delivered_at=delivered, promised=3))


def test_window_compares_instants_not_wall_times():
    # shipped 2026-10-20T10:00+08:00; ten days later is 2026-10-30T02:00Z, written in another offset
    shipped = "2026-10-20T10:00:00+08:00"
    open_obj(opened(at="2026-10-29T21:00:00-05:00", shipped_at=shipped))
    with pytest.raises(Rejection, match="opening window"):
        open_obj(opened(at="2026-10-29T20:59:59-05:00", shipped_at=shipped))


# --- kind and the opening proposal -----------------------------------------------------------------

@pytest.mark.parametrize("kind,remedy", [
    ("only_refund", "return_and_refund"), ("only_refund", "no_refund"),
    ("return_and_refund", "refund"), ("return_and_refund", "no_refund"),
])
def test_opening_proposal_must_match_the_kind(kind, remedy):
    with pytest.raises(Rejection, match="must open with remedy"):
        open_obj(opened(kind=kind, prop=proposal("P-1", remedy, "10.00")))


def test_return_and_refund_opening():
    state = open_case(kind="return_and_refund", prop=proposal("P-1", "return_and_refund", "66.65", payer="seller"))
    assert state.kind == "return_and_refund"
    assert state.proposals["buyer"].return_shipping_paid_by == "seller"


@pytest.mark.parametrize("kind", ["partial", None, "ONLY_REFUND"])
def test_unknown_kind_is_rejected(kind):
    with pytest.raises(Rejection, match="kind"):
        open_obj(opened(kind=kind, prop=proposal("P-1", "refund", "10.00")))


@pytest.mark.parametrize("prop,match", [
    (proposal("P-1", "refund", "66.66"), "above the order total"),
    (proposal("P-1", "refund", "10.00", currency="EUR"), "not the order's currency"),
    (proposal("P-1", "refund", 10.0), "decimal string"),
    (proposal("P-1", "refund", "10.001"), "minor digits"),
    (proposal("P-1", "refund", "0.00"), "greater than zero"),
    (proposal("P-1", "refund", None), "needs a refund"),
])
def test_opening_proposal_amount_rules(prop, match):
    with pytest.raises(Rejection, match=match):
        open_obj(opened(prop=prop))


def test_jpy_order_has_no_minor_digits():
    state = open_case(total="75000", currency="JPY", prop=proposal("P-1", "refund", "75000", "JPY"))
    assert state.order.total == Money(Decimal("75000"), "JPY")
    with pytest.raises(Rejection, match="minor digits"):
        open_obj(opened(total="75000", currency="JPY", prop=proposal("P-1", "refund", "100.5", "JPY")))
    with pytest.raises(Rejection, match="minor digits"):
        open_obj(opened(total="75000.00", currency="JPY", prop=proposal("P-1", "refund", "100", "JPY")))


@pytest.mark.parametrize("total", ["0", "0.00", "-5.00"])
def test_order_total_must_be_positive(total):
    with pytest.raises(Rejection):
        open_obj(opened(total=total, prop=proposal("P-1", "refund", "1.00")))


def test_order_total_as_float_is_rejected():
    obj = opened()
    obj["order"]["total"]["amount"] = 66.65
    with pytest.raises(Rejection, match="decimal string"):
        open_obj(obj)


@pytest.mark.parametrize("field", ["shipped_at", "delivered_at"])
def test_order_times_need_an_offset(field):
    obj = opened(delivered_at=SHIPPED + D)
    obj["order"][field] = "2026-10-21T10:00:00"
    with pytest.raises(Rejection, match="offset"):
        open_obj(obj)


def test_event_time_needs_an_offset():
    with pytest.raises(Rejection, match="offset"):
        parse_event(opened(at="2026-11-01T10:00:00"))


def test_delivery_before_shipment_is_rejected():
    with pytest.raises(Rejection, match="before order.shipped_at"):
        open_obj(opened(delivered_at=SHIPPED - S))


@pytest.mark.parametrize("promised", [-1, "4", 4.0, True])
def test_promised_delivery_days_must_be_a_whole_number(promised):
    obj = opened()
    obj["order"]["promised_delivery_days"] = promised
    with pytest.raises(Rejection, match="promised_delivery_days"):
        open_obj(obj)


@pytest.mark.parametrize("field", ["order_id", "buyer_id", "seller_id"])
def test_order_ids_are_required(field):
    obj = opened()
    del obj["order"][field]
    with pytest.raises(Rejection, match=field):
        open_obj(obj)


@pytest.mark.parametrize("mutate", [
    lambda o: o.pop("order"), lambda o: o.__setitem__("order", "O-1"), lambda o: o.pop("reason"),
    lambda o: o.__setitem__("reason", "  "), lambda o: o.pop("proposal"),
])
def test_opening_needs_order_reason_and_proposal(mutate):
    obj = opened()
    mutate(obj)
    with pytest.raises(Rejection):
        open_obj(obj)


def test_policy_may_be_named_and_must_be_known():
    assert open_obj(opened(policy="aliexpress-2024"))[0].policy == "aliexpress-2024"
    with pytest.raises(Rejection, match="unknown policy"):
        open_obj(opened(policy="temu-2030"))


def test_second_dispute_opened_for_an_existing_dispute_is_rejected():
    state = open_case()
    j = apply_rejected(state, opened(at=T0 + D, prop=proposal("P-9", "refund", "10.00")))
    assert "already exists" in j.rejection
    assert j.state.version == 1
    assert j.state.proposals["buyer"].proposal_id == "P-1"


# --- common fields of every event (§2) ---------------------------------------------------------------

def test_parse_event_common_fields():
    fe = parse_event(event("message.posted", "2026-11-02T10:00:00+08:00", "D-7", "seller",
                           event_id="E-42", text="hi"))
    assert (fe.event_id, fe.type, fe.dispute_id, fe.party) == ("E-42", "message.posted", "D-7", "seller")
    assert fe.at == utc(2026, 11, 2, 2, 0)
    assert fe.data["text"] == "hi"


def test_dispute_opened_defaults_to_the_buyer_and_refuses_others():
    assert parse_event(opened()).party == "buyer"
    with pytest.raises(Rejection, match="may not send"):
        parse_event(opened(party="seller"))


@pytest.mark.parametrize("type_,party", [
    ("dispute.cancelled", "seller"), ("dispute.escalated", "platform"), ("return.shipped", "seller"),
    ("return.received", "buyer"), ("proposal.posted", "platform"), ("message.posted", "platform"),
    ("proposal.accepted", "clerk"),
])
def test_party_that_may_not_send_the_event_is_rejected(type_, party):
    with pytest.raises(Rejection, match="may not send"):
        parse_event(event(type_, T0, party=party))


def test_party_is_required_except_for_opening():
    with pytest.raises(Rejection, match="needs a party"):
        parse_event(event("message.posted", T0, text="hi"))


@pytest.mark.parametrize("mutate,match", [
    (lambda o: o.pop("event_id"), "event_id"),
    (lambda o: o.__setitem__("event_id", ""), "event_id"),
    (lambda o: o.__setitem__("event_id", 17), "event_id"),
    (lambda o: o.pop("dispute_id"), "dispute_id"),
    (lambda o: o.__setitem__("type", "dispute.reopened"), "unknown event type"),
    (lambda o: o.pop("type"), "unknown event type"),
    (lambda o: o.pop("at"), "at"),
])
def test_common_fields_are_required(mutate, match):
    obj = event("message.posted", T0, party="buyer", text="hi")
    mutate(obj)
    with pytest.raises(Rejection, match=match):
        parse_event(obj)


@pytest.mark.parametrize("line", ["{not json", "", "[1, 2]", '"text"', "42", "null", '{"a": 1'])
def test_parse_line_rejects_what_is_not_a_json_object(line):
    with pytest.raises(Rejection):
        parse_line(line)


def test_parse_line_reads_an_object():
    assert parse_line('{"event_id": "E-1", "type": "message.posted"}') == {"event_id": "E-1",
                                                                          "type": "message.posted"}


@pytest.mark.parametrize("escape", [r"\ud800", r"\uDFFF", r"\ude00x"])
def test_parse_line_rejects_a_lone_surrogate_escape(escape):
    with pytest.raises(Rejection, match="surrogate"):
        parse_line('{"text": "a' + escape + '"}')


@pytest.mark.parametrize("text,decoded", [(r"\ud83d\ude00", "\U0001F600"), (r"\\ud800", "\\ud800")])
def test_parse_line_keeps_a_surrogate_pair_and_an_escaped_backslash(text, decoded):
    assert parse_line('{"text": "' + text + '"}') == {"text": decoded}
