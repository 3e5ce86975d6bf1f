"""A bundle window's queue services (§6, decision 170) on SQLite and PostgreSQL-made bundles: the "Drafts" view's
keys, filter and count, drafted lines against what each case's replay gives, a conflict kept in view after a sync,
and undo of a confirmed draft that is no longer the last."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from mediator_app.db import store
from mediator_app.domain.errors import Rejection
from mediator_app.domain.queue_line import queue_line
from mediator_app.domain.time import FixedClock
from mediator_app.services import bundle_export, bundle_sync, bundles, casework, drafts
from mediator_app.services.bundle_queue import DRAFTS_VIEW, BundleServices
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.workbench import QueueQuery, row_from_stored
from tests.feeds import T0, opened


@pytest.fixture
def bundle(ctx: Context, clock: FixedClock, tmp_path: Path) -> Context:
    ingest_events(ctx, [opened(f"D-{n}", T0 + timedelta(minutes=n)) for n in range(1, 6)])
    clock.set(T0 + timedelta(hours=2))
    path = tmp_path / "cases.mcase"
    bundle_export.export(ctx, path, "alice", ids=[f"D-{n}" for n in range(1, 6)])
    return bundles.open_bundle(path, clock, writable=True)


def test_the_drafts_view_and_the_drafted_lines(ctx: Context, bundle: Context, clock: FixedClock) -> None:
    services = BundleServices(bundle)
    assert services.queue_ids(QueueQuery(view=DRAFTS_VIEW)) == []
    drafts.draft(bundle, "D-4", "alice", "propose", {"remedy": "refund", "amount": "30.00"})
    drafts.draft(bundle, "D-2", "alice", "note", {"text": "called"})
    drafts.draft(bundle, "D-2", "alice", "note", {"text": "again"})
    query = QueueQuery(view=DRAFTS_VIEW)
    assert services.queue_ids(query) == ["D-2", "D-4"]  # the queue's order (due first, D-2 opened first)
    assert services.queue_head(query, 1) == ["D-2"]
    assert services.queue_count(query) == 2
    assert services.queue_ids(QueueQuery(view=DRAFTS_VIEW, text="d-4")) == ["D-4"]
    assert services.view_counts("alice")[DRAFTS_VIEW] == 2
    assert services.view_counts("alice", "D-2")[DRAFTS_VIEW] == 1
    assert not services.is_view("nonsense") and services.is_view(DRAFTS_VIEW) and services.is_view("all")

    rows = {i: row_from_stored(i, s) for i, s in services.queue_row_sources(["D-1", "D-2", "D-4"]).items()}
    with bundle.engine.connect() as conn:
        for dispute_id in ("D-2", "D-4"):
            expected = queue_line(drafts.replay(conn, store.load_dispute(conn, dispute_id, False)).state, clock.now())
            assert rows[dispute_id] == expected
        exported = store.load_dispute(conn, "D-1", False)
    assert rows["D-4"].stage == "awaiting_parties" and rows["D-2"].version == rows["D-1"].version + 2
    assert rows["D-1"].version == exported.version  # a case without drafts: its stored line

    # after a sync the conflicted case stays in the Drafts view, its line back to the exported state
    casework.note(ctx, "D-4", "carol", "meanwhile")
    bundle_sync.sync(ctx, bundle, "alice")
    assert services.queue_ids(query) == ["D-2", "D-4"]
    after = {i: row_from_stored(i, s) for i, s in services.queue_row_sources(["D-2", "D-4"]).items()}
    assert after["D-4"].stage == "awaiting_seller"  # the conflicted proposal is not in force
    assert after["D-2"].version == rows["D-2"].version  # applied drafts stay in force in the bundle


def test_undo_of_a_confirmed_draft_that_is_no_longer_the_last(bundle: Context) -> None:
    first = drafts.draft(bundle, "D-1", "alice", "note", {"text": "one"})
    second = drafts.draft(bundle, "D-1", "alice", "note", {"text": "two"})
    rows = drafts.list_drafts(bundle)
    assert drafts.undoable(rows) == {second["draft_id"]}
    with pytest.raises(Rejection, match=f"{first['draft_id']} is no longer the last draft of D-1"):
        drafts.undo_last(bundle, "D-1", first["draft_id"])
    assert drafts.undo_last(bundle, "D-1", second["draft_id"])["draft_id"] == second["draft_id"]
    assert [r["draft_id"] for r in drafts.list_drafts(bundle)] == [first["draft_id"]]
