"""What a workstation does before it shows data: schema up to date, demo data on an empty embedded database."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select

from mediator_app.db import migrate
from mediator_app.db.schema import Dispute

from .context import Context
from .demo import fill_demo
from .reading import read

FIRST_RUN_DEMO_DISPUTES = 3000
FIRST_RUN_DEMO_SEED = 2024


def prepare_database(ctx: Context, demo_when_empty: bool,
                     progress: Callable[[int, int], None] | None = None) -> bool:
    """Upgrade the schema; fill demo data when asked and the database has no dispute. True if demo was added."""
    migrate.upgrade(ctx.engine)
    if not demo_when_empty:
        return False
    if read(ctx, lambda conn: conn.execute(select(func.count()).select_from(Dispute)).scalar_one()) > 0:
        return False
    fill_demo(ctx, FIRST_RUN_DEMO_DISPUTES, FIRST_RUN_DEMO_SEED, progress, desk=True)
    return True
