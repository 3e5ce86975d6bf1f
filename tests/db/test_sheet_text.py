"""The queue sheet's cells as the database writes them equal the domain's text (`domain.sheet_text`), on both
databases: times at the edges, every currency's scale, and text that needs quoting."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, insert, select

from mediator_app.db.desk_queries import amount_text, utc_text
from mediator_app.db.types import UTCDateTime
from mediator_app.domain.money import CURRENCY_DIGITS, Money
from mediator_app.domain.sheet_text import amount_field, time_field
from mediator_app.services.context import Context

UTC = timezone.utc
CST = timezone(timedelta(hours=8))  # the platform zone (Asia/Shanghai): no daylight saving time

TIMES = [
    datetime(2026, 11, 4, 16, 0, tzinfo=UTC),  # 00:00 in Shanghai: the platform day begins
    datetime(2026, 11, 4, 15, 59, 59, 999999, tzinfo=UTC),  # 23:59:59.999999 in Shanghai, the day before
    datetime(2026, 11, 4, 16, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 11, 5, 0, 1, tzinfo=CST),  # given in the platform zone: 16:01 UTC the day before
    datetime(2026, 11, 4, 23, 59, tzinfo=CST),
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),  # the year ends (and in Shanghai a new one has begun)
    datetime(2027, 1, 1, 0, 0, 0, 500000, tzinfo=UTC),
    datetime(2028, 2, 29, 12, 30, 5, 10, tzinfo=UTC),  # a leap day, ten microseconds
    datetime(2026, 3, 8, 10, 0, tzinfo=UTC),  # a DST change elsewhere (US): nothing changes in UTC or CST
    datetime(9999, 12, 31, tzinfo=UTC),
]
MINORS = [0, 1, 5, 9, 10, 99, 100, 101, 999, 6665, 100000, 123456789012345]


def probe(ctx: Context) -> Table:
    table = Table("sheet_probe", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime()),
                  Column("minor", BigInteger), Column("currency", String(3)))
    table.create(ctx.engine)
    return table


def test_the_databases_times_are_format_utc(ctx: Context) -> None:
    table = probe(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(insert(table), [{"id": i, "at": at} for i, at in enumerate(TIMES)])
        got = conn.execute(select(utc_text(conn, table.c.at)).order_by(table.c.id)).scalars().all()
    assert got == [time_field(at) for at in TIMES]
    assert got[1] == "2026-11-04T15:59:59.999999Z" and got[3] == "2026-11-04T16:01:00Z"


def test_the_databases_amounts_are_money_to_json(ctx: Context) -> None:
    table = probe(ctx)
    cases = [(minor, currency) for currency in CURRENCY_DIGITS for minor in MINORS]
    with ctx.engine.begin() as conn:
        conn.execute(insert(table), [{"id": i, "minor": m, "currency": c} for i, (m, c) in enumerate(cases)])
        got = conn.execute(select(amount_text(table.c.minor, table.c.currency)).order_by(table.c.id)).scalars().all()
    expected = [amount_field(Money(Decimal(m).scaleb(-CURRENCY_DIGITS[c]), c)) for m, c in cases]
    assert got == expected
    assert dict(zip(cases, got))[(5, "USD")] == "0.05" and dict(zip(cases, got))[(6665, "JPY")] == "6665"
