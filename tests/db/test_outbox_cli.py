"""`mediator outbox read|follow|ack|consumers` (§8.2) on both databases, and the lock that makes `seq` follow
commit order on PostgreSQL, shown step by step."""
from __future__ import annotations

import json
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
from sqlalchemy import text

from mediator_app.db import outbox as outbox_table
from mediator_app.db import store
from mediator_app.domain import actions
from mediator_app.domain.judge import judge_action
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, outbox
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.cli_runner import Mediator
from tests.feeds import T0, opened

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-02T00:00:00Z"


def decided(ctx: Context, clock: FixedClock, *ids: str) -> None:
    """Each dispute opened and ruled for the buyer: `dispute.resolved` and `dispute.closed`."""
    ingest_events(ctx, [opened(d) for d in ids])
    clock.set(T0 + timedelta(hours=1))
    for d in ids:
        casework.rule(ctx, d, "alice", "buyer")


def table(ctx: Context) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return [json.loads(line) for _, line in outbox_table.read_lines(conn, 0, 100_000)]


def test_read_pages_through_every_event_with_next(ctx: Context, clock: FixedClock, db_url: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    m = Mediator(db_url, capsys)
    assert m.ok("outbox", "read") == {"events": [], "next": 0}
    decided(ctx, clock, *(f"D-{n}" for n in range(5)))
    every = table(ctx)
    assert len(every) == 10
    read, after = [], 0
    while page := m.ok("outbox", "read", "--after", str(after), "--limit", "3"):
        if not page["events"]:
            assert page["next"] == after  # nothing new: `next` stays where it was
            break
        assert len(page["events"]) <= 3 and page["next"] == page["events"][-1]["seq"]
        read += page["events"]
        after = page["next"]
    assert read == every
    assert [e["seq"] for e in m.ok("outbox", "read", "--after", str(every[3]["seq"]))["events"]] == \
        [e["seq"] for e in every[4:]]
    assert len(m.ok("outbox", "read")["events"]) == 10  # default limit 1000
    for bad in (["--limit", "0"], ["--limit", "10001"], ["--after", "-1"], ["--after", "1", "--consumer", "c"]):
        assert m("outbox", "read", *bad).code == 2, bad


def test_ack_never_moves_backwards_and_consumers_show_how_far_behind(
        ctx: Context, clock: FixedClock, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    m = Mediator(db_url, capsys)
    assert m.ok("outbox", "consumers") == []
    decided(ctx, clock, "D-1", "D-2", "D-3")
    seqs = [e["seq"] for e in table(ctx)]
    last = seqs[-1]
    acked = m.ok("outbox", "ack", "billing", str(seqs[1]), now=NOW)
    assert acked == {"name": "billing", "after": seqs[1], "acked_at": NOW, "behind": 4}
    assert m("outbox", "ack", "billing", str(seqs[0])).code == 1  # backwards: refused
    assert "backwards" in m("outbox", "ack", "billing", str(seqs[0])).json["error"]
    again = m.ok("outbox", "ack", "billing", str(seqs[1]), now="2026-11-03T00:00:00Z")
    assert again["acked_at"] == NOW  # the same SEQ again changes nothing
    assert m("outbox", "ack", "billing", str(last + 1)).code == 1  # beyond the last committed event
    assert m("outbox", "ack", "billing", "-1").code == 2
    assert m("outbox", "ack", "newcomer", str(last + 1)).code == 1
    assert m.ok("outbox", "ack", "ledger", "0", now=NOW)["behind"] == 6
    for bad in ("", "x" * 129, "bell\x07", " padded"):
        assert m("outbox", "ack", bad, "0").code == 1, bad  # a clear refusal, not a database error
    assert m.ok("outbox", "consumers") == [
        {"name": "billing", "after": seqs[1], "acked_at": NOW, "behind": 4},
        {"name": "ledger", "after": 0, "acked_at": NOW, "behind": 6}]
    page = m.ok("outbox", "read", "--consumer", "billing")
    assert [e["seq"] for e in page["events"]] == seqs[2:]  # starts after the consumer's position
    assert [e["seq"] for e in m.ok("outbox", "read", "--consumer", "nobody")["events"]] == seqs  # unknown: 0
    lag = {c.name: c for c in outbox.consumer_lag(ctx, warn_behind=5)}
    assert (lag["billing"].behind, lag["billing"].warning) == (4, False)
    assert (lag["ledger"].behind, lag["ledger"].warning) == (6, True)


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_follow_writes_events_as_they_commit_until_stopped(ctx: Context, clock: FixedClock, db_url: str,
                                                           stop_with: int) -> None:
    decided(ctx, clock, "D-1", "D-2")
    first = table(ctx)
    outbox.ack(ctx, "billing", first[1]["seq"])
    process = subprocess.Popen(
        [sys.executable, "-m", "mediator_app.cli", "--db", db_url, "outbox", "follow", "--consumer", "billing"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert process.stdout is not None
        assert [json.loads(process.stdout.readline()) for _ in range(2)] == first[2:]  # after the ack
        started = time.monotonic()
        decided(ctx, clock, "D-3")
        new = [json.loads(process.stdout.readline()) for _ in range(2)]
        waited = time.monotonic() - started
        assert new == table(ctx)[4:]
        # woken by the commit's notification (PostgreSQL) or the next poll (SQLite), not the 10 s safety read
        assert waited < outbox.QUIET_SECONDS
        process.send_signal(stop_with)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err


#: `mediator` told to stop while it still imports: the program's name as its console script gives it, the
#: command's module imported as the script imports it (`early_signals.hold`), then a SIGTERM, then the command
EARLY_SIGTERM = """
import os, signal, sys
sys.argv[0] = "mediator"
from mediator_app import cli
os.kill(os.getpid(), signal.SIGTERM)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command,returncode", [(["outbox", "follow"], 0), (["sweep", "--every", "60"], 0),
                                                (["outbox", "consumers"], -signal.SIGTERM)],
                         ids=["follow", "sweep-every", "consumers"])
def test_a_sigterm_while_mediator_starts_stops_a_command_that_runs_until_stopped_cleanly(
        db_url: str, command: list[str], returncode: int) -> None:
    """§8.2: SIGTERM stops `follow` with exit 0 — also when it comes before the command has started (a service
    manager stopping a consumer it has just started); a command that does not run until stopped is ended by it
    as ever."""
    done = subprocess.run([sys.executable, "-c", EARLY_SIGTERM, "--db", db_url, *command], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == returncode, done.stderr
    assert done.stdout == ""


#: the `mediator` program as a file of that name, which `audit verify`'s spawned pool workers import again
PROGRAM_WITH_A_POOL = """
import multiprocessing, signal, sys
from mediator_app import cli


def handlers(_: int) -> tuple[bool, bool]:
    return (signal.getsignal(signal.SIGTERM) is signal.SIG_DFL,
            signal.getsignal(signal.SIGINT) is signal.default_int_handler)


if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        print(pool.map(handlers, [0])[0] == (True, True))
"""


def test_a_worker_the_program_spawns_keeps_the_default_signal_handling(tmp_path: Path) -> None:
    """A spawned worker imports the program's main module again, with its `sys.argv`: it must not hold signals
    (it never runs a command to settle them): a SIGTERM to `audit verify`'s workers ends them."""
    program = tmp_path / "mediator"
    program.write_text(PROGRAM_WITH_A_POOL)
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "True", done.stderr


def test_a_sigterm_while_mediator_starts_ends_a_usage_error_as_the_signal_does() -> None:
    done = subprocess.run([sys.executable, "-c", EARLY_SIGTERM, "outbox", "follow", "--after", "x"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == -signal.SIGTERM, done.stderr


def _waiting_for_the_lock(ctx: Context) -> bool:
    with ctx.engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                                      f"AND classid = {outbox_table.LOCK_CLASS}")).scalar())


@pytest.mark.parametrize("remedy", ["commit_order", "naive"])
def test_a_transaction_that_started_later_but_commits_first_cannot_pass_one_still_writing(
        ctx: Context, clock: FixedClock, db_url: str, remedy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """T1 writes its events and has not committed; T2 writes its own and commits. With the lock T2 waits for
    T1 and numbers after it; without it T2 commits first with higher numbers, and a reader that read T2's
    events never sees T1's."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time")
    if remedy == "naive":
        monkeypatch.setenv(outbox_table.NAIVE_ENV, "1")
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    clock.set(T0 + timedelta(hours=1))
    second = threading.Thread(target=casework.rule, args=(ctx, "D-2", "alice", "buyer"))
    seen: list[dict[str, Any]] = []
    with ctx.engine.begin() as conn:
        state = store.load_dispute(conn, "D-1")
        assert state is not None
        judgement = judge_action(state, clock.now(), lambda s: actions.rule(
            s, actions.Actor("alice", "clerk"), clock.now(), "buyer"))
        store.store_changes(conn, judgement.state, state.version, judgement.changes, clock.now(), "test")
        second.start()
        if remedy == "commit_order":
            deadline = time.monotonic() + 30
            while not _waiting_for_the_lock(ctx):  # T2 is blocked on the lock, behind T1
                assert time.monotonic() < deadline and second.is_alive()
        else:
            second.join(timeout=30)
            assert not second.is_alive()  # nothing held it
        page = outbox.read(ctx, 0)
        seen += [json.loads(line) for line in page.lines]
    second.join(timeout=30)
    seen += [json.loads(line) for line in outbox.read(ctx, page.next).lines]
    by_dispute = {e["dispute_id"]: e["seq"] for e in table(ctx)}
    if remedy == "commit_order":
        assert by_dispute["D-1"] < by_dispute["D-2"]
        assert [e["seq"] for e in seen] == [e["seq"] for e in table(ctx)]
    else:
        assert by_dispute["D-1"] < by_dispute["D-2"]  # numbered first, committed last
        assert {e["dispute_id"] for e in seen} == {"D-2"}  # the reader passed D-1's events: lost


def test_only_a_transaction_that_writes_outbound_events_takes_the_lock(ctx: Context, clock: FixedClock,
                                                                       db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no advisory locks (one writer at a time)")
    ingest_events(ctx, [opened("D-1")])
    clock.set(T0 + timedelta(hours=1))
    held = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                f"AND classid = {outbox_table.LOCK_CLASS}")
    alice = actions.Actor("alice", "clerk")
    with ctx.engine.begin() as conn:
        for step, locked in ((lambda s: actions.add_note(s, alice, clock.now(), "first"), 0),
                             (lambda s: actions.rule(s, alice, clock.now(), "buyer"), 1)):
            state = store.load_dispute(conn, "D-1")
            assert state is not None
            judgement = judge_action(state, clock.now(), step)
            store.store_changes(conn, judgement.state, state.version, judgement.changes, clock.now(), "test")
            assert conn.execute(held).scalar() == locked  # a note writes no event: no lock; the ruling holds it
    with ctx.engine.connect() as conn:
        assert conn.execute(held).scalar() == 0  # released with the commit
