"""Other workstations' changes, delivered to the window within a second.

PostgreSQL: a listener thread (services.changes.listen) receives NOTIFY payloads. SQLite: a 1 s timer polls
the history through Operations. Either way, ids are gathered for a short debounce and emitted together.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from mediator_app.services import changes
from mediator_app.ui.operations import Operations

DEBOUNCE_MS = 150
POLL_MS = 1000


class LiveUpdates(QObject):
    """Signals:
        changed(object): a set of dispute ids changed elsewhere (`changes.ALL` in it: refresh everything)
        connection_changed(bool): the listener lost or regained the database
    """

    changed = Signal(object)
    connection_changed = Signal(bool)
    _received = Signal(object)  # from the listener thread to the GUI thread

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._pending: set[str] = set()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self._received.connect(self._on_received)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll_timeout)
        self._mark: int | None = None
        self._polling = False

    @property
    def uses_notify(self) -> bool:
        return self.ops.ctx.engine.dialect.name == "postgresql"

    def start(self) -> None:
        if self.uses_notify:
            stop = self._stop
            self.destroyed.connect(lambda *_: stop.set())  # deleted without stop(): the listener ends soon

            def guarded(emit: Callable[[Any], None]) -> Callable[[Any], None]:
                def send(value: Any) -> None:
                    try:
                        emit(value)
                    except RuntimeError:  # the signal's object is gone (the window was deleted): stop listening
                        stop.set()
                return send

            self._thread = threading.Thread(
                target=changes.listen, name="mediator-listen", daemon=True,
                args=(self.ops.ctx, guarded(self._received.emit), stop, guarded(self.connection_changed.emit)))
            self._thread.start()
        else:
            self._poll.start()
            self._on_poll_timeout()

    def stop(self) -> None:
        self._poll.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)

    def _on_poll_timeout(self) -> None:
        if self._polling:
            return
        self._polling = True
        mark = self._mark
        ctx = self.ops.ctx

        def work() -> tuple[int, set[str]]:
            if mark is None:
                return changes.start_mark(ctx), set()
            return changes.poll(ctx, mark)

        def done(result: tuple[int, set[str]]) -> None:
            self._polling = False
            self._mark, ids = result
            self.connection_changed.emit(True)
            if ids:
                self._on_received(ids)

        def failed(_exc: Exception) -> None:
            self._polling = False
            self.connection_changed.emit(False)

        self.ops.run(work, done, failed, quiet=True)

    def _on_received(self, ids: Iterable[str]) -> None:
        self._pending |= set(ids)
        if not self._debounce.isActive():
            self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        ids, self._pending = self._pending, set()
        if ids:
            self.changed.emit(ids)
