"""The case's evidence as a grid of thumbnails, loaded and decoded off the GUI thread.

Each image is fetched (`WorkstationServices.evidence_content`, re-checked against its sha256), decoded through the
guard (`report.image_guard`: never an image whose header claims more than 40 megapixels) and scaled to a thumbnail
inside the worker (`evidence_images.load_item`; QImage is safe off the GUI thread, QPixmap is not); the GUI thread
only turns it into a QPixmap. Results for a case that is no longer shown are dropped. A click or Enter on a tile
opens the item (`evidence_dialog`): the image full size, or why there is none, or a warning when its bytes were
altered; from there, or the tile's context menu, "Open with system viewer" and "Save as…" (`evidence_outside`).
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QMenu, QScrollArea, QVBoxLayout, QWidget

from mediator_app.domain.evidence import ALTERED, is_image
from mediator_app.services.workbench import EvidenceItem

from .evidence_dialog import ImageDialog
from .evidence_images import Loaded, load_image_plugins, load_item
from .evidence_outside import EvidenceOutside
from .evidence_tile import THUMB, TILE_WIDTH, EvidenceTile, size_text
from .formatting import plain_tip, tr
from .operations import Operations

__all__ = ["EvidenceView", "EvidenceTile", "ImageDialog", "load_image_plugins", "size_text", "is_image"]

FULL_LIMIT = 4096  # a full-size view larger than this is scaled down (in the worker)


class EvidenceView(QWidget):
    """Thumbnail grid of one case's evidence.

    Signals:
        thumbnail_loaded(int): the evidence id whose thumbnail (or its "no preview" note) arrived (current case)
        opened(int): the evidence id shown in a dialog
    """

    thumbnail_loaded = Signal(int)
    opened = Signal(int)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_image_plugins()
        self.setObjectName("evidenceView")
        self.ops = ops
        self.outside = EvidenceOutside(ops, self)
        self.outside.finished.connect(self._outside_finished)
        self.outside.altered.connect(self._altered)
        self._dispute_id: str | None = None
        self._generation = 0
        self._tiles: list[EvidenceTile] = []
        self._thumbs: dict[int, QPixmap] = {}   # cache for the shown case
        self._notes: dict[int, str] = {}        # why an item has no thumbnail (shown case)
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

    def show_evidence(self, dispute_id: str, evidence: Sequence[EvidenceItem]) -> None:
        """Show the case's evidence; thumbnails already loaded for the same case are reused."""
        if dispute_id != self._dispute_id:
            self._generation += 1
            self._thumbs.clear()
            self._notes.clear()
            self._requested.clear()
            self._dispute_id = dispute_id
        for tile in self._tiles:
            tile.deleteLater()
        self._tiles = []
        for item in evidence:
            tile = self._tile(item)
            self._tiles.append(tile)
            if tile.evidence_id in self._thumbs:
                tile.set_thumbnail(self._thumbs[tile.evidence_id])
            elif tile.evidence_id in self._notes:
                tile.set_note(self._notes[tile.evidence_id])
            elif is_image(item.media_type) and tile.evidence_id not in self._requested:
                self._request_thumbnail(item)
        self._columns = 0
        self._layout_tiles()

    def clear(self) -> None:
        self._generation += 1
        self._dispute_id = None
        self._thumbs.clear()
        self._notes.clear()
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
        """Open the item: its bytes are fetched and re-checked in a worker (an image decoded full size, unless
        too large to preview), then shown; altered bytes show a warning instead."""
        tile = self._tile_of(evidence_id)
        if tile is None:
            return
        generation, services, item = self._generation, self.ops.services, tile.item

        def done(loaded: Loaded) -> None:
            if generation == self._generation:
                self._show_dialog(item, loaded)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                shown = self._tile_of(evidence_id)  # the tiles may have been rebuilt meanwhile
                if shown is not None:
                    shown.set_failed(str(exc))
                self._show_dialog(item, None, warning=str(exc))

        self.ops.run(lambda: load_item(services, item, FULL_LIMIT), done, failed, owner=self)

    def open_external(self, evidence_id: int) -> None:
        """Open with system viewer: a temporary copy under the safe name (never for altered bytes)."""
        tile = self._tile_of(evidence_id)
        if tile is not None:
            self.outside.open_external(tile.item)

    def save_as(self, evidence_id: int) -> None:
        """Save as…: a file dialog proposing the safe name; the file is written in a worker."""
        tile = self._tile_of(evidence_id)
        if tile is not None:
            self.outside.save_as(tile.item, self.dialog or self)

    # -- internals ----------------------------------------------------------------------------------------

    def menu_for(self, evidence_id: int) -> QMenu:
        """The tile's context menu (right click, the Menu key, Shift+F10): open, open with the system viewer,
        save as."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for text, slot in ((tr("&Open", "Evidence"), self.open_item),
                           (tr("Open with system &viewer", "Evidence"), self.open_external),
                           (tr("&Save as…", "Evidence"), self.save_as)):
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, i=evidence_id, s=slot: s(i))
        return menu

    def _tile(self, item: EvidenceItem) -> EvidenceTile:
        tile = EvidenceTile(item, self.body)
        tile.clicked.connect(lambda _checked=False, i=item.id: self.open_item(i))
        tile.customContextMenuRequested.connect(
            lambda at, t=tile: self.menu_for(t.evidence_id).popup(t.mapToGlobal(at)))
        return tile

    def _tile_of(self, evidence_id: int) -> EvidenceTile | None:
        return next((t for t in self._tiles if t.evidence_id == evidence_id), None)

    def _request_thumbnail(self, item: EvidenceItem) -> None:
        evidence_id = item.id
        self._requested.add(evidence_id)
        generation, services = self._generation, self.ops.services

        def done(loaded: Loaded) -> None:
            if generation != self._generation:
                return  # another case is shown now
            if loaded.image is None:
                self._notes[evidence_id] = loaded.note or ""
            else:
                self._thumbs[evidence_id] = QPixmap.fromImage(loaded.image)  # GUI thread
            tile = self._tile_of(evidence_id)
            if tile is not None:
                if loaded.image is None:
                    tile.set_note(loaded.note or "")
                else:
                    tile.set_thumbnail(self._thumbs[evidence_id])
            self.thumbnail_loaded.emit(evidence_id)

        def failed(exc: Exception) -> None:
            if generation != self._generation:
                return
            self._requested.discard(evidence_id)
            tile = self._tile_of(evidence_id)
            if tile is not None:
                tile.set_failed(str(exc))

        self.ops.run(lambda: load_item(services, item, THUMB), done, failed, owner=self)

    def _show_dialog(self, item: EvidenceItem, loaded: Loaded | None, warning: str | None = None) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog = ImageDialog(item, loaded.image if loaded else None, self,
                             note=loaded.note if loaded else None, warning=warning)
        dialog.finished.connect(lambda _result, d=dialog: self._forget_dialog(d))
        dialog.open_external_requested.connect(lambda i=item.id: self.open_external(i))
        dialog.save_requested.connect(lambda i=item.id: self.save_as(i))
        self.dialog = dialog
        dialog.show()
        self.opened.emit(item.id)

    def _outside_finished(self, evidence_id: int, text: str, problem: bool) -> None:
        """Said in the open dialog of that item, else added to the tile's tooltip."""
        dialog = self.dialog
        if dialog is not None and dialog.item.id == evidence_id:
            dialog.show_status(text, problem)
            return
        tile = self._tile_of(evidence_id)
        if tile is not None:
            tile.setToolTip(plain_tip(tile.tip + "\n" + text))

    def _altered(self, evidence_id: int) -> None:
        """Its bytes no longer match their sha256: the tile says so, an open dialog drops the content."""
        tile = self._tile_of(evidence_id)
        if tile is not None:
            tile.set_failed(ALTERED)
        if self.dialog is not None and self.dialog.item.id == evidence_id:
            self.dialog.show_warning(ALTERED)

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
