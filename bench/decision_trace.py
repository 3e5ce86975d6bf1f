"""Where a clerk's decision spends its time on PostgreSQL: each exchange with the server, from libpq's trace.

    python -m bench.decision_trace --db POSTGRESQL_URL [--kind note|rule] [--samples 100] --json

`samples` decisions (a note, or a ruling that writes two outbound events) as the administrator with §7.2's
guards, as the clerk's own login, and without the guards, on a scratch schema. The driver's trace (libpq's
`PQtrace`, with its timestamps) splits each decision into exchanges: the messages sent, then the answers read.
Per exchange, the medians of: the client's time before it (Python: SQLAlchemy, the rules, building rows), the
time spent sending it (a pipeline's statements are queued one by one), and the wait for its answer (the
server's work and the way there and back). Beside them the decision's wall time and the client's CPU time.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

from bench.backend import _guards
from bench.ingest import pg_scratch
from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.domain import actions
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.users import add_user
from tests.feeds import T0, opened

STEPS = {"note": lambda s, a, now: actions.add_note(s, a, now, "decided"),
         "rule": lambda s, a, now: actions.rule(s, a, now, "buyer")}


def _messages(path: str) -> list[tuple[float, str, str, str]]:
    """(time, F or B, message type, its first field) of each line of a libpq trace."""
    out = []
    with open(path) as trace:
        for line in trace:
            parts = line.rstrip("\n").split("\t")
            at = datetime.strptime(parts[0], "%Y-%m-%d %H:%M:%S.%f").timestamp()
            out.append((at, parts[1], parts[3], parts[4].strip()[:12] if len(parts) > 4 else ""))
    return out


def _exchanges(messages: list[tuple[float, str, str, str]]) -> list[list[tuple[str, float, float, float]]]:
    """Per decision (each starts with the pool's ping, `;`): (label, first sent, last sent, last answer)."""
    decisions: list[list[tuple[str, float, float, float]]] = []
    i = 0
    while i < len(messages):
        j = i
        while j < len(messages) and messages[j][1] == "F":
            j += 1
        k = j
        while k < len(messages) and messages[k][1] == "B":
            k += 1
        sent, answers = messages[i:j], messages[k - 1] if k > j else messages[j - 1]
        binds = sum(1 for m in sent if m[2] == "Bind")
        label = f"{sent[0][2]} {sent[0][3]}" if sent[0][2] == "Query" else f"{binds} statement(s)"
        if label == 'Query ";"':
            decisions.append([])
        if decisions:
            decisions[-1].append((label, sent[0][0], sent[-1][0], answers[0]))
        i = k
    return decisions


def trace(ctx: Context, prefix: str, kind: str, samples: int) -> dict[str, Any]:
    step = STEPS[kind]
    for n in range(10):  # warm: prepared statements, the functions' plans
        casework.apply_action(ctx, f"{prefix}-{n}", "bench-clerk", kind, step, 1, uuid.uuid4().hex)
    with ctx.engine.connect() as conn:
        pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    handle, path = tempfile.mkstemp(suffix=".trace")
    pgconn.trace(handle)
    walls, cpus = [], []
    for n in range(10, 10 + samples):
        started, cpu = time.perf_counter(), time.process_time()
        casework.apply_action(ctx, f"{prefix}-{n}", "bench-clerk", kind, step, 1, uuid.uuid4().hex)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    pgconn.untrace()
    os.close(handle)
    decisions = _exchanges(_messages(path))
    os.unlink(path)
    parts: dict[str, list[float]] = {}
    for exchanges in decisions:
        before = None
        for n, (label, first, last, answered) in enumerate(exchanges):
            name = f"{n} {label}"
            if before is not None:
                parts.setdefault(f"{name}: client before", []).append(first - before)
            parts.setdefault(f"{name}: sending", []).append(last - first)
            parts.setdefault(f"{name}: wait", []).append(answered - last)
            before = answered
    return {"wall_p50_ms": round(statistics.median(walls) * 1000, 3),
            "client_cpu_p50_ms": round(statistics.median(cpus) * 1000, 3),
            "exchanges": round(sum(map(len, decisions)) / len(decisions), 1),
            "parts_p50_ms": {name: round(statistics.median(v) * 1000, 3) for name, v in parts.items()
                             if statistics.median(v) >= 2e-6}}


def figures(db: str, kind: str, samples: int) -> dict[str, Any]:
    url, drop = pg_scratch(db)
    out: dict[str, Any] = {"kind": kind, "load_average": os.getloadavg()[0]}
    try:
        engine = make_engine(url, pool_size=1, max_overflow=0)  # one connection: the one traced
        migrate.upgrade(engine)
        ctx = Context(engine, FixedClock(T0 + timedelta(hours=1)), workstation="bench")
        add_user(ctx, "bench-clerk", "clerk")
        ingest_events(ctx, [opened(f"{p}-{n}") for p in ("A", "C", "N") for n in range(samples + 10)])
        out["admin_guards"] = trace(ctx, "A", kind, samples)
        clerk = make_engine(make_url(url).set(username="bench-clerk").render_as_string(hide_password=False),
                            pool_size=1, max_overflow=0)
        out["clerk_login"] = trace(Context(clerk, ctx.clock, workstation="bench"), "C", kind, samples)
        clerk.dispose()
        _guards(engine, installed=False)
        out["without_guards"] = trace(ctx, "N", kind, samples)
        _guards(engine, installed=True)
        engine.dispose()
    finally:
        drop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (a scratch schema is made in it)")
    parser.add_argument("--kind", choices=sorted(STEPS), default="note")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print(json.dumps(figures(args.db, args.kind, args.samples), indent=None if args.json else 2))


if __name__ == "__main__":
    main()
