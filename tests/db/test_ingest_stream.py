"""Ingest streams (issue 13): from a pipe, the first lines are committed while the pipe is still open; a file is
read chunk by chunk (chunks bounded in bytes as well as lines)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from mediator_app.db.engine import make_engine
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_lines
from mediator_app.services.feed_lines import LineReader
from tests.feeds import T0, iso, opened

ROOT = Path(__file__).resolve().parents[2]


def stored(engine, dispute_ids: list[str]) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT dispute_id FROM disputes")).scalars()) & set(dispute_ids)


def test_a_pipe_sees_its_first_events_stored_before_it_closes(ctx: Context, db_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "mediator_app.cli", "--db", db_url, "--json", "--now", iso(T0),
                             "ingest", "-"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        first = [f"P-{n}" for n in range(3)]
        proc.stdin.write("".join(json.dumps(opened(d)) + "\n" for d in first).encode())
        proc.stdin.flush()
        seen: set[str] = set()
        for _ in range(100_000):  # bounded: the reader commits what it has once the pipe pauses
            seen = stored(ctx.engine, first)
            if seen == set(first) or proc.poll() is not None:
                break
        assert seen == set(first), "the first lines were not committed while the pipe was open"
        assert proc.poll() is None  # still reading the open pipe
        proc.stdin.write((json.dumps(opened("P-last")) + "\n").encode())
    finally:
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert json.loads(out)["applied"] == 4
    assert stored(ctx.engine, ["P-last"]) == {"P-last"}


def test_chunks_are_bounded_in_bytes(ctx: Context, tmp_path: Path) -> None:
    big = "x" * 3000
    lines = [json.dumps({**opened(f"B-{n}"), "note": big}) for n in range(10)]
    sizes: list[int] = []
    report = ingest_lines(ctx, LineReader("\n".join(lines).encode()), "test", on_chunk=sizes.append,
                          chunk_bytes=len(lines[0]) * 3 + 10)
    assert report.applied == 10
    assert sizes == [3, 3, 3, 1]
