"""Outbound feed benchmark: what the outbox costs a decision, and how fast `outbox read` reads.

    python -m bench.outbox --db URL --json [--only read [--compare-with /work/main]]

- `decision`: a clerk's ruling (it writes `dispute.resolved` and `dispute.closed`) committed, p50, with the
  remedy (PostgreSQL: the advisory lock before the outbox rows), without the lock (`MEDIATOR_OUTBOX_NAIVE`)
  and without any outbox row (the code before the outbound feed), samples interleaved; beside them a note (no
  outbound event) and the machine's fsync.
- `read`: `outbox read` pages of 10,000 over 50,000 stored events, as events/s — the service (rows to the
  JSON text the command prints) and the command (`mediator --json outbox read --limit 10000`, one process per
  page, with its start-up; and its own work, run in this process), `outbox follow` (one process printing them
  all, its start-up included) — beside the floor: the same SQL through the driver alone.
- `writes`: feed ingest and a sweeper with the outbox and without any outbox row, alternating.
Works on a scratch schema (PostgreSQL) or a scratch file next to the given SQLite file.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.backend import fsync_latency_ms, pg_folder
from bench.ingest import pg_scratch
from mediator_app import cli
from mediator_app.db import bulk, migrate, outbox as outbox_table
from mediator_app.db.engine import make_engine
from mediator_app.domain import actions
from mediator_app.domain.outbound import OutboundEvent
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, outbox
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.users import add_user
from mediator_app.demo.stream import generate_demo_events
from mediator_app.services.feed import ingest_bytes
from mediator_app.services.sweeper import sweep
from tests.feeds import T0, opened
from bench.ingest import NOW

ROOT = Path(__file__).resolve().parents[1]


def decision_cost(url: str, folder: str, samples: int = 150) -> dict[str, Any]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    ctx = Context(engine, FixedClock(T0 + timedelta(hours=1)), workstation="bench")
    add_user(ctx, "bench-clerk", "clerk")
    ingest_events(ctx, [opened(f"OD-{n}") for n in range(4 * samples)])
    timed: dict[str, list[float]] = {"rule_ordered": [], "rule_naive": [], "rule_without_outbox": [], "note": []}
    rule = lambda s, a, now: actions.rule(s, a, now, "buyer")  # noqa: E731
    note = lambda s, a, now: actions.add_note(s, a, now, "decided")  # noqa: E731
    add_events = outbox_table.add_events
    for n in range(samples):
        for k, name in enumerate(timed):
            if name == "rule_naive":
                os.environ[outbox_table.NAIVE_ENV] = "1"
            if name == "rule_without_outbox":  # the code before the outbound feed: no rows, no lock
                outbox_table.add_events = lambda writes, events: None  # type: ignore[assignment]
            step = note if name == "note" else rule
            started = time.perf_counter()
            casework.apply_action(ctx, f"OD-{k * samples + n}", "bench-clerk", "note" if step is note else "rule",
                                  step, 1, uuid.uuid4().hex)
            timed[name].append(time.perf_counter() - started)
            os.environ.pop(outbox_table.NAIVE_ENV, None)
            outbox_table.add_events = add_events  # type: ignore[assignment]
    engine.dispose()
    disk = fsync_latency_ms(folder)
    fsync = disk["fsync_append_ms"]
    out: dict[str, Any] = {f"{name}_p50_ms": round(statistics.median(values) * 1000, 2)
                           for name, values in timed.items()}
    out.update(disk)
    out["target_ms"] = round(1.5 * fsync + 2, 2)
    out["lock_cost_ms"] = round(out["rule_ordered_p50_ms"] - out["rule_naive_p50_ms"], 2)
    out["outbox_cost_ms"] = round(out["rule_ordered_p50_ms"] - out["rule_without_outbox_p50_ms"], 2)
    return out


def write_cost(make_url: Any, disputes: int = 1000, expired: int = 3000, rounds: int = 3) -> dict[str, Any]:
    """Feed ingest (demo events) and one sweeper (seller-silent refunds: two events each), with the outbox and
    without any outbox row, alternating on fresh databases (`make_url()` gives one and its clean-up)."""
    events = list(generate_demo_events(disputes, 11, NOW))
    data = b"".join(json.dumps(event, ensure_ascii=False).encode() + b"\n" for event in events)
    timed: dict[str, list[float]] = {}
    add_events = outbox_table.add_events
    for _ in range(rounds):
        for variant in ("with_outbox", "without_outbox"):
            if variant == "without_outbox":
                outbox_table.add_events = lambda writes, events: None  # type: ignore[assignment]
            try:
                url, drop = make_url()
                try:
                    engine = make_engine(url)
                    migrate.upgrade(engine)
                    started = time.perf_counter()
                    report = ingest_bytes(Context(engine, FixedClock(NOW)), data, "bench")
                    timed.setdefault(f"ingest_{variant}_events_per_s", []).append(
                        report.applied / (time.perf_counter() - started))
                    ingest_events(Context(engine, FixedClock(T0)), [opened(f"SW-{n}") for n in range(expired)])
                    started = time.perf_counter()
                    swept = sweep(Context(engine, FixedClock(T0 + timedelta(days=20))))
                    timed.setdefault(f"sweep_{variant}_per_s", []).append(len(swept) / (time.perf_counter() - started))
                    engine.dispose()
                finally:
                    drop()
            finally:
                outbox_table.add_events = add_events  # type: ignore[assignment]
    out: dict[str, Any] = {name: round(statistics.median(values)) for name, values in timed.items()}
    out["demo_events"], out["expired"] = len(events), expired
    return out


def _fill(url: str, count: int) -> None:
    """`count` outbound events like the sweeper's (resolved + closed of a seller-silent refund)."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    outcome = {"reached_type": "seller_response_timeout", "adopted": "buyer",
               "refund": {"amount": "66.65", "currency": "USD"}, "return_required": False, "return_status": "none",
               "resolved_at": "2026-11-06T02:00:00Z",
               "terms": {"proposal_id": "P-D-B1", "remedy": "refund", "refund": {"amount": "66.65", "currency": "USD"}}}
    with engine.begin() as conn:
        for start in range(0, count, 10_000):
            events = [OutboundEvent(f"OUT-D-{n // 2}-2-{kind}", kind, f"D-{n // 2}", 2, T0, {"outcome": outcome})
                      for n in range(start, min(count, start + 10_000))
                      for kind in (("dispute.resolved",) if n % 2 == 0 else ("dispute.closed",))]
            bulk.Writes(conn).insert(outbox_table.OUTBOX, [outbox_table.row(e) for e in events]).send()
    engine.dispose()


