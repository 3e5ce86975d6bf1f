"""Standing assignments for many cases at once (§5.1 `reassign`): each case judged in its own transaction."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Sequence

from mediator_app.db import queries, store
from mediator_app.domain import actions
from mediator_app.domain.actions import Actor
from mediator_app.domain.assignment import REASSIGN_VIEWS, may_hold
from mediator_app.domain.errors import Rejection

from .casework import _checked_actor, apply_action
from .context import Context
from .reading import read


@dataclass
class Reassignment:
    """What `reassign --json` prints: the cases assigned, and those refused with the reason."""

    assigned: list[str] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"assigned": self.assigned, "rejected": self.rejected}


def target(ctx: Context, supervisor: str, to: str) -> Actor:
    """Who assigns and to whom, judged once for the whole command: an unknown or non-supervisor `supervisor`,
    or a `to` who is unknown or may not hold cases, refuses everything."""
    roles = read(ctx, lambda conn: (store.get_user_role(conn, supervisor), store.get_user_role(conn, to)))
    _checked_actor(supervisor, roles[0], "assign")
    if roles[1] is None:
        raise Rejection(f"unknown user {to!r}")
    if not may_hold(roles[1]):
        raise Rejection(f"{to} is a {roles[1]} and cannot hold cases")
    return Actor(to, roles[1])


def cases_of(ctx: Context, from_user: str | None = None, view: str | None = None) -> list[str]:
    """The open cases `from_user` holds at `now`, or those of a saved view, in queue order."""
    now = ctx.clock.now()
    if from_user is not None:
        if read(ctx, lambda conn: store.get_user_role(conn, from_user)) is None:
            raise Rejection(f"unknown user {from_user!r}")
        return read(ctx, lambda conn: queries.queue_ids(conn, "mine", from_user, now))
    if view not in REASSIGN_VIEWS:
        raise Rejection(f"unknown view {view!r} (known: {', '.join(REASSIGN_VIEWS)})")
    return read(ctx, lambda conn: queries.queue_ids(conn, REASSIGN_VIEWS[view], "", now))


def reassign(ctx: Context, supervisor: str, to: str, dispute_ids: Sequence[str]) -> Reassignment:
    """Assign each case to `to`, each in its own transaction: one refused never stops the others (an expiry due
    by `now` is executed first, and a case it closes is refused as closed)."""
    to_actor = target(ctx, supervisor, to)
    out = Reassignment()
    for dispute_id in dispute_ids:
        step = lambda s, a, now: actions.assign(s, a, now, to_actor)  # noqa: E731
        try:
            judgement = apply_action(ctx, dispute_id, supervisor, "assign", step, None, uuid.uuid4().hex)
        except Rejection as exc:
            out.rejected.append({"dispute_id": dispute_id, "reason": exc.reason})
            continue
        if judgement is not None and judgement.rejection is not None:
            out.rejected.append({"dispute_id": dispute_id, "reason": judgement.rejection})
        else:
            out.assigned.append(dispute_id)
    return out
