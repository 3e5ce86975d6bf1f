"""Initial schema: users, disputes, append-only history, evidence, rejected feed lines.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mediator_app.db.schema import BigId
from mediator_app.db.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = """
CREATE TRIGGER history_no_{op} BEFORE {OP} ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END
"""
APPEND_ONLY_PG_FUNCTION = """
CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'history is append-only'; END $$
"""
APPEND_ONLY_PG_TRIGGER = """
CREATE TRIGGER history_no_update_delete BEFORE UPDATE OR DELETE ON history
FOR EACH ROW EXECUTE FUNCTION history_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
    )
    op.create_table(
        "disputes",
        sa.Column("dispute_id", sa.String(64), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("buyer_id", sa.String(64), nullable=False),
        sa.Column("seller_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("policy", sa.String(32), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("order_total_minor", sa.BigInteger(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("party_clock", sa.String(32), nullable=True),
        sa.Column("party_due", UTCDateTime(), nullable=True),
        sa.Column("next_due", UTCDateTime(), nullable=True),
        sa.Column("platform_due", UTCDateTime(), nullable=True),
        sa.Column("deciding_due", UTCDateTime(), nullable=True),
        sa.Column("sla_stopped_breach", sa.Boolean(), nullable=False),
        sa.Column("asked_minor", sa.BigInteger(), nullable=True),
        sa.Column("assigned_to", sa.String(64), nullable=True),
        sa.Column("claim_expires_at", UTCDateTime(), nullable=True),
        sa.Column("last_feed_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dispute_id", name="pk_disputes"),
    )
    op.create_index("ix_disputes_queue", "disputes", ["status", "next_due", "opened_at", "dispute_id"])
    op.create_index("ix_disputes_party_due", "disputes", ["party_due"])
    op.create_index("ix_disputes_order_id", "disputes", ["order_id"])
    op.create_index("uq_disputes_open_order", "disputes", ["order_id"], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "history",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("dispute_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("party", sa.String(16), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("workstation", sa.String(128), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=True),
        sa.Column("exec_key", sa.String(128), nullable=True),
        sa.ForeignKeyConstraint(["dispute_id"], ["disputes.dispute_id"], name="fk_history_dispute_id_disputes"),
        sa.PrimaryKeyConstraint("id", name="pk_history"),
        sa.UniqueConstraint("event_id", name="uq_history_event_id"),
        sa.UniqueConstraint("dispute_id", "version", name="uq_history_dispute_version"),
        sa.UniqueConstraint("dispute_id", "exec_key", name="uq_history_dispute_exec_key"),
    )
    op.create_table(
        "evidence",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("dispute_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["dispute_id"], ["disputes.dispute_id"], name="fk_evidence_dispute_id_disputes"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence"),
    )
    op.create_index("ix_evidence_dispute_id", "evidence", ["dispute_id"])
    op.create_table(
        "rejected_lines",
        sa.Column("id", BigId, nullable=False, autoincrement=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=True),
        sa.Column("dispute_id", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejected_lines"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_PG_FUNCTION)
        op.execute(APPEND_ONLY_PG_TRIGGER)
    else:
        for name in ("update", "delete"):
            op.execute(APPEND_ONLY_SQLITE.format(op=name, OP=name.upper()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_no_update_delete ON history")
        op.execute("DROP FUNCTION IF EXISTS history_append_only()")
    for table in ("rejected_lines", "evidence", "history", "disputes", "users"):
        op.drop_table(table)
