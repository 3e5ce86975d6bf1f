"""`show` and `queue`: read-only views at the clock's `now`; nothing is executed here."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from sqlalchemy import Connection

from mediator_app.db import store
from mediator_app.db.engine import READ_ONLY
from mediator_app.domain.errors import Rejection
from mediator_app.domain.case_view import CaseSnapshot, TimelineEntry, case_view
from mediator_app.domain.view import case_json

from .context import Context, with_retries

T = TypeVar("T")


def read(ctx: Context, work: Callable[[Connection], T]) -> T:
    """One read-only transaction, tried again when the connection breaks (reads are always safe to repeat)."""
    def attempt() -> T:
        with ctx.engine.connect().execution_options(**READ_ONLY) as conn:
            return work(conn)
    return with_retries(attempt, pause=ctx.pause)


def show_view(ctx: Context, dispute_id: str) -> tuple[CaseSnapshot, tuple[TimelineEntry, ...]]:
    """The case at the clock's `now`, typed, with its timeline (oldest first)."""
    def load(conn: Connection) -> tuple[Any, list[dict[str, Any]]]:
        return store.load_dispute(conn, dispute_id, for_update=False), store.timeline(conn, dispute_id)

    state, rows = read(ctx, load)
    if state is None:
        raise Rejection(f"unknown dispute {dispute_id}")
    timeline = tuple(TimelineEntry(r["at"], r["kind"], r["party"], r["summary"], r["actor"], r["version"],
                                   r["event_id"], r["payload"]) for r in rows)
    return case_view(state, ctx.clock.now()), timeline


def show_json(view: CaseSnapshot, timeline: tuple[TimelineEntry, ...]) -> dict[str, Any]:
    """The `show` object (§4) from the typed view."""
    out = view.to_json()
    out["timeline"] = [entry.to_json() for entry in timeline]
    return out


def show(ctx: Context, dispute_id: str) -> dict[str, Any]:
    return show_json(*show_view(ctx, dispute_id))


def queue(ctx: Context, limit: int | None = None) -> list[dict[str, Any]]:
    states = read(ctx, lambda conn: store.queue_states(conn, limit))
    now = ctx.clock.now()
    return [case_json(state, now) for state in states]


def stage_counts(ctx: Context) -> dict[str, int]:
    """How many disputes are in each stage (closed included)."""
    return read(ctx, store.count_by_stage)
