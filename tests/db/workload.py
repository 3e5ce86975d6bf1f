"""A randomized multi-process workload on one database, and the checker that judges what it left behind.

Workers act as clerks on a few hot disputes (skewed: most actions hit the first three), each action with an
idempotency key, and write down what the service acknowledged. Sweepers execute thousands of expired clocks
at the same time. The checker then compares every acknowledgement with the database.
"""
from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mediator_app.db import outbox as outbox_table
from mediator_app.db.engine import make_engine
from mediator_app.db.store import decode_state
from mediator_app.db.schema import Dispute, History
from mediator_app.domain.errors import Rejection, VersionConflict
from mediator_app.domain.outbound import Recorded, replayed_events
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, reading, sweeper
from mediator_app.services.context import RETRIES, Context, DatabaseUnavailable
from mediator_app.services.feed import ingest_events
from mediator_app.services.users import add_user
from tests.feeds import T0, opened

WORK_AT = T0 + timedelta(hours=1)  # the hot disputes' clocks are far away; the expired ones are overdue
HOT = [f"H-{n}" for n in range(12)]
CLERKS = [f"clerk{n}" for n in range(8)]
SUPERVISORS = ["sup0", "sup1"]


def seed(ctx: Context, expired: int) -> list[str]:
    """Users, hot disputes (800.00 USD orders: some rulings need four eyes) and `expired` overdue ones."""
    for name in CLERKS:
        add_user(ctx, name, "clerk")
    for name in SUPERVISORS:
        add_user(ctx, name, "supervisor")
    events = [opened(d, T0, total="800.00", refund="300.00") for d in HOT]
    stale = [f"X-{n}" for n in range(expired)]
    events += [opened(d, T0 - timedelta(days=10)) for d in stale]
    report = ingest_events(ctx, events)
    assert not report.rejected, report.rejected[:3]
    return stale


def _pick(rng: random.Random) -> str:
    return HOT[rng.randrange(3)] if rng.random() < 0.7 else rng.choice(HOT)


def _act(ctx: Context, rng: random.Random, user: str, dispute_id: str, key: str) -> tuple[str, Any]:
    """One action with a version read just before (other workers may get in between)."""
    version = reading.show(ctx, dispute_id)["version"] if rng.random() < 0.8 else None
    roll = rng.random()
    if user in SUPERVISORS and roll < 0.5:
        result = casework.approve(ctx, dispute_id, user, version, key)
        return "approve", result
    if roll < 0.40:
        return "note", casework.note(ctx, dispute_id, user, f"note {key}", version, key)
    if roll < 0.60:
        return "claim", casework.claim(ctx, dispute_id, user, version, key)
    if roll < 0.72:
        return "release", casework.release(ctx, dispute_id, user, version, key)
    if roll < 0.97:
        amount = f"{rng.randint(1, 799)}.{rng.randint(0, 99):02d}"
        return "propose", casework.propose(ctx, dispute_id, user, "refund", amount, None, None, version, key)
    return "rule", casework.rule(ctx, dispute_id, user, rng.choice(["buyer", "platform"]), None, version, key)


