"""Drafts in an offline bundle (§6): decisions judged against the bundled case exactly as live, stored, stacked.

A draft never changes the bundled case: the case "with its drafts applied" is the exported state with each
pending (or already synced) draft replayed in order, at the time it was drafted, by the same domain functions the
live command runs.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import Connection

from mediator_app.db import bundle_file, store
from mediator_app.domain import actions
from mediator_app.domain.actions import Actor
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.judge import ran_out
from mediator_app.domain.policy import get_policy
from mediator_app.domain.time import format_utc
from mediator_app.domain.transitions import Change, execute_expiries
from mediator_app.domain.case_view import CaseSnapshot, TimelineEntry, case_view

from .casework import Step, _checked_actor
from .context import Context
from .reading import read, show_json

ACTIONS = ("propose", "rule", "note", "approve", "send-back")
#: a draft's status that stays applied in the bundle's picture of the case
IN_FORCE = ("pending", "applied")


def make_step(action: str, terms: Mapping[str, Any]) -> Step:
    """The live command's domain step for `action` with its options (the same calls as services.casework)."""
    if action == "propose":
        return lambda s, a, now: actions.propose(s, a, now, terms["remedy"], terms.get("amount"),
                                                 terms.get("return_shipping_paid_by"), terms.get("note"))
    if action == "rule":
        return lambda s, a, now: actions.rule(s, a, now, terms["adopt"], terms.get("note"))
    if action == "approve":
        return actions.approve
    if action == "send-back":
        return lambda s, a, now: actions.send_back(s, a, now, terms["note"])
    if action == "note":
        return lambda s, a, now: actions.add_note(s, a, now, terms["text"])
    raise Rejection(f"{action} is not a draft action (one of {', '.join(ACTIONS)})")


@dataclass
class Drafted:
    """A bundled case with its drafts in force applied: the state, the changes each draft made, the drafts."""

    state: DisputeState
    changes: list[tuple[str, Change]]
    drafts: list[dict[str, Any]]


def replay(conn: Connection, state: DisputeState, rows: list[dict[str, Any]] | None = None,
           roles: Mapping[str, str] | None = None) -> Drafted:
    """The case with its drafts in force applied; `rows` (its drafts in order) and `roles` (user -> role) when
    the caller read them already for several cases."""
    rows = bundle_file.drafts(conn, state.dispute_id) if rows is None else rows
    changes: list[tuple[str, Change]] = []
    for row in rows:
        if row["status"] not in IN_FORCE:
            continue
        role = (roles.get(row["drafted_by"]) if roles is not None
                else store.get_user_role(conn, row["drafted_by"])) or ""
        state, change = make_step(row["action"], json.loads(row["terms"]))(
            state, Actor(row["drafted_by"], role), row["drafted_at"])
        if change is not None:  # a draft that changes nothing (a claim of one's own assignment) has no step
            changes.append((row["draft_id"], change))
    return Drafted(state, changes, rows)


def draft(ctx: Context, dispute_id: str, user: str, action: str, terms: Mapping[str, Any]) -> dict[str, Any]:
    """Judge `action` against the bundled case at `now` as the live command would, and store it as a draft.
    `ctx.engine` is the bundle, opened writable."""
    step = make_step(action, terms)
    with ctx.engine.begin() as conn:
        role = store.get_user_role(conn, user)
        state = store.load_dispute(conn, dispute_id, for_update=False)
        if state is None:
            _checked_actor(user, role, action)
            raise Rejection(f"unknown dispute {dispute_id}")
        actor = _checked_actor(user, role, action)
        drafted = replay(conn, state)
        now = ctx.clock.now()
        _, expiries = execute_expiries(drafted.state, get_policy(drafted.state.policy), now)
        if expiries:
            raise Rejection(f"{ran_out(expiries)}; this case has moved on")
        after, _change = step(drafted.state, actor, now)
        draft_id = f"DR-{uuid.uuid4().hex}"
        bundle_file.add_draft(conn, {
            "draft_id": draft_id, "dispute_id": dispute_id, "action": action, "drafted_by": user,
            "terms": json.dumps(dict(terms), ensure_ascii=False), "drafted_at": now,
            "based_on_version": drafted.state.version, "version_after": after.version})
    return {"draft_id": draft_id, "dispute_id": dispute_id, "action": action,
            "based_on_version": drafted.state.version}


