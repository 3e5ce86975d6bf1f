"""Schema migrations with Alembic, driven from code (no alembic.ini needed)."""
from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
#: what a long migration says per batch (revision 0011's backfill); printed to stderr unless configured otherwise
progress_log = logging.getLogger("mediator_app.db.migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache  # reading the scripts costs 15-30 ms; they do not change while a process runs
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect().execution_options(mediator_read_only=True) as conn:  # never waits on a writer
        return MigrationContext.configure(conn).get_current_revision()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or migrate the schema (the same migration runs on SQLite and PostgreSQL).

    A revision older than the current one migrates down to it (for tests and rollbacks).
    """
    config = alembic_config()
    current = current_revision(engine)
    script = ScriptDirectory.from_config(config)
    going_down = (revision != "head" and current is not None and current != revision
                  and revision in {r.revision for r in script.iterate_revisions(current, "base")})
    if not progress_log.handlers and not logging.getLogger().handlers:
        progress_log.addHandler(logging.StreamHandler(sys.stderr))
        progress_log.setLevel(logging.INFO)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # a migration may rewrite every row: no statement time limit
            conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
            conn.exec_driver_sql("SET LOCAL idle_in_transaction_session_timeout = 0")
        config.attributes["connection"] = conn
        if going_down:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)
