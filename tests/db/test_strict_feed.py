"""Strict JSON through `mediator ingest` on both databases (issue 13): the reason names the key, event_id kept."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator
from tests.feeds import T0, iso, opened


def test_nan_infinity_and_duplicate_keys_are_rejected_with_the_key(ctx: Context, db_url: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    mediator = Mediator(db_url, capsys)
    good = json.dumps(opened("D-1"))
    msg = '{"event_id": "E-%s", "type": "message.posted", "dispute_id": "D-1", "at": "%s", %s}'
    lines = [
        good,
        msg % ("nan", iso(T0), '"party": "buyer", "text": "hi", "score": NaN'),
        msg % ("inf", iso(T0), '"party": "buyer", "text": "hi", "score": -Infinity'),
        msg % ("dup", iso(T0), '"party": "buyer", "text": "hi", "party": "seller"'),
        msg % ("big", iso(T0), '"party": "buyer", "text": "hi", "n": ' + "1" * 4301),
        json.dumps(opened("D-2")),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n")
    run = mediator("ingest", str(feed), now=iso(T0))
    assert run.code == 1
    report = run.json
    assert report["applied"] == 2
    rejected = {r["line"]: r for r in report["rejected"]}
    assert sorted(rejected) == [2, 3, 4, 5]
    assert "NaN" in rejected[2]["reason"] and "'score'" in rejected[2]["reason"]
    assert "-Infinity" in rejected[3]["reason"] and "'score'" in rejected[3]["reason"]
    assert "'party'" in rejected[4]["reason"] and "more than once" in rejected[4]["reason"]
    assert "4301 digits" in rejected[5]["reason"]
    assert [rejected[n]["event_id"] for n in (2, 3, 4, 5)] == ["E-nan", "E-inf", "E-dup", "E-big"]
    assert mediator.ok("show", "D-1", "--as", "dora", now=iso(T0))["version"] == 1  # no message was applied
