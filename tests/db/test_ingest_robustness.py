"""Lines of any shape: each odd one is rejected with a reason and the valid lines around it are kept."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator
from tests.feeds import T0, event, iso, opened

ODD = [
    ("type is a list", lambda: {**opened("X-1"), "type": ["dispute.opened"]}, "event type"),
    ("kind is a list", lambda: {**opened("X-2"), "kind": ["only_refund"]}, "kind"),
    ("policy is a list", lambda: {**opened("X-3"), "policy": ["aliexpress-2024"]}, "policy"),
    ("year 1", lambda: {**opened("X-4"), "at": "0001-01-01T00:00:00+01:00"}, "years"),
    ("reason too long", lambda: {**opened("X-5"), "reason": "r" * 65}, "limit"),
    ("dispute id too long", lambda: opened("X" * 70), "limit"),
    ("huge amount", lambda: opened("X-6", total="1" * 20 + ".00"), "beyond"),
    ("huge promised days", lambda: {**opened("X-7"), "order": {**opened("X-7")["order"],
                                                               "promised_delivery_days": 10 ** 30}}, "days"),
    ("NUL in a message", lambda: event("D-1", "message.posted", T0, "E-nul", party="buyer", text="a\x00b"), "NUL"),
    ("event id too long", lambda: event("D-1", "message.posted", T0, "E" * 200, party="buyer", text="hi"),
     "limit"),
    ("party is an object", lambda: event("D-1", "message.posted", T0, "E-obj", party={"p": 1}, text="hi"),
     "may not send"),
    ("lone surrogate in a message", lambda: event("D-1", "message.posted", T0, "E-sur", party="buyer",
                                                   text="a\ud800b"), "surrogate"),
    ("lone surrogate in a dispute id", lambda: opened("X-\udfff"), "surrogate"),
]


@pytest.mark.parametrize("name,build,word", ODD, ids=[o[0] for o in ODD])
def test_an_odd_line_is_rejected_and_the_rest_is_kept(ctx: Context, db_url: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str], name: str,
                                                      build: object, word: str) -> None:
    mediator = Mediator(db_url, capsys)
    odd = json.dumps(build(), ensure_ascii=name != "NUL in a message")  # type: ignore[operator]
    lines = [json.dumps(opened("D-1")), odd, json.dumps(opened("D-2", T0))]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = mediator("ingest", str(feed), now=iso(T0))
    assert run.code == 1
    report = run.json
    assert report["applied"] == 2
    assert [r["line"] for r in report["rejected"]] == [2]
    assert word.lower() in report["rejected"][0]["reason"].lower()
    for dispute_id in ("D-1", "D-2"):
        assert mediator("show", dispute_id, "--as", "dora", now=iso(T0)).code == 0


def test_deep_nesting_and_crlf_and_bom(ctx: Context, db_url: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    mediator = Mediator(db_url, capsys)
    deep = "[" * 100_000 + "]" * 100_000
    data = ("\ufeff" + json.dumps(opened("D-1")) + "\r\n" + deep + "\r\n" + json.dumps(opened("D-2"))).encode()
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(data)
    report = mediator("ingest", str(feed), now=iso(T0)).json
    assert report["applied"] == 2
    assert [r["line"] for r in report["rejected"]] == [2]


def test_one_open_dispute_per_order_does_not_depend_on_the_sweeper(ctx: Context, db_url: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import timedelta

    mediator = Mediator(db_url, capsys)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps(opened("D-1", order_id="O-1")) + "\n")
    later = T0 + timedelta(days=9)  # D-1's seller time ran out on day 5: the order is free again
    second.write_text(json.dumps({**opened("D-2", later, order_id="O-1")}) + "\n")
    mediator.ok("ingest", str(first), now=iso(T0))
    report = mediator.ok("ingest", str(second), now=iso(later))  # no sweep in between
    assert report["applied"] == 1
    assert [(e["dispute_id"], e["reached_type"]) for e in report["executed"]] == [("D-1", "seller_response_timeout")]
    assert mediator.ok("show", "D-1", "--as", "dora", now=iso(later))["status"] == "closed"
