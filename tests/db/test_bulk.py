"""Bulk writes through the driver behave like SQLAlchemy's: same values stored, same errors raised."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mediator_app.db import bulk
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import User

USERS = User.__table__
AT = datetime(2026, 11, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))


SIZES = pytest.mark.parametrize("count", [2, bulk.COPY_FROM + 5], ids=["a few rows", "COPY on PostgreSQL"])


def users(count: int) -> list[dict[str, object]]:
    return [{"name": f"user-{n:03}", "role": "clerk" if n % 2 else "supervisor", "created_at": AT}
            for n in range(count)]


@SIZES
def test_inserted_rows_read_back_as_written(db_url: str, count: int) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        bulk.insert_many(conn, USERS, users(count))
    with engine.connect() as conn:
        rows = conn.execute(select(User.name, User.role, User.created_at).order_by(User.name)).all()
    engine.dispose()
    assert [(r.name, r.role, r.created_at) for r in rows] == [(u["name"], u["role"], AT) for u in users(count)]
    assert rows[0].created_at.utcoffset() == timedelta(0)  # stored and read back in UTC


@SIZES
def test_a_duplicate_key_is_sqlalchemys_integrity_error_and_nothing_stays(db_url: str, count: int) -> None:
    """`with_retries` retries on IntegrityError: PostgreSQL's COPY must raise it as an INSERT would."""
    engine = make_engine(db_url)
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            bulk.insert_many(conn, USERS, [*users(count), users(1)[0]])
    with engine.connect() as conn:
        assert conn.execute(select(User.name)).all() == []
    engine.dispose()


def test_update_many_changes_only_rows_that_match_and_counts_them(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        bulk.insert_many(conn, USERS, [{"name": n, "role": "clerk", "created_at": AT} for n in ("ann", "ben")])
        changed = bulk.update_many(conn, USERS, [{"b_name": "ann", "b_role": "clerk", "role": "supervisor"},
                                                 {"b_name": "ben", "b_role": "auditor", "role": "supervisor"}],
                                   where=(("name", "b_name"), ("role", "b_role")))
    with engine.connect() as conn:
        roles = dict(conn.execute(select(User.name, User.role)).all())
    engine.dispose()
    assert changed == 1
    assert roles == {"ann": "supervisor", "ben": "clerk"}


@SIZES
def test_the_database_clock_fills_the_clock_column(db_url: str, count: int) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        bulk.insert_many(conn, USERS, [{"name": u["name"], "role": u["role"]} for u in users(count)],
                         clock_column="created_at")
    with engine.connect() as conn:
        created = conn.execute(select(User.created_at)).scalars().all()
    engine.dispose()
    # the database server's real clock, not a value from this process (tests' clocks are simulated)
    assert len(created) == count
    assert all(abs(at - datetime.now(timezone.utc)) < timedelta(minutes=5) for at in created)
