"""Two workstations on one database: what one does appears in the other without a refresh."""
from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services import presence
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from mediator_app.ui.live_updates import LiveUpdates
from mediator_app.ui.main_window import MainWindow
from mediator_app.ui.operations import Operations
from tests.feeds import opened


def window_for(qtbot: QtBot, ctx: Context, user: str, clock: FixedClock, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), user, clock, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == "D-1", timeout=10_000)
    return window


def test_a_claim_in_one_window_appears_in_the_other(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                     tmp_path: Path) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    alice = window_for(qtbot, ctx, "alice", clock, tmp_path)
    carol = window_for(qtbot, ctx, "carol", clock, tmp_path)
    qtbot.waitUntil(lambda: carol.status_connection.text().endswith("live"), timeout=10_000)
    alice.actions_by_name["Claim"].trigger()
    # carol did nothing: her open case and her queue show alice's claim
    qtbot.waitUntil(lambda: carol.detail is not None and carol.detail.case["assigned_to"] == "alice",
                    timeout=5_000)
    assigned = lambda: carol.queue.model.cached_row(carol.queue.model.row_of("D-1"))  # noqa: E731
    qtbot.waitUntil(lambda: assigned() is not None and assigned().assigned_to == "alice", timeout=5_000)


def test_a_feed_event_appears_in_an_open_window(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                tmp_path: Path) -> None:
    ingest_events(ctx, [opened("D-1")])
    alice = window_for(qtbot, ctx, "alice", clock, tmp_path)
    qtbot.waitUntil(lambda: alice.status_connection.text().endswith("live"), timeout=10_000)
    ingest_events(ctx, [opened("D-9")])
    qtbot.waitUntil(lambda: "D-9" in alice.queue.ordered_ids(), timeout=5_000)


def test_presence_shows_who_else_has_the_case_open(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                   tmp_path: Path) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    alice = window_for(qtbot, ctx, "alice", clock, tmp_path)
    carol = window_for(qtbot, ctx, "carol", clock, tmp_path)
    # carol's window said it has D-1 open (its heartbeat on opening the case) before alice asks
    qtbot.waitUntil(lambda: "carol" in presence.heartbeat(ctx, "observer", "test", None).get("D-1", []),
                    timeout=5_000)
    alice.session.beat()
    qtbot.waitUntil(lambda: alice.presence_label.isVisibleTo(alice) and "carol" in alice.presence_label.text(),
                    timeout=5_000)
    model = alice.queue.model
    clerk_column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Clerk")
    qtbot.waitUntil(lambda: "open: carol" in model.index(model.row_of("D-1"), clerk_column).data(), timeout=5_000)
    carol.close()  # leaving removes the mark
    qtbot.waitUntil(lambda: carol.ops.busy == 0, timeout=5_000)
    alice.session.beat()
    qtbot.waitUntil(lambda: not alice.presence_label.isVisibleTo(alice), timeout=5_000)


def test_an_open_claimed_case_keeps_its_lease(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                              tmp_path: Path) -> None:
    ingest_events(ctx, [opened("D-1")])
    alice = window_for(qtbot, ctx, "alice", clock, tmp_path)
    with qtbot.waitSignal(alice.case_actions.answered, timeout=10_000):
        alice.actions_by_name["Claim"].trigger()
    # the case shown may be an earlier load (a live update racing the claim): wait for the claimed one
    qtbot.waitUntil(lambda: alice.detail is not None and alice.detail.case["assigned_to"] == "alice",
                    timeout=10_000)
    first_expiry = show(ctx, "D-1")["claim_expires_at"]
    clock.advance(timedelta(minutes=5))
    alice.session.beat()  # plenty left: nothing to do
    clock.advance(timedelta(minutes=6))
    alice.session.beat()  # 19 minutes left: renewed
    qtbot.waitUntil(lambda: show(ctx, "D-1")["claim_expires_at"] != first_expiry, timeout=5_000)
    assert show(ctx, "D-1")["claim_expires_at"] == "2026-11-01T02:41:00Z"
    assert [t["kind"] for t in show(ctx, "D-1")["timeline"]].count("case.claimed") == 2


