"""Clerk and supervisor actions: one transaction each, compare-and-set on the dispute's version."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Callable, Sequence

from sqlalchemy import Connection

from mediator_app.db import store
from mediator_app.domain import actions
from mediator_app.domain.actions import Actor
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.judge import Judgement, judge_action
from mediator_app.domain.transitions import Change

from . import reading
from .context import Context, with_retries
from .feed import executed_json

Step = Callable[[DisputeState, Actor, datetime], tuple[DisputeState, Change]]


@dataclass(frozen=True)
class ActionResult:
    case: dict[str, Any]
    executed: list[dict[str, Any]]
    replayed: bool = False  # the idempotency key was already applied: nothing was done again


def _actor(conn: Connection, user: str, action: str) -> Actor:
    return _checked_actor(user, store.get_user_role(conn, user), action)


def _checked_actor(user: str, role: str | None, action: str) -> Actor:
    if role is None:
        raise Rejection(f"unknown user {user!r}")
    actor = Actor(user, role)
    actions.check_permission(actor, action)
    return actor


def apply_action(ctx: Context, dispute_id: str, user: str, action: str, step: Step,
                 expect_version: int | None, key: str) -> Judgement | None:
    """The write of one action: one transaction, committed when this returns (None: `key` was applied already).

    With an idempotency `key`, an action already applied under that key is not applied again (a retry after an
    unknown outcome, e.g. a connection lost during commit)."""
    def attempt() -> Judgement | None:
        with ctx.engine.begin() as conn:
            return apply_in(conn, ctx, dispute_id, user, action, step, expect_version, key)

    return with_retries(attempt, pause=ctx.pause)


def apply_in(conn: Connection, ctx: Context, dispute_id: str, user: str, action: str, step: Step,
             expect_version: int | None, key: str,
             found: tuple[DisputeState, str | None, str | None] | None | bool = False,
             write: bool = True) -> Judgement | None:
    """`apply_action`'s work inside the caller's transaction (None: `key` was applied already). A Rejection
    raised here comes before anything was written. `found` is what `store.load_for_action` would return, when
    the caller read it already (for many actions at once, with the rows locked); False: read it here. Without
    `write` the caller stores `judgement.changes` (keyed) itself, with many others in one statement."""
    if found is False:
        found = store.load_for_action(conn, dispute_id, user, key)  # one round trip for the three reads
    if found is None:
        _actor(conn, user, action)  # who asks is judged first, as for an existing dispute
        raise Rejection(f"unknown dispute {dispute_id}")
    assert not isinstance(found, bool)
    state, role, key_used_for = found
    actor = _checked_actor(user, role, action)
    if key_used_for is not None:
        if key_used_for != dispute_id:
            raise Rejection(f"idempotency key {key!r} was already used for {key_used_for}")
        return None
    now = ctx.clock.now()
    judgement = judge_action(state, now, lambda s: step(s, actor, now), expect_version)
    changes = judgement.changes
    if changes and judgement.rejection is None and judgement.conflict is None:
        changes = [*changes[:-1], replace(changes[-1], idempotency_key=key)]
    judgement.changes = changes
    if write:
        store.store_changes(conn, judgement.state, state.version, changes, now, ctx.workstation)
    return judgement


def _perform(ctx: Context, dispute_id: str, user: str, action: str, step: Step,
             expect_version: int | None, key: str | None = None) -> ActionResult:
    """An action and its outcome: the updated case as `show` gives it (`replayed` when the key was applied)."""
    key = key or uuid.uuid4().hex  # every action has one, so retrying after a broken connection is safe
    judgement = apply_action(ctx, dispute_id, user, action, step, expect_version, key)
    if judgement is None:
        return ActionResult(reading.show(ctx, dispute_id), [], replayed=True)
    if judgement.conflict is not None:
        raise judgement.conflict
    if judgement.rejection is not None:
        raise Rejection(judgement.rejection)
    executed = [executed_json(dispute_id, c) for c in judgement.expiries]
    return ActionResult(reading.show(ctx, dispute_id), executed)


def propose(ctx: Context, dispute_id: str, user: str, remedy: str, amount: str | None = None,
            return_shipping_paid_by: str | None = None, note: str | None = None,
            expect_version: int | None = None, key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "propose",
                    lambda s, a, now: actions.propose(s, a, now, remedy, amount, return_shipping_paid_by, note),
                    expect_version, key)


def rule(ctx: Context, dispute_id: str, user: str, adopt: str, note: str | None = None,
         expect_version: int | None = None, key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "rule", lambda s, a, now: actions.rule(s, a, now, adopt, note),
                    expect_version, key)


def approve(ctx: Context, dispute_id: str, user: str, expect_version: int | None = None,
            key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "approve", actions.approve, expect_version, key)


def send_back(ctx: Context, dispute_id: str, user: str, note: str,
              expect_version: int | None = None, key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "send-back", lambda s, a, now: actions.send_back(s, a, now, note),
                    expect_version, key)


def claim(ctx: Context, dispute_id: str, user: str, expect_version: int | None = None,
          key: str | None = None, take_over: bool = True) -> ActionResult:
    """Take the case; a supervisor takes it over from another holder unless `take_over` is False."""
    return _perform(ctx, dispute_id, user, "claim",
                    lambda s, a, now: actions.claim(s, a, now, take_over=take_over), expect_version, key)


def claim_next(ctx: Context, user: str, candidates: Sequence[str]) -> ActionResult | None:
    """Claim the first of `candidates` (the clerk's current view, most urgent first) that nobody holds.

    Candidates are looked at 50 at a time, one transaction each: the free ones are tried in view order, each
    locked only if nobody else holds its row (PostgreSQL `FOR UPDATE SKIP LOCKED`: two clerks pressing "Next
    case" together get different cases without waiting; SQLite has one writer at a time), and the first
    one locked is claimed. Returns None when every candidate is taken.
    """
    key = uuid.uuid4().hex

    def attempt(chunk: list[str]) -> str | None:
        with ctx.engine.begin() as conn:
            actor = _actor(conn, user, "claim")
            if (applied := store.applied_key(conn, key)) is not None:
                return applied[0]  # an earlier attempt committed after all (its outcome was lost)
            now = ctx.clock.now()
            free = store.free_dispute_ids(conn, chunk, now)
            for dispute_id in (d for d in chunk if d in free):
                state = store.lock_if_free(conn, dispute_id, now, skip_locked=conn.dialect.name == "postgresql")
                if state is None:
                    continue
                judgement = judge_action(state, now, lambda s: actions.claim(s, actor, now, take_over=False))
                changes = judgement.changes
                if judgement.rejection is None and changes:
                    changes = [*changes[:-1], replace(changes[-1], idempotency_key=key)]
                store.store_changes(conn, judgement.state, state.version, changes, now, ctx.workstation)
                if judgement.rejection is None:
                    return dispute_id
        return None

    for start in range(0, len(candidates), 50):
        claimed = with_retries(lambda: attempt(list(candidates[start:start + 50])), pause=ctx.pause)
        if claimed is not None:
            return ActionResult(reading.show(ctx, claimed), [])
    return None


def assign(ctx: Context, dispute_id: str, user: str, to: str, expect_version: int | None = None,
           key: str | None = None) -> ActionResult:
    """A supervisor hands the case to `to` (reassignment)."""
    role = reading.read(ctx, lambda conn: store.get_user_role(conn, to))
    if role is None:
        raise Rejection(f"unknown user {to!r}")
    target = Actor(to, role)
    return _perform(ctx, dispute_id, user, "assign", lambda s, a, now: actions.assign(s, a, now, target),
                    expect_version, key)


def release(ctx: Context, dispute_id: str, user: str, expect_version: int | None = None,
            key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "release", actions.release, expect_version, key)


def note(ctx: Context, dispute_id: str, user: str, text: str, expect_version: int | None = None,
         key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "note", lambda s, a, now: actions.add_note(s, a, now, text),
                    expect_version, key)
