"""Revision 0015 (decisions 230, 231): the guards cheaper to run, refusing what they refused.

On a database holding data made before it, the upgrade replaces the SQL `mediator_is_admin()` (planned again in
every statement that called it) with the PL/pgSQL one and the seven-query history check with the one-pass one.
The one-pass check still refuses each line of §7.2 (tests/db/test_logins.py tries every one); here also what
only a check over several rows shows: the refusal is the first check's in the old order, whatever the rows.
Logins made here are named `t_commit_<unique>_<role>` and dropped at the end.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import psycopg
import pytest
from sqlalchemy import text

from mediator_app.db import migrate
from mediator_app.services import casework, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.db import feeds
from tests.db.test_logins import Server, opened_case

#: `mediator_is_admin()` as revisions 0010 and 0013 made it
OLD_IS_ADMIN = """CREATE OR REPLACE FUNCTION mediator_is_admin() RETURNS boolean LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
        OR pg_catalog.pg_has_role(session_user, (SELECT n.nspowner FROM pg_catalog.pg_namespace n
                                                 WHERE n.nspname = current_schema()), 'MEMBER') $$"""

#: a stand-in for the seven-query history check of revisions 0011 and 0013 (the downgrade keeps the one-pass check,
#: so the upgrade would find it in place): any source without the one-pass check's marks
OLD_HISTORY_CHECK = """CREATE OR REPLACE FUNCTION mediator_history_check() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN RETURN NULL; END $$"""


def _guard_sources(ctx: Context) -> tuple[str, str]:
    """(the language of mediator_is_admin, the history check's source)."""
    with ctx.engine.connect() as conn:
        rows = dict(conn.execute(text(
            "SELECT p.proname, l.lanname || ':' || p.prosrc FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang WHERE n.nspname = current_schema() "
            "AND p.proname IN ('mediator_is_admin', 'mediator_history_check')")).all())
    return rows["mediator_is_admin"].split(":", 1)[0], rows["mediator_history_check"]


def test_0015_gives_an_older_database_the_cheaper_guards(ctx: Context) -> None:
    report = ingest_events(ctx, [feeds.opened("E-1")])
    assert report.rejected == [] and report.applied == 1
    casework.note(ctx, "D-1", "alice", "before the upgrade")
    migrate.upgrade(ctx.engine, "0014")  # the revision before (its downgrade keeps the guards as they are)
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.begin() as conn:
            conn.execute(text(OLD_IS_ADMIN))
            conn.execute(text(OLD_HISTORY_CHECK))
        language, check = _guard_sources(ctx)
        assert language == "sql" and "ORDER BY c.failed LIMIT 1" not in check
    assert migrate.current_revision(ctx.engine) == "0014"
    migrate.upgrade(ctx.engine, "0015")
    assert migrate.current_revision(ctx.engine) == "0015"
    if ctx.engine.dialect.name == "postgresql":
        language, check = _guard_sources(ctx)
        assert language == "plpgsql" and "ORDER BY c.failed LIMIT 1" in check and "records the role" in check
    casework.note(ctx, "D-1", "alice", "after the upgrade")  # the application's own writes go on
    case = reading.show(ctx, "D-1")
    assert case["version"] == 3 and [e["kind"] for e in case["timeline"]][-2:] == ["note.added", "note.added"]


# the one-pass history check, as users' logins meet it (PostgreSQL) -------------------------------------------

pg_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def server(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Iterator[Server]:
    s = Server(db_url, capsys, tmp_path)
    s.tag = f"c{uuid.uuid4().hex[:8]}"
    try:
        yield s
    finally:
        s.close()


def _login(server: Server, role: str) -> str:
    return server.user(role, f"t_commit_{server.tag}_{role}")


def _rows(*rows: tuple[str, int, str, str, str, str]) -> str:
    """One INSERT of several history rows: (dispute, version, kind, actor, recorded_at, payload)."""
    values = ", ".join(f"('{d}', {v}, {v - 1}, now(), {at}, '{kind}', 'platform', '{actor}', 'forged', '{payload}')"
                       for d, v, kind, actor, at, payload in rows)
    return ("INSERT INTO history (dispute_id, version, version_before, at, recorded_at, kind, party, actor, summary, "
            f"payload) VALUES {values}")


@pg_only
def test_of_several_rows_the_refusal_is_the_first_check_any_row_fails(server: Server) -> None:
    opened_case(server)
    clerk = _login(server, "clerk")
    role = '{"replay": {"role": "clerk"}}'
    # the second row acts as someone else (a later check), the first forges its time (the first check)
    message = server.refused(clerk, _rows(("D-1", 2, "note.added", clerk, "now()", "{}"),
                                          ("D-1", 3, "note.added", "alice", "now()", role),
                                          ("D-1", 4, "note.added", clerk, "now() - interval '1 day'", role)))
    assert "recorded_at is the server's clock" in message and "version 4" in message
    # a row that fails two checks gets the earlier one's refusal: an approval by a clerk, recording no role
    message = server.refused(clerk, _rows(("D-1", 2, "note.added", clerk, "now()", role),
                                          ("D-1", 3, "ruling.approved", clerk, "now()", "{}")))
    assert f"ruling.approved (history of D-1 version 3) needs a supervisor (connected as {clerk}" in message
    # each row passes every check but one: the role it records
    message = server.refused(clerk, _rows(("D-1", 2, "note.added", clerk, "now()", role),
                                          ("D-1", 3, "note.added", clerk, "now()", '{"replay": {"role": "x"}}')))
    assert f"history of D-1 version 3 records the role x, but {clerk} is a clerk" in message


@pg_only
def test_a_superuser_that_owns_nothing_is_an_administrator_and_a_user_is_not(server: Server) -> None:
    """`mediator_is_admin()` asks only pg_has_role(…, 'MEMBER'): a superuser is a member of every role."""
    opened_case(server)
    clerk = _login(server, "clerk")
    superuser = f"t_commit_{server.tag}_super"
    admin = server.session("postgres")
    admin.execute(f'CREATE ROLE "{superuser}" LOGIN SUPERUSER')
    admin.commit()
    server.logins.append(superuser)
    forged = _rows(("D-1", 2, "note.added", "alice", "now()", "{}"))
    conn = server.session(superuser)
    assert conn.execute("SELECT mediator_is_admin()").fetchone() == (True,)
    conn.execute(forged)  # trusted, as §7.1 says: only detected afterwards (§7.3)
    conn.rollback()
    assert server.session(clerk).execute("SELECT mediator_is_admin()").fetchone() == (False,)
    assert f"connected as {clerk}; cannot act as alice" in server.refused(clerk, forged)
    with pytest.raises(psycopg.Error):  # the deferred check of a user's dispute change still runs at commit
        with server.session(clerk) as session:
            session.execute("UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'")
