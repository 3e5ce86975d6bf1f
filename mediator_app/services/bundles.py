"""Opening an offline bundle (§6) as the services' database: a Context over the bundle file."""
from __future__ import annotations

from pathlib import Path

from mediator_app.db import bundle_file
from mediator_app.db.clock import DatabaseClock
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import Clock

from .context import Context


def open_bundle(path: str | Path, clock: Clock | None = None, writable: bool = False) -> Context:
    """Read-only unless `writable` (drafts, sync outcomes). Without a clock: the machine's (the bundle's SQLite
    `now`), so countdowns run on in a bundle while nothing executes."""
    try:
        engine = bundle_file.open_bundle(path, writable=writable)
        if not bundle_file.is_bundle(engine):
            engine.dispose()
            raise Rejection(f"{path} is not an offline bundle")
    except bundle_file.NotABundle as exc:
        raise Rejection(str(exc)) from None
    except Rejection:
        raise
    except Exception as exc:  # a file that is not SQLite at all
        raise Rejection(f"{path} is not an offline bundle ({exc.__class__.__name__})") from None
    return Context(engine, clock if clock is not None else DatabaseClock(engine), bundle=str(path))
