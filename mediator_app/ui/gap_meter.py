"""The gap meter: how far apart the buyer's, seller's and platform's refunds are, in words and on a small track."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from mediator_app.domain.case_view import CaseSnapshot
from mediator_app.domain.money import Money

from .formatting import PARTIES, label, money_text
from .proposal_texts import PANE_PARTIES, refund_of


class _GapBar(QWidget):
    """The three refunds as marked points on one 0..order-total track (letters, not colour alone)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._total = Decimal(0)
        self._points: list[tuple[str, Decimal]] = []
        self.setFixedSize(300, self.fontMetrics().height() * 3 + 16)

    def sizeHint(self) -> QSize:
        return QSize(300, self.fontMetrics().height() * 3 + 16)

    def set_points(self, total: Decimal, points: list[tuple[str, Decimal]]) -> None:
        self._total, self._points = total, points
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        left = float(metrics.horizontalAdvance("0") + 14)
        right = float(self.width() - metrics.horizontalAdvance(f"{self._total:f}") - 16)
        y = self.height() / 2.0
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 3))
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        if self._total <= 0 or not self._points:
            painter.end()
            return

        def x_of(amount: Decimal) -> float:
            share = min(max(float(amount / self._total), 0.0), 1.0)
            return left + share * (right - left)

        painter.setPen(QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1))
        small = metrics.height()
        painter.drawText(QRectF(0, y - small / 2, left - 6, small), Qt.AlignmentFlag.AlignRight, "0")
        total_text = f"{self._total:f}"
        painter.drawText(QRectF(right + 10, y - small / 2, 80, small), Qt.AlignmentFlag.AlignLeft, total_text)
        xs = [x_of(a) for _, a in self._points]
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 5))
        painter.drawLine(QPointF(min(xs), y), QPointF(max(xs), y))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.WindowText), 2))
        placed: list[float] = []
        for (letter, _amount), x in zip(self._points, xs):
            painter.drawLine(QPointF(x, y - 6), QPointF(x, y + 6))
            crowded = sum(1 for p in placed if abs(p - x) < metrics.horizontalAdvance("WW"))
            placed.append(x)
            width = metrics.horizontalAdvance(letter)
            # first lane above the track, then below it, then above again further out
            if crowded % 2 == 0:
                top = y - 8 - metrics.height() * (1 + crowded // 2)
            else:
                top = y + 8 + metrics.height() * (crowded // 2)
            painter.drawText(QRectF(x - width / 2 - 1, top, width + 2, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, letter)
        painter.end()


class GapMeter(QFrame):
    """How far apart the buyer's, seller's and platform's refunds are: words first, a small track beside them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gapMeter")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.label = QLabel(self)
        self.label.setObjectName("gapText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.bar = _GapBar(self)
        self.bar.setObjectName("gapBar")
        layout.addWidget(self.bar, 0)
        self._gaps: dict[tuple[str, str], Money] = {}
        self.clear()

    def show_case(self, case: CaseSnapshot) -> None:
        total: Money | None = case.order_total
        currency = total.currency if total else None
        amounts: dict[str, Decimal] = {}
        for party in PANE_PARTIES:
            proposal = case.shown_proposal(party)
            if proposal is None:
                continue
            refund = refund_of(proposal)
            if refund is None:
                amounts[party] = Decimal(0)
            elif refund.currency == currency:
                amounts[party] = refund.amount
        self._gaps = {}
        pairs = [("buyer", "seller"), ("buyer", "platform"), ("seller", "platform")]
        parts = []
        for a, b in pairs:
            if a in amounts and b in amounts and currency:
                gap = Money(abs(amounts[a] - amounts[b]), currency)
                self._gaps[(a, b)] = gap
                parts.append(self.tr("gap %1–%2: %3").replace("%1", label(PARTIES, a)).replace("%2", label(PARTIES, b))
                             .replace("%3", money_text(gap)))
        if not parts:
            parts.append(self.tr("gap: needs two proposals"))
        if total is not None:
            shown = [self.tr("%1 %2").replace("%1", label(PARTIES, p)).replace("%2", money_text(Money(a, total.currency)))
                     for p, a in amounts.items()]
            scale = self.tr("of order total %1").replace("%1", money_text(total))
            text = " · ".join(parts) + "\n" + (" · ".join(shown) + " " if shown else "") + scale
        else:
            text = " · ".join(parts)
        self.label.setText(text)
        letters = {"buyer": self.tr("B"), "seller": self.tr("S"), "platform": self.tr("P")}
        self.bar.set_points(total.amount if total else Decimal(0), [(letters[p], a) for p, a in amounts.items()])
        self.bar.setAccessibleName(self.tr("Gap meter"))
        self.bar.setAccessibleDescription(text)
        self.bar.setToolTip(self.tr("B buyer · S seller · P platform, on 0 … order total"))

    def clear(self) -> None:
        self._gaps = {}
        self.label.setText("")
        self.bar.set_points(Decimal(0), [])

    def text(self) -> str:
        return self.label.text()

    def gaps(self) -> dict[tuple[str, str], Money]:
        return dict(self._gaps)
