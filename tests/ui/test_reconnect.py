"""The database goes away while a clerk acts: the window says so, keeps the action, and sends it again once
the database is back — applied exactly once (its idempotency key)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from mediator_app.services.users import add_user
from tests.feeds import T0, opened


def test_an_action_during_an_outage_is_sent_again_once(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite:///{folder / 'cases.db'}"
    ctx = Context(make_engine(url), FixedClock(T0))
    migrate.upgrade(ctx.engine)
    add_user(ctx, "alice", "clerk")
    ingest_events(ctx, [opened("D-1")])
    window = build_main_window(url, "alice", ctx.clock, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)

    window.live.stop()  # keep the poller from racing the outage below
    window.ops.ctx.engine.dispose()
    away = tmp_path / "away"
    os.rename(folder, away)  # the database is gone
    window.actions_by_name["Claim"].trigger()
    qtbot.waitUntil(lambda: "out of reach" in window.banner_text.text(), timeout=30_000)
    assert window.status_connection.text().endswith("reconnecting…")
    os.rename(away, folder)  # and back
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.case["assigned_to"] == "alice",
                    timeout=60_000)
    timeline = show(ctx, "D-1")["timeline"]
    assert [t["kind"] for t in timeline].count("case.claimed") == 1
