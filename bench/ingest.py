"""Feed ingest speed: events per second into SQLite and PostgreSQL, beside the raw insert floor.

    python -m bench.ingest --json [--disputes 2000] [--pg URL]

Prints one JSON object. The events are written to a JSON Lines file first and ingested from its bytes, the
path of `mediator ingest FILE`. The floor is the raw rate of inserting the same number of history rows with
executemany in one transaction on the same database: what the database alone can take.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
import uuid
from datetime import datetime, timezone
from typing import Any
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
    started = time.perf_counter()
    report = ingest_bytes(ctx, data, "bench")
    elapsed = time.perf_counter() - started
    floor = raw_insert_rate(engine, len(events))
    engine.dispose()
    rate = report.applied / elapsed
    return {"events": len(events), "applied": report.applied, "rejected": len(report.rejected),
            "seconds": round(elapsed, 3), "events_per_second": round(rate),
            "floor_raw_inserts_per_second": round(floor), "ratio_to_floor": round(rate / floor, 3)}


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
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}", drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--disputes", type=int, default=2000)
    parser.add_argument("--pg", default=os.environ.get("MEDIATOR_TEST_PG"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    events = list(generate_demo_events(args.disputes, 11, NOW))
    result: dict[str, Any] = {"machine": f"{platform.node()} {os.cpu_count()} cores {platform.python_version()}"}
    with tempfile.TemporaryDirectory() as folder:
        result["sqlite"] = measure(f"sqlite:///{folder}/bench.db", events)
    if args.pg:
        url, drop = pg_scratch(args.pg)
        try:
            result["postgresql"] = measure(url, events)
        finally:
            drop()
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
