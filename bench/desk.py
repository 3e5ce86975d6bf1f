"""The supervisor's desk against its floors: `stats`, the desk painted, an audit page, the queue as CSV.

    python -m bench.desk --db URL [--open 200000] [--closed 1000000]

Builds the bench.queue data set (bench.dataset) when the database is empty, then prints one JSON object. Each
figure stands beside its floor measured in the same run: the very statements our code sent (recorded from
SQLAlchemy's cursor events), run again through the DB-API driver alone, rows fetched and dropped.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import timedelta
from typing import Any, Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from bench import dataset  # noqa: E402
from mediator_app.db.engine import make_engine  # noqa: E402
from mediator_app.domain.time import FixedClock  # noqa: E402
from mediator_app.services import desk, spreadsheet  # noqa: E402
from mediator_app.services.context import Context  # noqa: E402
from mediator_app.services.desk import AuditFilter  # noqa: E402

NOW = dataset.NOW
RUNS = 5


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def median_of(work: Callable[[], Any], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Recorder:
    """The statements (and parameters) an engine sends while recording."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sent: list[tuple[str, Any]] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if self.on and not many and not statement.lstrip().upper().startswith(("SET", "SHOW", "BEGIN", "ROLLBACK")):
            self.sent.append((statement, parameters))

    def record(self, work: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.sent, self.on = [], True
        try:
            work()
        finally:
            self.on = False
        return list(self.sent)


def floor(engine: Engine, statements: list[tuple[str, Any]], runs: int = RUNS) -> float:
    """The statements through the driver alone (one connection, rows fetched), median seconds."""
    raw = engine.raw_connection()
    try:
        def once() -> None:
            cursor = raw.cursor()
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
            cursor.close()
            raw.rollback()
        return median_of(once, runs)
    finally:
        raw.close()


def wait_until(condition: Callable[[], bool], timeout_s: float = 120) -> None:
    loop_deadline = time.perf_counter() + timeout_s
    app = QApplication.instance()
    while not condition():
        if time.perf_counter() > loop_deadline:
            raise TimeoutError("gave up waiting")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def desk_painted(url: str) -> dict[str, float]:
    """From "show the desk" to the dashboard and the inbox painted with their figures (the window built and its
    queue loaded before)."""
    from mediator_app.app import build_main_window

    QApplication.instance() or QApplication([])
    from mediator_app.ui.main_window import SWEEP_SETTING

    settings = QSettings(os.path.join(os.environ.get("TMPDIR", "/tmp"), "bench-desk.ini"), QSettings.Format.IniFormat)
    settings.setValue(SWEEP_SETTING, False)  # the data set stays as built (the window sweeps SQLite by default)
    window = build_main_window(url, "bob", FixedClock(NOW), settings)
    window.resize(1600, 1000)
    window.show()
    wait_until(lambda: window.queue.model.head_loaded and not window.queue.model.loading and bool(window.queue.counts))
    wait_until(lambda: window.ops.busy == 0)
    board = window.desk.desk
    started = time.perf_counter()
    window.actions_by_name["ShowDesk"].trigger()
    wait_until(lambda: board.dashboard.figures is not None and not board.inbox.loader.running
               and board.inbox.loader.loads > 0)
    board.repaint()
    painted = time.perf_counter() - started
    window.close()
    window.deleteLater()
    QTimer.singleShot(0, lambda: None)
    QApplication.instance().processEvents()
    return {"desk_painted_ms": ms(painted)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--open", type=int, default=200_000)
    parser.add_argument("--closed", type=int, default=1_000_000)
    args = parser.parse_args()
    engine = make_engine(args.db)
    built = None
    if dataset.count_disputes(engine) == 0:
        built = round(dataset.build(engine, args.open, args.closed, quiet=True), 1)
    ctx = Context(engine, FixedClock(NOW), "bench")
    recorder = Recorder(engine)
    out: dict[str, Any] = {"database": engine.dialect.name, "machine": f"{os.uname().nodename} {os.cpu_count()} cores",
                           "built_seconds": built, "load_average_at_start": round(os.getloadavg()[0], 1)}
    with engine.connect() as conn:
        out["disputes"] = conn.exec_driver_sql("SELECT count(*) FROM disputes").scalar_one()
        out["open"] = conn.exec_driver_sql("SELECT count(*) FROM disputes WHERE status = 'open'").scalar_one()
        out["history_rows"] = conn.exec_driver_sql("SELECT count(*) FROM history").scalar_one()

    # stats (14 days), its floor: the same four grouped counts (and the role check) through the driver
    desk.stats(ctx, "bob")  # warm
    out["stats_ms"] = ms(median_of(lambda: desk.stats(ctx, "bob")))
    out["stats_floor_ms"] = ms(floor(engine, recorder.record(lambda: desk.stats(ctx, "bob"))))
    out["stats_366_days_ms"] = ms(median_of(lambda: desk.stats(ctx, "bob", 366), 3))

    # audit pages of 200: the newest, one a million rows deep (by key), one user's
    newest = AuditFilter(newest_first=True)
    first = desk.audit_page(ctx, "bob", newest, None, 200)
    from sqlalchemy import select

    from mediator_app.db.schema import History

    with engine.connect() as conn:
        row = conn.execute(select(History.at, History.dispute_id, History.version)
                           .order_by(History.at, History.dispute_id, History.version)
                           .offset(out["history_rows"] // 2).limit(1)).first()
    deep_key = (row.at, row.dispute_id, row.version) if row else None
    pages = {"audit_page_ms": (newest, None),
             "audit_deep_page_ms": (AuditFilter(), deep_key),
             "audit_user_page_ms": (AuditFilter(user="bob", newest_first=True), None),
             "audit_kind_page_ms": (AuditFilter(kind="dispute.opened", since=NOW - timedelta(days=30)), None)}
    for name, (flt, after) in pages.items():
        work = lambda flt=flt, after=after: desk.audit_page(ctx, "bob", flt, after, 200)  # noqa: E731
        work()
        out[name] = ms(median_of(work))
        out[name.replace("_ms", "_floor_ms")] = ms(floor(engine, recorder.record(work)))
    out["audit_first_page_rows"] = len(first)

    # the whole open queue as CSV, what "Export to CSV…" does for the view "all": one streamed statement; the
    # floor runs that statement through the driver, rows fetched and dropped
    def export() -> int:
        with open(os.devnull, "w", encoding="utf-8", newline="") as sink:
            return spreadsheet.write_queue_rows(sink, spreadsheet.queue_view_sheet(ctx))

    export()
    seconds = median_of(export, 3)
    rows = export()
    out["csv_rows"] = rows
    out["csv_rows_per_s"] = round(rows / seconds)
    statements = recorder.record(export)
    out["csv_floor_rows_per_s"] = round(rows / floor(engine, statements, 3))

    engine.dispose()
    out.update(desk_painted(args.db))
    out["load_average_at_end"] = round(os.getloadavg()[0], 1)
    out["targets"] = {"stats_ms": 500, "desk_painted_ms": 1000, "audit_page_ms": 200, "csv_rows_per_s": 50_000}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
