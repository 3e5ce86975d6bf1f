"""The demo feed generator: reproducible, well-formed, and valid under §2/§3."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from mediator_app.demo import generate_demo_events

NOW = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=timezone.utc)
NOW_SECONDS = NOW.replace(microsecond=0)
COMMON = ("event_id", "type", "at", "dispute_id")
TIME_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
AMOUNT = re.compile(r"^\d+\.\d{2}$")
PARTY_CLOCK_HOURS = {"awaiting_seller": 120, "awaiting_buyer": 120,
                     "awaiting_return_shipment": 240, "awaiting_return_receipt": 360}
OPEN_STAGES = ("awaiting_seller", "awaiting_buyer", "platform_review",
               "awaiting_return_shipment", "awaiting_return_receipt")


def events(count: int = 200, seed: int = 42, now: datetime = NOW) -> list[dict[str, Any]]:
    return list(generate_demo_events(count, seed, now))


def at(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["at"].replace("Z", "+00:00"))


def cents(money: dict[str, str]) -> int:
    whole, frac = money["amount"].split(".")
    return int(whole) * 100 + int(frac)


def moneys(value: Any) -> list[dict[str, Any]]:
    """Every money object nested anywhere in `value`."""
    if isinstance(value, dict):
        found = [value] if set(value) == {"amount", "currency"} else []
        return found + [m for v in value.values() for m in moneys(v)]
    if isinstance(value, list):
        return [m for v in value for m in moneys(v)]
    return []


# --------------------------------------------------------------------------
# An independent replay of the §3 rules the generator must respect
# --------------------------------------------------------------------------

@dataclass
class Case:
    total: int
    currency: str
    stage: str
    last_at: datetime
    clock_due: datetime | None
    proposals: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    used_ids: set[str] = field(default_factory=set)


def opening_window(order: dict[str, Any]) -> tuple[datetime, datetime]:
    shipped = datetime.fromisoformat(order["shipped_at"].replace("Z", "+00:00"))
    promised = order.get("promised_delivery_days")
    earliest = shipped if promised is not None and promised < 5 else shipped + timedelta(days=10)
    if order.get("delivered_at"):
        latest = datetime.fromisoformat(order["delivered_at"].replace("Z", "+00:00")) + timedelta(days=15)
    else:
        latest = shipped + timedelta(days=(promised if promised is not None else 60) + 15)
    return earliest, latest


def check_proposal(case: Case, proposal: dict[str, Any]) -> None:
    assert proposal["proposal_id"] not in case.used_ids, "proposal id reused"
    case.used_ids.add(proposal["proposal_id"])
    if proposal["remedy"] == "no_refund":
        assert "refund" not in proposal and "return_shipping_paid_by" not in proposal
        return
    assert proposal["refund"]["currency"] == case.currency
    assert 0 < cents(proposal["refund"]) <= case.total
    if proposal["remedy"] == "return_and_refund":
        assert proposal["return_shipping_paid_by"] in ("buyer", "seller", "platform")
    else:
        assert proposal["remedy"] == "refund" and "return_shipping_paid_by" not in proposal


def negotiate(case: Case, actor: str, when: datetime) -> None:
    """Who must act (§3) and the restarted 120 h clock."""
    if case.proposals["buyer"] is None:
        must = "buyer"
    elif case.proposals["seller"] is None:
        must = "seller"
    else:
        must = "seller" if actor == "buyer" else "buyer"
    case.stage, case.clock_due = f"awaiting_{must}", when + timedelta(hours=120)


def open_case(ev: dict[str, Any], when: datetime) -> Case:
    order = ev["order"]
    total = order["total"]
    case = Case(cents(total), total["currency"], "new", when, None, {"buyer": None, "seller": None})
    earliest, latest = opening_window(order)
    assert earliest <= when <= latest, f"{ev['dispute_id']} opened outside its window"
    if order.get("delivered_at"):
        shipped = datetime.fromisoformat(order["shipped_at"].replace("Z", "+00:00"))
        delivered = datetime.fromisoformat(order["delivered_at"].replace("Z", "+00:00"))
        assert shipped <= delivered < when, "delivered between shipping and opening"
    remedy = {"only_refund": "refund", "return_and_refund": "return_and_refund"}[ev["kind"]]
    assert ev["proposal"]["remedy"] == remedy
    assert ev["reason"]
    check_proposal(case, ev["proposal"])
    case.proposals["buyer"] = ev["proposal"]
    negotiate(case, "buyer", when)
    return case


def apply(case: Case, ev: dict[str, Any], when: datetime) -> None:
    """Apply one non-opening event, asserting it is allowed where and when it comes."""
    kind, party, stage = ev["type"], ev.get("party"), case.stage
    assert when > case.last_at, "events of a dispute must be in increasing time"
    assert case.clock_due is None or when < case.clock_due, f"{ev['event_id']} after a clock ran out"
    case.last_at = when
    if kind == "message.posted":
        assert party in ("buyer", "seller") and 0 < len(ev["text"]) <= 4000
        return
    if kind == "evidence.added":
        content = base64.b64decode(ev["content_base64"])
        assert ev["media_type"] == "image/png" and content.startswith(b"\x89PNG\r\n\x1a\n")
        assert hashlib.sha256(content).hexdigest() == ev["sha256"]
        return
    assert stage != "closed", f"{kind} on a closed dispute"
    if kind == "proposal.posted":
        assert stage in ("awaiting_seller", "awaiting_buyer") and party in ("buyer", "seller")
        check_proposal(case, ev["proposal"])
        case.proposals[party] = ev["proposal"]
        negotiate(case, party, when)
    elif kind == "proposal.withdrawn":
        assert stage in ("awaiting_seller", "awaiting_buyer")
        assert case.proposals[party] and case.proposals[party]["proposal_id"] == ev["proposal_id"]
        case.proposals[party] = None
        negotiate(case, party, when)
    elif kind == "proposal.accepted":
        assert stage in ("awaiting_seller", "awaiting_buyer", "platform_review")
        other = case.proposals["seller" if party == "buyer" else "buyer"]
        assert other and other["proposal_id"] == ev["proposal_id"], "must accept the other's active proposal"
        if other["remedy"] == "return_and_refund":
            case.stage, case.clock_due = "awaiting_return_shipment", when + timedelta(hours=240)
        else:
            case.stage, case.clock_due = "closed", None
    elif kind == "dispute.escalated":
        assert stage in ("awaiting_seller", "awaiting_buyer") and party in ("buyer", "seller")
        case.stage, case.clock_due = "platform_review", None
    elif kind == "dispute.cancelled":
        assert party == "buyer" and stage in ("awaiting_seller", "awaiting_buyer", "platform_review")
        case.stage, case.clock_due = "closed", None
    elif kind == "return.shipped":
        assert party == "buyer" and stage == "awaiting_return_shipment" and ev["tracking_number"]
        case.stage, case.clock_due = "awaiting_return_receipt", when + timedelta(hours=360)
    elif kind == "return.received":
        assert party == "seller" and stage == "awaiting_return_receipt"
        case.stage, case.clock_due = "closed", None
    else:
        raise AssertionError(f"unexpected event type {kind}")


def replay(stream: list[dict[str, Any]]) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for ev in stream:
        when = at(ev)
        if ev["type"] == "dispute.opened":
            assert ev["dispute_id"] not in cases, "a dispute opens once"
            cases[ev["dispute_id"]] = open_case(ev, when)
        else:
            apply(cases[ev["dispute_id"]], ev, when)
    return cases


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------

def test_same_seed_gives_identical_events() -> None:
    assert events(150, 7) == events(150, 7)


def test_different_seed_gives_different_events() -> None:
    assert events(150, 7) != events(150, 8)


def test_no_disputes_no_events() -> None:
    assert events(0) == []


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        events(5, 1, datetime(2026, 11, 26, 9, 30))


def test_every_event_has_the_common_fields_and_a_unique_id() -> None:
    stream = events(300)
    for ev in stream:
        for key in COMMON:
            assert isinstance(ev[key], str) and ev[key], f"{key} missing in {ev}"
        assert ev["event_id"].startswith("DEMO-42-")
        assert re.fullmatch(r"D-1\d{5}", ev["dispute_id"])
    assert len({ev["event_id"] for ev in stream}) == len(stream)


def test_events_are_plain_json() -> None:
    for ev in events(100):
        assert json.loads(json.dumps(ev, ensure_ascii=False)) == ev


def test_times_have_offsets_and_mix_zones() -> None:
    stream = events(100)
    texts = [ev["at"] for ev in stream]
    texts += [ev["order"][k] for ev in stream if ev["type"] == "dispute.opened"
              for k in ("shipped_at", "delivered_at") if k in ev["order"]]
    assert all(TIME_WITH_OFFSET.match(t) for t in texts)
    assert any(t.endswith("Z") for t in texts) and any(t.endswith("+08:00") for t in texts)


def test_stream_is_sorted_by_at_and_never_after_now() -> None:
    times = [at(ev) for ev in events(400)]
    assert times == sorted(times)
    assert max(times) <= NOW


def test_amounts_are_strings_with_two_decimals_in_a_known_currency() -> None:
    found = moneys(events(300))
    assert found
    for money in found:
        assert isinstance(money["amount"], str) and AMOUNT.match(money["amount"]), money
        assert money["currency"] in ("USD", "EUR", "BRL", "CNY")
    assert {m["currency"] for m in found} == {"USD", "EUR", "BRL", "CNY"}


def test_ids_orders_and_sellers() -> None:
    opened = [ev for ev in events(300) if ev["type"] == "dispute.opened"]
    orders = [ev["order"] for ev in opened]
    assert len({o["order_id"] for o in orders}) == len(orders)
    assert all(o["buyer_id"].startswith("B-") and o["seller_id"].startswith("S-") for o in orders)
    busiest = Counter(o["seller_id"] for o in orders).most_common(1)[0][1]
    assert busiest >= 10, "a few sellers should carry many disputes"


def test_all_events_follow_the_rules() -> None:
    for seed, now in ((1, NOW), (2, datetime(2027, 3, 1, 0, 0, tzinfo=timezone(timedelta(hours=8))))):
        stream = events(600, seed, now)
        cases = replay(stream)
        assert len(cases) == 600
        assert max(at(ev) for ev in stream) <= now


def stage_at_now(case: Case) -> str:
    """The stage as `show` sees it; a party clock that ran out is reported as 'overdue'."""
    if case.clock_due is not None and case.clock_due <= NOW_SECONDS:
        return "overdue"
    return case.stage


def test_every_stage_is_represented_for_200_disputes() -> None:
    cases = replay(events(200))
    stages = Counter(stage_at_now(c) for c in cases.values())
    for stage in OPEN_STAGES + ("closed", "overdue"):
        assert stages[stage] >= 4, stages
    assert "awaiting_parties" not in stages and "pending_approval" not in stages
    assert stages["closed"] / 200 == pytest.approx(0.27, abs=0.05)
    for stage in OPEN_STAGES:
        assert stages[stage] / 200 >= 0.08


def test_overdue_clocks_ran_out_only_hours_ago_and_some_are_due_soon() -> None:
    cases = replay(events(400)).values()
    overdue = [NOW_SECONDS - c.clock_due for c in cases if c.clock_due and c.clock_due <= NOW_SECONDS]
    assert overdue and all(timedelta(0) < late <= timedelta(hours=13) for late in overdue)
    due_soon = [c for c in cases if c.clock_due and timedelta(0) < c.clock_due - NOW_SECONDS <= timedelta(hours=12)]
    due_in_days = [c for c in cases if c.clock_due and timedelta(days=1) < c.clock_due - NOW_SECONDS <= timedelta(days=5)]
    assert len(due_soon) >= 10 and len(due_in_days) >= 20


def test_kinds_reasons_counters_and_withdrawals_appear() -> None:
    stream = events(300)
    types = Counter(ev["type"] for ev in stream)
    for kind in ("proposal.posted", "proposal.withdrawn", "proposal.accepted", "dispute.escalated",
                 "dispute.cancelled", "evidence.added", "message.posted", "return.shipped", "return.received"):
        assert types[kind] > 0, kind
    opened = [ev for ev in stream if ev["type"] == "dispute.opened"]
    assert {ev["kind"] for ev in opened} == {"only_refund", "return_and_refund"}
    assert {"not_received", "not_as_described", "damaged", "wrong_item", "counterfeit",
            "missing_parts"} <= {ev["reason"] for ev in opened}
    remedies = {ev["proposal"]["remedy"] for ev in stream if ev["type"] == "proposal.posted"}
    assert {"refund", "no_refund"} <= remedies


def test_messages_are_english_and_chinese() -> None:
    texts = [ev["text"] for ev in events(200) if ev["type"] == "message.posted"]
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    assert any(re.search(r"[A-Za-z]{4}", t) and not re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    assert all(0 < len(t) <= 4000 for t in texts)


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    idat_len = struct.unpack(">I", content[33:37])[0]
    assert content[37:41] == b"IDAT"
    raw = zlib.decompress(content[41:41 + idat_len])
    assert len(raw) == height * (1 + 3 * width)
    return width, height


def test_evidence_is_a_real_png_for_about_a_third_of_disputes() -> None:
    stream = events(300)
    evidence = [ev for ev in stream if ev["type"] == "evidence.added"]
    with_images = {ev["dispute_id"] for ev in evidence}
    assert 0.2 <= len(with_images) / 300 <= 0.45
    assert max(Counter(ev["dispute_id"] for ev in evidence).values()) <= 2
    for ev in evidence:
        content = base64.b64decode(ev["content_base64"], validate=True)
        assert ev["media_type"] == "image/png" and ev["filename"].endswith(".png")
        assert hashlib.sha256(content).hexdigest() == ev["sha256"]
        assert png_size(content) == (48, 48)
        assert len(content) < 4096
    assert len({ev["sha256"] for ev in evidence}) > 4


def test_the_domain_accepts_every_event_without_expiries() -> None:
    """Through the real rules: nothing rejected, no clock runs out on the way, stages as replayed."""
    from mediator_app.domain import feed_rules, judge
    domain_events = pytest.importorskip("mediator_app.domain.events")
    stream = events(300, 11)
    states: dict[str, Any] = {}
    for ev in stream:
        parsed = domain_events.parse_event(json.loads(json.dumps(ev)))
        if ev["type"] == "dispute.opened":
            states[ev["dispute_id"]], _ = feed_rules.open_dispute(parsed)
            continue
        judgement = judge.judge_event(states[ev["dispute_id"]], parsed)
        assert judgement.rejection is None, (ev["event_id"], judgement.rejection)
        assert not judgement.expiries, ev["event_id"]
        states[ev["dispute_id"]] = judgement.state
    replayed = replay(stream)
    for dispute_id, state in states.items():
        assert state.stage == replayed[dispute_id].stage, dispute_id
