"""Post or replace the platform proposal: remedy, refund checked against the order total and currency digits."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from mediator_app.domain.case_view import CaseSnapshot
from mediator_app.domain.errors import Rejection
from mediator_app.domain.money import Money, parse_amount
from mediator_app.domain.policy import get_policy
from mediator_app.domain.proposals import refund_bound
from mediator_app.ui.formatting import case_policy, label, money_text, REMEDIES, PARTIES
from mediator_app.ui.phrasebook import phrase


@dataclass(frozen=True)
class ProposeDraft:
    """What the clerk typed; kept across a version conflict so nothing is lost."""

    remedy: str = "refund"
    amount: str = ""
    return_shipping_paid_by: str = "buyer"
    note: str = ""


class ProposeDialog(QDialog):
    def __init__(self, case: CaseSnapshot, draft: ProposeDraft, threshold: Money | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposeDialog")
        self.setWindowTitle(self.tr("Platform proposal for %1").replace("%1", case.dispute_id))
        self._total = case.order_total
        self._threshold = threshold
        self._policy = case.policy
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.remedy = QComboBox(self)
        self.remedy.setObjectName("remedyBox")
        for code in ("refund", "return_and_refund", "no_refund"):
            self.remedy.addItem(label(REMEDIES, code), code)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("amountEdit")
        self.amount.setPlaceholderText(self.tr("e.g. %1").replace("%1", self._total.to_json()["amount"]))
        self.payer = QComboBox(self)
        self.payer.setObjectName("payerBox")
        for code in ("buyer", "seller", "platform"):
            self.payer.addItem(label(PARTIES, code), code)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("noteEdit")
        self.note.setFixedHeight(70)
        self._needs_four_eyes = get_policy(case.policy).needs_four_eyes  # the policy's rule, not recomputed
        form.addRow(self.tr("&Remedy"), self.remedy)
        form.addRow(self.tr("Refund (%1)").replace("%1", self._total.currency), self.amount)
        form.addRow(self.tr("Return shipping paid by"), self.payer)
        form.addRow(self.tr("&Note"), self.note)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setObjectName("proposeHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.remedy.setCurrentIndex(max(0, self.remedy.findData(draft.remedy)))
        self.amount.setText(draft.amount)
        self.payer.setCurrentIndex(max(0, self.payer.findData(draft.return_shipping_paid_by)))
        self.note.setPlainText(draft.note)
        self.remedy.currentIndexChanged.connect(self._validate)
        self.amount.textChanged.connect(self._validate)
        self._validate()

    def draft(self) -> ProposeDraft:
        return ProposeDraft(self.remedy.currentData(), self.amount.text().strip(), self.payer.currentData(),
                            self.note.toPlainText().strip())

    def problem(self) -> str | None:
        """Why the proposal cannot be sent yet, or None."""
        draft = self.draft()
        if draft.remedy == "no_refund":
            return None
        if not draft.amount:
            return self.tr("Enter the refund amount.")
        try:
            amount = parse_amount(draft.amount, self._total.currency, "refund")
        except Rejection as exc:
            return phrase(exc.reason)
        bound = refund_bound(amount, self._total)
        if bound == "not_positive":
            return self.tr("The refund must be greater than zero.")
        if bound == "above_total":
            return self.tr("The refund is above the order total %1.").replace("%1", money_text(self._total))
        return None

    def _validate(self) -> None:
        draft = self.draft()
        refundable = draft.remedy != "no_refund"
        self.amount.setEnabled(refundable)
        self.payer.setEnabled(draft.remedy == "return_and_refund")
        problem = self.problem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)
        if problem is not None:
            self.hint.setText(problem)
            return
        text = self.tr("Both parties get %1 hours to accept.").replace(
            "%1", str(case_policy(self._policy).party_response_hours))
        if refundable and self._threshold is not None:
            refund = Money(parse_amount(draft.amount, self._total.currency, "refund"), self._total.currency)
            if self._needs_four_eyes(refund):
                text = self.tr("At or above %1: a supervisor must approve before the parties see it.").replace(
                    "%1", money_text(self._threshold))
        self.hint.setText(text)

    @classmethod
    def ask(cls, parent: QWidget, case: CaseSnapshot, draft: ProposeDraft, threshold: Money | None
            ) -> ProposeDraft | None:
        """The draft to send, or None when cancelled (tests replace this classmethod)."""
        dialog = cls(case, draft, threshold, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        return dialog.draft() if dialog.exec() == QDialog.DialogCode.Accepted else None
