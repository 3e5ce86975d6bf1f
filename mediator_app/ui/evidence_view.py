"""The case's evidence as a grid of thumbnails, loaded and decoded off the GUI thread.

Each image is fetched (`workbench.evidence_content`), decoded into a QImage and scaled to a thumbnail inside the
worker (QImage is safe off the GUI thread, QPixmap is not); the GUI thread only turns it into a QPixmap. Results
for a case that is no longer shown are dropped. A click or Enter on a tile opens the full-size image; PDFs and
videos show a file icon and their name, and are never decoded.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeyEvent, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QLabel, QScrollArea, QSizePolicy, QStyle,
                               QToolButton, QVBoxLayout, QWidget)

from mediator_app.services import workbench
from mediator_app.services.context import Context

from .formatting import PARTIES, label, parse_iso, tr, when_long
from .operations import Operations

THUMB = 128
TILE_WIDTH = THUMB + 48
FULL_LIMIT = 4096  # a full-size view larger than this is scaled down (in the worker)
CONTEXT = "Evidence"


def is_image(media_type: str) -> bool:
    return media_type.startswith("image/")


_image_plugins_loaded = False


def load_image_plugins() -> None:
    """Have Qt load its image format plugins on the GUI thread, once per process, before any worker decodes.

    `QImage.fromData` asks every image plugin whether it reads the data. The first time, Qt loads the plugins and
    moves each to the main thread (`QObject::moveToThread`, which locks the main thread's event data). Done in a
    worker, that holds Python's GIL (PySide6 keeps it through the call) while it waits for the lock — and the GUI
    thread, deleting widgets under that lock, waits for the GIL: the window froze (seen in the test suite).
    """
    global _image_plugins_loaded
    if not _image_plugins_loaded:
        QImage.fromData(b"\0")  # no format reads it, so every plugin is asked, so every plugin is loaded
        _image_plugins_loaded = True


def decode_image(ctx: Context, evidence_id: int, limit: int) -> QImage:
    """Runs in a worker (after `load_image_plugins` on the GUI thread): fetch, decode, and scale to fit
    `limit`×`limit` (never up)."""
    _media_type, data = workbench.evidence_content(ctx, evidence_id)
    image = QImage.fromData(data)
    if image.isNull():
        raise ValueError(tr("the image could not be decoded", CONTEXT))
    if image.width() > limit or image.height() > limit:
        image = image.scaled(limit, limit, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def size_text(size: int) -> str:
    if size < 1024:
        return tr("%1 bytes", CONTEXT).replace("%1", str(size))
    if size < 1024 * 1024:
        return tr("%1 KiB", CONTEXT).replace("%1", f"{size / 1024:.1f}")
    return tr("%1 MiB", CONTEXT).replace("%1", f"{size / 1024 / 1024:.1f}")


def added_at(item: dict[str, Any]) -> datetime | None:
    value = item.get("added_at")
    return value if isinstance(value, datetime) else parse_iso(value)


class EvidenceTile(QToolButton):
    """One evidence item: thumbnail (or file icon) above its name; focusable, Enter or a click opens it."""

    def __init__(self, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.evidence_id = int(item["id"])
        self.setObjectName(f"evidenceTile{self.evidence_id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setFixedWidth(TILE_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.loaded = False
        self.thumbnail_size = QSize()
        self.failed: str | None = None
        name = str(item["filename"])
        metrics = self.fontMetrics()
        short = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, TILE_WIDTH - 12)
        self.setText(f"{short}\n{label(PARTIES, item.get('party'))} · {size_text(int(item.get('size') or 0))}")
        what = (self.tr("open the image full size") if is_image(str(item["media_type"]))
                else self.tr("show the file's details (no preview for %1)").replace("%1", str(item["media_type"])))
        self.setAccessibleName(self.tr("Evidence %1 from %2").replace("%1", name)
                               .replace("%2", label(PARTIES, item.get("party"))))
        self.setAccessibleDescription(what)
        self.setToolTip(f"{name}\n{item['media_type']} · {size_text(int(item.get('size') or 0))}\n"
                        f"{when_long(added_at(item))}\n{what}")
        style = self.style()
        if is_image(str(item["media_type"])):
            self.setIcon(self._placeholder(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView)))
        else:
            self.setIcon(self._placeholder(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)))

    def set_thumbnail(self, pixmap: QPixmap) -> None:
        self.setIcon(self._centred(pixmap))
        self.loaded = True
        self.thumbnail_size = pixmap.size()

    def set_failed(self, message: str) -> None:
        self.failed = message
        self.setIcon(self._placeholder(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)))
        self.setToolTip(self.toolTip() + "\n" + self.tr("could not load: %1").replace("%1", message))

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


class ImageDialog(QDialog):
    """The evidence item full size (images) or its details (PDF, video); modeless, closes with Escape."""

    def __init__(self, item: dict[str, Any], image: QImage | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.item = item
        self.setWindowTitle(self.tr("Evidence — %1").replace("%1", str(item["filename"])))
        layout = QVBoxLayout(self)
        caption = QLabel(self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption.setText(self.tr("%1 · from %2 · %3 · %4 · added %5\nsha256 %6")
                        .replace("%1", str(item["filename"])).replace("%2", label(PARTIES, item.get("party")))
                        .replace("%3", str(item["media_type"])).replace("%4", size_text(int(item.get("size") or 0)))
                        .replace("%5", when_long(added_at(item))).replace("%6", str(item.get("sha256", ""))))
        caption.setWordWrap(True)
        layout.addWidget(caption)
        self.picture = QLabel(self)
        self.picture.setObjectName("evidenceImage")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image is not None:
            self.picture.setPixmap(QPixmap.fromImage(image))
            self.picture.setAccessibleName(self.tr("Image %1").replace("%1", str(item["filename"])))
            scroll = QScrollArea(self)
            scroll.setWidget(self.picture)
            scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(scroll, 1)
            self.setMinimumSize(420, 320)
            self.resize(min(image.width() + 60, 1200), min(image.height() + 140, 900))
        else:
            self.picture.setText(self.tr("No preview for %1 files.").replace("%1", str(item["media_type"])))
            layout.addWidget(self.picture, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def image_size(self) -> QSize:
        pixmap = self.picture.pixmap()
        return pixmap.size() if pixmap is not None and not pixmap.isNull() else QSize()


class EvidenceView(QWidget):
    """Thumbnail grid of one case's evidence.

    Signals:
        thumbnail_loaded(int): the evidence id whose thumbnail arrived (for the current case only)
        opened(int): the evidence id shown in a dialog
    """

    thumbnail_loaded = Signal(int)
    opened = Signal(int)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_image_plugins()
        self.setObjectName("evidenceView")
        self.ops = ops
        self._dispute_id: str | None = None
        self._generation = 0
        self._tiles: list[EvidenceTile] = []
        self._thumbs: dict[int, QPixmap] = {}   # cache for the shown case
        self._requested: set[int] = set()
        self._columns = 0
        self.dialog: ImageDialog | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(self.scroll_area)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.grid.setSpacing(10)
        self.empty = QLabel(self.tr("No evidence in this case."), self.body)
        self.scroll_area.setWidget(self.body)
        self._layout_tiles()

    # -- public -------------------------------------------------------------------------------------------

    def show_evidence(self, dispute_id: str, evidence: list[dict[str, Any]]) -> None:
        """Show the case's evidence; thumbnails already loaded for the same case are reused."""
        if dispute_id != self._dispute_id:
            self._generation += 1
            self._thumbs.clear()
            self._requested.clear()
            self._dispute_id = dispute_id
        for tile in self._tiles:
            tile.deleteLater()
        self._tiles = []
        for item in evidence:
            tile = EvidenceTile(item, self.body)
            tile.clicked.connect(lambda _checked=False, t=tile: self.open_item(t.evidence_id))
            self._tiles.append(tile)
            if tile.evidence_id in self._thumbs:
                tile.set_thumbnail(self._thumbs[tile.evidence_id])
            elif is_image(str(item["media_type"])) and tile.evidence_id not in self._requested:
                self._request_thumbnail(tile.evidence_id)
        self._columns = 0
        self._layout_tiles()

    def clear(self) -> None:
        self._generation += 1
        self._dispute_id = None
        self._thumbs.clear()
        self._requested.clear()
        for tile in self._tiles:
            tile.deleteLater()
        self._tiles = []
        self._columns = 0
        self._layout_tiles()

    def tiles(self) -> list[EvidenceTile]:
        return list(self._tiles)

    def count(self) -> int:
        return len(self._tiles)

    def loaded_count(self) -> int:
        return sum(1 for t in self._tiles if t.loaded)

    def open_item(self, evidence_id: int) -> None:
        """Open the item: images are decoded full size in a worker, then shown; other files show their details."""
        tile = next((t for t in self._tiles if t.evidence_id == evidence_id), None)
        if tile is None:
            return
        if not is_image(str(tile.item["media_type"])):
            self._show_dialog(tile.item, None)
            return
        generation, ctx = self._generation, self.ops.ctx

        def done(image: QImage) -> None:
            if generation == self._generation:
                self._show_dialog(tile.item, image)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                tile.set_failed(str(exc))

        self.ops.run(lambda: decode_image(ctx, evidence_id, FULL_LIMIT), done, failed)

    # -- internals ----------------------------------------------------------------------------------------

    def _request_thumbnail(self, evidence_id: int) -> None:
        self._requested.add(evidence_id)
        generation, ctx = self._generation, self.ops.ctx

        def done(image: QImage) -> None:
            if generation != self._generation:
                return  # another case is shown now
            pixmap = QPixmap.fromImage(image)  # GUI thread
            self._thumbs[evidence_id] = pixmap
            for tile in self._tiles:
                if tile.evidence_id == evidence_id:
                    tile.set_thumbnail(pixmap)
            self.thumbnail_loaded.emit(evidence_id)

        def failed(exc: Exception) -> None:
            if generation != self._generation:
                return
            self._requested.discard(evidence_id)
            for tile in self._tiles:
                if tile.evidence_id == evidence_id:
                    tile.set_failed(str(exc))

        self.ops.run(lambda: decode_image(ctx, evidence_id, THUMB), done, failed)

    def _show_dialog(self, item: dict[str, Any], image: QImage | None) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog = ImageDialog(item, image, self)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_dialog(d))
        self.dialog = dialog
        dialog.show()
        self.opened.emit(int(item["id"]))

    def _forget_dialog(self, dialog: ImageDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _fitting_columns(self) -> int:
        width = self.scroll_area.viewport().width() - 20
        return max(1, width // (TILE_WIDTH + self.grid.spacing()))

    def _layout_tiles(self) -> None:
        columns = self._fitting_columns()
        if columns == self._columns and self._tiles:
            return
        self._columns = columns
        while self.grid.count():
            self.grid.takeAt(0)
        if not self._tiles:
            self.grid.addWidget(self.empty, 0, 0)
            self.empty.show()
            return
        self.empty.hide()
        for index, tile in enumerate(self._tiles):
            self.grid.addWidget(tile, index // columns, index % columns)
            tile.show()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._layout_tiles()
