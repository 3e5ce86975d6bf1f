"""What `audit verify` reads (§7.3): disputes in id order, a batch at a time, with their history rows.

One batch is read in one transaction (on PostgreSQL at REPEATABLE READ), so a dispute's row and its history
are seen at the same moment even while workstations write. The rows come as the driver gives them (plain SQL,
no ORM objects and no conversion per value where the driver's values are the ones compared)."""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from sqlalchemy import Connection, CursorResult, select, text

from .schema import Dispute
from .types import UTCDateTime

#: the dispute columns `audit verify` holds against the stored state (every one the write path derives from it)
COLUMNS = tuple(c.name for c in Dispute.__table__.columns if c.name not in ("dispute_id", "updated_at"))


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


def _query(conn: Connection, names: Sequence[str], table: str, span: Span, order: str) -> CursorResult[Any]:
    """The columns `names` of `table`'s rows in `span`, as the driver gives them (no per-value conversion by
    the column types: on PostgreSQL a time is the driver's aware datetime already; SQLite's text is read by
    the column type)."""
    where, params = span.where()
    query = text(f"SELECT {', '.join(names)} FROM {table} WHERE {where} ORDER BY {order}")
    if conn.dialect.name != "postgresql":
        return conn.execute(query.columns(**{name: UTCDateTime() for name in names if name in TIMES}), params)
    return conn.execute(query, params)


def read_history(conn: Connection, span: Span) -> Sequence[Any]:
    """Every history row of `span`'s disputes (HISTORY's columns), in dispute and version order."""
    return _query(conn, HISTORY, "history", span, "dispute_id, version").all()


def read_disputes(conn: Connection, span: Span, names: Sequence[str]) -> Sequence[Any]:
    """(dispute_id, *names) of `span`'s dispute rows, in id order."""
    return _query(conn, ("dispute_id", *names), "disputes", span, "dispute_id").all()
