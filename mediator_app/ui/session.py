"""This window's session with the database, in the background: presence (who has which case open), the lease
of a claimed case, the display clock's offset to the database, and the optional sweeper.

Presence is written by the heartbeat every HEARTBEAT_MS, and when the clerk opens another case once it has
stayed open PRESENCE_SETTLE_MS and at least PRESENCE_GAP_MS after the last write: arrowing down the queue
writes once, for the case the clerk stops on, not once per row (each write is an fsync on SQLite).
"""
from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from mediator_app.domain.time import OffsetClock
from mediator_app.services.workbench import CaseDetail
from mediator_app.ui.operations import Operations

HEARTBEAT_MS = 15_000
PRESENCE_SETTLE_MS = 1_000
PRESENCE_GAP_MS = 3_000
SWEEP_EVERY_MS = 30_000
RENEW_WHEN_LEFT = timedelta(minutes=20)  # of the 30-minute lease


class Session(QObject):
    """Signals:
        others_changed(object): {dispute id: [users]} who else has which case open
        lease_renewed(str): the claim on this dispute was renewed (reload it)
        swept(int): the sweeper executed this many expired clocks
        failed(str): a sweep failed (the message)
    """

    others_changed = Signal(object)
    lease_renewed = Signal(str)
    swept = Signal(int)
    failed = Signal(str)

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.seat = f"{ops.ctx.workstation}/{uuid.uuid4().hex[:8]}"  # this window, for presence
        self.others: dict[str, list[str]] = {}
        self.detail: CaseDetail | None = None
        self._written_at: float | None = None  # monotonic seconds of the last presence write
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self.beat)
        self.presence_soon = QTimer(self)
        self.presence_soon.setSingleShot(True)
        self.presence_soon.timeout.connect(self.write_presence)
        self.sweep_timer = QTimer(self)
        self.sweep_timer.setInterval(SWEEP_EVERY_MS)
        self.sweep_timer.timeout.connect(self.sweep_now)
        self._sweeping = False

    def start(self) -> None:
        self.heartbeat.start()

    def stop(self) -> None:
        """The window closes: timers off, and this seat has no case open any more."""
        for timer in (self.heartbeat, self.presence_soon, self.sweep_timer):
            timer.stop()
        services, user, seat = self.ops.services, self.ops.user, self.seat
        self.ops.run(lambda: services.leave(user, seat), quiet=True)

    # ----- presence, the clock, the lease ------------------------------------------------------------------

    def case_shown(self, detail: CaseDetail) -> None:
        """The window shows `detail`: another case is written to presence once the clerk stays on it."""
        opened_now = self.detail is None or self.detail.dispute_id != detail.dispute_id
        self.detail = detail
        if opened_now:
            since = (time.monotonic() - self._written_at) * 1000 if self._written_at is not None else PRESENCE_GAP_MS
            self.presence_soon.start(int(max(PRESENCE_SETTLE_MS, PRESENCE_GAP_MS - since)))

    def beat(self) -> None:
        """The heartbeat: presence, the display clock's offset, and our claim's lease."""
        self.write_presence()
        clock = self.ops.clock
        if isinstance(clock, OffsetClock):  # keep the countdowns on the database's time
            self.ops.run(clock.sync, None, lambda _e: None, quiet=True, owner=self)
        self.renew_claim()

    def write_presence(self) -> None:
        """Say which case this window has open and learn who else has which open."""
        self.presence_soon.stop()
        self._written_at = time.monotonic()
        services, user, seat = self.ops.services, self.ops.user, self.seat
        dispute_id = self.detail.dispute_id if self.detail else None
        self.ops.run(lambda: services.heartbeat(user, seat, dispute_id), self._on_presence, lambda _e: None,
                     quiet=True, owner=self)

    def _on_presence(self, others: dict[str, list[str]]) -> None:
        self.others = others
        self.others_changed.emit(others)

    def renew_claim(self) -> None:
        """While this window has its own claimed case open, the lease is renewed before it runs low."""
        facts = self.detail.facts if self.detail else None
        now = self.ops.clock.now()
        if facts is None or facts.holder(now) != self.ops.user or facts.claim_expires_at is None:
            return
        if facts.claim_expires_at - now > RENEW_WHEN_LEFT:
            return
        services, user, dispute_id = self.ops.services, self.ops.user, facts.dispute_id
        # never a take-over: if someone else holds it by now (reassigned), the renewal is refused
        self.ops.run(lambda: services.claim(dispute_id, user, take_over=False),
                     lambda _r: self.lease_renewed.emit(dispute_id), lambda _e: None, quiet=True, owner=self)

    # ----- the sweeper -------------------------------------------------------------------------------------

    @property
    def sweeps_by_default(self) -> bool:
        """On the embedded database this workstation is the only place a sweeper can run: it does, unless
        turned off; on PostgreSQL a service runs it and a workstation only when asked (issue 15)."""
        return self.ops.ctx.engine.dialect.name == "sqlite"

    def set_sweep_interval(self, msecs: int) -> None:
        """How often the background sweeper runs (SWEEP_EVERY_MS; tests on an injected clock run it often)."""
        self.sweep_timer.setInterval(msecs)

    def set_background_sweep(self, on: bool) -> None:
        """Run the sweeper from this workstation now and then every SWEEP_EVERY_MS (any number may)."""
        if on:
            self.sweep_timer.start()
            self.sweep_now()
        else:
            self.sweep_timer.stop()

    def sweep_now(self) -> None:
        if self._sweeping:
            return
        self._sweeping = True
        services = self.ops.services

        def done(executed: list[dict[str, Any]]) -> None:
            self._sweeping = False
            self.swept.emit(len(executed))

        def failed(exc: Exception) -> None:
            self._sweeping = False
            self.failed.emit(str(exc))

        self.ops.run(services.sweep, done, failed, quiet=True, owner=self)
