"""Feed ingest speed: events per second into SQLite and PostgreSQL, beside the raw insert floor.

    python -m bench.ingest --json [--disputes 2000] [--pg URL] [--chain]
    python -m bench.ingest --json --rss-feed-mb 140 560 [--pg URL]

The second form measures memory instead (issue 13): for each size it generates a feed of evidence lines of
~7 MiB (5.2 MiB files, base64) and runs `mediator ingest FILE` in a child process, reporting the child's peak
resident set size; streamed ingest keeps it flat in the file's size.

Prints one JSON object. The events are written to a JSON Lines file first and ingested from its bytes, the
path of `mediator ingest FILE`. The floor is the raw rate of inserting the same number of history rows with
executemany in one transaction on the same database: what the database alone can take.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Iterator
from unittest import mock
from urllib.parse import quote

from sqlalchemy import create_engine, text

from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.demo import generate_demo_events
from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_bytes

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def measure(url: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    ctx = Context(engine, FixedClock(NOW), workstation="bench")
    data = b"".join(json.dumps(event, ensure_ascii=False).encode() + b"\n" for event in events)
    started, cpu = time.perf_counter(), time.process_time()
    report = ingest_bytes(ctx, data, "bench")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    floor = raw_insert_rate(engine, len(events))
    engine.dispose()
    rate = report.applied / elapsed
    return {"events": len(events), "applied": report.applied, "rejected": len(report.rejected),
            "seconds": round(elapsed, 3), "events_per_second": round(rate),
            "events_per_cpu_second": round(report.applied / cpu),
            "floor_raw_inserts_per_second": round(floor), "ratio_to_floor": round(rate / floor, 3)}


@contextlib.contextmanager
def without_chain(off: bool) -> Iterator[None]:
    """The write path as before revision 0011 when `off`: no hash, no previous-hash read, no replay record in the
    payload; the same run measures what the chain costs."""
    if not off:
        yield
        return
    from mediator_app.db import history_chain, store

    with mock.patch.object(history_chain, "hash_rows", lambda rows, previous: None), \
            mock.patch.object(history_chain, "previous_hashes", lambda conn, wanted: {}), \
            mock.patch.object(store, "payload_text", lambda payload, replay: json.dumps(payload, ensure_ascii=False,
                                                                                         default=str)):
        yield


def raw_insert_rate(engine: Any, count: int) -> float:
    """Plain executemany of `count` rows shaped like history rows into a scratch table."""
    rows = [{"a": f"D-{i}", "b": i, "c": "x" * 120} for i in range(count)]
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_floor (a VARCHAR(64), b INTEGER, c TEXT)"))
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO bench_floor (a, b, c) VALUES (:a, :b, :c)"), rows)
    elapsed = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_floor"))
    return count / elapsed


def pg_scratch(base: str) -> tuple[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"

    def drop() -> None:
        from mediator_app.db import privileges

        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            privileges.drop_groups(conn, str(conn.exec_driver_sql("SELECT current_database()").scalar_one()), schema)
        admin.dispose()

    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}", drop


EVIDENCE_BYTES = 5_500_000  # base64: ~7.0 MiB a line


def evidence_feed(path: str, size_mb: int) -> int:
    """A feed of one opening and evidence lines of ~7 MiB, `size_mb` MB in all; returns the number of lines."""
    import base64
    import hashlib

    from tests.feeds import T0, event, iso, opened

    block = os.urandom(EVIDENCE_BYTES)
    lines = 0
    with open(path, "wb") as out:
        out.write(json.dumps(opened("RSS-1")).encode() + b"\n")
        while out.tell() < size_mb * 1_000_000:
            content = lines.to_bytes(8, "big") + block[8:]
            out.write(json.dumps(event("RSS-1", "evidence.added", T0, f"E-rss-{lines}", party="buyer",
                                       filename=f"photo-{lines}.png", media_type="image/png",
                                       sha256=hashlib.sha256(content).hexdigest(),
                                       content_base64=base64.b64encode(content).decode())).encode() + b"\n")
            lines += 1
    return lines


def peak_rss(url: str, path: str) -> dict[str, Any]:
    """`mediator ingest` in a child process: its peak RSS (ru_maxrss of the child alone) and time."""
    from tests.feeds import T0, iso

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mediator_app.cli", "--db", url, "--json", "--now", iso(T0),
                             "ingest", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    report = json.loads(out)
    return {"file_mb": round(os.path.getsize(path) / 1e6), "applied": report["applied"],
            "rejected": len(report["rejected"]), "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def measure_rss(sizes: list[int], pg: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = f"{folder}/evidence-{size}.jsonl"
            evidence_feed(path, size)
            engine = make_engine(f"sqlite:///{folder}/rss-{size}.db")
            migrate.upgrade(engine)
            engine.dispose()
            out.setdefault("sqlite", []).append(peak_rss(f"sqlite:///{folder}/rss-{size}.db", path))
            if pg:
                url, drop = pg_scratch(pg)
                try:
                    engine = make_engine(url)
                    migrate.upgrade(engine)
                    engine.dispose()
                    out.setdefault("postgresql", []).append(peak_rss(url, path))
                finally:
                    drop()
            os.remove(path)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rss-feed-mb", type=int, nargs="+", metavar="MB",
                        help="measure peak RSS of `mediator ingest` on evidence feeds of these sizes")
    parser.add_argument("--disputes", type=int, default=2000)
    parser.add_argument("--pg", default=os.environ.get("MEDIATOR_TEST_PG"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--chain", action="store_true",
                        help="also measure without the history's hash chain (§7.3): the write path as it was")
    args = parser.parse_args()
    if args.rss_feed_mb:
        result = {"machine": f"{platform.node()} {os.cpu_count()} cores {platform.python_version()}",
                  **measure_rss(args.rss_feed_mb, args.pg)}
        print(json.dumps(result, indent=None if args.json else 2))
        return
    events = list(generate_demo_events(args.disputes, 11, NOW))
    result: dict[str, Any] = {"machine": f"{platform.node()} {os.cpu_count()} cores {platform.python_version()}"}
    for chained in ((False, True) if args.chain else (True,)):
        key = "" if not args.chain else ("_with_chain" if chained else "_without_chain")
        with without_chain(not chained):
            with tempfile.TemporaryDirectory() as folder:
                result["sqlite" + key] = measure(f"sqlite:///{folder}/bench.db", events)
            if args.pg:
                url, drop = pg_scratch(args.pg)
                try:
                    result["postgresql" + key] = measure(url, events)
                finally:
                    drop()
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
