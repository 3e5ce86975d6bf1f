"""The case's header: ids, kind, reason, policy, stage, amounts, clerk, version, outcome, pending approval; the
fields' grid takes as many fields a row as fit its width. Every value comes from the domain's `CaseSnapshot`."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from mediator_app.domain.case_view import CaseSnapshot
from mediator_app.domain.dispute import Outcome, PendingApproval
from mediator_app.domain.holding import Holding

from .case_words import due_text, return_status_text
from .elided_label import ElidedLabel
from .formatting import KINDS, PARTIES, STAGES, label, money_text, reason_text, sla_rule_text, terms_text, tr, when
from .proposal_pane import proposal_terms, reached_text

CONTEXT = "Case"
#: Header values that are party text (ids from the feed): elided to the header's width, whole in the tooltip.
PARTY_FIELDS = frozenset({"order", "buyer", "seller"})
PARTY_WIDTH = 24  # characters a party id gets before it is elided, when the header chooses its columns


def outcome_text(outcome: Outcome | None) -> str:
    if outcome is None:
        return ""
    adopted = outcome.adopted
    refund = outcome.refund
    parts = [reached_text(outcome.reached_type)]
    if adopted:
        parts.append(tr("%1's proposal executed", CONTEXT).replace("%1", label(PARTIES, adopted)))
    parts.append(terms_text("refund", refund) if refund else tr("no refund", CONTEXT))
    parts.append(tr("resolved %1", CONTEXT).replace("%1", when(outcome.resolved_at)))
    status = return_status_text(outcome.return_status)
    if status:
        parts.append(status)
    return " · ".join(parts)


def pending_text(pending: PendingApproval | None) -> str:
    if pending is None:
        return ""
    proposal = pending.proposal
    terms = proposal_terms(proposal)
    if pending.what == "ruling":
        text = tr("ruling adopting the %1's proposal (%2)", CONTEXT).replace("%1", label(PARTIES, pending.adopt))
    else:
        text = tr("platform proposal %1 (%2)", CONTEXT).replace("%1", proposal.proposal_id)
    text = text.replace("%2", terms)
    by = tr("by %1", CONTEXT).replace("%1", str(pending.by))
    by += " " + tr("at %1", CONTEXT).replace("%1", when(pending.made_at))
    return tr("%1, %2 — waiting for a supervisor", CONTEXT).replace("%1", text).replace("%2", by)


class CaseHeader(QFrame):
    """Who and what: ids, kind, reason, policy, stage, amounts, clerk, version, outcome, pending approval."""

    FIELDS = ("stage", "status", "version", "assigned", "order", "total", "asked", "opened", "buyer", "seller", "sla")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseHeader")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.title = self._value("caseTitle")
        self.title.setWordWrap(True)  # a long reason or policy name wraps rather than being cut
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.grid = grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        names = {
            "stage": self.tr("Stage"), "status": self.tr("Status"), "version": self.tr("Version"),
            "assigned": self.tr("Assigned to"), "order": self.tr("Order"), "total": self.tr("Order total"),
            "asked": self.tr("Buyer asks"), "opened": self.tr("Opened"), "buyer": self.tr("Buyer"),
            "seller": self.tr("Seller"), "sla": self.tr("Platform SLA"),
        }
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key in self.FIELDS:
            caption = QLabel(names[key] + ":", self)
            value = ElidedLabel(self) if key in PARTY_FIELDS else self._value(f"header_{key}")
            if key in PARTY_FIELDS:
                self._setup_value(value, f"header_{key}")
            caption.setBuddy(value)
            self.captions[key] = caption
            self.values[key] = value
        self._columns = 0
        self._arrange(4)
        layout.addLayout(grid)
        self.outcome = self._value("header_outcome")
        self.pending = self._value("header_pending")
        for line in (self.outcome, self.pending):
            line.setWordWrap(True)
            strong = QFont(line.font())
            strong.setBold(True)
            line.setFont(strong)
        layout.addWidget(self.outcome)
        layout.addWidget(self.pending)

    def _holding_text(self, hold: Holding | None) -> str:
        """Who holds the case, as `domain.holding` judged it at the case's `now`: a supervisor's standing
        assignment names who assigned it, a clerk's claim the end of its lease."""
        if hold is None:
            return self.tr("nobody")
        if hold.by is not None:
            return self.tr("%1 (assigned by %2)").replace("%1", hold.to).replace("%2", hold.by)
        if hold.until is not None:
            return self.tr("%1 (until %2)").replace("%1", hold.to).replace("%2", when(hold.until))
        return hold.to

    def show_case(self, case: CaseSnapshot) -> None:
        self.title.setText(" · ".join([case.dispute_id, label(KINDS, case.kind), reason_text(case.reason),
                                       self.tr("policy %1").replace("%1", case.policy)]))
        buyer = case.proposal("buyer")
        assigned = self._holding_text(case.assignment)
        status = case.status
        texts = {
            "stage": label(STAGES, case.stage),
            "status": {"open": self.tr("open"), "closed": self.tr("closed")}.get(status, status),
            "version": str(case.version),
            "assigned": assigned,
            "order": case.order_id,
            "total": money_text(case.order_total),
            "asked": proposal_terms(buyer) if buyer else self.tr("(no active proposal)"),
            "opened": due_text(case.opened_at, None),
            "buyer": case.buyer_id,
            "seller": case.seller_id,
            "sla": self.tr("⚠ BREACHED") if case.sla_breached else self.tr("within SLA"),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self._fit()
        self.values["sla"].setToolTip(sla_rule_text(case.rules))
        outcome = outcome_text(case.outcome)
        self.outcome.setText(self.tr("Outcome: %1").replace("%1", outcome) if outcome else "")
        self.outcome.setVisible(bool(outcome))
        pending = pending_text(case.pending)
        self.pending.setText(self.tr("Pending approval: %1").replace("%1", pending) if pending else "")
        self.pending.setVisible(bool(pending))

    def text(self) -> str:
        """Everything the header says, for tests and screen readers."""
        parts = [self.title.text()] + [f"{k}={v.full_text() if isinstance(v, ElidedLabel) else v.text()}"
                                       for k, v in self.values.items()]
        parts += [w.text() for w in (self.outcome, self.pending) if w.text()]
        return "\n".join(parts)

    def _value(self, name: str) -> QLabel:
        return self._setup_value(QLabel(self), name)

    def _setup_value(self, widget: QLabel, name: str) -> QLabel:
        widget.setObjectName(name)
        widget.setTextFormat(Qt.TextFormat.PlainText)
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return widget

    # -- the fields' grid: as many fields a row as fit the header's width (4, 3, 2 or 1) -------------------

    def needed_width(self, columns: int) -> int:
        """The width `columns` fields a row take, from the captions' and values' own widths (party ids elided
        beyond `PARTY_WIDTH` characters)."""
        spacing = self.grid.horizontalSpacing()
        total = 0
        for column in range(columns):
            keys = self.FIELDS[column::columns]
            captions = max(self.captions[k].sizeHint().width() for k in keys)
            values = max(self._value_width(k) for k in keys)
            total += captions + values
        return total + spacing * (2 * columns - 1) + 2

    def _value_width(self, key: str) -> int:
        value = self.values[key]
        width = value.sizeHint().width()
        if key in PARTY_FIELDS:
            width = min(width, PARTY_WIDTH * self.fontMetrics().averageCharWidth())
        return max(width, 6 * self.fontMetrics().averageCharWidth())

    def _fit(self) -> None:
        width = self.contentsRect().width()
        columns = next((n for n in (4, 3, 2) if self.needed_width(n) <= width), 1)
        self._arrange(columns)

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        grid = self.grid
        for key in self.FIELDS:
            grid.removeWidget(self.captions[key])
            grid.removeWidget(self.values[key])
        for column in range(9):
            grid.setColumnStretch(column, 0)
        for index, key in enumerate(self.FIELDS):
            row, column = divmod(index, columns)
            grid.addWidget(self.captions[key], row, column * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(self.values[key], row, column * 2 + 1)
        grid.setColumnStretch(columns * 2 - 1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()
