"""Clerk and supervisor actions through `mediator` on SQLite and PostgreSQL (contract §3, §4).

The `ctx` fixture provides the users: alice and carol (clerks), bob and sam (supervisors), dora (auditor).
Every command gets `--now`; the disputes open at T0 = 2026-11-01T02:00Z (10:00 in Shanghai).
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator, Run

from .feeds import T0, Line, accepted, cancelled, event, opened, posted, t, write_feed, z

_files = itertools.count(1)


class Desk:
    """A Mediator plus a place to write feed files."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.m = Mediator(url, capsys)
        self.tmp_path = tmp_path

    def feed(self, *lines: Line, now: str, expect: int = 0) -> dict[str, Any]:
        run = self.m("ingest", str(write_feed(self.tmp_path / f"feed{next(_files)}.jsonl", lines)), now=now)
        assert run.code == expect, run.out
        return run.json

    def open(self, dispute_id: str = "D-1", order_id: str = "O-1", total: str = "66.65", ask: str | None = None,
             currency: str = "USD", *more: Line) -> None:
        self.feed(opened(f"E-open-{dispute_id}", dispute_id, T0, order_id=order_id, total=total, ask=ask,
                         currency=currency), *more, now=z(t(hours=1)))

    def __call__(self, *args: str, now: str) -> Run:
        return self.m(*args, now=now)

    def ok(self, *args: str, now: str) -> dict[str, Any]:
        return self.m.ok(*args, now=now)

    def rejected(self, *args: str, now: str) -> str:
        """Exit 1 with {"error": ...}; returns the reason (lower case)."""
        run = self.m(*args, now=now)
        assert run.code == 1, f"expected a rejection, got {run.code}: {run.out} {run.err}"
        error = run.json["error"]
        assert isinstance(error, str) and error
        assert error in run.err  # the reason is on stderr too
        return error.lower()

    def show(self, dispute_id: str = "D-1", now: str | None = None) -> dict[str, Any]:
        return self.m.ok("show", dispute_id, "--as", "dora", now=now or z(t(days=1)))


@pytest.fixture
def desk(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Desk:
    return Desk(db_url, capsys, tmp_path)


def kinds(case: dict[str, Any]) -> list[str]:
    return [row["kind"] for row in case["timeline"]]


def clocks(case: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(d["clock"], d["party"], d["due"]) for d in case["deadlines"]]


def money(amount: str, currency: str = "USD") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


# --- propose -----------------------------------------------------------------------------------------

def test_propose_posts_and_replaces_the_platform_proposal(desk: Desk) -> None:
    desk.open("D-1", "O-1", "66.65", None, "USD", posted("E-s1", "seller", "P-S1", t(hours=1), amount="20.00"))
    assert desk.show()["stage"] == "awaiting_buyer"

    case = desk.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "40.00",
                   "--note", "split the difference", now=z(t(days=1)))

    assert case["stage"] == "awaiting_parties"
    assert case["version"] == 3
    first = case["proposals"]["platform"]
    assert first["remedy"] == "refund" and first["refund"] == money("40.00")
    assert first["note"] == "split the difference"
    assert first["proposal_id"] not in ("P-B1", "P-S1")
    assert case["proposals"]["buyer"]["proposal_id"] == "P-B1"
    assert case["proposals"]["seller"]["proposal_id"] == "P-S1"
    assert clocks(case) == [("parties_response", "both", z(t(days=6)))]  # 120 h; platform_intervention gone
    assert first["proposal_id"] in case["deadlines"][0]["on_expiry"]
    assert case["pending_approval"] is None
    assert case["sla_breached"] is False
    assert case["acceptances"] == {"platform_proposal": []}
    assert kinds(case)[-1] == "platform_proposal.posted"
    assert case["timeline"][-1]["party"] == "platform"
    assert case["timeline"][-1]["at"] == z(t(days=1))

    desk.feed(accepted("E-acc1", "seller", first["proposal_id"], t(days=1, hours=1)), now=z(t(days=1, hours=1)))
    assert desk.show()["acceptances"] == {"platform_proposal": ["seller"]}

    case = desk.ok("propose", "D-1", "--as", "carol", "--remedy", "return_and_refund", "--amount", "30.00",
                   "--return-shipping-paid-by", "seller", now=z(t(days=2)))
    second = case["proposals"]["platform"]
    assert case["version"] == 5
    assert second["proposal_id"] != first["proposal_id"]
    assert second["remedy"] == "return_and_refund" and second["return_shipping_paid_by"] == "seller"
    assert case["acceptances"] == {"platform_proposal": []}  # the seller's acceptance of the replaced one is gone
    assert clocks(case) == [("parties_response", "both", z(t(days=7)))]

    # the replaced proposal can no longer be accepted
    report = desk.feed(accepted("E-acc-old", "buyer", first["proposal_id"], t(days=2, hours=1)),
                       now=z(t(days=2, hours=1)), expect=1)
    assert "stale" in report["rejected"][0]["reason"]

    case = desk.ok("propose", "D-1", "--as", "alice", "--remedy", "no_refund", now=z(t(days=2, hours=2)))
    third = case["proposals"]["platform"]
    assert third == {"proposal_id": third["proposal_id"], "remedy": "no_refund"}
    assert len({first["proposal_id"], second["proposal_id"], third["proposal_id"]}) == 3

    desk.feed(accepted("E-acc3s", "seller", third["proposal_id"], t(days=2, hours=3)),
              accepted("E-acc3b", "buyer", third["proposal_id"], t(days=2, hours=4)), now=z(t(days=3)))
    case = desk.show(now=z(t(days=3)))
    assert case["status"] == "closed"
    assert case["outcome"]["reached_type"] == "platform_proposal_accepted"
    assert case["outcome"]["adopted"] == "platform"
    assert case["outcome"]["refund"] is None
    assert kinds(case) == ["dispute.opened", "proposal.posted", "platform_proposal.posted", "proposal.accepted",
                           "platform_proposal.posted", "platform_proposal.posted", "proposal.accepted",
                           "proposal.accepted"]


