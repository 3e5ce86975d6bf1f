"""Offline bundles: export speed and memory, sync speed on PostgreSQL, each beside a plain-SQL floor.

    python -m bench.bundle --json [--pg URL] [--disputes 10000] [--drafts 1000]

Prints one JSON object. The live database is a scratch PostgreSQL schema filled with the demo marketplace
(`--disputes` disputes, with the demo's evidence images). Export: every dispute into a bundle, in a child
process whose peak RSS is read from the kernel (`ru_maxrss` of the child); its floor is the same rows copied
with plain SQL (psycopg fetch, sqlite3 executemany, one transaction, no schema code). Sync: `--drafts` notes
drafted on as many open cases, then synced; its floor is the same number of single-dispute transactions
written with plain SQL (a compare-and-set UPDATE of the dispute and one history row), committed as the sync
commits (every `bundle_sync.BATCH` drafts). Beside them: drafting in the bundle (drafts/s), what a bundle window
asks over the drafted cases (the "Drafts" view, the counts, a page of drafted lines against the same page of stored
lines), the targets, and the machine's load average at the start and the end (2 cores shared: figures move).
"""
from __future__ import annotations

import argparse
import json
from queue import Empty
import multiprocessing
import os
import platform
import resource
import sqlite3
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.ingest import NOW, pg_scratch
from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.domain.time import FixedClock
from mediator_app.services import bundle_export, bundle_sync, demo, drafts
from mediator_app.services.bundle_queue import DRAFTS_VIEW, BundleServices
from mediator_app.services.workbench import QueueQuery
from mediator_app.services.workstation import WorkstationServices
from mediator_app.services.context import Context
from mediator_app.db import bundle_file

COPIED = ("users", "disputes", "dispute_search", "history", "evidence")


def _export_child(url: str, out: str, queue: Any) -> None:
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(NOW), workstation="bench")
    with engine.connect() as conn:
        ids = list(conn.execute(text("SELECT dispute_id FROM disputes ORDER BY dispute_id")).scalars())
    started = time.perf_counter()
    report = bundle_export.export(ctx, out, "alice", ids=ids, force=True)
    elapsed = time.perf_counter() - started
    queue.put({"seconds": elapsed, **report,
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})


def measure_export(url: str, folder: Path) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_export_child, args=(url, str(folder / "all.mcase"), queue))
    child.start()
    while True:  # a child that died (a lost connection) would leave a bare get() waiting forever
        try:
            result = queue.get(timeout=1)
            break
        except Empty:
            if not child.is_alive():
                raise RuntimeError(f"the export process ended with {child.exitcode} and no result") from None
    child.join()
    floor = _export_floor(url, folder / "floor.sqlite")
    rate = result["disputes"] / result["seconds"]
    return {"disputes": result["disputes"], "evidence_bytes": result["evidence_bytes"],
            "bundle_bytes": (folder / "all.mcase").stat().st_size, "seconds": round(result["seconds"], 3),
            "cases_per_second": round(rate), "peak_rss_mb": result["peak_rss_mb"],
            "floor_cases_per_second": round(floor), "ratio_to_floor": round(rate / floor, 3)}


