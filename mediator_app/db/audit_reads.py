"""What `audit verify` reads (§7.3): disputes in id order, a batch at a time, with their history rows.

One batch is read in one transaction (on PostgreSQL at REPEATABLE READ), so a dispute's row and its history
are seen at the same moment even while workstations write."""
from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from .schema import Dispute, History

#: the dispute columns `audit verify` holds against the stored state (every one the write path derives from it)
COLUMNS = tuple(c.name for c in Dispute.__table__.columns if c.name not in ("dispute_id", "updated_at"))


class DisputeRows(NamedTuple):
    """One dispute as stored, in plain values (sent to a worker process as they are)."""

    dispute_id: str
    columns: dict[str, Any]  # COLUMNS -> value (state: the stored JSON text)
    history: list[tuple[Any, ...]]  # (version, at, kind, actor, party, summary, payload, hash), in version order


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

    def where(self, column: Any) -> list[Any]:
        if self.only is not None:
            return [column == self.only]
        return ([column > self.after] if self.after is not None else []) + \
            ([column <= self.last] if self.last is not None else [])


def read_batch(conn: Connection, span: Span) -> list[DisputeRows]:
    """The disputes of `span` and every history row of theirs."""
    table = Dispute.__table__
    disputes = conn.execute(select(table.c.dispute_id, *(table.c[name] for name in COLUMNS))
                            .where(*span.where(table.c.dispute_id))).all()
    out = {r[0]: DisputeRows(r[0], dict(zip(COLUMNS, r[1:])), []) for r in disputes}
    rows = conn.execute(select(History.dispute_id, History.version, History.at, History.kind, History.actor,
                               History.party, History.summary, History.payload, History.hash)
                        .where(*span.where(History.dispute_id))
                        .order_by(History.dispute_id, History.version))
    for row in rows:
        found = out.get(row[0])
        if found is None:  # history of a dispute whose row is gone
            found = out[row[0]] = DisputeRows(row[0], {}, [])
        found.history.append(tuple(row[1:]))
    return [out[key] for key in sorted(out)]
