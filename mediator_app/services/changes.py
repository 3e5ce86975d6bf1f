"""How a workstation learns of other workstations' commits.

PostgreSQL: every writing transaction NOTIFYs the ids it changed, as a JSON array (triggers on `disputes`,
migrations 0004 and 0006: one notification per statement, delivered at commit); `listen` waits for
them on a dedicated connection and reconnects with backoff. SQLite: `poll` asks for history rows newer
than the last one seen (one writer at a time, so ids grow in commit order).
"""
from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy.engine import URL, Dialect

from mediator_app.db import store
from mediator_app.db.engine import is_postgres

from .context import Context
from .reading import read

if TYPE_CHECKING:  # the driver is imported when a listener connects: an SQLite command never pays for it
    import psycopg

ALL = "*"


def start_mark(ctx: Context) -> int:
    return read(ctx, store.last_history_id)


def poll(ctx: Context, after_id: int) -> tuple[int, set[str]]:
    """(newest history id, ids of disputes changed since `after_id`)."""
    return read(ctx, lambda conn: store.changed_since(conn, after_id))


def payload_ids(payload: str) -> set[str]:
    """The ids of one notification: a JSON array since migration 0006 (an id may hold a comma), `*` for
    everything; a payload of the comma-joined form (a server not yet upgraded) or anything unreadable asks for
    everything too, which is never wrong, only slower."""
    if payload and payload.startswith("["):
        try:
            ids = json.loads(payload)
        except ValueError:
            return {ALL}
        if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
            return set(ids)
    return {ALL}


def connect_args(url: URL, dialect: Dialect | None = None) -> dict[str, Any]:
    """psycopg's connect keywords for `url`, exactly as the engine's own connections get them (its dialect's
    `create_connect_args`): the password and `options` (our session settings, a search_path) pass as values,
    never re-rendered into a URL or a DSN string on the way, so spaces, `+` or quotes in them stay what they are
    (decision 192). SQLAlchemy's adapters map is left out: a bare connection needs psycopg's own."""
    if dialect is None:
        from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect

        dialect = psycopg_dialect()  # type: ignore[no-untyped-call]
    args, kwargs = dialect.create_connect_args(url)
    if args:  # never for a URL: psycopg's dialect gives keywords only
        raise ValueError(f"unexpected positional connect arguments for {url!r}")
    kwargs.pop("context", None)
    return dict(kwargs)


def listener_connect(ctx: Context) -> psycopg.Connection[Any]:
    """A connection of the engine's own (its URL's keywords, decision 192) for LISTEN, in autocommit."""
    import psycopg

    return psycopg.connect(**connect_args(ctx.engine.url, ctx.engine.dialect), autocommit=True)


def listen(ctx: Context, on_change: Callable[[set[str]], None], stop: threading.Event,
           on_state: Callable[[bool], None] | None = None, backoff_max: float = 10.0) -> None:
    """Deliver NOTIFY payloads as sets of dispute ids until `stop` is set (PostgreSQL only).

    After a (re)connection it delivers `{ALL}` once: whatever happened while not listening must be caught up.
    `on_state(True/False)` reports the connection state for the status bar.
    """
    if not is_postgres(ctx.engine):
        raise ValueError("listen needs PostgreSQL; SQLite workstations poll")
    import psycopg

    delay = 0.5
    while not stop.is_set():
        try:
            with listener_connect(ctx) as conn:
                conn.execute(f"LISTEN {store.CHANNEL}")
                delay = 0.5
                if on_state is not None:
                    on_state(True)
                on_change({ALL})
                while not stop.is_set():
                    for note in conn.notifies(timeout=0.5):
                        on_change(payload_ids(note.payload))
        except psycopg.OperationalError:
            if on_state is not None:
                on_state(False)
            stop.wait(delay)
            delay = min(delay * 2, backoff_max)
