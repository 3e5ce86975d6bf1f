"""Evidence taken outside the window (§7.4): "Open with system viewer" and "Save as…".

Both fetch the bytes in a worker, re-checked against their sha256 (altered evidence is never written or
opened), and write them under the item's safe name (`services.evidence_files.written_name`), never the party's
`filename`. The viewer gets a read-only temporary copy through `QDesktopServices.openUrl` (the boundary a test
intercepts with `QDesktopServices.setUrlHandler("file", …)`); Save as… proposes the safe name in a file dialog
and writes the chosen file whole (a temporary file renamed over it) in a worker.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from mediator_app.domain.evidence import EXTENSIONS
from mediator_app.services.evidence_files import written_name
from mediator_app.services.workbench import EvidenceAltered, EvidenceItem

from .evidence_images import reason_text
from .formatting import tr
from .operations import Operations



class EvidenceOutside(QObject):
    """Open with system viewer / Save as… for one view's evidence.

    Signals:
        finished(int, str, bool): evidence id, what became of it (in the window's words), whether it failed
        opened_externally(int, str): evidence id, the temporary copy handed to the system viewer
        saved(int, str): evidence id, the file written
        altered(int): evidence id whose bytes no longer match their sha256 (nothing was written or opened)
    """

    finished = Signal(int, str, bool)
    altered = Signal(int)
    opened_externally = Signal(int, str)
    saved = Signal(int, str)

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.file_dialog: QFileDialog | None = None
        self._folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def open_external(self, item: EvidenceItem) -> None:
        services = self.ops.services

        def done(path: Path) -> None:
            if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self.opened_externally.emit(item.id, str(path))
                self.finished.emit(item.id, tr("Opened a temporary copy: %1", "Evidence").replace("%1", str(path)),
                                   False)
            else:
                self.finished.emit(item.id, tr("No program on this system opens %1 files; the copy is at %2", "Evidence").replace("%1", item.media_type).replace("%2", str(path)),
                                   True)

        self.ops.run(lambda: services.evidence_copy_for_viewer(item), done, self._failed(item), owner=self)

    def save_as(self, item: EvidenceItem, parent: QWidget | None) -> QFileDialog:
        """Ask where to save (the safe name proposed); the chosen file is written in a worker."""
        if self.file_dialog is not None:
            self.file_dialog.close()
        dialog = QFileDialog(parent, tr("Save evidence as", "Evidence"), self._folder)
        dialog.setObjectName("saveEvidenceDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        extensions = EXTENSIONS.get(item.media_type, ())
        if extensions:
            dialog.setDefaultSuffix(extensions[0][1:])  # a name typed without one gets the type's extension
        patterns = " ".join(f"*{ext}" for ext in extensions)
        filters = [f"{item.media_type} ({patterns})"] if patterns else []
        dialog.setNameFilters(filters + [tr("All files (*)", "Evidence")])
        dialog.selectFile(written_name(item))
        dialog.fileSelected.connect(lambda path: self._save(item, path))
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget(d))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _save(self, item: EvidenceItem, path: str) -> None:
        self._folder = str(Path(path).parent)
        services = self.ops.services

        def done(size: int) -> None:
            self.saved.emit(item.id, path)
            self.finished.emit(item.id, tr("Saved %1 (%2 bytes)", "Evidence").replace("%1", path)
                               .replace("%2", str(size)), False)

        self.ops.run(lambda: services.save_evidence(item.id, path), done, self._failed(item), owner=self)

    def _failed(self, item: EvidenceItem) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            if isinstance(exc, EvidenceAltered):
                self.altered.emit(item.id)
            self.finished.emit(item.id, reason_text(str(exc)), True)
        return failed

    def _forget(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None
