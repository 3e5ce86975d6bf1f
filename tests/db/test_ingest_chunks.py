"""Ingest in chunks: the states one chunk committed are reused by the next only while nobody else changed them."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import Dispute
from mediator_app.demo import generate_demo_events
from mediator_app.domain.events import parse_event
from mediator_app.domain.feed_rules import open_dispute
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import WrittenStates, ingest_lines, numbered_events
from mediator_app.services.reading import show
from tests.feeds import T0, event, opened


def stored_states(ctx: Context) -> dict[str, str]:
    with ctx.engine.connect() as conn:
        return {row.dispute_id: row.state for row in conn.execute(select(Dispute.dispute_id, Dispute.state))}


def test_a_clerks_change_between_two_chunks_is_kept(ctx: Context) -> None:
    lines = [opened("D-1"), event("D-1", "message.posted", T0 + timedelta(hours=1), "E-2", party="buyer", text="hi"),
             event("D-1", "message.posted", T0 + timedelta(hours=2), "E-3", party="seller", text="ok")]
    chunks = []

    def between(count: int) -> None:
        chunks.append(count)
        if len(chunks) == 1:  # the first chunk committed: a clerk takes the case and writes a note meanwhile
            casework.claim(ctx, "D-1", "alice")
            casework.note(ctx, "D-1", "alice", "called the seller")

    report = ingest_lines(ctx, numbered_events(lines), "test", chunk_lines=1, on_chunk=between)

    assert report.applied == 3 and chunks == [1, 1, 1]
    case = show(ctx, "D-1")
    assert case["version"] == 5  # opened, claim, note, two messages: nothing was written over
    assert case["assigned_to"] == "alice"


def test_small_chunks_store_the_same_states_as_one_chunk(tmp_path: Path) -> None:
    """Chunks of 7 lines re-read, from the states written before, the disputes that the demo feed names again
    and again; they must come out exactly as from one chunk that holds the whole feed."""
    now = T0 + timedelta(days=3)
    events = list(generate_demo_events(60, 5, now))
    stored = []
    for name, chunk_lines in (("small", 7), ("whole", len(events))):
        engine = make_engine(f"sqlite:///{tmp_path}/{name}.db")
        migrate.upgrade(engine)
        context = Context(engine, FixedClock(now), "test")
        report = ingest_lines(context, numbered_events(events), name, chunk_lines=chunk_lines)
        assert report.applied == len(events)
        stored.append(stored_states(context))
        engine.dispose()
    small, whole = stored
    assert len(small) == 60 and small == whole


def test_written_states_forget_the_least_recently_written_first() -> None:
    states = [open_dispute(parse_event(opened(f"D-{n}", order_id=f"O-{n}")))[0] for n in range(4)]
    written = WrittenStates(limit=2)
    written.committed(states[:2])
    written.committed([states[0]])  # written again: now the most recent
    written.committed([states[2]])
    assert list(written) == ["D-0", "D-2"]
    written.committed([states[3]])
    assert list(written) == ["D-2", "D-3"]
