"""The open case (right side of the window): it composes the header (`case_header`), every clock
(`clocks_view`), the three proposals and the gap meter (`proposal_pane`), and the tabs: timeline
(`case_timeline`), evidence (`evidence_view`), messages (`case_messages`). The widgets hold no rule: what they
show comes from the domain's `CaseSnapshot` and the service's `CaseDetail`.

`CaseView.show_case(detail, now)` shows a `workbench.CaseDetail`; `set_now(now)` is the 1 Hz countdown refresh;
`clear()` shows the empty state. Evidence thumbnails are loaded through `Operations`, off the GUI thread.
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QStackedLayout, QTabWidget, QVBoxLayout, QWidget

from mediator_app.services.workbench import CaseDetail

from .case_header import CaseHeader as CaseHeader  # tests and the layout checks ask it here
from .case_messages import MessagesView
from .case_timeline import TimelineView
from .case_words import timeline_kind as timeline_kind  # the desk's audit trail asks it here
from .clocks_view import ClocksView
from .evidence_view import EvidenceView
from .operations import Operations
from .proposal_pane import GapMeter, ProposalPane

TIMELINE_ROWS = 6  # the tabs are at least this many timeline rows tall: 5 and a part, so a clerk sees there are more


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
        self.timeline = TimelineView(self.tabs)
        self.evidence = EvidenceView(ops, self.tabs)
        self.messages = MessagesView(self.tabs)
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
        self.timeline.show_timeline(detail.timeline)
        self.evidence.show_evidence(detail.dispute_id, detail.evidence)
        self.messages.show_messages(detail.messages)
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
        return self.tabs.tabBar().sizeHint().height() + self.timeline.height_for(rows) + 4

    def _section(self, text: str, parent: QWidget) -> QLabel:
        widget = QLabel(text, parent)
        font = QFont(widget.font())
        font.setBold(True)
        widget.setFont(font)
        return widget

    def _set_tab_titles(self) -> None:
        detail = self._detail
        timeline = len(detail.timeline) if detail else 0
        self.tabs.setTabText(0, self.tr("Timeline (%1)").replace("%1", str(timeline)))
        self.tabs.setTabText(1, self.tr("Evidence (%1)").replace("%1", str(len(detail.evidence) if detail else 0)))
        self.tabs.setTabText(2, self.tr("Messages (%1)").replace("%1", str(len(detail.messages) if detail else 0)))
