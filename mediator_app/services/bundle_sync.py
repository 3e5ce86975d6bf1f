"""`bundle sync` (§6): a bundle's pending drafts applied to the live database as their commands, never to a case
that changed since the draft was based on it.

Per dispute, in draft order, each draft runs as its live command with `expect_version = based_on_version`, at
`now`, with the draft id as idempotency key (so a draft applied by a sync that was cut off before it wrote the
bundle is recognised, not applied again). Conflicts are kept in the live database (`sync_conflicts`); every
outcome is written back into the bundle at the end, in one transaction.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from sqlalchemy import Connection, insert, select

from mediator_app.db import bundle_file, store
from mediator_app.db.schema import History, SyncConflict, table_of
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import FixedClock, format_utc
from mediator_app.domain.transitions import Change

from .casework import apply_in
from . import acting
from .context import Context, with_retries
from .drafts import make_step
from .reading import read

EARLIER = "an earlier draft of this case conflicted"
#: Test hook (a kill -9 test): after this many drafts applied, write a line to PAUSE_FILE and wait forever.
PAUSE_AFTER, PAUSE_FILE = "MEDIATOR_SYNC_PAUSE_AFTER", "MEDIATOR_SYNC_PAUSE_FILE"
#: Drafts per transaction (whole disputes: a dispute's drafts are never split); the environment may set it.
BATCH, BATCH_ENV = 100, "MEDIATOR_SYNC_BATCH"
Progress = Callable[[int, int], None]


@dataclass
class SyncReport:
    applied: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"applied": self.applied, "conflicts": self.conflicts, "rejected": self.rejected,
                "skipped": self.skipped}


def sync(ctx: Context, bundle: Context, user: str, progress: Progress | None = None) -> SyncReport:
    """`ctx` is the live database, `bundle` the bundle opened writable. On PostgreSQL the drafts apply as the
    connection's login (`services.acting`): a user syncs their own drafts, an administrator names whose."""
    user = acting.acting_user(ctx, user) or user
    origin = read(bundle, bundle_file.origin)
    here = read(ctx, store.database_id)
    if origin["database_id"] != here:
        raise Rejection(f"this bundle comes from database {origin['database_id']}; this is database {here}: "
                        "nothing synced")
    if read(ctx, lambda conn: store.get_user_role(conn, user)) is None:
        raise Rejection(f"unknown user {user!r}")
    report = SyncReport()
    pending = [d for d in read(bundle, bundle_file.drafts) if d["status"] == "pending"]
    mine = [d for d in pending if d["drafted_by"] == user]
    report.skipped = [d["draft_id"] for d in pending if d["drafted_by"] != user]
    by_dispute: dict[str, list[dict[str, Any]]] = {}
    for d in mine:
        by_dispute.setdefault(d["dispute_id"], []).append(d)
    batch_size = int(os.environ.get(BATCH_ENV, "0") or 0) or BATCH
    outcomes: list[dict[str, Any]] = []
    pause_after = int(os.environ.get(PAUSE_AFTER, "0") or 0)
    now = ctx.clock.now()
    batch: list[list[dict[str, Any]]] = []
    for chain in by_dispute.values():
        batch.append(chain)
        if sum(len(c) for c in batch) >= batch_size:
            outcomes += with_retries(lambda: _apply_batch(ctx, batch, user))
            batch = []
            _report_progress(outcomes, len(mine), progress, pause_after)
    if batch:
        outcomes += with_retries(lambda: _apply_batch(ctx, batch, user))
        _report_progress(outcomes, len(mine), progress, pause_after)
    by_id = {d["draft_id"]: d for d in mine}
    conflicts = []
    for o in outcomes:
        d = by_id[o["draft_id"]]
        if o["status"] == "applied":
            report.applied.append({"draft_id": d["draft_id"], "dispute_id": d["dispute_id"], "action": d["action"],
                                   "version": o["applied_version"]})
        elif o["status"] == "conflict":
            report.conflicts.append({"draft_id": d["draft_id"], "dispute_id": d["dispute_id"], "action": d["action"],
                                     "based_on_version": d["based_on_version"], "live_version": o["live_version"],
                                     "reason": o["reason"]})
            conflicts.append({**d, **o})
        else:
            report.rejected.append({"draft_id": d["draft_id"], "dispute_id": d["dispute_id"], "action": d["action"],
                                    "reason": o["reason"]})
    _keep_conflicts(ctx, conflicts, user, now)
    with bundle.engine.begin() as conn:
        bundle_file.record_outcomes(conn, outcomes, now)
    return report


def _report_progress(outcomes: list[dict[str, Any]], total: int, progress: Progress | None, pause_after: int) -> None:
    if progress:
        progress(len(outcomes), total)
    if pause_after and sum(o["status"] == "applied" for o in outcomes) >= pause_after:
        _pause()


