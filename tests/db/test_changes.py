"""Other workstations' commits are seen: polling history on both databases, LISTEN/NOTIFY on PostgreSQL."""
from __future__ import annotations

import queue
import threading

import pytest
from sqlalchemy import text

from mediator_app.services import casework, changes
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events, ingest_lines, numbered_events
from tests.feeds import opened


def test_poll_names_the_disputes_changed_since_the_mark(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    mark = changes.start_mark(ctx)
    assert changes.poll(ctx, mark) == (mark, set())
    casework.note(ctx, "D-2", "alice", "looked")
    newest, changed = changes.poll(ctx, mark)
    assert changed == {"D-2"} and newest > mark
    assert changes.poll(ctx, newest)[1] == set()


def test_listen_delivers_committed_changes(ctx: Context) -> None:
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite workstations poll (tested above)")
    received: queue.Queue[set[str]] = queue.Queue()
    states: list[bool] = []
    stop = threading.Event()
    thread = threading.Thread(target=changes.listen, args=(ctx, received.put, stop, states.append), daemon=True)
    thread.start()
    assert received.get(timeout=10) == {changes.ALL}, "a fresh connection first asks for a catch-up"
    ingest_events(ctx, [opened("D-7"), opened("D-8")])
    got: set[str] = set()
    while not {"D-7", "D-8"} <= got:
        got |= received.get(timeout=10)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert states == [True]


def test_a_statement_announces_what_it_wrote_and_a_rollback_nothing(ctx: Context) -> None:
    """The announcements come from triggers on `disputes` (migration 0004): a clerk's update names its dispute,
    a rolled-back write sends nothing, and a statement writing over 1,000 disputes asks for a full refresh."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite workstations poll (tested above)")
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    received: queue.Queue[set[str]] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=changes.listen, args=(ctx, received.put, stop), daemon=True)
    thread.start()
    assert received.get(timeout=10) == {changes.ALL}
    with pytest.raises(RuntimeError), ctx.engine.begin() as conn:
        conn.execute(text("UPDATE disputes SET stage = stage WHERE dispute_id = 'D-1'"))
        raise RuntimeError("the writer fails before its commit")
    casework.note(ctx, "D-2", "alice", "looked")
    assert received.get(timeout=10) == {"D-2"}
    ingest_lines(ctx, numbered_events(opened(f"M-{n}") for n in range(1001)), "test", chunk_lines=2000)
    assert received.get(timeout=10) == {changes.ALL}  # one INSERT of 1,001 disputes
    stop.set()
    thread.join(timeout=10)
    assert received.empty()


def test_an_id_holding_a_comma_still_gets_live_updates(ctx: Context) -> None:
    """Payloads are JSON arrays (migration 0006): `a,b` arrives as itself, not as `a` and `b` (issue 13)."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite workstations poll")
    ingest_events(ctx, [opened("A,B"), opened("A")])
    received: queue.Queue[set[str]] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=changes.listen, args=(ctx, received.put, stop), daemon=True)
    thread.start()
    assert received.get(timeout=10) == {changes.ALL}
    casework.note(ctx, "A,B", "alice", "looked")
    # the channel is the server's: other schemas' commits (tests running beside this one) may arrive first
    for _ in range(100):
        ids = received.get(timeout=10)
        if "A,B" in ids:
            break
    assert ids == {"A,B"}  # one id, not "A" and "B"
    stop.set()
    thread.join(timeout=10)
    assert changes.payload_ids('["x,y", "z"]') == {"x,y", "z"}
    assert changes.payload_ids("D-1,D-2") == {changes.ALL}  # a server not upgraded: refresh everything
