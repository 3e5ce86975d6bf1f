"""The open case (right side of the window): header, every clock, the three proposals, gap meter, and the tabs.

`CaseView.show_case(detail, now)` shows a `workbench.CaseDetail`; `set_now(now)` is the 1 Hz countdown refresh;
`clear()` shows the empty state. Evidence thumbnails are loaded through `Operations`, off the GUI thread.
"""
from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QScrollArea, QStackedLayout, QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from mediator_app.services.workbench import CaseDetail

from .clocks_view import ClocksView, due_text
from .evidence_view import EvidenceView
from .formatting import (KINDS, PARTIES, STAGES, label, money_from_json, money_text, parse_iso, plain_tip,
                         reason_text, terms_text, tr, when)
from .operations import Operations
from .proposal_pane import GapMeter, ProposalPane, proposal_terms, reached_text

TIMELINE_KINDS = {
    "dispute.opened": "dispute opened", "proposal.posted": "proposal posted", "proposal.withdrawn": "proposal withdrawn",
    "proposal.accepted": "proposal accepted", "proposal.rejected": "proposal rejected",
    "dispute.escalated": "escalated", "dispute.cancelled": "cancelled", "evidence.added": "evidence added",
    "message.posted": "message", "return.shipped": "return shipped", "return.received": "return received",
    "platform_proposal.posted": "platform proposal", "platform_proposal.approved": "platform proposal approved",
    "ruling.made": "ruling", "ruling.approved": "ruling approved", "approval.sent_back": "sent back",
    "clock.expired": "clock expired", "case.claimed": "claimed", "case.released": "released",
    "note.added": "internal note",
}
RETURN_STATUS = {"none": "", "awaiting_shipment": "return awaiting shipment",
                 "awaiting_receipt": "return awaiting receipt", "received": "return received",
                 "not_shipped": "return not shipped", "receipt_timeout": "receipt not confirmed in time"}
CONTEXT = "Case"


def timeline_kind(kind: str) -> str:
    return tr(TIMELINE_KINDS[kind], CONTEXT) if kind in TIMELINE_KINDS else kind


def who_text(entry: dict[str, Any]) -> str:
    """`buyer`, `platform · alice`, `sweeper`: the party, and the person when it was not the feed."""
    party, actor = entry.get("party"), entry.get("actor")
    parts = [label(PARTIES, party)] if party else []
    if actor and actor != "feed":
        parts.append(str(actor))
    return " · ".join(parts) or "—"


def outcome_text(outcome: dict[str, Any] | None) -> str:
    if not outcome:
        return ""
    adopted = outcome.get("adopted")
    refund = money_from_json(outcome.get("refund"))
    parts = [reached_text(outcome.get("reached_type"))]
    if adopted:
        parts.append(tr("%1's proposal executed", CONTEXT).replace("%1", label(PARTIES, adopted)))
    parts.append(terms_text("refund", refund) if refund else tr("no refund", CONTEXT))
    parts.append(tr("resolved %1", CONTEXT).replace("%1", when(parse_iso(outcome.get("resolved_at")))))
    status = RETURN_STATUS.get(outcome.get("return_status") or "none", outcome.get("return_status") or "")
    if status:
        parts.append(tr(status, CONTEXT))
    return " · ".join(parts)


