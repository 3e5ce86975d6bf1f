"""Tools → Verify audit trail (§7.3): for supervisors and auditors, in a worker with progress, Cancel, and a
list of problems that opens each case."""
from __future__ import annotations

from pathlib import Path
from threading import Event
from typing import Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services.audit_verify import VerifyReport
from mediator_app.services.context import Context
from mediator_app.services.workstation import WorkstationServices
from mediator_app.ui.audit_check import AuditCheckDialog
from mediator_app.ui.main_window import MainWindow
from tests.db.test_audit_verify import casework_day, superuser
from tests.feeds import T0
from datetime import timedelta

NOW = T0 + timedelta(days=7)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    from mediator_app.ui.main_window import SWEEP_SETTING

    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    settings.setValue(SWEEP_SETTING, False)
    return settings


def window_for(qtbot: QtBot, ctx: Context, user: str, settings: QSettings) -> MainWindow:
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), user, FixedClock(NOW), settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.queue.model.head_loaded, timeout=10_000)
    return window


def run_check(qtbot: QtBot, window: MainWindow) -> AuditCheckDialog:
    window.actions_by_name["VerifyAudit"].trigger()
    dialog = window.audit_check
    with qtbot.waitSignal(dialog.finished_check, timeout=30_000):
        pass
    return dialog



def test_the_check_lists_problems_and_opens_their_case(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    casework_day(ctx)
    superuser(ctx.engine, "DELETE FROM history WHERE dispute_id = 'D-3' AND version = 3")
    window = window_for(qtbot, ctx, "dora", settings)
    assert window.actions_by_name["VerifyAudit"].isVisible()
    dialog = window.audit_check if hasattr(window, "audit_check") else None
    assert dialog is None
    dialog = run_check(qtbot, window)
    assert dialog.report is not None and dialog.report.disputes == 4
    problems = dialog.problems
    assert problems.isVisible() and problems.topLevelItemCount() == 1
    item = problems.topLevelItem(0)
    assert (item.text(0), item.text(1)) == ("D-3", "3")
    assert item.text(2) == "version 3 is missing from the history (a row was deleted)"
    assert dialog.progress.value() == dialog.progress.maximum()
    problems.setFocus()
    qtbot.keyClick(problems, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == "D-3", timeout=10_000)



def test_a_clean_trail_says_so(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    casework_day(ctx)
    window = window_for(qtbot, ctx, "bob", settings)
    dialog = run_check(qtbot, window)
    assert dialog.report is not None and dialog.report.problems == []
    assert not dialog.problems.isVisible() and "no problem found" in dialog.status.text()



def test_clerks_are_not_offered_the_check(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    window = window_for(qtbot, ctx, "alice", settings)
    assert not window.actions_by_name["VerifyAudit"].isVisible()


class HeldCheck(WorkstationServices):
    """A check that reports progress, then waits until the test lets it go on, then honours Cancel."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.go_on = Event()

    def verify_audit(self, user: str, progress: Callable[[int, int], None],
                     cancelled: Callable[[], bool]) -> VerifyReport:
        progress(500, 2000)
        self.go_on.wait(10)
        from mediator_app.services.audit_verify import Cancelled

        if cancelled():
            raise Cancelled()
        return VerifyReport(2000, 9000, [])



def test_progress_and_cancel(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    window = window_for(qtbot, ctx, "bob", settings)
    services = HeldCheck(ctx)
    window.ops.services = services
    dialog = AuditCheckDialog(window.ops, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 2000 and dialog.progress.value() == 500, timeout=10_000)
    assert "500 of 2,000" in dialog.status.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.finished_check, timeout=10_000) as done:
        services.go_on.set()
    assert done.args == [None] and dialog.status.text().startswith("Cancelled")
    assert dialog.close_button.isVisible() and not dialog.cancel_button.isVisible()
