"""Many rows at once through the driver: COPY on PostgreSQL, executemany on SQLite.

A feed chunk writes thousands of rows. SQLAlchemy's executemany runs each row through its compiled statement
(~20 µs a row, a fifth of an ingest on SQLite), and on PostgreSQL every row is a statement of its own on the
server. Here the values are converted by the columns' own SQLAlchemy types (looked up once per table and
dialect), handed to the driver as tuples, and PostgreSQL takes inserts by COPY (half the server's time of
pipelined INSERTs). Driver errors come back as SQLAlchemy's, so `with_retries` judges them as before.
"""
from __future__ import annotations

import functools
import operator
from typing import Any, Mapping, Sequence

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

Row = Mapping[str, Any]
#: PostgreSQL takes more rows than this by COPY; fewer (a clerk's action: one history row) by INSERT, which is
#: one round trip where COPY with the clock is three
COPY_FROM = 20
#: SQLite's clock as a text SQLAlchemy reads back as a time (audit times never come from a workstation);
#: PostgreSQL's is `now()`
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"


@functools.cache
def _converters(table: Table, columns: tuple[str, ...], dialect: Dialect) -> tuple[tuple[int, Any], ...]:
    """(position, conversion) of the columns whose SQLAlchemy type converts a bound value on this dialect."""
    out = []
    for position, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            out.append((position, process))
    return tuple(out)


def _tuples(table: Table, columns: Sequence[str], rows: Sequence[Row], dialect: Dialect) -> list[tuple[Any, ...]]:
    convert = _converters(table, tuple(columns), dialect)
    take = operator.itemgetter(*columns)
    if len(columns) == 1:
        return [(take(row),) for row in rows]
    if not convert:
        return [take(row) for row in rows]
    out = []
    for row in rows:
        values = list(take(row))
        for position, process in convert:
            values[position] = process(values[position])
        out.append(tuple(values))
    return out


def insert_many(conn: Connection, table: Table, rows: Sequence[Row], clock_column: str | None = None) -> None:
    """Insert `rows` (mappings with the same keys); `clock_column`, if given, is set to the database's clock
    (PostgreSQL: the transaction's `now()`, as an INSERT's `now()` would be; SQLite: the time of the statement)."""
    if not rows:
        return
    columns = list(rows[0])
    values = _tuples(table, columns, rows, conn.dialect)
    postgresql = conn.dialect.name == "postgresql"
    if postgresql and len(rows) > COPY_FROM:
        if clock_column is not None:
            now = conn.exec_driver_sql("SELECT now()").scalar_one()
            columns.append(clock_column)
            values = [(*row, now) for row in values]
        _copy(conn, table, columns, values)
        return
    marks = ["%s" if postgresql else "?"] * len(columns)
    if clock_column is not None:
        columns.append(clock_column)
        marks.append("now()" if postgresql else _SQLITE_NOW)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(marks)})", values)


def update_many(conn: Connection, table: Table, rows: Sequence[Row], where: Sequence[tuple[str, str]]) -> int:
    """One UPDATE per row, setting every key of the row that is a column; `where` pairs a column with the key
    that holds the value it must have (`("version", "b_version")`: compare-and-set). Returns the rows changed."""
    if not rows:
        return 0
    keys = [name for name in rows[0] if name in table.c]
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    values = _tuples(table, keys, rows, conn.dialect)
    where_values = _tuples(table, [column for column, _ in where],
                           [{column: row[key] for column, key in where} for row in rows], conn.dialect)
    sql = (f"UPDATE {table.name} SET {', '.join(f'{name} = {mark}' for name in keys)} "
           f"WHERE {' AND '.join(f'{column} = {mark}' for column, _ in where)}")
    result = conn.exec_driver_sql(sql, [(*row, *condition) for row, condition in zip(values, where_values)])
    return result.rowcount


def _copy(conn: Connection, table: Table, columns: Sequence[str], values: Sequence[tuple[Any, ...]]) -> None:
    import psycopg  # PostgreSQL's driver: only loaded where it is used

    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
    except psycopg.Error as exc:  # as SQLAlchemy raises it: IntegrityError, OperationalError, ...
        raise DBAPIError.instance(statement, None, exc, psycopg.Error,
                                  dialect=conn.dialect, ismulti=True) from exc
