"""Engines: SQLite (WAL, foreign keys, busy timeout, writers lock up front) or PostgreSQL (psycopg 3)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Bounded waits on PostgreSQL, set for every session of ours (decision 72): a row lock is waited for at most
#: LOCK_TIMEOUT_MS (a clerk hears "D-1 is being written by another process; try again"), a statement runs at
#: most STATEMENT_TIMEOUT_MS, and a session that sits in an open transaction without a statement for
#: IDLE_IN_TRANSACTION_MS (a stalled or stopped client) is cut off by the server, its locks released.
LOCK_TIMEOUT_MS = 3_000
STATEMENT_TIMEOUT_MS = 60_000
IDLE_IN_TRANSACTION_MS = 5_000
#: The session's TimeZone is UTC: every time is a `timestamptz` read as UTC (SQL that formats one says AT TIME
#: ZONE 'UTC' itself), and psycopg then gives `timezone.utc` datetimes, which compare and convert at C speed
#: (a server zone such as Etc/UTC comes as a ZoneInfo, 20x slower to compare: `audit verify` compares many).
PG_SESSION_SETTINGS = {"lock_timeout": LOCK_TIMEOUT_MS, "statement_timeout": STATEMENT_TIMEOUT_MS,
                       "idle_in_transaction_session_timeout": IDLE_IN_TRANSACTION_MS, "TimeZone": "UTC"}
#: Execution option for transactions that only read (SQLite then begins without the write lock).
READ_ONLY = {"mediator_read_only": True}


def default_sqlite_path() -> Path:
    """The embedded default: `cases.db` in the user's data folder."""
    from platformdirs import user_data_path

    return user_data_path("mediator", appauthor=False, ensure_exists=True) / "cases.db"


def resolve_url(url: str | None) -> str:
    """`--db`, else env `MEDIATOR_DB`, else the SQLite file in the user data folder."""
    chosen = url or os.environ.get("MEDIATOR_DB")
    if chosen:
        return normalize_url(chosen)
    return f"sqlite:///{default_sqlite_path()}"


def normalize_url(url: str) -> str:
    """Plain `postgresql://` URLs use psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(with_session_settings(url), **kwargs)


def with_session_settings(url: str) -> str:
    """The PostgreSQL URL with our bounded waits added to its `options` (kept: a search_path, say); a setting
    the URL gives already is left as it is."""
    parsed = make_url(url)
    options = parsed.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    given = options.lower()  # (PostgreSQL's setting names are case-insensitive)
    extra = " ".join(f"-c {name}={value}" for name, value in PG_SESSION_SETTINGS.items() if name.lower() not in given)
    if not extra:
        return url
    parsed = parsed.update_query_dict({"options": f"{options} {extra}".strip()})
    return parsed.render_as_string(hide_password=False)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")  # a commit reaches the disk before it returns (decision 36)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get("mediator_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
