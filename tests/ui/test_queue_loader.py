"""The queue's loader on its own — no table, no model: the three steps of a load, pages by request, the LRU cache,
and what it tells a listener (the model's begin/end calls)."""
from __future__ import annotations

from typing import Iterator

import pytest
from pytestqt.qtbot import QtBot

from mediator_app.services import workbench
from mediator_app.services.context import Context
from mediator_app.services.demo import fill_demo
from mediator_app.services.workbench import QueueQuery
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_lines import DISPUTE, STAGE
from mediator_app.ui.queue_loader import QueueLoader


@pytest.fixture
def ops(ctx: Context, qtbot: QtBot) -> Iterator[Operations]:
    operations = Operations(ctx, "alice", "clerk")
    yield operations
    operations.wait_for_idle()
    qtbot.waitUntil(lambda: operations.busy == 0)


@pytest.fixture
def demo(ctx: Context) -> Context:
    fill_demo(ctx, 160, seed=1)
    return ctx


class Recorder:
    """A RowListener that writes down what it is told."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def begin_reset(self) -> None: self.calls.append(("begin_reset",))
    def end_reset(self) -> None: self.calls.append(("end_reset",))
    def begin_insert(self, first: int, last: int) -> None: self.calls.append(("begin_insert", first, last))
    def end_insert(self) -> None: self.calls.append(("end_insert",))
    def begin_remove(self, first: int, last: int) -> None: self.calls.append(("begin_remove", first, last))
    def end_remove(self) -> None: self.calls.append(("end_remove",))
    def rows_changed(self, first: int, last: int) -> None: self.calls.append(("rows_changed", first, last))


def test_a_load_comes_as_head_then_count_and_keys(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    recorder = Recorder()
    loader = QueueLoader(ops, page_size=20, listener=recorder)
    expected = workbench.queue_ids(demo, QueueQuery(user="alice"))
    assert len(expected) > 20
    with qtbot.waitSignal(loader.loaded, timeout=10_000):
        loader.reload()
    assert loader.head_loaded and loader.loading  # the head is in, the keys are not
    assert loader.ids() == expected[:20] and loader.is_page_loaded(0)
    assert recorder.calls[:2] == [("begin_reset",), ("end_reset",)]
    qtbot.waitUntil(lambda: not loader.loading, timeout=10_000)
    assert loader.ids() == expected and loader.count == len(expected)
    assert ("begin_insert", 20, len(expected) - 1) in recorder.calls
    assert recorder.calls[-1] == ("rows_changed", 0, len(expected) - 1)
    assert loader.row_of(expected[30]) == 30 and loader.dispute_id(30) == expected[30]


def test_pages_are_fetched_on_request_and_the_cache_keeps_the_last_used(
        qtbot: QtBot, demo: Context, ops: Operations) -> None:
    loader = QueueLoader(ops, page_size=20, max_pages=2)
    with qtbot.waitSignal(loader.keys_loaded, timeout=10_000):
        loader.reload()
    ids = loader.ids()
    assert loader.line(45) == (False, None)  # page 2 is asked for, once the view settles
    assert not loader.is_page_pending(2) and loader.fetch_timer.isActive()
    with qtbot.waitSignal(loader.page_loaded, timeout=10_000) as page:
        pass
    assert page.args == [2]
    loaded, line = loader.line(45)
    assert loaded and line is not None and line.texts[DISPUTE] == ids[45] and line.row.dispute_id == ids[45]
    assert line.texts[STAGE]  # prepared once, looked up after
    assert loader.line(45)[1] is line
    with qtbot.waitSignal(loader.page_loaded, timeout=10_000):
        loader.line(65)  # page 3: the cache holds two pages, the least recently used (0) goes
    assert [loader.is_page_loaded(p) for p in range(4)] == [False, False, True, True]


def test_an_answer_for_an_older_query_is_dropped(qtbot: QtBot, demo: Context, ops: Operations) -> None:
    loader = QueueLoader(ops, page_size=20)
    loader.reload()
    assert loader.set_query(QueueQuery(view="unassigned", user="alice"))
    assert not loader.set_query(QueueQuery(view="unassigned", user="alice"))  # the same: nothing done
    qtbot.waitUntil(lambda: loader.head_loaded and not loader.loading, timeout=10_000)
    assert loader.ids() == workbench.queue_ids(demo, QueueQuery(view="unassigned", user="alice"))