def undo_last(ctx: Context, dispute_id: str, draft_id: str | None = None) -> dict[str, Any]:
    """Remove the last draft of a case, when it is still pending (only the last: the ones before it are what it
    was based on). With `draft_id`, only when that is still the last one (what the reviewer confirmed)."""
    with ctx.engine.begin() as conn:
        rows = bundle_file.drafts(conn, dispute_id)
        if not rows:
            raise Rejection(f"{dispute_id} has no drafts")
        last = rows[-1]
        if draft_id is not None and last["draft_id"] != draft_id:
            raise Rejection(f"{draft_id} is no longer the last draft of {dispute_id}")
        if last["status"] != "pending":
            raise Rejection(f"the last draft of {dispute_id} was synced already ({last['status']})")
        bundle_file.delete_draft(conn, last["draft_id"])
    return draft_json(last)


def draft_json(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {"draft_id": row["draft_id"], "dispute_id": row["dispute_id"], "action": row["action"],
           "by": row["drafted_by"], "terms": json.loads(row["terms"]), "drafted_at": format_utc(row["drafted_at"]),
           "based_on_version": row["based_on_version"], "status": row["status"]}
    if row["status"] in ("conflict", "rejected"):
        out["reason"] = row["reason"]
    if row["status"] == "conflict":
        out["live_version"] = row["live_version"]
    if row["status"] == "applied":
        out["version"] = row["applied_version"]
    return out


def list_drafts(ctx: Context) -> list[dict[str, Any]]:
    return [draft_json(r) for r in read(ctx, bundle_file.drafts)]


def undoable(rows: list[dict[str, Any]]) -> set[str]:
    """The drafts (of a `list_drafts`) that can be undone: the last draft of each case, while pending."""
    last = {row["dispute_id"]: row for row in rows}
    return {row["draft_id"] for row in last.values() if row["status"] == "pending"}


def origin_json(ctx: Context) -> dict[str, Any]:
    row = read(ctx, bundle_file.origin)
    return {"database_id": row["database_id"], "exported_at": format_utc(row["exported_at"]),
            "exported_by": row["exported_by"]}


def drafted_view(ctx: Context, dispute_id: str) -> tuple[CaseSnapshot, tuple[TimelineEntry, ...], Drafted]:
    """The bundled case at `now` with its drafts in force applied, typed, its timeline with the drafts' entries
    after the exported ones, and the drafts."""
    def load(conn: Connection) -> tuple[Drafted, list[dict[str, Any]]] | None:
        state = store.load_dispute(conn, dispute_id, for_update=False)
        return (replay(conn, state), store.timeline(conn, dispute_id)) if state is not None else None

    found = read(ctx, load)
    if found is None:
        raise Rejection(f"unknown dispute {dispute_id}")
    drafted, rows = found
    timeline = tuple(TimelineEntry(r["at"], r["kind"], r["party"], r["summary"], r["actor"], r["version"],
                                   r["event_id"], r["payload"]) for r in rows)
    timeline += tuple(TimelineEntry(c.at, c.kind, c.party, c.summary, c.actor, c.version_after, None,
                                    json.loads(json.dumps(c.payload, default=str))) for _d, c in drafted.changes)
    return case_view(drafted.state, ctx.clock.now()), timeline, drafted


def drafted_json(ctx: Context, view: CaseSnapshot, timeline: tuple[TimelineEntry, ...],
                 drafted: Drafted) -> dict[str, Any]:
    """`show` in a bundle: the drafted case, `drafts`, `bundle`; a draft's timeline entries name it."""
    case = show_json(view, timeline)
    by_version = {c.version_after: draft_id for draft_id, c in drafted.changes}
    exported = len(timeline) - len(drafted.changes)
    for entry in case["timeline"][exported:]:
        entry["draft_id"] = by_version.get(entry["version"])
    case["drafts"] = [{"draft_id": r["draft_id"], "action": r["action"], "based_on_version": r["based_on_version"],
                       "status": r["status"]} for r in drafted.drafts]
    case["bundle"] = origin_json(ctx)
    return case


def show_drafted(ctx: Context, dispute_id: str) -> dict[str, Any]:
    """`show` in a bundle: the case as exported with its drafts applied, `drafts`, and `bundle`."""
    return drafted_json(ctx, *drafted_view(ctx, dispute_id))