@pytest.mark.parametrize("args, words", [
    (["--remedy", "refund"], ["amount"]),
    (["--remedy", "return_and_refund"], ["amount"]),
    (["--remedy", "refund", "--amount", "20.001"], ["minor digits"]),
    (["--remedy", "refund", "--amount", "66.66"], ["above", "order total"]),
    (["--remedy", "refund", "--amount", "0.00"], ["greater than zero"]),
    (["--remedy", "refund", "--amount", "20"], []),  # a valid amount: the control case
    (["--remedy", "no_refund", "--amount", "5.00"], ["no_refund"]),
], ids=["refund-no-amount", "return-no-amount", "too-many-digits", "above-total", "zero", "ok", "no-refund-amount"])
def test_propose_checks_the_terms(desk: Desk, args: list[str], words: list[str]) -> None:
    desk.open()
    if not words:
        assert desk.ok("propose", "D-1", "--as", "alice", *args, now=z(t(days=1)))["version"] == 2
        return
    reason = desk.rejected("propose", "D-1", "--as", "alice", *args, now=z(t(days=1)))
    for word in words:
        assert word in reason, reason
    case = desk.show()
    assert case["version"] == 1 and case["stage"] == "awaiting_seller"
    assert case["proposals"]["platform"] is None
    assert kinds(case) == ["dispute.opened"]


def test_propose_is_refused_once_resolved(desk: Desk) -> None:
    desk.open("D-1", "O-1", "66.65", None, "USD", cancelled("E-c", "buyer", t(hours=2)))
    reason = desk.rejected("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "1.00",
                           now=z(t(days=1)))
    assert "closed" in reason
    assert desk.show()["version"] == 2


