"""Rejected lines (issue 13): kept whole up to the line limit, a longer one cut with a marker giving the size and
sha256 of the whole line; one row per distinct line (a re-ingest counts it again, stores no copy); event_id
reported when the line has one; migration 0006 carries old rows forward."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import RejectedLine
from mediator_app.services.context import Context
from mediator_app.services.feed_lines import LINE_LIMIT
from tests.cli_runner import Mediator
from tests.feeds import T0, iso, opened


def rows(ctx: Context) -> list[RejectedLine]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(select(RejectedLine).order_by(RejectedLine.id)))


def test_a_line_beyond_the_limit_is_kept_up_to_it_with_its_size_and_sha256(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_text = "x" * (LINE_LIMIT + 1000)
    long_line = json.dumps({"event_id": "E-long", "type": "message.posted", "dispute_id": "D-1", "at": iso(T0),
                            "party": "buyer", "text": long_text}).encode()
    whole_line = json.dumps({"event_id": "E-ok-but-bad", "type": "message.posted", "dispute_id": "D-404",
                             "at": iso(T0), "party": "buyer", "text": "y" * 5000}).encode()
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\n".join([json.dumps(opened("D-1")).encode(), long_line, whole_line,
                                 json.dumps(opened("D-2")).encode()]) + b"\n")
    run = Mediator(db_url, capsys)("ingest", str(feed), now=iso(T0))
    assert run.code == 1
    report = run.json
    assert report["applied"] == 2
    by_line = {r["line"]: r for r in report["rejected"]}
    assert f"{len(long_line):,} bytes long, above the limit of {LINE_LIMIT:,}" in by_line[2]["reason"]
    assert by_line[2]["event_id"] == "E-long"  # read from the head of the line
    stored = {r.line: r for r in rows(ctx)}
    digest = hashlib.sha256(long_line).hexdigest()
    assert stored[2].line_sha256 == digest and stored[2].line_size == len(long_line)
    assert stored[2].raw.startswith(long_line[:LINE_LIMIT].decode())
    assert stored[2].raw.endswith(f"the whole line is {len(long_line):,} bytes, sha256 {digest}]")
    assert len(stored[2].raw) < LINE_LIMIT + 200
    assert stored[3].raw == whole_line.decode()  # kept whole (it was cut at 11,000,000 characters before)
    assert stored[3].line_size == len(whole_line)


def test_a_reingest_counts_again_but_stores_no_copy(ctx: Context, db_url: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = '{"event_id": "E-bad", "type": "message.posted", "dispute_id": "D-404", "at": "%s", "party": "buyer", ' \
          '"text": "hi"}' % iso(T0)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([json.dumps(opened("D-1")), bad, "{not json", bad]) + "\n")
    m = Mediator(db_url, capsys)
    for _ in range(3):
        assert len(m("ingest", str(feed), now=iso(T0)).json["rejected"]) == 3  # reported every time
    stored = rows(ctx)
    assert [(r.line, r.times) for r in stored] == [(2, 6), (3, 3)]  # the same line twice in the file too


def test_migration_0006_carries_rejected_lines_forward(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0004")
    at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    table = RejectedLine.__table__
    old = [{"received_at": at.replace(day=day), "source": "f.jsonl", "line": line, "event_id": None,
            "dispute_id": None, "reason": "not valid JSON", "raw": raw}
           for day, line, raw in ((1, 2, "{bad"), (2, 2, "{bad"), (3, 5, "other \u00e9"), (4, 2, "{bad"))]
    with engine.begin() as conn:
        for row in old:
            columns = ", ".join(row)
            conn.execute(text(f"INSERT INTO rejected_lines ({columns}) VALUES ({', '.join(':' + c for c in row)})"),
                         row)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        got = conn.execute(select(table.c.raw, table.c.times, table.c.line_sha256, table.c.line_size,
                                  table.c.received_at, table.c.last_received_at).order_by(table.c.id)).all()
    engine.dispose()
    assert [(r.raw, r.times) for r in got] == [("{bad", 3), ("other \u00e9", 1)]
    assert got[0].line_sha256 == hashlib.sha256(b"{bad").hexdigest()
    assert got[1].line_size == len("other \u00e9".encode())
    assert got[0].received_at.day == 1 and got[0].last_received_at.day == 4
