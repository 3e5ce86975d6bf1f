"""Which database this is (§6): its permanent random id, schema revision and backend."""
from __future__ import annotations

from typing import Any

from mediator_app.db import migrate, store

from .context import Context
from .reading import read


def database_info(ctx: Context) -> dict[str, Any]:
    return {"database_id": read(ctx, store.database_id), "revision": migrate.current_revision(ctx.engine),
            "backend": ctx.engine.dialect.name}
