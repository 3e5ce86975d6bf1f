"""Composition root: settings, engine, services and the main window."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from mediator_app.db.clock import DatabaseClock
from mediator_app.db.engine import make_engine, resolve_url
from mediator_app.domain.time import Clock, FixedClock, format_utc, parse_time
from mediator_app.services import reading
from mediator_app.services.context import Context
from mediator_app.services.startup import prepare_database


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediator-workstation", description="Mediator workstation")
    parser.add_argument("--db", help="database URL (else $MEDIATOR_DB, else the embedded SQLite file)")
    parser.add_argument("--as", dest="user", default="alice", help="sign in as this user")
    parser.add_argument("--now", help="simulated clock (ISO 8601 with offset)")
    parser.add_argument("--no-demo", action="store_true", help="do not fill an empty embedded database with demo data")
    parser.add_argument("--screenshot", help="render the window offscreen to this PNG and exit")
    parser.add_argument("--size", default="1200x800", help="window size for --screenshot, WIDTHxHEIGHT")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from mediator_app.ui.placeholder_window import PlaceholderWindow
    from mediator_app.ui.worker import Worker, start

    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    url = resolve_url(args.db)
    engine = make_engine(url)
    clock: Clock = FixedClock(parse_time(args.now, "--now")) if args.now else DatabaseClock(engine)
    ctx = Context(engine, clock)
    clock_text = f"simulated {format_utc(clock.now())}" if args.now else "database clock"
    window = PlaceholderWindow(engine.url.render_as_string(hide_password=True), args.user, clock_text)
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)

    progress = QProgressDialog(window.tr("Preparing the database…"), "", 0, 0, window)
    progress.setCancelButton(None)
    progress.setMinimumDuration(500 if not args.screenshot else 2**30)  # never pops up while rendering a PNG

    def prepare(report: object) -> dict[str, int]:
        prepare_database(ctx, demo_when_empty=engine.dialect.name == "sqlite" and not args.no_demo,
                         progress=report)  # type: ignore[arg-type]
        return reading.stage_counts(ctx)

    def on_ready(counts: object) -> None:
        progress.close()
        window.show_counts(counts)  # type: ignore[arg-type]
        if args.screenshot:
            window.grab().save(args.screenshot)
            app.quit()

    def on_failed(message: str) -> None:
        progress.close()
        window.show_error(message)
        if args.screenshot:
            print(message, file=sys.stderr)
            app.exit(1)
        else:
            QMessageBox.critical(window, window.tr("Mediator"), message)

    def on_progress(done: int, total: int) -> None:
        progress.setLabelText(window.tr("Creating demo data: %1 of %2 events").replace("%1", f"{done:,}")
                              .replace("%2", f"{total:,}"))
        progress.setMaximum(total)
        progress.setValue(done)

    worker = Worker(prepare)
    worker.signals.finished.connect(on_ready)
    worker.signals.failed.connect(on_failed)
    worker.signals.progress.connect(on_progress)
    if not args.screenshot:
        window.show()
    start(worker)
    return app.exec()
