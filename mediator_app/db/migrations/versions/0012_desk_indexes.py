"""The queue spreadsheet read from one index: `ix_disputes_open_sheet` holds, for every open dispute in the
queue's urgency order, every column `queue --csv` and "Export to CSV…" read (issue 11's ≥ 50,000 rows/s).

Walking `ix_disputes_open_queue` in key order and fetching each row from the table cost one random table page
per dispute (the rows are ~2 KB: the state is stored with them); from this index the whole queue is an
index-only scan on PostgreSQL and a covering-index search on SQLite. All key columns (no INCLUDE): one model
for both databases.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")
#: the same list as `db.schema.OPEN_SHEET_COLUMNS` (a migration never imports what may change later)
COLUMNS = ["queue_due", "opened_at", "dispute_id", "order_id", "kind", "reason", "policy", "stage", "version",
           "order_total_minor", "currency", "sla_stopped_breach", "platform_due", "deciding_due", "assigned_to",
           "claim_expires_at", "queue_row", "status"]


def upgrade() -> None:
    op.create_index("ix_disputes_open_sheet", "disputes", COLUMNS, sqlite_where=OPEN, postgresql_where=OPEN)
    op.execute("ANALYZE disputes")


def downgrade() -> None:
    op.drop_index("ix_disputes_open_sheet", table_name="disputes")
