"""Bulk writes through the driver behave like SQLAlchemy's: same values stored, same errors raised."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from mediator_app.db import bulk, store
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import History, User
from mediator_app.db.store import StaleWrite
from mediator_app.domain import actions
from mediator_app.domain.dispute import DisputeState
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.feeds import T0, opened

USERS = User.__table__
AT = datetime(2026, 11, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def send_insert(conn: Connection, *args: Any, **kwargs: Any) -> None:
    bulk.Writes(conn).insert(*args, **kwargs).send()


def send_update(conn: Connection, *args: Any, **kwargs: Any) -> int:
    return bulk.Writes(conn).update(*args, **kwargs).send()[0]


SIZES = pytest.mark.parametrize("count", [2, bulk.COPY_FROM + 5], ids=["a few rows", "COPY on PostgreSQL"])


def users(count: int) -> list[dict[str, object]]:
    return [{"name": f"user-{n:03}", "role": "clerk" if n % 2 else "supervisor", "created_at": AT}
            for n in range(count)]


@SIZES
def test_inserted_rows_read_back_as_written(db_url: str, count: int) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        send_insert(conn, USERS, users(count))
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
            send_insert(conn, USERS, [*users(count), users(1)[0]])
    with engine.connect() as conn:
        assert conn.execute(select(User.name)).all() == []
    engine.dispose()


def test_an_update_changes_only_rows_that_match_and_counts_them(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        send_insert(conn, USERS, [{"name": n, "role": "clerk", "created_at": AT} for n in ("ann", "ben")])
        changed = send_update(conn, USERS, [{"b_name": "ann", "b_role": "clerk", "role": "supervisor"},
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
        send_insert(conn, USERS, [{"name": u["name"], "role": u["role"]} for u in users(count)],
                         clock_column="created_at")
    with engine.connect() as conn:
        created = conn.execute(select(User.created_at)).scalars().all()
    engine.dispose()
    # the database server's real clock, not a value from this process (tests' clocks are simulated)
    assert len(created) == count
    assert all(abs(at - datetime.now(timezone.utc)) < timedelta(minutes=5) for at in created)


@SIZES
def test_writes_send_their_statements_in_order_and_count_each(db_url: str, count: int) -> None:
    """A few rows go to PostgreSQL in one pipeline; more than COPY_FROM by COPY, one statement at a time."""
    engine = make_engine(db_url)
    with engine.begin() as conn:
        send_insert(conn, USERS, [{"name": "ann", "role": "clerk", "created_at": AT}])
        writes = bulk.Writes(conn)
        writes.update(USERS, [{"b_name": "ann", "role": "supervisor"}, {"b_name": "nobody", "role": "clerk"}],
                      where=(("name", "b_name"),))
        if writes.postgresql:  # a setting among them has no count, on the pipeline's path and COPY's alike
            writes.statement("SET LOCAL application_name = 'bulk-count'")
        writes.insert(USERS, users(count))
        writes.update(USERS, [{"b_name": "user-000", "role": "auditor"}], where=(("name", "b_name"),))
        counts = writes.send()
    with engine.connect() as conn:
        roles = dict(conn.execute(select(User.name, User.role)).all())
    engine.dispose()
    assert counts == [1, count, 1]  # the second update sees the insert before it
    assert roles["ann"] == "supervisor" and roles["user-000"] == "auditor" and len(roles) == count + 1


def test_a_duplicate_in_a_pipeline_is_sqlalchemys_integrity_error(db_url: str) -> None:
    engine = make_engine(db_url)
    with pytest.raises(IntegrityError):
        with engine.begin() as conn:
            writes = bulk.Writes(conn)
            writes.insert(USERS, users(2))
            writes.insert(USERS, users(1))
            writes.send()
    with engine.connect() as conn:
        assert conn.execute(select(User.name)).all() == []
    engine.dispose()


def test_a_stale_version_writes_nothing(ctx: Context) -> None:
    """The compare-and-set on `version`: a dispute changed meanwhile raises StaleWrite, and the history row sent
    with the update (in the same pipeline on PostgreSQL) goes with the rolled-back transaction."""
    ingest_events(ctx, [opened("D-1")])
    state = show_state(ctx, "D-1")
    changed, change = actions.add_note(state, actions.Actor("alice", "clerk"), T0, "first")
    with pytest.raises(StaleWrite):
        with ctx.engine.begin() as conn:
            store.write_disputes(conn, [(changed, state.version + 1, [change])], T0, "test")  # not its version
    assert show_state(ctx, "D-1").version == state.version
    with ctx.engine.connect() as conn:
        assert conn.execute(select(History.kind).where(History.dispute_id == "D-1")).scalars().all() == \
            ["dispute.opened"]


def show_state(ctx: Context, dispute_id: str) -> DisputeState:
    with ctx.engine.connect() as conn:
        state = store.load_dispute(conn, dispute_id, for_update=False)
    assert state is not None
    return state


def test_a_single_converted_column_is_converted(db_url: str) -> None:
    """A one-column update of a time: the column's type still converts it (UTC, the SQLite text form)."""
    engine = make_engine(db_url)
    later = AT + timedelta(days=1)
    with engine.begin() as conn:
        send_insert(conn, USERS, users(1))
        assert send_update(conn, USERS, [{"b_name": "user-000", "created_at": later}],
                                where=(("name", "b_name"),)) == 1
    with engine.connect() as conn:
        assert conn.execute(select(User.created_at)).scalar_one() == later
        raw = conn.exec_driver_sql("SELECT created_at FROM users").scalar_one()
    engine.dispose()
    if db_url.startswith("sqlite"):  # stored as every other time is, naive UTC text, so comparisons hold
        assert raw == later.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def test_one_row_writes_on_separate_tables_are_counted_as_if_sent_one_by_one(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL they go as one WITH statement (decision 232), a `SET LOCAL` among them first; the counts
    are each write's, in order, and a write that matches nothing counts 0 (the compare-and-set reads it)."""
    from mediator_app.db.schema import Presence

    presence = Presence.__table__
    engine = make_engine(db_url)
    with engine.begin() as conn:
        send_insert(conn, USERS, [{"name": "ann", "role": "clerk", "created_at": AT}])
    if engine.dialect.name == "postgresql":  # the pipeline is not what carries them
        monkeypatch.setattr(bulk, "_pipelined", lambda conn, steps: pytest.fail("sent as a pipeline"))
    for who, expected in (("ann", 1), ("nobody", 0)):
        with engine.begin() as conn:
            writes = bulk.Writes(conn)
            writes.update(USERS, [{"b_name": who, "role": "supervisor"}], where=(("name", "b_name"),))
            if writes.postgresql:
                writes.statement("SET LOCAL application_name = 'bulk-test'")
            writes.insert(presence, [{"user_name": who, "workstation": w, "dispute_id": None, "expires_at": AT}
                                     for w in ("ws-1", "ws-2")])
            assert writes.send() == [expected, 2]
            if writes.postgresql:
                assert conn.exec_driver_sql("SHOW application_name").scalar_one() == "bulk-test"
    with engine.connect() as conn:
        assert dict(conn.execute(select(User.name, User.role)).all()) == {"ann": "supervisor"}
        assert conn.execute(select(presence.c.user_name, presence.c.workstation)
                            .order_by(presence.c.user_name, presence.c.workstation)).all() == \
            [("ann", "ws-1"), ("ann", "ws-2"), ("nobody", "ws-1"), ("nobody", "ws-2")]
    engine.dispose()
