"""The approval inbox (§5.2): what waits for a supervisor, by due time, worked from the keyboard.

Enter or A approves the current row, S sends it back with a note; a row the user may not approve (their own
ruling or proposal, or an auditor's view) is marked so and offers no Approve. The time left ticks every second.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from mediator_app.domain.desk_rows import ApprovalRow
from mediator_app.domain.desk import approval_refusal
from mediator_app.domain.errors import Rejection, VersionConflict
from mediator_app.domain.permissions import role_may
from mediator_app.services import casework, desk
from mediator_app.ui.desk.refresh import FoldedLoad
from mediator_app.ui.dialogs.text_dialog import TextDialog
from mediator_app.ui.desk.rows_table import RowsModel
from mediator_app.ui.formatting import QT_TR_NOOP, countdown, money_text, tr, when
from mediator_app.ui.refusals import error_text
from mediator_app.ui.operations import Operations

LEFT, DISPUTE, WHAT, BY, REFUND, SUBMITTED, DUE, MAY = range(8)
HEADERS = (QT_TR_NOOP("Time left"), QT_TR_NOOP("Dispute"), QT_TR_NOOP("Waiting"), QT_TR_NOOP("By"), QT_TR_NOOP("Refund"), QT_TR_NOOP("Submitted"), QT_TR_NOOP("Due"), QT_TR_NOOP("You"))
WHAT_TITLES = {"ruling": QT_TR_NOOP("Ruling"), "platform_proposal": QT_TR_NOOP("Platform proposal")}


class ApprovalModel(RowsModel[ApprovalRow]):
    """The rows of `mediator approvals`, in its order; the dispute id under Qt.UserRole."""

    def __init__(self, now: Callable[[], datetime], parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.now = now

    def key(self, row: ApprovalRow) -> str:
        return row.dispute_id

    def other(self, r: ApprovalRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == MAY and not r.can_approve:
            return tr("You may not approve this: %1", "Desk").replace("%1", self.refusal(r))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == LEFT and r.overdue_at(self.now()):
                return QBrush(QColor("#b71c1c"))
            if column == MAY and not r.can_approve:
                return QBrush(QColor("#6d6d6d"))
        return None

    def refusal(self, r: ApprovalRow) -> str:
        why = approval_refusal(self._user(), self._role(), r.by)
        return tr("your own", "Desk") if why == "own" else tr("supervisors approve", "Desk")

    def _user(self) -> str:
        return str(getattr(self.parent(), "user", ""))

    def _role(self) -> str | None:
        role = getattr(self.parent(), "role", None)
        return str(role) if role is not None else None

    def text(self, r: ApprovalRow, column: int) -> str:
        if column == LEFT:
            now = self.now()
            text = countdown(r.due, now)
            return tr("overdue %1", "Desk").replace("%1", text.lstrip("-")) if r.overdue_at(now) else text
        if column == DISPUTE:
            return r.dispute_id
        if column == WHAT:
            return tr(WHAT_TITLES.get(r.what, r.what), "Desk")
        if column == BY:
            return r.by
        if column == REFUND:
            return money_text(r.refund)
        if column in (SUBMITTED, DUE):
            return when(r.submitted_at if column == SUBMITTED else r.due)
        return tr("may approve", "Desk") if r.can_approve else tr("✕ not yours to approve", "Desk")

    def tick(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, LEFT), self.index(len(self.rows) - 1, LEFT),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole])


class InboxTable(QTableView):
    """Enter or A: approve; S: send back."""

    approve_pressed = Signal()
    send_back_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A) and not event.modifiers():
            self.approve_pressed.emit()
            return
        if event.key() == Qt.Key.Key_S and not event.modifiers():
            self.send_back_pressed.emit()
            return
        super().keyPressEvent(event)


class ApprovalInbox(QWidget):
    """Signals:
        decided(str): an approval or send-back was applied to that dispute
        open_case(str): the user asked to see the case (double-click)
    """

    decided = Signal(str)
    open_case = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = ops.user
        self.role = ops.role
        self.model = ApprovalModel(ops.clock.now, self)
        self.table = InboxTable(self)
        self.table.setObjectName("approvalInbox")
        self.table.setAccessibleName(tr("Approval inbox", "Desk"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAlternatingRowColors(True)
        self.approve_button = QPushButton(tr("&Approve", "Desk"), self)
        self.approve_button.setObjectName("inboxApprove")
        self.approve_button.setToolTip(tr("Approve the selected ruling or proposal (Enter or A)", "Desk"))
        self.send_back_button = QPushButton(tr("&Send back…", "Desk"), self)
        self.send_back_button.setObjectName("inboxSendBack")
        self.send_back_button.setToolTip(tr("Send it back to the clerk with a note (S)", "Desk"))
        self.message = QLabel(self)
        self.message.setObjectName("inboxMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.send_back_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.approve_button.setVisible(role_may(ops.role, "approve"))
        self.send_back_button.setVisible(role_may(ops.role, "send-back"))
        self.approve_button.clicked.connect(self.approve)
        self.send_back_button.clicked.connect(self.send_back)
        self.table.approve_pressed.connect(self.approve)
        self.table.send_back_pressed.connect(self.send_back)
        self.table.doubleClicked.connect(lambda index: self.open_case.emit(self.model.data(index, Qt.ItemDataRole.UserRole)))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        ctx, user = ops.ctx, ops.user
        self.loader = FoldedLoad(ops, lambda: desk.approval_rows(ctx, user), self._show, self._failed, self)
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self.model.tick)
        self.tick.start()
        self._update_buttons()

    def reload(self) -> None:
        self.loader.load()

    def refresh_soon(self) -> None:
        self.loader.soon()

    def _failed(self, exc: Exception) -> None:
        self.message.setText(error_text(exc))

    def _show(self, rows: list[ApprovalRow]) -> None:
        current = self.current()
        keep = current.dispute_id if current else None
        self.model.set_rows(rows)
        ids = [r.dispute_id for r in self.model.rows]
        if ids:
            row = ids.index(keep) if keep in ids else 0
            self.table.selectRow(row)

    def current(self) -> ApprovalRow | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        r = self.current()
        self.approve_button.setEnabled(r is not None and r.can_approve)
        self.send_back_button.setEnabled(r is not None and role_may(self.ops.role, "send-back"))

    def approve(self) -> None:
        r = self.current()
        if r is None or not r.can_approve:
            return  # never offered on such a row
        version = r.version
        ctx, user, dispute_id = self.ops.ctx, self.ops.user, r.dispute_id
        self._decide(tr("Approval", "Desk"), dispute_id,
                     lambda: casework.approve(ctx, dispute_id, user, expect_version=version))

    def send_back(self) -> None:
        r = self.current()
        if r is None or not role_may(self.ops.role, "send-back"):
            return
        version = r.version
        note = TextDialog.ask(self, tr("Send back %1", "Desk").replace("%1", r.dispute_id),
                              tr("Why is it sent back?", "Desk"), "")
        if note is None:
            return
        ctx, user, dispute_id = self.ops.ctx, self.ops.user, r.dispute_id
        self._decide(tr("Send-back", "Desk"), dispute_id,
                     lambda: casework.send_back(ctx, dispute_id, user, note, expect_version=version))

    def _decide(self, title: str, dispute_id: str, call: Callable[[], Any]) -> None:
        def done(_result: Any) -> None:
            self.message.setText(tr("%1 of %2: done", "Desk").replace("%1", title).replace("%2", dispute_id))
            self.decided.emit(dispute_id)
            self.reload()

        def failed(exc: Exception) -> None:
            if isinstance(exc, VersionConflict):
                text = tr("%1 changed meanwhile; nothing was applied — look again", "Desk").replace("%1", dispute_id)
            elif isinstance(exc, Rejection):
                text = tr("%1 was refused: %2", "Desk").replace("%1", title).replace("%2", error_text(exc))
            else:
                text = error_text(exc)
            self.message.setText(text)
            self.reload()

        self.ops.run(call, done, failed)