def _export_floor(url: str, path: Path) -> float:
    """The same rows, plain: every column of the copied tables, fetched and inserted as they come."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    target = sqlite3.connect(path)
    started = time.perf_counter()
    cursor = raw.cursor()
    count = 0
    for table in COPIED:
        cursor.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in cursor.description]
        target.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        insert = f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})"
        while rows := cursor.fetchmany(500):
            target.executemany(insert, [tuple(str(v) if hasattr(v, "isoformat") else v for v in r) for r in rows])
            if table == "disputes":
                count += len(rows)
    target.commit()
    elapsed = time.perf_counter() - started
    target.close()
    raw.close()
    engine.dispose()
    return count / elapsed


def measure_sync(url: str, folder: Path, count: int) -> dict[str, Any]:
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(NOW), workstation="bench")
    with engine.connect() as conn:
        ids = list(conn.execute(text("SELECT dispute_id FROM disputes WHERE status = 'open' "
                                     "AND (party_due IS NULL OR party_due > :now) ORDER BY dispute_id LIMIT :n"),
                                {"n": count, "now": NOW}).scalars())
    path = folder / "drafts.mcase"
    bundle_export.export(ctx, path, "alice", ids=ids, force=True)
    bundle = Context(bundle_file.open_bundle(path, writable=True), FixedClock(NOW), workstation="bench",
                     bundle=str(path))
    drafting = time.perf_counter()
    for dispute_id in ids:
        drafts.draft(bundle, dispute_id, "alice", "note", {"text": "reviewed offline"})
    drafting = time.perf_counter() - drafting
    window = measure_drafts_view(bundle)
    started = time.perf_counter()
    report = bundle_sync.sync(ctx, bundle, "alice")
    elapsed = time.perf_counter() - started
    bundle.engine.dispose()
    floor = _sync_floor(engine, ids)
    engine.dispose()
    rate = len(report.applied) / elapsed
    return {"drafts": len(ids), "applied": len(report.applied), "conflicts": len(report.conflicts),
            "rejected": len(report.rejected), "seconds": round(elapsed, 3), "drafts_per_second": round(rate),
            "floor_per_second": round(floor), "ratio_to_floor": round(rate / floor, 3),
            "drafting_per_second": round(len(ids) / drafting), "bundle_window": window}


def measure_drafts_view(bundle: Context) -> dict[str, Any]:
    """What a bundle window asks over its drafted cases (services.bundle_queue): the "Drafts" view's keys, every
    view's count, and one page (200 rows) of drafted lines — each replaying its case's drafts — in ms."""
    services = BundleServices(bundle)
    query = QueueQuery(view=DRAFTS_VIEW)

    def ms(call: Any) -> tuple[float, Any]:
        started = time.perf_counter()
        got = call()
        return round((time.perf_counter() - started) * 1000, 1), got

    keys_ms, ids = ms(lambda: services.queue_ids(query))
    counts_ms, counts = ms(lambda: services.view_counts("alice"))
    page_ms, page = ms(lambda: services.queue_row_sources(ids[:200]))
    plain_ms, _ = ms(lambda: WorkstationServices(bundle).queue_row_sources(ids[:200]))
    return {"drafted_cases": len(ids), "drafts_view_keys_ms": keys_ms, "view_counts_ms": counts_ms,
            "drafted_page_ms": page_ms, "page_rows": len(page), "floor_stored_page_ms": plain_ms,
            "counted_drafts": counts[DRAFTS_VIEW]}


def _sync_floor(engine: Any, ids: list[str]) -> float:
    """Plain SQL per draft: the dispute's row updated under its version and one history row, committed every
    `BATCH` drafts as the sync does."""
    table = f"floor_history_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {table} AS SELECT * FROM history WHERE false"))
        versions = dict(conn.execute(text("SELECT dispute_id, version FROM disputes")).all())
    raw = engine.raw_connection()
    cursor = raw.cursor()
    started = time.perf_counter()
    for n, dispute_id in enumerate(ids, 1):
        version = versions[dispute_id]
        cursor.execute("UPDATE disputes SET updated_at = now() WHERE dispute_id = %s AND version = %s",
                       (dispute_id, version))
        cursor.execute(f"INSERT INTO {table} (id, dispute_id, version, at, recorded_at, kind, actor, summary, "
                       "payload) VALUES (%s, %s, %s, now(), now(), 'note.added', 'alice', 'floor', '{}')",
                       (-n, dispute_id, version + 1))
        if n % bundle_sync.BATCH == 0:
            raw.commit()
    raw.commit()
    elapsed = time.perf_counter() - started
    raw.close()
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {table}"))
    return len(ids) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("MEDIATOR_TEST_PG"))
    parser.add_argument("--disputes", type=int, default=10_000)
    parser.add_argument("--drafts", type=int, default=1_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.pg:
        raise SystemExit("give --pg URL (or set MEDIATOR_TEST_PG)")
    url, drop = pg_scratch(args.pg)
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        ctx = Context(engine, FixedClock(NOW - timedelta(minutes=1)), workstation="bench")
        filled = time.perf_counter()
        demo.fill_demo(ctx, args.disputes, 2024)
        fill_seconds = time.perf_counter() - filled
        with engine.connect() as conn:
            evidence = conn.execute(text("SELECT count(*), coalesce(sum(size), 0) FROM evidence")).one()
        engine.dispose()
        with tempfile.TemporaryDirectory(prefix=f"bench-bundle-{uuid.uuid4().hex[:6]}-") as tmp:
            folder = Path(tmp)
            result = {
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
                "dataset": {"disputes": args.disputes, "evidence_items": evidence[0], "evidence_bytes": evidence[1],
                            "fill_seconds": round(fill_seconds, 1)},
                "export": measure_export(url, folder),
                "sync_postgresql": measure_sync(url, folder, args.drafts),
            }
            result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            result["targets"] = {"export_cases_per_second": 2_000, "export_peak_rss_mb": 300,
                                 "sync_drafts_per_second": 500}
    finally:
        drop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
