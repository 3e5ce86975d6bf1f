"""The queue's stored lines: a page read from `disputes.queue_row` equals the row decoded from the whole state."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from mediator_app.db import queries
from mediator_app.db.schema import Dispute
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, workbench
from mediator_app.services.context import Context
from mediator_app.services.demo import fill_demo
from mediator_app.services.reading import read
from mediator_app.services.workbench import QueueQuery


def decoded_rows(ctx: Context, ids: list[str]) -> dict[str, workbench.QueueRow]:
    """The reference: every row decoded from its state, as the queue did before lines were stored."""
    states = read(ctx, lambda conn: dict(conn.execute(
        Dispute.__table__.select().with_only_columns(Dispute.dispute_id, Dispute.state)
        .where(Dispute.dispute_id.in_(ids))).all()))
    now = ctx.clock.now()
    return {i: workbench.queue_row(DisputeState.from_json(json.loads(raw)), now) for i, raw in states.items()}


def test_stored_lines_read_like_the_decoded_state(ctx: Context, clock: FixedClock) -> None:
    fill_demo(ctx, 120, seed=3)
    ids = workbench.queue_ids(ctx, QueueQuery(user="alice"))
    claimed = [i for i in ids[:40] if workbench.queue_rows(ctx, [i])[i].due > clock.now()][:3]
    for dispute_id in claimed:
        casework.claim(ctx, dispute_id, "alice")
    for moved in (timedelta(0), timedelta(minutes=31), timedelta(days=9)):  # leases lapse, SLAs breach
        clock.set(clock.now() + moved)
        rows = workbench.queue_rows(ctx, ids)
        assert rows == decoded_rows(ctx, ids)
    assert any(r.sla_breached for r in rows.values()) and any(not r.sla_breached for r in rows.values())


def test_rows_written_before_the_lines_existed_are_decoded(ctx: Context, clock: FixedClock) -> None:
    fill_demo(ctx, 40, seed=4)
    ids = workbench.queue_ids(ctx, QueueQuery(user="alice"))
    expected = decoded_rows(ctx, ids)
    with ctx.engine.begin() as conn:
        conn.execute(update(Dispute).where(Dispute.dispute_id.in_(ids[::2])).values(queue_row=None))
    assert workbench.queue_rows(ctx, ids) == expected
    casework.note(ctx, ids[0], "alice", "looked")  # the next write stores the line again
    with ctx.engine.connect() as conn:
        assert conn.execute(Dispute.__table__.select().with_only_columns(Dispute.queue_row)
                            .where(Dispute.dispute_id == ids[0])).scalar_one() is not None


@pytest.mark.parametrize("trigram", [True, False], ids=["index", "scan"])
def test_the_filter_takes_wildcards_literally(ctx: Context, trigram: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways of filtering: the trigram index (PostgreSQL, when it has one) and the scan of the four ids."""
    from mediator_app.db import queries
    from mediator_app.services.feed import ingest_events
    from tests.feeds import opened

    if not trigram:
        monkeypatch.setattr(queries, "has_trigram_index", lambda conn: False)
    ingest_events(ctx, [opened("D_1"), opened("DX1"), opened("D%2")])
    view = QueueQuery(user="alice")
    found = lambda text: workbench.queue_ids(ctx, QueueQuery(user="alice", text=text))  # noqa: E731
    assert found("d_1") == ["D_1"]  # `_` is not "any character"
    assert found("%") == ["D%2"] and found("x1") == ["DX1"]
    assert sorted(found("d")) == sorted(workbench.queue_ids(ctx, view))


@pytest.mark.parametrize("sort", sorted(queries.SORTS))
def test_every_key_comes_in_the_order_of_the_head(ctx: Context, clock: FixedClock, sort: str) -> None:
    """The full key list comes from PostgreSQL as one array aggregated in the database; it (and SQLite's) must
    list exactly what the plain ORDER BY of the head lists, in that order, for every sort and direction."""
    fill_demo(ctx, 150, seed=5)
    casework.claim(ctx, workbench.queue_ids(ctx, QueueQuery(user="alice"))[3], "alice")  # an `assigned` to sort by
    now = clock.now()
    for descending in (False, True):
        for view in ("all", "unassigned", "pending_approval"):
            def both(conn: Any) -> tuple[list[str], list[str]]:
                args = (conn, view, "alice", now, "", sort, descending)
                return queries.queue_ids(*args), queries.queue_ids(*args, limit=10_000)

            every, head = read(ctx, both)
            assert every == head, (view, descending)
    assert read(ctx, lambda conn: queries.queue_ids(conn, "all", "alice", now, "no such dispute", sort)) == []
