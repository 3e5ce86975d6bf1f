"""Replay baselines for the disputes whose history starts before the replay records (decision 269).

A dispute written before revision 0011 has no replay record at its first rows, so `audit verify` could not
replay it, nor therefore any row written to it later: a user's consistent pair (their own history row and a
dispute row whose state says something else) went unseen on every such dispute. Here each one is marked
(`disputes.legacy`, from its first history row, in batches with progress) and a trigger keeps, at its next
change, the row as it was then (`replay_baselines`: version and state) before clearing the mark; `audit verify`
replays the rows after that version from there. The trigger is the database's (SECURITY DEFINER on PostgreSQL),
and no user may write the table, so what a clerk changes cannot choose its own baseline.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import context, op

from mediator_app.db import migrate, privileges
from mediator_app.db.migrate import REWRITTEN
from mediator_app.db.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: disputes per batch
BATCH = 20_000
#: first history rows that may hold a replay record: they spell the key, or escape a character (which may spell
#: it); the others hold none (as `domain.replay.replay_record` judges, which judges these)
MAYBE_RECORD = "(h.payload LIKE '%\"replay\"%' OR h.payload LIKE '%\\%' ESCAPE '|')"
log = logging.getLogger("mediator_app.db.migrations")


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("disputes", sa.Column("legacy", sa.Boolean(), nullable=True))
    op.create_table("replay_baselines",
                    sa.Column("dispute_id", sa.String(64), primary_key=True),
                    sa.Column("version", sa.Integer(), nullable=False),
                    sa.Column("state", sa.Text(), nullable=False),
                    sa.Column("taken_at", UTCDateTime(), nullable=False))
    restore = migrate.triggers_aside(conn, "disputes")
    marked = mark(conn)
    restore()
    for statement in trigger_sql(conn):
        conn.exec_driver_sql(statement)
    if conn.dialect.name == "postgresql":
        privileges.reinstall(conn)  # the groups' grants again: every role reads the new table, none writes it
    if marked:
        context.config.attributes.setdefault(REWRITTEN, set()).add("disputes")


def mark(conn: sa.Connection) -> int:
    """Mark every dispute whose first history row has no replay record (the rule `audit verify` applies,
    `domain.replay.replay_record`), BATCH disputes at a time in id order."""
    from mediator_app.domain.replay import replay_record  # the rules' own test (a migration calls, never copies)

    ids: list[str] = list(conn.execute(sa.text(f"SELECT h.dispute_id FROM history h WHERE h.version = 1 "
                                               f"AND NOT {MAYBE_RECORD}")).scalars())
    for dispute_id, payload in conn.execute(sa.text(f"SELECT h.dispute_id, h.payload FROM history h "
                                                    f"WHERE h.version = 1 AND {MAYBE_RECORD}")):
        try:
            if replay_record(str(payload)) is None:
                ids.append(str(dispute_id))
        except ValueError:  # no JSON at all: no record either
            ids.append(str(dispute_id))
    ids.sort()
    update = sa.text("UPDATE disputes SET legacy = true WHERE dispute_id IN :ids") \
        .bindparams(sa.bindparam("ids", expanding=True))
    for start in range(0, len(ids), BATCH):
        part = ids[start:start + BATCH]
        conn.execute(update, {"ids": part})
        log.info("0017: marked %d of %d disputes written before the replay records", start + len(part), len(ids))
    return len(ids)


def trigger_sql(conn: sa.Connection) -> list[str]:
    if conn.dialect.name == "postgresql":
        s = _schema(conn)
        return [
            f"""CREATE FUNCTION {s}.mediator_take_baseline() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = pg_catalog, pg_temp AS $$
                BEGIN
                    INSERT INTO {s}.replay_baselines (dispute_id, version, state, taken_at)
                        VALUES (OLD.dispute_id, OLD.version, OLD.state, now()) ON CONFLICT (dispute_id) DO NOTHING;
                    NEW.legacy := NULL;
                    RETURN NEW;
                END $$""",
            f"REVOKE ALL ON FUNCTION {s}.mediator_take_baseline() FROM PUBLIC",
            f"""CREATE TRIGGER mediator_take_baseline BEFORE UPDATE ON {s}.disputes FOR EACH ROW
                WHEN (OLD.legacy) EXECUTE FUNCTION {s}.mediator_take_baseline()""",
        ]
    # (SQLite: the UPDATE inside does not fire the trigger again: recursive_triggers is off, SQLite's default)
    return ["""CREATE TRIGGER mediator_take_baseline AFTER UPDATE ON disputes WHEN OLD.legacy
               BEGIN
                   INSERT OR IGNORE INTO replay_baselines (dispute_id, version, state, taken_at)
                       VALUES (OLD.dispute_id, OLD.version, OLD.state, strftime('%Y-%m-%d %H:%M:%f', 'now'));
                   UPDATE disputes SET legacy = NULL WHERE dispute_id = NEW.dispute_id;
               END"""]


def _schema(conn: sa.Connection) -> str:
    """The schema of this connection's tables, quoted (the trigger and its function live there)."""
    _, schema = privileges.where(conn)
    return '"' + schema.replace('"', '""') + '"'


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        s = _schema(conn)
        op.execute(f"DROP TRIGGER IF EXISTS mediator_take_baseline ON {s}.disputes")
        op.execute(f"DROP FUNCTION IF EXISTS {s}.mediator_take_baseline()")
    else:
        op.execute("DROP TRIGGER IF EXISTS mediator_take_baseline")
    op.drop_table("replay_baselines")
    op.execute("ALTER TABLE disputes DROP COLUMN legacy")
