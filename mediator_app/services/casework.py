"""Clerk and supervisor actions: one transaction each, compare-and-set on the dispute's version."""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Callable, Sequence

from sqlalchemy import Connection

from mediator_app.db import store
from mediator_app.domain import actions
from mediator_app.domain.permissions import Actor, check_permission
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.judge import Judgement, judge_action
from mediator_app.domain.transitions import Change

from . import reading
from .context import CaseBusy, Context, with_retries
from .feed import executed_json

Step = Callable[[DisputeState, Actor, datetime], tuple[DisputeState, Change | None]]  # None: nothing changes


@dataclass(frozen=True)
class ActionResult:
    case: dict[str, Any]
    executed: list[dict[str, Any]]
    replayed: bool = False  # the idempotency key was already applied: nothing was done again

    @property
    def dispute_id(self) -> str:
        return str(self.case["dispute_id"])


def _actor(conn: Connection, user: str, action: str) -> Actor:
    return _checked_actor(user, store.get_user_role(conn, user), action)


def _checked_actor(user: str, role: str | None, action: str) -> Actor:
    if role is None:
        raise Rejection(f"unknown user {user!r}")
    actor = Actor(user, role)
    check_permission(actor, action)
    return actor


#: The longest idempotency key (the column's width)
KEY_LIMIT = 64


def action_name(action: str, dispute_id: str, user: str, arguments: dict[str, Any] | None) -> str:
    """What an idempotency key names: the action, its dispute and a digest of who asked with which arguments
    (decision 71: `--expect-version` is a condition, not an argument, so a retry after reading again replays)."""
    digest = hashlib.sha256(json.dumps([user, arguments or {}], sort_keys=True, default=str).encode()).hexdigest()
    return f"{action} on {dispute_id} #{digest[:16]}"


def check_key(key: str | None) -> None:
    if key is not None and len(key) > KEY_LIMIT:
        raise Rejection(f"the idempotency key is {len(key)} characters long, above the limit of {KEY_LIMIT}")


def _key_reused(key: str, dispute_id: str, mine: str, used_for: str, used_action: str | None) -> Rejection | None:
    """A rejection when `key` was used for another action than `mine`; None when it is the same one (replay).
    A key from before revision 0006 names no action: the same dispute replays, as it did then."""
    if used_action is None:
        return None if used_for == dispute_id else Rejection(
            f"idempotency key {key} was already used for {used_for}")
    if used_action == mine:
        return None
    label, mine_label = used_action.rsplit(" #", 1)[0], mine.rsplit(" #", 1)[0]
    if label == mine_label:
        return Rejection(f"idempotency key {key} was used for {label} with other arguments")
    return Rejection(f"idempotency key {key} was used for {label} (already used for {used_for}: a key names "
                     "one action)")


def apply_action(ctx: Context, dispute_id: str, user: str, action: str, step: Step,
                 expect_version: int | None, key: str, arguments: dict[str, Any] | None = None) -> Judgement | None:
    """The write of one action: one transaction, committed when this returns (None: `key` was applied already).

    With an idempotency `key`, an action already applied under that key is not applied again (a retry after an
    unknown outcome, e.g. a connection lost during commit); the key names the action with its `arguments`, and
    using it for anything else is a rejection."""
    check_key(key)
    mine = action_name(action, dispute_id, user, arguments)

    def attempt() -> Judgement | None:
        with ctx.engine.begin() as conn:
            return apply_in(conn, ctx, dispute_id, user, action, step, expect_version, key, mine=mine)

    try:
        return with_retries(attempt, pause=ctx.pause)
    except CaseBusy as exc:  # another process holds the case's row beyond lock_timeout (decision 72)
        raise CaseBusy(f"{dispute_id} is being written by another process; try again") from exc


def apply_in(conn: Connection, ctx: Context, dispute_id: str, user: str, action: str, step: Step,
             expect_version: int | None, key: str,
             found: tuple[DisputeState, str | None, str | None, str | None] | None | bool = False,
             write: bool = True, mine: str | None = None) -> Judgement | None:
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
    state, role, key_used_for, key_action = found
    actor = _checked_actor(user, role, action)
    mine = mine or action_name(action, dispute_id, user, None)
    if key_used_for is not None:
        if (refused := _key_reused(key, dispute_id, mine, key_used_for, key_action)) is not None:
            raise refused
        return None
    now = ctx.clock.now()
    judgement = judge_action(state, now, lambda s: step(s, actor, now), expect_version)
    changes = judgement.changes
    if changes and judgement.rejection is None and judgement.conflict is None:
        changes = [*changes[:-1], replace(changes[-1], idempotency_key=key, idempotency_action=mine)]
    judgement.changes = changes
    if write:
        store.store_changes(conn, judgement.state, state.version, changes, now, ctx.workstation)
    return judgement


def _perform(ctx: Context, dispute_id: str, user: str, action: str, step: Step,
             expect_version: int | None, key: str | None = None,
             arguments: dict[str, Any] | None = None) -> ActionResult:
    """An action and its outcome: the updated case as `show` gives it (`replayed` when the key was applied)."""
    key = key or uuid.uuid4().hex  # every action has one, so retrying after a broken connection is safe
    judgement = apply_action(ctx, dispute_id, user, action, step, expect_version, key, arguments)
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
                    expect_version, key, {"remedy": remedy, "amount": amount,
                                          "return_shipping_paid_by": return_shipping_paid_by, "note": note})


def rule(ctx: Context, dispute_id: str, user: str, adopt: str, note: str | None = None,
         expect_version: int | None = None, key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "rule", lambda s, a, now: actions.rule(s, a, now, adopt, note),
                    expect_version, key, {"adopt": adopt, "note": note})


def approve(ctx: Context, dispute_id: str, user: str, expect_version: int | None = None,
            key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "approve", actions.approve, expect_version, key)


def send_back(ctx: Context, dispute_id: str, user: str, note: str,
              expect_version: int | None = None, key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "send-back", lambda s, a, now: actions.send_back(s, a, now, note),
                    expect_version, key, {"note": note})


def claim(ctx: Context, dispute_id: str, user: str, expect_version: int | None = None,
          key: str | None = None, take_over: bool = True) -> ActionResult:
    """Take the case; a supervisor takes it over from another holder unless `take_over` is False."""
    return _perform(ctx, dispute_id, user, "claim",
                    lambda s, a, now: actions.claim(s, a, now, take_over=take_over), expect_version, key,
                    {"take_over": take_over})


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
                    changes = [*changes[:-1], replace(changes[-1], idempotency_key=key, idempotency_action=action_name(
                        "claim", dispute_id, user, {"take_over": False}))]
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
                    expect_version, key, {"to": to})


def release(ctx: Context, dispute_id: str, user: str, expect_version: int | None = None,
            key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "release", actions.release, expect_version, key)


def note(ctx: Context, dispute_id: str, user: str, text: str, expect_version: int | None = None,
         key: str | None = None) -> ActionResult:
    return _perform(ctx, dispute_id, user, "note", lambda s, a, now: actions.add_note(s, a, now, text),
                    expect_version, key, {"text": text})