# --- rule --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("adopt, refund", [("buyer", "66.65"), ("seller", "20.00"), ("platform", "40.00")])
def test_rule_adopts_the_chosen_partys_active_proposal(desk: Desk, adopt: str, refund: str) -> None:
    desk.open("D-1", "O-1", "66.65", None, "USD", posted("E-s1", "seller", "P-S1", t(hours=1), amount="20.00"))
    desk.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "40.00", now=z(t(days=1)))

    case = desk.ok("rule", "D-1", "--as", "carol", "--adopt", adopt, "--note", "photos convincing",
                   now=z(t(days=2)))

    assert case["status"] == "closed" and case["stage"] == "closed"
    assert case["version"] == 4
    outcome = case["outcome"]
    assert outcome["reached_type"] == "platform_arbitrate"
    assert outcome["adopted"] == adopt
    assert outcome["refund"] == money(refund)
    assert outcome["return_required"] is False and outcome["return_status"] == "none"
    assert outcome["resolved_at"] == z(t(days=2))
    assert case["deadlines"] == []
    assert case["pending_approval"] is None
    assert kinds(case)[-1] == "ruling.made"
    assert "photos convincing" in case["timeline"][-1]["summary"]

    again = desk.rejected("rule", "D-1", "--as", "alice", "--adopt", adopt, now=z(t(days=2, hours=1)))
    assert "closed" in again
    assert desk.show(now=z(t(days=3)))["version"] == 4


def test_rule_may_adopt_a_rejected_platform_proposal(desk: Desk) -> None:
    desk.open()
    pid = desk.ok("propose", "D-1", "--as", "alice", "--remedy", "return_and_refund", "--amount", "50.00",
                  now=z(t(hours=2)))["proposals"]["platform"]["proposal_id"]
    desk.feed(event("E-rej", "proposal.rejected", t(hours=3), "D-1", "buyer", proposal_id=pid),
              now=z(t(hours=3)))
    case = desk.show()
    assert case["stage"] == "platform_review"
    assert case["proposals"]["platform"]["proposal_id"] == pid  # once rejected it stays active
    assert [c for c, _p, _d in clocks(case)] == ["platform_ruling"]

    case = desk.ok("rule", "D-1", "--as", "alice", "--adopt", "platform", now=z(t(days=1)))
    assert case["outcome"]["reached_type"] == "platform_arbitrate"
    assert case["outcome"]["adopted"] == "platform"
    assert case["outcome"]["refund"] == money("50.00")
    assert case["outcome"]["return_required"] is True
    assert case["stage"] == "awaiting_return_shipment" and case["status"] == "open"
    assert clocks(case) == [("return_shipment", "buyer", z(t(days=11)))]  # 240 h from the ruling


@pytest.mark.parametrize("adopt", ["seller", "platform"])
def test_rule_needs_an_active_proposal_to_adopt(desk: Desk, adopt: str) -> None:
    desk.open()
    reason = desk.rejected("rule", "D-1", "--as", "alice", "--adopt", adopt, now=z(t(days=1)))
    assert adopt in reason and "proposal" in reason
    assert desk.show()["version"] == 1


# --- four-eyes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("currency, total, below, at", [
    ("USD", "800.00", "499.99", "500.00"),
    ("EUR", "800.00", "449.99", "450.00"),
    ("GBP", "800.00", "399.99", "400.00"),
    ("JPY", "90000", "74999", "75000"),
])
def test_the_four_eyes_threshold_is_inclusive(desk: Desk, currency: str, total: str, below: str, at: str) -> None:
    desk.open("D-1", "O-1", total, below, currency)
    desk.open("D-2", "O-2", total, at, currency)

    under = desk.ok("rule", "D-1", "--as", "alice", "--adopt", "buyer", now=z(t(days=1)))
    assert under["stage"] == "closed" and under["pending_approval"] is None
    assert under["outcome"]["refund"] == money(below, currency)

    reaching = desk.ok("rule", "D-2", "--as", "alice", "--adopt", "buyer", now=z(t(days=1)))
    assert reaching["stage"] == "pending_approval" and reaching["status"] == "open"
    assert reaching["outcome"] is None


