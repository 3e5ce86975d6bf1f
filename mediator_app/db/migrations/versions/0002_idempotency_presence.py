"""Idempotency keys and the version before each change on history rows; presence of users on cases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mediator_app.db.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN and a unique index: a batch rebuild on SQLite would drop the append-only triggers.
    op.add_column("history", sa.Column("idempotency_key", sa.String(64), nullable=True))
    op.add_column("history", sa.Column("version_before", sa.Integer(), nullable=True))
    op.create_index("uq_history_idempotency_key", "history", ["idempotency_key"], unique=True)
    op.create_table(
        "presence",
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("workstation", sa.String(128), nullable=False),
        sa.Column("dispute_id", sa.String(64), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "workstation", name="pk_presence"),
    )
    op.create_index("ix_presence_dispute_id", "presence", ["dispute_id"])


def downgrade() -> None:
    op.drop_index("ix_presence_dispute_id", table_name="presence")
    op.drop_table("presence")
    op.drop_index("uq_history_idempotency_key", table_name="history")
    op.drop_column("history", "idempotency_key")
    op.drop_column("history", "version_before")