def _apply_batch(ctx: Context, chains: list[list[dict[str, Any]]], user: str) -> list[dict[str, Any]]:
    """Several disputes' drafts in one transaction (a commit per draft would bound a sync by the server's commit
    rate); each draft is judged exactly as its own command would be (`casework.apply_in`), at the batch's `now`.
    The disputes (locked), the user's role and the drafts' keys are read up front, and what the drafts change is
    written at the end in a few statements (`store.write_disputes`, as feed ingest writes). A lost race retries
    the batch."""
    out: list[dict[str, Any]] = []
    ctx = replace(ctx, clock=FixedClock(ctx.clock.now()))
    with ctx.engine.begin() as conn:
        states = store.load_disputes(conn, [c[0]["dispute_id"] for c in chains], for_update=True)
        before = {dispute_id: state.version for dispute_id, state in states.items()}
        role = store.get_user_role(conn, user)
        keys = store.applied_keys(conn, [d["draft_id"] for chain in chains for d in chain])
        pending: dict[str, list[Change]] = {}
        for chain in chains:
            failed = False
            for d in chain:
                dispute_id = d["dispute_id"]
                written = pending.setdefault(dispute_id, [])
                state = states.get(dispute_id)
                if failed:
                    outcome = _conflict(conn, d, EARLIER, state.version if state else None, written)
                else:
                    used = keys.get(d["draft_id"])
                    found = (state, role, used[0] if used else None, None) if state is not None else None
                    outcome = _apply(conn, ctx, d, user, found, used, states, written)
                failed = failed or outcome["status"] != "applied"
                out.append(outcome)
        store.write_disputes(conn, [(states[dispute_id], before[dispute_id], changes)
                                    for dispute_id, changes in pending.items() if changes],
                             ctx.clock.now(), ctx.workstation)
    return out


def _apply(conn: Connection, ctx: Context, d: dict[str, Any], user: str, found: Any, used: tuple[str, int] | None,
           states: dict[str, Any], written: list[Change]) -> dict[str, Any]:
    """One draft judged; what it changes goes to `written` (and its dispute's new state to `states`)."""
    step = make_step(d["action"], json.loads(d["terms"]))
    try:
        judgement = apply_in(conn, ctx, d["dispute_id"], user, d["action"], step, d["based_on_version"],
                             d["draft_id"], found, write=False)
    except Rejection as exc:  # who asks, an unknown dispute, a key used elsewhere: nothing changes
        return {"draft_id": d["draft_id"], "status": "rejected", "reason": exc.reason}
    if judgement is None:  # applied by an earlier sync that did not get to write the bundle
        assert used is not None
        return {"draft_id": d["draft_id"], "status": "applied", "applied_version": used[1]}
    if judgement.changes:  # the action, or the expiries it executed first (kept, as live)
        written.extend(judgement.changes)
        states[d["dispute_id"]] = judgement.state
    if judgement.conflict is not None:
        return _conflict(conn, d, None, judgement.conflict.actual, written)
    if judgement.rejection is not None:
        return {"draft_id": d["draft_id"], "status": "rejected", "reason": judgement.rejection}
    return {"draft_id": d["draft_id"], "status": "applied", "applied_version": judgement.state.version}


def _conflict(conn: Connection, d: dict[str, Any], reason: str | None, live: int | None,
              written: list[Change]) -> dict[str, Any]:
    """`written`: this batch's changes of the dispute, not yet in `history`."""
    based = d["based_on_version"]
    version = live if live is not None else 0
    if reason is None:
        kinds = list(conn.execute(select(History.kind).where(History.dispute_id == d["dispute_id"],
                                                             History.version > based, History.version <= version)
                                  .order_by(History.version)).scalars())
        kinds += [c.kind for c in written if based < c.version_after <= version]
        reason = f"version {based} → {version}: {', '.join(dict.fromkeys(kinds)) or 'no change recorded'}"
    return {"draft_id": d["draft_id"], "status": "conflict", "reason": reason, "live_version": version}


def _keep_conflicts(ctx: Context, conflicts: list[dict[str, Any]], user: str, now: Any) -> None:
    if not conflicts:
        return

    def write() -> None:
        with ctx.engine.begin() as conn:
            ids = [c["draft_id"] for c in conflicts]
            known = set(conn.execute(select(SyncConflict.draft_id).where(SyncConflict.draft_id.in_(ids))).scalars())
            rows = [{"draft_id": c["draft_id"], "dispute_id": c["dispute_id"], "action": c["action"],
                     "drafted_by": c["drafted_by"], "terms": c["terms"], "based_on_version": c["based_on_version"],
                     "live_version": c["live_version"], "reason": c["reason"], "drafted_at": c["drafted_at"],
                     "synced_at": now, "synced_by": user} for c in conflicts if c["draft_id"] not in known]
            if rows:
                conn.execute(insert(table_of(SyncConflict)), rows)

    with_retries(write)


def list_conflicts(ctx: Context, user: str) -> list[dict[str, Any]]:
    """`conflicts --as USER`: a clerk's own, every one for a supervisor or an auditor; newest first."""
    def load(conn: Connection) -> list[dict[str, Any]]:
        role = store.get_user_role(conn, user)
        if role is None:
            raise Rejection(f"unknown user {user!r}")
        query = select(SyncConflict).order_by(SyncConflict.synced_at.desc(), SyncConflict.draft_id.desc())
        if role == "clerk":
            query = query.where(SyncConflict.drafted_by == user)
        return [dict(r) for r in conn.execute(query).mappings()]

    return [{"draft_id": r["draft_id"], "dispute_id": r["dispute_id"], "action": r["action"], "by": r["drafted_by"],
             "terms": json.loads(r["terms"]), "reason": r["reason"], "based_on_version": r["based_on_version"],
             "live_version": r["live_version"], "synced_at": format_utc(r["synced_at"])} for r in read(ctx, load)]


def _pause() -> None:
    path = os.environ.get(PAUSE_FILE)
    if path:
        with open(path, "w", encoding="utf-8") as handle:  # a FIFO: the test reads this line, then kills us
            handle.write("paused\n")
    threading.Event().wait()
