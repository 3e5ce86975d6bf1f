"""THE SKIP TEST (§8.2: no event is ever skipped), on PostgreSQL.

Thousands of expired disputes swept by four sweepers in parallel processes at once (batches of different
sizes, so their transactions overlap and commit out of the order they started in), while two clerks decide
cases; one reader polls `outbox read --after` in a loop (the service the command calls, as fast as it can) and
another runs `mediator outbox follow` in a subprocess. At the end each reader's events equal the table's: none
missing, none twice, `seq` strictly rising.

Run once more with the remedy disabled (`MEDIATOR_OUTBOX_NAIVE=1` in the writers: `seq` in the order the
numbers are handed out, not the order of commit): the readers must then LOSE events, so the test is known to
catch the bug.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mediator_app.db import outbox as outbox_table
from mediator_app.db.engine import make_engine
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, outbox
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.sweeper import sweep
from mediator_app.services.users import add_user
from tests.feeds import T0, opened

EXPIRED = 3000  # seller-silent disputes: two events each when swept
DECIDED = 150  # per clerk: two events per ruling
CLERKS = 2
BATCHES = (3, 40, 150, 400)  # the four sweepers' transaction sizes
SWEEP_AT = T0 + timedelta(days=20)
ROOT = Path(__file__).resolve().parents[2]


def _sweeper(url: str, barrier: Any, batch: int) -> None:
    engine = make_engine(url)
    barrier.wait()
    sweep(Context(engine, FixedClock(SWEEP_AT), workstation=f"sweeper-{batch}"), batch=batch)
    engine.dispose()


def _clerk(url: str, barrier: Any, index: int, timings: Any) -> None:
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(SWEEP_AT), workstation=f"clerk-{index}")
    barrier.wait()
    spent = []
    for n in range(DECIDED):
        started = time.perf_counter()
        casework.rule(ctx, f"C{index}-{n}", f"clerk-{index}", "buyer")
        spent.append(time.perf_counter() - started)
    timings.put(spent)
    engine.dispose()


def _follow(url: str) -> tuple[subprocess.Popen[str], list[dict[str, Any]], threading.Event, list[int]]:
    """`mediator outbox follow` in a subprocess; a thread gathers its lines and sets `reached` at `target[0]`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MEDIATOR_OUTBOX_NAIVE", None)  # the reader is the same either way; only the writers change
    process = subprocess.Popen([sys.executable, "-m", "mediator_app.cli", "--db", url, "outbox", "follow"],
                               stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    seen: list[dict[str, Any]] = []
    reached = threading.Event()
    target = [-1]

    def gather() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(json.loads(line))
            if seen[-1]["seq"] == target[0]:
                reached.set()
        reached.set()  # the process ended

    threading.Thread(target=gather, daemon=True).start()
    return process, seen, reached, target


def _check(name: str, read: list[dict[str, Any]], table: list[int]) -> int:
    """Asserts no event twice and `seq` strictly rising; returns how many of the table's the reader missed."""
    seqs = [e["seq"] for e in read]
    assert seqs == sorted(set(seqs)), f"{name}: seq not strictly rising, or an event twice"
    assert set(seqs) <= set(table), f"{name}: read an event the table does not hold"
    return len(set(table) - set(seqs))


@pytest.fixture
def pg_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("the skip test is PostgreSQL's: SQLite has one writer at a time")
    return db_url


@pytest.mark.slow
@pytest.mark.parametrize("remedy", ["commit_order", "naive"])
def test_no_reader_ever_skips_an_event_under_parallel_writers(pg_url: str, remedy: str,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             request: pytest.FixtureRequest) -> None:
    started = time.perf_counter()
    engine = make_engine(pg_url)
    ctx = Context(engine, FixedClock(T0), workstation="setup")
    for index in range(CLERKS):
        add_user(ctx, f"clerk-{index}", "clerk")
    opening = [opened(f"X-{n}") for n in range(EXPIRED)]
    # the clerks' cases open later: their seller clocks are still running at SWEEP_AT
    opening += [opened(f"C{i}-{n}", SWEEP_AT - timedelta(days=1)) for i in range(CLERKS) for n in range(DECIDED)]
    follower, followed, reached, target = _follow(pg_url)
    request.addfinalizer(lambda: follower.poll() is None and follower.kill())  # a failed test leaves none running
    report = ingest_events(ctx, opening)
    assert report.applied == len(opening) and not report.rejected

    if remedy == "naive":
        monkeypatch.setenv(outbox_table.NAIVE_ENV, "1")
    mp = multiprocessing.get_context("spawn")
    barrier, timings = mp.Barrier(len(BATCHES) + CLERKS), mp.Queue()
    writers = [mp.Process(target=_sweeper, args=(pg_url, barrier, b)) for b in BATCHES]
    writers += [mp.Process(target=_clerk, args=(pg_url, barrier, i, timings)) for i in range(CLERKS)]
    for process in writers:
        process.start()
    ingested = time.perf_counter()
    monkeypatch.delenv(outbox_table.NAIVE_ENV, raising=False)  # the children have it; this process never writes

    polled: list[dict[str, Any]] = []
    after, polls = 0, 0
    reader = Context(engine, FixedClock(SWEEP_AT))
    while any(p.is_alive() for p in writers) or polls == 0:
        page = outbox.read(reader, after, 1000)  # what `outbox read --after` runs
        polled.extend(json.loads(line) for line in page.lines)
        after, polls = page.next, polls + 1
    for process in writers:  # their results are small: a finished child is never stuck on the queue
        process.join()
        assert process.exitcode == 0, f"a writer failed (exit {process.exitcode}): see its traceback above"
    rulings = sorted(t for _ in range(CLERKS) for t in timings.get(timeout=30))
    written = time.perf_counter()
    while (page := outbox.read(reader, after, 1000)).lines:  # the writers are done: read to the end
        polled.extend(json.loads(line) for line in page.lines)
        after = page.next

    with engine.connect() as conn:
        table = [seq for seq, _ in outbox_table.read_lines(conn, 0, 100_000)]
    expected_events = 2 * (EXPIRED + CLERKS * DECIDED)
    assert len(table) == expected_events  # every change wrote its events, whichever scheme numbered them
    target[0] = table[-1]
    if any(e["seq"] == table[-1] for e in followed):
        reached.set()
    reached.wait(timeout=60)  # `follow` has printed the last event (or has ended)
    follower.send_signal(signal.SIGTERM)
    assert follower.wait(timeout=30) == 0  # SIGTERM: a clean exit

    lost_polling = _check("poll reader", polled, table)
    lost_following = _check("follow", followed, table)
    figures = (f"{remedy}: {len(table)} events, {len(BATCHES)} sweepers + {CLERKS} clerks, {polls} polls; "
               f"lost by polling {lost_polling}, by follow {lost_following}; "
               f"{time.perf_counter() - started:.1f} s (setup {ingested - started:.1f}, writers "
               f"{written - ingested:.1f}); a clerk's ruling under this load p50 "
               f"{rulings[len(rulings) // 2] * 1000:.0f} ms, p95 {rulings[len(rulings) * 95 // 100] * 1000:.0f} ms")
    print(figures)
    if remedy == "commit_order":
        assert lost_polling == 0 and lost_following == 0, figures
        assert [e["seq"] for e in polled] == table and [e["seq"] for e in followed] == table
    else:
        # both readers sample the same race: at least one of them must have been passed by a late commit
        assert lost_polling + lost_following > 0, f"the naive scheme should lose events under this load ({figures})"
    engine.dispose()
