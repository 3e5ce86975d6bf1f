"""The contract's example scenarios (../shared/contract/examples), as written, on both databases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Mediator

OPENED = "2026-11-01T02:00:00Z"


@pytest.fixture
def mediator(db_url: str, capsys: pytest.CaptureFixture[str]) -> Mediator:
    m = Mediator(db_url, capsys)
    m.ok("user", "add", "alice", "--role", "clerk")
    m.ok("user", "add", "bob", "--role", "supervisor")
    return m


def deadline(case: dict, clock: str) -> dict | None:
    return next((d for d in case["deadlines"] if d["clock"] == clock), None)


def test_01_seller_silent(mediator: Mediator, examples: Path) -> None:
    feed = str(examples / "01-seller-silent.jsonl")
    assert mediator.ok("ingest", feed, now=OPENED)["applied"] == 1
    case = mediator.ok("show", "EX1", "--as", "dora", now=OPENED)
    assert case["stage"] == "awaiting_seller"
    assert deadline(case, "seller_response")["due"] == "2026-11-06T02:00:00Z"
    assert deadline(case, "seller_response")["on_expiry"] == "execute buyer proposal P-EX1-B1"
    assert deadline(case, "platform_intervention")["due"] == "2026-11-08T16:00:00Z"

    assert mediator.ok("sweep", now="2026-11-06T01:59:59Z")["executed"] == []
    executed = mediator.ok("sweep", now="2026-11-06T02:00:00Z")["executed"]
    assert [(e["dispute_id"], e["clock"], e["reached_type"]) for e in executed] == [
        ("EX1", "seller_response", "seller_response_timeout")]
    case = mediator.ok("show", "EX1", "--as", "dora", now="2026-11-06T02:00:00Z")
    assert case["status"] == "closed"
    assert case["outcome"]["reached_type"] == "seller_response_timeout"
    assert case["outcome"]["adopted"] == "buyer"
    assert case["outcome"]["refund"] == {"amount": "66.65", "currency": "USD"}
    assert case["outcome"]["resolved_at"] == "2026-11-06T02:00:00Z"
    assert mediator.ok("sweep", now="2026-11-06T02:00:00Z")["executed"] == []
    assert mediator.ok("show", "EX1", "--as", "dora", now="2026-11-06T02:00:00Z")["version"] == case["version"]


def test_02_counter_and_accept(mediator: Mediator, examples: Path) -> None:
    mediator.ok("ingest", str(examples / "02-counter-and-accept.jsonl"), now="2026-11-03T02:00:00Z")
    case = mediator.ok("show", "EX2", "--as", "dora", now="2026-11-03T02:00:00Z")
    assert case["status"] == "closed"
    assert case["outcome"]["reached_type"] == "negotiation_consensus"
    assert case["outcome"]["adopted"] == "seller"
    assert case["outcome"]["refund"] == {"amount": "20.00", "currency": "USD"}
    kinds = [t["kind"] for t in case["timeline"]]
    assert kinds == ["dispute.opened", "proposal.posted", "proposal.accepted"]
    assert "P-EX2-B1" in json.dumps(case["timeline"][0]) and "P-EX2-S1" in json.dumps(case["timeline"][1])


def test_03_platform_proposal(mediator: Mediator, examples: Path, tmp_path: Path) -> None:
    mediator.ok("ingest", str(examples / "03-platform-proposal.jsonl"), now=OPENED)
    case = mediator.ok("propose", "EX3", "--as", "alice", "--remedy", "refund", "--amount", "40.00",
                       now="2026-11-02T02:00:00Z")
    assert case["stage"] == "awaiting_parties"
    assert deadline(case, "parties_response")["due"] == "2026-11-07T02:00:00Z"
    assert deadline(case, "platform_intervention") is None
    assert case["sla_breached"] is False
    platform_id = case["proposals"]["platform"]["proposal_id"]

    accept = tmp_path / "accept.jsonl"
    accept.write_text(json.dumps({"event_id": "E-EX3-ACC", "type": "proposal.accepted", "dispute_id": "EX3",
                                  "at": "2026-11-03T02:00:00Z", "party": "seller",
                                  "proposal_id": platform_id}) + "\n")
    assert mediator.ok("ingest", str(accept), now="2026-11-03T02:00:00Z")["applied"] == 1
    case = mediator.ok("show", "EX3", "--as", "dora", now="2026-11-03T02:00:00Z")
    assert case["stage"] == "awaiting_parties"
    assert case["acceptances"]["platform_proposal"] == ["seller"]

    executed = mediator.ok("sweep", now="2026-11-07T02:00:00Z")["executed"]
    assert [e["reached_type"] for e in executed] == ["platform_proposal_timeout"]
    case = mediator.ok("show", "EX3", "--as", "dora", now="2026-11-07T02:00:00Z")
    assert case["status"] == "closed"
    assert case["outcome"]["reached_type"] == "platform_proposal_timeout"
    assert case["outcome"]["adopted"] == "platform"
    assert case["outcome"]["refund"] == {"amount": "40.00", "currency": "USD"}


def test_04_return_not_shipped(mediator: Mediator, examples: Path) -> None:
    mediator.ok("ingest", str(examples / "04-return-not-shipped.jsonl"), now="2026-11-02T02:00:00Z")
    case = mediator.ok("show", "EX4", "--as", "dora", now="2026-11-02T02:00:00Z")
    assert case["stage"] == "awaiting_return_shipment"
    assert case["status"] == "open"
    assert case["outcome"]["return_required"] is True
    assert deadline(case, "return_shipment")["due"] == "2026-11-12T02:00:00Z"
    executed = mediator.ok("sweep", now="2026-11-12T02:00:00Z")["executed"]
    assert [(e["clock"], e["return_status"]) for e in executed] == [("return_shipment", "not_shipped")]
    case = mediator.ok("show", "EX4", "--as", "dora", now="2026-11-12T02:00:00Z")
    assert case["status"] == "closed"
    assert case["outcome"]["return_status"] == "not_shipped"
    assert case["outcome"]["refund"] is None


@pytest.mark.parametrize("name", ["01-seller-silent", "02-counter-and-accept", "03-platform-proposal",
                                  "04-return-not-shipped"])
def test_reingest_reports_every_line_as_duplicate(mediator: Mediator, examples: Path, name: str) -> None:
    feed = examples / f"{name}.jsonl"
    lines = [line for line in feed.read_text().splitlines() if line.strip()]
    first = mediator.ok("ingest", str(feed), now="2026-11-03T02:00:00Z")
    assert first["applied"] == len(lines)
    dispute_id = json.loads(lines[0])["dispute_id"]
    before = mediator.ok("show", dispute_id, "--as", "dora", now="2026-11-03T02:00:00Z")
    again = mediator.ok("ingest", str(feed), now="2026-11-03T02:00:00Z")
    assert again == {"applied": 0, "duplicates": len(lines), "rejected": [], "executed": []}
    assert mediator.ok("show", dispute_id, "--as", "dora", now="2026-11-03T02:00:00Z") == before
