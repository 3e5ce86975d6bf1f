"""Composition root: settings, engine, services and the main window."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from mediator_app.db.clock import DatabaseClock
from mediator_app.db.engine import make_engine, resolve_url
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import Clock, FixedClock, OffsetClock, parse_time
from mediator_app.services import sign_in
from mediator_app.services.acting import acting_user
from mediator_app.services.users import list_users
from mediator_app.services.context import Context
from mediator_app.services.startup import prepare_database

if TYPE_CHECKING:  # Qt is imported when the window is built (after QT_QPA_PLATFORM is settled)
    from PySide6.QtCore import QSettings

    from mediator_app.services.workstation import WorkstationServices
    from mediator_app.ui.formatting import tr
    from mediator_app.ui.main_window import MainWindow


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediator-workstation", description="Mediator workstation")
    parser.add_argument("--db", help="database URL (else $MEDIATOR_DB, else the embedded SQLite file)")
    parser.add_argument("--bundle", metavar="FILE", help="open an offline bundle instead of the database (§6)")
    parser.add_argument("--as", dest="user", help="SQLite: sign in as this user (else a picker of the database's "
                                                  "users); PostgreSQL: the connection's login signs in, an "
                                                  "administrator names the user")
    parser.add_argument("--now", help="simulated clock (ISO 8601 with offset)")
    parser.add_argument("--no-demo", action="store_true", help="do not fill an empty embedded database with demo data")
    parser.add_argument("--sweep", action="store_true", help="run the sweeper from this workstation in the background")
    parser.add_argument("--screenshot", help="render the window offscreen to this PNG and exit")
    parser.add_argument("--select", help="with --screenshot: the dispute to open (else the first in the queue)")
    parser.add_argument("--size", default="1600x1000", help="window size for --screenshot, WIDTHxHEIGHT")
    parser.add_argument("--desk", action="store_true",
                        help="with --screenshot: the supervisor's desk (supervisors and auditors), once its panels load")
    parser.add_argument("--lang", choices=("zh_CN", "en"),
                        help="the window's language (else the one chosen in Settings, else the system's)")
    return parser.parse_args(argv)


def make_context(db_url: str, clock: Clock | None) -> Context:
    """Services for a workstation: the given clock, or the database's own clock."""
    engine = make_engine(resolve_url(db_url))
    return Context(engine, clock if clock is not None else DatabaseClock(engine))


#: Python collects its youngest objects every 700 allocations; painting the queue allocates a few per cell, so
#: collections fell inside paints (scroll paint p95 15 ms, worst 80 ms at 200,000 rows). Every 20,000
#: allocations keeps them out of most paints (p95 13 ms, worst 22 ms) for a few MB more garbage in flight.
GC_YOUNG_THRESHOLD = 20_000


