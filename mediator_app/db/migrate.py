"""Schema migrations with Alembic, driven from code (no alembic.ini needed)."""
from __future__ import annotations

import ast
import functools
import logging
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
#: what a long migration says per batch (revision 0011's backfill); printed to stderr unless configured otherwise
progress_log = logging.getLogger("mediator_app.db.migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache  # reading the scripts costs 15-30 ms; they do not change while a process runs
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect().execution_options(mediator_read_only=True) as conn:  # never waits on a writer
        return MigrationContext.configure(conn).get_current_revision()


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@functools.cache
def script_head() -> str | None:
    """The head revision read from the scripts' `revision = …` / `down_revision = …` lines, without Alembic
    (importing it costs a command ~0.1 s); None when they do not make one chain with one head (then Alembic
    decides). Held to `head_revision()` by tests/unit/test_lazy_imports.py."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        try:
            revision, down = ast.literal_eval(found["revision"]), ast.literal_eval(found.get("down_revision", "None"))
        except (ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else list(down or ()))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def stored_revisions(conn: Connection) -> list[str] | None:
    """The revisions Alembic's `alembic_version` table holds, read with plain SQL; None without the table."""
    if conn.dialect.name == "sqlite":
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
    else:  # the table in the connection's search_path, as Alembic looks for it
        exists = conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar_one()
    if not exists:
        return None
    return [str(row[0]) for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]


def is_up_to_date(engine: Engine) -> bool:
    """Whether the schema is at the head. The common answer, yes, costs one read and no Alembic import
    (decision 190); any other case is Alembic's to judge."""
    head = script_head()
    if head is not None:
        with engine.connect().execution_options(mediator_read_only=True) as conn:
            if stored_revisions(conn) == [head]:
                return True
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or migrate the schema (the same migration runs on SQLite and PostgreSQL).

    A revision older than the current one migrates down to it (for tests and rollbacks).
    """
    from alembic.script import ScriptDirectory

    config = alembic_config()
    current = current_revision(engine)
    script = ScriptDirectory.from_config(config)
    going_down = (revision != "head" and current is not None and current != revision
                  and revision in {r.revision for r in script.iterate_revisions(current, "base")})
    if not progress_log.handlers and not logging.getLogger().handlers:
        progress_log.addHandler(logging.StreamHandler(sys.stderr))
        progress_log.setLevel(logging.INFO)
    with engine.begin() as conn:
        rewritten = run_in(conn, config, revision, going_down)
    vacuum_rewritten(engine, rewritten)


def run_in(conn: Connection, config: Config | None = None, revision: str = "head",
           going_down: bool = False) -> set[str]:
    """Migrate inside the caller's transaction (an offline bundle's upgrade holds its write lock from the backup
    copy to the commit); returns the tables the migrations rewrote (see vacuum_rewritten)."""
    from alembic import command

    config = config if config is not None else alembic_config()
    if conn.dialect.name == "postgresql":  # a migration may rewrite every row: no statement time limit
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        conn.exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0")
    config.attributes["connection"] = conn
    if going_down:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)
    return set(config.attributes.pop(REWRITTEN, ()))


def known_revisions() -> set[str]:
    """Every revision this code's migrations know (a schema at another one was made by newer code)."""
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def triggers_aside(conn: Connection, table: str) -> Callable[[], Any]:
    """`table`'s own triggers off for the rest of a migration's backfill (it changes no row as the triggers mean:
    nothing to announce or to check); returns what turns them back on. Both steps are DDL inside the migration's
    transaction, so a failure's rollback turns them back on as well."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        return lambda: conn.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    triggers = [(str(name), str(sql)) for name, sql in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))]
    for name, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')

    def restore() -> None:
        for _, sql in triggers:
            conn.exec_driver_sql(sql)
    return restore


#: `config.attributes` key under which a migration names the tables whose rows it rewrote (see vacuum_rewritten)
REWRITTEN = "rewritten_tables"


def vacuum_rewritten(engine: Engine, tables: Iterable[str]) -> None:
    """PostgreSQL: VACUUM (ANALYZE) the tables a migration rewrote, after its commit (VACUUM cannot run in a
    transaction). An UPDATE of many rows clears their pages' visibility bits, and the queue's, the desk's and
    the sheet's index-only scans then visit the table for every row until the table is vacuumed, which
    autovacuum does only once a fifth of it is dead (revision 0014 on 200,000 open of 1,200,000: never soon)."""
    if engine.dialect.name != "postgresql":
        return
    for table in sorted(set(tables)):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("SET statement_timeout = 0")
            progress_log.info("VACUUM (ANALYZE) %s", table)
            conn.exec_driver_sql(f'VACUUM (ANALYZE) "{table}"')
