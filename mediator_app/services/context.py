"""What every use case needs: the database, the clock, and which workstation acts."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from mediator_app.db.store import StaleWrite
from mediator_app.domain.time import Clock

T = TypeVar("T")
ATTEMPTS = 6


@dataclass(frozen=True)
class Context:
    engine: Engine
    clock: Clock
    workstation: str = field(default_factory=socket.gethostname)


def with_retries(work: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run one transaction again when another writer got there first (compare-and-set lost, unique key hit).

    Each attempt re-reads everything, so a retry is judged against the fresh state; nothing is applied twice
    because the losing attempt's transaction was rolled back.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (StaleWrite, IntegrityError):
            if attempt == attempts:
                raise
        except OperationalError as exc:
            if attempt == attempts or not _is_transient(exc):
                raise
    raise AssertionError("unreachable")


def _is_transient(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return any(s in text for s in ("database is locked", "deadlock detected", "could not serialize"))
