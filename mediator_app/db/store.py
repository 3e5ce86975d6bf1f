"""Reading and writing disputes, history, evidence and rejected lines inside one transaction."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence

import orjson
from sqlalchemy import Connection, String, any_, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mediator_app.domain import queue_line
from mediator_app.domain.audit_chain import payload_text, without_replay
from mediator_app.domain.case_view import sla_stopped_breach
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.money import CURRENCY_DIGITS
from mediator_app.domain.outbound import OutboundEvent, outbound_events
from mediator_app.domain.transitions import Change
from mediator_app.domain.view import DECIDING_CLOCKS, deadlines

from . import bulk, history_chain, outbox
from .schema import (NO_CLOCK, OPEN, SEARCH_SEPARATOR, Dispute, DisputeSearch, Evidence, History, RejectedLine, User,
                     table_of)

DISPUTES = table_of(Dispute)
HISTORY = table_of(History)


class StaleWrite(Exception):
    """The dispute changed under us (another writer committed first); the transaction must be retried."""


def minor_units(amount: Any, currency: str) -> int:
    return int(amount.scaleb(CURRENCY_DIGITS[currency]))


def dispute_columns(state: DisputeState, now: datetime) -> dict[str, Any]:
    columns = derived_columns(state)
    columns["updated_at"] = now
    columns["state"] = orjson.dumps(state.to_json()).decode()
    return columns


def derived_columns(state: DisputeState) -> dict[str, Any]:
    """The row's columns the queue reads, derived from the state (all of `dispute_columns` but the state's own
    JSON and `updated_at`: what `audit verify` holds the stored row against)."""
    total = state.order.total
    clock = state.party_clock
    running = [c.due for c in state.platform_clocks if c.stopped_at is None]
    asked = state.proposals["buyer"].refund if state.proposals["buyer"] else None
    clocks = deadlines(state)  # every running clock, earliest first: the queue's key and its line
    return {
        "order_id": state.order.order_id, "buyer_id": state.order.buyer_id, "seller_id": state.order.seller_id,
        "kind": state.kind, "reason": state.reason, "policy": state.policy, "currency": total.currency,
        "order_total_minor": minor_units(total.amount, total.currency), "stage": state.stage,
        "status": state.status, "version": state.version, "opened_at": state.opened_at,
        "party_clock": clock.clock if clock else None, "party_due": clock.due if clock else None,
        "queue_due": clocks[0]["due"] if clocks else NO_CLOCK, "platform_due": min(running) if running else None,
        "deciding_due": clock.due if clock and clock.clock in DECIDING_CLOCKS else None,
        "sla_stopped_breach": sla_stopped_breach(state),
        "asked_minor": minor_units(asked.amount, asked.currency) if asked else None,
        "assigned_to": state.assigned_to,
        "claim_expires_at": hold_end(state), "last_feed_at": state.last_feed_at,
        "assigned_by": state.assigned_by if state.assigned_to else None,
        "resolved_at": state.outcome.resolved_at if state.outcome else None,
        "reached_type": state.outcome.reached_type if state.outcome else None,
        "queue_row": queue_line.encode(queue_line.queue_line(state, None, clocks)),
        **next_clock_columns(clocks),
    }


def next_clock_columns(clocks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The earliest running clock's columns (revision 0014) from `deadlines(state)`: what the queue spreadsheet
    writes as `next_clock`, `next_party`, `next_on_expiry` (its `next_due` is `queue_due`); null when none runs."""
    first = clocks[0] if clocks else None
    return {"next_clock": first["clock"] if first else None, "next_party": first["party"] if first else None,
            "next_on_expiry": first["on_expiry"] if first else None}


def hold_end(state: DisputeState) -> datetime | None:
    """`claim_expires_at` as stored: a claim's lease end; for a standing assignment of an open dispute the far
    future (NO_CLOCK), so every query that asks "held at now" (`claim_expires_at > now`) sees it held."""
    if state.assigned_to and state.hold_kind == "assignment":
        return NO_CLOCK if state.status == "open" else None
    return state.claim_expires_at


def search_text(state: DisputeState) -> str:
    """What the queue filter matches: the dispute, order, buyer and seller ids, lower-cased, in one string."""
    order = state.order
    return SEARCH_SEPARATOR.join((state.dispute_id, order.order_id, order.buyer_id, order.seller_id)).lower()


