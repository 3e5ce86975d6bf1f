"""`bundle export` (§6): the chosen disputes, whole, into a new bundle file; nothing in the live database changes.

The cases are read in one read-only transaction (one snapshot: on PostgreSQL `REPEATABLE READ`) and copied 500
disputes at a time, evidence a few hundred rows at a time, so memory stays bounded whatever the selection. The
file is written under a temporary name beside FILE and renamed into place when complete: an interrupted export
leaves no half bundle behind.
"""
from __future__ import annotations

import dataclasses
import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from sqlalchemy import Connection, Table, insert, select

from mediator_app.db import bundle_file, migrate, queries, store
from mediator_app.db.schema import Base, Dispute
from mediator_app.db.types import UTCDateTime
from mediator_app.domain.errors import Rejection
from mediator_app.domain.policy import get_policy

from .context import Context
from .read_ahead import read_ahead

BATCH = 500
EVIDENCE_ROWS = 200  # evidence rows held at once (their bytes included)
#: The live tables a bundle holds, in an order that satisfies their foreign keys.
COPIED = ("users", "disputes", "dispute_search", "history", "evidence")
VIEWS = queries.BUNDLE_VIEWS  # §6's view names -> the queue's
Progress = Callable[[int, int], None]


def export(ctx: Context, out: str | Path, user: str, ids: Sequence[str] | None = None, view: str | None = None,
           assigned_to: str | None = None, force: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    out = Path(out)
    if out.exists() and not force:
        raise Rejection(f"{out} exists already (give --force to replace it)")
    if out.exists() and out.is_dir():
        raise Rejection(f"{out} is a folder")
    now = ctx.clock.now()
    source = ctx.engine.connect().execution_options(mediator_read_only=True)
    if ctx.engine.dialect.name == "postgresql":
        source = source.execution_options(isolation_level="REPEATABLE READ")
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with source, source.begin():
            if store.get_user_role(source, user) is None:
                raise Rejection(f"unknown user {user!r}")
            chosen = _selection(source, ids, view, assigned_to, now)
            database_id = store.database_id(source)
            if database_id is None:
                raise Rejection("this database has no database_id: run `mediator db upgrade`")
            tmp.touch()
            target = bundle_file.open_bundle(tmp, writable=True, fast=True)
            try:
                migrate.upgrade(target)
                bundle_file.create_tables(target)
                with target.begin() as conn:
                    evidence_bytes = _copy(source, conn, chosen, progress)
                    policies = _policies(conn)
                    conn.execute(insert(bundle_file.POLICIES), [
                        {"name": name, "policy": _policy_json(name)}
                        for name in policies])
                    bundle_file.write_origin(conn, {
                        "database_id": database_id, "exported_at": now, "exported_by": user,
                        "backend": ctx.engine.dialect.name, "revision": migrate.current_revision(ctx.engine) or "",
                        "selection": json.dumps({"ids": list(ids) if ids else None, "view": view,
                                                 "assigned_to": assigned_to}),
                        "disputes": len(chosen), "evidence_bytes": evidence_bytes})
                with target.connect() as conn:
                    conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
            finally:
                target.dispose()
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return {"bundle": str(out), "disputes": len(chosen), "evidence_bytes": evidence_bytes}


def _selection(conn: Connection, ids: Sequence[str] | None, view: str | None, assigned_to: str | None,
               now: Any) -> list[str]:
    if ids:
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for start in range(0, len(wanted), BATCH):
            part = wanted[start:start + BATCH]
            found.update(conn.execute(select(Dispute.dispute_id).where(store.among(conn, Dispute.dispute_id, part)))
                         .scalars())
        missing = [d for d in wanted if d not in found]
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise Rejection(f"unknown dispute {shown}: nothing exported")
        return wanted
    if view is not None:
        if view not in VIEWS:
            raise Rejection(f"unknown view {view!r} (one of {', '.join(VIEWS)})")
        return queries.queue_ids(conn, VIEWS[view], "", now)
    assert assigned_to is not None
    if store.get_user_role(conn, assigned_to) is None:
        raise Rejection(f"unknown user {assigned_to!r}")
    return queries.queue_ids(conn, "mine", assigned_to, now)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _copy(source: Connection, target: Connection, chosen: list[str], progress: Progress | None) -> int:
    """Rows go from one driver to the other as tuples (SQLAlchemy's per-row statement and type handling cost
    three times the copy itself); PostgreSQL formats the times as SQLite stores them. From PostgreSQL the rows
    are read in a thread while this one writes them (each driver waits without holding the GIL), a few chunks
    ahead at most, so memory stays bounded."""
    raw_source = source.connection.dbapi_connection
    raw_target = target.connection.dbapi_connection
    assert raw_source is not None and raw_target is not None
    postgres = source.dialect.name == "postgresql"
    # the indexes are built once at the end (sorted), not row by row: the copy ran at half its floor's rate
    indexes = [row for row in raw_target.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(COPIED))})", COPIED)]
    for name, _sql in indexes:
        raw_target.execute(f'DROP INDEX "{name}"')
    total, evidence_bytes = len(chosen), 0
    if progress:
        progress(0, total)
    chunks = _chunks(raw_source, chosen, postgres)
    for item in (read_ahead(chunks, name="bundle-export-reader") if postgres else chunks):
        if isinstance(item, int):
            if progress:
                progress(item, total)
            continue
        insert_sql, rows, size = item
        evidence_bytes += size
        raw_target.executemany(insert_sql, rows)
    for _name, sql in indexes:
        raw_target.execute(sql)
    return evidence_bytes


