"""The desk's figures (§5.3) and audit pages (§5.4) as SQL: grouped counts over indexed columns, no rows."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterator, Sequence

from sqlalchemy import (Connection, String, and_, case, cast, false, func, literal, or_, select, true, tuple_,
                        type_coerce, union_all)
from sqlalchemy.sql.elements import ColumnElement

from mediator_app.domain.desk import BUCKET_EDGES_HOURS, DECISION_KINDS, Day
from mediator_app.domain.money import CURRENCY_DIGITS
from mediator_app.domain.sheet_text import FALSE, TRUE

from .queries import sla_breached
from .schema import NO_CLOCK, OPEN, Dispute, History, User


def due_bucket(now: datetime) -> ColumnElement[str]:
    """SQL twin of domain.desk.due_bucket over `queue_due` (NO_CLOCK: no running clock); the queue's `due:`
    views filter on it."""
    h = {name: now + timedelta(hours=hours) for name, hours in BUCKET_EDGES_HOURS.items()}
    return case(
        (Dispute.queue_due == NO_CLOCK, "none"),
        (Dispute.queue_due <= now, "overdue"),
        (Dispute.queue_due < h["lt_4h"], "lt_4h"),
        (Dispute.queue_due < h["lt_24h"], "lt_24h"),
        (Dispute.queue_due < h["lt_72h"], "lt_72h"),
        else_="later",
    )


def _count(*where: Any) -> Any:
    return select(func.count()).select_from(Dispute).where(*where).scalar_subquery()


def open_figures(conn: Connection, now: datetime) -> tuple[dict[str, int], int, dict[str, int]]:
    """(open disputes by stage, how many have the SLA breached, by due-in bucket), each an index's count: the
    stages and the stored breach from `ix_disputes_open_stage`, the running breach from
    `ix_disputes_open_platform_due`, the buckets as ranges of the open-queue index (its first column)."""
    rows = conn.execute(select(Dispute.stage, Dispute.sla_stopped_breach, func.count())
                        .where(Dispute.status == OPEN).group_by(Dispute.stage, Dispute.sla_stopped_breach)).all()
    by_stage: dict[str, int] = {}
    stopped = 0
    for stage, stopped_breach, n in rows:
        by_stage[stage] = by_stage.get(stage, 0) + n
        stopped += n if stopped_breach else 0
    running = and_(Dispute.status == OPEN, Dispute.platform_due.is_not(None), Dispute.platform_due <= now,
                   Dispute.sla_stopped_breach == false(),
                   or_(Dispute.deciding_due.is_(None), Dispute.deciding_due > now,
                       Dispute.platform_due <= Dispute.deciding_due))
    h = {name: now + timedelta(hours=hours) for name, hours in BUCKET_EDGES_HOURS.items()}
    due = Dispute.queue_due
    is_open = Dispute.status == OPEN
    counts = conn.execute(select(
        _count(running).label("running"),
        _count(is_open, due <= now).label("overdue"),
        _count(is_open, due > now, due < h["lt_4h"]).label("lt_4h"),
        _count(is_open, due >= h["lt_4h"], due < h["lt_24h"]).label("lt_24h"),
        _count(is_open, due >= h["lt_24h"], due < h["lt_72h"]).label("lt_72h"),
        _count(is_open, due >= h["lt_72h"], due < NO_CLOCK).label("later"),
        _count(is_open, due == NO_CLOCK).label("none"),
    )).one()
    buckets = {b: int(getattr(counts, b)) for b in ("overdue", "lt_4h", "lt_24h", "lt_72h", "later", "none")}
    return by_stage, stopped + int(counts.running), buckets


def held(now: datetime) -> ColumnElement[bool]:
    return and_(Dispute.status == OPEN, Dispute.assigned_to.is_not(None), Dispute.claim_expires_at > now)


def workload(conn: Connection, now: datetime, today: datetime) -> list[Any]:
    """(user, role, holding, holding overdue, decided today) for every clerk and supervisor, by name."""
    holding = (select(Dispute.assigned_to.label("user"), func.count().label("holding"),
                      func.sum(case((Dispute.queue_due <= now, 1), else_=0)).label("overdue"))
               .where(held(now)).group_by(Dispute.assigned_to).subquery())
    decided = (select(History.actor.label("user"), func.count().label("decided"))
               .where(History.kind.in_(DECISION_KINDS), History.at >= today, History.at <= now)
               .with_hint(History, "INDEXED BY ix_history_kind_at", "sqlite")  # not a skip-scan of every actor
               .group_by(History.actor).subquery())
    query = (select(User.name, User.role, func.coalesce(holding.c.holding, 0), func.coalesce(holding.c.overdue, 0),
                    func.coalesce(decided.c.decided, 0))
             .outerjoin(holding, holding.c.user == User.name).outerjoin(decided, decided.c.user == User.name)
             .where(User.role.in_(("clerk", "supervisor"))).order_by(User.name))
    return list(conn.execute(query).all())


def opened_per_day(conn: Connection, days: Sequence[Day]) -> dict[str, int]:
    """Disputes opened on each platform-zone day: one range count of `ix_disputes_opened_at` per day, between
    the day's exact boundaries (a day of 23 or 25 hours included)."""
    columns = [_count(Dispute.opened_at >= d.start, Dispute.opened_at < d.end).label(f"d{i}")
               for i, d in enumerate(days)]
    row = conn.execute(select(*columns)).one()
    return {d.day.isoformat(): int(row[i]) for i, d in enumerate(days)}


