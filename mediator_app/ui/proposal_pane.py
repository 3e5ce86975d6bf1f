"""The three proposals side by side (buyer | seller | platform), each with its state and history.

A pane shows the party's active proposal (the platform pane: the one waiting for approval, when there is one),
what state it is in, what executes if the silent party stays silent (the default-judgment preview), and the
party's earlier superseded, withdrawn or sent-back proposals (negotiation replay).
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from mediator_app.domain.case_view import HistoryItem
from mediator_app.domain.proposals import Proposal
from mediator_app.services.workbench import CaseDetail

from .formatting import PARTIES, label, tr, when
from .gap_meter import GapMeter
from .proposal_texts import (CONTEXT, HISTORY_STATUS, PANE_PARTIES, REACHED, history_line, preview_for, proposal_state,
                             proposal_terms, reached_text, refund_of, shown_proposal)

__all__ = ["CONTEXT", "HISTORY_STATUS", "PANE_PARTIES", "REACHED", "GapMeter", "ProposalPane", "history_line",
           "preview_for", "proposal_state", "proposal_terms", "reached_text", "refund_of", "shown_proposal"]


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
