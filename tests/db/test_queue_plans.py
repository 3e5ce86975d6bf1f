"""The queue's head is read from a covering open-queue index on both databases (decision 191).

Since migrations 0008 and 0012 added more partial indexes over the open disputes, `status = 'open'` alone let
SQLite scan the narrowest of them (`ix_disputes_open_platform_due`) and fetch every row from the table for a
sort column it lacks. The plans are taken of the very statement `queues.queue_ids` sends (recorded from the
cursor), over the benchmark's data set with the planners' statistics.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench import dataset
from mediator_app.db import queries
from mediator_app.db.engine import make_engine

NOW = datetime(2026, 12, 2, tzinfo=timezone.utc)
COVERING = ("ix_disputes_open_queue", "ix_disputes_open_sheet")
#: (sort, descending): the default order and its reverse walk an index in order; a re-sort by another column
#: still sorts (a top-N sort of the index's entries: no index has that column first) but never reads the table
IN_INDEX_ORDER = [("due", False), ("due", True)]
RESORTS = [("amount", True), ("amount", False), ("total", True), ("stage", False), ("clock", False),
           ("assigned", False), ("dispute", True)]


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    dataset.build(engine, 3000, 1000, seed=5, quiet=True, jobs=1)  # ANALYZE (and VACUUM on PostgreSQL) too
    yield engine
    engine.dispose()


def _statement(engine: Engine, view: str, sort: str, descending: bool) -> tuple[str, Any]:
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    with engine.connect() as conn:
        queries.queue_ids(conn, view, "alice", NOW, sort=sort, descending=descending, limit=200)  # warm: trigram
        event.listen(engine, "before_cursor_execute", record)
        try:
            queries.queue_ids(conn, view, "alice", NOW, sort=sort, descending=descending, limit=200)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    [(statement, parameters)] = sent
    return statement, parameters


def _plan(engine: Engine, view: str, sort: str, descending: bool) -> list[str]:
    statement, parameters = _statement(engine, view, sort, descending)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]


@pytest.mark.parametrize("view", ["all", "unassigned", "sla"])
def test_default_order_walks_a_covering_index_without_sorting(engine: Engine, view: str) -> None:
    for sort, descending in IN_INDEX_ORDER:
        plan = _plan(engine, view, sort, descending)
        text = "\n".join(plan)
        if engine.dialect.name == "sqlite":
            assert any(f"USING COVERING INDEX {name}" in text for name in COVERING), plan
            assert "TEMP B-TREE" not in text, plan
        else:
            assert "Index Only Scan" in text and "ix_disputes_open_queue" in text, plan
            assert "Sort" not in text, plan


@pytest.mark.parametrize("view", ["all", "unassigned"])
def test_resort_reads_a_covering_index_not_the_table(engine: Engine, view: str) -> None:
    for sort, descending in RESORTS:
        plan = _plan(engine, view, sort, descending)
        text = "\n".join(plan)
        if engine.dialect.name == "sqlite":
            # a covering index: every column the sort and the view read is in it, no table row is fetched
            assert any(f"USING COVERING INDEX {name}" in text for name in COVERING), (sort, plan)
            assert "ix_disputes_open_platform_due" not in text, (sort, plan)
        else:  # PostgreSQL's choice for a top-N sort depends on the table's size (at 3,000 rows a heap scan
            # is its cheapest; at 20,000 an index-only scan of ix_disputes_open_queue): only what never changes
            assert "Limit" in text and "ix_disputes_open_platform_due" not in text, (sort, plan)