def test_a_ruling_at_the_threshold_waits_for_another_supervisor(desk: Desk) -> None:
    desk.open("D-1", "O-1", "600.00", "500.00", "USD")

    case = desk.ok("rule", "D-1", "--as", "bob", "--adopt", "buyer", "--note", "clear case", now=z(t(days=1)))

    assert case["stage"] == "pending_approval" and case["status"] == "open"
    assert case["version"] == 2
    assert case["outcome"] is None
    pending = case["pending_approval"]
    assert {k: pending[k] for k in ("what", "by", "adopt", "proposal")} == {
        "what": "ruling", "by": "bob", "adopt": "buyer",
        "proposal": {"proposal_id": "P-B1", "remedy": "refund", "refund": money("500.00")}}
    assert case["deadlines"] == []  # the seller's clock and the platform clock stop while it waits
    assert kinds(case) == ["dispute.opened", "ruling.made"]

    assert "own" in desk.rejected("approve", "D-1", "--as", "bob", now=z(t(days=1, hours=1)))
    assert "supervisor" in desk.rejected("approve", "D-1", "--as", "alice", now=z(t(days=1, hours=1)))
    assert "supervisor" in desk.rejected("approve", "D-1", "--as", "carol", now=z(t(days=1, hours=1)))
    assert "pending_approval" in desk.rejected("rule", "D-1", "--as", "alice", "--adopt", "buyer",
                                               now=z(t(days=1, hours=1)))
    assert desk.show()["version"] == 2

    case = desk.ok("approve", "D-1", "--as", "sam", now=z(t(days=1, hours=2)))

    assert case["stage"] == "closed" and case["status"] == "closed"
    assert case["version"] == 3
    assert case["pending_approval"] is None
    outcome = case["outcome"]
    assert (outcome["reached_type"], outcome["adopted"]) == ("platform_arbitrate", "buyer")
    assert outcome["refund"] == money("500.00")
    assert outcome["resolved_at"] == z(t(days=1, hours=2))
    assert kinds(case) == ["dispute.opened", "ruling.made", "ruling.approved"]
    assert case["timeline"][-1]["actor"] == "sam"

    desk.rejected("approve", "D-1", "--as", "bob", now=z(t(days=1, hours=3)))  # nothing waits any more


def test_the_terms_of_a_ruling_are_fixed_when_it_is_made(desk: Desk) -> None:
    desk.open("D-1", "O-1", "600.00", "550.00", "USD")
    desk.ok("rule", "D-1", "--as", "alice", "--adopt", "buyer", now=z(t(days=1)))
    desk.feed(event("E-w", "proposal.withdrawn", t(days=1, hours=1), "D-1", "buyer", proposal_id="P-B1"),
              now=z(t(days=1, hours=1)))
    case = desk.show(now=z(t(days=1, hours=1)))
    assert case["proposals"]["buyer"] is None and case["stage"] == "pending_approval"

    case = desk.ok("approve", "D-1", "--as", "bob", now=z(t(days=1, hours=2)))
    assert case["outcome"]["adopted"] == "buyer"
    assert case["outcome"]["refund"] == money("550.00")


def test_send_back_returns_the_case_to_platform_review_with_a_new_ruling_clock(desk: Desk) -> None:
    desk.open("D-1", "O-1", "600.00", "500.00", "USD")
    desk.ok("rule", "D-1", "--as", "alice", "--adopt", "buyer", now=z(t(days=1)))

    assert "supervisor" in desk.rejected("send-back", "D-1", "--as", "carol", "--note", "no",
                                         now=z(t(days=1, hours=1)))

    # 2026-11-02T03:00Z = 11:00 in Shanghai on 11-02; the 3rd calendar day ends 2026-11-06T00:00+08:00
    case = desk.ok("send-back", "D-1", "--as", "bob", "--note", "check the tracking first",
                   now=z(t(days=1, hours=1)))
    assert case["stage"] == "platform_review" and case["status"] == "open"
    assert case["version"] == 3
    assert case["pending_approval"] is None
    assert case["outcome"] is None
    assert clocks(case) == [("platform_ruling", "platform", "2026-11-05T16:00:00Z")]
    assert kinds(case) == ["dispute.opened", "ruling.made", "approval.sent_back"]
    assert "check the tracking first" in case["timeline"][-1]["summary"]

    desk.rejected("approve", "D-1", "--as", "sam", now=z(t(days=1, hours=2)))  # nothing waits
    desk.rejected("send-back", "D-1", "--as", "sam", "--note", "again", now=z(t(days=1, hours=2)))

    # again: a new ruling, sent back later -> a new 3-day clock from the second send-back
    desk.ok("rule", "D-1", "--as", "alice", "--adopt", "buyer", now=z(t(days=2)))
    case = desk.ok("send-back", "D-1", "--as", "sam", "--note", "still unclear",
                   now="2026-11-04T22:00:00Z")  # 06:00 on 11-05 in Shanghai
    assert clocks(case) == [("platform_ruling", "platform", "2026-11-08T16:00:00Z")]
    assert case["sla_breached"] is False  # the first ruling clock stopped in time
    assert case["version"] == 5


