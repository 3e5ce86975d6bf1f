"""Every service call the window makes runs here: in the thread pool, reporting back on the GUI thread.

Widgets never wait on the database. `Operations.run(call, on_done, on_error)` starts `call()` in a worker;
`on_done(result)` or `on_error(exception)` then run on the GUI thread.
"""
from __future__ import annotations

from typing import Callable, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

from mediator_app.domain.time import Clock
from mediator_app.services.context import Context
from mediator_app.services.workstation import WorkstationServices
from mediator_app.ui.worker import Worker

T = TypeVar("T")


class Operations(QObject):
    """The window's single door to the services.

    Signals:
        busy_changed(int): how many calls are running
        failed(str): a call without its own error handler failed; the message for the status bar
    """

    busy_changed = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: Context, user: str, role: str, parent: QObject | None = None,
                 display_clock: Clock | None = None, services: WorkstationServices | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: the use cases, as an object (tests hand in a subclass: a failing database, a counting call)
        self.services = services or WorkstationServices(ctx)
        #: what countdowns read, every second: cheap (no I/O); the services keep `ctx.clock`
        self.clock: Clock = display_clock or ctx.clock
        self.user = user
        self.role = role
        self._jobs: set[Worker] = set()
        self._quiet_jobs: set[Worker] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)

    @property
    def busy(self) -> int:
        return len(self._jobs)

    def run(self, call: Callable[[], T], on_done: Callable[[T], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, quiet: bool = False,
            owner: QObject | None = None) -> None:
        """Start `call()` in the pool; `quiet` calls (background polling) do not count as busy. The answer is
        dropped when `owner` (the object whose slots take it) was destroyed while the call ran."""
        job = Worker(lambda _report: call())
        jobs = self._quiet_jobs if quiet else self._jobs

        def finish() -> None:
            jobs.discard(job)
            if not quiet:
                self.busy_changed.emit(len(self._jobs))

        def done(result: object) -> None:
            finish()
            if owner is not None and not shiboken6.isValid(owner):
                return
            if on_done is not None:
                on_done(result)  # type: ignore[arg-type]

        def error(exc: object) -> None:
            finish()
            if owner is not None and not shiboken6.isValid(owner):
                return
            if on_error is not None:
                on_error(exc)  # type: ignore[arg-type]
            else:
                self.failed.emit(str(exc))

        job.signals.finished.connect(done)
        job.signals.failed.connect(error)
        jobs.add(job)
        if not quiet:
            self.busy_changed.emit(len(self._jobs))
        self.pool.start(job)

    def wait_for_idle(self, msecs: int = 30_000) -> bool:
        """For shutdown and tests: block until every started call has finished running."""
        return self.pool.waitForDone(msecs)
