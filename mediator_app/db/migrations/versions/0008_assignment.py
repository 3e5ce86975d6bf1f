"""Standing assignments and the supervisor's desk (contract §5).

`disputes.assigned_by` names the supervisor of a standing assignment (the state JSON holds the rest; a state
written before this revision holds claims only, so a claim held at upgrade time stays a claim: nothing to
rewrite). A standing assignment is stored with `claim_expires_at` = 9999-12-31 while the dispute is open, so
every "held at now" query stays as it was. `resolved_at` and `reached_type` are the outcome's columns, filled
from the stored states here, so the dashboard counts resolutions per day from an index; `ix_disputes_opened_at`
does the same for openings. Three partial indexes over the open disputes let the dashboard count by stage, by
running SLA breach and by holder without reading every open row; three history indexes page the audit trail by
time, by actor and by kind.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mediator_app.db.types import UTCDateTime

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None

# the outcome's `resolved_at` (format_utc: `…SSZ` or `…SS.ffffffZ`) as each database stores a UTCDateTime
# (SQLite: naive text `YYYY-MM-DD HH:MM:SS.ffffff`, which compares as text, so the form must be exact)
RESOLVED_SQL = {
    "sqlite": ("(SELECT substr(r, 1, 10) || ' ' || substr(r, 12, 8) || "
               "CASE WHEN length(r) > 20 THEN substr(r, 20, 7) ELSE '.000000' END "
               "FROM (SELECT json_extract(state, '$.outcome.resolved_at') AS r))"),
    "postgresql": "((state::jsonb -> 'outcome' ->> 'resolved_at')::timestamptz)",
}
REACHED_SQL = {"sqlite": "json_extract(state, '$.outcome.reached_type')",
               "postgresql": "(state::jsonb -> 'outcome' ->> 'reached_type')"}
OPEN = sa.text("status = 'open'")
HELD = sa.text("status = 'open' AND assigned_to IS NOT NULL")
HAS_OUTCOME = {"sqlite": "json_type(state, '$.outcome') = 'object'",
               "postgresql": "jsonb_typeof(state::jsonb -> 'outcome') = 'object'"}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("disputes", sa.Column("assigned_by", sa.String(64), nullable=True))
    op.add_column("disputes", sa.Column("resolved_at", UTCDateTime(), nullable=True))
    op.add_column("disputes", sa.Column("reached_type", sa.String(40), nullable=True))
    op.execute(f"UPDATE disputes SET resolved_at = {RESOLVED_SQL[dialect]}, reached_type = {REACHED_SQL[dialect]} "
               f"WHERE {HAS_OUTCOME[dialect]}")
    op.create_index("ix_disputes_opened_at", "disputes", ["opened_at"])
    op.create_index("ix_disputes_resolved_at", "disputes", ["resolved_at", "reached_type", "sla_stopped_breach"])
    op.create_index("ix_disputes_open_stage", "disputes", ["stage", "sla_stopped_breach", "status"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_disputes_open_platform_due", "disputes", ["platform_due", "deciding_due", "sla_stopped_breach", "status"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_disputes_held", "disputes", ["assigned_to", "claim_expires_at", "queue_due", "status"],
                    sqlite_where=HELD, postgresql_where=HELD)
    op.create_index("ix_history_at", "history", ["at", "dispute_id", "version"])
    op.create_index("ix_history_actor_at", "history", ["actor", "at"])
    op.create_index("ix_history_kind_at", "history", ["kind", "at", "actor"])
    op.execute("ANALYZE disputes")
    op.execute("ANALYZE history")


def downgrade() -> None:
    for name in ("ix_history_kind_at", "ix_history_actor_at", "ix_history_at"):
        op.drop_index(name, table_name="history")
    for name in ("ix_disputes_held", "ix_disputes_open_platform_due", "ix_disputes_open_stage"):
        op.drop_index(name, table_name="disputes")
    op.drop_index("ix_disputes_resolved_at", table_name="disputes")
    op.drop_index("ix_disputes_opened_at", table_name="disputes")
    for column in ("reached_type", "resolved_at", "assigned_by"):
        op.drop_column("disputes", column)
