"""The dashboard (§5.3): the figures of `mediator stats`, drawn with QtCharts; a bar opens its queue view.

Charts: open disputes by stage, the due-in buckets, opened vs resolved per day with the SLA-breach rate of the
resolved, and the workload per clerk. Each chart's data is in its QBarSet / QLineSeries (tests read those).
"""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries,
                              QHorizontalStackedBarSeries, QLineSeries, QValueAxis)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediator_app.domain.desk import DUE_BUCKETS, OPEN_STAGES
from mediator_app.domain.desk_rows import DayFigures, DeskFigures, WorkloadRow
from mediator_app.services import desk
from mediator_app.services.outbox import LAG_WARNING_DEFAULT
from mediator_app.ui.desk.outbox_lag import OutboxLagView
from mediator_app.ui.desk.refresh import FoldedLoad
from mediator_app.ui.formatting import QT_TR_NOOP, STAGES, label, tr, when
from mediator_app.ui.refusals import error_text
from mediator_app.ui.operations import Operations

# (category labels are drawn as rich text: no "<")
BUCKET_TITLES = {"overdue": QT_TR_NOOP("Overdue"), "lt_4h": QT_TR_NOOP("0–4 h"), "lt_24h": QT_TR_NOOP("4–24 h"), "lt_72h": QT_TR_NOOP("1–3 d"),
                 "later": QT_TR_NOOP("3 d +"), "none": QT_TR_NOOP("None")}
BUCKET_COLOURS = {"overdue": "#c62828", "lt_4h": "#ef6c00", "lt_24h": "#f9a825", "lt_72h": "#7cb342",
                  "later": "#43a047", "none": "#9e9e9e"}
SHORT_STAGES = {"awaiting_seller": QT_TR_NOOP("Seller"), "awaiting_buyer": QT_TR_NOOP("Buyer"), "awaiting_parties": QT_TR_NOOP("Both parties"),
                "platform_review": QT_TR_NOOP("Needs ruling"), "pending_approval": QT_TR_NOOP("Approval"),
                "awaiting_return_shipment": QT_TR_NOOP("Return ship."), "awaiting_return_receipt": QT_TR_NOOP("Return receipt")}


#: What QtCharts keeps of a category's share beside the label's text (the rich text's margins and the ticks'
#: padding): measured, "4–24 小时" (52 px) is elided in a 73 px share, "0–4 小时" (45 px) is not
LABEL_ROOM = 24


