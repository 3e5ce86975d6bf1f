"""One 1 Hz ticker for the window: it turns over just after the clock's second, and the window has only it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QElapsedTimer
from pytestqt.qtbot import QtBot

from mediator_app.domain.time import FixedClock
from mediator_app.ui.ticker import Ticker


def test_the_ticker_fires_just_after_the_clocks_next_second(qtbot: QtBot) -> None:
    clock = FixedClock(datetime(2026, 11, 26, 9, 30, 15, 800_000, tzinfo=timezone.utc))  # 0.2 s to the second
    ticker = Ticker(clock)
    elapsed = QElapsedTimer()
    elapsed.start()
    with qtbot.waitSignal(ticker.tick, timeout=2_000):
        pass
    assert 150 <= elapsed.elapsed() < 900
    clock.set(clock.now() + timedelta(milliseconds=200))  # now on the whole second: the next tick a second on
    elapsed.restart()
    with qtbot.waitSignal(ticker.tick, timeout=3_000):
        pass
    assert ticker.is_running()
    ticker.stop()
    assert not ticker.is_running()
    with qtbot.assertNotEmitted(ticker.tick, wait=1_300):
        pass


def test_the_window_has_one_ticker_and_the_queue_uses_it(qtbot: QtBot, ctx, clock: FixedClock,
                                                        tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from mediator_app.app import build_main_window
    from mediator_app.services.feed import ingest_events
    from tests.feeds import opened

    ingest_events(ctx, [opened("D-1")])
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "D-1" in window.queue.ordered_ids(), timeout=10_000)
    tickers = window.findChildren(Ticker)
    assert len(tickers) == 1 and window.queue.ticker is tickers[0]
    with qtbot.waitSignal(tickers[0].tick, timeout=2_000):
        pass
    window.close()
