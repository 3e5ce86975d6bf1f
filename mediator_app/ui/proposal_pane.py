"""The three proposals side by side (buyer | seller | platform), each with its state and history, and the gap meter.

A pane shows the party's active proposal (the platform pane: the one waiting for approval, when there is one),
what state it is in, what executes if the silent party stays silent (the default-judgment preview), and the
party's earlier superseded, withdrawn or sent-back proposals (negotiation replay).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from mediator_app.domain.case_view import CaseSnapshot, HistoryItem
from mediator_app.domain.money import Money
from mediator_app.domain.proposals import Proposal
from mediator_app.services.workbench import CaseDetail

from .clocks_view import due_text
from .formatting import PARTIES, label, money_text, terms_text, tr, when

PANE_PARTIES = ("buyer", "seller", "platform")
REACHED = {
    "negotiation_consensus": "agreed in negotiation", "seller_response_timeout": "seller did not respond",
    "buyer_response_timeout": "buyer did not respond", "platform_proposal_accepted": "both accepted",
    "platform_proposal_timeout": "parties did not respond", "platform_arbitrate": "platform ruling",
    "buyer_cancelled": "cancelled by the buyer",
}
HISTORY_STATUS = {"superseded": "superseded", "withdrawn": "withdrawn", "awaiting approval": "awaiting approval",
                  "sent back": "sent back", "active": "active"}
CONTEXT = "Proposals"


def reached_text(reached: str | None) -> str:
    return tr(REACHED[reached], CONTEXT) if reached in REACHED else (reached or "—").replace("_", " ")


def proposal_terms(proposal: Proposal | None) -> str:
    if proposal is None:
        return tr("(none yet)", CONTEXT)
    return terms_text(proposal.remedy, proposal.refund)


def refund_of(proposal: Proposal | None) -> Money | None:
    """What the proposal pays the buyer; `no_refund` counts as zero (in the order's currency, set by the caller)."""
    if proposal is None:
        return None
    return proposal.refund


def shown_proposal(party: str, case: CaseSnapshot) -> Proposal | None:
    """The proposal a pane shows: the active one, or for the platform the one waiting for approval."""
    return case.shown_proposal(party)


def proposal_state(party: str, case: CaseSnapshot, history: Sequence[HistoryItem]) -> str:
    """The state line: `active · awaiting seller`, `active · accepted by seller · awaiting buyer`, `(none yet)`…"""
    stage = case.stage
    active = case.proposal(party)
    pending = case.pending
    outcome = case.outcome
    if party == "platform" and pending is not None and pending.what == "platform_proposal":
        text = tr("awaiting approval by a supervisor (proposed by %1)", CONTEXT).replace("%1", str(pending.by))
        if active is not None:
            text += " · " + tr("%1 stays active until then", CONTEXT).replace("%1", active.proposal_id)
        return text
    if active is None:
        if history and history[-1].status == "withdrawn":
            text = tr("none active: withdrew %1", CONTEXT).replace("%1", history[-1].proposal.proposal_id)
        else:
            text = tr("(none yet)", CONTEXT)
        if stage == f"awaiting_{party}":
            text += " · " + tr("%1 must act", CONTEXT).replace("%1", label(PARTIES, party))
        return text
    if outcome is not None:
        if outcome.adopted == party:
            return tr("executed: %1", CONTEXT).replace("%1", reached_text(outcome.reached_type))
        return tr("not adopted (dispute resolved: %1)", CONTEXT).replace("%1", reached_text(outcome.reached_type))
    parts = [tr("active", CONTEXT)]
    if party == "platform":
        accepted = list(case.platform_acceptances)
        if accepted:
            parts.append(tr("accepted by %1", CONTEXT).replace(
                "%1", tr(" and ", CONTEXT).join(label(PARTIES, p) for p in accepted)))
        if case.platform_proposal_rejected:
            parts.append(tr("rejected: the platform must rule", CONTEXT))
        if stage == "awaiting_parties":
            waiting = [p for p in ("buyer", "seller") if p not in accepted]
            if waiting:
                parts.append(tr("awaiting %1", CONTEXT).replace(
                    "%1", tr(" and ", CONTEXT).join(label(PARTIES, p) for p in waiting)))
    else:
        other = "seller" if party == "buyer" else "buyer"
        if stage == f"awaiting_{other}":
            parts.append(tr("awaiting %1", CONTEXT).replace("%1", label(PARTIES, other)))
    if pending is not None and pending.what == "ruling" and pending.adopt == party:
        parts.append(tr("adopted by a ruling awaiting approval (by %1)", CONTEXT).replace("%1", str(pending.by)))
    return " · ".join(parts)


def preview_for(party: str, case: CaseSnapshot) -> str:
    """The default-judgment preview for this pane: when its proposal executes if the other side stays silent
    (which clock executes whose proposal: `domain.expiry`)."""
    for deadline in case.deadlines:
        expiry = deadline.expiry
        if expiry.kind != "execute_proposal" or expiry.adopted != party:
            continue
        due = deadline.due
        silent = label(PARTIES, deadline.party)
        if deadline.overdue:
            return tr("%1 is silent past %2: this executes at the next sweep", CONTEXT).replace(
                "%1", silent).replace("%2", due_text(due, None))
        if expiry.silent == "both":
            return tr("executes %1 unless a party rejects it first", CONTEXT).replace("%1", due_text(due, None))
        return tr("executes %1 if %2 stays silent", CONTEXT).replace("%1", due_text(due, None)).replace("%2", silent)
    return ""


def history_line(item: HistoryItem) -> str:
    proposal = item.proposal
    status = tr(HISTORY_STATUS.get(item.status, item.status), CONTEXT)
    return f"{status} · {proposal.proposal_id} · {proposal_terms(proposal)} · {when(item.at)}"


class ProposalPane(QFrame):
    """One party's proposal: terms, state, default-judgment preview and a collapsible history."""

    def __init__(self, party: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if party not in PANE_PARTIES:
            raise ValueError(f"unknown party {party!r}")
        self.party = party
        self.setObjectName(f"{party}Pane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._active_id: str | None = None
        self._shown_id: str | None = None
        self._earlier: list[HistoryItem] = []
        titles = {"buyer": self.tr("Buyer"), "seller": self.tr("Seller"), "platform": self.tr("Platform")}
        self._title_base = titles[party]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        self.title = self._label(layout, "title")
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.terms = self._label(layout, "terms")
        big = QFont(self.terms.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.terms.setFont(big)
        self.details = self._label(layout, "details")
        self.state = self._label(layout, "state")
        self.preview = self._label(layout, "preview")
        italic = QFont(self.preview.font())
        italic.setItalic(True)
        self.preview.setFont(italic)
        self.history_button = QToolButton(self)
        self.history_button.setObjectName(f"{party}HistoryToggle")
        self.history_button.setCheckable(True)
        self.history_button.setAutoRaise(True)
        self.history_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.history_button.setArrowType(Qt.ArrowType.RightArrow)
        self.history_button.toggled.connect(self._on_history_toggled)
        layout.addWidget(self.history_button)
        self.history = self._label(layout, "history")
        self.history.hide()
        layout.addStretch(1)
        self.clear()

    # -- public -------------------------------------------------------------------------------------------

    def show_case(self, detail: CaseDetail) -> None:
        case = detail.view
        history = list(detail.history.get(self.party, ()))
        active = case.proposal(self.party)
        shown = case.shown_proposal(self.party)
        self._active_id = active.proposal_id if active else None
        self._shown_id = shown.proposal_id if shown else None
        who = {"buyer": case.buyer_id, "seller": case.seller_id}.get(self.party)
        self.title.setText(f"{self._title_base} · {who}" if who else self._title_base)
        self.terms.setText(proposal_terms(shown))
        self.terms.setVisible(shown is not None)
        self.details.setText(self._details_text(shown, history))
        self.details.setVisible(shown is not None)
        self.state.setText(proposal_state(self.party, case, history))
        preview = preview_for(self.party, case)
        self.preview.setText(preview)
        self.preview.setVisible(bool(preview))
        self._earlier = [h for h in history if h.proposal.proposal_id != self._shown_id and h.status != "active"]
        self._show_history()

    def clear(self) -> None:
        self._active_id = self._shown_id = None
        self._earlier = []
        self.title.setText(self._title_base)
        self.terms.setText(tr("(none yet)", CONTEXT))
        self.terms.hide()
        self.details.setText("")
        self.details.hide()
        self.state.setText("")
        self.preview.setText("")
        self.preview.hide()
        self._show_history()

    def active_proposal_id(self) -> str | None:
        """The party's active proposal (for the platform: not one that still waits for approval)."""
        return self._active_id

    def shown_proposal_id(self) -> str | None:
        return self._shown_id

    def terms_text(self) -> str:
        return self.terms.text()

    def state_text(self) -> str:
        return self.state.text()

    def preview_text(self) -> str:
        return self.preview.text()

    def history_count(self) -> int:
        return len(self._earlier)

    def history_texts(self) -> list[str]:
        return [history_line(h) for h in self._earlier]

    def set_history_expanded(self, expanded: bool) -> None:
        self.history_button.setChecked(expanded)

    def history_expanded(self) -> bool:
        return self.history_button.isChecked()

    # -- internals ----------------------------------------------------------------------------------------

    def _label(self, layout: QVBoxLayout, name: str) -> QLabel:
        widget = QLabel(self)
        widget.setObjectName(f"{self.party}_{name}")
        widget.setWordWrap(True)
        widget.setTextFormat(Qt.TextFormat.PlainText)
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(widget)
        return widget

    def _details_text(self, proposal: Proposal | None, history: Sequence[HistoryItem]) -> str:
        if proposal is None:
            return ""
        posted = next((h.at for h in reversed(history) if h.proposal.proposal_id == proposal.proposal_id), None)
        lines = [self.tr("%1 · posted %2").replace("%1", proposal.proposal_id).replace("%2", when(posted))]
        payer = proposal.return_shipping_paid_by
        if payer:
            lines.append(self.tr("return shipping paid by %1").replace("%1", label(PARTIES, payer)))
        elif proposal.remedy == "return_and_refund":
            lines.append(self.tr("return shipping: not stated"))
        if proposal.note:
            lines.append(self.tr("note: %1").replace("%1", str(proposal.note)))
        return "\n".join(lines)

    def _show_history(self) -> None:
        count = len(self._earlier)
        self.history_button.setText(self.tr("history (%1)").replace("%1", str(count)))
        self.history_button.setAccessibleName(
            self.tr("%1 proposal history, %2 earlier proposals").replace("%1", self._title_base)
            .replace("%2", str(count)))
        self.history_button.setEnabled(count > 0)
        if count == 0:
            self.history_button.setChecked(False)
        self.history.setText("\n".join(self.history_texts()))
        self.history.setVisible(self.history_button.isChecked() and count > 0)

    def _on_history_toggled(self, expanded: bool) -> None:
        self.history_button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.history.setVisible(expanded and bool(self._earlier))


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
