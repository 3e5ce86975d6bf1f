"""The database's guards made stricter (decisions 210, 211), on databases made before them.

PostgreSQL only: the history check now refuses an action row whose recorded role is not the writing login's,
and the outbound feed's check refuses an event without a change of its own in the same transaction (and a
user's switch of the commit order). Revision 0010 installs the guards as `db.privileges` writes them today, so a
database made after this change already has them; one made before gets them here: the guards' triggers and
functions are dropped and made again, and every group's grants given again. SQLite has no logins: nothing.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

from mediator_app.db import privileges

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    privileges.reinstall(bind)


def downgrade() -> None:
    """The stricter guards stay (the older ones refused less; no earlier revision needs a weaker check)."""
