"""A clerk's decision before and after session 8's changes, interleaved decision by decision (PostgreSQL).

    python -m bench.decision_ab --db POSTGRESQL_URL --before-tree CHECKOUT [--samples 150] --json

On a loaded machine two runs a minute apart differ by more than the change measured (the floor moves 0.5–4 ms),
so here one process alternates: each sample is a decision the way the code before session 8 made it, then one
the way it makes it now, on two scratch schemas. "Before": the guards of `--before-tree`'s
`mediator_app/db/privileges.py` (its SQL `mediator_is_admin()` and seven-query history check), the writes in one
pipeline of one statement per row (`bulk.ONE_STATEMENT` off, inserts row by row) and the action's read through
SQLAlchemy. "After": this tree. Beside them, in the same loop, the floor (a one-row insert committed through the
driver) and at the end the disk's fsync. Figures: p50 per variant, ms.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Sequence

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from bench.backend import fsync_latency_ms, pg_folder
from bench.ingest import pg_scratch
from mediator_app.db import bulk, history_chain, migrate, privileges, store
from mediator_app.db.engine import make_engine
from mediator_app.domain import actions
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.users import add_user
from tests.feeds import T0, opened

STEPS = {"note": lambda s, a, now: actions.add_note(s, a, now, "decided"),
         "rule": lambda s, a, now: actions.rule(s, a, now, "buyer")}


def _old_privileges(tree: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("before_privileges", Path(tree) / "mediator_app/db/privileges.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _old_load_for_action(conn: Connection, dispute_id: str, user: str, key: str) -> Any:
    """`store.load_for_action` before session 8: SQLAlchemy's execute and rows."""
    row = conn.execute(store._FOR_ACTION, {"dispute_id": dispute_id, "user": user, "key": key}).first()
    if row:
        history_chain.remember(conn, dispute_id, row.version, row.head_hash)
    return (store.decode_state(row.state), row.role, row.key_used_for, row.key_action) if row else None


def _old_insert(self: bulk.Writes, table: Any, rows: Sequence[Any], clock_column: str | None = None) -> bulk.Writes:
    """`bulk.Writes.insert` before session 8: a few rows as one executemany (one statement per row)."""
    if not rows:
        return self
    columns = list(rows[0])
    values = bulk._tuples(table, columns, rows, self.conn.dialect)
    if self.postgresql and len(rows) > bulk.COPY_FROM:
        self._steps.append(bulk._Copy(table, columns, values, clock_column))
        return self
    marks = [self._mark] * len(columns)
    if clock_column is not None:
        columns.append(clock_column)
        marks.append("now()")
    self._steps.append(bulk._Statement(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
                                       f"({', '.join(marks)})", values))
    return self


class _Before:
    """The code before session 8, for the length of a `with`."""

    def __enter__(self) -> None:
        self.saved = (store.load_for_action, bulk.Writes.insert, bulk.ONE_STATEMENT)
        store.load_for_action = _old_load_for_action  # type: ignore[assignment]
        bulk.Writes.insert = _old_insert  # type: ignore[method-assign]
        bulk.ONE_STATEMENT = False

    def __exit__(self, *exc: object) -> None:
        store.load_for_action, bulk.Writes.insert, bulk.ONE_STATEMENT = self.saved  # type: ignore[method-assign]


def _schema(db: str, install: Callable[[str], list[str]] | None, disputes: list[str]) -> tuple[Context, Context, Any]:
    url, drop = pg_scratch(db)
    engine = make_engine(url)
    migrate.upgrade(engine)
    ctx = Context(engine, FixedClock(T0 + timedelta(hours=1)), workstation="bench")
    add_user(ctx, "bench-clerk", "clerk")
    ingest_events(ctx, [opened(d) for d in disputes])
    with engine.begin() as conn:
        _, schema = privileges.where(conn)
        for statement in privileges.uninstall_sql(schema) + (install(schema) if install else []):
            conn.execute(text(statement))
    clerk = make_engine(make_url(url).set(username="bench-clerk").render_as_string(hide_password=False))
    return ctx, Context(clerk, ctx.clock, workstation="bench"), drop


def figures(db: str, before_tree: str, samples: int) -> dict[str, Any]:
    cases = [("note", "admin"), ("note", "clerk"), ("rule", "admin"), ("rule", "clerk"), ("note", "unguarded")]
    ids = [f"{kind}-{who}-{n}" for kind, who in cases for n in range(samples)]
    old = _old_privileges(before_tree)
    schemas = {"before": _schema(db, old.install_sql, ids), "after": _schema(db, privileges.install_sql, ids),
               "unguarded": _schema(db, None, ids)}
    timed: dict[str, list[float]] = {}
    floor: list[float] = []
    out: dict[str, Any] = {"load_average_start": os.getloadavg()[0], "before_tree": before_tree, "samples": samples}
    try:
        probe = schemas["after"][0].engine.connect()
        probe.exec_driver_sql("CREATE TABLE commit_probe (n integer)")
        probe.commit()
        for n in range(samples):
            for kind, who in cases:
                for variant in ("before", "after"):
                    admin, clerk, _ = schemas["unguarded" if who == "unguarded" else variant]
                    ctx = clerk if who == "clerk" else admin
                    dispute = f"{kind}-{who}-{n}"
                    with _Before() if variant == "before" else _Nothing():
                        started = time.perf_counter()
                        casework.apply_action(ctx, dispute, "bench-clerk", kind, STEPS[kind], 1, uuid.uuid4().hex)
                        timed.setdefault(f"{kind}_{who}_{variant}_p50_ms", []).append(time.perf_counter() - started)
            started = time.perf_counter()
            probe.exec_driver_sql(f"INSERT INTO commit_probe VALUES ({n})")
            probe.commit()
            floor.append(time.perf_counter() - started)
        probe.close()
    finally:
        for admin, clerk, drop in schemas.values():
            admin.engine.dispose()
            clerk.engine.dispose()
            drop()
    out.update({name: round(statistics.median(values) * 1000, 2) for name, values in timed.items()})
    out["floor_insert_commit_p50_ms"] = round(statistics.median(floor) * 1000, 3)
    out.update(fsync_latency_ms(pg_folder(db)))
    out["target_ms"] = round(1.5 * out["fsync_append_ms"] + 2, 2)
    out["load_average_end"] = os.getloadavg()[0]
    return out


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (scratch schemas are made in it)")
    parser.add_argument("--before-tree", required=True,
                        help="a checkout of the code before session 8 (e.g. `git worktree add ../before 9a5efcc`): "
                             "its guards are 'before'")
    parser.add_argument("--samples", type=int, default=150)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print(json.dumps(figures(args.db, args.before_tree, args.samples), indent=None if args.json else 2))


if __name__ == "__main__":
    main()
