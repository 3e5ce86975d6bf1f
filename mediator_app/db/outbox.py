"""The outbound feed's table: written with every change (from `store.write_disputes`), read in `seq` order.

Why `seq` follows commit order on PostgreSQL: every INSERT or COPY into `outbox` first takes a
transaction-level advisory lock on the table (a BEFORE STATEMENT trigger, migration 0005: it fires before
any row is formed, so before its `seq` is drawn from the sequence), and the rows are written at the very end
of a write. The lock is held until the transaction ends, and PostgreSQL makes a committed transaction visible
before it lets go of its locks; so a transaction that writes outbound events gets its numbers only after every
earlier writer has committed (or rolled back), and a reader that sees a `seq` sees every smaller one that will
ever commit. Sequence numbers handed out by a transaction that rolls back are gaps, never filled. The lock is
held only from the last statement of the write to the end of the commit; transactions without outbound
events never take it. SQLite has one writer at a time: the rowid follows commit order by itself.

`MEDIATOR_OUTBOX_NAIVE=1` makes the writer skip the lock (`SET LOCAL mediator.outbox_naive = on`: numbers in
the order they are handed out, not committed): the skip test runs with it to show that it catches the bug.
"""
from __future__ import annotations

import os
from datetime import datetime
from typing import Any, Sequence

import orjson
from sqlalchemy import Connection, Table, func, select, text

from mediator_app.domain.outbound import OutboundEvent

from . import bulk
from .schema import Outbox, OutboxConsumer

OUTBOX: Table = Outbox.__table__  # type: ignore[assignment]
CONSUMERS: Table = OutboxConsumer.__table__  # type: ignore[assignment]
NAIVE_ENV = "MEDIATOR_OUTBOX_NAIVE"
#: the advisory lock's first key (migration 0005's trigger); the second is the table's oid: one lock per schema
LOCK_CLASS = 20290
NAIVE_SQL = "SET LOCAL mediator.outbox_naive = on"


def ordered_by_commit() -> bool:
    """False only when the skip test disables the remedy."""
    return os.environ.get(NAIVE_ENV, "") in ("", "0")


def row(event: OutboundEvent) -> dict[str, Any]:
    return {"event_id": event.event_id, "type": event.type, "dispute_id": event.dispute_id,
            "version": event.version, "at": event.at, "body": orjson.dumps(event.to_json()).decode()}


def add_events(writes: bulk.Writes, events: Sequence[OutboundEvent]) -> None:
    """The rows of `events`, as the last step of `writes` (on PostgreSQL their INSERT takes the lock: see the
    module)."""
    if not events:
        return
    if writes.postgresql and not ordered_by_commit():
        writes.statement(NAIVE_SQL)
    writes.insert(OUTBOX, [row(e) for e in events])


def _line(seq: int, body: str) -> str:
    """The event as JSON with `seq` first, spliced into the stored text (no decoding)."""
    return f'{{"seq":{seq},{body[1:]}'


_READ_SQL = "SELECT seq, body FROM outbox WHERE seq > {0} ORDER BY seq LIMIT {0}"


def read_lines(conn: Connection, after: int, limit: int) -> list[tuple[int, str]]:
    """(seq, the event as a JSON text) of the committed events after `after`, in `seq` order, at most `limit`.

    Through the driver's cursor: SQLAlchemy's rows cost a third of a page of 10,000 (bench.outbox)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        rows = cursor.execute(_READ_SQL.format("%s" if conn.dialect.name == "postgresql" else "?"),
                              (after, limit)).fetchall()
    finally:
        cursor.close()
    return [(seq, _line(seq, body)) for seq, body in rows]


def last_seq(conn: Connection) -> int:
    return conn.execute(select(func.coalesce(func.max(Outbox.seq), 0))).scalar_one()


def consumer_position(conn: Connection, name: str, for_update: bool = False) -> int | None:
    query = select(OutboxConsumer.after).where(OutboxConsumer.name == name)
    return conn.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


def store_position(conn: Connection, name: str, after: int, now: datetime, new: bool) -> None:
    if new:
        conn.execute(CONSUMERS.insert().values(name=name, after=after, acked_at=now))
    else:
        conn.execute(CONSUMERS.update().where(CONSUMERS.c.name == name).values(after=after, acked_at=now))


def consumers(conn: Connection) -> list[dict[str, Any]]:
    """Every consumer with how many committed events follow its position (one query)."""
    behind = (select(func.count()).select_from(Outbox).where(Outbox.seq > OutboxConsumer.after)
              .scalar_subquery())
    rows = conn.execute(select(OutboxConsumer.name, OutboxConsumer.after, OutboxConsumer.acked_at,
                               behind.label("behind")).order_by(OutboxConsumer.name))
    return [{"name": r.name, "after": r.after, "acked_at": r.acked_at, "behind": r.behind} for r in rows]


def lock_consumer_table(conn: Connection) -> None:
    """Two acks of a new consumer at once: the second waits and then sees the first (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE outbox_consumers IN SHARE ROW EXCLUSIVE MODE"))
