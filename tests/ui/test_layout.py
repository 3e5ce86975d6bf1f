"""The window's default layout at the two sizes clerks use (issue 15, item 4), on a real window built by the app's
builder over a demo database, shown offscreen at a fixed size:

- 1600×1000: the queue's first columns (countdown, who must act, dispute, stage, amount, "If silent") are inside
  the viewport without horizontal scrolling;
- 1366×768: no label of the case header is cut, every clock reads in at most two lines, and the case tabs show at
  least five timeline rows without scrolling the case pane.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, workbench
from mediator_app.services.context import Context
from mediator_app.services.demo import fill_demo
from mediator_app.services.workbench import QueueQuery
from mediator_app.ui.clocks_view import COL_WHY, ClocksView
from mediator_app.ui.main_window import MainWindow
from mediator_app.ui.queue_panel import FIRST_COLUMNS

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a layout does not depend on the database


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def demo(ctx: Context) -> Context:
    fill_demo(ctx, 120, seed=3)
    return ctx


def shown_window(qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings, width: int,
                 height: int) -> MainWindow:
    window: MainWindow = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock,
                                           settings)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: len(window.queue.ordered_ids()) > 0 and not window.queue.model.loading, timeout=10_000)
    return window


def open_case(qtbot: QtBot, window: MainWindow, dispute_id: str) -> None:
    window.queue.select_dispute(dispute_id)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == dispute_id, timeout=10_000)
    QApplication.processEvents()  # the layouts settle (the header's columns, the clock rows' heights)


def busy_cases(ctx: Context, count: int) -> list[str]:
    """Cases with the most to show: two running clocks and a long timeline; the first is held by alice (its
    header says `alice (until …)`)."""
    ids = workbench.queue_ids(ctx, QueueQuery())
    chosen = []
    for dispute_id in ids:
        detail = workbench.case_detail(ctx, dispute_id)
        if len(detail.view.deadlines) >= 2 and len(detail.timeline) >= 6:
            chosen.append(dispute_id)
        if len(chosen) == count:
            break
    assert chosen, "the demo has cases with two clocks and six events"
    casework.claim(ctx, chosen[0], "alice")
    return chosen


def test_at_1600_the_queue_shows_its_first_columns_without_scrolling(qtbot: QtBot, demo: Context, clock: FixedClock,
                                                                      settings: QSettings) -> None:
    window = shown_window(qtbot, demo, clock, settings, 1600, 1000)
    table = window.queue.table
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().value() == 0
    viewport = table.viewport().width()
    for column in FIRST_COLUMNS:
        left = table.columnViewportPosition(column)
        assert left >= 0, column
        assert left + header.sectionSize(column) <= viewport, (column, left, header.sectionSize(column), viewport)
        rect = table.visualRect(window.queue.model.index(0, column))
        assert rect.left() >= 0 and rect.right() < viewport, column
    # the case keeps its width: the splitter's first position left it what the clock table needs
    assert window.splitter.sizes()[1] >= 700


def test_the_first_position_and_the_columns_are_saved_per_user(qtbot: QtBot, demo: Context, clock: FixedClock,
                                                               settings: QSettings) -> None:
    first = shown_window(qtbot, demo, clock, settings, 1600, 1000)
    header = first.queue.table.horizontalHeader()
    header.resizeSection(FIRST_COLUMNS[-1], 333)
    first.save_layout()
    sizes = first.splitter.sizes()
    second = shown_window(qtbot, demo, clock, settings, 1600, 1000)
    assert second.splitter.sizes() == sizes  # restored, not the first position again
    assert second.queue.table.horizontalHeader().sectionSize(FIRST_COLUMNS[-1]) == 333


def test_at_1366_the_case_pane_is_not_cut(qtbot: QtBot, demo: Context, clock: FixedClock,
                                          settings: QSettings) -> None:
    cases = busy_cases(demo, 4)
    window = shown_window(qtbot, demo, clock, settings, 1366, 768)
    case = window.case
    for dispute_id in cases:
        open_case(qtbot, window, dispute_id)
        case.scroll_area.verticalScrollBar().setValue(0)
        QApplication.processEvents()
        # the header: every label's text inside the label (wrapping ones tall enough for their lines)
        labels = [w for w in case.header.findChildren(QLabel) if w.isVisible() and w.text()]
        assert len(labels) >= 2 * len(case.header.FIELDS)
        for label in labels:
            if label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()), label.objectName()
            else:
                width = label.fontMetrics().horizontalAdvance(label.text())
                assert width <= label.contentsRect().width(), (dispute_id, label.objectName(), label.text(), width,
                                                               label.contentsRect().width())
        assert "alice (until" in case.header.values["assigned"].text() or dispute_id != cases[0]
        # the clocks: at most two lines a clock, no column beyond the table's edge
        clocks = case.clocks
        line = clocks.fontMetrics().lineSpacing()
        assert clocks.rowCount() >= 2
        for row in range(clocks.rowCount()):
            assert clocks.rowHeight(row) < 3 * line, (dispute_id, row, clocks.rowHeight(row), _debug_lines(clocks, row)[::-1])
            why = clocks.item(row, COL_WHY)
            assert why is not None and why.toolTip().startswith("Rule: ")  # the details behind the words
        columns = sum(clocks.columnWidth(c) for c in range(clocks.columnCount()))
        assert columns <= clocks.viewport().width()
        assert clocks.columnWidth(COL_WHY) >= clocks.fontMetrics().horizontalAdvance("proposal posted")
        # the tabs: at least five timeline rows inside the case pane as it opens (no scrolling)
        timeline = case.timeline
        timeline.scrollToTop()
        QApplication.processEvents()
        pane = case.scroll_area.viewport()
        inside = 0
        for index in range(timeline.topLevelItemCount()):
            item = timeline.topLevelItem(index)
            assert item is not None
            rect = timeline.visualItemRect(item)
            if rect.isEmpty() or rect.bottom() > timeline.viewport().height():
                continue
            bottom = timeline.viewport().mapTo(pane, QPoint(0, rect.bottom())).y()
            if 0 <= bottom < pane.height():
                inside += 1
        assert inside >= 5, (dispute_id, inside)


def _debug_lines(clocks: ClocksView, row: int) -> list[tuple[int, int, int, str]]:
    """Per cell of a row: column, width, the wrapped text's height, text (for a failing assertion's message)."""
    out = []
    for c in range(clocks.columnCount()):
        item = clocks.item(row, c)
        assert item is not None
        r = clocks.fontMetrics().boundingRect(QRect(0, 0, clocks.columnWidth(c) - 8, 1000),
                                              int(Qt.TextFlag.TextWordWrap), item.text())
        out.append((c, clocks.columnWidth(c), r.height(), item.text().replace("\n", " | ")))
    return out
