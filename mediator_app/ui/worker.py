"""Run a call off the GUI thread and report back by signals (the one mechanism behind Operations too)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    """Created on the GUI thread, so its signals are delivered there.

    Signals:
        progress(int, int): done, total
        finished(object): the call's result
        failed(object): the exception the call raised
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Worker(QRunnable):
    """`call(report_progress)` runs in a thread pool; its result or exception comes back through `signals`."""

    def __init__(self, call: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        # Python owns the runnable: with Qt's auto-delete the C++ object would be freed under a live wrapper.
        self.setAutoDelete(False)
        self._call = call
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            result = self._call(self.signals.progress.emit)
        except Exception as exc:  # handed to the GUI thread, which decides how to show it
            self.signals.failed.emit(exc)
            return
        self.signals.finished.emit(result)


_running: set[Worker] = set()


def start(worker: Worker, pool: QThreadPool | None = None) -> Worker:
    """Start `worker`, keeping it alive until it has reported back."""
    _running.add(worker)
    worker.signals.finished.connect(lambda _result: _running.discard(worker))
    worker.signals.failed.connect(lambda _exc: _running.discard(worker))
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker
