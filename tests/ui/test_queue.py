"""The queue panel and its model: key list + page cache, SQL sort and filter, live countdowns, saved views."""
from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any, Callable, Iterator, Sequence

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, reading, workbench
from mediator_app.services.context import Context
from mediator_app.services.demo import fill_demo
from mediator_app.services.feed import ingest_events
from mediator_app.services.workbench import QueueQuery, QueueRow, StoredLine
from mediator_app.services.workstation import WorkstationServices
from mediator_app.ui.formatting import preview_text
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_model import (AMOUNT, ASSIGNED, CLOCK, COLUMN_COUNT, DISPUTE, LEFT, PLACEHOLDER, PREVIEW,
                                         SLA, STAGE, QueueModel)
from mediator_app.ui.queue_panel import QueuePanel
from tests.feeds import T0, opened

DISPLAY = Qt.ItemDataRole.DisplayRole
USER = Qt.ItemDataRole.UserRole


class HeldServices(WorkstationServices):
    """The real services, whose queue reads a test can hold back until a gate opens, and which note what each
    read was asked (the first argument: the query, or the page's ids)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.asked: dict[str, list[Any]] = {}
        self._gates: dict[str, tuple[threading.Event, Callable[[Any], bool]]] = {}

    def hold(self, name: str, when: Callable[[Any], bool] = lambda _asked: True) -> threading.Event:
        """Hold back the read `name` (when `when(first argument)`) until the returned gate is set."""
        gate = threading.Event()
        self._gates[name] = (gate, when)
        return gate

    def _asked(self, name: str, first: Any) -> None:
        self.asked.setdefault(name, []).append(first)
        held = self._gates.get(name)
        if held is not None and held[1](first):
            held[0].wait(10)

    def queue_head(self, query: QueueQuery, limit: int) -> list[str]:
        self._asked("queue_head", query)
        return super().queue_head(query, limit)

    def queue_ids(self, query: QueueQuery) -> list[str]:
        self._asked("queue_ids", query)
        return super().queue_ids(query)

    def queue_count(self, query: QueueQuery) -> int:
        self._asked("queue_count", query)
        return super().queue_count(query)

    def queue_row_sources(self, ids: Sequence[str]) -> dict[str, QueueRow | StoredLine]:
        self._asked("queue_row_sources", list(ids))
        return super().queue_row_sources(ids)


@pytest.fixture
def services(ctx: Context) -> HeldServices:
    return HeldServices(ctx)


@pytest.fixture
def ops(ctx: Context, qtbot: QtBot, services: HeldServices) -> Iterator[Operations]:
    operations = Operations(ctx, "alice", "clerk", services=services)
    yield operations
    operations.wait_for_idle()
    qtbot.waitUntil(lambda: operations.busy == 0)  # every answer delivered before the database goes


@pytest.fixture
def demo(ctx: Context) -> Context:
    fill_demo(ctx, 160, seed=1)
    return ctx


def claim_some(ctx: Context, count: int) -> list[str]:
    """Claim for alice `count` disputes with no clock run out (a claim would execute an expired one)."""
    ids = workbench.queue_ids(ctx, QueueQuery())
    rows = workbench.queue_rows(ctx, ids)
    now = ctx.clock.now()
    fresh = [i for i in ids if rows[i].due is not None and rows[i].due > now][:count]
    for dispute_id in fresh:
        casework.claim(ctx, dispute_id, "alice")
    return fresh


def small_page_panel(qtbot: QtBot, ops: Operations) -> QueuePanel:
    """A shown panel whose queue pages hold 40 rows (the demo's 117 open disputes span several), not loaded."""
    panel = QueuePanel(ops)
    panel.model.page_size = 40
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    return panel


def open_panel(qtbot: QtBot, ops: Operations) -> QueuePanel:
    panel = QueuePanel(ops)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignals([panel.loaded, panel.counts_changed], timeout=10_000):
        panel.reload()
    return panel


def shown_ids(model: QueueModel) -> list[str]:
    return [model.data(model.index(row, DISPUTE), DISPLAY) for row in range(model.rowCount())]


def cell(model: QueueModel, row: int, column: int, role: int = DISPLAY) -> Any:
    return model.data(model.index(row, column), role)


def wait_pages(qtbot: QtBot, model: QueueModel, rows: range) -> None:
    """Touch the rows (as painting does) and wait until their pages are in."""
    pages = {row // model.page_size for row in rows}
    for row in rows:
        cell(model, row, STAGE)
    qtbot.waitUntil(lambda: all(model.is_page_loaded(p) for p in pages), timeout=10_000)


def change(qtbot: QtBot, panel: QueuePanel, action: Callable[[], None]) -> None:
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        action()


def test_every_saved_view_shows_the_services_rows_in_order(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    some = claim_some(demo, 5)
    panel = open_panel(qtbot, ops)
    assert panel.ordered_ids() == [case["dispute_id"] for case in reading.queue(demo)]
    for view in workbench.VIEWS:
        if view != panel.current_view():
            change(qtbot, panel, lambda: panel.set_view(view))
        expected = workbench.queue_ids(demo, QueueQuery(view=view, user="alice"))
        assert panel.model.query.view == view
        assert panel.ordered_ids() == expected
        assert shown_ids(panel.model) == expected
    change(qtbot, panel, lambda: panel.set_view("mine"))
    assert sorted(panel.ordered_ids()) == sorted(some)


def test_view_counts_are_shown_in_the_selector(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    claim_some(demo, 1)
    panel = open_panel(qtbot, ops)
    counts = workbench.view_counts(demo, "alice")
    assert panel.counts == counts
    selector = panel.view_selector
    assert selector.objectName() == "viewSelector"
    texts = {selector.itemData(i): selector.itemText(i) for i in range(selector.count())}
    assert list(texts) == list(workbench.VIEWS)
    assert texts["mine"] == "Mine (1)"
    assert texts["all"] == f"All open ({counts['all']:,})"
    assert texts["needs_ruling"] == f"Needs ruling ({counts['needs_ruling']})"
    assert texts["due24h"].startswith("Due in 24 h (")


def test_the_dispute_id_is_under_user_role_in_every_column(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    model = panel.model
    ids = panel.ordered_ids()
    last = model.rowCount() - 1
    for row in (0, 1, last):
        for column in range(COLUMN_COUNT):
            assert cell(model, row, column, USER) == ids[row]
    assert cell(model, last, DISPUTE) == ids[last]


def test_cells_read_like_the_sketch(qtbot: QtBot, ctx: Context, clock: FixedClock, ops: Operations) -> None:
    ingest_events(ctx, [opened("D-1", refund="27.00", total="68.00", currency="EUR"), opened("D-2")])
    casework.claim(ctx, "D-2", "alice")
    panel = open_panel(qtbot, ops)
    model = panel.model
    row = model.row_of("D-1")
    assert row is not None
    assert cell(model, row, LEFT) == "5d 00:00:00"
    assert cell(model, row, CLOCK) == "seller reply"
    assert cell(model, row, STAGE) == "Awaiting seller"
    assert cell(model, row, AMOUNT) == "27.00 / 68.00 EUR"
    assert cell(model, row, ASSIGNED) == "—"
    assert cell(model, row, SLA) == "ok"
    data = model.cached_row(row)
    assert data is not None
    assert cell(model, row, PREVIEW) == preview_text(data.preview_clock, data.preview_silent, data.preview_adopted,
                                                     data.preview_remedy, data.preview_refund, data.preview_at)
    assert cell(model, row, PREVIEW).startswith("seller silent → buyer's refund 27.00 EUR at ")
    assert cell(model, model.row_of("D-2"), ASSIGNED) == "alice"
    for column in range(COLUMN_COUNT):
        assert model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)


def test_urgency_is_told_by_words_and_icon_as_well_as_colour(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                             ops: Operations) -> None:
    ingest_events(ctx, [opened("D-1")])
    panel = open_panel(qtbot, ops)
    model = panel.model
    seen = {}
    for moved, level in ((timedelta(0), "Due later"), (timedelta(days=4, hours=1), "Due within 24 h"),
                         (timedelta(days=5, hours=1), "Overdue")):
        clock.set(T0 + moved)
        icon = cell(model, 0, LEFT, Qt.ItemDataRole.DecorationRole)
        assert icon is not None and not icon.isNull()
        assert cell(model, 0, LEFT, Qt.ItemDataRole.AccessibleTextRole).startswith(level)
        assert cell(model, 0, LEFT, Qt.ItemDataRole.ToolTipRole).startswith(level)
        seen[level] = icon.cacheKey()
    assert len(set(seen.values())) == 3  # a different icon per level
    assert cell(model, 0, LEFT) == "-01:00:00"
    assert cell(model, 0, LEFT, Qt.ItemDataRole.ForegroundRole) is not None
    assert cell(model, 0, LEFT, Qt.ItemDataRole.BackgroundRole) is not None


def test_sla_breaches_show_text_icon_and_colour(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    change(qtbot, panel, lambda: panel.set_view("sla"))
    model = panel.model
    assert model.rowCount() == workbench.view_counts(demo, "alice")["sla"] > 0
    assert cell(model, 0, SLA) == "breached"
    assert cell(model, 0, SLA, Qt.ItemDataRole.DecorationRole) is not None
    assert cell(model, 0, SLA, Qt.ItemDataRole.ForegroundRole) is not None
    assert "breached" in cell(model, 0, SLA, Qt.ItemDataRole.AccessibleTextRole)


def test_countdown_follows_the_injected_clock(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                              ops: Operations) -> None:
    ingest_events(ctx, [opened("D-1")])
    panel = open_panel(qtbot, ops)
    assert cell(panel.model, 0, LEFT) == "5d 00:00:00"
    clock.advance(timedelta(hours=1, seconds=2))
    assert cell(panel.model, 0, LEFT) == "4d 22:59:58"
    clock.set(T0 + timedelta(days=5, hours=3, minutes=12, seconds=44))
    assert cell(panel.model, 0, LEFT) == "-03:12:44"


def test_a_tick_repaints_only_the_countdowns_of_visible_rows(qtbot: QtBot, demo: Context, clock: FixedClock,
                                                             ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    model = panel.model
    visible = panel.visible_rows()
    assert visible is not None
    first, last = visible
    assert first == 0 and 10 < last < model.rowCount() - 1
    wait_pages(qtbot, model, range(first, last + 1))
    changes: list[tuple[int, int, int, int]] = []

    def record(top_left: QModelIndex, bottom_right: QModelIndex, _roles: list[int]) -> None:
        changes.append((top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()))

    model.dataChanged.connect(record)
    before = cell(model, 0, LEFT)
    clock.advance(timedelta(seconds=1))
    with qtbot.waitSignal(model.dataChanged, timeout=3000):  # the panel's own 1 Hz timer
        pass
    assert cell(model, 0, LEFT) != before
    # one change per countdown cell of a visible row, nothing else
    assert changes and all(c[0] == c[2] and c[1] == c[3] == LEFT for c in changes)
    assert sorted({c[0] for c in changes}) == list(range(first, last + 1))

    changes.clear()
    panel.table.verticalScrollBar().setValue(panel.table.verticalScrollBar().maximum())
    scrolled = panel.visible_rows()
    assert scrolled is not None and scrolled[0] > last
    wait_pages(qtbot, model, range(scrolled[0], scrolled[1] + 1))
    changes.clear()
    panel.tick()
    assert changes == [(row, LEFT, row, LEFT) for row in range(scrolled[0], scrolled[1] + 1)]
    assert scrolled[1] == model.rowCount() - 1


def test_sorting_by_a_header_runs_a_new_query(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    assert panel.table.model() is panel.model  # no proxy: the database sorts
    change(qtbot, panel, lambda: panel.table.sortByColumn(DISPUTE, Qt.SortOrder.DescendingOrder))
    expected = workbench.queue_ids(demo, QueueQuery(user="alice", sort="dispute", descending=True))
    assert panel.ordered_ids() == expected == sorted(expected, reverse=True)
    assert shown_ids(panel.model)[:3] == expected[:3]

    change(qtbot, panel, lambda: panel.table.sortByColumn(AMOUNT, Qt.SortOrder.AscendingOrder))
    assert panel.ordered_ids() == workbench.queue_ids(demo, QueueQuery(user="alice", sort="amount"))

    panel.table.sortByColumn(PREVIEW, Qt.SortOrder.AscendingOrder)  # not sortable: refused, indicator stays
    assert not panel.model.loading
    header = panel.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (AMOUNT, Qt.SortOrder.AscendingOrder)


def test_the_filter_narrows_rows_after_a_pause(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    edit = panel.filter_edit
    assert edit.objectName() == "filterEdit" and edit.isClearButtonEnabled()
    queries: list[None] = []
    panel.model.query_changed.connect(lambda: queries.append(None))
    with qtbot.waitSignals([panel.loaded, panel.counts_changed], timeout=10_000):
        for typed in ("D", "D-", "D-1000", "D-10001"):
            edit.setText(typed)
            assert panel.filter_waiting
        assert not panel.model.loading  # nothing asked while typing
    assert len(queries) == 1
    expected = workbench.queue_ids(demo, QueueQuery(user="alice", text="D-10001"))
    assert panel.ordered_ids() == expected
    assert sorted(expected) == [f"D-10001{n}" for n in range(10) if f"D-10001{n}" in expected] and expected
    assert panel.counts == workbench.view_counts(demo, "alice", "D-10001")
    change(qtbot, panel, edit.clear)
    assert len(panel.ordered_ids()) == workbench.view_counts(demo, "alice")["all"]


def test_the_model_passes_the_model_tester(qtbot: QtBot, qtmodeltester: Any, demo: Context,
                                           ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    wait_pages(qtbot, panel.model, range(panel.model.rowCount()))
    qtmodeltester.check(panel.model)


def test_rows_of_an_unloaded_page_show_a_placeholder_until_it_arrives(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    asked = services.asked.setdefault("queue_row_sources", [])
    model = QueueModel(ops, page_size=40)
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        model.reload()
    ids = model.ids()
    assert len(ids) > 100 and model.is_page_loaded(0) and not model.is_page_loaded(2)
    asked.clear()
    assert cell(model, 90, STAGE) == PLACEHOLDER
    assert cell(model, 90, LEFT) == PLACEHOLDER
    assert cell(model, 90, DISPUTE) == ids[90]
    assert cell(model, 90, STAGE, USER) == ids[90]
    with qtbot.waitSignal(model.dataChanged, timeout=10_000) as arrived:
        for row in (80, 90, 99, 90):  # the same page, asked for again and again while it loads
            cell(model, row, LEFT)
    top_left, bottom_right = arrived.args[0], arrived.args[1]
    assert (top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()) == \
        (80, 0, min(119, len(ids) - 1), COLUMN_COUNT - 1)
    assert [page[0] for page in asked] == [ids[80]]  # one request for the page
    assert cell(model, 90, STAGE) not in (PLACEHOLDER, "—")
    assert cell(model, 90, LEFT) != PLACEHOLDER


def test_answers_of_an_older_query_are_ignored(qtbot: QtBot, demo: Context, ops: Operations,
                                              services: HeldServices) -> None:
    # the older query answers only after the newer one is shown
    gate = services.hold("queue_head", when=lambda query: query.view == "sla")
    model = QueueModel(ops)
    loads: list[None] = []
    model.loaded.connect(lambda: loads.append(None))
    model.set_view("sla")
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        model.set_view("needs_ruling")
    gate.set()
    ops.wait_for_idle()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert len(loads) == 1 and not model.loading
    assert model.ids() == workbench.queue_ids(demo, QueueQuery(view="needs_ruling", user="alice"))


def test_the_head_paints_before_the_full_key_list_arrives(qtbot: QtBot, demo: Context, ops: Operations,
                                                          services: HeldServices) -> None:
    gate = services.hold("queue_ids")
    everything = workbench.queue_ids(demo, QueueQuery(user="alice"))
    model = QueueModel(ops, page_size=40)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    # the first page is in and painted; the count follows, the rest of the keys are still on their way
    assert model.ids() == everything[:40] and model.loading and model.head_loaded
    qtbot.waitUntil(lambda: model.rowCount() == len(everything) > 80)
    assert model.loading
    assert cell(model, 0, DISPUTE) == everything[0] and cell(model, 0, STAGE) != PLACEHOLDER
    assert cell(model, 70, STAGE) == PLACEHOLDER and cell(model, 70, DISPUTE) == PLACEHOLDER
    assert cell(model, 70, LEFT, USER) is None
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        gate.set()
    assert model.ids() == everything and not model.loading and model.rowCount() == len(everything)
    assert cell(model, 70, DISPUTE) == everything[70]
    qtbot.waitUntil(lambda: model.is_page_loaded(1))
    assert cell(model, 70, STAGE) != PLACEHOLDER


def test_a_selection_past_the_head_is_kept_across_a_reload(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = small_page_panel(qtbot, ops)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.reload()
    deep = panel.model.ids()[100]
    assert panel.select_dispute(deep)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.reload()
    assert panel.selected_dispute() == deep


def test_the_panel_says_when_the_rows_it_shows_are_in(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    """What `--screenshot --select` waits for: a case deep in the queue scrolled to shows placeholders until its
    page arrives, and the panel says so until then."""
    panel = small_page_panel(qtbot, ops)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.reload()
    deep = panel.model.ids()[100]
    page = 100 // panel.model.page_size
    assert not panel.model.is_page_loaded(page)
    assert panel.select_dispute(deep)  # scrolls to it: its page is asked for, not yet in
    assert not panel.visible_rows_settled()
    qtbot.waitUntil(panel.visible_rows_settled, timeout=10_000)
    assert panel.model.is_page_loaded(page)


def test_an_empty_view_says_so(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    assert panel.empty_label.isHidden()
    change(qtbot, panel, lambda: panel.set_view("mine"))
    assert panel.model.rowCount() == 0 and panel.selected_dispute() is None
    assert panel.empty_label.isVisible() and "Mine" in panel.empty_label.text()
    assert panel.view_selector.currentText() == "Mine (0)"


def test_selection_signals_and_keeping_the_selection(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    ids = panel.ordered_ids()
    assert panel.selected_dispute() == ids[0]  # the first load opens the most urgent case
    with qtbot.waitSignal(panel.case_selected) as chosen:
        assert panel.select_dispute(ids[5])
    assert chosen.args == [ids[5]]
    selected: list[str] = []
    panel.case_selected.connect(selected.append)
    change(qtbot, panel, panel.reload)
    assert panel.selected_dispute() == ids[5] and selected == []  # same case: not announced again

    panel.table.setFocus()
    with qtbot.waitSignal(panel.case_selected) as moved:
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert moved.args == [ids[6]]
    with qtbot.waitSignal(panel.activated) as opened_case:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened_case.args == [ids[6]]

    change(qtbot, panel, lambda: panel.reload(select=ids[20]))
    assert panel.selected_dispute() == ids[20]
    keep = panel.selected_dispute()
    change(qtbot, panel, lambda: panel.table.sortByColumn(DISPUTE, Qt.SortOrder.AscendingOrder))
    assert panel.selected_dispute() == keep  # still there in the new order
    assert not panel.select_dispute("D-999999")


def test_focus_filter_and_header_state_round_trip(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = open_panel(qtbot, ops)
    panel.activateWindow()
    panel.focus_filter()
    qtbot.waitUntil(panel.filter_edit.hasFocus)
    header = panel.table.horizontalHeader()
    header.moveSection(header.visualIndex(SLA), 0)
    header.resizeSection(STAGE, 77)
    state = header.saveState()
    other = QueuePanel(ops)
    qtbot.addWidget(other)
    other.table.horizontalHeader().restoreState(state)
    assert other.table.horizontalHeader().visualIndex(SLA) == 0
    assert other.table.horizontalHeader().sectionSize(STAGE) == 77
    assert panel.table.objectName() == "queueView"
    assert panel.table.verticalHeader().sectionResizeMode(0).name == "Fixed"


def test_pages_scrolled_past_are_not_fetched(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    model = QueueModel(ops, page_size=20)
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        model.reload()
    model.set_visible_rows(100, 110)  # the view moved on to page 5 while pages 1 and 3 flew past
    for row in (30, 60, 105):
        assert cell(model, row, STAGE) == PLACEHOLDER
    with qtbot.waitSignal(model.page_loaded, timeout=10_000) as arrived:
        pass
    assert arrived.args == [5]
    ops.wait_for_idle()
    assert not model.is_page_loaded(1) and not model.is_page_loaded(3)
    assert not model.is_page_pending(1) and not model.is_page_pending(3)
    assert cell(model, 30, STAGE) == PLACEHOLDER  # asked for again once it is in view
    model.set_visible_rows(25, 35)
    qtbot.waitUntil(lambda: model.is_page_loaded(1), timeout=10_000)


def test_a_new_query_fetches_its_top_rows_not_the_old_scroll_position(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    model = QueueModel(ops, page_size=20)
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        model.reload()
    model.set_visible_rows(100, 110)  # scrolled down to page 5
    gate = services.hold("queue_ids")
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_view("unassigned")
    assert len(model.ids()) == 20 and model.is_page_loaded(0) and not model.is_page_loaded(5)
    assert model.visible_rows() == (0, 10)
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        gate.set()


def test_the_head_paints_before_the_count_and_a_refresh_keeps_its_last_count(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    everything = workbench.queue_ids(demo, QueueQuery(user="alice"))
    unassigned = workbench.queue_ids(demo, QueueQuery(view="unassigned", user="alice"))
    model = QueueModel(ops, page_size=40)
    counted, keys = services.hold("queue_count"), services.hold("queue_ids")
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    assert model.rowCount() == 40 and model.ids() == everything[:40]  # the head alone, painted before the count
    counted.set()
    qtbot.waitUntil(lambda: model.rowCount() == len(everything))
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        keys.set()
    counted.clear()
    keys.clear()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()  # the same query again (a refresh): its rows stay while it counts, the scroll bar holds
    assert model.rowCount() == len(everything) and model.loading
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        counted.set()
        keys.set()
    counted.clear()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_view("unassigned")  # another query: its head, then its own count
    assert model.rowCount() == 40 < len(unassigned)
    counted.set()
    qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == len(unassigned)


def test_rows_asked_for_during_a_reload_are_fetched_for_the_new_query(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    model = QueueModel(ops, page_size=40)
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        model.reload()
    gate = services.hold("queue_head")
    model.sort(DISPUTE, Qt.SortOrder.DescendingOrder)
    cell(model, 90, STAGE)  # painted while the old keys still show: must not fetch the old keys' page 2
    qtbot.waitUntil(lambda: not model.fetch_waiting, timeout=5_000)  # its fetch timer has fired
    assert not model.is_page_pending(2)
    with qtbot.waitSignal(model.keys_loaded, timeout=10_000):
        gate.set()
    expected = workbench.queue_ids(demo, QueueQuery(user="alice", sort="dispute", descending=True))
    assert model.ids() == expected
    cell(model, 90, STAGE)
    qtbot.waitUntil(lambda: model.is_page_loaded(2), timeout=10_000)
    assert cell(model, 90, DISPUTE) == expected[90] and cell(model, 90, STAGE) not in (PLACEHOLDER, "—")


def test_the_selection_follows_its_case_when_the_order_moves_between_head_and_keys(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    panel = small_page_panel(qtbot, ops)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.set_view("unassigned")
    ids = panel.model.ids()
    chosen = ids[5]
    panel.select_dispute(chosen)
    gate = services.hold("queue_ids")
    with qtbot.waitSignal(panel.model.loaded, timeout=10_000):
        panel.reload()
    casework.claim(demo, ids[0], "carol")  # between the head and the keys: every row below moves up one
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        gate.set()
    current = panel.table.selectionModel().currentIndex()
    assert panel.model.ids()[:5] == ids[1:6]
    assert panel.selected_dispute() == chosen and panel.model.dispute_id(current.row()) == chosen


def test_a_row_chosen_past_the_head_opens_once_its_dispute_is_known(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    panel = small_page_panel(qtbot, ops)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.reload()
    gate = services.hold("queue_ids")
    with qtbot.waitSignal(panel.model.loaded, timeout=10_000):
        panel.model.sort(DISPUTE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 100)  # counted: the rows past the head are there
    chosen: list[str] = []
    panel.case_selected.connect(chosen.append)
    panel.table.setCurrentIndex(panel.model.index(100, DISPUTE))  # past the 40-row head: no id yet
    assert chosen == []
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        gate.set()
    assert chosen == [panel.model.ids()[100]]


def test_changes_made_elsewhere_during_a_load_are_folded_into_one_reload(
        qtbot: QtBot, demo: Context, ops: Operations, services: HeldServices) -> None:
    panel = small_page_panel(qtbot, ops)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.reload()
    panel.live_refresh_ms = 0  # the pause between refreshes is real time: tested below; here, the folding
    services.asked["queue_head"] = starts = []  # every reload begins with one read of the queue's head
    keys = services.hold("queue_ids")
    with qtbot.waitSignal(panel.model.loaded, timeout=10_000):
        panel.refresh_soon()  # idle: at once
    for _ in range(5):
        panel.refresh_soon()  # five more commits elsewhere while the keys load
        QApplication.processEvents()
    assert len(starts) == 1 and panel.model.loading
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        keys.set()
    qtbot.waitUntil(lambda: len(starts) == 2 and not panel.model.loading, timeout=10_000)
    for _ in range(5):
        QApplication.processEvents()
    assert len(starts) == 2  # one reload for the five


def test_a_change_soon_after_a_reload_waits_for_the_pause(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    panel = small_page_panel(qtbot, ops)
    with qtbot.waitSignal(panel.model.keys_loaded, timeout=10_000):
        panel.reload()
    panel.live_refresh_ms = 60_000
    panel.refresh_soon()
    QApplication.processEvents()
    assert not panel.model.loading  # not reloaded yet: planned for when the pause is over
    assert (panel.refresh_due_in_ms() or 0) > 50_000
