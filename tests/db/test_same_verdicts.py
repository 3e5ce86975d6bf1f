"""The same feed gives the same verdicts on every ingest (issue 13, decision 73): one open dispute per order is
judged at the event's `at`, so a re-ingest after the first dispute closed rejects the second one again."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator
from tests.feeds import T0, event, iso, opened

H = timedelta(hours=1)
NOW = iso(T0 + 3 * H)


def write(path: Path, events: list[dict]) -> str:
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return str(path)


def verdicts(run_json: dict) -> dict[str, str]:
    return {r["event_id"]: r["reason"] for r in run_json["rejected"]}


def test_a_reingest_after_the_first_dispute_closed_gives_the_same_verdict(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = Mediator(db_url, capsys)
    first = write(tmp_path / "first.jsonl", [
        opened("D-1", T0, order_id="O-1"),
        opened("D-2", T0 + H, order_id="O-1"),  # D-1 is open at its `at`: rejected
    ])
    run = m("ingest", first, now=NOW)
    assert run.code == 1 and list(verdicts(run.json)) == ["E-D-2-open"]
    assert "one open dispute per order" in verdicts(run.json)["E-D-2-open"]

    closing = write(tmp_path / "closing.jsonl", [event("D-1", "dispute.cancelled", T0 + 2 * H, "E-cancel",
                                                       party="buyer")])
    assert m("ingest", closing, now=NOW).code == 0
    assert m.ok("show", "D-1", "--as", "dora", now=NOW)["status"] == "closed"

    again = m("ingest", first, now=NOW)  # D-1 is closed now, but it was open at D-2's `at`
    assert again.code == 1
    assert list(verdicts(again.json)) == ["E-D-2-open"]
    assert "one open dispute per order" in verdicts(again.json)["E-D-2-open"]
    assert m("show", "D-2", "--as", "dora", now=NOW).code == 1

    later = write(tmp_path / "later.jsonl", [opened("D-3", T0 + 3 * H, order_id="O-1")])
    assert m("ingest", later, now=NOW).code == 0  # after D-1 closed, the order is free


def test_a_dispute_dated_before_a_later_one_stays_rejected_after_that_one_closed(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = Mediator(db_url, capsys)
    assert m("ingest", write(tmp_path / "a.jsonl", [opened("D-5", T0 + H, order_id="O-5")]), now=NOW).code == 0
    early = write(tmp_path / "early.jsonl", [opened("D-6", T0, order_id="O-5")])
    assert m("ingest", early, now=NOW).code == 1
    assert m("ingest", write(tmp_path / "c.jsonl", [event("D-5", "dispute.cancelled", T0 + 2 * H, "E-c5",
                                                          party="buyer")]), now=NOW).code == 0
    again = m("ingest", early, now=NOW)
    assert again.code == 1 and "one open dispute per order" in again.json["rejected"][0]["reason"]
