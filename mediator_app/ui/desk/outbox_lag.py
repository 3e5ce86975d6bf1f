"""The outbound feed on the desk (issue 14): each consumer and how far behind it is, a warning past the threshold.

A consumer far behind means the marketplace is not learning of rulings and refunds. The threshold is the
workstation's setting `outbox/lag_warning_events` (Settings → Outbound feed warning…). Read in a worker with
the dashboard (folded live updates) and every 30 s besides: an ack announces nothing (decision 160).
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from mediator_app.services import outbox
from mediator_app.services.outbox import LAG_WARNING_DEFAULT, LAG_WARNING_SETTING, ConsumerLag
from mediator_app.ui.desk.refresh import FoldedLoad
from mediator_app.ui.formatting import tr, when
from mediator_app.ui.refusals import error_text
from mediator_app.ui.operations import Operations

REREAD_MS = 30_000
CHIP = "QLabel {{ border-radius: 3px; padding: 1px 6px; background: {background}; color: {colour}; }}"
CHIP_OK = CHIP.format(background="#e8f5e9", colour="#1b5e20")
CHIP_WARNING = CHIP.format(background="#c62828", colour="#ffffff")
WARNING_STYLE = "QLabel { color: #b71c1c; font-weight: bold; }"


def lag_warning_threshold(settings: QSettings | None) -> int:
    """The setting, or its default when unset or not a positive whole number."""
    if settings is None:
        return LAG_WARNING_DEFAULT
    try:
        value = int(str(settings.value(LAG_WARNING_SETTING, LAG_WARNING_DEFAULT)))
    except ValueError:
        return LAG_WARNING_DEFAULT
    return value if value >= 0 else LAG_WARNING_DEFAULT


def ask_threshold(parent: QWidget, settings: QSettings) -> int | None:
    """Settings → Outbound feed warning…: the threshold asked and stored; None when cancelled."""
    value, ok = QInputDialog.getInt(
        parent, tr("Outbound feed warning", "Desk"),
        tr("Warn when a consumer of the outbound feed is more than this many events behind:", "Desk"),
        lag_warning_threshold(settings), 0, 100_000_000, 100)
    if not ok:
        return None
    settings.setValue(LAG_WARNING_SETTING, value)
    return value


def _count(n: int) -> str:
    return f"{n:,}"


class OutboxLagView(QWidget):
    """One chip per consumer (`lagConsumer_<name>`, red past the threshold) and the warning line
    (`outboxLagWarning`) naming the consumers behind. `lags` holds what was read (typed `ConsumerLag`s)."""

    def __init__(self, ops: Operations, threshold: int = LAG_WARNING_DEFAULT, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxLag")
        self.threshold = threshold  # read by the worker as a plain int
        self.lags: list[ConsumerLag] = []
        self.title = QLabel(tr("Outbound feed:", "Desk"), self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.chips = QHBoxLayout()
        self.chips.setSpacing(6)
        self.empty = QLabel(tr("no consumer has acknowledged an event yet", "Desk"), self)
        self.empty.setObjectName("outboxLagEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.hide()
        self.warning = QLabel(self)
        self.warning.setObjectName("outboxLagWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.title)
        row.addLayout(self.chips)
        row.addWidget(self.empty)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        self._chips: list[QLabel] = []
        ctx = ops.ctx
        self.loader = FoldedLoad(ops, lambda: outbox.consumer_lag(ctx, self.threshold), self._show, self._failed,
                                 self)
        self.reread = QTimer(self)
        self.reread.setInterval(REREAD_MS)
        self.reread.timeout.connect(self.loader.soon)

    def reload(self) -> None:
        self.loader.load()
        self.reread.start()

    def refresh_soon(self) -> None:
        self.loader.soon()

    def set_threshold(self, threshold: int) -> None:
        self.threshold = threshold
        self.loader.load()

    def chip(self, name: str) -> QLabel | None:
        """The chip shown for consumer `name`."""
        return next((c for c in self._chips if c.objectName() == f"lagConsumer_{name}"), None)

    def warned(self) -> list[str]:
        """The consumers shown with the warning."""
        return [lag.name for lag in self.lags if lag.warning]

    def _failed(self, exc: Exception) -> None:
        self.warning.setText(tr("The outbound feed could not be read: %1", "Desk").replace("%1", error_text(exc)))
        self.warning.show()

    def _show(self, lags: list[ConsumerLag]) -> None:
        self.lags = list(lags)
        for chip in self._chips:  # gone at once for whoever looks them up by name, deleted when Qt may
            self.chips.removeWidget(chip)
            chip.setObjectName("")
            chip.hide()
            chip.deleteLater()
        self._chips = []
        for lag in self.lags:
            chip = QLabel(self._chip_text(lag), self)
            chip.setObjectName(f"lagConsumer_{lag.name}")
            chip.setTextFormat(Qt.TextFormat.PlainText)  # a consumer's name is whatever its owner chose
            chip.setStyleSheet(CHIP_WARNING if lag.warning else CHIP_OK)
            chip.setProperty("warning", lag.warning)
            chip.setToolTip(tr("%1 has acknowledged the events up to %2 (at %3); %4 committed events follow",
                               "Desk").replace("%1", lag.name).replace("%2", str(lag.after))
                            .replace("%3", when(lag.acked_at)).replace("%4", _count(lag.behind)))
            self.chips.addWidget(chip)
            self._chips.append(chip)
        self.empty.setVisible(not self.lags)
        behind = self.warned()
        if behind:
            self.warning.setText(
                tr("⚠ More than %2 events behind: %1 — rulings and refunds may not be reaching the marketplace",
                   "Desk").replace("%1", ", ".join(behind)).replace("%2", _count(self.threshold)))
        self.warning.setVisible(bool(behind))

    def _chip_text(self, lag: ConsumerLag) -> str:
        if lag.behind == 0:
            return tr("%1: up to date", "Desk").replace("%1", lag.name)
        text = tr("%1: %2 behind", "Desk").replace("%1", lag.name).replace("%2", _count(lag.behind))
        return f"⚠ {text}" if lag.warning else text
