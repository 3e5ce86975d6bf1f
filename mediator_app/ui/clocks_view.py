"""Every running clock of the open case, explained: rule, what started it, who must act, both zones, live countdown.

The table is tiny (a case has at most three running clocks), so it is a QTableWidget; `set_now` rewrites only
the countdown cells once a second.
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableWidget, QTableWidgetItem, QWidget

from mediator_app.domain.case_view import CaseSnapshot, Deadline, policy_of

from .case_words import due_text as due_text, expiry_text as expiry_text, timeline_kind
from .formatting import CLOCKS, PARTIES, PLATFORM_ZONE, QT_TR_NOOP, countdown, label, plain_tip, tr, urgency
from .formatting import zone_name as formatting_zone_name

COL_CLOCK, COL_PARTY, COL_LEFT, COL_LOCAL, COL_PLATFORM, COL_EXPIRY, COL_WHY = range(7)
#: Per column, the sample texts its width is made for (the table never measures its contents): each cell reads in
#: at most two lines — the clock's name and the due times wrap once, the expiry's proposal id ends its first line,
#: the rule and its start in words (`why_text`) wrap once; the details are the cells' tooltips. The last column
#: (why) stretches.
WIDTH_SAMPLES = (("shipment", "platform", "parties"), ("platform",), (), ("30 Nov 16:00",), ("30 Nov 16:00",),
                 ("execute seller proposal P-000000-B2",))
CELL_PADDING = 10
REFERENCE = datetime(2026, 1, 1, tzinfo=timezone.utc)  # names the zones before any case is shown


def zone_name(at: datetime, zone: str | None) -> str:
    """The zone's name at `at` in the window's language (`CST` / `北京时间`, `UTC`); None: the clerk's local zone."""
    return formatting_zone_name(at, zone)


#: Each clock rule's policy key in words; %1 is its value from the policy, %2 the platform zone's name
RULE_WORDS = {
    "party_response_hours": QT_TR_NOOP("an answer is due within %1 hours"),
    "return_ship_days": QT_TR_NOOP("the return must be shipped within %1 days"),
    "return_receive_days": QT_TR_NOOP("the return's arrival must be confirmed within %1 days"),
    "platform_intervention_days": QT_TR_NOOP("the platform must step in within %1 calendar days (to the end of the "
                                             "day, %2)"),
    "platform_ruling_days": QT_TR_NOOP("the platform must rule within %1 calendar days (to the end of the day, %2)"),
}
#: What may follow the event id in `started_by` (the domain's words) and how it reads
STARTED_NOTES = {"(counter to the platform proposal)": QT_TR_NOOP("a counter to the platform proposal")}


def rule_text(policy_name: str, rule: str, zone: str | None = None) -> str:
    """`an answer is due within 120 hours (policy aliexpress-2024)`: the rule in words, its value read from the
    policy the case names, and the policy version (a key without words: `key = value`)."""
    rules = policy_of(policy_name)
    value = getattr(rules, rule, None) if rules is not None else None
    if value is None:
        shown = rule
    elif rule in RULE_WORDS:
        at = REFERENCE
        shown = (tr(RULE_WORDS[rule], "Clocks").replace("%1", str(value))
                 .replace("%2", zone_name(at, zone or (rules.platform_zone if rules else PLATFORM_ZONE))))
    else:
        shown = f"{rule} = {value}"
    return tr("%1 (policy %2)", "Clocks").replace("%1", shown).replace("%2", policy_name)


def started_text(deadline: Deadline) -> str:
    """`proposal posted (event E-7) at 18 Nov 21:57 UTC`, `sent back by bob at …`: what started the clock, in
    the timeline's words (the domain's `started_by` is `<event kind> <event id>` or `<event kind> by <name>`)."""
    kind, _, rest = (deadline.started_by or "").partition(" ")
    if not kind:
        what = "—"
    elif rest.startswith("by "):
        what = tr("%1 by %2", "Clocks").replace("%1", timeline_kind(kind)).replace("%2", rest[3:])
    else:
        event, _, note = rest.partition(" ")
        what = tr("%1 (event %2)", "Clocks").replace("%1", timeline_kind(kind)).replace("%2", event or "—")
        if note:
            what += ", " + (tr(STARTED_NOTES[note], "Clocks") if note in STARTED_NOTES else note)
    return tr("%1 at %2", "Clocks").replace("%1", what).replace("%2", due_text(deadline.started_at, None))


