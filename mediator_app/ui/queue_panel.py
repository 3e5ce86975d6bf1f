"""The queue panel: saved views with their counts, a filter, and the table of open disputes.

On each tick of the window's `Ticker` the countdown column's visible rows repaint; the selection is kept across
reloads (`SelectionKeeper`), and changes made elsewhere reload at most once a pause (`RefreshThrottle`).
Loading goes through `Operations`; the panel never waits on the database.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QTableView, QVBoxLayout, QWidget)

from mediator_app.ui.formatting import CLOCKS, PARTIES, STAGES, label, tr
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_delegate import ICON_SIZE, PADDING, QueueDelegate
from mediator_app.ui.queue_lines import stage_text
from mediator_app.ui.queue_model import (AMOUNT, ASSIGNED, CLOCK, DISPUTE, LEFT, PREVIEW, REASON, SLA, STAGE,
                                         SORT_KEYS, QueueModel)
from mediator_app.ui.queue_selection import SelectionKeeper
from mediator_app.ui.refresh_throttle import LIVE_REFRESH_MS, RefreshThrottle
from mediator_app.ui.ticker import Ticker

__all__ = ["LIVE_REFRESH_MS", "QueuePanel", "view_titles"]
FILTER_DELAY_MS = 250
#: The default visual order: what a clerk decides on first — countdown, who must act, dispute, stage, amount and the
#: default-judgment preview ("If silent") — then the SLA, the reason and the clerk (the model's columns keep their
#: numbers; the header only moves them, and the user's own order is saved with the header's state).
DEFAULT_ORDER = (LEFT, CLOCK, DISPUTE, STAGE, AMOUNT, PREVIEW, SLA, REASON, ASSIGNED)
FIRST_COLUMNS = DEFAULT_ORDER[:6]
MIN_PREVIEW = 160


def view_titles() -> dict[str, tuple[str, str]]:
    """view -> (title, tooltip), in the order of the selector."""
    return {
        "all": (tr("All open", "Queue"), tr("Every open dispute", "Queue")),
        "mine": (tr("Mine", "Queue"), tr("Open disputes you hold", "Queue")),
        "unassigned": (tr("Unassigned", "Queue"), tr("Open disputes no clerk holds", "Queue")),
        "due24h": (tr("Due in 24 h", "Queue"), tr("A clock runs out within 24 hours (or already has)", "Queue")),
        "sla": (tr("SLA breached", "Queue"), tr("A platform deadline (intervention or ruling) has passed", "Queue")),
        "needs_ruling": (tr("Needs ruling", "Queue"), tr("In platform review: a clerk must rule", "Queue")),
        "pending_approval": (tr("Pending approval", "Queue"),
                             tr("A ruling or proposal waits for a supervisor's approval", "Queue")),
    }


class QueuePanel(QWidget):
    """Saved view selector, filter and queue table. Call `reload()` to load.

    Signals:
        case_selected(str): the current dispute changed (keyboard or mouse); not emitted when it clears
        activated(str): Enter or double-click on a dispute
        loaded(): a load finished and the selection is restored
        counts_changed(dict): row counts per saved view arrived
    """

    case_selected = Signal(str)
    activated = Signal(str)
    loaded = Signal()
    counts_changed = Signal(dict)

    def __init__(self, ops: Operations, parent: QWidget | None = None, ticker: Ticker | None = None) -> None:
        """`ticker`: the window's one 1 Hz tick (a panel on its own makes its own)."""
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.ops = ops
        self.model = QueueModel(ops, self)
        self.ticker = ticker if ticker is not None else Ticker(ops.clock, self)
        self.counts: dict[str, int] = {}
        self.extra_views: dict[str, tuple[str, str]] = {}  # view -> (title, tooltip), added by `add_view`
        self.selection = SelectionKeeper()
        self._keep_scroll: int | None = None
        self._counts_generation = 0
        self._counts_wanted = False  # view counts to load once the queue's head has painted

        self.view_label = QLabel(self.tr("&View:"), self)
        self.view_selector = QComboBox(self)
        self.view_selector.setObjectName("viewSelector")
        self.view_selector.setAccessibleName(self.tr("Saved view"))
        self.view_selector.setToolTip(self.tr("Saved views of the queue, with their number of disputes"))
        self.view_selector.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for view, (title, tip) in view_titles().items():
            self.view_selector.addItem(title, view)
            self.view_selector.setItemData(self.view_selector.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.view_label.setBuddy(self.view_selector)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setPlaceholderText(self.tr("Filter: dispute, order, buyer, seller id"))
        self.filter_edit.setAccessibleName(self.tr("Filter the queue"))
        self.filter_edit.setToolTip(self.tr("Shows disputes whose dispute, order, buyer or seller id contains "
                                            "the text; Enter jumps to the table"))
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)

        self.table = QTableView(self)
        self._setup_table()
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("queueEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)  # drawn in the palette's muted text colour
        self.empty_label.hide()

        self.throttle = RefreshThrottle(lambda: self.model.loading, self)

        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 2, 2)
        top.addWidget(self.view_label)
        top.addWidget(self.view_selector)
        top.addWidget(self.filter_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.view_selector, self.filter_edit)
        self.setTabOrder(self.filter_edit, self.table)

        self.view_selector.currentIndexChanged.connect(self._on_view_selector_changed)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)
        self.filter_edit.returnPressed.connect(self._on_filter_return_pressed)
        self._filter_timer.timeout.connect(self._on_filter_timer_timeout)
        self.ticker.tick.connect(self._on_ticker_tick)
        self.throttle.due.connect(self._on_throttle_due)
        self.model.keys_loaded.connect(self._on_model_keys_loaded)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.query_changed.connect(self._on_model_query_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.activated.connect(self._on_table_activated)
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_indicator_changed)

    @property
    def live_refresh_ms(self) -> int:
        """The shortest time between two reloads caused by changes elsewhere."""
        return self.throttle.pause_ms

    @live_refresh_ms.setter
    def live_refresh_ms(self, value: int) -> None:
        self.throttle.pause_ms = value

    @property
    def filter_waiting(self) -> bool:
        """True while typed filter text waits for the typing to pause before it is asked."""
        return self._filter_timer.isActive()

    def refresh_due_in_ms(self) -> int | None:
        """When the planned live refresh runs (ms from now), None when none is planned."""
        timer = self.throttle.timer
        return timer.remainingTime() if timer.isActive() else None

    def _setup_table(self) -> None:
        table = self.table
        table.setObjectName("queueView")
        table.setAccessibleName(self.tr("Dispute queue"))
        table.setModel(self.model)
        table.setItemDelegate(QueueDelegate(self.model, table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setTabKeyNavigation(False)
        table.setCornerButtonEnabled(False)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        metrics = QFontMetrics(table.font())
        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(max(metrics.height(), 16) + 8)
        header = table.horizontalHeader()
        header.setObjectName("queueHeader")
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(40)
        for column, width in self._column_widths(metrics).items():
            header.resizeSection(column, width)
        for visual, column in enumerate(DEFAULT_ORDER):
            header.moveSection(header.visualIndex(column), visual)
        header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
        table.setSortingEnabled(True)  # calls model.sort with the current (default) order: no reload

    def _column_widths(self, metrics: QFontMetrics) -> dict[int, int]:
        """Compact widths from sample texts (never ResizeToContents over all rows): each sample is what most rows
        show; longer texts are elided, the whole text is the cell's tooltip."""
        samples = {
            LEFT: ["-1d 00:00:00"],
            CLOCK: [label(CLOCKS, "return_shipment")],  # `return shipment (buyer)` elides in the middle
            DISPUTE: ["D-1000000"], STAGE: [stage_text("awaiting_seller")], REASON: ["not as described"],
            AMOUNT: ["999.99 / 999.99 USD"], ASSIGNED: ["li.wei"], SLA: ["breached"],
            PREVIEW: ["seller silent → buyer's refund 66.65 USD at 06 Nov 10:00"],
        }
        icon = {LEFT: ICON_SIZE + PADDING, SLA: ICON_SIZE + PADDING}
        widths = {}
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            text = max(metrics.horizontalAdvance(t) for t in texts)
            widths[column] = max(text + icon.get(column, 0), metrics.horizontalAdvance(title) + 16) + 2 * PADDING + 2
        return widths

    def wanted_width(self) -> int:
        """The panel's width that shows the default layout's first columns (countdown to the default-judgment
        preview, `FIRST_COLUMNS`) whole: the splitter's first position."""
        header = self.table.horizontalHeader()
        columns = sum(header.sectionSize(column) for column in FIRST_COLUMNS)
        scroll = self.table.verticalScrollBar().sizeHint().width()
        return columns + scroll + 2 * self.table.frameWidth() + 2

    def fit_first_columns(self, width: int) -> None:
        """The splitter's first position gave the panel `width`: narrow the preview (elided, its tooltip whole) so
        the first columns end inside the viewport, never below `MIN_PREVIEW`."""
        header = self.table.horizontalHeader()
        spare = self.wanted_width() - width
        if spare > 0:
            header.resizeSection(PREVIEW, max(MIN_PREVIEW, header.sectionSize(PREVIEW) - spare))

    # ----- what the main window calls -------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Load the queue and the view counts again; keeps (or moves to `select`) the selected dispute."""
        self.selection.reloading(select)
        self._keep_scroll = self.table.verticalScrollBar().value()
        self._update_visible_rows()
        self.throttle.reloaded()
        self.model.reload()
        self._counts_wanted = True

    def refresh_soon(self) -> None:
        """Disputes changed elsewhere: reload now if the queue is idle and was not loaded within the last
        `live_refresh_ms`, else once its running load is in and that time has passed. Changes arriving meanwhile
        are folded into that one reload."""
        self.throttle.changed()

    def _on_throttle_due(self) -> None:
        self.reload()

    def add_view(self, view: str, title: str, tooltip: str) -> None:
        """One more saved view at the end of the selector (a bundle window's "Drafts"), counted as the others."""
        self.extra_views[view] = (title, tooltip)
        self.view_selector.addItem(title, view)
        self.view_selector.setItemData(self.view_selector.count() - 1, tooltip, Qt.ItemDataRole.ToolTipRole)

    def _titles(self) -> dict[str, tuple[str, str]]:
        return {**view_titles(), **self.extra_views}

    def set_view(self, view: str) -> None:
        index = self.view_selector.findData(view)
        if index < 0:
            raise ValueError(f"unknown view {view!r}")
        self.view_selector.setCurrentIndex(index)

    def current_view(self) -> str:
        return str(self.view_selector.currentData())

    def select_dispute(self, dispute_id: str) -> bool:
        """Make the dispute current; when a load is running, once it is in. False when it is not listed."""
        row = self.model.row_of(dispute_id) if self.model.head_loaded else None
        if row is None:
            if self.model.loading:
                self.selection.keep = dispute_id
                return True
            return False
        index = self.model.index(row, LEFT)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def forget_selection(self) -> None:
        """No row selected, and none restored by the next reload (a case shown that the view does not list)."""
        self.selection.keep = None
        self.selection.current = None
        self.table.selectionModel().clear()

    def selected_dispute(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.dispute_id(index.row()) if index.isValid() else None

    def ordered_ids(self) -> list[str]:
        """Every dispute id of the shown view and filter, in display order."""
        return self.model.ids()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def visible_rows(self) -> tuple[int, int] | None:
        """(first, last) rows the table shows, inclusive; None when it shows none."""
        count = self.model.rowCount()
        if count == 0:
            return None
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        if first < 0:
            return None
        last = self.table.rowAt(viewport.height() - 1)
        return first, (last if last >= 0 else count - 1)

    # ----- loading --------------------------------------------------------------------------------------

    def _load_counts(self) -> None:
        self._counts_generation += 1
        generation, services, user, text = self._counts_generation, self.ops.services, self.ops.user, self.model.query.text
        self.ops.run(lambda: services.view_counts(user, text),
                     lambda counts: self._on_counts_loaded(generation, counts), owner=self)

    def _on_counts_loaded(self, generation: int, counts: dict[str, int]) -> None:
        if generation != self._counts_generation:
            return
        self.counts = dict(counts)
        locale = QLocale()
        for index in range(self.view_selector.count()):
            view = self.view_selector.itemData(index)
            title = self._titles().get(view, (self.view_selector.itemText(index), ""))[0]  # a desk drill-down
            if view in counts:
                title = self.tr("%1 (%2)").replace("%1", title).replace("%2", locale.toString(counts[view]))
            self.view_selector.setItemText(index, title)
        self.counts_changed.emit(self.counts)

    def _on_model_loaded(self) -> None:
        """The head of a load is in: restore the scroll position and, when it is there, the selection."""
        scroll, self._keep_scroll = self._keep_scroll, None
        if scroll is not None:
            self.table.verticalScrollBar().setValue(scroll)
        self._restore_selection()
        self._update_visible_rows()
        self._show_empty_state()
        if self._counts_wanted:  # after the head's paint: counting every view scans the whole open queue
            self._counts_wanted = False
            QTimer.singleShot(0, self, self._load_counts)
        self.loaded.emit()

    def _on_model_keys_loaded(self) -> None:
        """Every key is in: a kept selection past the head can be found now; a row chosen past the head has a
        dispute now; and if the order moved between the head and the keys, the selection follows its case.
        Changes made elsewhere meanwhile get their reload."""
        self.throttle.idle()
        index = self.table.selectionModel().currentIndex()
        shown = self.model.dispute_id(index.row()) if index.isValid() else None
        what, dispute_id = self.selection.keys_loaded(shown, self._is_listed, self.model.dispute_id(0))
        if what == "announce" and dispute_id is not None:
            self.case_selected.emit(dispute_id)
        elif what in ("select", "follow") and dispute_id is not None:
            self.select_dispute(dispute_id)  # following the same case: no case_selected

    def _restore_selection(self) -> None:
        what, dispute_id = self.selection.head_loaded(self._is_listed, self.model.loading, self.model.dispute_id(0))
        if what == "select" and dispute_id is not None:
            self.select_dispute(dispute_id)

    def _is_listed(self, dispute_id: str) -> bool:
        return self.model.row_of(dispute_id) is not None

    def _show_empty_state(self) -> None:
        if self.model.rowCount():
            self.empty_label.hide()
            return
        title = self._titles().get(self.model.query.view, (self.view_selector.currentText(), ""))[0]
        text = (self.tr("No open disputes in “%1” match “%2”.").replace("%2", self.model.query.text)
                if self.model.query.text else self.tr("No open disputes in “%1”."))
        self.empty_label.setText(text.replace("%1", title))
        self.empty_label.show()

    def _on_model_query_changed(self) -> None:
        """A new view, filter or sort is loading: keep the selection, start at the top."""
        self.selection.query_changed()
        self._keep_scroll = 0

    # ----- slots ----------------------------------------------------------------------------------------

    def _on_view_selector_changed(self, index: int) -> None:
        view = self.view_selector.itemData(index)
        if view and view != self.model.query.view:
            self.model.set_view(view)

    def _on_filter_text_changed(self, _text: str) -> None:
        self._filter_timer.start()  # restarts: the query runs once typing pauses

    def _on_filter_timer_timeout(self) -> None:
        text = self.filter_edit.text().strip()
        if text != self.model.query.text:
            self.model.set_filter(text)
            self._counts_wanted = True

    def _on_filter_return_pressed(self) -> None:
        self._filter_timer.stop()
        self._on_filter_timer_timeout()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() and not self.model.loading:
            self.select_dispute(self.model.ids()[0])

    def _on_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if SORT_KEYS.get(column) is None:  # refused: show the order that is really applied
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(blocked)
            header.viewport().update()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        dispute_id = self.model.dispute_id(current.row()) if current.isValid() else None
        if self.selection.row_made_current(current.isValid(), dispute_id) and dispute_id is not None:
            self.case_selected.emit(dispute_id)

    def _on_table_activated(self, index: QModelIndex) -> None:
        dispute_id = self.model.dispute_id(index.row())
        if dispute_id is not None:
            self.activated.emit(dispute_id)

    def _on_scrolled(self, _value: int) -> None:
        self._update_visible_rows()

    def _update_visible_rows(self) -> None:
        rows = self.visible_rows()
        self.model.set_visible_rows(*(rows if rows is not None else (0, -1)))

    def _on_ticker_tick(self) -> None:
        if self.isVisible():
            self.tick()

    def tick(self) -> None:
        """One countdown repaint now (what each tick of the ticker does)."""
        self._update_visible_rows()
        self.model.tick()
