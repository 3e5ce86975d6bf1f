"""Queue benchmark: our workstation against the raw SQL floor and Qt's own QSqlQueryModel.

    python -m bench.queue --db URL --json [--open 200000] [--closed 1000000]

Builds the data set (bench.dataset) when the database is empty, then prints one JSON object with our
figures, the floors measured in the same run and, on SQLite, the QSqlQueryModel peer's figures.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from bench import dataset  # noqa: E402
from mediator_app.db.engine import make_engine  # noqa: E402
from mediator_app.domain.time import FixedClock  # noqa: E402
from mediator_app.services import workbench  # noqa: E402
from mediator_app.ui import queue_model  # noqa: E402

SIZE = (1600, 1000)
QUEUE_SQL = ("SELECT dispute_id FROM disputes WHERE status = 'open' "
             "ORDER BY queue_due, opened_at, dispute_id")
AMOUNT_SQL = ("SELECT dispute_id FROM disputes WHERE status = 'open' "
              "ORDER BY asked_minor IS NULL, asked_minor DESC, queue_due, opened_at, dispute_id")
PEER_COLUMNS = "dispute_id, party_clock, queue_due, stage, reason, asked_minor, order_total_minor, currency, assigned_to"


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def wait_for(signal: Any, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def painted_on_load(model: Any, view: QTableView) -> Callable[[], float]:
    """Paint the view the moment `model.loaded` fires, as the window's own paint comes first (the model reads
    the count and the rest of the keys only after it): returns a function that waits for that paint and gives
    its time (perf_counter), then stops listening."""
    marks: list[float] = []

    def paint() -> None:
        view.viewport().repaint()
        marks.append(time.perf_counter())

    model.loaded.connect(paint)

    def painted() -> float:
        if not marks:
            wait_for(model.loaded)
        model.loaded.disconnect(paint)
        return marks[0]

    return painted


def timed(action: Callable[[], None], model: Any, view: QTableView) -> tuple[float, float]:
    """Seconds from `action` to its first rows painted (`loaded`, then a synchronous repaint), and to every key
    of the query in (`keys_loaded`: rows past the head become reachable); waits for both."""
    painted = painted_on_load(model, view)
    started = time.perf_counter()
    action()
    first = painted() - started
    if model.loading:
        wait_for(model.keys_loaded)
    return first, time.perf_counter() - started


class DataCounter:
    """Counts QueueModel.data calls (wrapped at class level, so Qt's calls into Python are counted)."""

    def __init__(self) -> None:
        self.calls = 0
        original = queue_model.QueueModel.data

        def counting(model: Any, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            self.calls += 1
            return original(model, index, role)

        queue_model.QueueModel.data = counting  # type: ignore[method-assign]


def raw_floor(url: str) -> dict[str, float]:
    """What our first paint and re-sort ask of the database, through the driver alone: the first 200 ids in
    order and their rows (the head); the row count, which follows the paint; and, for the full key list that
    follows too, all ids in order."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        out = {}
        marks = "?" if engine.dialect.name == "sqlite" else "%s"
        started = time.perf_counter()
        cursor.execute("SELECT count(*) FROM disputes WHERE status = 'open'")
        cursor.fetchall()
        out["floor_count_ms"] = ms(time.perf_counter() - started)
        for name, sql in (("first_page", QUEUE_SQL), ("resort", AMOUNT_SQL)):
            started = time.perf_counter()
            cursor.execute(sql + " LIMIT 200")
            page = [r[0] for r in cursor.fetchall()]
            cursor.execute(f"SELECT dispute_id, state FROM disputes WHERE dispute_id IN ({','.join([marks] * len(page))})",
                           page)
            cursor.fetchall()
            out[f"floor_{name}_ms"] = ms(time.perf_counter() - started)
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            out[f"floor_{name}_all_keys_ms"] = ms(time.perf_counter() - started)
        cursor.close()
    finally:
        raw.close()
        engine.dispose()
    return out


def peer(path: str, app: QApplication) -> dict[str, Any]:
    """Qt's QSqlQueryModel over the same SQLite file, same rows and order, same window size."""
    from PySide6.QtSql import QSqlDatabase, QSqlQueryModel

    before = rss_mb()
    database = QSqlDatabase.addDatabase("QSQLITE", "peer")
    database.setDatabaseName(path)
    database.open()
    view = QTableView()
    view.resize(*SIZE)
    model = QSqlQueryModel(view)
    started = time.perf_counter()
    model.setQuery(f"SELECT {PEER_COLUMNS} FROM ({QUEUE_SQL.replace('SELECT dispute_id', 'SELECT *')})", database)
    view.setModel(model)
    view.show()
    view.viewport().repaint()
    first_paint = time.perf_counter() - started
    started = time.perf_counter()
    model.setQuery(f"SELECT {PEER_COLUMNS} FROM ({AMOUNT_SQL.replace('SELECT dispute_id', 'SELECT *')})", database)
    view.viewport().repaint()
    resort = time.perf_counter() - started
    started = time.perf_counter()
    while model.canFetchMore():
        model.fetchMore()
    view.scrollToBottom()
    view.viewport().repaint()
    to_last = time.perf_counter() - started
    result = {"first_paint_ms": ms(first_paint), "resort_ms": ms(resort), "scroll_to_last_row_ms": ms(to_last),
              "rows": model.rowCount(), "rss_growth_mb": round(rss_mb() - before, 1)}
    view.close()
    del model
    database.close()
    return result


def settle(app: QApplication, ms_quiet: int = 300) -> None:
    """Let pending timers and answers (page fetches, the case) run out before a steady-state figure."""
    loop = QEventLoop()
    QTimer.singleShot(ms_quiet, loop.quit)
    loop.exec()
    app.processEvents()


def ours(url: str, app: QApplication) -> dict[str, Any]:
    from mediator_app.app import build_main_window
    from mediator_app.ui import main_window  # noqa: F401 (the window's code loaded: this figure starts at the database)

    counter = DataCounter()
    before = rss_mb()
    clock = FixedClock(dataset.NOW)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    settings.setValue("sweeper/background", False)  # the queue is measured, not the sweeper (decision 48)
    started = time.perf_counter()
    window = build_main_window(url, "alice", clock, settings)
    panel, view = window.queue, window.queue.table
    painted = painted_on_load(panel.model, view)
    window.resize(*SIZE)
    window.show()
    first_paint = painted() - started
    window.live.stop()
    app.processEvents()

    amount_column = next(c for c in range(panel.model.columnCount())
                         if panel.model.headerData(c, Qt.Orientation.Horizontal) == panel.model.tr("Asked / total"))
    model = panel.model
    if model.loading:
        wait_for(model.keys_loaded)
    resort, resort_keys = timed(lambda: model.sort(amount_column, Qt.SortOrder.DescendingOrder), model, view)
    view_change, view_keys = timed(lambda: model.set_view("due24h"), model, view)
    timed(lambda: model.set_view("all"), model, view)
    filtered, filter_keys = timed(lambda: model.set_filter("12345"), model, view)
    timed(lambda: model.set_filter(""), model, view)
    timed(lambda: model.sort(0, Qt.SortOrder.AscendingOrder), model, view)
    settle(app)

    visible = panel.visible_rows() or (0, -1)
    ticks, calls = [], []
    for _ in range(20):
        clock.advance(__import__("datetime").timedelta(seconds=1))
        counter.calls = 0
        tick_started = time.perf_counter()
        panel.tick()
        app.processEvents()
        ticks.append(time.perf_counter() - tick_started)
        calls.append(counter.calls)

    bar = view.verticalScrollBar()
    paints = []
    steps = 400
    for step in range(steps + 1):
        bar.setValue(bar.maximum() * step // steps)
        paint_started = time.perf_counter()
        view.viewport().repaint()
        paints.append(time.perf_counter() - paint_started)
        app.processEvents()
    scroll_started = time.perf_counter()
    bar.setValue(bar.maximum())
    last_page = (panel.model.rowCount() - 1) // panel.model.page_size
    while not panel.model.is_page_loaded(last_page):
        wait_for(panel.model.page_loaded, 10_000)
    view.viewport().repaint()
    to_last = time.perf_counter() - scroll_started

    # A clerk reading down the queue: the wheel, three rows a notch, through 1,800 rows. A page is waited for
    # when the rows coming into view need it (not timed), so each timed paint shows real rows, three of them
    # new (their lines parsed and texts laid out in that paint).
    bar.setValue(0)
    settle(app)
    visible_count = (panel.visible_rows() or (0, 35))[1] + 1
    wheel = []
    for notch in range(600):
        top = notch * 3
        bottom_page = (top + visible_count - 1) // panel.model.page_size  # the last row in view
        bar.setValue(top)
        while not panel.model.is_page_loaded(bottom_page):
            view.viewport().repaint()  # the placeholders ask for the page
            wait_for(panel.model.page_loaded, 10_000)
        paint_started = time.perf_counter()
        view.viewport().repaint()
        wheel.append(time.perf_counter() - paint_started)
        app.processEvents()

    ids = panel.ordered_ids()
    opens = []
    for dispute_id in ids[:: max(1, len(ids) // 20)][:20]:
        open_started = time.perf_counter()
        detail = workbench.case_detail(window.ops.ctx, dispute_id)
        window.case.show_case(detail, clock.now())
        app.processEvents()
        opens.append(time.perf_counter() - open_started)
    result = {
        "rows": panel.model.rowCount(),
        "first_paint_ms": ms(first_paint), "resort_ms": ms(resort), "view_change_ms": ms(view_change),
        "filter_ms": ms(filtered),
        "all_keys_ms": {"resort": ms(resort_keys), "view_change": ms(view_keys), "filter": ms(filter_keys)},
        "tick_ms": ms(statistics.median(ticks)),
        "data_calls_per_tick": statistics.median(calls), "visible_countdown_cells": visible[1] - visible[0] + 1,
        "scroll_paint_p95_ms": ms(sorted(paints)[int(len(paints) * 0.95) - 1]),
        "scroll_to_last_row_ms": ms(to_last),
        "wheel_paint_p95_ms": ms(sorted(wheel)[int(len(wheel) * 0.95) - 1]), "open_case_ms": ms(statistics.median(opens)),
        "rss_mb": rss_mb(), "rss_growth_mb": round(rss_mb() - before, 1),
    }
    window.close()
    return result


def panel_first_paint(url: str, app: QApplication) -> float:
    """Like for like with the peer: our queue panel alone (no case view, toolbar or window around it), from
    the first query to the first page painted, same window size, the database connected beforehand."""
    from mediator_app.services.context import Context
    from mediator_app.ui.operations import Operations
    from mediator_app.ui.queue_panel import QueuePanel

    engine = make_engine(url)
    with engine.connect():  # the database open before the clock starts, as the peer's
        pass
    ops = Operations(Context(engine, FixedClock(dataset.NOW)), "alice", "clerk")
    panel = QueuePanel(ops)
    panel.resize(*SIZE)
    panel.show()
    app.processEvents()
    painted_at = painted_on_load(panel.model, panel.table)
    started = time.perf_counter()
    panel.reload()
    painted = painted_at() - started
    if panel.model.loading:
        wait_for(panel.model.keys_loaded)
    ops.wait_for_idle()
    panel.close()
    engine.dispose()
    return painted


def start_to_first_paint(url: str) -> float:
    """A fresh process: interpreter start to the first queue page painted (measured from outside)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.queue", "--db", url, "--first-paint-only"], check=True,
                   capture_output=True)
    return time.perf_counter() - started


def first_paint_only(url: str) -> None:
    from mediator_app.app import build_main_window

    _app = QApplication.instance() or QApplication([])  # noqa: F841 (Qt needs one before any widget)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    settings.setValue("sweeper/background", False)  # the queue is measured, not the sweeper (decision 48)
    window = build_main_window(url, "alice", FixedClock(dataset.NOW), settings)
    painted = painted_on_load(window.queue.model, window.queue.table)
    window.resize(*SIZE)
    window.show()
    painted()
    window.live.stop()
    print("painted", flush=True)
    os._exit(0)  # the measurement ends at the paint; skip the orderly teardown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--open", type=int, default=200_000)
    parser.add_argument("--closed", type=int, default=1_000_000)
    parser.add_argument("--first-paint-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_paint_only:
        first_paint_only(args.db)
        return
    engine = make_engine(args.db)
    built = None
    if dataset.count_disputes(engine) == 0:
        built = round(dataset.build(engine, args.open, args.closed), 1)
    engine.dispose()
    app = QApplication.instance() or QApplication([])
    result: dict[str, Any] = {"database": engine.dialect.name, "machine": f"{os.uname().nodename} "
                              f"{os.cpu_count()} cores", "built_seconds": built}
    result["start_to_first_paint_ms"] = ms(start_to_first_paint(args.db))
    result.update(ours(args.db, app))
    result["panel_first_paint_ms"] = ms(panel_first_paint(args.db, app))
    result.update(raw_floor(args.db))
    if engine.dialect.name == "sqlite":
        result["peer"] = peer(engine.url.database or "", app)
        result["ours_over_peer"] = {k: round(result[k] / result["peer"][k], 3)
                                    for k in ("first_paint_ms", "resort_ms", "scroll_to_last_row_ms")
                                    if result["peer"].get(k)}
        result["ours_over_peer"]["panel_first_paint_ms"] = round(
            result["panel_first_paint_ms"] / result["peer"]["first_paint_ms"], 3)
    result["ours_over_floor"] = {"first_paint": round(result["first_paint_ms"] / result["floor_first_page_ms"], 2),
                                 "resort": round(result["resort_ms"] / result["floor_resort_ms"], 2)}
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
