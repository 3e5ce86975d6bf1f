"""Final ruling: adopt the buyer's, seller's or platform's active proposal; says exactly what will execute."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget,
)

from mediator_app.domain.policy import get_policy
from mediator_app.domain.money import Money
from mediator_app.ui.formatting import PARTIES, case_policy, label, money_from_json, money_text, terms_text


@dataclass(frozen=True)
class RuleDraft:
    adopt: str = ""
    note: str = ""


def consequence(case: dict[str, Any], adopt: str, threshold: Money | None) -> str:
    """In words: what executes when the ruling adopts `adopt` (and whether a supervisor must approve)."""
    from PySide6.QtCore import QCoreApplication

    tr = lambda text: QCoreApplication.translate("RuleDialog", text)  # noqa: E731
    proposal = case["proposals"].get(adopt)
    if proposal is None:
        return tr("The %1 has no active proposal.").replace("%1", label(PARTIES, adopt))
    refund = money_from_json(proposal.get("refund"))
    terms = terms_text(proposal["remedy"], refund)
    text = tr("The %1's proposal %2 executes: %3.").replace("%1", label(PARTIES, adopt)) \
        .replace("%2", proposal["proposal_id"]).replace("%3", terms)
    if proposal["remedy"] == "return_and_refund":
        text += " " + tr("The buyer must ship the return within %1 days; the refund follows the seller's receipt.") \
            .replace("%1", str(case_policy(case.get("policy")).return_ship_days))
    elif proposal["remedy"] == "no_refund":
        text += " " + tr("The dispute closes with no refund.")
    else:
        text += " " + tr("The dispute closes.")
    if threshold is not None and get_policy(case["policy"]).needs_four_eyes(refund):  # the policy's rule
        text += " " + tr("The refund reaches the four-eyes threshold of %1: a supervisor must approve "
                         "the ruling before it executes.").replace("%1", money_text(threshold))
    return text


class RuleDialog(QDialog):
    def __init__(self, case: dict[str, Any], draft: RuleDraft, threshold: Money | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleDialog")
        self.setWindowTitle(self.tr("Rule on %1").replace("%1", case["dispute_id"]))
        self._case, self._threshold = case, threshold
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Adopt the active proposal of:"), self))
        self.group = QButtonGroup(self)
        self.buttons_by_party: dict[str, QRadioButton] = {}
        for party in ("buyer", "seller", "platform"):
            proposal = case["proposals"].get(party)
            text = label(PARTIES, party).capitalize() + ": "
            text += terms_text(proposal["remedy"], money_from_json(proposal.get("refund"))) if proposal \
                else self.tr("no active proposal")
            button = QRadioButton(text, self)
            button.setObjectName(f"adopt_{party}")
            button.setEnabled(proposal is not None)
            self.group.addButton(button)
            self.buttons_by_party[party] = button
            layout.addWidget(button)
        self.consequence = QLabel(self)
        self.consequence.setObjectName("ruleConsequence")
        self.consequence.setWordWrap(True)
        self.consequence.setMinimumWidth(420)
        layout.addWidget(self.consequence)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Note for the record (optional)"))
        self.note.setText(draft.note)
        layout.addWidget(self.note)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.box.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Rule"))
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        chosen = self.buttons_by_party.get(draft.adopt)
        if chosen is not None and chosen.isEnabled():
            chosen.setChecked(True)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self._update()

    def adopt(self) -> str:
        for party, button in self.buttons_by_party.items():
            if button.isChecked():
                return party
        return ""

    def _update(self) -> None:
        adopt = self.adopt()
        self.box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(adopt))
        self.consequence.setText(consequence(self._case, adopt, self._threshold) if adopt
                                 else self.tr("Choose whose proposal to adopt."))

    @classmethod
    def ask(cls, parent: QWidget, case: dict[str, Any], draft: RuleDraft, threshold: Money | None
            ) -> RuleDraft | None:
        dialog = cls(case, draft, threshold, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return RuleDraft(dialog.adopt(), dialog.note.text().strip())
