"""The database's guards made cheaper to run, refusing exactly what they refused (decisions 230, 231).

PostgreSQL only: `mediator_is_admin()` becomes PL/pgSQL (a SQL function with SET was planned again in every
statement that called it: three to four times a clerk's decision), and the history check judges the added rows
in one query instead of seven. Revision 0010 installs the guards as `db.privileges` writes them today, so a
database made after this change already has them; one made before gets them here: the guards' triggers and
functions are dropped and made again, and every group's grants given again, as revision 0013 does. SQLite has
no logins: nothing.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""
from __future__ import annotations

from alembic import op

from mediator_app.db import privileges

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    privileges.reinstall(bind)


def downgrade() -> None:
    """The guards stay as they are (the older functions refused the same, only slower)."""
