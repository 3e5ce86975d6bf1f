"""`show` and `queue`: read-only views at the clock's `now`; nothing is executed here."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from sqlalchemy import Connection

from mediator_app.db import store
from mediator_app.db.engine import READ_ONLY
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import format_utc
from mediator_app.domain.view import case_json

from .context import Context, with_retries

T = TypeVar("T")


def read(ctx: Context, work: Callable[[Connection], T]) -> T:
    """One read-only transaction, tried again when the connection breaks (reads are always safe to repeat)."""
    def attempt() -> T:
        with ctx.engine.connect().execution_options(**READ_ONLY) as conn:
            return work(conn)
    return with_retries(attempt, pause=ctx.pause)


def show(ctx: Context, dispute_id: str) -> dict[str, Any]:
    return show_with_state(ctx, dispute_id)[1]


def show_with_state(ctx: Context, dispute_id: str) -> tuple[DisputeState, dict[str, Any]]:
    """`show`, and the state it was made from (one read)."""
    def load(conn: Connection) -> tuple[Any, list[dict[str, Any]]]:
        return store.load_dispute(conn, dispute_id, for_update=False), store.timeline(conn, dispute_id)

    state, rows = read(ctx, load)
    if state is None:
        raise Rejection(f"unknown dispute {dispute_id}")
    out = case_json(state, ctx.clock.now())
    out["timeline"] = [{"at": format_utc(r["at"]), "kind": r["kind"], "party": r["party"], "summary": r["summary"],
                        "actor": r["actor"], "version": r["version"], "event_id": r["event_id"],
                        "payload": r["payload"]} for r in rows]
    return state, out


def queue(ctx: Context, limit: int | None = None) -> list[dict[str, Any]]:
    states = read(ctx, lambda conn: store.queue_states(conn, limit))
    now = ctx.clock.now()
    return [case_json(state, now) for state in states]


def stage_counts(ctx: Context) -> dict[str, int]:
    """How many disputes are in each stage (closed included)."""
    return read(ctx, store.count_by_stage)