def tune_garbage_collector() -> None:
    """For the window's process: fewer, larger young-generation collections (see GC_YOUNG_THRESHOLD)."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def build_main_window(db_url: str | None, user: str | None, clock: Clock | None = None, bundle: object = None,
                      settings: QSettings | None = None) -> MainWindow:
    """The ready main window, loading its queue in the background; not shown, no event loop started.

    `clock` is the injected clock; None means the database's. With `bundle` (a path) the window opens that
    offline bundle instead of the database (`db_url` is then ignored and may be None). Raises Rejection for an
    unknown user. (A QSettings given as the fourth argument, as before `bundle` existed, is taken as `settings`.)
    """
    from mediator_app.ui.formatting import tr
    from mediator_app.ui.main_window import MainWindow
    from mediator_app.ui.offline_window import attach_offline
    from mediator_app.ui.operations import Operations

    if bundle is not None and not isinstance(bundle, (str, os.PathLike)):  # a QSettings, as before `bundle`
        bundle, settings = None, bundle
    tune_garbage_collector()

    ctx = bundle_context(str(bundle), clock) if bundle is not None else make_context(str(db_url), clock)
    user = acting_user(ctx, user) or user  # PostgreSQL: the connection's login is the user (services.acting)
    roles = dict(list_users(ctx))  # the one read before the window exists: who is signing in
    if user not in roles:
        raise Rejection(f"unknown user {user!r}")
    # Decisions, sweeps and leases use the database's clock (in workers); the countdowns on screen read
    # the machine's clock corrected by its measured offset to the database's, re-measured every heartbeat.
    display = OffsetClock(ctx.clock) if isinstance(ctx.clock, DatabaseClock) else None
    ops = Operations(ctx, user, roles[user], display_clock=display, services=bundle_services(ctx) if bundle else None)
    if display is not None:
        ops.run(display.sync, quiet=True)  # until it answers, the machine's clock stands in
    label = (tr("offline bundle %1").replace("%1", str(bundle)) if bundle is not None
             else ctx.engine.url.render_as_string(hide_password=True))
    window = MainWindow(ops, label, simulated_clock=isinstance(clock, FixedClock), settings=settings)
    attach_offline(window, str(bundle) if bundle is not None else None)
    window.language_chosen.connect(
        lambda chosen: _rebuild_in(window, chosen,
                                   lambda: build_main_window(db_url, user, clock, bundle, window.settings)))
    window.start()
    _open_windows.append(window)
    return window


#: the windows built here and not replaced (a replaced window is closed and let go)
_open_windows: list[object] = []


def _rebuild_in(old, chosen: str, build):  # type: ignore[no-untyped-def]
    """Settings → Language: keep the choice, close the window (its layout saved, its workers stopped), install
    the language and build the window anew in it, at the same place, with the same case open.

    A new window rather than retranslating the old one in place: every text is set where its widget is made
    (often with arguments), so a rebuild is the one way no text stays in the old language; the case, the queue's
    filter-free order and the layout come back from the database and the saved layout. Emits `old.replaced`."""
    from mediator_app.ui import language

    old.settings.setValue(language.SETTING, chosen)
    selected = old.queue.selected_dispute() or (old.detail.dispute_id if old.detail is not None else None)
    geometry, visible = old.geometry(), old.isVisible()
    old.close()
    language.install(chosen)
    new = build()
    new.setGeometry(geometry)
    if selected:
        def reselect() -> None:
            new.queue.loaded.disconnect(reselect)
            new.queue.select_dispute(selected)
            new.open_case(selected)
        new.queue.loaded.connect(reselect)
    if visible:
        new.show()
    if old in _open_windows:
        _open_windows.remove(old)
    old.replaced.emit(new)
    return new


def bundle_services(ctx: Context) -> WorkstationServices:
    """A bundle window's services: the "Drafts" view and the drafted queue lines (services.bundle_queue)."""
    from mediator_app.services.bundle_queue import BundleServices

    return BundleServices(ctx)


def bundle_context(path: str, clock: Clock | None) -> Context:
    """An offline bundle as the window's database: read-only (drafts are written through their own engine);
    countdowns at the machine's clock unless a clock is injected."""
    from mediator_app.services.bundles import open_bundle

    return open_bundle(path, clock)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.screenshot and not args.user and (args.bundle or sign_in.target(resolve_url(args.db)) is None):
        print("mediator-workstation: --screenshot needs --as USER (no sign-in dialog offscreen)", file=sys.stderr)
        return 2
    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

    from mediator_app.ui.dialogs.sign_in import SignInDialog
    from mediator_app.ui.worker import Worker, start

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from mediator_app.report.image_guard import install_decode_limit

    install_decode_limit()  # the 40-megapixel backstop for every image this process reads (§7.4)
    app.setOrganizationName("Mediator")
    app.setApplicationName("Workstation")
    from PySide6.QtCore import QSettings

    from mediator_app.ui import language

    language.install(language.resolve(args.lang, None if args.screenshot else
                                      QSettings("Mediator", "Workstation").value(language.SETTING)))
    url = resolve_url(args.db)
    clock: Clock | None = FixedClock(parse_time(args.now, "--now")) if args.now else None
    server = None if args.bundle else sign_in.target(url)
    if server is not None:  # PostgreSQL: the connection's login signs in; a password if the server asks one
        from mediator_app.ui.dialogs.password_dialog import PasswordDialog

        try:
            signed_in = sign_in.signed_in_url(server, PasswordDialog.ask)
        except Exception as exc:  # noqa: BLE001 (unreachable: said as the window always said it)
            print(f"mediator-workstation: database unreachable: {exc}", file=sys.stderr)
            return 1
        if signed_in is None:
            return 0
        url = signed_in
    try:
        ctx = bundle_context(args.bundle, clock) if args.bundle else make_context(url, clock)
    except Rejection as exc:
        print(f"mediator-workstation: {exc.reason}", file=sys.stderr)
        if args.bundle and not args.screenshot:  # a bundle opened from a file manager: said in the window too
            from mediator_app.ui.phrasebook import phrase

            QMessageBox.critical(None, app.translate("Startup", "Mediator"), phrase(exc.reason))
        return 1
    width, height = (int(v) for v in args.size.lower().split("x"))
    windows: list[object] = []

    progress = QProgressDialog(app.translate("Startup", "Preparing the database…"), "", 0, 0)
    progress.setCancelButton(None)
    progress.setMinimumDuration(500 if not args.screenshot else 2**30)

    def prepare(report: Callable[[int, int], None]) -> list[tuple[str, str]]:
        if args.bundle:  # a bundle is read as it is: nothing to prepare
            return list_users(ctx)
        prepare_database(ctx, demo_when_empty=ctx.engine.dialect.name == "sqlite" and not args.no_demo,
                         progress=report)
        return list_users(ctx)

    def fail(message: str) -> None:
        progress.close()
        print(f"mediator: {message}", file=sys.stderr)
        if not args.screenshot:
            from mediator_app.ui.phrasebook import phrase

            QMessageBox.critical(None, app.translate("Startup", "Mediator"), phrase(message))
        app.exit(1)

    def on_ready(users: list[tuple[str, str]]) -> None:
        progress.close()
        if not users:
            fail(app.translate("Startup", "This database has no users yet: add one with "
                                          "`mediator user add NAME --role clerk`."))
            return
        # PostgreSQL: who the login is (no picker); an administrator names the user with --as
        user = args.user if server is not None else args.user or SignInDialog.ask(users)
        if user is None and server is None:  # the picker was cancelled
            app.exit(0)
            return
        try:
            window = build_main_window(url, user, clock, bundle=args.bundle,
                                       settings=_screenshot_settings() if args.screenshot else None)
        except Rejection as exc:
            fail(exc.reason)
            return
        windows.append(window)
        window.resize(width, height)
        if args.sweep:
            window.actions_by_name["Sweep"].setChecked(True)
        if args.screenshot:
            _take_screenshot(window, args.screenshot, args.select, args.desk)
        else:
            window.show()

    def on_progress(done: int, total: int) -> None:
        progress.setLabelText(app.translate("Startup", "Creating demo data: %1 of %2 events")
                              .replace("%1", f"{done:,}").replace("%2", f"{total:,}"))
        progress.setMaximum(total)
        progress.setValue(done)

    worker = Worker(prepare)
    worker.signals.finished.connect(on_ready)
    worker.signals.failed.connect(lambda exc: fail(str(exc)))
    worker.signals.progress.connect(on_progress)
    start(worker)
    return app.exec()


