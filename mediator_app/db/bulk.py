"""Many rows at once through the driver: COPY or one pipeline on PostgreSQL, executemany on SQLite.

A feed chunk writes thousands of rows. SQLAlchemy's executemany runs each row through its compiled statement
(~20 µs a row, a fifth of an ingest on SQLite), and on PostgreSQL every row is a statement of its own on the
server. Here the values are converted by the columns' own SQLAlchemy types (looked up once per table and
dialect), handed to the driver as tuples. PostgreSQL takes large inserts by COPY (half the server's time of
pipelined INSERTs) and a few statements in one pipeline (`Writes`). Driver errors come back as SQLAlchemy's, so
`with_retries` judges them as before.
"""
from __future__ import annotations

import functools
from datetime import datetime
import operator
from typing import Any, Mapping, NamedTuple, Sequence

from sqlalchemy import Connection, Table
from sqlalchemy.sql import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError

Row = Mapping[str, Any]
#: PostgreSQL takes more rows than this by COPY; fewer (a clerk's action: one history row) by one INSERT of them
#: all (a ruling's two outbound events: one statement, so the outbox's statement triggers run once), which is one
#: round trip where COPY with the clock is three
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
    plain = [take(row) for row in rows] if len(columns) > 1 else [(row[columns[0]],) for row in rows]
    if not convert:
        return plain
    out = []
    for row in plain:
        values = list(row)
        for position, process in convert:
            values[position] = process(values[position])
        out.append(tuple(values))
    return out


class _Statement(NamedTuple):
    sql: str
    rows: list[tuple[Any, ...]]


class _Copy(NamedTuple):
    table: Table
    columns: list[str]
    rows: list[tuple[Any, ...]]
    clock_column: str | None


