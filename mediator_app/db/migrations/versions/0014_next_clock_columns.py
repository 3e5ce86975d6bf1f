"""The next clock's fields as columns: the queue spreadsheet reads no JSON per row (issue 11, decision 250).

`disputes.next_clock`, `next_party` and `next_on_expiry` hold the earliest running clock (`deadlines(state)[0]`,
whose due time is `queue_due`), null when none runs. They are filled here in batches of the disputes that have
a running clock (`queue_due` before 9999-12-31): from the stored queue line in SQL where it holds `on_expiry`
(written from revision 0008 on, by the same `deadlines` as the write path), from the decoded state where it
does not (older lines, or none). `ix_disputes_open_sheet` is made again with these columns in place of the
stored line, so the whole open queue is still read from that index alone, from narrower entries.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from mediator_app.db import migrate
from mediator_app.db.migrate import REWRITTEN
from mediator_app.db.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")
#: `db.schema.OPEN_SHEET_COLUMNS` before and after this revision (a migration never imports what may change later)
BEFORE = ["queue_due", "opened_at", "dispute_id", "order_id", "kind", "reason", "policy", "stage", "version",
          "order_total_minor", "currency", "sla_stopped_breach", "platform_due", "deciding_due", "assigned_to",
          "claim_expires_at", "queue_row", "status"]
AFTER = [*BEFORE[:16], "next_clock", "next_party", "next_on_expiry", "status"]
NO_CLOCK = datetime(9999, 12, 31, tzinfo=timezone.utc)
#: disputes per batch
BATCH = 5_000
#: the stored line's field of each column (the line is compact JSON, written by `domain.queue_line.encode`)
LINE_KEYS = {"next_clock": "clock", "next_party": "clock_party", "next_on_expiry": "on_expiry"}
HAS_ON_EXPIRY = "queue_row LIKE '%\"on_expiry\"%'"
log = logging.getLogger("mediator_app.db.migrations")


def upgrade() -> None:
    conn = op.get_bind()
    op.drop_index("ix_disputes_open_sheet", table_name="disputes")
    op.add_column("disputes", sa.Column("next_clock", sa.String(32), nullable=True))
    op.add_column("disputes", sa.Column("next_party", sa.String(16), nullable=True))
    op.add_column("disputes", sa.Column("next_on_expiry", sa.Text(), nullable=True))
    restore = migrate.triggers_aside(conn, "disputes")
    filled = backfill(conn)  # a failure rolls the whole revision back, the triggers' DISABLE/DROP with it
    restore()
    op.create_index("ix_disputes_open_sheet", "disputes", AFTER, sqlite_where=OPEN, postgresql_where=OPEN)
    op.execute("ANALYZE disputes")
    if filled:  # PostgreSQL: vacuumed after the commit (`migrate.vacuum_rewritten`): index-only scans stay so
        context.config.attributes.setdefault(REWRITTEN, set()).add("disputes")


def downgrade() -> None:
    op.drop_index("ix_disputes_open_sheet", table_name="disputes")
    for column in ("next_on_expiry", "next_party", "next_clock"):
        op.execute(f"ALTER TABLE disputes DROP COLUMN {column}")  # SQLite 3.35+ drops in place
    op.create_index("ix_disputes_open_sheet", "disputes", BEFORE, sqlite_where=OPEN, postgresql_where=OPEN)



def _from_line(dialect: str, key: str) -> str:
    if dialect == "postgresql":
        return f"(queue_row::json ->> '{key}')"
    return f"json_extract(queue_row, '$.{key}')"


def backfill(conn: sa.Connection) -> int:
    """Every dispute with a running clock, BATCH at a time in id order; returns how many were filled."""
    disputes = sa.table("disputes", sa.column("dispute_id"), sa.column("queue_due", UTCDateTime()),
                        sa.column("state"), *(sa.column(c) for c in LINE_KEYS))
    running = disputes.c.queue_due < sa.literal(NO_CLOCK, UTCDateTime())
    ids: list[str] = list(conn.execute(sa.select(disputes.c.dispute_id).where(running)
                                       .order_by(disputes.c.dispute_id)).scalars())
    dialect = conn.dialect.name
    from_line = sa.text(
        f"UPDATE disputes SET {', '.join(f'{c} = {_from_line(dialect, k)}' for c, k in LINE_KEYS.items())} "
        f"WHERE dispute_id IN :ids AND {HAS_ON_EXPIRY}").bindparams(sa.bindparam("ids", expanding=True))
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        conn.execute(from_line, {"ids": part})
        old = conn.execute(sa.select(disputes.c.dispute_id, disputes.c.state)
                           .where(disputes.c.dispute_id.in_(part), disputes.c.next_clock.is_(None))).all()
        if old:
            conn.execute(sa.update(disputes).where(disputes.c.dispute_id == sa.bindparam("b_id"))
                         .values(**{c: sa.bindparam(f"b_{c}") for c in LINE_KEYS}),
                         [{"b_id": dispute_id, **{f"b_{c}": v for c, v in _from_state(str(state)).items()}}
                          for dispute_id, state in old])
        log.info("0014: next clock of %d of %d disputes with a running clock", start + len(part), len(ids))
    return len(ids)


def _from_state(raw: str) -> dict[str, Any]:
    """A state's next clock as the write path derives it (the rules' own code, as revision 0011 hashes)."""
    from mediator_app.db.store import decode_state, next_clock_columns
    from mediator_app.domain.view import deadlines

    return next_clock_columns(deadlines(decode_state(raw)))
