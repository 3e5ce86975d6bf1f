"""The outbound feed's use cases (§8.2): read in `seq` order, follow as events commit, ack, consumers' lag.

Roles (§8.2: `service` users and administrators read and ack on PostgreSQL; on SQLite whoever opens the file)
are checked by `authorize`, which every use case here calls first (`services.acting`, the one home of who acts).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import Connection

from mediator_app.db import outbox, store
from mediator_app.db.engine import is_postgres
from mediator_app.domain.desk import lag_warning
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import format_utc

from . import acting
from .changes import listener_connect
from .context import Context, DatabaseUnavailable, with_retries
from .reading import read as read_only

NAME_MAX = 128  # outbox_consumers.name
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
POLL_SECONDS = 1.0  # SQLite: how often `follow` looks for new events
#: PostgreSQL: `follow` reads even without a notification this often (a notification lost with a connection)
QUIET_SECONDS = 10.0
#: the desk's warning threshold: a consumer more events behind than this is shown as a warning
LAG_WARNING_SETTING = "outbox/lag_warning_events"
LAG_WARNING_DEFAULT = 1000


def authorize(ctx: Context, user: str | None, what: str) -> None:
    """Who may read or ack the outbound feed (§8.2): the connection's login decides (`user` is not asked:
    the command takes no `--as`)."""
    acting.authorize_outbox(ctx, what)


@dataclass(frozen=True)
class Page:
    lines: list[str]  # each event as a JSON object text, `seq` first
    next: int

    def to_json_text(self) -> str:
        return f'{{"events": [{", ".join(self.lines)}], "next": {self.next}}}'


def read(ctx: Context, after: int = 0, limit: int = DEFAULT_LIMIT, user: str | None = None) -> Page:
    """The committed events with `seq` > `after`, in `seq` order, at most `limit`; `next` to pass on."""
    authorize(ctx, user, "read")
    rows = read_only(ctx, lambda conn: outbox.read_lines(conn, after, limit))
    return Page([line for _, line in rows], rows[-1][0] if rows else after)


def start_after(ctx: Context, consumer: str) -> int:
    """Where consumer NAME starts: after its acked position (an unknown consumer starts at 0)."""
    return read_only(ctx, lambda conn: outbox.consumer_position(conn, consumer)) or 0


def follow(ctx: Context, after: int, emit: Callable[[list[str]], None], stop: threading.Event,
           user: str | None = None) -> int:
    """Hand every event after `after` to `emit` as it commits, in batches, until `stop` is set; returns the
    last `seq` handed out. PostgreSQL: woken by the notifications every writing transaction sends at commit
    (the windows' channel); SQLite: polling every second."""
    authorize(ctx, user, "read")

    def drain() -> None:
        nonlocal after
        while not stop.is_set():
            page = read(ctx, after, MAX_LIMIT)
            if page.lines:
                emit(page.lines)
                after = page.next
            if len(page.lines) < MAX_LIMIT:
                return

    if not is_postgres(ctx.engine):
        while not stop.is_set():
            drain()
            stop.wait(POLL_SECONDS)
        return after
    import psycopg  # PostgreSQL's driver, here only (an SQLite command never imports it, decision 190)

    delay = 0.5
    while not stop.is_set():
        try:
            with listener_connect(ctx) as listener:
                listener.execute(f"LISTEN {store.CHANNEL}")  # before reading: nothing committed after is missed
                delay = 0.5
                drain()
                quiet = 0.0
                while not stop.is_set():
                    woken = False
                    for _ in listener.notifies(timeout=0.25, stop_after=1):
                        woken = True
                    if woken:  # one read answers every commit announced so far
                        for _ in listener.notifies(timeout=0.0):
                            pass
                    quiet = 0.0 if woken else quiet + 0.25
                    if woken or quiet >= QUIET_SECONDS:
                        quiet = 0.0
                        drain()
        except (psycopg.OperationalError, DatabaseUnavailable):  # the server went away: catch up once back
            stop.wait(delay)
            delay = min(delay * 2, 10.0)
    return after


def ack(ctx: Context, name: str, seq: int, user: str | None = None) -> dict[str, Any]:
    """Store consumer `name`'s position `seq` at `now`: never backwards; the same `seq` again changes nothing;
    beyond the last committed event is refused. Returns the consumer as `consumers` lists it."""
    authorize(ctx, user, "ack")
    if seq < 0:
        raise ValueError("a position is never negative")
    if not 1 <= len(name) <= NAME_MAX or not name.isprintable() or name != name.strip():
        raise Rejection(f"a consumer name is 1-{NAME_MAX} printable characters without spaces around them "
                        f"(got {name!r})")

    def attempt() -> dict[str, Any]:
        with ctx.engine.begin() as conn:
            outbox.lock_consumer_table(conn)
            current = outbox.consumer_position(conn, name, for_update=True)
            last = outbox.last_seq(conn)
            if current is not None and seq < current:
                raise Rejection(f"consumer {name} is at {current}: a position never moves backwards (got {seq})")
            if seq > last:
                raise Rejection(f"{seq} is beyond the last committed event ({last})")
            if current != seq:
                outbox.store_position(conn, name, seq, ctx.clock.now(), new=current is None)
            return _consumer(conn, name)

    return with_retries(attempt)


def _consumer(conn: Connection, name: str) -> dict[str, Any]:
    return next(_json(c) for c in outbox.consumers(conn) if c["name"] == name)


def _json(c: dict[str, Any]) -> dict[str, Any]:
    return {"name": c["name"], "after": c["after"], "acked_at": format_utc(c["acked_at"]), "behind": c["behind"]}


def consumers(ctx: Context, user: str | None = None) -> list[dict[str, Any]]:
    """Every consumer: `{"name", "after", "acked_at", "behind"}` (`behind`: committed events after `after`)."""
    authorize(ctx, user, "read")
    return [_json(c) for c in read_only(ctx, outbox.consumers)]


@dataclass(frozen=True)
class ConsumerLag:
    name: str
    after: int
    acked_at: datetime
    behind: int
    warning: bool  # more than the threshold behind: refunds may not be being paid


def consumer_lag(ctx: Context, warn_behind: int = LAG_WARNING_DEFAULT) -> list[ConsumerLag]:
    """For the supervisor's desk: each consumer and how far behind it is, with the warning past the threshold
    (the desk reads `warn_behind` from its settings, key `LAG_WARNING_SETTING`)."""
    return [ConsumerLag(c["name"], c["after"], c["acked_at"], c["behind"], lag_warning(c["behind"], warn_behind))
            for c in read_only(ctx, outbox.consumers)]
