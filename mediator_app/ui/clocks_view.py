"""Every running clock of the open case, explained: rule, what started it, who must act, both zones, live countdown.

The table is tiny (a case has at most three running clocks), so it is a QTableWidget; `set_now` rewrites only
the countdown cells once a second.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableWidget, QTableWidgetItem, QWidget

from mediator_app.domain.errors import Rejection
from mediator_app.domain.policy import get_policy

from .formatting import (CLOCKS, PARTIES, PLATFORM_ZONE, countdown, label, money_from_json, parse_iso, plain_tip,
                         terms_text, tr, urgency, when)

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
    try:
        value = getattr(get_policy(policy_name), rule, None)
    except Rejection:
        value = None
    shown = f"{rule} = {value}" if value is not None else rule
    return tr("%1 (%2)", "Clocks").replace("%1", shown).replace("%2", policy_name)


def started_text(deadline: dict[str, Any]) -> str:
    """`proposal.posted E-7 at 18 Nov 21:57 UTC`: the event that started the clock."""
    started = parse_iso(deadline.get("started_at"))
    by = deadline.get("started_by") or "—"
    if started is None:
        return by
    return tr("%1 at %2", "Clocks").replace("%1", by).replace("%2", due_text(started, None))


def expiry_text(deadline: dict[str, Any], case: dict[str, Any]) -> str:
    """What happens when the clock runs out (the contract's `on_expiry`), with the amount that would execute."""
    clock = deadline["clock"]
    owner = {"seller_response": "buyer", "buyer_response": "seller", "parties_response": "platform"}.get(clock)
    proposals = case.get("proposals") or {}
    if owner is not None:
        proposal = proposals.get(owner)
        if proposal is None:
            return tr("close with no refund", EXPIRY_CONTEXT)
        terms = terms_text(proposal.get("remedy"), money_from_json(proposal.get("refund")))
        return (tr("execute %1 proposal %2\n→ %3", EXPIRY_CONTEXT).replace("%1", label(PARTIES, owner))
                .replace("%2", proposal["proposal_id"]).replace("%3", terms))
    if clock == "return_shipment":
        return tr("close with no refund (return not shipped)", EXPIRY_CONTEXT)
    if clock == "return_receipt":
        outcome = case.get("outcome") or {}
        refund = money_from_json(outcome.get("refund"))
        if refund is None:
            return tr("close (receipt not confirmed)", EXPIRY_CONTEXT)
        return tr("execute the refund %1 (receipt not confirmed)", EXPIRY_CONTEXT).replace(
            "%1", terms_text("refund", refund))
    if clock in ("platform_intervention", "platform_ruling"):
        return tr("nothing executes: platform deadline (SLA breach)", EXPIRY_CONTEXT)
    return str(deadline.get("on_expiry", ""))


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
        self._deadlines: list[dict[str, Any]] = []
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

    def show_case(self, case: dict[str, Any], now: datetime) -> None:
        self._deadlines = list(case.get("deadlines") or [])
        self._dues = [parse_iso(d["due"]) for d in self._deadlines]  # type: ignore[misc]
        self.clearContents()
        self.setRowCount(len(self._deadlines))
        self._set_headers(self._dues[0] if self._dues else None)
        policy = str(case.get("policy", ""))
        for row, (deadline, due) in enumerate(zip(self._deadlines, self._dues)):
            clock_item = self._item(label(CLOCKS, deadline["clock"]))
            clock_item.setToolTip(plain_tip(deadline["clock"]))
            self.setItem(row, COL_CLOCK, clock_item)
            self.setItem(row, COL_PARTY, self._item(label(PARTIES, deadline.get("party"))))
            self.setItem(row, COL_LEFT, self._item(""))
            self.setItem(row, COL_LOCAL, self._item(due_text(due, None)))
            self.setItem(row, COL_PLATFORM, self._item(due_text(due, PLATFORM_ZONE)))
            expiry = self._item(expiry_text(deadline, case))
            expiry.setToolTip(plain_tip(str(deadline.get("on_expiry", ""))))  # holds the feed's proposal ids
            self.setItem(row, COL_EXPIRY, expiry)
            why = self.tr("rule %1\nstarted by %2").replace("%1", rule_text(policy, deadline.get("rule", "")))
            why = why.replace("%2", started_text(deadline))
            why_item = self._item(why)
            why_item.setToolTip(plain_tip(why))
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
        return [str(d["clock"]) for d in self._deadlines]

    def row_texts(self, row: int) -> list[str]:
        return [self.item(row, c).text() for c in range(self.columnCount())]  # type: ignore[union-attr]

    def is_overdue(self, row: int) -> bool:
        item = self.item(row, COL_LEFT)
        return item is not None and not item.icon().isNull()

    # -- internals ----------------------------------------------------------------------------------------

    def _set_headers(self, sample: datetime | None) -> None:
        at = sample or REFERENCE  # only for the zones' abbreviations
        zones = (zone_name(at, None), zone_name(at, PLATFORM_ZONE))
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
