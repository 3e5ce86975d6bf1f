"""The migration creates exactly the schema the models describe, on both databases; history is append-only."""
from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, delete, inspect, text, update
from sqlalchemy.exc import DBAPIError

from mediator_app.db import migrate, queries
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import UNMODELLED_INDEXES, Base, History
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.conftest import pg_base_url
from tests.feeds import opened


def modelled(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave out the trigram index, which the models cannot describe (tested on its own below)."""
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def test_migration_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": modelled})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    assert migrate.is_up_to_date(engine)
    engine.dispose()


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert {"users", "disputes", "history", "evidence", "rejected_lines"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_history_is_append_only(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    for statement in (update(History).values(summary="edited"), delete(History)):
        with pytest.raises(DBAPIError, match="append-only"):
            with ctx.engine.begin() as conn:
                conn.execute(statement)
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM history")).scalar() == 1


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_downgrade_and_upgrade_again_keep_data_and_guards(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    migrate.upgrade(ctx.engine, "0001")
    assert migrate.current_revision(ctx.engine) == "0001"
    migrate.upgrade(ctx.engine)
    with ctx.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True,
                                                                        "include_object": modelled}), Base.metadata)
        assert diff == []
        assert conn.execute(text("SELECT count(*) FROM history")).scalar() == 1
    # a dispute written before revision 0003: its queue key, its line (decoded from the state) and its filter ids
    from datetime import datetime, timedelta

    from mediator_app.services import reading, workbench
    from mediator_app.services.workbench import QueueQuery

    due = reading.show(ctx, "D-1")["deadlines"][0]["due"]
    assert workbench.queue_ids(ctx, QueueQuery(user="alice", text="d-1")) == ["D-1"]
    assert workbench.queue_ids(ctx, QueueQuery(user="alice", view="due24h")) == []
    ctx.clock.set(datetime.fromisoformat(due) - timedelta(hours=1))  # type: ignore[attr-defined]
    assert workbench.queue_ids(ctx, QueueQuery(user="alice", view="due24h")) == ["D-1"]  # the key carried over
    row = workbench.queue_rows(ctx, ["D-1"])["D-1"]
    assert row.due is not None and row.due.strftime("%Y-%m-%dT%H:%M:%SZ") == due
    with pytest.raises(DBAPIError, match="append-only"):
        with ctx.engine.begin() as conn:
            conn.execute(delete(History))


def test_history_records_who_where_and_the_database_clock(ctx: Context) -> None:
    from datetime import datetime, timedelta, timezone

    from mediator_app.services.casework import note

    ingest_events(ctx, [opened("D-1")])
    note(ctx, "D-1", "alice", "audit me")
    with ctx.engine.connect() as conn:
        row = conn.execute(text("SELECT actor, workstation, version_before, version, recorded_at, at "
                                "FROM history WHERE kind = 'note.added'")).one()
    assert (row.actor, row.workstation, row.version_before, row.version) == ("alice", "test", 1, 2)
    recorded = row.recorded_at if isinstance(row.recorded_at, datetime) else datetime.fromisoformat(row.recorded_at)
    recorded = recorded.replace(tzinfo=timezone.utc) if recorded.tzinfo is None else recorded
    # the test's clock is simulated (2026-11-01); the audit time is the database server's real clock
    assert abs(recorded - datetime.now(timezone.utc)) < timedelta(minutes=5)


def test_the_queue_filter_uses_the_trigram_index_on_postgresql(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the trigram index is PostgreSQL's; SQLite's filter scans the open-queue index")
    from datetime import datetime, timezone

    from sqlalchemy import event

    from mediator_app.db import queries

    engine = make_engine(db_url)
    sent: list[tuple[str, object]] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, parameters, context, many: sent.append((statement, parameters)))
    from bench import dataset

    dataset.build(engine, 3000, 0, quiet=True)  # enough open disputes that the planner weighs its indexes
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_dispute_search_trigram'").first()
        queries.queue_ids(conn, "all", "alice", datetime(2026, 11, 20, tzinfo=timezone.utc), text="B-00012")
        statement, parameters = sent[-1]
        conn.exec_driver_sql("SET enable_seqscan = off")  # a few thousand rows: a scan would still be cheaper
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))  # type: ignore[arg-type]
    engine.dispose()
    assert "ix_dispute_search_trigram" in plan and "b-00012" in plan


def test_the_trigram_index_is_made_where_pg_trgm_lives_in_another_schema(db_url: str) -> None:
    """A DBA installed pg_trgm into a schema of its own, off this database's search path: the migration still
    finds its operator class there."""
    if not db_url.startswith("postgresql"):
        pytest.skip("pg_trgm is PostgreSQL's")
    base = pg_base_url()
    assert base is not None
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS mediator_test_extensions")
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        was = conn.exec_driver_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                   "WHERE extname = 'pg_trgm'").scalar_one()
        conn.exec_driver_sql("ALTER EXTENSION pg_trgm SET SCHEMA mediator_test_extensions")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        engine = make_engine(url)
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert queries.has_trigram_index(conn)
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            home = was if was not in ("mediator_test_extensions", schema) else "public"
            conn.exec_driver_sql(f"ALTER EXTENSION pg_trgm SET SCHEMA {home}")
            conn.exec_driver_sql("DROP SCHEMA mediator_test_extensions")
        admin.dispose()
