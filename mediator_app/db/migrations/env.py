"""Alembic environment: run from `mediator db upgrade` with a connection handed in (see db/migrate.py)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from mediator_app.db.schema import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `mediator db upgrade` (mediator_app.db.migrate.upgrade)")
_run(connection)
