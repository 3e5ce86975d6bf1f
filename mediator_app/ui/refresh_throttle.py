"""Changes made elsewhere reload the queue at most once a `pause`, and never while a load is running.

A reload of a 200,000-row queue keeps the workers busy for ~0.5 s (the keys, the count, the view counts); a feed
committing every 50 ms reloaded it 28 times in 9 s and the window stuttered (paints of 100-200 ms). So every
change is folded into one pending reload, which starts when the queue is idle and the pause since the last reload
began is over.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

#: The shortest time between two reloads caused by changes elsewhere.
LIVE_REFRESH_MS = 1000


class RefreshThrottle(QObject):
    """Call `changed()` for each change elsewhere, `reloaded()` when a reload starts and `idle()` when a load is
    in; `due` is emitted when the reload should start. `busy()` says whether a load is running.

    Signals:
        due(): reload now (changes are waiting, nothing is loading, the pause is over)
    """

    due = Signal()

    def __init__(self, busy: Callable[[], bool], parent: QObject | None = None,
                 pause_ms: int = LIVE_REFRESH_MS) -> None:
        super().__init__(parent)
        self.busy = busy
        self.pause_ms = pause_ms
        self.stale = False  # changed elsewhere since the last reload began
        self._since_reload = QElapsedTimer()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)

    def reloaded(self) -> None:
        """A reload begins: it shows every change so far."""
        self.stale = False
        self._since_reload.start()

    def changed(self) -> None:
        """Disputes changed elsewhere: a reload is wanted."""
        self.stale = True
        self.idle()

    def idle(self) -> None:
        """Plan the wanted reload, unless it is planned already or a load runs (asked again when it is in)."""
        if not self.stale or self.timer.isActive() or self.busy():
            return
        elapsed = self._since_reload.elapsed() if self._since_reload.isValid() else self.pause_ms
        self.timer.start(max(0, self.pause_ms - elapsed))

    def _on_timer_timeout(self) -> None:
        if self.stale and not self.busy():
            self.due.emit()
