"""The workload table: who holds how many open cases (and how many overdue), and decided today; a clerk's
cases can be moved to another from here (`reassign --from`)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from mediator_app.domain.desk_rows import DeskFigures, WorkloadRow
from mediator_app.domain.permissions import role_may
from mediator_app.services import assignments
from mediator_app.ui.desk.rows_table import RowsModel
from mediator_app.ui.refusals import error_text
from mediator_app.ui.desk.reassign import ReassignSummary, choose_target, summary_text
from mediator_app.ui.formatting import QT_TR_NOOP, ROLES, label, tr
from mediator_app.ui.operations import Operations

COLUMNS = (("user", QT_TR_NOOP("Clerk")), ("role", QT_TR_NOOP("Role")), ("holding", QT_TR_NOOP("Holding")), ("holding_overdue", QT_TR_NOOP("Overdue")),
           ("decided_today", QT_TR_NOOP("Decided today")))


class WorkloadModel(RowsModel[WorkloadRow]):
    """`stats`' workload rows; the user name under Qt.UserRole."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([title for _key, title in COLUMNS], parent)

    def key(self, row: WorkloadRow) -> str:
        return row.user

    def text(self, r: WorkloadRow, column: int) -> str:
        key = COLUMNS[column][0]
        return label(ROLES, r.role) if key == "role" else str(getattr(r, key))

    def other(self, r: WorkloadRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column][0] not in ("user", "role"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class WorkloadPanel(QWidget):
    """Signals:
        moved(object): a ReassignSummary after cases were moved
        open_view(str): show the queue of what a user holds (double-click)
    """

    moved = Signal(object)
    open_view = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = WorkloadModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("workloadView")
        self.table.setAccessibleName(tr("Workload per clerk", "Desk"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.move_button = QPushButton(tr("&Move their cases to…", "Desk"), self)
        self.move_button.setObjectName("workloadMove")
        self.move_button.setToolTip(tr("Assign every open case the selected person holds to someone else", "Desk"))
        self.move_button.setVisible(role_may(ops.role, "assign"))
        self.message = QLabel(self)
        self.message.setObjectName("workloadMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.move_button)
        row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.move_button.clicked.connect(self.move_cases)
        self.table.doubleClicked.connect(
            lambda index: self.open_view.emit(f"holder:{self.model.data(index, Qt.ItemDataRole.UserRole)}"))

    def show_figures(self, figures: DeskFigures) -> None:
        keep = self.selected_user()
        self.model.set_rows(figures.workload)
        users = [r.user for r in self.model.rows]
        if keep in users:
            self.table.selectRow(users.index(keep))

    def selected_user(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def move_cases(self) -> None:
        source = self.selected_user()
        if source is None or not role_may(self.ops.role, "assign"):
            return
        names = [r.user for r in self.model.rows if r.user != source]
        target = choose_target(self, tr("Move %1's cases", "Desk").replace("%1", source), names)
        if target is None:
            return
        ctx, user = self.ops.ctx, self.ops.user

        def work() -> ReassignSummary:
            ids = assignments.cases_of(ctx, from_user=source)
            return ReassignSummary(target, assignments.reassign(ctx, user, target, ids))

        def done(summary: ReassignSummary) -> None:
            self.message.setText(summary_text(summary))
            self.moved.emit(summary)

        self.ops.run(work, done, lambda exc: self.message.setText(error_text(exc)))
