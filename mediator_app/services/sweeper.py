"""The sweeper: executes every expired party clock exactly once, however many sweepers run at once.

Rows are claimed in the database: `FOR UPDATE SKIP LOCKED` on PostgreSQL (each sweeper takes rows no
other sweeper holds, and re-reads them under the lock), `BEGIN IMMEDIATE` on SQLite (one writer at a time).
The compare-and-set on `version` and the unique (dispute_id, exec_key) in `history` are the backstop.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, Callable

from mediator_app.db import store
from mediator_app.db.engine import is_postgres
from mediator_app.domain.policy import get_policy
from mediator_app.domain.transitions import execute_expiries

from .context import Context, with_retries
from .feed import executed_json

BATCH = 200


def sweep(ctx: Context, now: datetime | None = None, batch: int = BATCH) -> list[dict[str, Any]]:
    """Execute every party clock due at or before `now` (default: the context's clock, read once)."""
    at = now or ctx.clock.now()
    executed: list[dict[str, Any]] = []
    while True:
        done = with_retries(lambda: _sweep_batch(ctx, at, batch), pause=ctx.pause)
        if not done:
            return executed
        executed.extend(done)


def _sweep_batch(ctx: Context, now: datetime, batch: int) -> list[dict[str, Any]]:
    executed: list[dict[str, Any]] = []
    writes = []
    with ctx.engine.begin() as conn:
        rows = store.expired_dispute_ids(conn, now, batch, skip_locked=is_postgres(ctx.engine))
        for dispute_id, raw in rows:
            state = store.decode_state(raw)
            after, changes = execute_expiries(state, get_policy(state.policy), now)
            writes.append((after, state.version, changes))
            executed.extend(executed_json(dispute_id, c) for c in changes)
        store.write_disputes(conn, writes, now, ctx.workstation)
    return executed


def sweep_every(ctx: Context, seconds: float, stop: threading.Event,
                on_run: Callable[[list[dict[str, Any]]], None] | None = None) -> int:
    """Sweep, then wait `seconds` (or until `stop` is set), until stopped; returns the number of runs.

    Each run reads the clock afresh, so a service on the database clock executes what has come due.
    A run in progress always finishes its transaction before the loop looks at `stop`.
    """
    runs = 0
    while not stop.is_set():
        executed = sweep(ctx)
        runs += 1
        if on_run is not None:
            on_run(executed)
        stop.wait(seconds)
    return runs
