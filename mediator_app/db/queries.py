"""Queue queries for the workstation: saved views, filter and sort done in SQL, column tuples not entities."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import Connection, aggregate_order_by, and_, bindparam, case, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from .schema import OPEN, QUEUE_DUE_FLOOR, SEARCH_SEPARATOR, Dispute, DisputeSearch, Evidence

VIEWS = ("all", "mine", "unassigned", "due24h", "sla", "needs_ruling", "pending_approval")
#: §6's view names (`bundle export --view`) -> the queue's
BUNDLE_VIEWS = {"all": "all", "unassigned": "unassigned", "due_24h": "due24h", "sla_breached": "sla",
                "needs_ruling": "needs_ruling", "pending_approval": "pending_approval"}
SORTS: dict[str, Any] = {
    "due": Dispute.queue_due, "dispute": Dispute.dispute_id, "stage": Dispute.stage, "reason": Dispute.reason,
    "amount": Dispute.asked_minor, "total": Dispute.order_total_minor, "assigned": Dispute.assigned_to,
    "opened": Dispute.opened_at, "clock": Dispute.party_clock,
}


def sla_breached(now: datetime) -> ColumnElement[bool]:
    """SQL twin of `domain.case_view.sla_breached` over the stored columns (`sla_stopped_breach` is the domain's
    own, stored; tests/db/test_queue_lines.py holds the two to the same answer as clocks move)."""
    running_breach = and_(
        Dispute.platform_due.is_not(None), Dispute.platform_due <= now,
        or_(Dispute.deciding_due.is_(None), Dispute.deciding_due > now, Dispute.platform_due <= Dispute.deciding_due),
    )
    return or_(Dispute.sla_stopped_breach == true(), running_breach)


#: Views the desk's charts open (a bar of a chart is a view of the queue): `stage:STAGE`, `due:BUCKET`,
#: `holder:USER`; not among the saved views (and their counts).
DRILL_DOWNS = ("stage:", "due:", "holder:")


def is_view(view: str) -> bool:
    return view in VIEWS or (view.startswith(DRILL_DOWNS) and view.split(":", 1)[1] != "")


def _drill_down(view: str, now: datetime, held: ColumnElement[bool]) -> ColumnElement[bool]:
    from .desk_queries import due_bucket  # the desk's figures and its views: one bucket rule

    prefix, value = view.split(":", 1)
    if prefix == "stage":
        return Dispute.stage == value
    if prefix == "due":
        return due_bucket(now) == value
    return and_(held, Dispute.assigned_to == value)


def open_queue() -> ColumnElement[bool]:
    """The open disputes, said so that SQLite's planner walks a covering open-queue index (decision 191).

    `status = 'open'` alone implies every partial index of migrations 0008 and 0012, and SQLite then scans the
    narrowest (`ix_disputes_open_platform_due`, four columns) and fetches each row from the table for a sort
    column it lacks (re-sort by amount at 20,000 open: ~27 ms against ~4 ms). `queue_due >= year 1` is always
    true (the column is never null) and is a range on the first key of `ix_disputes_open_queue` and
    `ix_disputes_open_sheet` only, so one of those, holding every column the sort reads, is searched."""
    return and_(Dispute.status == OPEN, Dispute.queue_due >= QUEUE_DUE_FLOOR)


def view_condition(view: str, user: str, now: datetime) -> ColumnElement[bool]:
    held = and_(Dispute.assigned_to.is_not(None), Dispute.claim_expires_at > now)
    if view not in VIEWS and is_view(view):
        return and_(open_queue(), _drill_down(view, now, held))
    conditions: dict[str, ColumnElement[bool]] = {
        "all": true(),
        "mine": and_(held, Dispute.assigned_to == user),
        "unassigned": ~held,
        "due24h": Dispute.queue_due <= now + timedelta(hours=24),
        "sla": sla_breached(now),
        "needs_ruling": Dispute.stage == "platform_review",
        "pending_approval": Dispute.stage == "pending_approval",
    }
    if view not in conditions:
        raise ValueError(f"unknown view {view!r}")
    return and_(open_queue(), conditions[view])


def text_condition(text: str, dialect: str = "sqlite", trigram: bool = False) -> ColumnElement[bool]:
    """Dispute, order, buyer or seller id containing the text, ignoring case (`%`, `_` and `\\` match themselves).

    With a trigram index (PostgreSQL with pg_trgm, see `has_trigram_index`) the ids are looked up in
    `dispute_search`. Otherwise the four columns are compared in the open-queue index: SQLite's LIKE already
    ignores ASCII case (ids are ASCII), PostgreSQL says ILIKE (~0.3 s over 200,000 open disputes).
    """
    needle = text.strip().lower().replace(SEARCH_SEPARATOR, "")
    if not needle:
        return true()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if trigram:
        # the pattern written into the statement (quoted by SQLAlchemy): a cached generic plan, blind to it,
        # could pass the trigram index by
        matching = select(DisputeSearch.dispute_id).where(
            DisputeSearch.search.like(bindparam("search", pattern, literal_execute=True), escape="\\"))
        return Dispute.dispute_id.in_(matching)
    columns = (Dispute.dispute_id, Dispute.order_id, Dispute.buyer_id, Dispute.seller_id)
    if dialect == "postgresql":
        return or_(*(column.ilike(pattern, escape="\\") for column in columns))
    return or_(*(column.like(pattern, escape="\\") for column in columns))


_TRIGRAM: dict[str, bool] = {}


def has_trigram_index(conn: Connection) -> bool:
    """Whether this database has the filter's trigram index (migration 0003 creates it when it can); asked
    once per database URL."""
    if conn.dialect.name != "postgresql":
        return False
    key = conn.engine.url.render_as_string(hide_password=True)
    if key not in _TRIGRAM:
        _TRIGRAM[key] = conn.exec_driver_sql(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_dispute_search_trigram' "
            "AND schemaname = current_schema()").first() is not None
    return _TRIGRAM[key]


def _text(conn: Connection, needle: str) -> ColumnElement[bool]:
    return text_condition(needle, conn.dialect.name, has_trigram_index(conn)) if needle.strip() else true()


def queue_ids(conn: Connection, view: str, user: str, now: datetime, text: str = "", sort: str = "due",
              descending: bool = False, limit: int | None = None) -> list[str]:
    """The matching dispute ids in display order (urgency breaks ties, then the id); the first `limit` only.

    Without a limit, PostgreSQL sends them as one array it builds in that order (`array_agg(… ORDER BY …)`):
    fetched row by row, 200,000 ids held Python's GIL for ~150 ms of the client's time, and the window's paints
    waited for it; the array costs 20–30 ms. SQLite works inside this process either way: an aggregate there
    (a JSON array over an ordered window, the one ordered aggregate SQLite 3.40 has) was no faster and left
    ~45 MB more resident in the window's worker threads, so its rows come one by one."""
    order = queue_order(sort, descending)
    where = (view_condition(view, user, now), _text(conn, text))
    if limit is None and conn.dialect.name == "postgresql":
        every = aggregate_order_by(func.array_agg(Dispute.dispute_id), *order)
        ids = conn.execute(select(every).where(*where)).scalar_one()
        return ids if isinstance(ids, list) else list(ids or ())  # psycopg gives a list: not copied
    return list(conn.execute(select(Dispute.dispute_id).where(*where).order_by(*order).limit(limit)).scalars())


