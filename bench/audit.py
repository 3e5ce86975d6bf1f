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


def floor(engine: Engine) -> dict[str, Any]:
    """Rows per second of reading every history row (the columns the check reads) and every dispute's state;
    on PostgreSQL also per CPU-second of this process and its server process."""
    url = engine.url.render_as_string(hide_password=False)
    server = ServerCpu(url) if engine.dialect.name == "postgresql" else None
    reader = make_engine(with_application(url)) if server else engine
    cpu = time.process_time()
    started = time.perf_counter()
    rows = 0
    with reader.connect().execution_options(stream_results=True, yield_per=10_000) as conn:
        for _ in conn.execute(text("SELECT dispute_id, version, at, kind, actor, party, summary, payload, hash "
                                   "FROM history ORDER BY dispute_id, version")):
            rows += 1
        for _ in conn.execute(text("SELECT dispute_id, version, state FROM disputes ORDER BY dispute_id")):
            pass
    elapsed = time.perf_counter() - started
    client = time.process_time() - cpu
    if reader is not engine:
        reader.dispose()
    server_cpu = server.stop() if server else None
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_second": round(rows / elapsed),
            "rows_per_cpu_second": round(rows / (client + (server_cpu or 0)))}


def cpu_rate(ctx: Context, batches: int = 40) -> float:
    """History rows per CPU-second of one process reading and judging the first `batches` batches: what a core
    does, whatever else the machine runs (the wall-clock rate depends on the load beside it)."""
    rows = 0
    started = time.process_time()
    for n, span in enumerate(audit_verify._ranges(ctx, None)):
        if n == batches:
            break
        rows += audit_verify.judge_on(ctx.engine, span)[1]
    return rows / max(time.process_time() - started, 1e-9)


#: the application name the measured check's sessions carry, so their server processes can be found
APPLICATION = "mediator_audit_bench"


class ServerCpu:
    """The CPU time of the server processes serving the check (PostgreSQL on this host: `/proc/<pid>/stat` of
    every backend whose `application_name` is APPLICATION, sampled every 0.2 s until `stop`): what the reading
    costs the cores on the server's side, beside the client processes' own time."""

    def __init__(self, url: str) -> None:
        import threading

        self.ticks: dict[int, int] = {}
        self.engine = make_engine(url)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        with self.engine.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE application_name = :a"),
                                {"a": APPLICATION}).scalars().all()
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.ticks[pid] = max(self.ticks.get(pid, 0), int(fields[11]) + int(fields[12]))  # utime + stime

    def _run(self) -> None:
        while not self.done.wait(0.2):
            self._sample()

    def stop(self) -> float | None:
        self.done.set()
        self.thread.join()
        self.engine.dispose()
        return round(sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK"), 1) if self.ticks else None


def with_application(url: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}application_name={APPLICATION}"


def measure(engine: Engine) -> dict[str, Any]:
    import resource

    server = ServerCpu(engine.url.render_as_string(hide_password=False)) if engine.dialect.name == "postgresql" \
        else None
    measured = make_engine(with_application(engine.url.render_as_string(hide_password=False))) if server else engine
    ctx = Context(measured, FixedClock(NOW), "bench")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    started = time.perf_counter()
    report = audit_verify.verify_audit(ctx, None)
    elapsed = time.perf_counter() - started
    main_cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    server_cpu = server.stop() if server else None
    if measured is not engine:
        measured.dispose()
    all_cpu = main_cpu + workers_cpu + (server_cpu or 0)
    read = floor(engine)
    rate = report.rows / elapsed
    per_core = cpu_rate(ctx)
    return {"disputes": report.disputes, "rows": report.rows, "problems": len(report.problems),
            "seconds": round(elapsed, 2), "rows_per_second": round(rate),
            "main_process_cpu_seconds": round(main_cpu, 2), "workers_cpu_seconds": round(workers_cpu, 2),
            "server_cpu_seconds": server_cpu,
            "rows_per_cpu_second_all_processes": round(report.rows / all_cpu) if all_cpu else None,
            "one_process_rows_per_cpu_second": round(per_core),
            "load_average_after": round(os.getloadavg()[0], 2),
            "floor_plain_sql_read_rows_per_second": read["rows_per_second"],
            "ratio_to_floor": round(rate / read["rows_per_second"], 3),
            "floor_rows_per_cpu_second_client_and_server": read["rows_per_cpu_second"]}


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
