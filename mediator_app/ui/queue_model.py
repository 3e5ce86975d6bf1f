"""The queue as a table model: a key list plus a page cache, sorted and filtered in SQL.

The model holds every matching dispute id of the current `QueueQuery` (in display order) and fetches the
rows themselves by page, off the GUI thread, when a cell of an unloaded page is painted; until then the
cells show a neutral placeholder. Sorting and filtering make a new query and reload the keys — there is no
proxy over all rows. Answers of an older query are recognised by a generation number and dropped.

The countdown column computes `due - clock.now()` in `data()`, at paint time; `tick()` (driven by the
panel's 1 Hz timer) announces a change of that column for the visible rows only.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer,
                            Signal)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from mediator_app.services import workbench
from mediator_app.services.workbench import QueueQuery, QueueRow
from mediator_app.ui.formatting import (CLOCKS, PARTIES, PLATFORM_ZONE, STAGES, countdown, label, money_text, preview_text,
                                        reason_text, tr, urgency, when_long)
from mediator_app.ui.operations import Operations

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
PLACEHOLDER = "…"

LEFT, CLOCK, DISPUTE, STAGE, REASON, AMOUNT, ASSIGNED, SLA, PREVIEW = range(9)
COLUMN_COUNT = 9
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


def amount_text(asked: Any, total: Any) -> str:
    """`27.00 / 68.00 EUR`: the buyer's asked refund against the order total, the currency once."""
    whole = money_text(total)
    if asked is None:
        return f"— / {whole}"
    if asked.currency == total.currency:
        return f"{money_text(asked).rsplit(' ', 1)[0]} / {whole}"
    return f"{money_text(asked)} / {whole}"


def clock_text(row: QueueRow) -> str:
    """The earliest clock and who must act: `buyer reply`, `return shipment (buyer)`."""
    if row.clock is None:
        return "—"
    name = label(CLOCKS, row.clock)
    if row.clock_party not in ("buyer", "seller"):
        return name  # platform clocks and `parties reply` name who acts already
    who = label(PARTIES, row.clock_party)
    if who.lower() in name.lower():
        return name
    return tr("%1 (%2)", "Queue").replace("%1", name).replace("%2", who)


