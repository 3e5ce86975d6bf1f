"""Tables. `disputes` holds the current state (with a version); `history` is append-only."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger, Boolean, ColumnElement, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint, literal_column, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
#: An auto-incrementing 64-bit key (plain INTEGER PRIMARY KEY on SQLite, which is its rowid).
BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's table as the `Table` it is (SQLAlchemy types a declarative `__table__` as any FromClause)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


class User(Base):
    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# `status = 'open'` written out, not bound: the planners match it against the partial index's WHERE
OPEN: ColumnElement[str] = literal_column("'open'")
NO_CLOCK = datetime(9999, 12, 31, tzinfo=timezone.utc)  # `queue_due` of a case with no running clock: last
#: below every `queue_due` (never null): `queue_due >= QUEUE_DUE_FLOOR` is always true and lets SQLite's planner
#: search the open-queue indexes by their first key (decision 191)
QUEUE_DUE_FLOOR = datetime(1, 1, 1, tzinfo=timezone.utc)
# Migration 0003 gives `dispute_search.search` a trigram index on PostgreSQL (pg_trgm) when the extension can
# be had; alembic cannot describe an operator-class index, so it is not among the models below.
UNMODELLED_INDEXES = frozenset({"ix_dispute_search_trigram"})
SEARCH_SEPARATOR = "\x1f"  # between the ids in `dispute_search.search`, so no match spans two of them
# The open-queue index: urgency order first, then every column the views, sorts and filter read (covering)
OPEN_QUEUE_COLUMNS = ("queue_due", "opened_at", "dispute_id", "stage", "reason", "party_clock", "asked_minor",
                      "assigned_to", "claim_expires_at", "platform_due", "deciding_due", "sla_stopped_breach",
                      "order_id", "buyer_id", "seller_id", "status")
#: every column the queue spreadsheet reads, urgency key first (revision 0012; the next clock's columns in place
#: of the stored line from revision 0014)
OPEN_SHEET_COLUMNS = ("queue_due", "opened_at", "dispute_id", "order_id", "kind", "reason", "policy", "stage", "version",
                      "order_total_minor", "currency", "sla_stopped_breach", "platform_due", "deciding_due",
                      "assigned_to", "claim_expires_at", "next_clock", "next_party", "next_on_expiry", "status")


class Dispute(Base):
    """One row per dispute: the rules' state as JSON plus the columns that queues sort and filter on."""

    __tablename__ = "disputes"
    dispute_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[str] = mapped_column(String(64))
    seller_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(64))
    policy: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    order_total_minor: Mapped[int] = mapped_column(BigInteger)
    stage: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    party_clock: Mapped[str | None] = mapped_column(String(32))
    party_due: Mapped[datetime | None] = mapped_column(UTCDateTime())
    queue_due: Mapped[datetime] = mapped_column(UTCDateTime())  # earliest running clock, NO_CLOCK when none
    platform_due: Mapped[datetime | None] = mapped_column(UTCDateTime())  # earliest running platform clock
    deciding_due: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a running clock that decides the case
    sla_stopped_breach: Mapped[bool] = mapped_column(Boolean)  # a platform clock stopped at or after its due
    asked_minor: Mapped[int | None] = mapped_column(BigInteger)  # the buyer's active refund, minor units
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_feed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # revision 0008: who made a standing assignment, and the outcome's columns the dashboard counts by day
    assigned_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reached_type: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # what a queue line shows that changes only with the dispute (domain.queue_line.encode); null on rows
    # last written before revision 0003 (the queue decodes `state` for those)
    queue_row: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)
    # revision 0014: the earliest running clock (`deadlines(state)[0]`; its due time is `queue_due`) as the
    # queue spreadsheet writes it, null when none runs: the sheet reads no JSON per row (decision 250)
    next_clock: Mapped[str | None] = mapped_column(String(32))
    next_party: Mapped[str | None] = mapped_column(String(16))
    next_on_expiry: Mapped[str | None] = mapped_column(Text)
    # revision 0017: true for a dispute whose history starts before the replay records (revision 0011) and that
    # has no replay baseline yet; its next change takes one (`ReplayBaseline`) and clears it (decision 269)
    legacy: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    __table_args__ = (
        Index("ix_disputes_open_queue", *OPEN_QUEUE_COLUMNS,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_disputes_party_due", "party_due"),
        Index("uq_disputes_open_order", "order_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_disputes_order_id", "order_id"),
        Index("ix_disputes_opened_at", "opened_at"),
        # revision 0008, the dashboard's counts over the open disputes without a scan of every row's columns
        Index("ix_disputes_open_stage", "stage", "sla_stopped_breach", "status",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_disputes_open_platform_due", "platform_due", "deciding_due", "sla_stopped_breach", "status",
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_disputes_held", "assigned_to", "claim_expires_at", "queue_due", "status",
              sqlite_where=text("status = 'open' AND assigned_to IS NOT NULL"),
              postgresql_where=text("status = 'open' AND assigned_to IS NOT NULL")),
        Index("ix_disputes_resolved_at", "resolved_at", "reached_type", "sla_stopped_breach"),
        # revision 0012: the queue spreadsheet in urgency order from the index alone (db.desk_queries)
        Index("ix_disputes_open_sheet", *OPEN_SHEET_COLUMNS,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )


class DisputeSearch(Base):
    """The ids a clerk filters the queue on, lower-cased in one string. Written once, when the dispute opens
    (ids never change), so its trigram index costs nothing on the many updates of a dispute."""

    __tablename__ = "dispute_search"
    dispute_id: Mapped[str] = mapped_column(String(64), ForeignKey("disputes.dispute_id"), primary_key=True)
    search: Mapped[str] = mapped_column(Text)


class History(Base):
    """Everything that happened, append-only (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dispute_id: Mapped[str] = mapped_column(ForeignKey("disputes.dispute_id"))
    version: Mapped[int] = mapped_column(Integer)  # the dispute's version after this change
    version_before: Mapped[int | None] = mapped_column(Integer)  # and before it (version - 1)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    party: Mapped[str | None] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str | None] = mapped_column(String(128))
    summary: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    exec_key: Mapped[str | None] = mapped_column(String(128))
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # what the key was used for: "note on D-1 #<digest of the arguments>" (null on rows before revision 0006)
    idempotency_action: Mapped[str | None] = mapped_column(String(200))
    # revision 0011 (§7.3): SHA-256 over the previous row's hash and this row's content (`domain.audit_chain`)
    hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("dispute_id", "version", name="uq_history_dispute_version"),
        UniqueConstraint("dispute_id", "exec_key", name="uq_history_dispute_exec_key"),
        Index("uq_history_idempotency_key", "idempotency_key", unique=True),
        # revision 0008: the audit trail in time order, and by who acted (the dashboard's decisions today)
        Index("ix_history_at", "at", "dispute_id", "version"),
        Index("ix_history_actor_at", "actor", "at"),
        Index("ix_history_kind_at", "kind", "at", "actor"),  # covering for the decisions of today
    )


class Presence(Base):
    """Who has which case open, on which workstation; a row counts until `expires_at` (heartbeats renew it)."""

    __tablename__ = "presence"
    user_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    workstation: Mapped[str] = mapped_column(String(128), primary_key=True)
    dispute_id: Mapped[str | None] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dispute_id: Mapped[str] = mapped_column(ForeignKey("disputes.dispute_id"), index=True)
    event_id: Mapped[str] = mapped_column(String(128))
    party: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[bytes] = mapped_column(LargeBinary)


class RejectedLine(Base):
    """A feed line that was rejected, with its reason, kept for a person to look at: one row per distinct line
    (by the sha256 of its bytes as received); rejecting it again counts in `times`, it stores no copy. `raw` is
    the whole line up to the line limit; a longer one is kept up to the limit with a marker giving its size and
    sha256. `received_at`, `source` and `line` are the first time; `reason` and `last_received_at` the latest."""

    __tablename__ = "rejected_lines"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(512))
    line: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str | None] = mapped_column(String(128))
    dispute_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    line_sha256: Mapped[str] = mapped_column(String(64))
    line_size: Mapped[int] = mapped_column(BigInteger)  # bytes of the whole line as received
    times: Mapped[int] = mapped_column(Integer)
    last_received_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("uq_rejected_lines_line_sha256", "line_sha256", unique=True),)


class Outbox(Base):
    """The outbound feed (§8): events for the marketplace, written in the same transaction as their change.

    `seq` follows commit order (db.outbox: on PostgreSQL every INSERT into it first takes a transaction-level
    lock, from a trigger of migration 0005, and the rows are written at the end of the transaction). `body` is
    the event as JSON without `seq`, so a reader prints it without decoding it."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    dispute_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    body: Mapped[str] = mapped_column(Text)


class OutboxConsumer(Base):
    """A consumer's place in the outbound feed: every event up to `after` is done (it never moves back)."""

    __tablename__ = "outbox_consumers"
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    after: Mapped[int] = mapped_column(BigInteger)
    acked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DatabaseIdentity(Base):
    """One row: this database's permanent random id (migration 0009), so a bundle knows where it came from."""

    __tablename__ = "database_identity"
    database_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReplayBaseline(Base):
    """A dispute's state as stored just before its first change since revision 0017, for a dispute whose history
    starts before the replay records (decision 269): `audit verify` replays its later rows from here. Written by
    a trigger of the database from the row as it was, never by a user (no user may write this table)."""

    __tablename__ = "replay_baselines"
    dispute_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(Text)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SyncConflict(Base):
    """A draft brought back from an offline bundle that could not apply (§6), kept for a person to redo."""

    __tablename__ = "sync_conflicts"
    draft_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dispute_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))
    drafted_by: Mapped[str] = mapped_column(String(64), index=True)
    terms: Mapped[str] = mapped_column(Text)  # the draft's options as JSON
    based_on_version: Mapped[int] = mapped_column(Integer)
    live_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime())
    synced_by: Mapped[str] = mapped_column(String(64))
