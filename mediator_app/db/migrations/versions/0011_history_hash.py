"""The history's hash chain (§7.3): `history.hash`, computed for every existing row.

Existing rows are hashed as they are (decision 140): their payloads carry no replay record, so `audit verify`
checks their hashes and versions, and replays a dispute only when its history starts with a replay record.
The rows are hashed dispute by dispute in batches (a log line per batch: `mediator_app.db.migrations` at
INFO, which `migrate.upgrade` prints to stderr); history's triggers (append-only, announcements) are set aside
for the backfill only, inside this migration's transaction.

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-02
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from mediator_app.domain.audit_chain import GENESIS, ChainRow, row_hash
from mediator_app.db import migrate
from mediator_app.db.types import UTCDateTime

revision = "0011"
down_revision = "0012"
branch_labels = None
depends_on = None

#: disputes per batch: their rows are read, hashed and written together
BATCH = 5_000
log = logging.getLogger("mediator_app.db.migrations")


def upgrade() -> None:
    op.add_column("history", sa.Column("hash", sa.String(64), nullable=True))
    conn = op.get_bind()
    restore = migrate.triggers_aside(conn, "history")
    try:
        backfill(conn)
    finally:
        restore()


def downgrade() -> None:
    # SQLite drops the column in place (3.35+): a batch would rebuild the table without its triggers
    op.execute("ALTER TABLE history DROP COLUMN hash")



def backfill(conn: sa.Connection) -> None:
    """Hash every row without a hash, dispute by dispute in version order."""
    history = sa.table("history", sa.column("id"), sa.column("dispute_id"), sa.column("version"),
                       sa.column("at", UTCDateTime()), sa.column("kind"), sa.column("actor"), sa.column("party"),
                       sa.column("summary"), sa.column("payload"), sa.column("hash"))
    total = conn.execute(sa.select(sa.func.count()).select_from(history)).scalar_one()
    done = 0
    after = ""
    while True:
        ids: list[str] = list(conn.execute(sa.select(history.c.dispute_id).distinct().where(history.c.dispute_id > after)
                                .order_by(history.c.dispute_id).limit(BATCH)).scalars())
        if not ids:
            break
        after = ids[-1]
        rows = conn.execute(
            sa.select(history.c.id, history.c.dispute_id, history.c.version, history.c.at, history.c.kind,
                      history.c.actor, history.c.party, history.c.summary, history.c.payload)
            .where(history.c.dispute_id >= ids[0], history.c.dispute_id <= after)
            .order_by(history.c.dispute_id, history.c.version)).all()
        updates = []
        previous, dispute = GENESIS, None
        for r in rows:
            if r.dispute_id != dispute:
                previous, dispute = GENESIS, r.dispute_id
            previous = row_hash(previous, ChainRow(r.dispute_id, r.version, r.at, r.kind, r.actor, r.party,
                                                   r.summary, r.payload))
            updates.append({"row_id": r.id, "row_hash": previous})
        if updates:
            conn.execute(sa.update(history).where(history.c.id == sa.bindparam("row_id"))
                         .values(hash=sa.bindparam("row_hash")), updates)
        done += len(rows)
        log.info("0011: hashed %d of %d history rows (disputes up to %s)", done, total, after)
