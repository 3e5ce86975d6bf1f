"""A stalled ingest does not freeze a clerk's case (issue 13, decision 72; PostgreSQL).

An ingest of 20,000 message events is stopped (`kill -STOP`) while it holds row locks: a clerk's note on a
locked case finishes or fails clearly within 10 s ("D-1 is being written by another process; try again"), the
server cuts the stopped client off (idle_in_transaction_session_timeout), a note sent again then succeeds, and
the ingest, continued, applies every event exactly once."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from mediator_app import cli
from mediator_app.db.engine import make_engine
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.feeds import T0, event, iso, opened

ROOT = Path(__file__).resolve().parents[2]
DISPUTES, PER_DISPUTE = 1000, 20
NOW = iso(T0)


def ingest_holders(conn) -> list[int]:
    """Backends other than ours holding a FOR UPDATE lock on this schema's disputes table."""
    return list(conn.execute(text(
        "SELECT DISTINCT pid FROM pg_locks WHERE relation = to_regclass('disputes') AND mode = 'RowShareLock' "
        "AND pid <> pg_backend_pid()")).scalars())


def locked_disputes(engine) -> list[str]:
    with engine.begin() as conn:
        every = set(conn.execute(text("SELECT dispute_id FROM disputes")).scalars())
        free = set(conn.execute(text("SELECT dispute_id FROM disputes FOR UPDATE SKIP LOCKED")).scalars())
        conn.rollback()
    return sorted(every - free)


def test_a_clerks_note_on_a_case_a_stopped_ingest_holds_ends_within_10_s(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("row locks and server-side timeouts are PostgreSQL's; SQLite has one writer at a time")
    ingest_events(ctx, [opened(f"D-{n}") for n in range(DISPUTES)])
    feed = tmp_path / "messages.jsonl"
    with feed.open("w") as out:
        for k in range(PER_DISPUTE):
            for n in range(DISPUTES):
                out.write(json.dumps(event(f"D-{n}", "message.posted", T0, f"E-{n}-{k}", party="buyer",
                                           text=f"message {k}")) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "mediator_app.cli", "--db", db_url, "--json", "--now", NOW,
                             "ingest", str(feed)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watcher = make_engine(db_url)
    stopped_holding: list[str] = []
    holder = None
    try:
        with watcher.connect() as conn:
            for _ in range(200_000):  # bounded: the ingest takes its first locks within seconds
                conn.rollback()
                holders = ingest_holders(conn)
                if not holders:
                    assert proc.poll() is None, "the ingest ended before it was seen holding a lock"
                    continue
                os.kill(proc.pid, signal.SIGSTOP)
                stopped_holding = locked_disputes(watcher)
                if stopped_holding:
                    holder = holders[0]
                    break
                os.kill(proc.pid, signal.SIGCONT)  # stopped between chunks: try again
        assert stopped_holding, "never caught the ingest holding a lock"
        target = stopped_holding[0]

        started = time.monotonic()
        code = cli.main(["--db", db_url, "--now", NOW, "note", target, "--as", "alice", "--text", "looked"])
        elapsed = time.monotonic() - started
        err = capsys.readouterr().err
        print(f"\nnote on {target} held by a stopped ingest: exit {code} after {elapsed:.2f} s: {err.strip()}")
        assert elapsed < 10
        assert code == 0 or f"{target} is being written by another process; try again" in err

        # the server cuts the stopped client off; the clerk's retry then goes through
        with watcher.connect() as conn:
            for _ in range(100_000):
                if not conn.execute(text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"),
                                    {"pid": holder}).first():
                    break
                conn.rollback()
        cut_off = time.monotonic() - started
        print(f"stopped ingest's session ended by the server {cut_off:.2f} s after the note began")
        if code != 0:
            assert cli.main(["--db", db_url, "--now", NOW, "note", target, "--as", "alice", "--text",
                             "looked"]) == 0
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        out_text, err_text = proc.communicate(timeout=300)
        watcher.dispose()
    assert proc.returncode == 0, err_text.decode()
    report = json.loads(out_text)
    assert report["applied"] + report["duplicates"] == DISPUTES * PER_DISPUTE
    with ctx.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM history WHERE kind = 'message.posted'")).scalar()
    assert count == DISPUTES * PER_DISPUTE  # every event exactly once, the cut-off chunk retried whole


def test_every_session_has_bounded_waits(ctx: Context) -> None:
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL settings")
    with ctx.engine.connect() as conn:
        shown = {name: conn.execute(text(f"SHOW {name}")).scalar()
                 for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")}
    assert shown == {"lock_timeout": "3s", "statement_timeout": "1min", "idle_in_transaction_session_timeout": "5s"}


def test_every_session_reads_times_in_utc(ctx: Context) -> None:
    """The session's TimeZone is UTC, whatever the server's default: psycopg then gives `timezone.utc` times
    (what `audit verify` compares fast), and SQL that formats a time without AT TIME ZONE still writes UTC."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL settings")
    with ctx.engine.connect() as conn:
        at = conn.exec_driver_sql("SELECT TIMESTAMPTZ '2026-11-01 10:00:00+08'").scalar_one()
        written = conn.exec_driver_sql("SELECT TIMESTAMPTZ '2026-11-01 10:00:00+08'::text").scalar_one()
    assert at.tzinfo is timezone.utc and at.hour == 2
    assert written == "2026-11-01 02:00:00+00"
