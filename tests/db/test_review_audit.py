"""Review of §7.3 against `audit verify`: a dispute's row deleted (its history left) is found wherever its id
falls, also after the last dispute or between two batches (the batches used to cover only the ids listed)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from mediator_app.services import audit_verify
from mediator_app.services.context import Context
from tests.db.test_audit_verify import casework_day, found, verified


def delete_dispute_row(ctx: Context, dispute_id: str) -> None:
    """As a superuser could: past the triggers and the foreign keys (PostgreSQL's replica role; SQLite's
    foreign keys switched off for the connection)."""
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for table in ("dispute_search", "disputes"):
                conn.execute(text(f"DELETE FROM {table} WHERE dispute_id = :d"), {"d": dispute_id})
        return
    raw = ctx.engine.raw_connection()  # the pragma takes effect only outside a transaction
    try:
        cursor = raw.cursor()
        cursor.execute("COMMIT") if raw.driver_connection.in_transaction else None  # type: ignore[union-attr]
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in ("dispute_search", "disputes"):
            cursor.execute(f"DELETE FROM {table} WHERE dispute_id = ?", (dispute_id,))
        raw.commit()
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


def test_the_last_disputes_row_deleted_is_found(ctx: Context) -> None:
    casework_day(ctx)
    delete_dispute_row(ctx, "D-4")  # the greatest id: after every listed id
    problems = found(verified(ctx))
    assert [(d, p) for d, _, p in problems] == [("D-4", "the dispute's row is missing")]


def test_a_row_deleted_between_two_batches_is_found(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    casework_day(ctx)
    monkeypatch.setattr(audit_verify, "BATCH", 1)  # one dispute a batch: D-2 falls between D-1's and D-3's
    delete_dispute_row(ctx, "D-2")
    problems = found(verified(ctx))
    assert [(d, p) for d, _, p in problems] == [("D-2", "the dispute's row is missing")]
    assert verified(ctx).disputes == 4