def queue_order(sort: str, descending: bool) -> list[Any]:
    """The queue's ORDER BY for a sort key (urgency breaks ties, then the id)."""
    column = SORTS[sort]
    urgency = [Dispute.queue_due, Dispute.opened_at, Dispute.dispute_id]
    if sort == "due":
        return [o.desc() for o in urgency] if descending else urgency
    nulls_last = case((column.is_(None), 1), else_=0)
    return [nulls_last, column.desc() if descending else column, *urgency]


def queue_where(conn: Connection, view: str, user: str, now: datetime, text: str = "") -> tuple[Any, Any]:
    return view_condition(view, user, now), _text(conn, text)


def queue_count(conn: Connection, view: str, user: str, now: datetime, text: str = "") -> int:
    query = select(func.count()).select_from(Dispute).where(view_condition(view, user, now),
                                                            _text(conn, text))
    return int(conn.execute(query).scalar_one())


def view_counts(conn: Connection, user: str, now: datetime, text: str = "") -> dict[str, int]:
    """Row count of every saved view, in one query."""
    columns = [func.sum(case((view_condition(v, user, now), 1), else_=0)).label(v) for v in VIEWS]
    row = conn.execute(select(*columns).where(Dispute.status == OPEN, _text(conn, text))).one()
    return {v: int(getattr(row, v) or 0) for v in VIEWS}


def queue_lines_for(conn: Connection, ids: Sequence[str], now: datetime) -> list[Any]:
    """(dispute id, stored queue line, state when the line is missing, holder at `now`, SLA breached at `now`)."""
    holder = case((and_(Dispute.assigned_to.is_not(None), Dispute.claim_expires_at > now), Dispute.assigned_to))
    state = case((Dispute.queue_row.is_(None), Dispute.state))
    out: list[Any] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        out.extend(conn.execute(select(Dispute.dispute_id, Dispute.queue_row, state, holder, sla_breached(now))
                                .where(Dispute.dispute_id.in_(chunk))).all())
    return out


def evidence_list(conn: Connection, dispute_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(select(Evidence.id, Evidence.party, Evidence.filename, Evidence.media_type, Evidence.size,
                               Evidence.sha256, Evidence.added_at)
                        .where(Evidence.dispute_id == dispute_id).order_by(Evidence.id))
    return [dict(r._mapping) for r in rows]


def evidence_content(conn: Connection, evidence_id: int) -> tuple[str, bytes] | None:
    row = conn.execute(select(Evidence.media_type, Evidence.content).where(Evidence.id == evidence_id)).first()
    return (row.media_type, row.content) if row else None



def evidence_record(conn: Connection, evidence_id: int) -> tuple[str, bytes, str] | None:
    """(media type, content, the sha256 recorded when it was added)."""
    row = conn.execute(select(Evidence.media_type, Evidence.content, Evidence.sha256)
                       .where(Evidence.id == evidence_id)).first()
    return (row.media_type, row.content, row.sha256) if row else None
