"""The case's timeline tab: one row an event, oldest first (newest last, scrolled to), in four columns — time in
the clerk's zone, the event in words, the party and person, the summary (party text: plain, never markup).

The bundle window marks drafted rows on `CaseView.case_shown` (`ui.draft_marks`): the Summary column is
`SUMMARY`, and a row is the entry at the same index of the detail's timeline.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from mediator_app.domain.case_view import TimelineEntry

from .case_words import due_text, timeline_kind
from .formatting import PARTIES, label, plain_tip
from .phrasebook import phrase

SUMMARY = 3  # the Summary column


def who_text(entry: TimelineEntry) -> str:
    """`buyer`, `platform · alice`, `sweeper`: the party, and the person when it was not the feed."""
    party, actor = entry.party, entry.actor
    parts = [label(PARTIES, party)] if party else []
    if actor and actor != "feed":
        parts.append(str(actor))
    return " · ".join(parts) or "—"


def timeline_row(entry: TimelineEntry) -> list[str]:
    """The four columns' texts of one event."""
    return [due_text(entry.at, None), timeline_kind(entry.kind), who_text(entry), phrase(entry.summary or "")]


class TimelineView(QTreeWidget):
    """The timeline as a read-only list (object name `timelineView`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setAccessibleName(QCoreApplication.translate("CaseView", "Timeline"))
        self.setColumnCount(4)
        self.setHeaderLabels([QCoreApplication.translate("CaseView", "Time (your zone)"),
                              QCoreApplication.translate("CaseView", "Event"),
                              QCoreApplication.translate("CaseView", "Party / by"),
                              QCoreApplication.translate("CaseView", "Summary")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        average = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate((20, 20, 20)):
            self.setColumnWidth(column, chars * average)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header().setStretchLastSection(True)

    def show_timeline(self, timeline: Sequence[TimelineEntry]) -> None:
        """Fill with the service's entries (oldest first) and scroll to the newest."""
        self.clear()
        items = []
        for entry in timeline:
            item = QTreeWidgetItem(timeline_row(entry))
            item.setToolTip(SUMMARY, plain_tip(item.text(SUMMARY)))  # party text: never markup
            item.setToolTip(1, plain_tip(entry.kind))
            items.append(item)
        self.addTopLevelItems(items)
        if items:
            self.scrollToItem(items[-1])

    def height_for(self, rows: int) -> int:
        """The height that shows `rows` rows and the header without scrolling."""
        row = max(self.fontMetrics().height(), self.iconSize().height()) + 4
        first = self.topLevelItem(0)
        if first is not None:
            row = max(row, self.visualItemRect(first).height())
        return self.header().sizeHint().height() + rows * row + 2 * self.frameWidth() + 4
