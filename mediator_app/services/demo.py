"""Demo data: a realistic marketplace generated as feed events and ingested through the real feed path."""
from __future__ import annotations

from typing import Callable

from mediator_app.db import store
from mediator_app.demo import generate_demo_events

from .context import Context
from .demo_desk import stage_desk
from .feed import IngestReport, ingest_lines, numbered_events

DEMO_USERS = (("alice", "clerk"), ("bob", "supervisor"), ("carol", "clerk"), ("li.wei", "clerk"),
              ("dora", "auditor"))


def ensure_demo_users(ctx: Context) -> None:
    with ctx.engine.begin() as conn:
        now = ctx.clock.now()
        for name, role in DEMO_USERS:
            if store.get_user_role(conn, name) is None:
                store.add_user(conn, name, role, now)


def fill_demo(ctx: Context, disputes: int, seed: int,
              progress: Callable[[int, int], None] | None = None, desk: bool = False) -> IngestReport:
    """Generate `disputes` disputes up to the clock's now and ingest them; `progress(done, total)` per chunk.

    `desk`: the platform's SLA as on an ordinary day (`demo.sla`), then replay the last day of the clerks' and
    the supervisor's work (`demo_desk.stage_desk`): what
    `mediator demo` and the first run show. Without it, the feed alone (what the tests build on)."""
    ensure_demo_users(ctx)
    events = list(generate_demo_events(disputes, seed, ctx.clock.now(), desk=desk))
    total = len(events)
    done = 0

    def on_chunk(lines: int) -> None:
        nonlocal done
        done += lines
        if progress is not None:
            progress(done, total)

    report = ingest_lines(ctx, numbered_events(events), f"demo seed={seed}", on_chunk=on_chunk)
    if desk:
        stage_desk(ctx, seed)
    return report