def test_a_platform_proposal_at_the_threshold_waits_and_the_previous_one_stays_active(desk: Desk) -> None:
    desk.open("D-1", "O-1", "800.00", "800.00", "USD")
    first = desk.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "100.00",
                    now=z(t(days=1)))["proposals"]["platform"]
    desk.feed(accepted("E-acc", "seller", first["proposal_id"], t(days=1, hours=1)), now=z(t(days=1, hours=1)))

    case = desk.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "500.00",
                   now=z(t(days=1, hours=2)))

    assert case["stage"] == "pending_approval"
    assert case["version"] == 4
    pending = case["pending_approval"]
    assert (pending["what"], pending["by"]) == ("platform_proposal", "alice")
    assert "adopt" not in pending
    assert pending["proposal"]["refund"] == money("500.00")
    assert pending["proposal"]["proposal_id"] != first["proposal_id"]
    assert case["proposals"]["platform"] == first  # not yet active: the previous one stays
    assert case["deadlines"] == []
    assert kinds(case)[-1] == "platform_proposal.posted"

    # a platform proposal can be accepted only in awaiting_parties
    report = desk.feed(accepted("E-acc-b", "buyer", first["proposal_id"], t(days=1, hours=3)),
                       now=z(t(days=1, hours=3)), expect=1)
    assert "awaiting_parties" in report["rejected"][0]["reason"]
    assert "supervisor" in desk.rejected("approve", "D-1", "--as", "alice", now=z(t(days=1, hours=4)))

    case = desk.ok("approve", "D-1", "--as", "bob", now=z(t(days=2)))

    assert case["stage"] == "awaiting_parties"
    assert case["version"] == 5
    assert case["pending_approval"] is None
    assert case["proposals"]["platform"] == pending["proposal"]
    assert case["acceptances"] == {"platform_proposal": []}
    assert clocks(case) == [("parties_response", "both", z(t(days=7)))]
    assert kinds(case)[-2:] == ["platform_proposal.posted", "platform_proposal.approved"]


def test_a_supervisor_cannot_approve_their_own_platform_proposal(desk: Desk) -> None:
    desk.open("D-1", "O-1", "800.00", "800.00", "USD")
    desk.ok("propose", "D-1", "--as", "sam", "--remedy", "refund", "--amount", "600.00", now=z(t(days=1)))
    assert "own" in desk.rejected("approve", "D-1", "--as", "sam", now=z(t(days=1, hours=1)))
    assert desk.show()["stage"] == "pending_approval"
    case = desk.ok("approve", "D-1", "--as", "bob", now=z(t(days=1, hours=1)))
    assert case["proposals"]["platform"]["refund"] == money("600.00")
    assert case["stage"] == "awaiting_parties"


# --- claim, release, note ----------------------------------------------------------------------------

