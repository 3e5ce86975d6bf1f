"""The queue from an index: a never-null urgency key, one covering index over the open disputes, stored lines.

`next_due` (null when no clock runs) made every queue query sort in a temporary B-tree: `ORDER BY next_due IS
NULL, next_due, …` cannot walk an index. `queue_due` holds the same instant, or `NO_CLOCK` (9999-12-31) when no
clock runs, so "no clock last" is plain ascending order. `ix_disputes_open_queue` is partial (open disputes only)
and carries every column the saved views, the sorts and the filter read, so queue queries never touch the
table rows (whose state JSON is large). `dispute_search` holds the ids the filter matches, written once per dispute,
with a trigram index on PostgreSQL. `queue_row` stores what a queue line shows (a small JSON), so a page of
the queue is not decoded from each dispute's whole state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mediator_app.db.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NO_CLOCK_SQL = {"sqlite": "'9999-12-31 00:00:00.000000'", "postgresql": "'9999-12-31 00:00:00+00'"}
OPEN = sa.text("status = 'open'")
# the four ids a clerk filters on, lower-cased, in one string (store.search_text at this revision)
SEARCH_SQL = {"sqlite": "lower(dispute_id || char(31) || order_id || char(31) || buyer_id || char(31) || seller_id)",
              "postgresql": "lower(dispute_id || chr(31) || order_id || chr(31) || buyer_id || chr(31) || seller_id)"}
# as in schema.OPEN_QUEUE_COLUMNS at this revision (a migration never reads the live models)
OPEN_QUEUE_COLUMNS = ("queue_due", "opened_at", "dispute_id", "stage", "reason", "party_clock", "asked_minor",
                      "assigned_to", "claim_expires_at", "platform_due", "deciding_due", "sla_stopped_breach",
                      "order_id", "buyer_id", "seller_id", "status")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # ADD COLUMN … NOT NULL needs a default on SQLite; every write sets the column, the default only fills old rows
    op.add_column("disputes", sa.Column("queue_due", UTCDateTime(), nullable=False,
                                        server_default=sa.text(NO_CLOCK_SQL[dialect])))
    op.execute("UPDATE disputes SET queue_due = next_due WHERE next_due IS NOT NULL")
    # filled by every write from now on; the queue decodes `state` for rows written before
    op.add_column("disputes", sa.Column("queue_row", sa.Text(), nullable=True))
    op.drop_index("ix_disputes_queue", table_name="disputes")
    op.drop_column("disputes", "next_due")
    op.create_index("ix_disputes_open_queue", "disputes", list(OPEN_QUEUE_COLUMNS),
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_table(
        "dispute_search",
        sa.Column("dispute_id", sa.String(64), sa.ForeignKey("disputes.dispute_id"), nullable=False),
        sa.Column("search", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dispute_id"),
    )
    op.execute(f"INSERT INTO dispute_search (dispute_id, search) SELECT dispute_id, {SEARCH_SQL[dialect]} FROM disputes")
    if dialect == "postgresql":
        _search_index()
        # a dispute row (state + queue line) passes 2 KB: by default every update would then compress it and
        # move it out of line (TOAST), a third of the ingest time; keep rows up to a page inline
        op.execute("ALTER TABLE disputes SET (toast_tuple_target = 8160)")
    op.execute("ANALYZE disputes")  # the planners must know the new index to prefer it


def _search_index() -> None:
    """PostgreSQL: a trigram index for the queue filter ("contains", ignoring case) when pg_trgm can be had;
    without it the filter scans. pg_trgm is a trusted extension: the database's owner may create it."""
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first() is None:
        return
    try:
        with bind.begin_nested():  # a failure here must not end the migration's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            # the extension lives where it was first created (often a schema not on this search path)
            where: str = bind.exec_driver_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                         "WHERE extname = 'pg_trgm'").scalar_one()
            bind.exec_driver_sql("CREATE INDEX ix_dispute_search_trigram ON dispute_search "
                                 f"USING gin (search {where}.gin_trgm_ops)")
    except sa.exc.DBAPIError:
        return  # not allowed: the filter scans instead


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_table("dispute_search")
    if dialect == "postgresql":
        op.execute("ALTER TABLE disputes RESET (toast_tuple_target)")
    op.drop_index("ix_disputes_open_queue", table_name="disputes")
    op.add_column("disputes", sa.Column("next_due", UTCDateTime(), nullable=True))
    op.execute(f"UPDATE disputes SET next_due = queue_due WHERE queue_due <> {NO_CLOCK_SQL[dialect]}")
    op.drop_column("disputes", "queue_due")
    op.drop_column("disputes", "queue_row")
    op.create_index("ix_disputes_queue", "disputes", ["status", "next_due", "opened_at", "dispute_id"])