Chunk = tuple[str, list[Any], int]


def _chunks(source: Any, chosen: list[str], postgres: bool) -> Iterator[Chunk | int]:
    """Every chunk of rows to insert (insert statement, rows, bytes of evidence content), and after each batch of
    disputes how many are done."""
    yield from _read_rows(source, _table("users"), None, postgres)
    for start in range(0, len(chosen), BATCH):
        part = chosen[start:start + BATCH]
        for name in ("disputes", "dispute_search", "history"):
            yield from _read_rows(source, _table(name), part, postgres)
        yield from _read_rows(source, _table("evidence"), part, postgres, streamed=True)
        yield min(start + BATCH, len(chosen))


def _read_rows(source: Any, table: Table, ids: list[str] | None, postgres: bool,
               streamed: bool = False) -> Iterator[Chunk]:
    """The rows of `table` (of the disputes `ids`, or all) in chunks."""
    columns = [c.name for c in table.columns]
    times = {i for i, c in enumerate(table.columns) if isinstance(c.type, UTCDateTime)}
    selected = columns  # from SQLite every value is already in its stored form
    if postgres:  # times leave PostgreSQL in SQLite's stored form (naive UTC text, as UTCDateTime writes them)
        selected = [f"to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" if i in times else c
                    for i, c in enumerate(columns)]
    content = columns.index("content") if "content" in columns else None
    query = f"SELECT {', '.join(selected)} FROM {table.name}"
    params: Any = ()
    if ids is not None:
        if postgres:
            query += " WHERE dispute_id = ANY(%s)"
            params = (ids,)
        else:
            query += f" WHERE dispute_id IN ({', '.join('?' * len(ids))})"
            params = tuple(ids)
    if streamed:
        query += " ORDER BY id"
    cursor = source.cursor(name=f"export_{uuid.uuid4().hex[:8]}") if postgres and streamed else source.cursor()
    insert_sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    try:
        cursor.execute(query, params)
        while rows := cursor.fetchmany(EVIDENCE_ROWS if streamed else 2000):
            yield insert_sql, rows, sum(len(row[content]) for row in rows) if content is not None else 0
    finally:
        cursor.close()


def _policies(conn: Connection) -> list[str]:
    return sorted(conn.execute(select(Dispute.policy).distinct()).scalars())


def _policy_json(name: str) -> str:
    policy = get_policy(name)
    fields = {f.name: getattr(policy, f.name) for f in dataclasses.fields(policy)}
    fields["four_eyes_threshold"] = dict(fields["four_eyes_threshold"])
    return json.dumps(fields, default=str)
