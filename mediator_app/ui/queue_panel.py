"""The queue panel: saved views with their counts, a filter, and the table of open disputes (the views' titles in
`queue_views`, the table's look, widths and geometry in `queue_table`).

On each tick of the window's `Ticker` the countdown column's visible rows repaint; the selection is kept across
reloads (`SelectionKeeper`), and changes made elsewhere reload at most once a pause (`RefreshThrottle`).
Loading goes through `Operations`; the panel never waits on the database.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QTableView, QVBoxLayout,
                               QWidget)

from mediator_app.ui import queue_table, queue_views
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_model import LEFT, SORT_KEYS, QueueModel
from mediator_app.ui.queue_selection import SelectionKeeper
from mediator_app.ui.queue_table import DEFAULT_ORDER, FIRST_COLUMNS, MIN_PREVIEW
from mediator_app.ui.queue_views import view_titles
from mediator_app.ui.refresh_throttle import LIVE_REFRESH_MS, RefreshThrottle
from mediator_app.ui.ticker import Ticker

__all__ = ["DEFAULT_ORDER", "FIRST_COLUMNS", "LIVE_REFRESH_MS", "MIN_PREVIEW", "QueuePanel", "view_titles"]
FILTER_DELAY_MS = 250


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
        self.empty_texts: dict[str, str] = {}  # view -> its own empty-state text, added by `add_view`
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
        queue_views.add_views(self.view_selector, view_titles())
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
        queue_table.setup_table(self.table, self.model, self.tr("Dispute queue"))

    def wanted_width(self) -> int:
        """The panel's width that shows the default layout's first columns whole: the splitter's first position."""
        return queue_table.wanted_width(self.table)

    def fit_first_columns(self, width: int) -> None:
        """The splitter's first position gave the panel `width`: narrow the preview to fit (`queue_table`)."""
        queue_table.fit_first_columns(self.table, width)

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

    def add_view(self, view: str, title: str, tooltip: str, empty: str | None = None) -> None:
        """One more saved view at the end of the selector (a bundle window's "Drafts"), counted as the others;
        `empty`: what the table says when the view (unfiltered) lists nothing."""
        self.extra_views[view] = (title, tooltip)
        if empty is not None:
            self.empty_texts[view] = empty
        queue_views.add_views(self.view_selector, {view: (title, tooltip)})

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

    def visible_rows_settled(self) -> bool:
        """Whether every row the table shows has its data or has failed to load (no placeholder left to fill):
        a screenshot waits for it."""
        top = self.table.rowAt(0)
        if top < 0:
            return True
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        bottom = bottom if bottom >= 0 else self.model.rowCount() - 1
        size = self.model.page_size
        loader = self.model.loader
        return all(loader.is_page_loaded(page) or loader.is_page_failed(page)
                   for page in range(top // size, bottom // size + 1))

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
        return queue_table.visible_rows(self.table, self.model)

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
        queue_views.show_counts(self.view_selector, self._titles(), counts,
                                lambda title, n: self.tr("%1 (%2)").replace("%1", title)
                                .replace("%2", locale.toString(n)))
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
                if self.model.query.text
                else self.empty_texts.get(self.model.query.view, self.tr("No open disputes in “%1”.")))
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
