"""The outbound feed's consumers on the supervisor's desk (issue 14): lag, the warning past the threshold in the
settings, refreshed with the live updates; on both databases."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu
from pytestqt.qtbot import QtBot

from mediator_app.domain.time import FixedClock
from mediator_app.services import outbox
from mediator_app.services.context import Context
from mediator_app.services.outbox import LAG_WARNING_SETTING
from tests.cli_runner import Mediator
from tests.db import desk_set as ds
from tests.db.feeds import cancelled, opened, write_feed, z
from tests.ui.test_desk import open_desk, settings, window_for  # noqa: F401 (a fixture)


def chip(window: object, name: str) -> QLabel:
    found = window.findChild(QLabel, f"lagConsumer_{name}")  # type: ignore[attr-defined]
    assert found is not None, name
    return found


def test_a_consumer_behind_the_threshold_shows_the_warning(qtbot: QtBot, db_url: str, ctx: Context,
                                                           capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                           settings: QSettings,  # noqa: F811
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    at = Context(ctx.engine, FixedClock(ds.NOW), "test")
    last = outbox.read(at, 0, outbox.MAX_LIMIT).next
    outbox.ack(at, "ledger", last)  # up to date
    outbox.ack(at, "billing", 0)  # has read nothing
    behind = {lag.name: lag.behind for lag in outbox.consumer_lag(at)}
    assert behind["ledger"] == 0 and behind["billing"] > 0
    threshold = behind["billing"]  # exactly at the threshold: no warning yet (the default, 1000, never would)
    settings.setValue(LAG_WARNING_SETTING, threshold)
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW), settings)
    desk = open_desk(qtbot, window)
    lag = desk.dashboard.lag
    assert window.findChild(type(lag), "outboxLag") is lag
    qtbot.waitUntil(lambda: len(lag.lags) == 2, timeout=10_000)
    assert lag.threshold == threshold and lag.warned() == []
    assert lag.warning.isHidden() and chip(window, "billing").property("warning") is False
    assert f"{threshold:,}" in chip(window, "billing").text() and "up to date" in chip(window, "ledger").text()
    # a dispute elsewhere opens and the buyer cancels it: its outbound events put billing further behind, and
    # the live update re-reads the lag
    feed = write_feed(tmp_path / "more.jsonl", [
        opened("E-LAG", "D-LAG", ds.NOW - timedelta(hours=2), order_id="O-LAG"),
        cancelled("E-LAG-X", "buyer", ds.NOW - timedelta(hours=1), dispute_id="D-LAG")])
    assert m("ingest", str(feed), now=z(ds.NOW)).code == 0
    assert {lag.name: lag.behind for lag in outbox.consumer_lag(at)}["billing"] > threshold
    qtbot.waitUntil(lambda: lag.warned() == ["billing"], timeout=20_000)
    assert not lag.warning.isHidden() and "billing" in lag.warning.text() and "ledger" not in lag.warning.text()
    assert chip(window, "billing").property("warning") is True and chip(window, "ledger").property("warning") is False
    assert lag.chip("billing") is chip(window, "billing") and len(window.findChildren(QLabel, "lagConsumer_billing")) == 1
    # Settings → Outbound feed warning…: a higher threshold is stored and the warning goes
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *args: (threshold + 100, True)))
    action = window.actions_by_name["LagWarning"]
    assert [o.objectName() for o in action.associatedObjects() if isinstance(o, QMenu)] == ["menuSettings"]
    action.trigger()
    assert int(settings.value(LAG_WARNING_SETTING)) == threshold + 100
    qtbot.waitUntil(lambda: lag.threshold == threshold + 100 and not lag.loader.running and lag.warned() == [],
                    timeout=10_000)
    assert lag.warning.isHidden()
