"""The queue head's query with and without decision 191's `queue_due >= year 1`, in one process.

    python -m bench.queue_plan --db URL [--runs 30]

Prints one JSON object: for each sort, the median ms of `queries.queue_ids(…, limit=200)` as the code has it
(`new`) and with the open disputes said as `status = 'open'` alone (`old`, the statement before decision 191),
alternating, over the same connection.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import datetime, timezone
from typing import Any

from mediator_app.db import queries
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import OPEN, Dispute

NOW = datetime(2026, 12, 2, tzinfo=timezone.utc)
SORTS = [("due", False), ("amount", True), ("total", True), ("stage", False)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    engine = make_engine(args.db)
    current = queries.open_queue

    def old() -> Any:
        return Dispute.status == OPEN

    out: dict[str, Any] = {"db": engine.dialect.name}
    with engine.connect() as conn:
        out["open"] = conn.exec_driver_sql("SELECT count(*) FROM disputes WHERE status = 'open'").scalar_one()
        for sort, descending in SORTS:
            times: dict[str, list[float]] = {"new": [], "old": []}
            for _ in range(args.runs):
                for name, condition in (("new", current), ("old", old)):
                    queries.open_queue = condition  # type: ignore[assignment]
                    started = time.perf_counter()
                    queries.queue_ids(conn, "all", "alice", NOW, sort=sort, descending=descending, limit=200)
                    times[name].append((time.perf_counter() - started) * 1000)
            queries.open_queue = current  # type: ignore[assignment]
            key = f"{sort}{'_desc' if descending else ''}"
            out[key] = {name: round(statistics.median(v), 2) for name, v in times.items()}
    print(json.dumps(out))
    engine.dispose()


if __name__ == "__main__":
    main()