def test_claim_is_a_30_minute_lease(desk: Desk) -> None:
    desk.open()
    start = t(days=1)

    def at(minutes: int) -> str:
        return z(start + (t(minutes=minutes) - T0))

    case = desk.ok("claim", "D-1", "--as", "alice", now=at(0))
    assert case["assigned_to"] == "alice"
    assert case["version"] == 2
    assert kinds(case)[-1] == "case.claimed"

    assert desk.show(now=at(29))["assigned_to"] == "alice"
    assert desk.show(now=at(31))["assigned_to"] is None

    assert "alice" in desk.rejected("claim", "D-1", "--as", "carol", now=at(10))
    assert "alice" in desk.rejected("release", "D-1", "--as", "carol", now=at(10))
    assert desk.show(now=at(10))["version"] == 2

    # renewing keeps the case: still held 45 minutes after the first claim
    assert desk.ok("claim", "D-1", "--as", "alice", now=at(20))["version"] == 3
    assert desk.show(now=at(45))["assigned_to"] == "alice"

    # a supervisor may take it over; then the former holder (a clerk) may not release it
    case = desk.ok("claim", "D-1", "--as", "bob", now=at(25))
    assert case["assigned_to"] == "bob"
    desk.rejected("release", "D-1", "--as", "alice", now=at(26))

    case = desk.ok("release", "D-1", "--as", "bob", now=at(27))
    assert case["assigned_to"] is None
    assert case["version"] == 5
    assert kinds(case)[-3:] == ["case.claimed", "case.claimed", "case.released"]

    # after a lease lapses another clerk may claim
    desk.ok("claim", "D-1", "--as", "alice", now=at(60))
    assert desk.ok("claim", "D-1", "--as", "carol", now=at(91))["assigned_to"] == "carol"
    # the holder releases her own claim
    assert desk.ok("release", "D-1", "--as", "carol", now=at(92))["assigned_to"] is None
    assert desk.show(now=at(93))["version"] == 8


def test_a_supervisor_releases_a_clerks_claim(desk: Desk) -> None:
    desk.open()
    desk.ok("claim", "D-1", "--as", "alice", now=z(t(days=1)))
    case = desk.ok("release", "D-1", "--as", "sam", now=z(t(days=1, minutes=5)))
    assert case["assigned_to"] is None
    assert desk.ok("claim", "D-1", "--as", "carol", now=z(t(days=1, minutes=6)))["assigned_to"] == "carol"


def test_claim_on_a_closed_dispute_is_rejected(desk: Desk) -> None:
    desk.open("D-1", "O-1", "66.65", None, "USD", cancelled("E-c", "buyer", t(hours=2)))
    assert "closed" in desk.rejected("claim", "D-1", "--as", "alice", now=z(t(days=1)))
    assert "closed" in desk.rejected("claim", "D-1", "--as", "bob", now=z(t(days=1)))
    case = desk.show()
    assert case["version"] == 2 and case["assigned_to"] is None


def test_note_is_recorded_in_the_timeline(desk: Desk) -> None:
    desk.open()
    case = desk.ok("note", "D-1", "--as", "alice", "--text", "called the seller, no answer", now=z(t(days=1)))
    assert case["version"] == 2
    assert case["stage"] == "awaiting_seller"  # a note changes nothing else
    row = case["timeline"][-1]
    assert row["kind"] == "note.added"
    assert row["actor"] == "alice"
    assert row["at"] == z(t(days=1))
    assert "called the seller, no answer" in row["summary"]
    assert desk.ok("note", "D-1", "--as", "bob", "--text", "ok", now=z(t(days=1, hours=1)))["version"] == 3


# --- who may act -------------------------------------------------------------------------------------

ACTIONS: dict[str, list[str]] = {
    "propose": ["propose", "{d}", "--as", "{u}", "--remedy", "refund", "--amount", "10.00"],
    "rule": ["rule", "{d}", "--as", "{u}", "--adopt", "buyer"],
    "approve": ["approve", "{d}", "--as", "{u}"],
    "send-back": ["send-back", "{d}", "--as", "{u}", "--note", "why"],
    "claim": ["claim", "{d}", "--as", "{u}"],
    "release": ["release", "{d}", "--as", "{u}"],
    "note": ["note", "{d}", "--as", "{u}", "--text", "hi"],
}


def argv(action: str, dispute_id: str, user: str) -> list[str]:
    return [a.format(d=dispute_id, u=user) for a in ACTIONS[action]]


