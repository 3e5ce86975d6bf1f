"""What `audit verify` reads (§7.3): disputes in id order, a batch at a time, with their history rows.

One batch is read in one transaction (on PostgreSQL at REPEATABLE READ), so a dispute's row and its history
are seen at the same moment even while workstations write. The rows come as the driver gives them (plain SQL on
the DBAPI cursor, no ORM or Core row objects)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, NamedTuple, Sequence

from sqlalchemy import Connection, select

from .schema import Dispute
from .types import UTCDateTime

#: the dispute columns `audit verify` holds against the stored state (every one the write path derives from it)
COLUMNS = tuple(c.name for c in Dispute.__table__.columns if c.name not in ("dispute_id", "updated_at", "legacy"))


#: a history row as read: (dispute_id, version, at, kind, actor, party, summary, payload, hash)
HISTORY = ("dispute_id", "version", "at", "kind", "actor", "party", "summary", "payload", "hash")
#: the columns whose values are times (PostgreSQL's driver gives them as datetimes, SQLite's as text)
TIMES = frozenset(c.name for c in Dispute.__table__.columns if isinstance(c.type, UTCDateTime)) | {"at"}


def dispute_ids(conn: Connection, after: str | None, limit: int) -> list[str]:
    query = select(Dispute.dispute_id).order_by(Dispute.dispute_id).limit(limit)
    if after is not None:
        query = query.where(Dispute.dispute_id > after)
    return list(conn.execute(query).scalars())


def count_disputes(conn: Connection) -> int:
    from sqlalchemy import func

    return int(conn.execute(select(func.count()).select_from(Dispute)).scalar_one())


class Span(NamedTuple):
    """Which disputes one batch reads: `only` that one, else the ids after `after` (None: from the first) up to
    `last` included (None: to the end). The spans of a whole check leave no gap between them, so the history of
    a dispute whose row is gone is read too, wherever its id falls."""

    after: str | None
    last: str | None
    only: str | None = None

    def where(self) -> tuple[str, dict[str, str]]:
        """The condition on `dispute_id` in SQL, with its parameters."""
        if self.only is not None:
            return "dispute_id = :only", {"only": self.only}
        parts = (["dispute_id > :after"] if self.after is not None else []) + \
            (["dispute_id <= :last"] if self.last is not None else [])
        params = {name: value for name, value in (("after", self.after), ("last", self.last)) if value is not None}
        return " AND ".join(parts) or "1 = 1", params


def _query(conn: Connection, names: Sequence[str], table: str, span: Span, order: str) -> list[tuple[Any, ...]]:
    """The columns `names` of `table`'s rows in `span`, as the DBAPI cursor gives them (no SQLAlchemy row per
    row, no conversion per value by the column types): on PostgreSQL a time is the driver's aware datetime
    already; SQLite's text is read here, as the column type reads it. In the connection's transaction."""
    if not conn.in_transaction():
        conn.begin()  # (SQLite: the engine's BEGIN; both reads of a batch see one snapshot)
    where, params = span.where()
    if conn.dialect.paramstyle == "pyformat":
        where = where.replace(":only", "%(only)s").replace(":after", "%(after)s").replace(":last", "%(last)s")
    cursor = conn.connection.cursor()
    try:
        cursor.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where} ORDER BY {order}", params)
        rows: list[tuple[Any, ...]] = list(cursor.fetchall())
    finally:
        cursor.close()
    if conn.dialect.name == "postgresql":
        return rows
    times = [i for i, name in enumerate(names) if name in TIMES]
    if not times:
        return rows
    if tuple(names) == HISTORY:  # a history row: only its third value, `at`, is a time
        return [(row[0], row[1], _sqlite_time(row[2]), *row[3:]) for row in rows]
    out: list[tuple[Any, ...]] = []
    for row in rows:  # only the time columns are converted (a generator over every value cost twice as much)
        values = list(row)
        for i in times:
            if values[i] is not None:
                values[i] = _sqlite_time(values[i])
        out.append(tuple(values))
    return out


def _sqlite_time(value: Any) -> datetime | None:
    """A time as SQLite holds it (naive UTC text, `UTCDateTime`) -> an aware datetime."""
    if value is None:
        return None
    if type(value) is str and len(value) == 26:  # what UTCDateTime writes: "YYYY-MM-DD HH:MM:SS.ffffff", naive UTC
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=timezone.utc)
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def read_history(conn: Connection, span: Span) -> list[tuple[Any, ...]]:
    """Every history row of `span`'s disputes (HISTORY's columns), in dispute and version order."""
    return _query(conn, HISTORY, "history", span, "dispute_id, version")


def read_baselines(conn: Connection, span: Span) -> list[tuple[Any, ...]]:
    """(dispute_id, version, state) of the replay baselines of `span`'s disputes (decision 269)."""
    return _query(conn, ("dispute_id", "version", "state"), "replay_baselines", span, "dispute_id")


def read_disputes(conn: Connection, span: Span, names: Sequence[str]) -> list[tuple[Any, ...]]:
    """(dispute_id, *names) of `span`'s dispute rows, in id order."""
    return _query(conn, ("dispute_id", *names), "disputes", span, "dispute_id")
