"""Backend benchmark: feed ingest, sweeping with three sweepers, and one clerk decision's commit latency
(`decision_outbox`: a ruling, which writes outbound events, with and without the outbox's lock: bench.outbox).

    python -m bench.backend --db URL --json [--only decision]

Each figure comes with its floor from the same run: the raw insert rate of the same rows, the machine's
fsync latency. Works on a scratch schema (PostgreSQL) or a scratch file next to the given SQLite file.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from bench.ingest import NOW, measure, pg_scratch
from mediator_app.db import migrate, privileges
from mediator_app.db.engine import make_engine
from mediator_app.demo import generate_demo_events
from mediator_app.domain import actions
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.sweeper import sweep
from mediator_app.services.users import add_user
from tests.feeds import T0, opened

SWEEP_AT = T0 + timedelta(days=20)


def fsync_latency_ms(folder: str, samples: int = 200) -> dict[str, float]:
    """Median time to make 8 KiB durable in the database's filesystem, two ways: appended to a new file and
    `fsync`ed (a fresh file's metadata too), and written over a preallocated file and `fdatasync`ed (how
    PostgreSQL's WAL and SQLite's WAL commit)."""
    path = Path(folder) / "fsync-probe"
    block = b"x" * 8192
    append, overwrite = [], []
    with open(path, "wb") as handle:
        for _ in range(samples):
            handle.write(block)
            handle.flush()
            started = time.perf_counter()
            os.fsync(handle.fileno())
            append.append(time.perf_counter() - started)
    with open(path, "r+b") as handle:
        for n in range(samples):
            handle.seek(n * len(block))
            handle.write(block)
            handle.flush()
            started = time.perf_counter()
            os.fdatasync(handle.fileno())
            overwrite.append(time.perf_counter() - started)
    path.unlink()
    return {"fsync_append_ms": round(statistics.median(append) * 1000, 3),
            "fdatasync_overwrite_ms": round(statistics.median(overwrite) * 1000, 3)}


def _sweeper(url: str, barrier: Any, out: Any) -> None:
    engine = make_engine(url)
    barrier.wait()
    out.put(len(sweep(Context(engine, FixedClock(SWEEP_AT)), batch=200)))
    engine.dispose()


def sweep_figures(url: str, expired: int = 10_000, sweepers: int = 3) -> dict[str, Any]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    ingest_events(Context(engine, FixedClock(T0)), [opened(f"SW-{n}") for n in range(expired)])
    mp = multiprocessing.get_context("spawn")
    barrier, out = mp.Barrier(sweepers + 1), mp.Queue()
    processes = [mp.Process(target=_sweeper, args=(url, barrier, out)) for _ in range(sweepers)]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    counts = [out.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    engine.dispose()
    return {"expired": expired, "sweepers": sweepers, "executed": sum(counts), "per_sweeper": counts,
            "seconds": round(elapsed, 2)}


def decision_latency(url: str, folder: str, samples: int = 200) -> dict[str, Any]:
    """One clerk decision (a note with --expect-version): the write transaction alone (`commit_p50_ms`: user,
    row lock, key check, rules, update, history row, announcement, commit) and the whole call as the window
    makes it (`round_trip_p50_ms`: the write plus reading the updated case back). The floor is a one-row
    insert committed through the driver in the same database.

    PostgreSQL, in the same run and schema: first with the guards of §7.2 (`db.privileges`' triggers) dropped
    (`before_triggers`), then with them made again as the administrator (the figure, whose triggers only ask who is connected) and as the
    clerk's own login (`as_clerk_login`: every check of §7.2 runs)."""
    engine = make_engine(url)
    postgres = engine.dialect.name == "postgresql"
    migrate.upgrade(engine)
    ctx = Context(engine, FixedClock(T0), workstation="bench")
    add_user(ctx, "bench-clerk", "clerk")
    figures: dict[str, Any] = {}
    if postgres:
        _guards(engine, installed=False)
        figures["before_triggers"] = _decisions(ctx, ctx, "before", samples)
        _guards(engine, installed=True)
        clerk_engine = make_engine(make_url(url).set(username="bench-clerk").render_as_string(hide_password=False))
        figures["as_clerk_login"] = _decisions(ctx, Context(clerk_engine, FixedClock(T0), workstation="bench"),
                                               "clerk", samples)
        clerk_engine.dispose()
    commits, round_trips = _decision_samples(ctx, ctx, "DL", samples)
    floor = []
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE commit_probe (n integer)")
        conn.commit()
        for n in range(samples):
            started = time.perf_counter()
            conn.exec_driver_sql(f"INSERT INTO commit_probe VALUES ({n})")
            conn.commit()
            floor.append(time.perf_counter() - started)
        conn.exec_driver_sql("DROP TABLE commit_probe")
        conn.commit()
    engine.dispose()
    disk = fsync_latency_ms(folder)
    fsync = disk["fsync_append_ms"]
    p50 = statistics.median(commits) * 1000
    return {"commit_p50_ms": round(p50, 2), "round_trip_p50_ms": round(statistics.median(round_trips) * 1000, 2),
            "floor_insert_commit_p50_ms": round(statistics.median(floor) * 1000, 3), **disk,
            "target_ms": round(1.5 * fsync + 2, 2), "ratio_to_fsync": round(p50 / fsync, 1) if fsync else None,
            **figures}


def _guards(engine: Engine, installed: bool) -> None:
    """Drop the database's guards (§7.2's triggers), and make them again when `installed`."""
    with engine.begin() as conn:
        _, schema = privileges.where(conn)
        for statement in privileges.uninstall_sql(schema) + (privileges.install_sql(schema) if installed else []):
            conn.execute(text(statement))


def _decision_samples(admin: Context, ctx: Context, prefix: str, samples: int) -> tuple[list[float], list[float]]:
    """`samples` decisions' commit times and as many whole calls' times, on disputes opened for them."""
    ingest_events(admin, [opened(f"{prefix}-{n}")
                          for n in range(2 * samples)])
    commits, round_trips = [], []
    step = lambda s, a, now: actions.add_note(s, a, now, "decided")  # noqa: E731
    for n in range(samples):
        started = time.perf_counter()
        casework.apply_action(ctx, f"{prefix}-{n}", "bench-clerk", "note", step, 1, uuid.uuid4().hex)
        commits.append(time.perf_counter() - started)
        started = time.perf_counter()
        casework.note(ctx, f"{prefix}-{samples + n}", "bench-clerk", "decided", expect_version=1)
        round_trips.append(time.perf_counter() - started)
    return commits, round_trips


def _decisions(admin: Context, ctx: Context, prefix: str, samples: int) -> dict[str, float]:
    commits, round_trips = _decision_samples(admin, ctx, prefix, samples)
    return {"commit_p50_ms": round(statistics.median(commits) * 1000, 2),
            "round_trip_p50_ms": round(statistics.median(round_trips) * 1000, 2)}


def pg_folder(url: str) -> str:
    """Beside the server's data directory when this machine can write there (the disk of its WAL), else /tmp."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            folder = os.path.dirname(str(conn.exec_driver_sql("SHOW data_directory").scalar_one()))
    except Exception:  # noqa: BLE001 (not allowed to read it: fall back)
        folder = tempfile.gettempdir()
    finally:
        engine.dispose()
    return folder if os.access(folder, os.W_OK) else tempfile.gettempdir()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="sqlite:///FILE (scratch files beside it) or a PostgreSQL URL")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--disputes", type=int, default=2000, help="demo disputes for the ingest figure")
    parser.add_argument("--only", choices=["decision"],
                        help="only the decision figures (`decision` and `decision_outbox`): no ingest, no sweep")
    args = parser.parse_args()
    from bench.outbox import decision_cost  # a ruling with its outbound events, with and without the lock

    result: dict[str, Any] = {"machine": f"{os.uname().nodename} {os.cpu_count()} cores",
                              "load_average": os.getloadavg()[0]}
    decisions_only = args.only == "decision"
    events = [] if decisions_only else list(generate_demo_events(args.disputes, 11, NOW))
    url = make_url(args.db)
    if url.get_backend_name() == "sqlite":
        folder = tempfile.mkdtemp(dir=str(Path(url.database or "/tmp").resolve().parent))
        result["database"] = "sqlite"
        if not decisions_only:
            result["ingest"] = measure(f"sqlite:///{folder}/ingest.db", events)
            result["sweep"] = sweep_figures(f"sqlite:///{folder}/sweep.db")
        result["decision"] = decision_latency(f"sqlite:///{folder}/decision.db", folder)
        result["decision_outbox"] = decision_cost(f"sqlite:///{folder}/decision_outbox.db", folder)
    else:
        result["database"] = "postgresql"
        for name, job in (("ingest", lambda u: measure(u, events)), ("sweep", sweep_figures),
                          ("decision", lambda u: decision_latency(u, pg_folder(args.db))),
                          ("decision_outbox", lambda u: decision_cost(u, pg_folder(args.db)))):
            if decisions_only and not name.startswith("decision"):
                continue
            scratch, drop = pg_scratch(args.db)
            try:
                result[name] = job(scratch)
            finally:
                drop()
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
