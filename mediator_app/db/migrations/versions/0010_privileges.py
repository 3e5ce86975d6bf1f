"""What the database itself refuses (§7.2): on PostgreSQL the triggers that judge a user's login's writes
(`db/privileges.py`), TRUNCATE refused on history, evidence and rejected lines, and nothing granted to PUBLIC.
The groups of each role and their grants are made by `mediator user add` (`privileges.ensure_group`).

SQLite is one workstation (whoever opens the file acts): evidence and rejected lines become as append-only as
history there too (an UPDATE or DELETE of them is refused); the rest has no meaning without logins.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

from mediator_app.db import privileges

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {
    "evidence_no_update": "BEFORE UPDATE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence is never changed'); END",
    "evidence_no_delete": "BEFORE DELETE ON evidence BEGIN SELECT RAISE(ABORT, 'evidence is never deleted'); END",
    "rejected_lines_no_change": "BEFORE UPDATE OF received_at, source, line, event_id, dispute_id, raw, "
                                "line_sha256, line_size ON rejected_lines "
                                "BEGIN SELECT RAISE(ABORT, 'a rejected line is kept as received'); END",
    "rejected_lines_no_delete": "BEFORE DELETE ON rejected_lines "
                                "BEGIN SELECT RAISE(ABORT, 'a rejected line is kept as received'); END",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _, schema = privileges.where(bind)
        for statement in privileges.install_sql(schema):
            op.execute(statement)
        privileges.regrant(bind)
        return
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _, schema = privileges.where(bind)
        for statement in privileges.uninstall_sql(schema):
            op.execute(statement)
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
