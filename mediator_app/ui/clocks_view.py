"""Every running clock of the open case, explained: rule, what started it, who must act, both zones, live countdown.

The table is tiny (a case has at most three running clocks), so it is a QTableWidget; `set_now` rewrites only
the countdown cells once a second.
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableWidget, QTableWidgetItem, QWidget

from mediator_app.domain.case_view import CaseSnapshot, Deadline, policy_of
from mediator_app.domain.expiry import Expiry

from .formatting import CLOCKS, PARTIES, PLATFORM_ZONE, countdown, label, terms_text, tr, urgency, when

COL_CLOCK, COL_PARTY, COL_LEFT, COL_LOCAL, COL_PLATFORM, COL_EXPIRY, COL_WHY = range(7)
#: Column widths in average character widths (the table never measures its contents).
WIDTHS = (12, 10, 19, 15, 15, 32)
EXPIRY_CONTEXT = "Expiry"
REFERENCE = datetime(2026, 1, 1, tzinfo=timezone.utc)  # names the zones before any case is shown


def zone_name(at: datetime, zone: str | None) -> str:
    """The zone's abbreviation at `at` (`CST`, `CET`, `UTC`); None: the clerk's local zone."""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(zone)) if zone else at.astimezone()
    return local.tzname() or ""


def due_text(at: datetime, zone: str | None) -> str:
    """`23 Nov 21:57 UTC` (the clerk's zone) or `24 Nov 05:57 CST` (the platform zone)."""
    return f"{when(at, zone)} {zone_name(at, zone)}"


def rule_text(policy_name: str, rule: str) -> str:
    """`party_response_hours = 120 (aliexpress-2024)`: the policy key, its value and the policy version."""
    rules = policy_of(policy_name)
    value = getattr(rules, rule, None) if rules is not None else None
    shown = f"{rule} = {value}" if value is not None else rule
    return tr("%1 (%2)", "Clocks").replace("%1", shown).replace("%2", policy_name)


def started_text(deadline: Deadline) -> str:
    """`proposal.posted E-7 at 18 Nov 21:57 UTC`: the event that started the clock."""
    by = deadline.started_by or "—"
    return tr("%1 at %2", "Clocks").replace("%1", by).replace("%2", due_text(deadline.started_at, None))


def expiry_text(expiry: Expiry) -> str:
    """What happens when the clock runs out (the contract's `on_expiry`, from `domain.expiry`), with the amount
    that would execute."""
    kind = expiry.kind
    if kind == "execute_proposal":
        assert expiry.proposal is not None
        terms = terms_text(expiry.proposal.remedy, expiry.proposal.refund)
        return (tr("execute %1 proposal %2\n→ %3", EXPIRY_CONTEXT).replace("%1", label(PARTIES, expiry.adopted))
                .replace("%2", expiry.proposal.proposal_id).replace("%3", terms))
    if kind == "close_no_refund":
        return tr("close with no refund", EXPIRY_CONTEXT)
    if kind == "return_not_shipped":
        return tr("close with no refund (return not shipped)", EXPIRY_CONTEXT)
    if kind == "close_on_receipt_timeout":
        return tr("close (receipt not confirmed)", EXPIRY_CONTEXT)
    if kind == "refund_on_receipt_timeout":
        return tr("execute the refund %1 (receipt not confirmed)", EXPIRY_CONTEXT).replace(
            "%1", terms_text("refund", expiry.refund))
    return tr("nothing executes: platform deadline (SLA breach)", EXPIRY_CONTEXT)


def left_text(due: datetime, now: datetime) -> str:
    """`2d 04:13:09 left`, or `OVERDUE by 03:12:44` once past (text and icon, not colour alone)."""
    if urgency(due, now) == "overdue":
        return tr("OVERDUE by %1", "Clocks").replace("%1", countdown(now, due))
    return tr("%1 left", "Clocks").replace("%1", countdown(due, now))


class ClocksView(QTableWidget):
    """The case's running clocks, earliest first, one row each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("clocksView")
        self.setAccessibleName(self.tr("Running clocks"))
        self._deadlines: list[Deadline] = []
        self._zone = PLATFORM_ZONE
        self._dues: list[datetime] = []
        self._zones_shown = ("", "")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        average = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate(WIDTHS):
            self.setColumnWidth(column, chars * average)
        self._row_height = self.fontMetrics().lineSpacing() * 2 + 8
        self.verticalHeader().setDefaultSectionSize(self._row_height)
        self._overdue_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._set_headers(None)
        self._fit_height()

    # -- public -------------------------------------------------------------------------------------------

    def show_case(self, case: CaseSnapshot, now: datetime) -> None:
        self._deadlines = list(case.deadlines)
        self._dues = [d.due for d in self._deadlines]
        self._zone = case.platform_zone or PLATFORM_ZONE
        self.clearContents()
        self.setRowCount(len(self._deadlines))
        self._set_headers(self._dues[0] if self._dues else None)
        for row, deadline in enumerate(self._deadlines):
            due = deadline.due
            clock_item = self._item(label(CLOCKS, deadline.clock))
            clock_item.setToolTip(deadline.clock)
            self.setItem(row, COL_CLOCK, clock_item)
            self.setItem(row, COL_PARTY, self._item(label(PARTIES, deadline.party)))
            self.setItem(row, COL_LEFT, self._item(""))
            self.setItem(row, COL_LOCAL, self._item(due_text(due, None)))
            self.setItem(row, COL_PLATFORM, self._item(due_text(due, self._zone)))
            expiry = self._item(expiry_text(deadline.expiry))
            expiry.setToolTip(deadline.on_expiry)
            self.setItem(row, COL_EXPIRY, expiry)
            why = self.tr("rule %1\nstarted by %2").replace("%1", rule_text(case.policy, deadline.rule))
            why = why.replace("%2", started_text(deadline))
            why_item = self._item(why)
            why_item.setToolTip(why)
            self.setItem(row, COL_WHY, why_item)
        self.set_now(now)
        self._fit_height()

    def clear_case(self) -> None:
        self._deadlines, self._dues = [], []
        self.clearContents()
        self.setRowCount(0)
        self._fit_height()

    def set_now(self, now: datetime) -> None:
        """The 1 Hz refresh: only the countdown cells change."""
        for row, due in enumerate(self._dues):
            item = self.item(row, COL_LEFT)
            if item is None:
                continue
            text = left_text(due, now)
            if item.text() != text:
                item.setText(text)
            overdue = urgency(due, now) == "overdue"
            item.setIcon(self._overdue_icon if overdue else QIcon())
            font = item.font()
            if font.bold() != overdue:
                font.setBold(overdue)
                item.setFont(font)

    def clock_names(self) -> list[str]:
        return [d.clock for d in self._deadlines]

    def row_texts(self, row: int) -> list[str]:
        return [self.item(row, c).text() for c in range(self.columnCount())]  # type: ignore[union-attr]

    def is_overdue(self, row: int) -> bool:
        item = self.item(row, COL_LEFT)
        return item is not None and not item.icon().isNull()

    # -- internals ----------------------------------------------------------------------------------------

    def _set_headers(self, sample: datetime | None) -> None:
        at = sample or REFERENCE  # only for the zones' abbreviations
        zones = (zone_name(at, None), zone_name(at, self._zone))
        if zones == self._zones_shown:
            return
        self._zones_shown = zones
        self.setHorizontalHeaderLabels([
            self.tr("Clock"), self.tr("Must act"), self.tr("Time left"),
            self.tr("Due (%1)").replace("%1", zones[0]),
            self.tr("Due (%1)").replace("%1", zones[1]),
            self.tr("On expiry"), self.tr("Why: rule and start"),
        ])
        for column, tip in ((COL_LOCAL, self.tr("due time in your time zone (%1)").replace("%1", zones[0])),
                            (COL_PLATFORM, self.tr("due time in the platform's time zone (%1)").replace("%1", zones[1]))):
            header_item = self.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(tip)

    def _item(self, text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _fit_height(self) -> None:
        """Rows as tall as their wrapped text, every clock shown without an inner scroll bar (a case has at most
        three running clocks, so measuring the rows is cheap)."""
        self.resizeRowsToContents()
        for row in range(self.rowCount()):
            self.setRowHeight(row, self.rowHeight(row) + 6)
        rows = sum(self.rowHeight(r) for r in range(self.rowCount())) if self.rowCount() else self._row_height
        height = self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth() + 2
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()