def read_rate(url: str, count: int = 50_000, page: int = 10_000, compare_with: str | None = None) -> dict[str, Any]:
    """`compare_with`: another tree (e.g. the main checkout) whose `mediator outbox read` runs beside ours,
    page for page alternating, its figures under `before_…`."""
    _fill(url, count)
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(T0))
    outbox.read(ctx, 0, 10)  # connect and warm the statement
    rates: dict[str, list[float]] = {"service": [], "driver_floor": []}
    started: float
    for _ in range(3):
        started, after, seen = time.perf_counter(), 0, 0
        while (result := outbox.read(ctx, after, page)).lines:
            text = result.to_json_text()
            seen, after = seen + len(result.lines), result.next
        assert seen == count and text
        rates["service"].append(count / (time.perf_counter() - started))
        with engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            mark = "%s" if conn.dialect.name == "postgresql" else "?"
            sql = f"SELECT seq, body FROM outbox WHERE seq > {mark} ORDER BY seq LIMIT {mark}"
            started, after, seen = time.perf_counter(), 0, 0
            while True:
                cursor.execute(sql, (after, page))
                rows = cursor.fetchall()
                if not rows:
                    break
                seen, after = seen + len(rows), rows[-1][0]
            assert seen == count
            rates["driver_floor"].append(count / (time.perf_counter() - started))
    engine.dispose()
    trees = {"": ROOT, **({"before_": Path(compare_with)} if compare_with else {})}

    def command(after: int, tree: Path) -> tuple[dict[str, Any], float]:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mediator_app.cli", "--db", url, "--json", "outbox", "read",
                               "--after", str(after), "--limit", str(page)], capture_output=True,
                              env={**os.environ, "PYTHONPATH": str(tree)}, cwd=str(tree))
        if done.returncode:
            raise RuntimeError(done.stderr.decode())
        return json.loads(done.stdout), time.perf_counter() - started

    per_tree: dict[str, dict[str, Any]] = {}
    startups: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(3):  # nothing after the last: start-up alone; the trees alternate
        for name, tree in trees.items():
            startups[name].append(command(count, tree)[1])
    for name in trees:
        per_tree[name] = {"after": 0, "seen": 0, "spent": 0.0, "done": False}
    while not all(t["done"] for t in per_tree.values()):  # a page of each tree in turn
        for name, tree in trees.items():
            t = per_tree[name]
            if t["done"]:
                continue
            printed, seconds = command(t["after"], tree)
            if not printed["events"]:
                t["done"] = True
                continue
            t["seen"] += len(printed["events"])
            t["after"], t["spent"] = printed["next"], t["spent"] + seconds
    assert all(t["seen"] == count for t in per_tree.values())
    # the command's own work, in this process (parsing, the schema check, connecting, reading, printing)
    in_process = []
    for _ in range(3):
        started, after, seen = time.perf_counter(), 0, 0
        while True:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                assert cli.main(["--db", url, "--json", "outbox", "read", "--after", str(after),
                                 "--limit", str(page)]) == 0
            shown = json.loads(buffer.getvalue())
            if not shown["events"]:
                break
            seen, after = seen + len(shown["events"]), shown["next"]
        assert seen == count
        in_process.append(count / (time.perf_counter() - started))
    # `outbox follow`, the way a consumer reads: one process that prints every event, start-up included
    started = time.perf_counter()
    follower = subprocess.Popen([sys.executable, "-m", "mediator_app.cli", "--db", url, "outbox", "follow"],
                                stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert follower.stdout is not None
    for _ in range(count):
        assert follower.stdout.readline()
    followed = count / (time.perf_counter() - started)
    follower.send_signal(signal.SIGTERM)
    assert follower.wait(timeout=30) == 0
    out: dict[str, Any] = {f"{name}_events_per_s": round(statistics.median(values)) for name, values in rates.items()}
    for name in trees:
        out[f"{name}command_events_per_s"] = round(count / per_tree[name]["spent"])
        out[f"{name}command_startup_s"] = round(statistics.median(startups[name]), 3)
    if compare_with:
        out["before_tree"] = compare_with
    out["command_in_process_events_per_s"] = round(statistics.median(in_process))
    out["follow_events_per_s"] = round(followed)
    out["events"], out["page"] = count, page
    out["ratio_to_floor"] = round(out["service_events_per_s"] / out["driver_floor_events_per_s"], 2)
    return out


def figures(db: str, only: str | None = None, compare_with: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"machine": f"{os.uname().nodename} {os.cpu_count()} cores",
                              "load_average": os.getloadavg()[0]}
    url = make_url(db)
    if only == "read":
        result["database"] = url.get_backend_name()
        if url.get_backend_name() == "sqlite":
            folder = tempfile.mkdtemp(dir=str(Path(url.database or "/tmp").resolve().parent))
            result["read"] = read_rate(f"sqlite:///{folder}/read.db", compare_with=compare_with)
        else:
            scratch, drop = pg_scratch(db)
            try:
                result["read"] = read_rate(scratch, compare_with=compare_with)
            finally:
                drop()
        result["read"]["floor_events_per_s"] = result["read"]["driver_floor_events_per_s"]
        return result
    if url.get_backend_name() == "sqlite":
        folder = tempfile.mkdtemp(dir=str(Path(url.database or "/tmp").resolve().parent))
        result["database"] = "sqlite"
        result["decision"] = decision_cost(f"sqlite:///{folder}/decision.db", folder)
        result["read"] = read_rate(f"sqlite:///{folder}/read.db")
        files = iter(range(1000))
        result["writes"] = write_cost(lambda: (f"sqlite:///{folder}/write-{next(files)}.db", lambda: None))
        return result
    result["database"] = "postgresql"
    for name, job in (("decision", lambda u: decision_cost(u, pg_folder(db))), ("read", read_rate)):
        scratch, drop = pg_scratch(db)
        try:
            result[name] = job(scratch)
        finally:
            drop()
    result["writes"] = write_cost(lambda: pg_scratch(db))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="sqlite:///FILE (scratch files beside it) or a PostgreSQL URL")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=["read"], help="only the `outbox read` figures")
    parser.add_argument("--compare-with", metavar="TREE",
                        help="also run the command from this tree (e.g. the main checkout), alternating")
    args = parser.parse_args()
    print(json.dumps(figures(args.db, args.only, args.compare_with), indent=None if args.json else 2))


if __name__ == "__main__":
    main()
