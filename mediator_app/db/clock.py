"""The database's clock: what every workstation sharing the database agrees on."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import text
from sqlalchemy.engine import Engine

from .engine import READ_ONLY


class DatabaseClock:
    """`now()` asks the database (PostgreSQL `clock_timestamp()`, SQLite `strftime('now')`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def now(self) -> datetime:
        if self._engine.dialect.name == "postgresql":
            sql = "SELECT clock_timestamp()"
        else:
            sql = "SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now')"
        with self._engine.connect().execution_options(**READ_ONLY) as conn:
            value: datetime | str = conn.execute(text(sql)).scalar_one()
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
