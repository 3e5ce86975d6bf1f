"""One evidence item in the grid: its thumbnail (or file icon) above its name, focusable; Enter or a click opens
it, the context menu (the Menu key, Shift+F10) also opens it with the system viewer or saves it."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QStyle, QToolButton, QWidget

from mediator_app.domain.evidence import ALTERED, is_image
from mediator_app.services.workbench import EvidenceItem

from .evidence_images import reason_text
from .formatting import PARTIES, label, plain_tip, tr, when_long

THUMB = 128
TILE_WIDTH = THUMB + 48
CONTEXT = "Evidence"


def size_text(size: int) -> str:
    if size < 1024:
        return tr("%1 bytes", CONTEXT).replace("%1", str(size))
    if size < 1024 * 1024:
        return tr("%1 KiB", CONTEXT).replace("%1", f"{size / 1024:.1f}")
    return tr("%1 MiB", CONTEXT).replace("%1", f"{size / 1024 / 1024:.1f}")


class EvidenceTile(QToolButton):
    """One evidence item: thumbnail (or file icon) above its name; focusable, Enter or a click opens it."""

    def __init__(self, item: EvidenceItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.evidence_id = item.id
        self.setObjectName(f"evidenceTile{self.evidence_id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setFixedWidth(TILE_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # the view's menu (EvidenceView.menu_for)
        self.loaded = False
        self.thumbnail_size = QSize()
        self.failed: str | None = None
        self.note: str | None = None  # why there is no thumbnail ("image too large to preview")
        name = item.filename
        metrics = self.fontMetrics()
        self.short_name = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, TILE_WIDTH - 12)
        self.setText(f"{self.short_name}\n{label(PARTIES, item.party)} · {size_text(item.size)}")
        what = (self.tr("open the image full size") if is_image(item.media_type)
                else self.tr("show the file's details (no preview for %1)").replace("%1", item.media_type))
        self.setAccessibleName(self.tr("Evidence %1 from %2").replace("%1", name)
                               .replace("%2", label(PARTIES, item.party)))
        self.setAccessibleDescription(what)
        self.tip = (f"{name}\n{item.media_type} · {size_text(item.size)}\n"
                    f"{when_long(item.added_at)}\n{what}")
        self.setToolTip(plain_tip(self.tip))  # the file name is the party's: never markup
        style = self.style()
        if is_image(item.media_type):
            self.setIcon(self._placeholder(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView)))
        else:
            self.setIcon(self._placeholder(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)))

    def set_thumbnail(self, pixmap: QPixmap) -> None:
        self.setIcon(self._centred(pixmap))
        self.loaded = True
        self.thumbnail_size = pixmap.size()

    def set_note(self, message: str) -> None:
        """No thumbnail, and why, on the tile itself ("image too large to preview")."""
        self.note = message
        self.setText(f"{self.short_name}\n{reason_text(message)}")
        self.setIcon(self._placeholder(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)))
        self.setToolTip(plain_tip(self.tip + "\n" + reason_text(message)))

    def set_failed(self, message: str) -> None:
        self.failed = message
        if message == ALTERED or message.startswith("evidence altered"):  # said on the tile, not only its tooltip
            self.setText(self.short_name + "\n" + self.tr("evidence altered"))
        self.setIcon(self._placeholder(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)))
        self.setToolTip(plain_tip(self.tip + "\n" + self.tr("could not load: %1").replace("%1",
                                                                                         reason_text(message))))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)

    def _placeholder(self, icon: QIcon) -> QIcon:
        return self._centred(icon.pixmap(48, 48))

    def _centred(self, picture: QPixmap) -> QIcon:
        """The picture centred in a thumbnail-sized transparent square, so every tile has the same shape."""
        square = QPixmap(THUMB, THUMB)
        square.fill(Qt.GlobalColor.transparent)
        painter = QPainter(square)
        painter.drawPixmap((THUMB - picture.width()) // 2, (THUMB - picture.height()) // 2, picture)
        painter.end()
        return QIcon(square)
