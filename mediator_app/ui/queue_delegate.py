"""Paints queue cells straight from the model's prepared `Look`: one Python call per cell, no `data()` round trips.

Qt's own delegate asks the model for some fourteen roles per cell on every paint, each a call from C++ into
Python, and then lets the style lay the item out (`CE_ItemViewItem`: sub-element rectangles, elision through a
text layout). A full table repaint was thousands of calls and ~30 ms. This delegate asks
`QueueModel.look(row, column)` once and paints what a queue cell is — a background (selection, urgency colour
or alternating row), an optional 16-px icon, one elided line of text — with each text laid out once
(`QStaticText`) and icon pixmaps cached. It never calls `QModelIndex.data()` from Python. Tooltips,
accessibility and tests still go through `data()`, which reads the same prepared strings. No focus rectangle
is drawn: rows are selected whole, and the selected row is the current one.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter, QPalette, QPixmap, QStaticText, QTransform
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from mediator_app.ui.queue_model import ALIGNMENT, CLOCK, QueueModel

ICON_SIZE = 16
PADDING = 4  # between the cell edge, the icon and the text
_HIGHLIGHT, _HIGHLIGHTED_TEXT = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
_ALTERNATE_BASE, _TEXT = QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Text
_TEXT_CACHE_SIZE = 5_000  # laid-out texts kept; a screen shows ~320
#: Elided in the middle: the clock's name, so that who must act stays (`return s…t (buyer)`); the others (the
#: preview: who is silent, what and how much before when) on the right.
ELIDE_MIDDLE = frozenset({CLOCK})
RIGHT_ALIGNED = frozenset(column for column, align in enumerate(ALIGNMENT) if align & Qt.AlignmentFlag.AlignRight)


class QueueDelegate(QStyledItemDelegate):
    def __init__(self, model: QueueModel, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._model = model
        self._selection = view.selectionModel()
        self._texts: dict[tuple[str, int, bool, bool], tuple[QStaticText, float, float]] = {}
        self._pixmaps: dict[tuple[int, bool], QPixmap] = {}
        self._bold: QFont | None = None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        # Every attribute of `option` read from Python builds a Python enum or object: read as few as possible.
        # The row's selection comes from the selection model, the colour group from the palette the view set up.
        row, column = index.row(), index.column()
        look = self._model.look(row, column)
        rect, palette = option.rect, option.palette
        selected = self._selection.isSelected(index)
        if selected:
            painter.fillRect(rect, palette.brush(_HIGHLIGHT))
        elif look.background is not None:
            painter.fillRect(rect, look.background)
        elif row % 2:  # alternating rows (no rows are hidden)
            painter.fillRect(rect, palette.brush(_ALTERNATE_BASE))
        left = rect.left() + PADDING
        if look.icon is not None:
            top = rect.top() + (rect.height() - ICON_SIZE) // 2
            painter.drawPixmap(left, top, self._pixmap(look.icon, selected))
            left += ICON_SIZE + PADDING
        if selected:
            painter.setPen(palette.color(_HIGHLIGHTED_TEXT))
        elif look.foreground is not None:
            painter.setPen(look.foreground)
        else:
            painter.setPen(palette.color(_TEXT))
        width = rect.right() - PADDING - left + 1
        text, text_width, text_height = self._text(look.text, width, look.bold, option, column in ELIDE_MIDDLE)
        x = left + width - text_width if column in RIGHT_ALIGNED else left
        y = rect.top() + (rect.height() - text_height) / 2
        if look.bold:
            painter.save()
            painter.setFont(self._bold_font(option.font))
            painter.drawStaticText(QPointF(x, y), text)
            painter.restore()
        else:
            painter.drawStaticText(QPointF(x, y), text)

    def _text(self, text: str, width: int, bold: bool, option: QStyleOptionViewItem,
              middle: bool = False) -> tuple[QStaticText, float, float]:
        """The text elided to `width` and laid out once (glyphs cached), with its size. The option's font is
        read only for a text not laid out yet (reading it copies a QFont)."""
        key = (text, width, bold, middle)
        cached = self._texts.get(key)
        if cached is None:
            if len(self._texts) >= _TEXT_CACHE_SIZE:
                self._texts.clear()  # scrolled past thousands of rows, or countdowns ran: start over
            font = self._bold_font(option.font) if bold else option.font
            mode = Qt.TextElideMode.ElideMiddle if middle else Qt.TextElideMode.ElideRight
            elided = QFontMetrics(font).elidedText(text, mode, max(width, 0))
            static = QStaticText(elided)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), font)
            size = static.size()
            cached = (static, size.width(), size.height())
            self._texts[key] = cached
        return cached

    def _pixmap(self, icon: QIcon, selected: bool) -> QPixmap:
        key = (icon.cacheKey(), selected)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            mode = QIcon.Mode.Selected if selected else QIcon.Mode.Normal
            pixmap = icon.pixmap(ICON_SIZE, ICON_SIZE, mode)
            self._pixmaps[key] = pixmap
        return pixmap

    def _bold_font(self, font: QFont) -> QFont:
        if self._bold is None or self._bold.family() != font.family() or self._bold.pointSizeF() != font.pointSizeF():
            self._bold = QFont(font)
            self._bold.setBold(True)
        return self._bold
