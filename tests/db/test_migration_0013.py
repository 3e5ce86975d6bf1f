"""Revision 0013: a PostgreSQL database made before decisions 210/211 gets the stricter guards on upgrade."""
from __future__ import annotations

from sqlalchemy import text

from mediator_app.db import migrate
from mediator_app.services import casework, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.db import feeds


def _guards(ctx: Context) -> tuple[set[str], str]:
    """The outbox's triggers, and the history check's source (empty when it is not there)."""
    with ctx.engine.connect() as conn:
        triggers = {r[0] for r in conn.execute(text(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = 'outbox'"))}
        source = conn.execute(text(
            "SELECT prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND proname = 'mediator_history_check'")).scalar_one_or_none()
    return triggers, source or ""


def _as_before_0013(ctx: Context) -> None:
    """What a database at 0011 made before the stricter guards lacks: the outbox's check, the role check."""
    with ctx.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER mediator_outbox_check ON outbox"))
        conn.execute(text("DROP FUNCTION mediator_outbox_check()"))
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION mediator_history_check() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RETURN NULL; END $$"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0011'"))


def test_0013_gives_an_older_database_the_stricter_guards(ctx: Context) -> None:
    report = ingest_events(ctx, [feeds.opened("E-1")])
    assert report.rejected == [] and report.applied == 1
    migrate.upgrade(ctx.engine, "0013")  # the schema as 0013 left it (0014 came after)
    if ctx.engine.dialect.name == "postgresql":
        triggers, source = _guards(ctx)
        assert "mediator_outbox_check" in triggers and "records the role" in source
        _as_before_0013(ctx)
        triggers, source = _guards(ctx)
        assert "mediator_outbox_check" not in triggers and "records the role" not in source
    else:
        migrate.upgrade(ctx.engine, "0011")
        assert migrate.current_revision(ctx.engine) == "0011"
    migrate.upgrade(ctx.engine, "0013")  # 0013 itself, not a later revision that installs the guards again
    assert migrate.current_revision(ctx.engine) == "0013"
    if ctx.engine.dialect.name == "postgresql":
        triggers, source = _guards(ctx)
        assert "mediator_outbox_check" in triggers and "records the role" in source
    migrate.upgrade(ctx.engine)
    assert migrate.current_revision(ctx.engine) == migrate.head_revision()
    casework.note(ctx, "D-1", "alice", "after the upgrade")  # the application's own writes go on
    assert reading.show(ctx, "D-1")["version"] >= 2
