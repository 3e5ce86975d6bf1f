"""Tools → Verify audit trail (§7.3), for supervisors and auditors (`permissions.may_verify_audit`).

`install(window)` is the one hook in `MainWindow.__init__`: it adds the Tools menu and `actionVerifyAudit`.
The check (`WorkstationServices.verify_audit`, which judges in a process pool) runs in a worker of the window's
pool with a progress bar and Cancel; the problems are listed, and double-click or Enter on one opens its case.
"""
from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QProgressBar, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from mediator_app.domain.permissions import may_verify_audit
from mediator_app.services.audit_verify import Cancelled, VerifyReport
from mediator_app.ui.formatting import tr
from mediator_app.ui.operations import Operations
from mediator_app.ui.phrasebook import phrase
from mediator_app.ui.worker import Worker, start



class ProblemList(QTreeWidget):
    """The problems found, one row each (dispute, version, what); Enter or double-click opens the case.

    Signals:
        open_case(str): the dispute id of the chosen row
    """

    open_case = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditProblems")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setHeaderLabels([tr("Dispute", "AuditCheck"), tr("Version", "AuditCheck"), tr("Problem", "AuditCheck")])
        self.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.itemActivated.connect(lambda item, _column: self.open_case.emit(item.text(0)))

    def show_report(self, report: VerifyReport) -> None:
        self.clear()
        for problem in report.problems:
            item = QTreeWidgetItem([problem.dispute_id, str(problem.version), phrase(problem.problem)])
            item.setToolTip(2, phrase(problem.problem))
            self.addTopLevelItem(item)
        self.resizeColumnToContents(0)
        self.resizeColumnToContents(1)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.open_case.emit(item.text(0))
            return
        super().keyPressEvent(event)


class AuditCheckDialog(QDialog):
    """The check's progress and its result; not modal (the clerk may open the cases it lists).

    Signals:
        open_case(str): a problem's dispute, to show in the window
        finished_check(object): the VerifyReport, or None when cancelled or failed
    """

    open_case = Signal(str)
    finished_check = Signal(object)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("auditCheckDialog")
        self.setWindowTitle(tr("Verify audit trail", "AuditCheck"))
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.status = QLabel(tr("Checking every dispute's history: hashes, versions and the replay of its "
                                "rules…", "AuditCheck"), self)
        self.status.setObjectName("auditCheckStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("auditCheckProgress")
        self.progress.setRange(0, 0)  # until the first batch says how many there are
        self.problems = ProblemList(self)
        self.problems.open_case.connect(self.open_case)
        self.problems.hide()
        self.buttons = QDialogButtonBox(self)
        self.cancel_button = QPushButton(tr("Cancel", "AuditCheck"), self)
        self.cancel_button.setObjectName("auditCheckCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(tr("Close", "AuditCheck"), self)
        self.close_button.setObjectName("auditCheckClose")
        self.close_button.clicked.connect(self.close)
        self.close_button.hide()
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        for widget in (self.status, self.progress, self.problems, self.buttons):
            layout.addWidget(widget)
        layout.setStretchFactor(self.problems, 1)
        self._stop = threading.Event()
        self.report: VerifyReport | None = None
        self.running = False

    def start(self) -> None:
        services, user, stop = self.ops.services, self.ops.user, self._stop
        job = Worker(lambda report: services.verify_audit(user, report, stop.is_set))
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self.running = True
        start(job, self.ops.pool)  # kept alive until it reports, whatever becomes of the dialog

    def cancel(self) -> None:
        """Stop after the batch being judged; the dialog stays open saying so."""
        self._stop.set()
        self.cancel_button.setEnabled(False)
        self.status.setText(tr("Stopping…", "AuditCheck"))

    def reject(self) -> None:  # Escape or the window's close button: stop a running check first
        if self.running:
            self.cancel()
        super().reject()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(tr("Checked %1 of %2 disputes…", "AuditCheck").replace("%1", f"{done:,}")
                            .replace("%2", f"{total:,}"))

    def _finish(self) -> None:
        self.running = False
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)

    def _on_done(self, report: VerifyReport) -> None:
        self._finish()
        self.report = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        counts = (tr("%1 disputes, %2 history rows checked", "AuditCheck").replace("%1", f"{report.disputes:,}")
                  .replace("%2", f"{report.rows:,}"))
        if report.problems:
            self.status.setText(counts + " — " + tr("%1 problems found. Double-click or press Enter on one to "
                                                    "open its case.", "AuditCheck").replace("%1", str(len(report.problems))))
            self.status.setStyleSheet("QLabel { color: #a61b1b; font-weight: bold; }")
            self.problems.show_report(report)
            self.problems.show()
            self.problems.setFocus()
        else:
            self.status.setText(counts + " — " + tr("no problem found: every history row matches its hash and "
                                                    "every case its replay.", "AuditCheck"))
            self.status.setStyleSheet("QLabel { color: #1d6b2f; font-weight: bold; }")
        self.finished_check.emit(report)

    def _on_failed(self, exc: Exception) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.status.setText(tr("Cancelled: the check was stopped before it covered every dispute.", "AuditCheck"))
        else:
            self.status.setText(tr("The check could not run: %1", "AuditCheck").replace("%1", phrase(str(exc))))
            self.status.setStyleSheet("QLabel { color: #a61b1b; }")
        self.progress.setRange(0, 1)
        self.finished_check.emit(None)


def install(window: Any) -> QAction:
    """Tools → Verify audit trail… (`actionVerifyAudit`), shown to the roles that may run the check. What it needs
    from the window: `ops`, `open_case`, `actions_by_name`, `menuBar()`."""
    menu = window.menuBar().addMenu(tr("&Tools", "AuditCheck"))
    menu.menuAction().setObjectName("menuTools")
    action = QAction(tr("&Verify audit trail…", "AuditCheck"), window)
    action.setObjectName("actionVerifyAudit")
    action.setToolTip(tr("Check every history row's hash and replay every case through the rules", "AuditCheck"))
    allowed = may_verify_audit(window.ops.role)
    action.setVisible(allowed)
    menu.menuAction().setVisible(allowed)
    menu.addAction(action)

    def run() -> None:
        dialog = AuditCheckDialog(window.ops, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_case.connect(window.open_case)
        window.audit_check = dialog
        dialog.show()
        dialog.start()

    action.triggered.connect(run)
    window.actions_by_name["VerifyAudit"] = action
    return action

