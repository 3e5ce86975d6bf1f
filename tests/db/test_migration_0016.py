"""Revision 0016 (decision 268): a database made before it gets the history check's three new refusals (a row
dated ahead of the server's clock, a row without its dispute's change, a feed row of no feed kind); the
application's own writes go on. The refusals themselves, as users' logins meet them: tests/db/test_logins.py."""
from __future__ import annotations

from sqlalchemy import text

from mediator_app.db import migrate
from mediator_app.services import casework, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.db import feeds
from tests.db.test_migration_0015 import OLD_HISTORY_CHECK, _guard_sources


def test_0016_gives_an_older_database_the_history_checks_new_refusals(ctx: Context) -> None:
    assert ingest_events(ctx, [feeds.opened("E-1")]).applied == 1
    casework.note(ctx, "D-1", "alice", "before the upgrade")
    migrate.upgrade(ctx.engine, "0015")
    if ctx.engine.dialect.name == "postgresql":  # the check as it was before (0015's downgrade keeps the new one)
        with ctx.engine.begin() as conn:
            conn.execute(text(OLD_HISTORY_CHECK))
        assert "ahead of the server" not in _guard_sources(ctx)[1]
    migrate.upgrade(ctx.engine, "0016")
    assert migrate.current_revision(ctx.engine) == "0016"
    if ctx.engine.dialect.name == "postgresql":
        check = _guard_sources(ctx)[1]
        assert "ahead of the server" in check and "without its dispute" in check and "is no feed event" in check
    casework.note(ctx, "D-1", "alice", "after the upgrade")
    assert [e["kind"] for e in reading.show(ctx, "D-1")["timeline"]][-2:] == ["note.added", "note.added"]