def search_sql(dialect: str) -> str:
    """`search_text` as SQL over the disputes table, for filling `dispute_search` in bulk."""
    sep = "char(31)" if dialect == "sqlite" else "chr(31)"
    return f"lower(dispute_id || {sep} || order_id || {sep} || buyer_id || {sep} || seller_id)"


def decode_state(raw: str) -> DisputeState:
    """A stored `disputes.state` back as the rules' state (the text is compact JSON, written by orjson)."""
    return DisputeState.from_json(orjson.loads(raw))


def load_dispute(conn: Connection, dispute_id: str, for_update: bool = True) -> DisputeState | None:
    """The current state; on PostgreSQL the row stays locked until the transaction ends."""
    return load_disputes(conn, [dispute_id], for_update).get(dispute_id)


# Statements a clerk's action runs every time, built once: building and keying a statement costs more than
# the database's answer to it (0.1-0.3 ms each in a ~5 ms decision).
_LOAD_ONE = select(Dispute.dispute_id, Dispute.state).where(Dispute.dispute_id == bindparam("dispute_id"))
_LOAD_ONE_LOCKED = _LOAD_ONE.with_for_update()
_USER_ROLE = select(User.role).where(User.name == bindparam("name"))
_APPLIED_KEY = select(History.dispute_id, History.version).where(History.idempotency_key == bindparam("key"))
# A clerk's action reads in one round trip: the dispute (locked), the acting user's role, and the dispute an
# idempotency key was already used for
_FOR_ACTION = select(
    Dispute.state,
    select(User.role).where(User.name == bindparam("user")).scalar_subquery().label("role"),
    select(History.dispute_id).where(History.idempotency_key == bindparam("key")).scalar_subquery()
    .label("key_used_for"),
    select(History.idempotency_action).where(History.idempotency_key == bindparam("key")).scalar_subquery()
    .label("key_action"),
    # the hash the action's history row chains to (§7.3)
    select(History.hash).where(History.dispute_id == Dispute.dispute_id, History.version == Dispute.version)
    .correlate(Dispute).scalar_subquery().label("head_hash"),
    Dispute.version,
).where(Dispute.dispute_id == bindparam("dispute_id")).with_for_update(of=Dispute)


