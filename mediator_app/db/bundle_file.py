"""The offline bundle (§6): one SQLite file with the live schema (made by the same migrations) plus its own tables.

`bundle_origin` (one row: where and when it was exported, by whom), `bundle_policies` (the policies its cases use,
as data, for the record) and `bundle_drafts` (the decisions drafted in it, in order, with their outcome at sync).
The file is kept in rollback-journal mode, not WAL, so it is always one file that can be copied anywhere.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column, Engine, Integer, MetaData, String, Text, bindparam, create_engine, event, inspect, insert, select, update,
)
from sqlalchemy import Connection, Table

from .types import UTCDateTime

BUNDLE_FORMAT = 1
METADATA = MetaData()

ORIGIN = Table(
    "bundle_origin", METADATA,
    Column("id", Integer, primary_key=True),  # always 1
    Column("database_id", String(36), nullable=False),
    Column("exported_at", UTCDateTime(), nullable=False),
    Column("exported_by", String(64), nullable=False),
    Column("backend", String(16), nullable=False),
    Column("revision", String(32), nullable=False),
    Column("selection", Text, nullable=False),  # how the cases were chosen, as JSON
    Column("disputes", Integer, nullable=False),
    Column("evidence_bytes", Integer, nullable=False),
    Column("format", Integer, nullable=False),
)
POLICIES = Table(
    "bundle_policies", METADATA,
    Column("name", String(32), primary_key=True),
    Column("policy", Text, nullable=False),
)
DRAFTS = Table(
    "bundle_drafts", METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # draft order
    Column("draft_id", String(64), nullable=False, unique=True),  # also the idempotency key at sync
    Column("dispute_id", String(64), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("drafted_by", String(64), nullable=False),
    Column("terms", Text, nullable=False),  # the command's options, as JSON
    Column("drafted_at", UTCDateTime(), nullable=False),
    Column("based_on_version", Integer, nullable=False),
    Column("version_after", Integer, nullable=False),  # what it produces in the bundle
    Column("status", String(16), nullable=False),  # pending | applied | conflict | rejected
    Column("reason", Text),
    Column("live_version", Integer),  # a conflict's: the dispute's version at sync
    Column("applied_version", Integer),  # an applied draft's: the live version after it
    Column("synced_at", UTCDateTime()),
)


class NotABundle(Exception):
    """The file is not an offline bundle (or not a readable one)."""


def bundle_url(path: str | Path, writable: bool) -> str:
    resolved = Path(path).resolve()
    return f"sqlite:///file:{resolved}?mode={'rw' if writable else 'ro'}&uri=true"


def open_bundle(path: str | Path, writable: bool = False, fast: bool = False) -> Engine:
    """An ordinary engine over the bundle file: every reading service works on it unchanged. Read-only unless
    `writable` (drafts and sync outcomes are the only writes). `fast` (while the export writes a new file that
    is renamed into place only when complete) skips the journal."""
    if not Path(path).is_file():
        raise NotABundle(f"no bundle at {path}")
    engine = create_engine(bundle_url(path, writable), connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if fast:
            cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: the indexes are written in random order
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
        elif writable:
            cursor.execute("PRAGMA journal_mode=DELETE")  # one file, always
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = not writable or conn.get_execution_options().get("mediator_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def create_tables(engine: Engine) -> None:
    METADATA.create_all(engine)


def is_bundle(engine: Engine) -> bool:
    return ORIGIN.name in inspect(engine).get_table_names()


def origin(conn: Connection) -> dict[str, Any]:
    row = conn.execute(select(ORIGIN)).mappings().first()
    if row is None:
        raise NotABundle("the file has no bundle origin")
    return dict(row)


def write_origin(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(ORIGIN).values(id=1, format=BUNDLE_FORMAT, **values))


def drafts(conn: Connection, dispute_id: str | None = None) -> list[dict[str, Any]]:
    query = select(DRAFTS).order_by(DRAFTS.c.seq)
    if dispute_id is not None:
        query = query.where(DRAFTS.c.dispute_id == dispute_id)
    return [dict(r) for r in conn.execute(query).mappings()]


def drafts_by_dispute(conn: Connection, dispute_ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The drafts of several disputes, each's in order, in one query per 500 ids."""
    out: dict[str, list[dict[str, Any]]] = {}
    ids = sorted(dispute_ids)
    for start in range(0, len(ids), 500):
        query = select(DRAFTS).where(DRAFTS.c.dispute_id.in_(ids[start:start + 500])).order_by(DRAFTS.c.seq)
        for row in conn.execute(query).mappings():
            out.setdefault(row["dispute_id"], []).append(dict(row))
    return out


def drafted_disputes(conn: Connection, statuses: tuple[str, ...] | None = None) -> set[str]:
    """The disputes with a draft (with a draft of one of `statuses` when given)."""
    query = select(DRAFTS.c.dispute_id).distinct()
    if statuses is not None:
        query = query.where(DRAFTS.c.status.in_(statuses))
    return set(conn.execute(query).scalars())


def drafted_queue_ids(conn: Connection, text: str = "", sort: str = "due", descending: bool = False,
                      limit: int | None = None) -> list[str]:
    """The "Drafts" view of a bundle's queue: every case with a draft (closed ones too: a drafted ruling may
    close it), in the queue's order and filter over the exported columns."""
    from .queries import _text, queue_order
    from .schema import Dispute

    query = (select(Dispute.dispute_id).where(Dispute.dispute_id.in_(select(DRAFTS.c.dispute_id)), _text(conn, text))
             .order_by(*queue_order(sort, descending)).limit(limit))
    return list(conn.execute(query).scalars())


def add_draft(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(DRAFTS).values(status="pending", **values))


def delete_draft(conn: Connection, draft_id: str) -> None:
    conn.execute(DRAFTS.delete().where(DRAFTS.c.draft_id == draft_id))


def record_outcomes(conn: Connection, outcomes: list[dict[str, Any]], synced_at: datetime) -> None:
    """Each outcome: {"draft_id", "status"} and, as they apply, "reason", "live_version", "applied_version"."""
    if not outcomes:
        return
    conn.execute(update(DRAFTS).where(DRAFTS.c.draft_id == bindparam("b_draft_id")).values(
        status=bindparam("b_status"), reason=bindparam("b_reason"), live_version=bindparam("b_live"),
        applied_version=bindparam("b_applied"), synced_at=bindparam("b_at")),
        [{"b_draft_id": o["draft_id"], "b_status": o["status"], "b_reason": o.get("reason"),
          "b_live": o.get("live_version"), "b_applied": o.get("applied_version"), "b_at": synced_at}
         for o in outcomes])