@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_auditor_is_refused_every_action(desk: Desk, action: str) -> None:
    # D-1: negotiating and claimed by alice; D-2: a ruling waits for approval
    desk.open("D-1", "O-1", "66.65")
    desk.open("D-2", "O-2", "600.00", "500.00")
    desk.ok("claim", "D-1", "--as", "bob", now=z(t(hours=2)))
    desk.ok("rule", "D-2", "--as", "alice", "--adopt", "buyer", now=z(t(hours=2)))
    target = "D-2" if action in ("approve", "send-back") else "D-1"
    before = desk.show(target, now=z(t(hours=3)))

    reason = desk.rejected(*argv(action, target, "dora"), now=z(t(hours=3)))

    assert "auditor" in reason
    after = desk.show(target, now=z(t(hours=3)))
    assert after["version"] == before["version"]
    assert after["timeline"] == before["timeline"]
    # show is allowed to the auditor: it needs no user, and queue lists the open cases
    assert {c["dispute_id"] for c in desk.ok("queue", "--as", "dora", now=z(t(hours=3)))} == {"D-1", "D-2"}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_unknown_user_and_unknown_dispute_are_rejections(desk: Desk, action: str) -> None:
    desk.open()
    assert "unknown user" in desk.rejected(*argv(action, "D-1", "mallory"), now=z(t(hours=3)))
    assert "unknown dispute" in desk.rejected(*argv(action, "D-999", "bob"), now=z(t(hours=3)))
    assert desk.show()["version"] == 1


def test_show_of_an_unknown_dispute_is_a_rejection(desk: Desk) -> None:
    assert "unknown dispute" in desk.rejected("show", "D-999", "--as", "dora", now=z(t(hours=3)))


# --- --expect-version --------------------------------------------------------------------------------

def test_expect_version_mismatch_exits_3_and_changes_nothing(desk: Desk) -> None:
    desk.open()
    before = desk.show()

    for args in (["note", "D-1", "--as", "alice", "--text", "x"],
                 ["propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "10.00"],
                 ["claim", "D-1", "--as", "alice"]):
        run = desk(*args, "--expect-version", "2", now=z(t(days=1)))
        assert run.code == 3, run.out
        assert "error" in run.json
        assert (run.json["expected"], run.json["actual"]) == (2, 1)
    after = desk.show()
    assert after["version"] == 1 and after["timeline"] == before["timeline"]
    assert after["assigned_to"] is None and after["proposals"]["platform"] is None

    case = desk.ok("note", "D-1", "--as", "alice", "--text", "x", "--expect-version", "1", now=z(t(days=1)))
    assert case["version"] == 2


def test_an_expiry_due_by_now_is_executed_before_the_version_is_compared(desk: Desk) -> None:
    desk.open("D-1", "O-1")
    desk.open("D-2", "O-2")
    due = t(hours=120)

    # one second before the seller's time runs out nothing executes and version 1 is current
    case = desk.ok("note", "D-2", "--as", "alice", "--text", "in time", "--expect-version", "1",
                   now=z(due - (t(seconds=1) - T0)))
    assert case["version"] == 2 and case["stage"] == "awaiting_seller"

    # at the due time: the expiry runs first (version 2), so expecting 1 is a conflict — and the expiry stays
    run = desk("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "10.00",
               "--expect-version", "1", now=z(due))
    assert run.code == 3, run.out
    assert (run.json["expected"], run.json["actual"]) == (1, 2)
    case = desk.show("D-1", now=z(due))
    assert case["version"] == 2
    assert case["status"] == "closed"
    assert case["outcome"]["reached_type"] == "seller_response_timeout"
    assert case["outcome"]["resolved_at"] == z(due)
    assert case["proposals"]["platform"] is None
    assert kinds(case) == ["dispute.opened", "clock.expired"]
    assert case["timeline"][-1]["at"] == z(due)
    # executed exactly once: a later sweep executes only D-2's expiry
    swept = desk.ok("sweep", now=z(t(days=10)))["executed"]
    assert [(e["dispute_id"], e["clock"]) for e in swept] == [("D-2", "seller_response")]

    # expecting the version after the expiry passes the compare; the action is then judged on the result
    assert desk.ok("note", "D-1", "--as", "alice", "--text", "after", "--expect-version", "2",
                   now=z(due))["version"] == 3


def test_an_expiry_executed_before_a_rejected_action_stays(desk: Desk) -> None:
    desk.open()
    due = t(hours=120)
    reason = desk.rejected("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "10.00",
                           "--expect-version", "2", now=z(t(hours=121)))
    assert "ran out" in reason and "closed" in reason
    case = desk.show(now=z(t(hours=121)))
    assert case["version"] == 2
    assert case["outcome"]["reached_type"] == "seller_response_timeout"
    assert case["outcome"]["resolved_at"] == z(due)
    assert kinds(case) == ["dispute.opened", "clock.expired"]


def test_send_back_of_a_platform_proposal_keeps_the_previous_one(desk: Desk) -> None:
    desk.open("D-1", "O-1", "800.00", "800.00", "USD")
    first = desk.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "100.00",
                    now=z(t(days=1)))["proposals"]["platform"]
    desk.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "700.00", now=z(t(days=1, hours=1)))

    # 2026-11-02T04:00Z = 12:00 on 11-02 in Shanghai -> due 2026-11-06T00:00+08:00
    case = desk.ok("send-back", "D-1", "--as", "bob", "--note", "too generous", now=z(t(days=1, hours=2)))

    assert case["stage"] == "platform_review"
    assert case["pending_approval"] is None
    assert case["proposals"]["platform"] == first
    assert clocks(case) == [("platform_ruling", "platform", "2026-11-05T16:00:00Z")]
    assert kinds(case)[-3:] == ["platform_proposal.posted", "platform_proposal.posted", "approval.sent_back"]

    case = desk.ok("rule", "D-1", "--as", "carol", "--adopt", "platform", now=z(t(days=2)))
    assert case["outcome"]["refund"] == money("100.00")
    assert case["outcome"]["adopted"] == "platform"


