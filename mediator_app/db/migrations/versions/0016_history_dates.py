"""Three more refusals of the history check (decision 268): a row a user's login writes must not be dated ahead
of the server's clock (a clerk's `--now` in the future ran clocks early), must come with its dispute's change to
that version in the same transaction (a lone row took a version and stalled every later writer of the dispute),
and a row without an actor must be one of the feed's events (a service login wrote `ruling.made` as the feed,
and a supervisor then approved a ruling of his own). PostgreSQL only: the guards are made again as
`db.privileges` writes them (as revisions 0013 and 0015 do). SQLite has no logins: nothing.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""
from __future__ import annotations

from alembic import op

from mediator_app.db import privileges

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    privileges.reinstall(bind)


def downgrade() -> None:
    """The guards stay as they are (the older check refused less)."""