def resolved_per_day(conn: Connection, days: Sequence[Day]) -> list[Any]:
    """(day, reached type, SLA breached, count): per day, a range of the covering `ix_disputes_resolved_at`
    grouped; a resolved dispute's platform clocks have all stopped, so its `sla_breached` is the stored flag."""
    parts = [select(literal(d.day.isoformat()).label("day"), Dispute.reached_type, Dispute.sla_stopped_breach,
                    func.count().label("n"))
             .where(Dispute.resolved_at >= d.start, Dispute.resolved_at < d.end)
             .group_by(Dispute.reached_type, Dispute.sla_stopped_breach) for d in days]
    out: list[Any] = []
    for start in range(0, len(parts), 100):  # SQLite allows 500 compound terms; a statement of 100 stays small
        out.extend(conn.execute(union_all(*parts[start:start + 100])).all())
    return out


# ---- the audit trail (§5.4)

def audit_actor() -> ColumnElement[str | None]:
    """The user who acted: null for feed events (they carry an event id) and executed clocks."""
    return case((or_(History.event_id.is_not(None), History.kind == "clock.expired"), None), else_=History.actor)


def audit_where(dispute_id: str | None = None, user: str | None = None, kind: str | None = None,
                since: datetime | None = None, until: datetime | None = None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if dispute_id is not None:
        where.append(History.dispute_id == dispute_id)
    if user is not None:
        where += [History.actor == user, History.event_id.is_(None), History.kind != "clock.expired"]
    if kind is not None:
        where.append(History.kind == kind)
    if since is not None:
        where.append(History.at >= since)
    if until is not None:
        where.append(History.at < until)
    return where or [true()]


AUDIT_COLUMNS = (History.dispute_id, History.version, History.at, History.kind, audit_actor().label("actor"),
                 History.party, History.summary)


def audit_page(conn: Connection, where: Sequence[ColumnElement[bool]], newest_first: bool = False,
               after: tuple[datetime, str, int] | None = None, limit: int | None = None) -> list[Any]:
    """History rows in (at, dispute, version) order, or its reverse; `after` is the last row of the page before
    (keyset paging: a page deep in millions of rows costs what the first one does)."""
    key = (History.at, History.dispute_id, History.version)
    query = select(*AUDIT_COLUMNS).where(*where)
    if after is not None:
        row, last = tuple_(*key), tuple_(*(literal(v, c.type) for v, c in zip(after, key)))
        query = query.where(row < last if newest_first else row > last)
    query = query.order_by(*((c.desc() for c in key) if newest_first else key))
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query).all())


def audit_count(conn: Connection, where: Sequence[ColumnElement[bool]]) -> int:
    return int(conn.execute(select(func.count()).select_from(History).where(*where)).scalar_one())




def utc_text(conn: Connection, column: Any) -> ColumnElement[str]:
    """SQL twin of `domain.sheet_text.time_field`: a stored instant as `format_utc` writes it (`…SSZ`,
    `…SS.ffffffZ` with microseconds), made by the database: a spreadsheet of 200,000 rows then parses and
    formats no datetime in Python (tests/db/test_sheet_text.py holds the two equal)."""
    if conn.dialect.name == "postgresql":
        utc = func.timezone("UTC", column)
        whole = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
        micro = func.to_char(utc, "US")
        return whole + case((micro == "000000", "Z"), else_="." + micro + "Z")
    text = type_coerce(column, String)  # SQLite stores `YYYY-MM-DD HH:MM:SS.ffffff`
    micro = func.substr(text, 21, 6)
    return (func.substr(text, 1, 10) + "T" + func.substr(text, 12, 8)
            + case((or_(micro == "", micro == "000000"), "Z"), else_="." + micro + "Z"))


