"""The queue's table: its look and behaviour (`setup_table`), the compact column widths from sample texts, the
default column order, and the geometry the splitter and the countdown repaint ask (`wanted_width`,
`fit_first_columns`, `visible_rows`). `QueuePanel` owns the table; these hold what the table is."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from mediator_app.ui.formatting import CLOCKS, label
from mediator_app.ui.queue_delegate import ICON_SIZE, PADDING, QueueDelegate
from mediator_app.ui.queue_lines import stage_text
from mediator_app.ui.queue_model import (AMOUNT, ASSIGNED, CLOCK, DISPUTE, LEFT, PREVIEW, REASON, SLA, STAGE,
                                         QueueModel)

#: The default visual order: what a clerk decides on first — countdown, who must act, dispute, stage, amount and the
#: default-judgment preview ("If silent") — then the SLA, the reason and the clerk (the model's columns keep their
#: numbers; the header only moves them, and the user's own order is saved with the header's state).
DEFAULT_ORDER = (LEFT, CLOCK, DISPUTE, STAGE, AMOUNT, PREVIEW, SLA, REASON, ASSIGNED)
FIRST_COLUMNS = DEFAULT_ORDER[:6]
MIN_PREVIEW = 160


def setup_table(table: QTableView, model: QueueModel, accessible_name: str) -> None:
    table.setObjectName("queueView")
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setItemDelegate(QueueDelegate(model, table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setTabKeyNavigation(False)
    table.setCornerButtonEnabled(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    metrics = QFontMetrics(table.font())
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(max(metrics.height(), 16) + 8)
    header = table.horizontalHeader()
    header.setObjectName("queueHeader")
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setMinimumSectionSize(40)
    for column, width in column_widths(model, metrics).items():
        header.resizeSection(column, width)
    for visual, column in enumerate(DEFAULT_ORDER):
        header.moveSection(header.visualIndex(column), visual)
    header.setSortIndicator(model.sort_column(), model.sort_order())
    table.setSortingEnabled(True)  # calls model.sort with the current (default) order: no reload


def column_widths(model: QueueModel, metrics: QFontMetrics) -> dict[int, int]:
    """Compact widths from sample texts (never ResizeToContents over all rows): each sample is what most rows
    show; longer texts are elided, the whole text is the cell's tooltip."""
    samples = {
        LEFT: ["-1d 00:00:00"],
        CLOCK: [label(CLOCKS, "return_shipment")],  # `return shipment (buyer)` elides in the middle
        DISPUTE: ["D-1000000"], STAGE: [stage_text("awaiting_seller")], REASON: ["not as described"],
        AMOUNT: ["999.99 / 999.99 USD"], ASSIGNED: ["li.wei"], SLA: ["breached"],
        PREVIEW: ["seller silent → buyer's refund 66.65 USD at 06 Nov 10:00"],
    }
    icon = {LEFT: ICON_SIZE + PADDING, SLA: ICON_SIZE + PADDING}
    widths = {}
    for column, texts in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        text = max(metrics.horizontalAdvance(t) for t in texts)
        widths[column] = max(text + icon.get(column, 0), metrics.horizontalAdvance(title) + 16) + 2 * PADDING + 2
    return widths


def wanted_width(table: QTableView) -> int:
    """The panel's width that shows the default layout's first columns (countdown to the default-judgment
    preview, `FIRST_COLUMNS`) whole: the splitter's first position."""
    header = table.horizontalHeader()
    columns = sum(header.sectionSize(column) for column in FIRST_COLUMNS)
    scroll = table.verticalScrollBar().sizeHint().width()
    return columns + scroll + 2 * table.frameWidth() + 2


def fit_first_columns(table: QTableView, width: int) -> None:
    """The splitter's first position gave the panel `width`: narrow the preview (elided, its tooltip whole) so
    the first columns end inside the viewport, never below `MIN_PREVIEW`."""
    header = table.horizontalHeader()
    spare = wanted_width(table) - width
    if spare > 0:
        header.resizeSection(PREVIEW, max(MIN_PREVIEW, header.sectionSize(PREVIEW) - spare))


def visible_rows(table: QTableView, model: QueueModel) -> tuple[int, int] | None:
    """(first, last) rows the table shows, inclusive; None when it shows none."""
    count = model.rowCount()
    if count == 0:
        return None
    first = table.rowAt(0)
    if first < 0:
        return None
    last = table.rowAt(table.viewport().height() - 1)
    return first, (last if last >= 0 else count - 1)
