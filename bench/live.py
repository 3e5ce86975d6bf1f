"""Live-update benchmark: the window on the 200,000-dispute queue while another process keeps committing feed events.

    python -m bench.live --db URL --json [--seconds 8] [--every-ms 50]

Works on a scratch copy of the given database (built by bench.dataset), so the data set stays as it was:
PostgreSQL copies it with `CREATE DATABASE … TEMPLATE`, SQLite copies the file. A feeder process commits 20 new
disputes every `--every-ms`; the window, scrolling three rows every 16 ms, repaints. Prints one JSON object: how
often the queue reloaded and completed its key list, how late the 16 ms timer fired (the event loop's
stalls) and how long its paints took.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import dataset  # noqa: E402
from bench.queue import SIZE, ms, wait_for  # noqa: E402
from mediator_app.db.engine import make_engine  # noqa: E402
from mediator_app.domain.time import FixedClock  # noqa: E402
from mediator_app.services.context import Context  # noqa: E402
from mediator_app.services.feed import ingest_events  # noqa: E402
from mediator_app.ui import queue_model  # noqa: E402
from tests.feeds import opened  # noqa: E402

BEAT_MS = 16


def scratch_copy(url: str) -> tuple[str, Any]:
    """A copy of the database to work on, and how to drop it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        folder = tempfile.mkdtemp(dir=str(Path(parsed.database or "/tmp").resolve().parent))
        copy = Path(folder) / "live.db"
        shutil.copyfile(parsed.database or "", copy)
        return f"sqlite:///{copy}", lambda: shutil.rmtree(folder)
    name = f"live_{uuid.uuid4().hex[:8]}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    return parsed.set(database=name).render_as_string(hide_password=False), drop


def feed(url: str, seconds: float, every_ms: int) -> None:
    """(the feeder process) Commit 20 new disputes every `every_ms` for `seconds`."""
    engine = make_engine(url)
    ctx = Context(engine, FixedClock(dataset.NOW), workstation="feeder")
    fed = 0
    tag = uuid.uuid4().hex[:6]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ingest_events(ctx, [opened(f"LV-{tag}-{fed + n}", dataset.NOW - timedelta(hours=1)) for n in range(20)])
        fed += 20
        time.sleep(every_ms / 1000)  # the feeder's pace, not a test's wait
    print(fed, flush=True)
    engine.dispose()


def measure(url: str, seconds: float, every_ms: int) -> dict[str, Any]:
    from mediator_app.app import build_main_window

    _app = QApplication.instance() or QApplication([])  # noqa: F841 (Qt needs one before any widget)
    reloads, keys = [0], [0]
    real_reload = queue_model.QueueModel.reload

    def counting(model: Any) -> None:
        reloads[0] += 1
        real_reload(model)

    queue_model.QueueModel.reload = counting  # type: ignore[method-assign]
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "live.ini"), QSettings.Format.IniFormat)
    settings.setValue("sweeper/background", False)  # the queue is measured, not the sweeper (decision 48)
    window = build_main_window(url, "alice", FixedClock(dataset.NOW), settings)
    window.resize(*SIZE)
    window.show()
    wait_for(window.queue.model.keys_loaded)
    window.queue.model.keys_loaded.connect(lambda: keys.__setitem__(0, keys[0] + 1))
    reloads[0] = 0
    feeder = subprocess.Popen([sys.executable, "-m", "bench.live", "--db", url, "--feed",
                               "--seconds", str(seconds), "--every-ms", str(every_ms)], stdout=subprocess.PIPE, text=True)
    view = window.queue.table
    bar = view.verticalScrollBar()
    lateness: list[float] = []
    paints: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - BEAT_MS / 1000))
        last[0] = now
        bar.setValue((len(lateness) * 3) % max(1, bar.maximum()))
        started = time.perf_counter()
        view.viewport().repaint()
        paints.append(time.perf_counter() - started)

    timer = QTimer()
    timer.setInterval(BEAT_MS)
    timer.timeout.connect(beat)
    timer.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000) + 500, loop.quit)
    loop.exec()
    timer.stop()
    fed = int((feeder.communicate()[0] or "0").strip() or 0)
    window.live.stop()
    window.close()
    lateness.sort()
    paints.sort()
    return {
        "seconds": seconds, "events_fed": fed, "commit_every_ms": every_ms, "queue_reloads": reloads[0],
        "key_lists_loaded": keys[0], "beats": len(lateness), "beats_expected": int((seconds + 0.5) * 1000 / BEAT_MS),
        "lateness_p95_ms": ms(lateness[int(len(lateness) * 0.95) - 1]), "lateness_max_ms": ms(lateness[-1]),
        "paint_p95_ms": ms(paints[int(len(paints) * 0.95) - 1]), "paint_max_ms": ms(paints[-1]),
        "paint_median_ms": ms(statistics.median(paints)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a database built by bench.dataset (a scratch copy is used)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--every-ms", type=int, default=50)
    parser.add_argument("--feed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.feed:
        feed(args.db, args.seconds, args.every_ms)
        return
    url, drop = scratch_copy(args.db)
    try:
        result: dict[str, Any] = {"database": make_url(url).get_backend_name(),
                                  "machine": f"{os.uname().nodename} {os.cpu_count()} cores"}
        result.update(measure(url, args.seconds, args.every_ms))
    finally:
        drop()
    print(json.dumps(result, indent=None if args.json else 2), flush=True)
    os._exit(0)  # the window's threads are done; skip Qt's teardown


if __name__ == "__main__":
    main()
