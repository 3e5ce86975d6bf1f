"""Paints queue cells from the model's prepared `Look`: one Python call per cell, no `data()` round trips.

Qt's own delegate asks the model for some fourteen roles per cell on every paint, each a call from C++ into
Python; a full table repaint was thousands of calls and the 1 Hz countdown tick hundreds. This delegate asks
`QueueModel.look(row, column)` once and lets the style draw the item as usual (selection, focus, alternating
rows, elision). It never calls `QModelIndex.data()` from Python (see docs/architecture.md, PySide6 pitfall).
Tooltips, accessibility and tests still go through `data()`, which reads the same prepared strings.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QBrush, QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mediator_app.ui.queue_model import ALIGNMENT, QueueModel

_FEATURES = QStyleOptionViewItem.ViewItemFeature
_TEXT = _FEATURES.HasDisplay
_TEXT_AND_ICON = _FEATURES.HasDisplay | _FEATURES.HasDecoration
_TEXT_ROLE = QPalette.ColorRole.Text
_ITEM = QStyle.ControlElement.CE_ItemViewItem


class QueueDelegate(QStyledItemDelegate):
    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        column = index.column()
        look = self._model.look(index.row(), column)
        item = QStyleOptionViewItem(option)
        item.index = index
        item.text = look.text
        item.displayAlignment = ALIGNMENT[column]
        if look.icon is None:
            item.features = option.features | _TEXT
        else:
            item.icon = look.icon
            item.features = option.features | _TEXT_AND_ICON
        if look.background is not None:
            item.backgroundBrush = QBrush(look.background)
        if look.foreground is not None:
            item.palette.setColor(_TEXT_ROLE, look.foreground)
        if look.bold:
            font = QFont(item.font)
            font.setBold(True)
            item.font = font
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(_ITEM, item, painter, widget)
