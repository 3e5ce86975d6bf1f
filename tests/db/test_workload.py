"""The randomized workload: 8 clerk processes and 3 sweepers at once, then the checker (PostgreSQL).

With faults: backends terminated during the run and the server restarted (clients reconnect and retry with
the same keys); a worker killed in the middle of a transaction; a workstation that dies holding a claim.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mediator_app.db.engine import make_engine
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from tests.db import workload
from tests.feeds import opened

WORKERS = 8
SWEEPERS = 3
ACTIONS = 200
EXPIRED = 3000
RESULTS = Path(os.environ.get("MEDIATOR_RELIABILITY_OUT", "/tmp/mediator-reliability.json"))


def _run(db_url: str, tmp_path: Path, disturb: threading.Event | None = None,
         calm: threading.Event | None = None) -> workload.Verdict:
    """Run the workload; `disturb` is set once the workers are a quarter through, `calm` once all finished."""
    engine = make_engine(db_url)
    expired = workload.seed(Context(engine, FixedClock(workload.T0)), EXPIRED)
    mp = multiprocessing.get_context("spawn")
    barrier = mp.Barrier(WORKERS + SWEEPERS)
    underway = mp.Event()
    worker_files = [tmp_path / f"worker-{i}.json" for i in range(WORKERS)]
    sweeper_files = [tmp_path / f"sweeper-{i}.json" for i in range(SWEEPERS)]
    processes = [mp.Process(target=workload.run_worker, args=(db_url, i, ACTIONS, str(f), barrier, underway))
                 for i, f in enumerate(worker_files)]
    processes += [mp.Process(target=workload.run_sweeper, args=(db_url, i, str(f), barrier))
                  for i, f in enumerate(sweeper_files)]
    for process in processes:
        process.start()
    if disturb is not None:
        underway.wait(timeout=300)
        disturb.set()
    for process in processes:
        process.join(timeout=600)
    if calm is not None:
        calm.set()
    for process in processes:
        assert process.exitcode == 0, f"{process.name} exited {process.exitcode}"
    verdict = workload.check(engine, worker_files, sweeper_files, expired)
    engine.dispose()
    return verdict


def _record(name: str, verdict: workload.Verdict) -> None:
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[name] = verdict.to_json()
    RESULTS.write_text(json.dumps(previous, indent=2))


@pytest.fixture
def pg_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("the multi-process workload runs on PostgreSQL (SQLite has one writer at a time)")
    return db_url


@pytest.mark.slow
def test_randomized_workload_with_checker(pg_url: str, tmp_path: Path) -> None:
    verdict = _run(pg_url, tmp_path)
    _record("workload", verdict)
    assert verdict.problems == []
    assert verdict.actions == WORKERS * ACTIONS and verdict.unknown == 0
    assert verdict.applied > WORKERS * ACTIONS / 6, verdict.to_json()  # it did real work (about a third)
    assert verdict.conflicts > 0, "the hot disputes really were contended"
    assert verdict.executions == EXPIRED


@pytest.mark.slow
def test_workload_survives_terminated_backends(pg_url: str, tmp_path: Path) -> None:
    base = os.environ["MEDIATOR_TEST_PG"]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    started, stop = threading.Event(), threading.Event()
    killed: list[int] = []

    def killer() -> None:
        started.wait()
        with admin.connect() as conn:
            while not stop.is_set():
                pids = conn.execute(text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                    "AND state IN ('active', 'idle in transaction')")).scalars().all()
                for pid in pids[:2]:
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                    killed.append(pid)
                stop.wait(0.15)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        verdict = _run(pg_url, tmp_path, disturb=started, calm=stop)
    finally:
        stop.set()
        thread.join(timeout=10)
        admin.dispose()
    _record("terminated_backends", verdict)
    _record_killed(len(killed))
    assert killed, "backends were terminated during the run"
    assert verdict.problems == []
    assert verdict.executions == EXPIRED


def _record_killed(count: int) -> None:
    previous = json.loads(RESULTS.read_text())
    previous["terminated_backends"]["backends_terminated"] = count
    RESULTS.write_text(json.dumps(previous, indent=2))


def _killed_after(target: object, args: tuple) -> None:
    mp = multiprocessing.get_context("spawn")
    ready = mp.Queue()
    process = mp.Process(target=target, args=(*args, ready))
    process.start()
    assert ready.get(timeout=60) in ("holding", "claimed")
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=30)
    assert process.exitcode == -signal.SIGKILL


def test_a_worker_killed_mid_transaction_leaves_nothing_partial(db_url: str, ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    before = show(ctx, "D-1")["version"]
    _killed_after(workload.hold_a_write_and_wait, (db_url, "D-1"))
    assert show(ctx, "D-1")["version"] == before, "the killed transaction was rolled back"
    result = casework.note(ctx, "D-1", "alice", "after the crash")  # the row lock is gone too
    assert result.case["version"] == before + 1


def test_a_crashed_workstation_does_not_hold_its_case_forever(db_url: str, ctx: Context, clock: FixedClock) -> None:
    ingest_events(ctx, [opened("D-1")])
    clock.set(workload.WORK_AT)
    _killed_after(workload.claim_then_wait, (db_url, "D-1", "alice"))
    assert show(ctx, "D-1")["assigned_to"] == "alice"
    with pytest.raises(Rejection, match="claimed by alice"):
        casework.claim(ctx, "D-1", "carol")
    clock.advance(timedelta(minutes=30))
    assert show(ctx, "D-1")["assigned_to"] is None, "the lease lapsed"
    assert casework.claim(ctx, "D-1", "carol").case["assigned_to"] == "carol"


def _pg_restart_command() -> list[str] | None:
    clusters = Path("/etc/postgresql")
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not clusters.is_dir():
        return None
    version = sorted(p.name for p in clusters.iterdir())[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]


@pytest.mark.slow
def test_workload_survives_a_server_restart(pg_url: str, tmp_path: Path) -> None:
    command = _pg_restart_command()
    if command is None:
        pytest.skip("restarting PostgreSQL needs root and pg_ctlcluster (CI has both)")
    started, restarted = threading.Event(), threading.Event()
    outcome: list[int] = []

    def restart() -> None:
        started.wait()
        outcome.append(subprocess.run(command, capture_output=True, timeout=120).returncode)
        restarted.set()

    thread = threading.Thread(target=restart, daemon=True)
    thread.start()
    verdict = _run(pg_url, tmp_path, disturb=started)
    thread.join(timeout=180)
    _record("server_restart", verdict)
    assert outcome == [0], "the server restarted"
    assert verdict.problems == []
    assert verdict.unknown == 0
    assert verdict.executions == EXPIRED
