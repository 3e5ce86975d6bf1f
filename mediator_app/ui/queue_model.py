"""The queue as a table model: a thin Qt face over `QueueLoader` (keys, pages, the load protocol) and
`queue_style` (colours, icons, words). Sorting and filtering make a new query — there is no proxy over all rows.

`look(row, column)` is what `QueueDelegate` paints; `data()` answers every role from the same strings. The
countdown is computed from `due - clock.now()` when painted; `tick()` (driven by the window's one `Ticker`)
announces a change of each visible countdown cell and nothing else.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from mediator_app.domain.queue_line import QueueLine
from mediator_app.services.workbench import QueueQuery
from mediator_app.ui import queue_style as style
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_lines import (AMOUNT, ASSIGNED, CLOCK, COLUMN_COUNT, DISPUTE, LEFT, PREVIEW, REASON, SLA,
                                         STAGE, PreparedLine)
from mediator_app.ui.queue_loader import QueueLoader
from mediator_app.ui.queue_style import (ALIGNMENT, PLACEHOLDER, URGENT_COLOURS, Look, breached_look,
                                        placeholder_look, urgency_icon)
from mediator_app.ui.formatting import countdown, plain_tip, urgency

__all__ = ["ALIGNMENT", "AMOUNT", "ASSIGNED", "CLOCK", "COLUMN_COUNT", "DISPUTE", "LEFT", "PLACEHOLDER", "PREVIEW",
           "REASON", "SLA", "SORT_KEYS", "STAGE", "Look", "QueueModel", "urgency_icon"]
# column -> workbench sort key; None: not sortable (the header click is refused)
SORT_KEYS: dict[int, str | None] = {
    LEFT: "due", CLOCK: "clock", DISPUTE: "dispute", STAGE: "stage", REASON: "reason", AMOUNT: "amount",
    ASSIGNED: "assigned", SLA: None, PREVIEW: None,
}
COUNTDOWN_ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
                   Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole]
_CELL_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
                         Qt.ItemDataRole.AccessibleTextRole})


class QueueModel(QAbstractTableModel):
    """Open disputes of one saved view, filter and sort; rows fetched by page by its `loader`.

    Call `reload()` (or change the query) to load; nothing is loaded on construction.

    Signals:
        loaded(): the row count and the first page (and the visible pages) of the current query are in
        keys_loaded(): every key of the current query is in (`loading` is False from then on)
        page_loaded(int): a page of rows arrived (page number)
        query_changed(): another view, filter or sort was set; its load has started
    """

    loaded = Signal()
    keys_loaded = Signal()
    page_loaded = Signal(int)
    query_changed = Signal()

    def __init__(self, ops: Operations, parent: QObject | None = None, page_size: int = 200,
                 max_pages: int = 50) -> None:
        super().__init__(parent)
        self.ops = ops
        self.loader = QueueLoader(ops, self, page_size, max_pages, listener=self)
        self._line = self.loader.line  # bound once: `look` runs for every cell painted
        self._now = ops.clock.now
        self._elsewhere: dict[str, list[str]] = {}  # dispute id -> other users who have it open
        self.loader.loaded.connect(self.loaded)
        self.loader.keys_loaded.connect(self.keys_loaded)
        self.loader.page_loaded.connect(self.page_loaded)

    # ----- what the loader tells (RowListener) ------------------------------------------------------------

    def begin_reset(self) -> None:
        self.beginResetModel()

    def end_reset(self) -> None:
        self.endResetModel()

    def begin_insert(self, first: int, last: int) -> None:
        self.beginInsertRows(QModelIndex(), first, last)

    def end_insert(self) -> None:
        self.endInsertRows()

    def begin_remove(self, first: int, last: int) -> None:
        self.beginRemoveRows(QModelIndex(), first, last)

    def end_remove(self) -> None:
        self.endRemoveRows()

    def rows_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))

    # ----- the query ------------------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        return self.loader.page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        self.loader.page_size = value

    @property
    def query(self) -> QueueQuery:
        return self.loader.query

    @property
    def loading(self) -> bool:
        """True from `reload()` until every key of the query is in."""
        return self.loader.loading

    @property
    def head_loaded(self) -> bool:
        """True once the first pages of the running load are in (False during a reload)."""
        return self.loader.head_loaded

    @property
    def fetch_waiting(self) -> bool:
        """True while rows asked for wait for the scrolling to settle before their pages are fetched."""
        return self.loader.fetch_timer.isActive()

    def reload(self) -> None:
        self.loader.reload()

    def set_query(self, query: QueueQuery) -> None:
        """Show another query (view, filter, sort); a no-op when it is the current one."""
        if self.loader.set_query(query):
            self.query_changed.emit()

    def set_view(self, view: str) -> None:
        if not self.ops.services.is_view(view):
            raise ValueError(f"unknown view {view!r}")
        self.set_query(replace(self.query, view=view))

    def set_filter(self, text: str) -> None:
        self.set_query(replace(self.query, text=text.strip()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL: a new query with the column's sort key; unsortable columns are ignored."""
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.set_query(replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    def sort_column(self) -> int:
        """The column of the current sort key (the countdown column for the default urgency order)."""
        for column, key in SORT_KEYS.items():
            if key == self.query.sort:
                return column
        return LEFT

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self.query.descending else Qt.SortOrder.AscendingOrder

    # ----- keys and rows --------------------------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every dispute id of the current query, in display order (a copy)."""
        return self.loader.ids()

    def dispute_id(self, row: int) -> str | None:
        return self.loader.dispute_id(row)

    def row_of(self, dispute_id: str) -> int | None:
        return self.loader.row_of(dispute_id)

    def cached_row(self, row: int) -> QueueLine | None:
        """The row's line when its page is loaded (no fetch, no cache reordering)."""
        line = self.loader.cached_line(row)
        return line.row if line is not None else None

    def is_page_loaded(self, page: int) -> bool:
        return self.loader.is_page_loaded(page)

    def is_page_pending(self, page: int) -> bool:
        return self.loader.is_page_pending(page)

    def set_visible_rows(self, first: int, last: int) -> None:
        """The rows the view shows (inclusive; last < first when none): the tick and reloads use them."""
        self.loader.visible = (first, last)

    def visible_rows(self) -> tuple[int, int]:
        return self.loader.visible

    def set_open_elsewhere(self, others: dict[str, list[str]]) -> None:
        """Mark the cases other users have open (presence); repaints only the clerk column."""
        if others == self._elsewhere:
            return
        self._elsewhere = dict(others)
        count = self.loader.count
        if count:
            self.dataChanged.emit(self.index(0, ASSIGNED), self.index(count - 1, ASSIGNED),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole])

    def tick(self) -> None:
        """Repaint the countdown cells of the visible rows (and nothing else).

        One `dataChanged` per cell: for a single cell the view repaints exactly its rectangle, for a range it
        repaints a region one pixel wider, which paints the neighbouring column too (twice the cells)."""
        first, last = self.loader.visible
        last = min(last, self.loader.count - 1)
        first = max(first, 0)
        changed = self.dataChanged
        for row in range(first, last + 1):
            cell = self.index(row, LEFT)
            changed.emit(cell, cell, COUNTDOWN_ROLES)

    # ----- Qt model interface ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.loader.count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else COLUMN_COUNT

    # flags(): QAbstractTableModel's own (enabled, selectable, no children) — the view asks twice per cell
    # painted, and an override here would make each of those a call into Python

    def headers(self) -> list[tuple[str, str]]:
        """(title, tooltip) per column."""
        return style.headers()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.headers()[section][1]
            return tip if SORT_KEYS[section] else style.not_sortable(tip)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(ALIGNMENT[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < self.loader.count:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return self.dispute_id(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(ALIGNMENT[column])
        if role not in _CELL_ROLES:
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._words(row, column, role)
        look = self.look(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return look.text
        if role == Qt.ItemDataRole.DecorationRole:
            return look.icon
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(look.foreground) if look.foreground is not None else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(look.background) if look.background is not None else None
        if role == Qt.ItemDataRole.FontRole and look.bold:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def look(self, row: int, column: int) -> Look:
        """Everything the delegate paints for a cell, in one call (asks for the row's page when missing).

        The hot path of every paint (one call per cell; a tick repaints every visible countdown): no call into
        `queue_style` for the common cells, only its constants."""
        loaded, line = self._line(row)
        if line is None:
            waiting = not loaded and not self.loader.is_page_failed(row // self.loader.page_size)
            return placeholder_look(self.dispute_id(row) if column == DISPUTE else None, waiting)
        if column == LEFT:
            due = line.row.due
            now = self._now()
            level = urgency(due, now)
            foreground, background = URGENT_COLOURS.get(level, (None, None))
            return Look(countdown(due, now) if due is not None else "—",
                        urgency_icon(level) if level != "none" else None, foreground, background, False)
        if column == SLA and line.row.sla_breached:
            return breached_look(line.texts[SLA])
        if column == ASSIGNED:
            return Look(self._text(line, column), None, None, None, line.row.assigned_to == self.ops.user)
        return Look(line.texts[column], None, None, None, False)

    def _text(self, line: PreparedLine, column: int) -> str:
        if column == ASSIGNED:
            others = self._elsewhere.get(line.row.dispute_id)
            if others:
                return style.open_elsewhere_text(line.texts[ASSIGNED], others)
        return line.texts[column]

    def _words(self, row: int, column: int, role: int) -> str:
        """Tooltip and accessible text of a cell."""
        loaded, line = self._line(row)
        if line is None:
            return style.missing_words(self.dispute_id(row),
                                       self.loader.is_page_failed(row // self.loader.page_size), loaded)
        if column != LEFT:
            return plain_tip(line.tips[column]) if role == Qt.ItemDataRole.ToolTipRole else self._text(line, column)
        queue_row = line.row
        return style.countdown_words(queue_row.due, queue_row.clock, queue_row.clock_party, self.ops.clock.now(),
                                     accessible=role == Qt.ItemDataRole.AccessibleTextRole)