def test_a_workstation_can_run_the_sweeper(qtbot: QtBot, ctx: Context, clock: FixedClock, tmp_path: Path) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    alice = window_for(qtbot, ctx, "alice", clock, tmp_path)
    clock.advance(timedelta(hours=120))  # both sellers' time ran out
    alice.actions_by_name["Sweep"].setChecked(False)  # on SQLite it runs by default (issue 15): off, then on
    alice.actions_by_name["Sweep"].setChecked(True)
    qtbot.waitUntil(lambda: show(ctx, "D-2")["status"] == "closed", timeout=10_000)
    assert show(ctx, "D-1")["outcome"]["reached_type"] == "seller_response_timeout"
    qtbot.waitUntil(lambda: alice.detail is not None and alice.detail.case["status"] == "closed", timeout=10_000)
    alice.actions_by_name["Sweep"].setChecked(False)
    assert not alice.session.sweep_timer.isActive()


def test_on_the_embedded_database_the_window_executes_expired_clocks_by_itself(
        qtbot: QtBot, ctx: Context, clock: FixedClock, tmp_path: Path) -> None:
    """Issue 15: a single workstation on SQLite is the only place a sweeper can run, so it runs there unless
    turned off; on PostgreSQL a service runs it and the window only when asked."""
    ingest_events(ctx, [opened("D-1")])
    alice = window_for(qtbot, ctx, "alice", clock, tmp_path)
    sweep = alice.actions_by_name["Sweep"]
    if ctx.engine.dialect.name != "sqlite":
        assert not sweep.isChecked() and not alice.status_sweeper.isVisible()
        return
    assert sweep.isChecked()
    qtbot.waitUntil(lambda: "0 executed" in alice.status_sweeper.text(), timeout=10_000)  # ran at start
    alice.session.set_sweep_interval(50)  # the clock is injected: no waiting for 30 s
    # The next sweep (50 ms later) says "0 executed" again: catch the one that executed, as it is reported.
    with qtbot.waitSignal(alice.session.swept, check_params_cb=lambda executed: executed == 1, timeout=10_000):
        clock.advance(timedelta(hours=120))  # the seller's time ran out; nobody does anything
    assert "1 executed" in alice.status_sweeper.text()
    assert show(ctx, "D-1")["status"] == "closed"
    assert show(ctx, "D-1")["outcome"]["reached_type"] == "seller_response_timeout"
    qtbot.waitUntil(lambda: alice.detail is not None and alice.detail.case["status"] == "closed", timeout=10_000)
    sweep.setChecked(False)  # the setting is kept: the next window on this machine does not sweep
    alice.close()
    again = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock,
                              QSettings(str(tmp_path / "alice.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)  # (started by build_main_window)
    assert not again.actions_by_name["Sweep"].isChecked()


def test_a_listener_whose_window_is_deleted_stops_without_an_error(qtbot: QtBot, ctx: Context) -> None:
    """A `LiveUpdates` deleted without `stop()` (its window gone): the listener thread must neither raise
    ("Signal source has been deleted") when the next change arrives nor keep listening."""
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite workstations poll")
    errors: list[BaseException] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)  # type: ignore[assignment]
    try:
        ops = Operations(ctx, "alice", "clerk")
        live = LiveUpdates(ops)
        states: list[bool] = []
        live.connection_changed.connect(states.append)
        live.start()
        qtbot.waitUntil(lambda: states == [True], timeout=10_000)
        thread = live._thread  # noqa: SLF001 (the listener thread is what this test watches)
        assert thread is not None and thread.is_alive()
        live.deleteLater()
        qtbot.waitUntil(lambda: not shiboken6.isValid(live), timeout=5_000)
        ingest_events(ctx, [opened("D-9")])  # a change for a listener whose object is gone
        thread.join(timeout=10)
        assert not thread.is_alive(), "the listener ends once its object is deleted"
        assert errors == []
        ops.wait_for_idle()
    finally:
        threading.excepthook = previous