@pytest.mark.parametrize("line, reached_type", [
    (accepted("E-acc", "seller", "P-B1", t(days=1, hours=1)), "negotiation_consensus"),
    (cancelled("E-cancel", "buyer", t(days=1, hours=1)), "buyer_cancelled"),
], ids=["accepted", "cancelled"])
def test_acceptance_or_cancellation_drops_what_waits_for_approval(
        desk: Desk, line: dict[str, Any], reached_type: str) -> None:
    desk.open("D-1", "O-1", "600.00", "500.00", "USD")
    desk.ok("rule", "D-1", "--as", "alice", "--adopt", "buyer", now=z(t(days=1)))

    desk.feed(line, now=z(t(days=1, hours=1)))

    case = desk.show(now=z(t(days=1, hours=2)))
    assert case["pending_approval"] is None
    assert case["status"] == "closed"
    assert case["outcome"]["reached_type"] == reached_type
    assert "pending_approval" in desk.rejected("approve", "D-1", "--as", "bob", now=z(t(days=1, hours=2)))
    assert desk.show(now=z(t(days=1, hours=2)))["version"] == 3


def test_an_argument_that_is_not_utf8_is_a_usage_error_and_writes_nothing(desk: Desk, tmp_path: Path) -> None:
    desk.open()
    now = z(t(hours=2))
    version = desk.ok("show", "D-1", "--as", "dora", now=now)["version"]
    bad = os.fsdecode(b"called the seller \xff")  # what the shell passes for bytes that are not UTF-8
    run = desk("note", "D-1", "--as", "alice", "--text", bad, now=now)
    assert run.code == 2 and "--text: not valid UTF-8" in run.err
    assert desk.ok("show", "D-1", "--as", "dora", now=now)["version"] == version
    # a file name may hold such bytes: the feed is read all the same
    feed = write_feed(tmp_path / os.fsdecode(b"feed-\xff.jsonl"), [
        event("E-m1", "message.posted", t(hours=2), party="buyer", text="hi"),
        event("E-m2", "message.posted", t(hours=2), dispute_id="D-404", party="buyer", text="hi")])
    report = desk("ingest", str(feed), now=now)
    assert report.code == 1 and report.json["applied"] == 1  # the unknown dispute's line is kept as rejected
