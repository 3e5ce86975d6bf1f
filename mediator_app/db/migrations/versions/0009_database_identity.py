"""A permanent random id for every database (§6: a bundle names the database it came from), and the table that
keeps the drafts brought back from offline bundles that conflicted.

An existing database gets its id when it is upgraded; the id never changes afterwards (a database copied with
its files keeps it: a copy is the same database for a bundle's purpose).

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from mediator_app.db.types import UTCDateTime

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    identity = op.create_table(
        "database_identity",
        sa.Column("database_id", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("database_id", name="pk_database_identity"),
    )
    op.bulk_insert(identity, [{"database_id": str(uuid.uuid4()), "created_at": datetime.now(timezone.utc)}])
    op.create_table(
        "sync_conflicts",
        sa.Column("draft_id", sa.String(64), nullable=False),
        sa.Column("dispute_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("drafted_by", sa.String(64), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("based_on_version", sa.Integer(), nullable=False),
        sa.Column("live_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("drafted_at", UTCDateTime(), nullable=False),
        sa.Column("synced_at", UTCDateTime(), nullable=False),
        sa.Column("synced_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", name="pk_sync_conflicts"),
    )
    op.create_index("ix_sync_conflicts_dispute_id", "sync_conflicts", ["dispute_id"])
    op.create_index("ix_sync_conflicts_drafted_by", "sync_conflicts", ["drafted_by"])


def downgrade() -> None:
    op.drop_index("ix_sync_conflicts_drafted_by", table_name="sync_conflicts")
    op.drop_index("ix_sync_conflicts_dispute_id", table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
    op.drop_table("database_identity")