def run_worker(url: str, index: int, actions: int, out: str, barrier: Any = None, underway: Any = None) -> None:
    """A clerk (or supervisor) process: `actions` actions, every outcome written to `out` as JSON.

    Worker 0 sets `underway` after a quarter of its actions, so faults can be timed into the thick of it."""
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(WORK_AT), workstation=f"worker-{index}")
    users = CLERKS + SUPERVISORS
    user = users[index % len(users)]
    rng = random.Random(1000 + index)
    records: list[dict[str, Any]] = []
    retried: Counter[str] = Counter()
    if barrier is not None:
        barrier.wait()
    for n in range(actions):
        if underway is not None and index == 0 and n == actions // 4:
            underway.set()
        key = f"w{index}-{n}"
        dispute_id = _pick(rng)
        for _attempt in range(20):  # the same key until the outcome is known
            try:
                kind, result = _act(ctx, random.Random(f"{index}-{n}"), user, dispute_id, key)
                records.append({"key": key, "dispute_id": dispute_id, "kind": kind, "outcome": "applied",
                                "version": result.case["version"], "replayed": result.replayed})
            except VersionConflict:
                records.append({"key": key, "dispute_id": dispute_id, "outcome": "conflict"})
            except Rejection as exc:
                records.append({"key": key, "dispute_id": dispute_id, "outcome": "refused", "reason": exc.reason})
            except DatabaseUnavailable:
                retried["unavailable"] += 1
                continue  # unknown outcome: retry with the same key
            break
        else:
            records.append({"key": key, "dispute_id": dispute_id, "outcome": "unknown"})
    records.append({"retries": dict(RETRIES + retried)})
    Path(out).write_text(json.dumps(records))
    engine.dispose()


def run_sweeper(url: str, index: int, out: str, barrier: Any = None) -> None:
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(WORK_AT), workstation=f"sweeper-{index}")
    if barrier is not None:
        barrier.wait()
    executed: list[Any] = []
    for _attempt in range(20):
        try:
            executed += sweeper.sweep(ctx, batch=25)
            break
        except DatabaseUnavailable:
            continue
    Path(out).write_text(json.dumps(executed))
    engine.dispose()


@dataclass
class Verdict:
    actions: int = 0
    applied: int = 0
    conflicts: int = 0
    refused: int = 0
    unknown: int = 0
    replayed: int = 0
    executions: int = 0
    retries: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "problems"} | {"problems": self.problems[:20]}


def check(engine: Engine, worker_files: list[Path], sweeper_files: list[Path], expired: list[str]) -> Verdict:
    """Every acknowledged action present exactly once, every refused one absent, versions without gaps,
    no clock executed twice."""
    verdict = Verdict()
    everything = [r for f in worker_files for r in json.loads(f.read_text())]
    records = [r for r in everything if "key" in r]
    verdict.retries = dict(sum((Counter(r["retries"]) for r in everything if "retries" in r), Counter()))
    with engine.connect() as conn:
        keyed = {r.idempotency_key: (r.dispute_id, r.version) for r in conn.execute(
            select(History.idempotency_key, History.dispute_id, History.version)
            .where(History.idempotency_key.is_not(None)))}
        versions: dict[str, list[int]] = {}
        for dispute_id, version in conn.execute(select(History.dispute_id, History.version)
                                                .order_by(History.dispute_id, History.version)):
            versions.setdefault(dispute_id, []).append(version)
        current = {r.dispute_id: r.version for r in conn.execute(select(Dispute.dispute_id, Dispute.version))}
        expiries = Counter(r.dispute_id for r in conn.execute(
            select(History.dispute_id).where(History.kind == "clock.expired")))
    for record in records:
        verdict.actions += 1
        key, outcome = record["key"], record["outcome"]
        if outcome == "applied":
            verdict.applied += 1
            verdict.replayed += record["replayed"]
            if key not in keyed:
                verdict.problems.append(f"acknowledged {key} is missing")
            elif keyed[key][0] != record["dispute_id"]:
                verdict.problems.append(f"{key} landed on {keyed[key][0]}, not {record['dispute_id']}")
            elif not record["replayed"] and keyed[key][1] > record["version"]:
                verdict.problems.append(f"{key}: stored at version {keyed[key][1]} after the acknowledged case")
        elif outcome in ("conflict", "refused"):
            verdict.conflicts += outcome == "conflict"
            verdict.refused += outcome == "refused"
            if key in keyed:
                verdict.problems.append(f"{outcome} {key} was applied")
        else:
            verdict.unknown += 1
    for dispute_id, seen in versions.items():
        if seen != list(range(1, len(seen) + 1)):
            verdict.problems.append(f"{dispute_id}: version sequence has gaps or repeats")
        if current.get(dispute_id) != len(seen):
            verdict.problems.append(f"{dispute_id}: version {current.get(dispute_id)} but {len(seen)} changes")
    reported = Counter(e["dispute_id"] for f in sweeper_files for e in json.loads(f.read_text()))
    verdict.executions = sum(reported.values())
    for dispute_id in expired:
        if expiries[dispute_id] != 1:
            verdict.problems.append(f"{dispute_id} executed {expiries[dispute_id]} times")
        if reported[dispute_id] != 1:
            verdict.problems.append(f"{dispute_id} reported by sweepers {reported[dispute_id]} times")
    for dispute_id in HOT:
        if expiries[dispute_id]:
            verdict.problems.append(f"{dispute_id} (not due) was executed")
    verdict.problems += check_outbox(engine)
    return verdict


