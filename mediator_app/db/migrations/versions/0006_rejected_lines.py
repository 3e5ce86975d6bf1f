"""Hardening (issue 13): one rejected-line row per distinct line, idempotency keys bound to their action, live
update payloads as JSON arrays.

- `rejected_lines` gains the sha256 and size of the whole line as received, how many times it was rejected and
  when last; a unique key on the hash keeps one row per distinct line (a re-ingest counts, it stores no copy).
  Existing rows are carried forward: hashed from their stored text, duplicates folded into the oldest row with
  their count and latest time.
- `history.idempotency_action` names the action (and its arguments) an idempotency key was used for, so the
  same key for anything else is a rejection; rows written before it have none and replay as before.
- PostgreSQL: the announce trigger sends the changed ids as a JSON array (`["D-1","a,b"]`), so an id holding
  a comma still gets live updates; `*` still means "refresh everything".

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-02
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from mediator_app.db.types import UTCDateTime

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None

JSON_FUNCTION = """
CREATE OR REPLACE FUNCTION mediator_announce() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
    written bigint;
BEGIN
    SELECT json_agg(dispute_id)::text, count(*) INTO ids, written FROM (SELECT dispute_id FROM changed LIMIT 1001) s;
    IF written = 0 THEN
        RETURN NULL;
    END IF;
    IF written > 1000 OR octet_length(ids) > 7000 THEN  -- payloads stop at 8,000 bytes
        ids := '*';
    END IF;
    PERFORM pg_notify('mediator_changes', ids);
    RETURN NULL;
END
$$
"""
COMMA_FUNCTION = JSON_FUNCTION.replace("json_agg(dispute_id)::text", "string_agg(dispute_id, ',')")


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("history", sa.Column("idempotency_action", sa.String(200), nullable=True))
    op.add_column("rejected_lines", sa.Column("line_sha256", sa.String(64), nullable=True))
    op.add_column("rejected_lines", sa.Column("line_size", sa.BigInteger(), nullable=True))
    op.add_column("rejected_lines", sa.Column("times", sa.Integer(), nullable=True))
    op.add_column("rejected_lines", sa.Column("last_received_at", UTCDateTime(), nullable=True))
    _carry_rejected_lines_forward(bind)
    with op.batch_alter_table("rejected_lines") as batch:  # no triggers on this table: a rebuild is harmless
        for name, type_ in (("line_sha256", sa.String(64)), ("line_size", sa.BigInteger()),
                            ("times", sa.Integer()), ("last_received_at", UTCDateTime())):
            batch.alter_column(name, existing_type=type_, nullable=False)
    op.create_index("uq_rejected_lines_line_sha256", "rejected_lines", ["line_sha256"], unique=True)
    if bind.dialect.name == "postgresql":
        op.execute(JSON_FUNCTION)


def _carry_rejected_lines_forward(bind: sa.Connection) -> None:
    """Hash every stored line (one at a time: a line may be megabytes) and fold repeats into the oldest row."""
    table = sa.table("rejected_lines", sa.column("id"), sa.column("raw"), sa.column("received_at"),
                     sa.column("line_sha256"), sa.column("line_size"), sa.column("times"),
                     sa.column("last_received_at"))
    first: dict[str, int] = {}
    for row_id, received_at in bind.execute(sa.select(table.c.id, table.c.received_at).order_by(table.c.id)).all():
        raw = bind.execute(sa.select(table.c.raw).where(table.c.id == row_id)).scalar_one()
        data = raw.encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(data).hexdigest()
        if digest in first:
            keep = first[digest]
            bind.execute(table.update().where(table.c.id == keep)
                         .values(times=table.c.times + 1, last_received_at=received_at))
            bind.execute(table.delete().where(table.c.id == row_id))
        else:
            first[digest] = row_id
            bind.execute(table.update().where(table.c.id == row_id)
                         .values(line_sha256=digest, line_size=len(data), times=1, last_received_at=received_at))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(COMMA_FUNCTION)
    op.drop_index("uq_rejected_lines_line_sha256", table_name="rejected_lines")
    with op.batch_alter_table("rejected_lines") as batch:
        for name in ("last_received_at", "times", "line_size", "line_sha256"):
            batch.drop_column(name)
    op.drop_column("history", "idempotency_action")