def wrapped_label(title: str) -> str:
    """A category label on two lines, broken at its last space (labels are rich text); one word as it is."""
    head, space, tail = title.rpartition(" ")
    return f"{head}<br/>{tail}" if space and head else title


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class BarChart(QChartView):
    """One bar per category; `bar_clicked(key)` names the category's key."""

    bar_clicked = Signal(str)

    def __init__(self, title: str, keys: list[str], titles: list[str], colour: str, parent: QWidget | None = None,
                 horizontal: bool = False) -> None:
        self.chart_ = _chart(title)
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.horizontal = horizontal  # drawn bottom-up: the categories are given reversed, so the first is on top
        self.keys = list(keys)
        self.bars = QBarSet(title)
        self.bars.setColor(QColor(colour))
        self.bars.setLabelColor(QColor("#202020"))
        self.series = QHorizontalBarSeries() if horizontal else QBarSeries()
        self.series.append(self.bars)
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.chart_.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        self.titles = list(titles)
        self.categories.append(self._drawn(titles))
        font = self.categories.labelsFont()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.categories.setLabelsFont(font)
        self.labels_font = QFont(font)  # the labels' own size: `_fit_labels` may draw them smaller
        self.values = QValueAxis()
        self.values.setLabelFormat("%d")
        category_side, value_side = ((Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom) if horizontal
                                     else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft))
        self.chart_.addAxis(self.categories, category_side)
        self.chart_.addAxis(self.values, value_side)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)
        self.bars.append([0] * len(keys))
        self.bars.clicked.connect(self._on_bars_clicked)
        self.chart_.plotAreaChanged.connect(self._fit_labels)
        self.setMinimumHeight(180)

    def _fit_labels(self) -> None:
        """A category label under the bars wider than a bar's share of the plot ("4–24 小时" at 1600 px) is drawn
        on two lines, broken at its last space, rather than elided by QtCharts; the others stay on one. A word
        still too wide ("Overdue" in a narrow chart) makes the labels' font smaller, down to 7 pt."""
        if self.horizontal or not self.titles:
            return
        room = self.chart_.plotArea().width() / len(self.titles) - LABEL_ROOM
        metrics = QFontMetrics(self.labels_font)
        shown = [t if metrics.horizontalAdvance(t) <= room else wrapped_label(t) for t in self.titles]
        widest = max(metrics.horizontalAdvance(line) for label in shown for line in label.split("<br/>"))
        font = QFont(self.labels_font)
        if widest > room > 0:
            font.setPointSizeF(max(7.0, font.pointSizeF() * room / widest))
        if font != self.categories.labelsFont():
            self.categories.setLabelsFont(font)
        if shown != self.categories.categories():
            self.categories.setCategories(shown)

    def _drawn(self, items: list[Any]) -> list[Any]:
        return list(reversed(items)) if self.horizontal else list(items)

    def set_values(self, values: list[int], keys: list[str] | None = None, titles: list[str] | None = None) -> None:
        if keys is not None and titles is not None and keys != self.keys:
            self.keys = list(keys)
            self.titles = list(titles)
            self.categories.clear()
            self.categories.append(self._drawn(titles))
            self._fit_labels()
        self.bars.remove(0, self.bars.count())
        self.bars.append([float(v) for v in self._drawn(values)])
        self.values.setRange(0, max([1, *values]) * 1.15)
        self.values.applyNiceNumbers()

    def value_list(self) -> list[int]:
        """The bars' values in the order of `keys` (what the chart draws)."""
        return self._drawn([int(self.bars.at(i)) for i in range(self.bars.count())])

    def click(self, index: int) -> None:
        """What a click on the bar of `keys[index]` does (tests call it; the mouse comes via QBarSet.clicked)."""
        if 0 <= index < len(self.keys):
            self.bar_clicked.emit(self.keys[index])

    def _on_bars_clicked(self, drawn: int) -> None:
        self.click(len(self.keys) - 1 - drawn if self.horizontal else drawn)


class WorkloadChart(QChartView):
    """Cases held per clerk and supervisor, the overdue ones stacked first (red); `bar_clicked(user)`."""

    bar_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart_ = _chart(tr("Cases held per person", "Desk"))
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_.legend().setVisible(True)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.keys: list[str] = []
        self.overdue = QBarSet(tr("Overdue", "Desk"))
        self.overdue.setColor(QColor("#c62828"))
        self.on_time = QBarSet(tr("Not overdue", "Desk"))
        self.on_time.setColor(QColor("#00897b"))
        self.series = QHorizontalStackedBarSeries()
        self.series.append(self.overdue)
        self.series.append(self.on_time)
        self.chart_.addSeries(self.series)
        self.people = QBarCategoryAxis()
        self.values = QValueAxis()
        self.values.setLabelFormat("%d")
        self.chart_.addAxis(self.people, Qt.AlignmentFlag.AlignLeft)
        self.chart_.addAxis(self.values, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.people)
        self.series.attachAxis(self.values)
        self.overdue.clicked.connect(self._on_clicked)
        self.on_time.clicked.connect(self._on_clicked)
        self.setMinimumHeight(180)

    def set_workload(self, rows: Sequence[WorkloadRow]) -> None:
        self.keys = [r.user for r in rows]
        drawn = list(reversed(rows))  # bottom-up: the first name on top
        self.people.clear()
        self.people.append([r.user for r in drawn] or [""])
        for bars, values in ((self.overdue, [r.holding_overdue for r in drawn]),
                             (self.on_time, [r.holding - r.holding_overdue for r in drawn])):
            bars.remove(0, bars.count())
            bars.append([float(v) for v in values])
        self.values.setRange(0, max([1, *(r.holding for r in rows)]) * 1.1)
        self.values.applyNiceNumbers()

    def value_list(self) -> list[int]:
        """Cases held per person, in the order of `keys`."""
        n = self.overdue.count()
        return list(reversed([int(self.overdue.at(i) + self.on_time.at(i)) for i in range(n)]))

    def overdue_list(self) -> list[int]:
        return list(reversed([int(self.overdue.at(i)) for i in range(self.overdue.count())]))

    def click(self, index: int) -> None:
        if 0 <= index < len(self.keys):
            self.bar_clicked.emit(self.keys[index])

    def _on_clicked(self, drawn: int) -> None:
        self.click(len(self.keys) - 1 - drawn)


