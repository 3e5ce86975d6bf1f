"""Shared fixtures: a fresh, upgraded database per test on SQLite and (when configured) PostgreSQL."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("MEDIATOR_DB", None)
os.environ.pop("MEDIATOR_NOW", None)

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from mediator_app.db import migrate, privileges, store  # noqa: E402
from mediator_app.db.engine import make_engine  # noqa: E402
from mediator_app.domain.time import FixedClock  # noqa: E402
from mediator_app.services.context import Context  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "contract" / "examples"
PG_ENV = "MEDIATOR_TEST_PG"
T0 = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)  # the examples' opening time (10:00 in Shanghai)


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _require_pg() -> str:
    url = pg_base_url()
    if url is None and os.environ.get("MEDIATOR_REQUIRE_PG"):
        pytest.fail(f"MEDIATOR_REQUIRE_PG is set but {PG_ENV} is not: the PostgreSQL tests are required here")
    if url is None:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests skipped (CI sets it and requires them)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, upgraded database: an SQLite file, or a fresh schema in the test PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cases.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
        return
    base = _require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, pool_pre_ping=True)  # survives a server restart during the test
    with admin.begin() as conn:  # fails loudly when PostgreSQL is configured but unreachable
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            privileges.drop_groups(conn, conn.exec_driver_sql("SELECT current_database()").scalar_one(), schema)
        admin.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def ctx(db_url: str, clock: FixedClock) -> Iterator[Context]:
    """Services on the test database with users alice (clerk), bob and sam (supervisors), dora (auditor).

    They are rows of `users` only (no PostgreSQL logins: logins are the server's, shared by every test): the
    tests connect as the administrator and name them with `--as`, as §7.1 lets an administrator."""
    engine = make_engine(db_url)
    context = Context(engine, clock, workstation="test")
    with engine.begin() as conn:
        for name, role in (("alice", "clerk"), ("carol", "clerk"), ("bob", "supervisor"), ("sam", "supervisor"),
                           ("dora", "auditor")):
            store.add_user(conn, name, role, clock.now())
    yield context
    engine.dispose()


@pytest.fixture
def examples() -> Path:
    assert EXAMPLES.is_dir(), f"contract examples not found at {EXAMPLES}"
    return EXAMPLES