def load_disputes(conn: Connection, dispute_ids: Iterable[str], for_update: bool = True,
                  known: Mapping[str, DisputeState] | None = None) -> dict[str, DisputeState]:
    """Several disputes in one query per 500 ids (locked on PostgreSQL when `for_update`).

    `known` holds states this process wrote itself: one still at its stored version is taken as it is, so
    only the versions are read for it (decoding a stored state costs more than the rest of an event)."""
    ids = sorted(set(dispute_ids))  # a fixed lock order: two writers never wait on each other in a cycle
    if len(ids) == 1 and not known:  # one action's dispute
        row = conn.execute(_LOAD_ONE_LOCKED if for_update else _LOAD_ONE, {"dispute_id": ids[0]}).first()
        return {row.dispute_id: decode_state(row.state)} if row else {}
    found: dict[str, DisputeState] = {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        lock = for_update
        if known:
            versions = select(Dispute.dispute_id, Dispute.version).where(among(conn, Dispute.dispute_id, part))
            stale = []
            for dispute_id, version in conn.execute(versions.with_for_update() if for_update else versions):
                state = known.get(dispute_id)
                if state is not None and state.version == version:
                    found[dispute_id] = state
                else:
                    stale.append(dispute_id)
            part, lock = stale, False  # the rows are locked already
            if not part:
                continue
        query = select(Dispute.dispute_id, Dispute.state).where(among(conn, Dispute.dispute_id, part))
        found.update((row.dispute_id, decode_state(row.state))
                     for row in conn.execute(query.with_for_update() if lock else query))
    return found


def write_disputes(conn: Connection, items: Sequence[tuple[DisputeState, int | None, Sequence[Change]]],
                   now: datetime, workstation: str | None) -> None:
    """Store new states and their history rows in a few statements.

    `items` are (state, version before or None for a new dispute, changes). Updates are compare-and-set on
    `version` and raise StaleWrite when another writer changed a dispute first; they run before the
    inserts, so a dispute closed in the same batch frees its order for a new one.
    """
    items = [item for item in items if item[2]]
    updates = [{"b_dispute_id": s.dispute_id, "b_version": before, **dispute_columns(s, now)}
               for s, before, _ in items if before is not None]
    inserts = [{"dispute_id": s.dispute_id, **dispute_columns(s, now)} for s, before, _ in items if before is None]
    writes = bulk.Writes(conn)
    writes.update(DISPUTES, updates, where=(("dispute_id", "b_dispute_id"), ("version", "b_version")))
    writes.insert(DISPUTES, inserts)
    writes.insert(table_of(DisputeSearch), [{"dispute_id": s.dispute_id, "search": search_text(s)}
                                            for s, before, _ in items if before is None])
    previous = history_chain.previous_hashes(conn, [(s.dispute_id, b) for s, b, _ in items if b is not None])
    append_history(writes, [(s.dispute_id, change) for s, _, changes in items for change in changes], workstation,
                   previous)
    outbox.add_events(writes, outbound_of(items))  # last: on PostgreSQL it takes the lock held until commit
    counts = writes.send()
    changed = counts[0] if updates else 0  # the UPDATE goes first when there is one
    if changed != len(updates):  # whatever else was written is rolled back with the transaction
        raise StaleWrite(f"{len(updates) - changed} of {len(updates)} disputes changed meanwhile")


def outbound_of(items: Sequence[tuple[DisputeState, int | None, Sequence[Change]]]) -> list[OutboundEvent]:
    """The outbound events (§8.1) of every change being stored, derived from the states on either side of it.

    A change that does not carry its states is refused: no writer can store a change and forget its events."""
    events: list[OutboundEvent] = []
    for _, _, changes in items:
        for change in changes:
            if change.after is None or (change.before is None and change.version_after != 1):
                raise ValueError(f"{change.kind} at version {change.version_after} does not carry the dispute's "
                                 "states before and after it: its outbound events cannot be derived")
            events.extend(outbound_events(change.before, change.after, change.version_after, change.at))
    return events


#: PostgreSQL channel on which every commit names the disputes it changed: the triggers of migration 0004
#: send the ids each statement wrote (`*` when too many); SQLite workstations poll `history` instead.
CHANNEL = "mediator_changes"


def append_history(writes: bulk.Writes, changes: Sequence[tuple[str, Change]], workstation: str | None,
                   previous: dict[str, str]) -> None:
    """History rows (and evidence) added to `writes`: `at` is when it happened by the rules' clock (the event's
    time, or `now`, which may be simulated); `recorded_at` is the database's own clock at commit, for the audit.
    Each row's `hash` chains to the one before it (`previous`: dispute id -> the hash of its last stored row;
    the payload holds the change's replay record)."""
    if not changes:
        return
    rows = [{
        "dispute_id": dispute_id, "version": c.version_after, "version_before": c.version_after - 1, "at": c.at,
        "kind": c.kind, "party": c.party, "actor": c.actor, "workstation": workstation, "summary": c.summary,
        "payload": payload_text(c.payload, c.replay), "event_id": c.event_id,
        "exec_key": c.exec_key, "idempotency_key": c.idempotency_key, "idempotency_action": c.idempotency_action,
    } for dispute_id, c in changes]
    history_chain.hash_rows(rows, previous)
    writes.insert(HISTORY, rows, clock_column="recorded_at")
    evidence = [{
        "dispute_id": dispute_id, "event_id": c.event_id, "party": c.party, "filename": c.payload["filename"],
        "media_type": c.payload["media_type"], "sha256": c.payload["sha256"], "size": c.payload["size"],
        "added_at": c.at, "content": c.attachment,
    } for dispute_id, c in changes if c.attachment is not None]
    writes.insert(table_of(Evidence), evidence)


def store_changes(conn: Connection, state: DisputeState, version_before: int | None,
                  changes: Sequence[Change], now: datetime, workstation: str | None) -> None:
    """Write one dispute's new state and its history rows (a new dispute when `version_before` is None)."""
    write_disputes(conn, [(state, version_before, changes)], now, workstation)


def among(conn: Connection, column: Any, ids: list[str]) -> Any:
    """`column IN ids`. PostgreSQL gets one array parameter (`= ANY(...)`): a list of 500 parameters costs it
    more to bind and plan than to run (4 ms a query, a tenth of an ingest)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=postgresql.ARRAY(String)))
    return column.in_(ids)


def known_event_ids(conn: Connection, event_ids: Iterable[str]) -> set[str]:
    ids = list(set(event_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(event_id for event_id in conn.execute(
            select(History.event_id).where(among(conn, History.event_id, chunk))).scalars() if event_id is not None)
    return found


def disputes_for_orders(conn: Connection, order_ids: Iterable[str]) -> dict[str, list[str]]:
    """order id -> every dispute of it, open or closed (500 ids per query)."""
    ids = list(order_ids)
    out: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(select(Dispute.order_id, Dispute.dispute_id)
                            .where(among(conn, Dispute.order_id, ids[start:start + 500])))
        for order_id, dispute_id in rows:
            out.setdefault(order_id, []).append(dispute_id)
    return out


def open_disputes_for_orders(conn: Connection, order_ids: Iterable[str]) -> dict[str, str]:
    """order id -> its open dispute, for those of the given orders that have one (500 ids per query)."""
    ids = list(order_ids)
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(select(Dispute.order_id, Dispute.dispute_id)
                            .where(among(conn, Dispute.order_id, ids[start:start + 500]), Dispute.status == OPEN))
        out.update((order_id, dispute_id) for order_id, dispute_id in rows)
    return out


def record_rejection(conn: Connection, received_at: datetime, source: str, line: int, event_id: str | None,
                     dispute_id: str | None, reason: str, raw: str, line_sha256: str, line_size: int) -> None:
    """Keep a rejected line: one row per distinct line (`line_sha256`, of its bytes as received). A line
    rejected before counts once more (`times`) and takes the latest reason and time; no copy is stored."""
    def fit(text: str | None, limit: int | None) -> str | None:
        """A rejected line, and the file name it came from, may carry anything: a NUL, or bytes that are not
        UTF-8 (a file name's, kept by Python as lone surrogates), are written as escapes."""
        if text is None:
            return None
        text = text.replace("\x00", "\\u0000")
        if not text.isascii():
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        return text if limit is None else text[:limit]

    table = table_of(RejectedLine)
    upsert = (postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)).values(
        received_at=received_at, source=fit(source, 512), line=line, event_id=fit(event_id, 128),
        dispute_id=fit(dispute_id, 64), reason=fit(reason, 100_000), raw=fit(raw, None),
        line_sha256=line_sha256, line_size=line_size, times=1, last_received_at=received_at,
    )
    conn.execute(upsert.on_conflict_do_update(
        index_elements=[table.c.line_sha256],
        set_={"times": table.c.times + 1, "last_received_at": upsert.excluded.received_at,
              "reason": upsert.excluded.reason}))


def load_for_action(conn: Connection, dispute_id: str, user: str,
                    key: str) -> tuple[DisputeState, str | None, str | None, str | None] | None:
    """(state, the user's role, the dispute `key` was already used for, the action it named) — the dispute locked
    on PostgreSQL; None when the dispute does not exist."""
    row = bulk.first_row(conn, _FOR_ACTION, {"dispute_id": dispute_id, "user": user, "key": key})
    if row is None:
        return None
    raw, role, key_used_for, key_action, head_hash, version = row
    history_chain.remember(conn, dispute_id, version, head_hash)
    return decode_state(raw), role, key_used_for, key_action


def get_user_role(conn: Connection, name: str) -> str | None:
    return conn.execute(_USER_ROLE, {"name": name}).scalar_one_or_none()


def add_user(conn: Connection, name: str, role: str, now: datetime) -> None:
    conn.execute(insert(table_of(User)).values(name=name, role=role, created_at=now))


def set_user_role(conn: Connection, name: str, role: str) -> None:
    conn.execute(update(table_of(User)).where(User.name == name).values(role=role))


def list_users(conn: Connection) -> list[tuple[str, str]]:
    return [(r.name, r.role) for r in conn.execute(select(User.name, User.role).order_by(User.name))]


def timeline(conn: Connection, dispute_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(select(History.at, History.kind, History.party, History.actor, History.summary,
                               History.version, History.event_id, History.payload)
                        .where(History.dispute_id == dispute_id).order_by(History.version))
    return [{"at": r.at, "kind": r.kind, "party": r.party, "actor": r.actor, "summary": r.summary,
             "version": r.version, "event_id": r.event_id, "payload": without_replay(json.loads(r.payload))}
            for r in rows]


def queue_states(conn: Connection, limit: int | None = None) -> list[DisputeState]:
    """Open disputes, most urgent first: earliest running clock, then opened_at, then id; no clock last."""
    query = (select(Dispute.state).where(Dispute.status == OPEN)
             .order_by(Dispute.queue_due, Dispute.opened_at, Dispute.dispute_id))
    if limit is not None:
        query = query.limit(limit)
    return [decode_state(raw) for raw in conn.execute(query).scalars()]


def _free(now: datetime) -> Any:
    unclaimed = Dispute.assigned_to.is_(None) | Dispute.claim_expires_at.is_(None) | (Dispute.claim_expires_at <= now)
    return (Dispute.status == OPEN) & unclaimed


def free_dispute_ids(conn: Connection, dispute_ids: Sequence[str], now: datetime) -> set[str]:
    """Which of `dispute_ids` are open and held by nobody (no lock taken)."""
    query = select(Dispute.dispute_id).where(Dispute.dispute_id.in_(list(dispute_ids)), _free(now))
    return set(conn.execute(query).scalars())


def lock_if_free(conn: Connection, dispute_id: str, now: datetime, skip_locked: bool) -> DisputeState | None:
    """The dispute locked for this transaction if it is still free; on PostgreSQL a row another transaction
    holds is skipped (`FOR UPDATE SKIP LOCKED`) rather than waited for."""
    query = select(Dispute.state).where(Dispute.dispute_id == dispute_id, _free(now))
    raw = conn.execute(query.with_for_update(skip_locked=skip_locked)).scalar_one_or_none()
    return decode_state(raw) if raw is not None else None


def expired_dispute_ids(conn: Connection, now: datetime, limit: int, skip_locked: bool) -> list[tuple[str, str]]:
    """Disputes with a party clock due at or before `now`, claimed for this transaction."""
    query = (select(Dispute.dispute_id, Dispute.state)
             .where(Dispute.party_due.is_not(None), Dispute.party_due <= now)
             .order_by(Dispute.party_due, Dispute.dispute_id).limit(limit))
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    return [(r.dispute_id, r.state) for r in conn.execute(query)]


def count_by_stage(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(Dispute.stage, func.count()).group_by(Dispute.stage))
    return {stage: count for stage, count in rows}


def applied_key(conn: Connection, key: str) -> tuple[str, int] | None:
    """(dispute id, version) of the action already applied under this idempotency key, if any."""
    row = conn.execute(_APPLIED_KEY, {"key": key}).first()
    return (row.dispute_id, row.version) if row else None


def applied_keys(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[str, int]]:
    """key -> (dispute id, version) for those of `keys` already applied (500 keys per query)."""
    out: dict[str, tuple[str, int]] = {}
    for start in range(0, len(keys), 500):
        part = list(keys[start:start + 500])
        rows = conn.execute(select(History.idempotency_key, History.dispute_id, History.version)
                            .where(among(conn, History.idempotency_key, part)))
        out.update((r.idempotency_key, (r.dispute_id, r.version)) for r in rows)
    return out


def last_history_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(History.id), 0))).scalar_one())


def changed_since(conn: Connection, after_id: int, limit: int = 5000) -> tuple[int, set[str]]:
    """Disputes with history rows after `after_id` and the newest id seen (SQLite: ids grow in commit order)."""
    rows = conn.execute(select(History.id, History.dispute_id).where(History.id > after_id)
                        .order_by(History.id).limit(limit)).all()
    if not rows:
        return after_id, set()
    return rows[-1].id, {r.dispute_id for r in rows}


def database_id(conn: Connection) -> str | None:
    """This database's permanent id (migration 0009)."""
    from .schema import DatabaseIdentity

    return conn.execute(select(DatabaseIdentity.database_id)).scalar_one_or_none()
