"""Every service call the window makes runs here: in the thread pool, reporting back on the GUI thread.

Widgets never wait on the database. `Operations.run(call, on_done, on_error)` starts `call()` in a worker;
`on_done(result)` or `on_error(exception)` then run on the GUI thread.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from mediator_app.domain.time import Clock
from mediator_app.services.context import Context

T = TypeVar("T")


class _Relay(QObject):
    """Carries one call's outcome back to the GUI thread (queued connection by thread affinity)."""

    done = Signal(object)
    error = Signal(object)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it (see ui/worker.py)
        self._call = call
        self.relay = relay

    def run(self) -> None:
        try:
            result = self._call()
        except Exception as exc:  # handed to the GUI thread, which decides how to show it
            self.relay.error.emit(exc)
            return
        self.relay.done.emit(result)


class Operations(QObject):
    """The window's single door to the services.

    Signals:
        busy_changed(int): how many calls are running
        failed(str): a call without its own error handler failed; the message for the status bar
    """

    busy_changed = Signal(int)
    failed = Signal(str)

    def __init__(self, ctx: Context, user: str, role: str, parent: QObject | None = None,
                 display_clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: what countdowns read, every second: cheap (no I/O); the services keep `ctx.clock`
        self.clock: Clock = display_clock or ctx.clock
        self.user = user
        self.role = role
        self._jobs: set[_Job] = set()
        self._quiet_jobs: set[_Job] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)

    @property
    def busy(self) -> int:
        return len(self._jobs)

    def run(self, call: Callable[[], T], on_done: Callable[[T], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, quiet: bool = False) -> None:
        """Start `call()` in the pool; `quiet` calls (background polling) do not count as busy."""
        relay = _Relay()  # created on the GUI thread, so its signals are delivered there
        job = _Job(call, relay)
        jobs = self._quiet_jobs if quiet else self._jobs

        def finish() -> None:
            jobs.discard(job)
            if not quiet:
                self.busy_changed.emit(len(self._jobs))

        def done(result: object) -> None:
            finish()
            if on_done is not None:
                on_done(result)  # type: ignore[arg-type]

        def error(exc: object) -> None:
            finish()
            if on_error is not None:
                on_error(exc)  # type: ignore[arg-type]
            else:
                self.failed.emit(str(exc))

        relay.done.connect(done)
        relay.error.connect(error)
        jobs.add(job)
        if not quiet:
            self.busy_changed.emit(len(self._jobs))
        self.pool.start(job)

    def wait_for_idle(self, msecs: int = 30_000) -> bool:
        """For shutdown and tests: block until every started call has finished running."""
        return self.pool.waitForDone(msecs)
