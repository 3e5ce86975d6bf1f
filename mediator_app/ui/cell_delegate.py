"""Paints the queue's cells from one data() call each (the model's CELL_ROLE bundle)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .queue_model import CELL_ROLE


class CellDelegate(QStyledItemDelegate):
    """The default delegate asks the model for about eight roles per cell on every repaint; at one repaint a
    second for every visible countdown, this one asks once and draws with the same style."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        bundle = index.data(CELL_ROLE)
        style = option.widget.style() if option.widget is not None else None
        if bundle is None or style is None:
            super().paint(painter, option, index)
            return
        text, icon, foreground, background, font, alignment = bundle
        opt = QStyleOptionViewItem(option)
        opt.index = QModelIndex(index)
        if text is not None:
            opt.text = str(text)
            opt.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        if alignment is not None:
            opt.displayAlignment = Qt.AlignmentFlag(alignment)
        if font is not None:
            opt.font = font
        if icon is not None:
            opt.icon = icon
            opt.decorationSize = QSize(16, 16)
            opt.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if background is not None and not selected:
            opt.backgroundBrush = background if isinstance(background, QBrush) else QBrush(QColor(background))
        if foreground is not None and not selected:
            colour = foreground.color() if isinstance(foreground, QBrush) else QColor(foreground)
            opt.palette.setColor(QPalette.ColorRole.Text, colour)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