def why_text(policy_name: str, deadline: Deadline) -> str:
    """`120 h after proposal posted`, `7 days after dispute opened`: the rule's length and the event that started
    the clock, in words (the policy key, its version and the event's id: `why_details`)."""
    rules = policy_of(policy_name)
    value = getattr(rules, deadline.rule, None) if rules is not None else None
    kind = (deadline.started_by or "").split(" ", 1)[0]
    event = timeline_kind(kind) if kind else "—"
    if value is not None and deadline.rule.endswith("_hours"):
        return tr("%1 h after %2", "Clocks").replace("%1", str(value)).replace("%2", event)
    if value is not None and deadline.rule.endswith("_days"):
        return tr("%1 days after %2", "Clocks").replace("%1", str(value)).replace("%2", event)
    return rule_text(policy_name, deadline.rule)


def why_details(policy_name: str, deadline: Deadline, zone: str | None = None) -> str:
    """`Rule: an answer is due within 120 hours (policy aliexpress-2024)` / `Started by: proposal posted (event
    E-7) at 18 Nov 21:57 UTC` — in words, the values from the policy (`zone`: the platform's, for its name)."""
    return (tr("Rule: %1\nStarted by: %2", "Clocks").replace("%1", rule_text(policy_name, deadline.rule, zone))
            .replace("%2", started_text(deadline)))


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
        self._refit_pending = False
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
        for column, width in enumerate(self._column_widths()):
            self.setColumnWidth(column, width)
        self._row_height = self.fontMetrics().lineSpacing() * 2 + 8
        self.verticalHeader().setDefaultSectionSize(self._row_height)
        self._overdue_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the last column takes the rest
        header.setMinimumSectionSize(40)
        header.sectionResized.connect(self._on_section_resized)
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
            clock_item.setToolTip(plain_tip(deadline.clock))
            self.setItem(row, COL_CLOCK, clock_item)
            self.setItem(row, COL_PARTY, self._item(label(PARTIES, deadline.party)))
            self.setItem(row, COL_LEFT, self._item(""))
            self.setItem(row, COL_LOCAL, self._item(due_text(due, None)))
            self.setItem(row, COL_PLATFORM, self._item(due_text(due, self._zone)))
            expiry = self._item(expiry_text(deadline.expiry))
            expiry.setToolTip(plain_tip(deadline.on_expiry))  # holds the feed's proposal ids
            self.setItem(row, COL_EXPIRY, expiry)
            why_item = self._item(why_text(case.policy, deadline))
            why_item.setToolTip(plain_tip(why_details(case.policy, deadline, self._zone)))  # the feed's event ids
            self.setItem(row, COL_WHY, why_item)
        self.set_now(now)
        self._fit_height()
        self._refit_soon()  # once more after the layout pass that sizes the stretching last column

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
        items = (self.item(row, c) for c in range(self.columnCount()))
        return [item.text() if item is not None else "" for item in items]

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
        why = self.horizontalHeaderItem(COL_WHY)
        if why is not None:
            why.setToolTip(why.text())  # the last column's title may be cut at the narrowest case pane
        for column, tip in ((COL_LOCAL, self.tr("due time in your time zone (%1)").replace("%1", zones[0])),
                            (COL_PLATFORM, self.tr("due time in the platform's time zone (%1)").replace("%1", zones[1]))):
            header_item = self.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(tip)

    def _column_widths(self) -> list[int]:
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        strong = QFontMetrics(bold)
        header = self.horizontalHeader().fontMetrics()
        titles = (self.tr("Clock"), self.tr("Must act"), self.tr("Time left"), "Due (UTC)", "Due (UTC)",
                  self.tr("On expiry"))
        widths = []
        for column, samples in enumerate(WIDTH_SAMPLES):
            words = [metrics.horizontalAdvance(t) for t in samples]
            if column == COL_LEFT:  # `OVERDUE by` over the bold countdown, after the icon
                icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 6
                words = [strong.horizontalAdvance(t) + icon
                         for t in ("9d 00:00:00", tr("OVERDUE by %1", "Clocks").replace("%1", "").strip())]
            widths.append(max(words + [header.horizontalAdvance(titles[column]) + 4]) + CELL_PADDING)
        return widths

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

    def _on_section_resized(self, _column: int, _old: int, _new: int) -> None:
        self._refit_soon()  # a wrapped cell may need another line, or one less

    def _refit_soon(self) -> None:
        if not self._refit_pending:
            self._refit_pending = True
            QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        self._refit_pending = False
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()