class DaysChart(QChartView):
    """Opened vs resolved per platform-zone day (bars) and the share of the resolved after the SLA (line, %)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.chart_ = _chart(tr("Opened vs resolved per day, SLA breached (%)", "Desk"))
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_.legend().setVisible(True)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.opened = QBarSet(tr("Opened", "Desk"))
        self.opened.setColor(QColor("#1e88e5"))
        self.resolved = QBarSet(tr("Resolved", "Desk"))
        self.resolved.setColor(QColor("#43a047"))
        self.series = QBarSeries()
        self.series.append(self.opened)
        self.series.append(self.resolved)
        self.breach = QLineSeries()
        self.breach.setName(tr("Resolved after the SLA (%)", "Desk"))
        self.breach.setColor(QColor("#c62828"))
        self.breach.setPointsVisible(True)
        self.chart_.addSeries(self.series)
        self.chart_.addSeries(self.breach)
        self.days = QBarCategoryAxis()
        small = self.days.labelsFont()
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.8))
        self.days.setLabelsFont(small)
        self.counts = QValueAxis()
        self.counts.setLabelFormat("%d")
        self.rate = QValueAxis()
        self.rate.setRange(0, 100)
        self.rate.setLabelFormat("%d%%")
        self.days.setTitleText(tr("day (platform zone)", "Desk"))
        self.chart_.addAxis(self.days, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.counts, Qt.AlignmentFlag.AlignLeft)
        self.chart_.addAxis(self.rate, Qt.AlignmentFlag.AlignRight)
        self.series.attachAxis(self.days)
        self.series.attachAxis(self.counts)
        self.breach.attachAxis(self.rate)
        # the line's x positions are the day categories' indexes
        self.index_axis = QValueAxis()
        self.index_axis.setVisible(False)
        self.chart_.addAxis(self.index_axis, Qt.AlignmentFlag.AlignBottom)
        self.breach.attachAxis(self.index_axis)
        self.setMinimumHeight(220)
        self.day_keys: list[str] = []
        self.rates: list[float | None] = []

    def set_days(self, days: Sequence[DayFigures]) -> None:
        self.day_keys = [d.day.isoformat() for d in days]
        self.days.clear()
        self.days.append([str(d.day.day) for d in days])  # the day of the month; the range in the title
        if days:
            self.days.setTitleText(tr("%1 – %2, platform zone", "Desk").replace("%1", days[0].day.isoformat())
                                   .replace("%2", days[-1].day.isoformat()))
        for bars, values in ((self.opened, [d.opened for d in days]), (self.resolved, [d.resolved for d in days])):
            bars.remove(0, bars.count())
            bars.append([float(v) for v in values])
        self.rates = [d.breach_rate for d in days]
        self.breach.clear()
        for i, rate in enumerate(self.rates):
            if rate is not None:
                self.breach.append(float(i), rate)
        self.index_axis.setRange(-0.5, len(days) - 0.5)
        top = max([1, *(d.opened for d in days), *(d.resolved for d in days)])
        self.counts.setRange(0, top * 1.15)
        self.counts.applyNiceNumbers()


class DashboardView(QWidget):
    """Signals:
        open_view(str): a bar was clicked; the queue view it stands for (`stage:…`, `due:…`, `holder:…`)
        loaded(object): figures arrived, a `DeskFigures` (its JSON is what `mediator stats --json` prints at the same
            `now`)
    """

    open_view = Signal(str)
    loaded = Signal(object)

    def __init__(self, ops: Operations, parent: QWidget | None = None, days: int = 14,
                 lag_warning: int = LAG_WARNING_DEFAULT) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardView")
        self.ops = ops
        self.days = days
        self.figures: DeskFigures | None = None
        self.summary = QLabel(tr("Loading the figures…", "Desk"), self)
        self.summary.setObjectName("dashboardSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet("QLabel { font-size: 11pt; padding: 2px 4px; }")
        self.stage_chart = BarChart(tr("Open disputes by stage", "Desk"), list(OPEN_STAGES),
                                    [tr(SHORT_STAGES[s], "Desk") for s in OPEN_STAGES], "#5c6bc0", self, True)
        self.stage_chart.setObjectName("stageChart")
        self.stage_chart.setToolTip(tr("Click a bar: the queue of that stage", "Desk"))
        self.due_chart = BarChart(tr("Open disputes by time left on the earliest clock", "Desk"), list(DUE_BUCKETS),
                                  [tr(BUCKET_TITLES[b], "Desk") for b in DUE_BUCKETS], "#ef6c00", self)
        self.due_chart.setObjectName("dueChart")
        self.due_chart.setToolTip(tr("Click a bar: the queue of that bucket", "Desk"))
        self.days_chart = DaysChart(self)
        self.days_chart.setObjectName("daysChart")
        self.workload_chart = WorkloadChart(self)
        self.workload_chart.setObjectName("workloadChart")
        self.workload_chart.setToolTip(tr("Click a bar: the cases that person holds", "Desk"))
        self.lag_slot = QHBoxLayout()  # the outbound feed's consumers, how far behind each is
        self.lag = OutboxLagView(ops, lag_warning, self)
        self.lag_slot.addWidget(self.lag)
        grid = QGridLayout()
        grid.addWidget(self.stage_chart, 0, 0)
        grid.addWidget(self.due_chart, 0, 1)
        grid.addWidget(self.days_chart, 1, 0)
        grid.addWidget(self.workload_chart, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(self.lag_slot)
        layout.addLayout(grid, 1)
        self.stage_chart.bar_clicked.connect(lambda key: self.open_view.emit(f"stage:{key}"))
        self.due_chart.bar_clicked.connect(lambda key: self.open_view.emit(f"due:{key}"))
        self.workload_chart.bar_clicked.connect(lambda key: self.open_view.emit(f"holder:{key}"))
        ctx, user = ops.ctx, ops.user
        self.loader = FoldedLoad(ops, lambda: desk.figures(ctx, user, self.days), self._show, self._failed, self)

    def reload(self) -> None:
        self.loader.load()
        self.lag.reload()

    def refresh_soon(self) -> None:
        self.loader.soon()
        self.lag.refresh_soon()

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(tr("The figures could not be read: %1", "Desk").replace("%1", error_text(exc)))

    def _show(self, figures: DeskFigures) -> None:
        self.figures = figures
        self.summary.setText(tr("%1 open · %2 with the SLA breached · %3 overdue · figures at %4", "Desk")
                             .replace("%1", str(figures.open)).replace("%2", str(figures.sla_breached_open))
                             .replace("%3", str(figures.due_in["overdue"])).replace("%4", when(figures.at)))
        self.stage_chart.set_values([figures.by_stage[s] for s in OPEN_STAGES])
        self.due_chart.set_values([figures.due_in[b] for b in DUE_BUCKETS])
        self.days_chart.set_days(figures.days)
        self.workload_chart.set_workload(figures.workload)
        self.loaded.emit(figures)


def stage_title(stage: str) -> str:
    return label(STAGES, stage)