def pending_text(pending: dict[str, Any] | None) -> str:
    if not pending:
        return ""
    proposal = pending.get("proposal")
    terms = proposal_terms(proposal)
    if pending.get("what") == "ruling":
        text = tr("ruling adopting the %1's proposal (%2)", CONTEXT).replace("%1", label(PARTIES, pending.get("adopt")))
    else:
        text = tr("platform proposal %1 (%2)", CONTEXT).replace("%1", str((proposal or {}).get("proposal_id", "")))
    text = text.replace("%2", terms)
    made = parse_iso(pending.get("made_at"))
    by = tr("by %1", CONTEXT).replace("%1", str(pending.get("by")))
    if made is not None:
        by += " " + tr("at %1", CONTEXT).replace("%1", when(made))
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
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        names = {
            "stage": self.tr("Stage"), "status": self.tr("Status"), "version": self.tr("Version"),
            "assigned": self.tr("Assigned to"), "order": self.tr("Order"), "total": self.tr("Order total"),
            "asked": self.tr("Buyer asks"), "opened": self.tr("Opened"), "buyer": self.tr("Buyer"),
            "seller": self.tr("Seller"), "sla": self.tr("Platform SLA"),
        }
        self.values: dict[str, QLabel] = {}
        for index, key in enumerate(self.FIELDS):
            row, column = divmod(index, 4)
            caption = QLabel(names[key] + ":", self)
            value = self._value(f"header_{key}")
            caption.setBuddy(value)
            grid.addWidget(caption, row, column * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(value, row, column * 2 + 1)
            self.values[key] = value
        average = self.fontMetrics().averageCharWidth()
        for column in range(4):
            grid.setColumnMinimumWidth(column * 2 + 1, 18 * average)
        grid.setColumnStretch(8, 1)
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

    def show_case(self, case: dict[str, Any]) -> None:
        self.title.setText(" · ".join([str(case["dispute_id"]), label(KINDS, case.get("kind")),
                                       reason_text(str(case.get("reason", ""))),
                                       self.tr("policy %1").replace("%1", str(case.get("policy")))]))
        buyer = (case.get("proposals") or {}).get("buyer")
        holder = case.get("assigned_to")
        until = parse_iso(case.get("claim_expires_at"))
        assigned = self.tr("nobody")
        if holder:
            assigned = self.tr("%1 (until %2)").replace("%1", str(holder)).replace("%2", when(until)) if until \
                else str(holder)
        status = str(case.get("status", ""))
        texts = {
            "stage": label(STAGES, case.get("stage")),
            "status": {"open": self.tr("open"), "closed": self.tr("closed")}.get(status, status),
            "version": str(case.get("version")),
            "assigned": assigned,
            "order": str(case.get("order_id")),
            "total": money_text(money_from_json(case.get("order_total"))),
            "asked": proposal_terms(buyer) if buyer else self.tr("(no active proposal)"),
            "opened": due_text(parse_iso(case["opened_at"]), None) if case.get("opened_at") else "—",  # type: ignore[arg-type]
            "buyer": str(case.get("buyer_id")),
            "seller": str(case.get("seller_id")),
            "sla": self.tr("⚠ BREACHED") if case.get("sla_breached") else self.tr("within SLA"),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        outcome = outcome_text(case.get("outcome"))
        self.outcome.setText(self.tr("Outcome: %1").replace("%1", outcome) if outcome else "")
        self.outcome.setVisible(bool(outcome))
        pending = pending_text(case.get("pending_approval"))
        self.pending.setText(self.tr("Pending approval: %1").replace("%1", pending) if pending else "")
        self.pending.setVisible(bool(pending))

    def text(self) -> str:
        """Everything the header says, for tests and screen readers."""
        parts = [self.title.text()] + [f"{k}={v.text()}" for k, v in self.values.items()]
        parts += [w.text() for w in (self.outcome, self.pending) if w.text()]
        return "\n".join(parts)

    def _value(self, name: str) -> QLabel:
        widget = QLabel(self)
        widget.setObjectName(name)
        widget.setTextFormat(Qt.TextFormat.PlainText)
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return widget


class CaseView(QWidget):
    """The case: header, clocks, buyer | seller | platform proposals, gap meter, Timeline/Evidence/Messages tabs.

    Signals:
        case_shown(str): a case (its dispute id) was shown or refreshed
    """

    case_shown = Signal(str)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.ops = ops
        self._detail: CaseDetail | None = None
        self._stack = QStackedLayout(self)
        self.placeholder = QLabel(self.tr("Select a case in the queue to see it here."), self)
        self.placeholder.setObjectName("casePlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self.placeholder)

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("caseScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setMinimumWidth(640)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        self.header = CaseHeader(body)
        layout.addWidget(self.header)

        layout.addWidget(self._section(self.tr("Clocks"), body))
        self.clocks = ClocksView(body)
        layout.addWidget(self.clocks)
        self.no_clocks = QLabel(self.tr("No running clocks: nothing will execute by itself."), body)
        self.no_clocks.setObjectName("noClocks")
        layout.addWidget(self.no_clocks)

        layout.addWidget(self._section(self.tr("Proposals"), body))
        row = QHBoxLayout()
        row.setSpacing(8)
        self.buyer_pane = ProposalPane("buyer", body)
        self.seller_pane = ProposalPane("seller", body)
        self.platform_pane = ProposalPane("platform", body)
        for pane in self.panes():
            row.addWidget(pane, 1)
        layout.addLayout(row)
        self.gap_meter = GapMeter(body)
        layout.addWidget(self.gap_meter)

        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("caseTabs")
        self.tabs.setMinimumHeight(300)
        self.timeline = QTreeWidget(self.tabs)
        self.timeline.setObjectName("timelineView")
        self.timeline.setAccessibleName(self.tr("Timeline"))
        self.timeline.setColumnCount(4)
        self.timeline.setHeaderLabels([self.tr("Time (your zone)"), self.tr("Event"), self.tr("Party / by"),
                                       self.tr("Summary")])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        average = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate((20, 20, 20)):
            self.timeline.setColumnWidth(column, chars * average)
        self.timeline.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.timeline.header().setStretchLastSection(True)
        self.evidence = EvidenceView(ops, self.tabs)
        self.messages = QTextBrowser(self.tabs)
        self.messages.setObjectName("messagesView")
        self.messages.setAccessibleName(self.tr("Messages"))
        self.messages.setOpenLinks(False)
        self.tabs.addTab(self.timeline, "")
        self.tabs.addTab(self.evidence, "")
        self.tabs.addTab(self.messages, "")
        layout.addWidget(self.tabs, 1)
        self.scroll.setWidget(body)
        self._stack.addWidget(self.scroll)
        self.clear()

    # -- public -------------------------------------------------------------------------------------------

    def show_case(self, detail: CaseDetail, now: datetime) -> None:
        """Show (or refresh) a case; a refresh of the same case keeps the tab, scroll position and thumbnails."""
        same = self._detail is not None and self._detail.dispute_id == detail.dispute_id
        self._detail = detail
        case = detail.case
        self.header.show_case(case)
        self.clocks.show_case(case, now)
        self.clocks.setVisible(bool(case.get("deadlines")))
        self.no_clocks.setVisible(not case.get("deadlines"))
        for pane in self.panes():
            pane.show_case(detail)
        self.gap_meter.show_case(case)
        self._fill_timeline(case.get("timeline") or [])
        self.evidence.show_evidence(detail.dispute_id, detail.evidence)
        self._fill_messages(detail.messages)
        self._set_tab_titles()
        if not same:
            self.scroll.verticalScrollBar().setValue(0)
        self._stack.setCurrentWidget(self.scroll)
        self.case_shown.emit(detail.dispute_id)

    def clear(self) -> None:
        self._detail = None
        self.clocks.clear_case()
        for pane in self.panes():
            pane.clear()
        self.gap_meter.clear()
        self.timeline.clear()
        self.evidence.clear()
        self.messages.clear()
        self._set_tab_titles()
        self._stack.setCurrentWidget(self.placeholder)

    def set_now(self, now: datetime) -> None:
        """The 1 Hz refresh: countdowns only."""
        if self._detail is not None:
            self.clocks.set_now(now)

    def detail(self) -> CaseDetail | None:
        return self._detail

    def dispute_id(self) -> str | None:
        return self._detail.dispute_id if self._detail else None

    def panes(self) -> tuple[ProposalPane, ProposalPane, ProposalPane]:
        return (self.buyer_pane, self.seller_pane, self.platform_pane)

    def pane(self, party: str) -> ProposalPane:
        return {"buyer": self.buyer_pane, "seller": self.seller_pane, "platform": self.platform_pane}[party]

    def header_text(self) -> str:
        return self.header.text()

    def messages_text(self) -> str:
        return self.messages.toPlainText()

    # -- internals ----------------------------------------------------------------------------------------

    def _section(self, text: str, parent: QWidget) -> QLabel:
        widget = QLabel(text, parent)
        font = QFont(widget.font())
        font.setBold(True)
        widget.setFont(font)
        return widget

    def _fill_timeline(self, timeline: list[dict[str, Any]]) -> None:
        self.timeline.clear()
        items = []
        for entry in timeline:  # the service gives them oldest first: newest last
            at = parse_iso(entry.get("at"))
            item = QTreeWidgetItem([due_text(at, None) if at else "—", timeline_kind(str(entry.get("kind"))),
                                    who_text(entry), str(entry.get("summary") or "")])
            item.setToolTip(3, plain_tip(str(entry.get("summary") or "")))  # party text: never markup
            item.setToolTip(1, plain_tip(str(entry.get("kind"))))
            items.append(item)
        self.timeline.addTopLevelItems(items)
        if items:
            self.timeline.scrollToItem(items[-1])

    def _fill_messages(self, messages: list[dict[str, Any]]) -> None:
        if not messages:
            self.messages.setPlainText(self.tr("No messages in this case."))
            return
        blocks = []
        for message in messages:
            at = parse_iso(message.get("at"))
            head = f"<b>{html.escape(label(PARTIES, message.get('party')))}</b> · {html.escape(due_text(at, None) if at else '—')}"
            body = html.escape(str(message.get("text", ""))).replace("\n", "<br/>")
            blocks.append(f"<p style='margin-bottom:8px'>{head}<br/>{body}</p>")
        self.messages.setHtml("".join(blocks))

    def _set_tab_titles(self) -> None:
        detail = self._detail
        timeline = len(detail.case.get("timeline") or []) if detail else 0
        self.tabs.setTabText(0, self.tr("Timeline (%1)").replace("%1", str(timeline)))
        self.tabs.setTabText(1, self.tr("Evidence (%1)").replace("%1", str(len(detail.evidence) if detail else 0)))
        self.tabs.setTabText(2, self.tr("Messages (%1)").replace("%1", str(len(detail.messages) if detail else 0)))
