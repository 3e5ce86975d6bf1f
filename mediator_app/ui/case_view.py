"""The open case (right side of the window): header, every clock, the three proposals, gap meter, and the tabs.

`CaseView.show_case(detail, now)` shows a `workbench.CaseDetail`; `set_now(now)` is the 1 Hz countdown refresh;
`clear()` shows the empty state. Evidence thumbnails are loaded through `Operations`, off the GUI thread.
"""
from __future__ import annotations

import html
from datetime import datetime
from typing import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QScrollArea, QStackedLayout, QTabWidget, QTextBrowser, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from mediator_app.domain.case_view import CaseSnapshot, TimelineEntry
from mediator_app.domain.dispute import Outcome, PendingApproval
from mediator_app.services.workbench import CaseDetail, Message

from .case_words import due_text, return_status_text
from .case_words import timeline_kind as timeline_kind  # the desk's audit trail asks it here
from .clocks_view import ClocksView
from .evidence_view import EvidenceView
from .formatting import (KINDS, PARTIES, STAGES, label, money_text, plain_tip, reason_text,
                         sla_rule_text, terms_text, tr, when)
from .operations import Operations
from .phrasebook import phrase
from .proposal_pane import GapMeter, ProposalPane, proposal_terms, reached_text

CONTEXT = "Case"
#: Header values that are party text (ids from the feed): elided to the header's width, whole in the tooltip.
PARTY_FIELDS = frozenset({"order", "buyer", "seller"})
TIMELINE_ROWS = 6  # the tabs are at least this many timeline rows tall: 5 and a part, so a clerk sees there are more
PARTY_WIDTH = 24  # characters a party id gets before it is elided, when the header chooses its columns


def who_text(entry: TimelineEntry) -> str:
    """`buyer`, `platform · alice`, `sweeper`: the party, and the person when it was not the feed."""
    party, actor = entry.party, entry.actor
    parts = [label(PARTIES, party)] if party else []
    if actor and actor != "feed":
        parts.append(str(actor))
    return " · ".join(parts) or "—"


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

    def show_case(self, case: CaseSnapshot) -> None:
        self.title.setText(" · ".join([case.dispute_id, label(KINDS, case.kind), reason_text(case.reason),
                                       self.tr("policy %1").replace("%1", case.policy)]))
        buyer = case.proposal("buyer")
        holder = case.assigned_to
        until = case.claim_expires_at
        assigned = self.tr("nobody")
        hold = case.assignment
        if holder and hold is not None and hold.kind == "assignment":
            assigned = self.tr("%1 (assigned by %2)").replace("%1", str(holder)).replace("%2", str(hold.by))
        elif holder:
            assigned = self.tr("%1 (until %2)").replace("%1", str(holder)).replace("%2", when(until)) if until \
                else str(holder)
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


class ElidedLabel(QLabel):
    """A one-line label for party text (ids from the feed): elided to its width, the whole text in its tooltip.
    `text()` is what is shown; `full_text()` the whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        self._full = text
        self.setToolTip(plain_tip(text))  # party text: never read as markup
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        margins = self.contentsMargins()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right() + 2,
                     hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.fontMetrics().horizontalAdvance("…") * 3, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.contentsRect().width())
        if shown != super().text():
            super().setText(shown)


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

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("caseScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setMinimumWidth(640)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
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
        self.tabs.setMinimumHeight(self._tabs_height(TIMELINE_ROWS))
        self.scroll_area.setWidget(body)
        self._stack.addWidget(self.scroll_area)
        self.clear()

    # -- public -------------------------------------------------------------------------------------------

    def show_case(self, detail: CaseDetail, now: datetime) -> None:
        """Show (or refresh) a case; a refresh of the same case keeps the tab, scroll position and thumbnails."""
        same = self._detail is not None and self._detail.dispute_id == detail.dispute_id
        self._detail = detail
        case = detail.view
        self.header.show_case(case)
        self.clocks.show_case(case, now)
        self.clocks.setVisible(bool(case.deadlines))
        self.no_clocks.setVisible(not case.deadlines)
        for pane in self.panes():
            pane.show_case(detail)
        self.gap_meter.show_case(case)
        self._fill_timeline(detail.timeline)
        self.evidence.show_evidence(detail.dispute_id, detail.evidence)
        self._fill_messages(detail.messages)
        self._set_tab_titles()
        if not same:
            self.scroll_area.verticalScrollBar().setValue(0)
        self._stack.setCurrentWidget(self.scroll_area)
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

    def _tabs_height(self, rows: int) -> int:
        """The tabs' height that shows `rows` timeline rows (and the timeline's header) without scrolling."""
        timeline = self.timeline
        row = max(timeline.fontMetrics().height(), timeline.iconSize().height()) + 4
        first = timeline.topLevelItem(0)
        if first is not None:
            row = max(row, timeline.visualItemRect(first).height())
        inner = timeline.header().sizeHint().height() + rows * row + 2 * timeline.frameWidth() + 4
        return self.tabs.tabBar().sizeHint().height() + inner + 4

    def _section(self, text: str, parent: QWidget) -> QLabel:
        widget = QLabel(text, parent)
        font = QFont(widget.font())
        font.setBold(True)
        widget.setFont(font)
        return widget

    def _fill_timeline(self, timeline: Sequence[TimelineEntry]) -> None:
        self.timeline.clear()
        items = []
        for entry in timeline:  # the service gives them oldest first: newest last
            item = QTreeWidgetItem([due_text(entry.at, None), timeline_kind(entry.kind), who_text(entry),
                                    phrase(entry.summary or "")])
            item.setToolTip(3, plain_tip(phrase(entry.summary or "")))  # party text: never markup
            item.setToolTip(1, plain_tip(entry.kind))
            items.append(item)
        self.timeline.addTopLevelItems(items)
        if items:
            self.timeline.scrollToItem(items[-1])

    def _fill_messages(self, messages: Sequence[Message]) -> None:
        if not messages:
            self.messages.setPlainText(self.tr("No messages in this case."))
            return
        blocks = []
        for message in messages:
            head = f"<b>{html.escape(label(PARTIES, message.party))}</b> · {html.escape(due_text(message.at, None))}"
            body = html.escape(message.text).replace("\n", "<br/>")
            blocks.append(f"<p style='margin-bottom:8px'>{head}<br/>{body}</p>")
        self.messages.setHtml("".join(blocks))

    def _set_tab_titles(self) -> None:
        detail = self._detail
        timeline = len(detail.timeline) if detail else 0
        self.tabs.setTabText(0, self.tr("Timeline (%1)").replace("%1", str(timeline)))
        self.tabs.setTabText(1, self.tr("Evidence (%1)").replace("%1", str(len(detail.evidence) if detail else 0)))
        self.tabs.setTabText(2, self.tr("Messages (%1)").replace("%1", str(len(detail.messages) if detail else 0)))
