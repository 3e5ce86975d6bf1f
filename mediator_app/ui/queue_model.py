"""The queue as a table model: a key list plus a page cache, sorted and filtered in SQL.

A load comes in three steps: the head (the first pages' keys and rows) paints at once, the row count follows
(the scroll bar's range), then every matching dispute id of the current `QueueQuery` arrives in display order
(`keys_loaded`). Rows are fetched by page, off the GUI thread, once the view has stopped asking for new pages;
until then the cells show a neutral placeholder. A fetched row stays unparsed until it is first shown
(`StoredLine`), then becomes a `QueueLine` of display strings. Sorting and filtering make a new query — there
is no proxy over all rows. Answers of an older query are recognised by a generation number and dropped.

`look(row, column)` is what `QueueDelegate` paints; `data()` answers every role from the same strings. The
countdown is computed from `due - clock.now()` when painted; `tick()` (driven by the panel's 1 Hz timer)
announces a change of each visible countdown cell and nothing else.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, NamedTuple

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer,
                            Signal)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from mediator_app.services import workbench
from mediator_app.services.workbench import QueueQuery, QueueRow, StoredLine
from mediator_app.ui.formatting import (CLOCKS, PARTIES, PLATFORM_ZONE, countdown, label, plain_tip, sla_rule_text, tr,
                                        urgency, when_long)
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_lines import (AMOUNT, ASSIGNED, CLOCK, COLUMN_COUNT, DISPUTE, LEFT, PREVIEW, REASON, SLA,
                                         STAGE, QueueLine, queue_line)

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
PLACEHOLDER = "…"
FETCH_SETTLE_MS = 40  # rows are fetched once the view has asked for no new page for this long
HEAD_PAGES = 4  # visible pages up to this one are read with the head; deeper ones after the full key list
PLACEHOLDER_COLOUR = QColor("#7b818a")
RowSource = QueueRow | StoredLine  # a fetched row before its first paint

__all__ = ["AMOUNT", "ASSIGNED", "CLOCK", "COLUMN_COUNT", "DISPUTE", "LEFT", "PLACEHOLDER", "PREVIEW", "REASON",
           "SLA", "SORT_KEYS", "STAGE", "QueueModel", "urgency_icon"]
# column -> workbench sort key; None: not sortable (the header click is refused)
SORT_KEYS: dict[int, str | None] = {
    LEFT: "due", CLOCK: "clock", DISPUTE: "dispute", STAGE: "stage", REASON: "reason", AMOUNT: "amount",
    ASSIGNED: "assigned", SLA: None, PREVIEW: None,
}
COUNTDOWN_ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
                   Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole]

# urgency -> (text colour, background); never the only signal: icon and words go with it
URGENT_COLOURS = {
    "overdue": (QColor("#8e1b1b"), QColor("#fbe3e3")),
    "soon": (QColor("#7a4300"), QColor("#fff1d1")),
}
_icons: dict[str, QIcon] = {}


def urgency_icon(name: str) -> QIcon | None:
    """overdue | soon | later | sla-breached, drawn in resources/icons; None when the file is missing."""
    if name not in _icons:
        path = ICON_DIR / f"{name}.svg"
        _icons[name] = QIcon(str(path)) if path.is_file() else QIcon()
    icon = _icons[name]
    return None if icon.isNull() else icon


def urgency_words(level: str) -> str:
    return {
        "overdue": tr("Overdue", "Queue"), "soon": tr("Due within 24 h", "Queue"),
        "later": tr("Due later", "Queue"), "none": tr("No running clock", "Queue"),
    }[level]


class QueueModel(QAbstractTableModel):
    """Open disputes of one saved view, filter and sort; rows fetched by page through `Operations`.

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
        self.page_size = page_size
        self.max_pages = max_pages
        self._query = QueueQuery(view="all", user=ops.user)
        self._count = 0  # rows shown; more than len(_ids) while the full key list is loading
        self._counted: QueueQuery | None = None  # the query `_count` was counted for
        self._ids: list[str] = []
        self._rows_by_id: dict[str, int] = {}
        # page -> id -> its line: parsed and formatted on the GUI thread the first time it is shown (a stored
        # line is ~40 µs of Python; in a worker it would compete with the painting for the GIL)
        self._pages: OrderedDict[int, dict[str, QueueLine | RowSource | None]] = OrderedDict()
        self._pending: set[int] = set()
        self._failed: set[int] = set()
        self._elsewhere: dict[str, list[str]] = {}  # dispute id -> other users who have it open
        self._wanted: set[int] = set()
        self._generation = 0
        self._loading = False
        self._head_loaded = False
        self._visible = (0, -1)
        # Page requests leave data() through the event loop, once the view stops asking for new pages: while a
        # clerk drags the scroll bar, pages flying past are never fetched, and no worker competes with the
        # painting for Python's GIL (each cell painted is a call into Python).
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(FETCH_SETTLE_MS)
        self._fetch_timer.timeout.connect(self._on_fetch_timer_timeout)

    # ----- the query ------------------------------------------------------------------------------------

    @property
    def query(self) -> QueueQuery:
        return self._query

    @property
    def loading(self) -> bool:
        """True from `reload()` until every key of the query is in."""
        return self._loading

    @property
    def head_loaded(self) -> bool:
        """True once the first pages of the running load are in (False during a reload); the row count may still
        be on its way (until then the rows are the head's, or the last count of the same query)."""
        return self._head_loaded

    def set_query(self, query: QueueQuery) -> None:
        """Show another query (view, filter, sort); a no-op when it is the current one."""
        if query == self._query:
            return
        self._query = query
        first, last = self._visible
        self._visible = (0, last - first)  # a new query shows its top rows: those are the ones to fetch first
        self.reload()
        self.query_changed.emit()

    def set_view(self, view: str) -> None:
        if view not in workbench.VIEWS:
            raise ValueError(f"unknown view {view!r}")
        self.set_query(replace(self._query, view=view))

    def set_filter(self, text: str) -> None:
        self.set_query(replace(self._query, text=text.strip()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL: a new query with the column's sort key; unsortable columns are ignored."""
        key = SORT_KEYS.get(column)
        if key is None:
            return
        self.set_query(replace(self._query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    def sort_column(self) -> int:
        """The column of the current sort key (the countdown column for the default urgency order)."""
        for column, key in SORT_KEYS.items():
            if key == self._query.sort:
                return column
        return LEFT

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder

    def reload(self) -> None:
        """Load the current query again: its first rows (and the visible pages) first, then the row count and
        every key.

        The head — the first pages' keys and rows — is one small query that the indexes answer in order, so the
        table paints at once. The count (a scan of the query's index entries, ~20 ms over 200,000) and the full
        key list follow in two more workers: the count sizes the scroll bar, the keys complete the model
        (`keys_loaded`). A query whose rows all fit in the head needs neither.
        """
        self._generation += 1
        generation, query, ctx = self._generation, self._query, self.ops.ctx
        self._loading = True
        self._head_loaded = False
        size = self.page_size
        first, last = self._visible
        hint = {0} | ({p for p in range(first // size, last // size + 1)} if last >= first >= 0 else set())
        if max(hint) > HEAD_PAGES:  # scrolled deep (a refresh): the head stays short, the visible pages come
            hint = {0}             # with the full key list
        limit = (max(hint) + 1) * size

        def load_head() -> tuple[list[str], dict[int, dict[str, RowSource | None]]]:
            ids = workbench.queue_head(ctx, query, limit)
            return ids, self._fetch_pages(ctx, ids, hint)

        self.ops.run(load_head, lambda result: self._on_head_loaded(generation, limit, *result),
                     lambda exc: self._on_load_failed(generation, exc), owner=self)

    def _fetch_pages(self, ctx: Any, ids: list[str], pages: set[int]) -> dict[int, dict[str, RowSource | None]]:
        """(worker) The rows of the given pages of `ids`, unparsed."""
        size = self.page_size
        out: dict[int, dict[str, RowSource | None]] = {}
        for page in sorted(p for p in pages if p * size < len(ids)):
            chunk = ids[page * size:(page + 1) * size]
            found = workbench.queue_row_sources(ctx, chunk)
            out[page] = {i: found.get(i) for i in chunk}
        return out

    def _on_head_loaded(self, generation: int, limit: int, ids: list[str],
                        pages: dict[int, dict[str, RowSource | None]]) -> None:
        if generation != self._generation:
            return  # an older query answered late
        complete = len(ids) < limit  # everything that matches is in the head
        query = self._query
        # until the count is in: the last count of this query (a refresh keeps its scroll position), else the head
        provisional = self._count if self._counted == query else 0
        self.beginResetModel()
        self._count = len(ids) if complete else max(len(ids), provisional)
        self._ids = ids
        self._rows_by_id = {dispute_id: row for row, dispute_id in enumerate(ids)}
        self._pages = OrderedDict(sorted(pages.items()))  # type: ignore[arg-type]
        self._pending.clear()
        self._failed.clear()
        self._wanted.clear()
        self.endResetModel()
        self._loading = not complete
        self._head_loaded = True
        if complete:
            self._counted = query
        self.loaded.emit()
        if complete:
            self.keys_loaded.emit()
            return
        ctx = self.ops.ctx

        def load_keys() -> tuple[list[str], dict[str, int]]:
            ids = workbench.queue_ids(ctx, query)
            return ids, dict(zip(ids, range(len(ids))))  # built here, not on the GUI thread

        def load_the_rest() -> None:
            if generation != self._generation:
                return  # another load began meanwhile
            self.ops.run(lambda: workbench.queue_count(ctx, query), lambda n: self._on_counted(generation, n),
                         lambda exc: self._on_load_failed(generation, exc), owner=self)
            self.ops.run(load_keys, lambda keys: self._on_keys_loaded(generation, *keys),
                         lambda exc: self._on_load_failed(generation, exc), owner=self)

        # after the head's paint (posted before this): reading 200,000 keys into Python holds the GIL for tens
        # of milliseconds, which the first paint would otherwise wait for
        QTimer.singleShot(0, self, load_the_rest)

    def _on_counted(self, generation: int, count: int) -> None:
        """The row count is in: the rows past the head appear (placeholders until their keys come)."""
        if generation != self._generation or not self._loading:
            return  # an older query's, or the full key list (which counts too) came first
        count, old = max(count, len(self._ids)), self._count
        if count > old:
            self.beginInsertRows(QModelIndex(), old, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < old:  # a refresh: fewer rows than its last count
            self.beginRemoveRows(QModelIndex(), count, old - 1)
            self._count = count
            self.endRemoveRows()
        self._counted = self._query

    def _on_keys_loaded(self, generation: int, ids: list[str], rows_by_id: dict[str, int]) -> None:
        """Every key of the query is in: rows past the head become fetchable."""
        if generation != self._generation:
            return
        head = self._ids
        same_head = ids[:len(head)] == head
        if len(ids) > self._count:  # rows came or went between the reads
            self.beginInsertRows(QModelIndex(), self._count, len(ids) - 1)
            self._set_keys(ids, rows_by_id, keep_pages=same_head)
            self.endInsertRows()
        elif len(ids) < self._count:
            self.beginRemoveRows(QModelIndex(), len(ids), self._count - 1)
            self._set_keys(ids, rows_by_id, keep_pages=same_head)
            self.endRemoveRows()
        else:
            self._set_keys(ids, rows_by_id, keep_pages=same_head)
        self._counted = self._query
        if ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, COLUMN_COUNT - 1))
        self._loading = False
        self.keys_loaded.emit()
        if self._wanted and not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _set_keys(self, ids: list[str], rows_by_id: dict[str, int], keep_pages: bool) -> None:
        self._ids = ids
        self._count = len(ids)
        self._rows_by_id = rows_by_id
        if not keep_pages:  # the order moved under the head: its cached pages no longer line up
            self._pages.clear()

    def _on_load_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.ops.failed.emit(tr("Could not load the queue: %1", "Queue").replace("%1", str(exc)))

    # ----- keys and rows --------------------------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every dispute id of the current query, in display order (a copy)."""
        return list(self._ids)

    def dispute_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, dispute_id: str) -> int | None:
        return self._rows_by_id.get(dispute_id)

    def cached_row(self, row: int) -> QueueRow | None:
        """The row's data when its page is loaded (no fetch, no cache reordering)."""
        line = self._cached_line(row)
        return line.row if line is not None else None

    def _cached_line(self, row: int) -> QueueLine | None:
        dispute_id = self.dispute_id(row)
        page = self._pages.get(row // self.page_size)
        if page is None or dispute_id is None:
            return None
        return self._parsed(page, dispute_id)

    @staticmethod
    def _parsed(page: dict[str, QueueLine | RowSource | None], dispute_id: str) -> QueueLine | None:
        """The row's line, parsed and formatted on first use."""
        value = page.get(dispute_id)
        if value is None or isinstance(value, QueueLine):
            return value
        line = queue_line(workbench.row_from_stored(dispute_id, value))
        page[dispute_id] = line
        return line

    def is_page_loaded(self, page: int) -> bool:
        return page in self._pages

    def is_page_pending(self, page: int) -> bool:
        return page in self._pending

    def _line(self, row: int) -> tuple[bool, QueueLine | None]:
        """(page loaded, line) — asks for the page when it is not loaded yet (and its keys are known)."""
        if row >= len(self._ids):
            return False, None  # past the head while the full key list loads; asked again when it is in
        page_number = row // self.page_size
        page = self._pages.get(page_number)
        if page is None:
            self._want(page_number)
            return False, None
        self._pages.move_to_end(page_number)
        return True, self._parsed(page, self._ids[row])

    def _want(self, page: int) -> None:
        if page in self._pending or page in self._failed or page in self._wanted:
            return
        self._wanted.add(page)
        self._fetch_timer.start()  # (re)starts: a new page wanted means the view is still moving

    def _on_fetch_timer_timeout(self) -> None:
        """Fetch the wanted pages the view still shows (or is next to); pages it scrolled past are dropped and
        asked for again if they come back into view."""
        wanted, self._wanted = sorted(self._wanted), set()
        first, last = self._visible
        if last >= first >= 0:
            near = range(first // self.page_size - 1, last // self.page_size + 2)
            wanted = [page for page in wanted if page in near] or wanted[-2:]
        for page in wanted:
            self._fetch_page(page)

    def _fetch_page(self, page: int) -> None:
        if not self._head_loaded:
            return  # the keys shown are the previous query's: asked again once the head is in
        if page in self._pages or page in self._pending or page * self.page_size >= len(self._ids):
            return
        self._pending.add(page)
        generation, ctx = self._generation, self.ops.ctx
        chunk = self._ids[page * self.page_size:(page + 1) * self.page_size]
        done: Callable[[dict[str, RowSource]], None] = lambda rows: self._on_page_loaded(generation, page, chunk, rows)
        self.ops.run(lambda: workbench.queue_row_sources(ctx, chunk), done,
                     lambda exc: self._on_page_failed(generation, page, exc), owner=self)

    def _on_page_loaded(self, generation: int, page: int, chunk: list[str], rows: dict[str, RowSource]) -> None:
        if generation != self._generation or chunk != self._ids[page * self.page_size:(page + 1) * self.page_size]:
            self._pending.discard(page)
            return  # an older query's, or the keys moved under it since it was asked for
        self._pending.discard(page)
        self._pages[page] = {i: rows.get(i) for i in chunk}
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        first = page * self.page_size
        last = min(first + self.page_size, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))
        self.page_loaded.emit(page)

    def _on_page_failed(self, generation: int, page: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._failed.add(page)  # not asked again until the next reload
        self.ops.failed.emit(tr("Could not load queue rows: %1", "Queue").replace("%1", str(exc)))

    # ----- the live countdown ---------------------------------------------------------------------------

    def set_visible_rows(self, first: int, last: int) -> None:
        """The rows the view shows (inclusive; last < first when none): the tick and reloads use them."""
        self._visible = (first, last)

    def visible_rows(self) -> tuple[int, int]:
        return self._visible

    def tick(self) -> None:
        """Repaint the countdown cells of the visible rows (and nothing else).

        One `dataChanged` per cell: for a single cell the view repaints exactly its rectangle, for a range it
        repaints a region one pixel wider, which paints the neighbouring column too (twice the cells)."""
        first, last = self._visible
        last = min(last, self._count - 1)
        first = max(first, 0)
        changed = self.dataChanged
        for row in range(first, last + 1):
            cell = self.index(row, LEFT)
            changed.emit(cell, cell, COUNTDOWN_ROLES)

    # ----- Qt model interface ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else COLUMN_COUNT

    # flags(): QAbstractTableModel's own (enabled, selectable, no children) — the view asks twice per cell
    # painted, and an override here would make each of those a call into Python

    def headers(self) -> list[tuple[str, str]]:
        """(title, tooltip) per column."""
        return [
            (self.tr("Left"), self.tr("Time left to the earliest running clock; negative when overdue")),
            (self.tr("Clock"), self.tr("The earliest running clock and who must act on it")),
            (self.tr("Dispute"), self.tr("Dispute id")),
            (self.tr("Stage"), self.tr("Where the dispute stands")),
            (self.tr("Reason"), self.tr("The buyer's reason for the dispute")),
            (self.tr("Asked / total"), self.tr("Refund the buyer asks for, against the order total")),
            (self.tr("Clerk"), self.tr("The clerk holding the case")),
            (self.tr("SLA"), sla_rule_text() + " — " + self.tr("breached or ok")),
            (self.tr("If silent"), self.tr("Default judgment: what executes, for how much and when, "
                                           "if the silent party stays silent")),
        ]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.headers()[section][1]
            return tip if SORT_KEYS[section] else tip + " " + self.tr("(not sortable)")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(ALIGNMENT[section])
        return None

    def set_open_elsewhere(self, others: dict[str, list[str]]) -> None:
        """Mark the cases other users have open (presence); repaints only the clerk column."""
        if others == self._elsewhere:
            return
        self._elsewhere = dict(others)
        if self._count:
            self.dataChanged.emit(self.index(0, ASSIGNED), self.index(self._count - 1, ASSIGNED),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < self._count:
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
        """Everything the delegate paints for a cell, in one call (asks for the row's page when missing)."""
        loaded, line = self._line(row)
        if line is None:
            dispute_id = self.dispute_id(row)
            if column == DISPUTE and dispute_id is not None:
                return Look(dispute_id, None, PLACEHOLDER_COLOUR, None, False)
            waiting = not loaded and (row // self.page_size) not in self._failed
            return Look(PLACEHOLDER if waiting else "—", None, PLACEHOLDER_COLOUR, None, False)
        if column == LEFT:
            due = line.row.due
            now = self.ops.clock.now()
            level = urgency(due, now)
            foreground, background = URGENT_COLOURS.get(level, (None, None))
            return Look(countdown(due, now) if due is not None else "—",
                        urgency_icon(level) if level != "none" else None, foreground, background, False)
        if column == SLA and line.row.sla_breached:
            foreground, background = URGENT_COLOURS["overdue"]
            return Look(line.texts[SLA], urgency_icon("sla-breached"), foreground, background, False)
        return Look(self._text(line, column), None, None, None,
                    column == ASSIGNED and line.row.assigned_to == self.ops.user)

    def _text(self, line: QueueLine, column: int) -> str:
        if column == ASSIGNED:
            others = self._elsewhere.get(line.row.dispute_id)
            if others:
                return self.tr("%1 · open: %2").replace("%1", line.texts[ASSIGNED]).replace("%2", ", ".join(others))
        return line.texts[column]

    def _words(self, row: int, column: int, role: int) -> str:
        """Tooltip and accessible text of a cell."""
        loaded, line = self._line(row)
        dispute_id = self.dispute_id(row)
        if dispute_id is None:
            return self.tr("loading…")  # past the head while the full key list loads
        if line is None:
            if (row // self.page_size) in self._failed:
                return self.tr("%1: could not be loaded").replace("%1", dispute_id)
            if not loaded:
                return self.tr("%1: loading…").replace("%1", dispute_id)
            return self.tr("%1 is no longer in the queue; reload").replace("%1", dispute_id)
        if column != LEFT:
            return plain_tip(line.tips[column]) if role == Qt.ItemDataRole.ToolTipRole else self._text(line, column)
        queue_row, now = line.row, self.ops.clock.now()
        level = urgency(queue_row.due, now)
        if queue_row.due is None:
            return urgency_words(level)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{urgency_words(level)}: {countdown(queue_row.due, now)}"
        return (self.tr("%1: %2 — %3 must act (%4); due %5, platform time %6")
                .replace("%1", urgency_words(level)).replace("%2", countdown(queue_row.due, now))
                .replace("%3", label(PARTIES, queue_row.clock_party)).replace("%4", label(CLOCKS, queue_row.clock))
                .replace("%5", when_long(queue_row.due)).replace("%6", when_long(queue_row.due, PLATFORM_ZONE)))


class Look(NamedTuple):
    """A cell as painted: text, icon, colours (None: the style's) and weight."""

    text: str
    icon: QIcon | None
    foreground: QColor | None
    background: QColor | None
    bold: bool


_CELL_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
                         Qt.ItemDataRole.AccessibleTextRole})
ALIGNMENT = tuple((Qt.AlignmentFlag.AlignRight if column in (LEFT, AMOUNT) else Qt.AlignmentFlag.AlignLeft)
                  | Qt.AlignmentFlag.AlignVCenter for column in range(COLUMN_COUNT))
