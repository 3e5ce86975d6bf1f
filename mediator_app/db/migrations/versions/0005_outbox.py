"""The outbound feed (§8): `outbox` (events in commit order) and `outbox_consumers` (each reader's place).

A database made before the outbound feed existed gets the events of the disputes it already holds, each once,
as if written at the time (the `at` and `version` of its change, `domain.outbound.replayed_events` from the
stored state and history), numbered in order of `at` (then dispute, version, §8.1's order). Disputes are read
500 at a time; the events are staged in a scratch table and numbered in one statement at the end.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from __future__ import annotations

import json
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

from mediator_app.db import bulk
from mediator_app.db.schema import BigId
from mediator_app.db.types import UTCDateTime
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.outbound import REPLAYED_KINDS, TYPES, Recorded, replayed_events

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 500
#: PostgreSQL: `seq` follows commit order (db/outbox.py). Before any row of an INSERT or COPY into `outbox` is
#: formed — so before its `seq` is drawn from the sequence — the statement takes a transaction-level advisory
#: lock on the table (one per schema), held until the transaction ends. In a trigger, no writer can forget it.
#: `SET LOCAL mediator.outbox_naive = on` skips it: the skip test's naive scheme, nothing else.
LOCK_FUNCTION = """
CREATE FUNCTION mediator_outbox_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('mediator.outbox_naive', true), '') <> 'on' THEN
        PERFORM pg_advisory_xact_lock(20290, TG_RELID::int);
    END IF;
    RETURN NULL;
END
$$
"""
LOCK_TRIGGER = ("CREATE TRIGGER outbox_commit_order BEFORE INSERT ON outbox "
                "FOR EACH STATEMENT EXECUTE FUNCTION mediator_outbox_commit_order()")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", BigId, nullable=False, autoincrement=True),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("dispute_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_table(
        "outbox_consumers",
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("after", sa.BigInteger(), nullable=False),
        sa.Column("acked_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_outbox_consumers"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(LOCK_FUNCTION)
        op.execute(LOCK_TRIGGER)
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    staged = sa.Table(
        "outbox_backfill", sa.MetaData(),
        sa.Column("event_id", sa.String(200)), sa.Column("type", sa.String(40)), sa.Column("dispute_id", sa.String(64)),
        sa.Column("version", sa.Integer()), sa.Column("at", UTCDateTime()), sa.Column("body", sa.Text()),
        sa.Column("ordinal", sa.Integer()),
    )
    staged.create(conn)
    disputes = sa.table("disputes", sa.column("dispute_id"), sa.column("state"))
    history = sa.table("history", sa.column("dispute_id"), sa.column("version"), sa.column("at", UTCDateTime()),
                       sa.column("kind"), sa.column("payload"))
    last = ""
    while True:
        rows = conn.execute(sa.select(disputes.c.dispute_id, disputes.c.state)
                            .where(disputes.c.dispute_id > last).order_by(disputes.c.dispute_id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1].dispute_id
        ids = [r.dispute_id for r in rows]
        recorded: dict[str, list[Recorded]] = {i: [] for i in ids}
        for h in conn.execute(sa.select(history.c.dispute_id, history.c.version, history.c.at, history.c.kind,
                                        history.c.payload).where(history.c.dispute_id.in_(ids),
                                                                 history.c.kind.in_(REPLAYED_KINDS))):
            recorded[h.dispute_id].append(Recorded(h.version, h.at, h.kind, json.loads(h.payload)))
        out: list[dict[str, Any]] = []
        for r in rows:
            for event in replayed_events(DisputeState.from_json(orjson.loads(r.state)), recorded[r.dispute_id]):
                out.append({"event_id": event.event_id, "type": event.type, "dispute_id": event.dispute_id,
                            "version": event.version, "at": event.at, "body": orjson.dumps(event.to_json()).decode(),
                            "ordinal": TYPES.index(event.type)})
        bulk.Writes(conn).insert(staged, out).send()
    # numbered in order of `at`, each event placed at the latest `at` of its dispute up to it: a dispute's
    # versions then rise with `seq` (§8.3) though a feed event may be dated before a clerk action that came
    # before it (§3: actions take no part in the feed's order); each event keeps its own `at` (decision 266)
    conn.execute(sa.text(
        "INSERT INTO outbox (seq, event_id, type, dispute_id, version, at, body) "
        "SELECT row_number() OVER (ORDER BY reached, dispute_id, version, ordinal), event_id, type, dispute_id, "
        "version, at, body FROM (SELECT b.*, max(at) OVER (PARTITION BY dispute_id ORDER BY version, ordinal "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS reached FROM outbox_backfill b) placed"))
    if conn.dialect.name == "postgresql":  # the numbers handed out from now on follow the backfilled ones
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('outbox', 'seq'), max(seq)) FROM outbox "
                             "HAVING count(*) > 0"))
    staged.drop(conn)


def downgrade() -> None:
    op.drop_table("outbox_consumers")
    op.drop_table("outbox")  # and its trigger
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION mediator_outbox_commit_order()")
