"""The database goes away while a clerk acts: the window says so, keeps the action, and sends it again once
the database is back — applied exactly once (its idempotency key)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context, DatabaseUnavailable
from mediator_app.services.workstation import WorkstationServices
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from mediator_app.services.users import add_user
from mediator_app.ui.main_window import MainWindow
from mediator_app.ui.operations import Operations
from tests.feeds import T0, opened


@pytest.fixture
def settings_file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


def test_an_action_during_an_outage_is_sent_again_once(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite:///{folder / 'cases.db'}"
    waits: list[float] = []
    # the services' pause between attempts and the window's backoff are injected: nothing sleeps for real
    ctx = Context(make_engine(url), FixedClock(T0), pause=waits.append)
    migrate.upgrade(ctx.engine)
    add_user(ctx, "alice", "clerk")
    ingest_events(ctx, [opened("D-1")])
    ops = Operations(ctx, "alice", "clerk")
    window = MainWindow(ops, url, simulated_clock=True,
                        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.case_actions.retry_first_ms, window.case_actions.retry_max_ms = 20, 80
    window.start()
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)

    window.live.stop()  # keep the poller from racing the outage below
    window.ops.ctx.engine.dispose()
    away = tmp_path / "away"
    os.rename(folder, away)  # the database is gone
    window.actions_by_name["Claim"].trigger()
    qtbot.waitUntil(lambda: "out of reach" in window.banner_text.text(), timeout=10_000)
    assert waits, "the services paused between attempts (injected)"
    assert window.status_connection.text().endswith("reconnecting…")
    os.rename(away, folder)  # and back
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.case["assigned_to"] == "alice",
                    timeout=10_000)
    timeline = show(ctx, "D-1")["timeline"]
    assert [t["kind"] for t in timeline].count("case.claimed") == 1


class Unreachable(WorkstationServices):
    """The services of a database that went away: every claim fails as unreachable (counted)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.claims = 0

    def claim(self, *args: Any, **kwargs: Any) -> Any:
        self.claims += 1
        raise DatabaseUnavailable("the database is out of reach: gone for this test")


def test_no_retry_fires_after_the_window_is_gone(qtbot: QtBot, ctx: Context, settings_file: QSettings) -> None:
    ingest_events(ctx, [opened("D-1")])
    services = Unreachable(ctx)
    ops = Operations(ctx, "alice", "clerk", services=services)
    window = MainWindow(ops, "test", simulated_clock=True, settings=settings_file)
    window.case_actions.retry_first_ms = 50
    window.start()
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)
    window.live.stop()
    window.actions_by_name["Claim"].trigger()
    qtbot.waitUntil(lambda: "out of reach" in window.banner_text.text(), timeout=10_000)
    assert services.claims == 1  # and a retry is due in 50 ms
    with qtbot.waitSignal(window.destroyed, timeout=10_000):
        window.close()
        window.deleteLater()
    qtbot.wait(300)  # the event loop runs well past the retry's time (no thread sleeps)
    ops.wait_for_idle(5_000)
    assert services.claims == 1, "a retry ran after its window was gone"