class Writes:
    """The inserts and updates of one write, sent by `send()`, which returns each one's count of rows written.

    On PostgreSQL, unless one of them is large enough for COPY, they go in one pipeline: one round trip for all
    (a clerk's decision is an UPDATE and a history row: ~0.2 ms of ~1.9). Otherwise, and on SQLite, they run one
    after the other. A compare-and-set is judged from the counts, after `send()`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgresql = conn.dialect.name == "postgresql"
        self._mark = "%s" if self.postgresql else "?"
        self._steps: list[_Statement | _Copy] = []

    def insert(self, table: Table, rows: Sequence[Row], clock_column: str | None = None) -> Writes:
        """Insert `rows` (mappings with the same keys); `clock_column`, if given, is set to the database's clock
        (PostgreSQL: the transaction's `now()`; SQLite: the time of the statement)."""
        if not rows:
            return self
        columns = list(rows[0])
        values = _tuples(table, columns, rows, self.conn.dialect)
        if self.postgresql and len(rows) > COPY_FROM:
            self._steps.append(_Copy(table, columns, values, clock_column))
            return self
        marks = [self._mark] * len(columns)
        if clock_column is not None:
            columns.append(clock_column)
            marks.append("now()" if self.postgresql else _SQLITE_NOW)
        row_marks = f"({', '.join(marks)})"
        if self.postgresql and len(values) > 1:  # one statement for all: a statement trigger runs once
            sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {', '.join([row_marks] * len(values))}"
            self._steps.append(_Statement(sql, [tuple(v for row in values for v in row)]))
            return self
        self._steps.append(_Statement(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {row_marks}", values))
        return self

    def statement(self, sql: str) -> Writes:
        """A statement without parameters, run in its place among the others (its count is the driver's)."""
        self._steps.append(_Statement(sql, [()]))
        return self

    def update(self, table: Table, rows: Sequence[Row], where: Sequence[tuple[str, str]]) -> Writes:
        """One UPDATE per row, setting every key of the row that is a column; `where` pairs a column with the key
        that holds the value it must have (`("version", "b_version")`: compare-and-set)."""
        if not rows:
            return self
        keys = [name for name in rows[0] if name in table.c]
        values = _tuples(table, keys, rows, self.conn.dialect)
        where_values = _tuples(table, [column for column, _ in where],
                               [{column: row[key] for column, key in where} for row in rows], self.conn.dialect)
        sql = (f"UPDATE {table.name} SET {', '.join(f'{name} = {self._mark}' for name in keys)} "
               f"WHERE {' AND '.join(f'{column} = {self._mark}' for column, _ in where)}")
        self._steps.append(_Statement(sql, [(*row, *condition) for row, condition in zip(values, where_values)]))
        return self

    def send(self) -> list[int]:
        """Run the writes; the rows each wrote, in their order (a setting, `SET LOCAL …`, has no count), the
        same on every path."""
        steps, self._steps = self._steps, []
        statements = [step for step in steps if isinstance(step, _Statement)]
        if self.postgresql and statements and len(statements) == len(steps):
            settings = [step for step in statements if _is_setting(step)]
            writes = [step for step in statements if not _is_setting(step)]
            if ONE_STATEMENT and _one_statement_will_do(writes):
                return _as_one(self.conn, settings, writes)
            return [count for step, count in zip(statements, _pipelined(self.conn, statements))
                    if not _is_setting(step)]
        counts = []
        for step in steps:
            if isinstance(step, _Statement):
                count = self.conn.exec_driver_sql(step.sql, step.rows).rowcount
                if not _is_setting(step):
                    counts.append(count)
                continue
            columns, rows = step.columns, step.rows
            if step.clock_column is not None:
                now: datetime = self.conn.exec_driver_sql("SELECT now()").scalar_one()
                columns, rows = [*columns, step.clock_column], [(*row, now) for row in rows]
            _copy(self.conn, step.table, columns, rows)
            counts.append(len(rows))
        return counts


def _is_setting(step: _Statement) -> bool:
    return step.sql.startswith("SET LOCAL ")


#: compiled SQL by (id of the statement, dialect), beside the statement itself: kept alive, its id is never reused
_COMPILED: dict[tuple[int, str], tuple[Select[Any], str]] = {}


def first_row(conn: Connection, statement: Select[Any], params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The first row of a Core `statement` (its columns in order), through the driver on PostgreSQL: without
    SQLAlchemy's execution and result machinery (a clerk's decision reads one row; compiled once, here). SQLite:
    SQLAlchemy's own execute."""
    if conn.dialect.name != "postgresql":
        row = conn.execute(statement, dict(params)).first()
        return tuple(row) if row is not None else None
    import psycopg

    key = (id(statement), conn.dialect.name)
    known = _COMPILED.get(key)
    if known is None:
        known = _COMPILED[key] = (statement, str(statement.compile(dialect=conn.dialect)))
    sql = known[1]
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        first: tuple[Any, ...] | None = cursor.execute(sql, params).fetchone()
        return first
    except psycopg.Error as exc:
        raise _driver_error(conn, sql, exc) from exc
    finally:
        cursor.close()


def _driver_error(conn: Connection, statement: str, exc: Exception) -> StatementError:
    """A psycopg error as SQLAlchemy raises it (IntegrityError, OperationalError, ...)."""
    import psycopg

    return DBAPIError.instance(statement, None, exc, psycopg.Error, dialect=conn.dialect, ismulti=True)


#: Whether a few one-row writes go to PostgreSQL as one statement (`_as_one`); False: one pipeline of them
ONE_STATEMENT = True


def _one_statement_will_do(steps: list[_Statement]) -> bool:
    """Several writes, each one statement of one row of parameters, each on a table of its own: the parts of a
    WITH query run in an order PostgreSQL does not promise, so no part may depend on another's rows through a
    unique index (an UPDATE that closes a dispute before an INSERT that opens one for the same order does)."""
    if len(steps) < 2 or any(len(step.rows) != 1 for step in steps):
        return False
    tables = []
    for step in steps:
        words = step.sql.split(maxsplit=3)
        if words[0] == "INSERT" and words[1] == "INTO":
            tables.append(words[2])
        elif words[0] == "UPDATE":
            tables.append(words[1])
        else:
            return False
    return len(set(tables)) == len(tables)


def _as_one(conn: Connection, settings: list[_Statement], steps: list[_Statement]) -> list[int]:
    """A few writes of one row (or one multi-row INSERT) each as ONE statement: each a data-modifying WITH
    query, in the order given, their counts selected. One Bind and one Execute for the server instead of one
    per write, and on the client no pipeline to drive (a clerk's decision: the UPDATE, its history row and its
    outbound events). The statement triggers of each table fire at the end of the whole statement, when every
    part is written (PostgreSQL fires AFTER triggers at the end of the query, and a trigger's queries see the
    statement's rows); the outbox's BEFORE trigger still takes its lock before any `seq` is drawn. `settings`
    (`SET LOCAL …`, the skip test's switch) go first, in the same pipeline: they hold for the transaction."""
    import psycopg

    parts = [f"w{n} AS ({step.sql} RETURNING 1)" for n, step in enumerate(steps)]
    counts = ", ".join(f"(SELECT count(*) FROM w{n})" for n in range(len(steps)))
    sql = f"WITH {', '.join(parts)} SELECT {counts}"
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor:
            if settings:
                with driver.pipeline():
                    for setting in settings:
                        driver.execute(setting.sql)
                    cursor.execute(sql, [value for step in steps for value in step.rows[0]])
            else:
                cursor.execute(sql, [value for step in steps for value in step.rows[0]])
            row = cursor.fetchone()
    except psycopg.Error as exc:
        raise _driver_error(conn, sql, exc) from exc
    assert row is not None
    return [int(count) for count in row]


def _pipelined(conn: Connection, steps: list[_Statement]) -> list[int]:
    import psycopg  # PostgreSQL's driver: only loaded where it is used

    driver = conn.connection.driver_connection
    assert driver is not None
    cursors = [driver.cursor() for _ in steps]
    try:
        with driver.pipeline():
            for cursor, (sql, values) in zip(cursors, steps):
                cursor.executemany(sql, values)
        return [cursor.rowcount for cursor in cursors]
    except psycopg.Error as exc:
        raise _driver_error(conn, "; ".join(sql for sql, _ in steps), exc) from exc
    finally:
        for cursor in cursors:
            cursor.close()


def _copy(conn: Connection, table: Table, columns: Sequence[str], values: Sequence[tuple[Any, ...]]) -> None:
    import psycopg

    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in values:
                copy.write_row(row)
    except psycopg.Error as exc:
        raise _driver_error(conn, statement, exc) from exc
