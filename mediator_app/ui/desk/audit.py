"""The audit browser (§5.4): history rows filtered by dispute, user, kind and time range, newest or oldest
first, paged from SQL by key (a page deep in millions of rows costs what the first does); double-click opens
the case."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QDateTime, QModelIndex, QPersistentModelIndex, Qt, QTimer, QTimeZone, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateTimeEdit, QGridLayout, QHeaderView,
                               QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget)

from mediator_app.domain.desk_rows import AuditEntry
from mediator_app.services import desk
from mediator_app.services.desk import AuditFilter
from mediator_app.ui.desk.rows_table import RowsModel
from mediator_app.ui.formatting import PARTIES, QT_TR_NOOP, label, tr
from mediator_app.ui.case_view import timeline_kind
from mediator_app.ui.phrasebook import phrase
from mediator_app.ui.refusals import error_text
from mediator_app.ui.operations import Operations

PAGE = 200
COLUMNS = (("at", QT_TR_NOOP("When (UTC)")), ("dispute_id", QT_TR_NOOP("Dispute")), ("version", QT_TR_NOOP("Version")), ("kind", QT_TR_NOOP("Kind")),
           ("actor", QT_TR_NOOP("User")), ("party", QT_TR_NOOP("Party")), ("summary", QT_TR_NOOP("What happened")))
KINDS = ("dispute.opened", "proposal.posted", "proposal.withdrawn", "proposal.accepted", "proposal.rejected",
         "dispute.escalated", "dispute.cancelled", "message.posted", "evidence.added", "return.shipped",
         "return.received", "platform_proposal.posted", "platform_proposal.approved", "ruling.made",
         "ruling.approved", "approval.sent_back", "clock.expired", "case.claimed", "case.assigned", "case.released",
         "note.added")


class AuditModel(RowsModel[AuditEntry]):
    """Pages of audit rows, loaded in workers as the view scrolls (`fetchMore`); the dispute id under UserRole.

    Signals:
        page_loaded(int): rows now held
        counted(int): how many rows match the filter
    """

    page_loaded = Signal(int)
    counted = Signal(int)

    def __init__(self, ops: Operations, parent: Any = None) -> None:
        super().__init__([title for _key, title in COLUMNS], parent)
        self.ops = ops
        self.filter = AuditFilter(newest_first=True)
        self.total: int | None = None
        self._more = False  # nothing is read before the first `set_filter` or `reload`
        self._loading = False
        self._generation = 0

    def set_filter(self, flt: AuditFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self.rows, self.total, self._more, self._loading = [], None, True, False
        self.endResetModel()
        self._load_page()
        generation, ctx, user, flt = self._generation, self.ops.ctx, self.ops.user, self.filter
        self.ops.run(lambda: desk.audit_count(ctx, user, flt), lambda n: self._on_counted(generation, n),
                     lambda _e: None, quiet=True, owner=self)

    def _on_counted(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self.total = n
            self.counted.emit(n)

    def _load_page(self) -> None:
        if self._loading or not self._more:
            return
        self._loading = True
        generation, ctx, user, flt = self._generation, self.ops.ctx, self.ops.user, self.filter
        after = None
        if self.rows:
            last = self.rows[-1]
            after = (last.at, last.dispute_id, last.version)
        self.ops.run(lambda: desk.audit_page(ctx, user, flt, after, PAGE),
                     lambda rows: self._on_page(generation, rows), lambda exc: self._on_failed(generation, exc),
                     owner=self)

    def _on_page(self, generation: int, rows: list[AuditEntry]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._more = len(rows) == PAGE
        self.append_rows(rows)
        self.page_loaded.emit(len(self.rows))

    def _on_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loading, self._more = False, False
            self.ops.failed.emit(error_text(exc))

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if not parent.isValid():
            self._load_page()

    def key(self, row: AuditEntry) -> str:
        return row.dispute_id

    def text(self, row: AuditEntry, column: int) -> str:
        # party text is data: one line in the cell, control characters shown escaped
        return self._cell(row, column).replace("\n", " ⏎ ")

    def other(self, row: AuditEntry, column: int, role: int) -> Any:
        return self._cell(row, column) if role == Qt.ItemDataRole.ToolTipRole else None

    def _cell(self, row: AuditEntry, column: int) -> str:
        key = COLUMNS[column][0]
        if key == "at":
            return row.at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        value = getattr(row, key)
        text = "—" if value is None else str(value)
        if key == "party" and value is not None:
            return label(PARTIES, text)
        if key == "kind":
            return timeline_kind(text)
        if key == "summary":
            return phrase(text)
        return text

    def json_rows(self) -> list[dict[str, Any]]:
        return [desk.audit_row(r) for r in self.rows]


def _qdt(at: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(at.timestamp()), QTimeZone.utc())


def _py(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), timezone.utc)


class AuditPanel(QWidget):
    """Signals:
        open_case(str): a row was double-clicked (or Enter)
    """

    open_case = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = AuditModel(ops, self)
        self.dispute_edit = QLineEdit(self)
        self.dispute_edit.setObjectName("auditDispute")
        self.dispute_edit.setPlaceholderText(tr("Dispute id", "Desk"))
        self.dispute_edit.setMinimumWidth(90)
        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("auditUser")
        self.user_edit.setPlaceholderText(tr("User", "Desk"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("auditKind")
        self.kind_combo.addItem(tr("Every kind", "Desk"), None)
        for kind in KINDS:
            self.kind_combo.addItem(timeline_kind(kind), kind)
        now = ops.clock.now()
        self.since_check = QCheckBox(tr("From", "Desk"), self)
        self.since_check.setObjectName("auditSinceOn")
        self.since_edit = QDateTimeEdit(_qdt(now.replace(hour=0, minute=0, second=0, microsecond=0)), self)
        self.since_edit.setObjectName("auditSince")
        self.until_check = QCheckBox(tr("Before", "Desk"), self)
        self.until_check.setObjectName("auditUntilOn")
        self.until_edit = QDateTimeEdit(_qdt(now), self)
        self.until_edit.setObjectName("auditUntil")
        for edit in (self.since_edit, self.until_edit):
            edit.setTimeZone(QTimeZone.utc())
            edit.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
            edit.setCalendarPopup(True)
        self.order_combo = QComboBox(self)
        self.order_combo.setObjectName("auditOrder")
        self.order_combo.addItem(tr("Newest first", "Desk"), True)
        self.order_combo.addItem(tr("Oldest first", "Desk"), False)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("auditCount")
        self.table = QTableView(self)
        self.table.setObjectName("auditView")
        self.table.setAccessibleName(tr("Audit trail", "Desk"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((145, 90, 50, 150, 60, 60)):
            header.resizeSection(column, width)
        grid = QGridLayout()
        grid.addWidget(self.dispute_edit, 0, 0)
        grid.addWidget(self.user_edit, 0, 1)
        grid.addWidget(self.kind_combo, 0, 2)
        grid.addWidget(self.order_combo, 0, 3)
        grid.addWidget(self.since_check, 1, 0)
        grid.addWidget(self.since_edit, 1, 1)
        grid.addWidget(self.until_check, 1, 2)
        grid.addWidget(self.until_edit, 1, 3)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        self._apply_timer = QTimer(self)
        self._apply_timer.setSingleShot(True)
        self._apply_timer.setInterval(300)
        self._apply_timer.timeout.connect(self.apply)
        for signal in (self.dispute_edit.textChanged, self.user_edit.textChanged):
            signal.connect(lambda *_: self._apply_timer.start())
        for signal in (self.kind_combo.currentIndexChanged, self.order_combo.currentIndexChanged,
                       self.since_check.toggled, self.until_check.toggled, self.since_edit.dateTimeChanged,
                       self.until_edit.dateTimeChanged):
            signal.connect(lambda *_: self._apply_timer.start())
        self.model.counted.connect(lambda n: self.count_label.setText(
            tr("%1 rows match", "Desk").replace("%1", f"{n:,}")))
        self.table.doubleClicked.connect(lambda index: self.open_case.emit(
            self.model.data(index, Qt.ItemDataRole.UserRole)))
        self.table.activated.connect(lambda index: self.open_case.emit(
            self.model.data(index, Qt.ItemDataRole.UserRole)))

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            dispute_id=self.dispute_edit.text().strip() or None, user=self.user_edit.text().strip() or None,
            kind=self.kind_combo.currentData(),
            since=_py(self.since_edit.dateTime()) if self.since_check.isChecked() else None,
            until=_py(self.until_edit.dateTime()) if self.until_check.isChecked() else None,
            newest_first=bool(self.order_combo.currentData()))

    def apply(self) -> None:
        self._apply_timer.stop()
        self.model.set_filter(self.current_filter())

    def set_filter(self, flt: AuditFilter) -> None:
        """Show `flt` (tests and other panels): the widgets follow it."""
        for widget in (self.dispute_edit, self.user_edit, self.kind_combo, self.order_combo, self.since_check,
                       self.until_check, self.since_edit, self.until_edit):
            widget.blockSignals(True)
        self.dispute_edit.setText(flt.dispute_id or "")
        self.user_edit.setText(flt.user or "")
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(flt.kind)) if flt.kind else 0)
        self.order_combo.setCurrentIndex(0 if flt.newest_first else 1)
        self.since_check.setChecked(flt.since is not None)
        self.until_check.setChecked(flt.until is not None)
        if flt.since is not None:
            self.since_edit.setDateTime(_qdt(flt.since))
        if flt.until is not None:
            self.until_edit.setDateTime(_qdt(flt.until))
        for widget in (self.dispute_edit, self.user_edit, self.kind_combo, self.order_combo, self.since_check,
                       self.until_check, self.since_edit, self.until_edit):
            widget.blockSignals(False)
        self.model.set_filter(replace(flt))