def amount_text(minor: Any, currency: Any) -> ColumnElement[str]:
    """SQL twin of `domain.sheet_text.amount_field`: minor units as the amount's text (`Money.to_json`, the
    scales of `CURRENCY_DIGITS`): `1234.50`, `75000`; totals are never negative."""
    whens = []
    for digits in sorted({d for d in CURRENCY_DIGITS.values() if d > 0}):
        scale = 10 ** digits
        codes = [c for c, d in CURRENCY_DIGITS.items() if d == digits]
        whens.append((currency.in_(codes), cast(minor // scale, String) + "."
                      + func.substr(cast(scale + minor % scale, String), 2)))
    return case(*whens, else_=cast(minor, String))


def _sheet_columns(conn: Connection, now: datetime) -> list[Any]:
    """The queue sheet's columns in QUEUE_COLUMNS' order, each the text the sheet writes (no Python type
    processing per row: the rows go to the csv writer as the driver gives them). Every column is in
    `ix_disputes_open_sheet`: the whole queue in urgency order is read from the index alone, and no JSON is
    parsed (the next clock's columns, revision 0014)."""
    holder = case((and_(Dispute.assigned_to.is_not(None), Dispute.claim_expires_at > now), Dispute.assigned_to))
    next_due = case((Dispute.queue_due == NO_CLOCK, None), else_=utc_text(conn, Dispute.queue_due))
    return [Dispute.dispute_id, Dispute.order_id, Dispute.kind, Dispute.reason, Dispute.policy,
            Dispute.status, Dispute.stage, Dispute.version, utc_text(conn, Dispute.opened_at).label("opened"),
            amount_text(Dispute.order_total_minor, Dispute.currency).label("amount"), Dispute.currency,
            case((sla_breached(now), TRUE), else_=FALSE).label("breached"), holder.label("holder"),
            Dispute.next_clock, Dispute.next_party, next_due.label("next_due"), Dispute.next_on_expiry]


def queue_sheet_rows(conn: Connection, ids: Sequence[str], now: datetime) -> Sequence[Any]:
    """The columns of a queue spreadsheet (§5.5) for some ids, the holder and the SLA at `now`."""
    return conn.execute(select(*_sheet_columns(conn, now)).where(Dispute.dispute_id.in_(list(ids)))).all()


def queue_sheet_stream(conn: Connection, view: str, user: str, now: datetime, text: str, sort: str,
                       descending: bool, batch: int = 5000, limit: int | None = None) -> Iterator[Sequence[Any]]:
    """The same columns for a whole queue view in its display order, `batch` rows at a time, the first `limit`.

    In the urgency order (`due`, the command's and the window's default) the batches walk the open-queue index
    in key order: each is the next `batch` rows after the last key, so neither database sorts the view (on
    PostgreSQL one statement over the whole view was sorted on disk). Run on one connection in one read
    transaction (the caller makes it REPEATABLE READ on PostgreSQL), the batches read one snapshot. Another
    sort has no index to walk: one statement in that order, streamed."""
    from .queries import queue_order, queue_where

    columns = _sheet_columns(conn, now)
    where = queue_where(conn, view, user, now, text)
    if sort != "due":
        query = select(*columns).where(*where).order_by(*queue_order(sort, descending)).limit(limit)
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
        for part in result.partitions():
            yield part
        return
    key = (Dispute.queue_due, Dispute.opened_at, Dispute.dispute_id)
    after: tuple[Any, ...] | None = None
    left = limit
    while left is None or left > 0:
        size = batch if left is None else min(batch, left)
        query = select(*columns).where(*where).order_by(*queue_order(sort, descending)).limit(size)
        if after is not None:
            row, last = tuple_(*key), tuple_(*(literal(v, c.type) for v, c in zip(after, key)))
            query = query.where(row < last if descending else row > last)
        rows = conn.execute(query).all()
        if rows:
            yield rows
        if len(rows) < size:
            return
        last_id = rows[-1][0]  # the key of the last row, by its primary key (the sheet holds it as text)
        due, opened = conn.execute(select(Dispute.queue_due, Dispute.opened_at)
                                   .where(Dispute.dispute_id == last_id)).one()
        after = (due, opened, last_id)
        if left is not None:
            left -= len(rows)