class QueueModel(QAbstractTableModel):
    """Open disputes of one saved view, filter and sort; rows fetched by page through `Operations`.

    Call `reload()` (or change the query) to load; nothing is loaded on construction.

    Signals:
        loaded(): the ids of the current query and its first page (and the visible pages) are in
        page_loaded(int): a page of rows arrived (page number)
        query_changed(): another view, filter or sort was set; its load has started
    """

    loaded = Signal()
    page_loaded = Signal(int)
    query_changed = Signal()

    def __init__(self, ops: Operations, parent: QObject | None = None, page_size: int = 200,
                 max_pages: int = 50) -> None:
        super().__init__(parent)
        self.ops = ops
        self.page_size = page_size
        self.max_pages = max_pages
        self._query = QueueQuery(view="all", user=ops.user)
        self._ids: list[str] = []
        self._rows_by_id: dict[str, int] = {}
        self._pages: OrderedDict[int, dict[str, QueueRow | None]] = OrderedDict()
        self._pending: set[int] = set()
        self._failed: set[int] = set()
        self._elsewhere: dict[str, list[str]] = {}  # dispute id -> other users who have it open
        self._wanted: set[int] = set()
        self._generation = 0
        self._loading = False
        self._visible = (0, -1)
        self._fetch_timer = QTimer(self)  # page requests leave data() through the event loop
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._on_fetch_timer_timeout)

    # ----- the query ------------------------------------------------------------------------------------

    @property
    def query(self) -> QueueQuery:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    def set_query(self, query: QueueQuery) -> None:
        """Show another query (view, filter, sort); a no-op when it is the current one."""
        if query == self._query:
            return
        self._query = query
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
        """Fetch the keys of the current query again, with the first page and the visible pages."""
        self._generation += 1
        generation, query, ctx = self._generation, self._query, self.ops.ctx
        self._loading = True
        size = self.page_size
        first, last = self._visible
        hint = {0} | ({p for p in range(first // size, last // size + 1)} if last >= first >= 0 else set())

        def load() -> tuple[list[str], dict[int, dict[str, QueueRow | None]]]:
            ids = workbench.queue_ids(ctx, query)
            pages: dict[int, dict[str, QueueRow | None]] = {}
            for page in sorted(p for p in hint if p * size < len(ids)):
                chunk = ids[page * size:(page + 1) * size]
                found = workbench.queue_rows(ctx, chunk)
                pages[page] = {i: found.get(i) for i in chunk}
            return ids, pages

        self.ops.run(load, lambda result: self._on_ids_loaded(generation, *result),
                     lambda exc: self._on_load_failed(generation, exc))

    def _on_ids_loaded(self, generation: int, ids: list[str],
                       pages: dict[int, dict[str, QueueRow | None]]) -> None:
        if generation != self._generation:
            return  # an older query answered late
        self.beginResetModel()
        self._ids = ids
        self._rows_by_id = {dispute_id: row for row, dispute_id in enumerate(ids)}
        self._pages = OrderedDict(sorted(pages.items()))
        self._pending.clear()
        self._failed.clear()
        self._wanted.clear()
        self.endResetModel()
        self._loading = False
        self.loaded.emit()

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
        dispute_id = self.dispute_id(row)
        page = self._pages.get(row // self.page_size)
        return page.get(dispute_id) if page is not None and dispute_id is not None else None

    def is_page_loaded(self, page: int) -> bool:
        return page in self._pages

    def is_page_pending(self, page: int) -> bool:
        return page in self._pending

    def _row(self, row: int) -> tuple[bool, QueueRow | None]:
        """(page loaded, row) — asks for the page when it is not loaded yet."""
        page_number = row // self.page_size
        page = self._pages.get(page_number)
        if page is None:
            self._want(page_number)
            return False, None
        self._pages.move_to_end(page_number)
        return True, page.get(self._ids[row])

    def _want(self, page: int) -> None:
        if page in self._pending or page in self._failed or page in self._wanted:
            return
        self._wanted.add(page)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _on_fetch_timer_timeout(self) -> None:
        wanted, self._wanted = sorted(self._wanted), set()
        for page in wanted:
            self._fetch_page(page)

    def _fetch_page(self, page: int) -> None:
        if page in self._pages or page in self._pending or page * self.page_size >= len(self._ids):
            return
        self._pending.add(page)
        generation, ctx = self._generation, self.ops.ctx
        chunk = self._ids[page * self.page_size:(page + 1) * self.page_size]
        done: Callable[[dict[str, QueueRow]], None] = lambda rows: self._on_page_loaded(generation, page, chunk, rows)
        self.ops.run(lambda: workbench.queue_rows(ctx, chunk), done,
                     lambda exc: self._on_page_failed(generation, page, exc))

    def _on_page_loaded(self, generation: int, page: int, chunk: list[str], rows: dict[str, QueueRow]) -> None:
        if generation != self._generation:
            return
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
        """Repaint the countdown cells of the visible rows (and nothing else)."""
        first, last = self._visible
        last = min(last, len(self._ids) - 1)
        first = max(first, 0)
        if last < first:
            return
        self.dataChanged.emit(self.index(first, LEFT), self.index(last, LEFT), COUNTDOWN_ROLES)

    # ----- Qt model interface ---------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

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
            (self.tr("SLA"), self.tr("Platform intervention deadline (7 days): breached or ok")),
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
            return _alignment(section)
        return None

    def set_open_elsewhere(self, others: dict[str, list[str]]) -> None:
        """Mark the cases other users have open (presence); repaints only the clerk column."""
        if others == self._elsewhere:
            return
        self._elsewhere = dict(others)
        if self._ids:
            self.dataChanged.emit(self.index(0, ASSIGNED), self.index(len(self._ids) - 1, ASSIGNED),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column, dispute_id = index.column(), self._ids[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return dispute_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if role not in _CELL_ROLES:
            return None
        loaded, row = self._row(index.row())
        if row is None:
            return self._missing(column, dispute_id, loaded, role)
        return self._cell(row, column, role)

    def _missing(self, column: int, dispute_id: str, loaded: bool, role: int) -> Any:
        """A row not loaded yet (placeholder) or gone from the database since the keys were read."""
        failed = (self._rows_by_id[dispute_id] // self.page_size) in self._failed
        if role == Qt.ItemDataRole.DisplayRole:
            return dispute_id if column == DISPUTE else (PLACEHOLDER if not loaded and not failed else "—")
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if failed:
                return self.tr("%1: could not be loaded").replace("%1", dispute_id)
            if not loaded:
                return self.tr("%1: loading…").replace("%1", dispute_id)
            return self.tr("%1 is no longer in the queue; reload").replace("%1", dispute_id)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#7b818a"))
        return None

    def _cell(self, row: QueueRow, column: int, role: int) -> Any:
        if column == LEFT:
            return self._countdown_cell(row, role)
        if column == SLA:
            return self._sla_cell(row, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole and column == ASSIGNED and row.assigned_to == self.ops.user:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: QueueRow, column: int) -> str:
        if column == CLOCK:
            return clock_text(row)
        if column == DISPUTE:
            return row.dispute_id
        if column == STAGE:
            return label(STAGES, row.stage)
        if column == REASON:
            return reason_text(row.reason)
        if column == AMOUNT:
            return amount_text(row.asked, row.total)
        if column == ASSIGNED:
            others = self._elsewhere.get(row.dispute_id)
            held = row.assigned_to or "—"
            return self.tr("%1 · open: %2").replace("%1", held).replace("%2", ", ".join(others)) if others else held
        if column == PREVIEW:
            return preview_text(row.preview_clock, row.preview_silent, row.preview_adopted,
                                row.preview_remedy, row.preview_refund, row.preview_at) or "—"
        return ""

    def _tooltip(self, row: QueueRow, column: int) -> str:
        if column == DISPUTE:
            return self.tr("%1 · order %2 · buyer %3 · seller %4").replace("%1", row.dispute_id) \
                .replace("%2", row.order_id).replace("%3", row.buyer_id).replace("%4", row.seller_id)
        if column == REASON:
            kinds = {"only_refund": self.tr("Only refund"), "return_and_refund": self.tr("Return & refund")}
            return f"{reason_text(row.reason)} · {kinds.get(row.kind, row.kind)}"
        if column == ASSIGNED:
            return (self.tr("Held by %1").replace("%1", row.assigned_to) if row.assigned_to
                    else self.tr("Unassigned"))
        if column == AMOUNT:
            return self.tr("Buyer asks %1 of an order total of %2").replace(
                "%1", money_text(row.asked)).replace("%2", money_text(row.total))
        return self._text(row, column)

    def _countdown_cell(self, row: QueueRow, role: int) -> Any:
        now = self.ops.clock.now()
        level = urgency(row.due, now)
        if role == Qt.ItemDataRole.DisplayRole:
            return countdown(row.due, now) if row.due is not None else "—"
        if role == Qt.ItemDataRole.DecorationRole:
            return urgency_icon(level) if level != "none" else None
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            colours = URGENT_COLOURS.get(level)
            if colours is None:
                return None
            return QBrush(colours[0] if role == Qt.ItemDataRole.ForegroundRole else colours[1])
        if row.due is None:
            return urgency_words(level) if role in (Qt.ItemDataRole.ToolTipRole,
                                                    Qt.ItemDataRole.AccessibleTextRole) else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{urgency_words(level)}: {countdown(row.due, now)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return (self.tr("%1: %2 — %3 must act (%4); due %5, platform time %6")
                    .replace("%1", urgency_words(level)).replace("%2", countdown(row.due, now))
                    .replace("%3", label(PARTIES, row.clock_party)).replace("%4", label(CLOCKS, row.clock))
                    .replace("%5", when_long(row.due)).replace("%6", when_long(row.due, PLATFORM_ZONE)))
        return None

    def _sla_cell(self, row: QueueRow, role: int) -> Any:
        breached = row.sla_breached
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("breached") if breached else self.tr("ok")
        if role == Qt.ItemDataRole.DecorationRole:
            return urgency_icon("sla-breached") if breached else None
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole) and breached:
            colours = URGENT_COLOURS["overdue"]
            return QBrush(colours[0] if role == Qt.ItemDataRole.ForegroundRole else colours[1])
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return (self.tr("Platform SLA breached: the clerks' 7-day intervention deadline passed") if breached
                    else self.tr("Platform SLA ok"))
        return None


_CELL_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
                         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
                         Qt.ItemDataRole.AccessibleTextRole})


def _alignment(column: int) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if column in (LEFT, AMOUNT) else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