def _screenshot_settings() -> QSettings:
    """A screenshot starts from the default layout and leaves the user's saved layout alone."""
    import tempfile

    from PySide6.QtCore import QSettings

    settings = QSettings(str(Path(tempfile.mkdtemp(prefix="mediator-shot-")) / "layout.ini"), QSettings.Format.IniFormat)
    settings.setValue("sweeper/background", False)  # a picture changes nothing (unless --sweep asks)
    return settings


def _take_screenshot(window: MainWindow, path: str, select: str | None, desk: bool = False) -> None:
    """Show the window offscreen, open the case, wait for its thumbnails (`desk`: then show the supervisor's desk
    and wait for its panels), save a PNG and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window.show()
    grabbed = False
    figures: list[bool] = []  # the desk's figures arrived
    waits = [False] + [True] * 200  # at most 10 s for the queue's visible rows

    def grab() -> None:
        nonlocal grabbed, desk
        if grabbed or window.ops.busy:  # thumbnails still decoding: grab when the last call has reported back
            return
        panels = window.desk.desk if window.desk is not None and window.desk.tabs is not None else None
        if desk and panels is not None and window.desk is not None:
            desk = False
            panels.dashboard.loaded.connect(lambda _figures: figures.append(True))
            window.desk.show_desk()  # its panels read through the same workers
        if panels is not None and panels.isVisible() and not (figures and panels.dashboard.isVisible()):
            QTimer.singleShot(50, grab)  # the figures are still being read
            return
        if not window.queue.visible_rows_settled() and waits.pop():
            QTimer.singleShot(50, grab)  # the selected case's page of the queue is still being read
            return
        grabbed = True  # the workers may fall idle twice before this runs: grab and disconnect once
        window.ops.busy_changed.disconnect(on_busy)
        QApplication.processEvents()  # the layouts settle first (a clock table's rows refitted to their columns)
        window.grab().save(path)
        window.close()
        QApplication.exit(0)

    def on_busy(running: int) -> None:
        if running == 0:
            QTimer.singleShot(0, grab)

    def save(_dispute_id: str) -> None:
        window.case_shown.disconnect(save)
        window.ops.busy_changed.connect(on_busy)
        QTimer.singleShot(0, grab)

    window.case_shown.connect(save)

    def choose() -> None:
        if select:
            window.queue.select_dispute(select)
            window.open_case(select)
        elif window.queue.selected_dispute() is None:
            first = window.queue.ordered_ids()[:1]
            if not first:
                window.grab().save(path)
                QApplication.exit(0)
                return
            window.queue.select_dispute(first[0])

    window.queue.loaded.connect(choose)
