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


def test_inserted_rows_read_back_as_written(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        bulk.insert_many(conn, USERS, [{"name": "ann", "role": "clerk", "created_at": AT},
                                       {"name": "ben", "role": "supervisor", "created_at": AT}])
    with engine.connect() as conn:
        rows = conn.execute(select(User.name, User.role, User.created_at).order_by(User.name)).all()
    engine.dispose()
    assert [(r.name, r.role, r.created_at) for r in rows] == [("ann", "clerk", AT), ("ben", "supervisor", AT)]
    assert rows[0].created_at.utcoffset() == timedelta(0)  # stored and read back in UTC


def test_a_duplicate_key_is_sqlalchemys_integrity_error_and_nothing_stays(db_url: str) -> None:
    """`with_retries` retries on IntegrityError: PostgreSQL's COPY must raise it as an INSERT would."""
    engine = make_engine(db_url)
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            bulk.insert_many(conn, USERS, [{"name": "ann", "role": "clerk", "created_at": AT},
                                           {"name": "ann", "role": "clerk", "created_at": AT}])
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


def test_the_database_clock_fills_the_clock_column(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        bulk.insert_many(conn, USERS, [{"name": "ann", "role": "clerk"}], clock_column="created_at")
    with engine.connect() as conn:
        created = conn.execute(select(User.created_at)).scalar_one()
    engine.dispose()
    # the database server's real clock, not a value from this process (tests' clocks are simulated)
    assert abs(created - datetime.now(timezone.utc)) < timedelta(minutes=5)
