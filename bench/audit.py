"""`audit verify` speed (§7.3): history rows per second, beside the floor of reading the same rows with plain SQL.

    python -m bench.audit --json --pg URL [--dataset 1000000] [--demo 20000] [--sqlite]
    python -m bench.audit --json --existing URL [--existing URL ...]


Two databases, each in a scratch schema: the 1,000,000-dispute data set of `bench.dataset` (its history is the
opening row of each dispute, without a replay record: hashes and versions are checked, the state is not
replayed) and a demo feed with full timelines (`mediator demo`: every dispute replayed through the rules).
`--sqlite` measures the demo on SQLite too. `--existing` measures databases as they are, read-only (the
1,200,000-dispute `desk_bench` set, a demo database filled beforehand), and builds nothing. The floor is one plain SELECT of the same history and dispute rows,
fetched to the client: what reading alone costs. The check judges in a pool of one worker process per core.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench import dataset
from bench.ingest import pg_scratch
from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.domain.time import FixedClock
from mediator_app.services import audit_verify, demo
from mediator_app.services.context import Context

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def floor(engine: Engine) -> dict[str, float]:
    """Rows per second of reading every history row (the columns the check reads) and every dispute's state."""
    started = time.perf_counter()
    rows = 0
    with engine.connect().execution_options(stream_results=True, yield_per=10_000) as conn:
        for _ in conn.execute(text("SELECT dispute_id, version, at, kind, actor, party, summary, payload, hash "
                                   "FROM history ORDER BY dispute_id, version")):
            rows += 1
        for _ in conn.execute(text("SELECT dispute_id, version, state FROM disputes ORDER BY dispute_id")):
            pass
    elapsed = time.perf_counter() - started
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_second": round(rows / elapsed)}


def cpu_rate(ctx: Context, batches: int = 40) -> float:
    """History rows per CPU-second of one process reading and judging the first `batches` batches: what a core
    does, whatever else the machine runs (the wall-clock rate depends on the load beside it)."""
    rows = 0
    started = time.process_time()
    for n, span in enumerate(audit_verify._ranges(ctx, None)):
        if n == batches:
            break
        rows += audit_verify.judge_batch(audit_verify.read(ctx, lambda c: audit_verify.read_range(c, span)))[1]
    return rows / max(time.process_time() - started, 1e-9)


def measure(engine: Engine) -> dict[str, Any]:
    ctx = Context(engine, FixedClock(NOW), "bench")
    cpu = time.process_time()
    started = time.perf_counter()
    report = audit_verify.verify_audit(ctx, None)
    elapsed = time.perf_counter() - started
    read = floor(engine)
    rate = report.rows / elapsed
    per_core = cpu_rate(ctx)
    return {"disputes": report.disputes, "rows": report.rows, "problems": len(report.problems),
            "seconds": round(elapsed, 2), "rows_per_second": round(rate),
            "main_process_cpu_seconds": round(time.process_time() - cpu, 2),
            "one_process_rows_per_cpu_second": round(per_core),
            "load_average_after": round(os.getloadavg()[0], 2),
            "floor_plain_sql_read_rows_per_second": read["rows_per_second"],
            "ratio_to_floor": round(rate / read["rows_per_second"], 3)}


def with_demo(url: str, disputes: int) -> dict[str, Any]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    demo.fill_demo(Context(engine, FixedClock(NOW), "bench"), disputes, seed=7, desk=True)
    built = time.perf_counter() - started
    try:
        return {"built_seconds": round(built, 1), **measure(engine)}
    finally:
        engine.dispose()


def no_statement_timeout(url: str) -> str:
    """A scratch URL whose sessions have no statement time limit: filling 1,000,000 rows' search text is one
    statement that runs past the 60 s every session of ours gets (decision 72) on a loaded machine."""
    return url.replace("options=", "options=-c%20statement_timeout%3D0%20", 1) if "options=" in url else url


def with_dataset(url: str, disputes: int) -> dict[str, Any]:
    engine = make_engine(no_statement_timeout(url))
    open_count = disputes // 5
    built = dataset.build(engine, open_count, disputes - open_count, quiet=True)
    try:
        return {"built_seconds": round(built, 1), **measure(engine)}
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("MEDIATOR_TEST_PG"))
    parser.add_argument("--dataset", type=int, default=1_000_000, help="disputes of bench.dataset (0: skip)")
    parser.add_argument("--demo", type=int, default=20_000, help="disputes of the demo feed (0: skip)")
    parser.add_argument("--sqlite", action="store_true", help="the demo on SQLite too")
    parser.add_argument("--existing", action="append", default=[],
                        help="a database to verify as it is, read-only (repeatable; nothing is built)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": f"{platform.node()} {os.cpu_count()} cores {platform.python_version()}",
                              "os_load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    if args.existing:
        for url in args.existing:
            engine = make_engine(url)
            try:
                result[engine.url.database or url] = measure(engine)
            finally:
                engine.dispose()
        print(json.dumps(result, indent=None if args.json else 2))
        return
    if args.pg and args.demo:
        url, drop = pg_scratch(args.pg)
        try:
            result["postgresql_demo"] = with_demo(url, args.demo)
        finally:
            drop()
    if args.sqlite and args.demo:
        with tempfile.TemporaryDirectory() as folder:
            result["sqlite_demo"] = with_demo(f"sqlite:///{folder}/bench.db", args.demo)
    if args.pg and args.dataset:
        url, drop = pg_scratch(args.pg)
        try:
            result["postgresql_dataset"] = with_dataset(url, args.dataset)
        finally:
            drop()
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
