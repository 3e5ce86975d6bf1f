"""What every use case needs: the database, the clock, and which workstation acts."""
from __future__ import annotations

import socket
from collections import Counter
import time
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from mediator_app.db.store import StaleWrite
from mediator_app.domain.time import Clock

T = TypeVar("T")
ATTEMPTS = 6
#: How often this process retried a transaction, by cause (for benchmarks and the reliability report).
RETRIES: Counter[str] = Counter()


@dataclass(frozen=True)
class Context:
    engine: Engine
    clock: Clock
    workstation: str = field(default_factory=socket.gethostname)
    #: how a retry waits for a restarting server (tests inject one that does not sleep)
    pause: Callable[[float], None] = field(default=time.sleep, compare=False)
    #: the offline bundle file this context reads (§6), None for a live database
    bundle: str | None = None


class DatabaseUnavailable(Exception):
    """The database could not be reached (or the connection broke) after retrying; the caller may try later.

    Every write path is safe to retry: feed events by event_id, sweeps by the state they re-read, clerk
    actions by their idempotency key.
    """


class CaseBusy(DatabaseUnavailable):
    """A row this transaction needs stayed locked by another session beyond `lock_timeout` (PostgreSQL): the
    work was not done and may be tried again. Callers that know the case say which ("D-1 is being written by
    another process; try again")."""


def with_retries(work: Callable[[], T], attempts: int = ATTEMPTS, pause: Callable[[float], None] = time.sleep,
                 retry_busy: bool = False) -> T:
    """Run one transaction again when another writer got there first (compare-and-set lost, unique key hit)
    or the connection broke.

    Each attempt re-reads everything, so a retry is judged against the fresh state; nothing is applied twice
    because the losing attempt's transaction was rolled back, and a commit whose outcome is unknown is
    recognised by its idempotency key or event id. A lock not had within `lock_timeout` raises CaseBusy at once
    (a clerk hears of it in seconds, decision 72) unless `retry_busy` (feed ingest, which waits its turn).
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (StaleWrite, IntegrityError):
            RETRIES["lost_race"] += 1
            if attempt == attempts:
                raise
        except DBAPIError as exc:
            if _sqlstate(exc) == LOCK_NOT_AVAILABLE:
                RETRIES["busy"] += 1
                if not retry_busy or attempt == attempts:
                    raise CaseBusy("a case is being written by another process; try again") from exc
            elif _sqlstate(exc) == QUERY_CANCELED:
                raise DatabaseUnavailable("the database took too long to answer (statement_timeout); try again") \
                    from exc
            elif _is_transient(exc):
                RETRIES["transient"] += 1
                if attempt == attempts:
                    raise
            elif _is_disconnect(exc):
                RETRIES["disconnect"] += 1
                if attempt == attempts:
                    raise DatabaseUnavailable(f"the database is out of reach: {exc.orig}") from exc
                pause(min(0.2 * 2 ** attempt, 2.0))  # give a restarting server a moment
            else:
                raise
    raise AssertionError("unreachable")


LOCK_NOT_AVAILABLE, QUERY_CANCELED = "55P03", "57014"  # PostgreSQL: lock_timeout, statement_timeout


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def _is_disconnect(exc: DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return True
    text = str(exc.orig).lower()
    return any(s in text for s in ("connection", "terminating", "server closed", "shutdown"))


def _is_transient(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return any(s in text for s in ("database is locked", "deadlock detected", "could not serialize"))
