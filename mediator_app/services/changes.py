"""How a workstation learns of other workstations' commits.

PostgreSQL: every writing transaction NOTIFYs the ids it changed (triggers on `disputes`, migration 0004:
one notification per statement, delivered at commit); `listen` waits for
them on a dedicated connection and reconnects with backoff. SQLite: `poll` asks for history rows newer
than the last one seen (one writer at a time, so ids grow in commit order).
"""
from __future__ import annotations

import threading
from typing import Callable

import psycopg
from sqlalchemy.engine import make_url

from mediator_app.db import store
from mediator_app.db.engine import is_postgres

from .context import Context
from .reading import read

ALL = "*"


def start_mark(ctx: Context) -> int:
    return read(ctx, store.last_history_id)


def poll(ctx: Context, after_id: int) -> tuple[int, set[str]]:
    """(newest history id, ids of disputes changed since `after_id`)."""
    return read(ctx, lambda conn: store.changed_since(conn, after_id))


def libpq_dsn(ctx: Context) -> str:
    url = make_url(ctx.engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def listen(ctx: Context, on_change: Callable[[set[str]], None], stop: threading.Event,
           on_state: Callable[[bool], None] | None = None, backoff_max: float = 10.0) -> None:
    """Deliver NOTIFY payloads as sets of dispute ids until `stop` is set (PostgreSQL only).

    After a (re)connection it delivers `{ALL}` once: whatever happened while not listening must be caught up.
    `on_state(True/False)` reports the connection state for the status bar.
    """
    if not is_postgres(ctx.engine):
        raise ValueError("listen needs PostgreSQL; SQLite workstations poll")
    delay = 0.5
    while not stop.is_set():
        try:
            with psycopg.connect(libpq_dsn(ctx), autocommit=True) as conn:
                conn.execute(f"LISTEN {store.CHANNEL}")
                delay = 0.5
                if on_state is not None:
                    on_state(True)
                on_change({ALL})
                while not stop.is_set():
                    for note in conn.notifies(timeout=0.5):
                        on_change(set(note.payload.split(",")) if note.payload else {ALL})
        except psycopg.OperationalError:
            if on_state is not None:
                on_state(False)
            stop.wait(delay)
            delay = min(delay * 2, backoff_max)
