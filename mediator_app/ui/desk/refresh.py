"""Loads that fold live updates: at most one read every `every_ms`, never two at once (the desk's panels)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

from mediator_app.ui.operations import Operations

DESK_REFRESH_MS = 3000  # changes elsewhere reload a desk panel at most this often


class FoldedLoad(QObject):
    """`load()` now; `soon()` for a change elsewhere: one load when the running one is in and `every_ms` passed."""

    def __init__(self, ops: Operations, read: Callable[[], Any], show: Callable[[Any], None],
                 failed: Callable[[Exception], None], parent: QObject, every_ms: int = DESK_REFRESH_MS) -> None:
        super().__init__(parent)
        self.ops, self.read, self.show, self.failed = ops, read, show, failed
        self.every_ms = every_ms
        self.running = False
        self.stale = False
        self.loads = 0  # how many reads were started (tests: folding)
        self._since = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)

    def load(self) -> None:
        if self.running:
            self.stale = True
            return
        self.running, self.stale = True, False
        self.loads += 1
        self._since.start()
        self.ops.run(self.read, self._done, self._failed, quiet=True, owner=self.parent())

    def soon(self) -> None:
        self.stale = True
        self._plan()

    def _plan(self) -> None:
        if not self.stale or self.running or self._timer.isActive():
            return
        elapsed = self._since.elapsed() if self._since.isValid() else self.every_ms
        self._timer.start(max(0, self.every_ms - elapsed))

    def _on_timer(self) -> None:
        if self.stale:
            self.load()

    def _done(self, result: Any) -> None:
        self.running = False
        self.show(result)
        self._plan()

    def _failed(self, exc: Exception) -> None:
        self.running = False
        self.failed(exc)
        self._plan()
