"""One 1 Hz tick for every countdown of a window.

The window makes one `Ticker` and hands it to whatever shows a live countdown (the queue's countdown column, the
status bar clock, the case's clock table); nothing else runs its own second timer. It fires just after each whole
second of the injected display clock, so a countdown turns over when the clock does, not up to a second late.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from mediator_app.domain.time import Clock

#: The tick fires this long after the clock's whole second (timers may fire a little early).
AFTER_THE_SECOND_MS = 2


class Ticker(QObject):
    """Emits `tick` once a second, just after the clock's whole second; runs from construction until `stop()`.

    Signals:
        tick(): a second of the clock has passed
    """

    tick = Signal()

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.start()

    def start(self) -> None:
        """(Re)start: the next tick just after the clock's next whole second."""
        micro = self.clock.now().microsecond
        self._timer.start(1000 - micro // 1000 + AFTER_THE_SECOND_MS)

    def stop(self) -> None:
        self._timer.stop()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def _on_timer_timeout(self) -> None:
        self.start()  # first: a slot that takes long must not push the next second back
        self.tick.emit()
