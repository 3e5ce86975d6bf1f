"""Revision 0010 on a database that holds data: down to 0009 and up again; what it adds on each database."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from mediator_app.db import migrate
from mediator_app.services import casework, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events, ingest_lines
from tests.db import feeds

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40

TRIGGERS_PG = {"mediator_history_check", "mediator_dispute_needs_history", "mediator_history_no_truncate",
               "mediator_evidence_no_truncate", "mediator_rejected_lines_no_truncate", "mediator_outbox_check"}


def _triggers(ctx: Context) -> set[str]:
    with ctx.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            rows = conn.execute(text("SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                     "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                     "WHERE n.nspname = current_schema() AND tgname LIKE 'mediator_%'"))
        else:
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                     "AND (name LIKE 'evidence_%' OR name LIKE 'rejected_lines_%')"))
        return {r[0] for r in rows}


def test_0010_goes_down_and_up_on_a_database_with_data(ctx: Context) -> None:
    report = ingest_events(ctx, [feeds.opened("E-1"), feeds.evidence("E-ev", "buyer", feeds.t(minutes=5), PNG)])
    assert report.rejected == [] and report.applied == 2
    added = _triggers(ctx) - {"mediator_take_baseline"}  # (revision 0017's, not a guard: it goes down with 0017)
    assert added == (TRIGGERS_PG if ctx.engine.dialect.name == "postgresql" else
                     {"evidence_no_update", "evidence_no_delete", "rejected_lines_no_change",
                      "rejected_lines_no_delete"})
    migrate.upgrade(ctx.engine, "0009")  # down through the later revisions (0012, 0011) and 0010
    assert _triggers(ctx) == set()
    migrate.upgrade(ctx.engine, "0010")
    assert _triggers(ctx) == added
    migrate.upgrade(ctx.engine)
    assert migrate.current_revision(ctx.engine) == migrate.head_revision()
    assert reading.show(ctx, "D-1")["version"] >= 2
    casework.note(ctx, "D-1", "alice", "after the upgrade")  # the application's own writes go on


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_sqlite_evidence_and_rejected_lines_are_kept_as_received(ctx: Context) -> None:
    """(On PostgreSQL no user's login has a grant to change them: tests/db/test_logins.py.)"""
    report = ingest_events(ctx, [feeds.opened("E-1"), feeds.evidence("E-ev", "buyer", feeds.t(minutes=5), PNG)])
    assert report.applied == 2
    ingest_lines(ctx, [(1, b"not json")], "bad.jsonl")
    for statement in ("UPDATE evidence SET content = x'00'", "DELETE FROM evidence",
                      "UPDATE rejected_lines SET raw = 'edited'", "DELETE FROM rejected_lines"):
        with pytest.raises(DBAPIError, match="never|kept as received"), ctx.engine.begin() as conn:
            conn.execute(text(statement))
    again = ingest_lines(ctx, [(1, b"not json")], "bad.jsonl")  # a repeat still counts (times, reason)
    assert len(again.rejected) == 1
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT times FROM rejected_lines")).scalar_one() == 2