def check_outbox(engine: Engine) -> list[str]:
    """§8.3 on what the run left: per dispute `version` rises with `seq`; every closed dispute has exactly one
    `dispute.closed`, with the stored refund, an open one none; and the events are exactly those its history
    implies (`replayed_events`, the migration's replay), so no change lost or doubled its events."""
    problems: list[str] = []
    with engine.connect() as conn:
        events: dict[str, list[dict[str, Any]]] = {}
        for _, line in outbox_table.read_lines(conn, 0, 10_000_000):
            event = json.loads(line)
            events.setdefault(event["dispute_id"], []).append(event)
        states = {r.dispute_id: decode_state(r.state) for r in conn.execute(select(Dispute.dispute_id, Dispute.state))}
        recorded: dict[str, list[Recorded]] = {}
        for r in conn.execute(select(History.dispute_id, History.version, History.at, History.kind, History.payload)):
            recorded.setdefault(r.dispute_id, []).append(Recorded(r.version, r.at, r.kind, json.loads(r.payload)))
    for dispute_id, state in states.items():
        mine = events.get(dispute_id, [])
        if [e["version"] for e in mine] != sorted(e["version"] for e in mine):
            problems.append(f"{dispute_id}: outbound versions do not rise with seq")
        closed = [e for e in mine if e["type"] == "dispute.closed"]
        if len(closed) != (1 if state.stage == "closed" else 0):
            problems.append(f"{dispute_id}: {len(closed)} dispute.closed events in stage {state.stage}")
        elif closed and state.outcome is not None and closed[0]["outcome"] != state.outcome.to_json():
            problems.append(f"{dispute_id}: dispute.closed does not carry the stored outcome")
        implied = sorted((e.to_json() for e in replayed_events(state, recorded.get(dispute_id, []))),
                         key=lambda e: e["event_id"])
        written = sorted(({k: v for k, v in e.items() if k != "seq"} for e in mine), key=lambda e: e["event_id"])
        if written != implied:
            problems.append(f"{dispute_id}: outbound events {[e['event_id'] for e in written]} but its history "
                            f"implies {[e['event_id'] for e in implied]}")
    return problems


def hold_a_write_and_wait(url: str, dispute_id: str, ready: Any) -> None:
    """Begin a transaction, change a dispute half-way (no history row), report, then wait to be killed."""
    import threading

    from sqlalchemy import update

    engine = make_engine(url)
    conn = engine.connect()
    conn.begin()
    conn.execute(update(Dispute).where(Dispute.dispute_id == dispute_id).values(version=Dispute.version + 100))
    ready.put("holding")
    threading.Event().wait()  # until SIGKILL


def claim_then_wait(url: str, dispute_id: str, user: str, ready: Any) -> None:
    """A workstation that claims a case and then dies without releasing it."""
    import threading

    engine = make_engine(url)
    casework.claim(Context(engine, FixedClock(WORK_AT), workstation="doomed"), dispute_id, user)
    ready.put("claimed")
    threading.Event().wait()
