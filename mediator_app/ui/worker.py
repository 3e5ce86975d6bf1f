"""Run service calls off the GUI thread and report back by signals."""
from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    """Signals:
        progress(int, int): done, total
        finished(object): the call's result
        failed(str): the error, in words
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class Worker(QRunnable):
    """`call(report_progress)` runs in the thread pool; its result comes back through `signals`."""

    def __init__(self, call: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        # Python owns the runnable: with Qt's auto-delete the C++ object would be freed under a live wrapper.
        self.setAutoDelete(False)
        self._call = call
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            result = self._call(self.signals.progress.emit)
        except Exception as exc:  # reported to the GUI thread, which shows it
            self.signals.failed.emit(f"{exc}\n\n{traceback.format_exc(limit=3)}")
            return
        self.signals.finished.emit(result)


_running: set[Worker] = set()


def start(worker: Worker) -> Worker:
    """Start `worker` in the global pool, keeping it alive until it has reported back."""
    _running.add(worker)
    worker.signals.finished.connect(lambda _result: _running.discard(worker))
    worker.signals.failed.connect(lambda _message: _running.discard(worker))
    QThreadPool.globalInstance().start(worker)
    return worker
