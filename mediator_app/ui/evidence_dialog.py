"""One evidence item opened: the image full size, or why it is not shown (a PDF or video, an image too large to
preview), or — when its bytes no longer match their sha256 — a warning instead of the content.

"Open with system viewer" (Alt+V) and "Save as…" (Alt+S) hand the file outside the window; the view does the
work (`EvidenceView.open_external`, `save_as`) and reports back here (`show_status`). Neither is offered for
altered evidence. Modeless; Escape closes it.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from mediator_app.services.workbench import EvidenceItem

from .evidence_images import reason_text
from .evidence_tile import size_text
from .formatting import PARTIES, label, tr, when_long

WARNING_STYLE = "background: #fdecea; color: #8a1c12; border: 1px solid #e0a39c; padding: 8px; font-weight: bold;"


class ImageDialog(QDialog):
    """The evidence item full size (images) or its details (PDF, video, no preview), or the altered warning.

    Signals:
        open_external_requested(): "Open with system viewer" was chosen
        save_requested(): "Save as…" was chosen
    """

    open_external_requested = Signal()
    save_requested = Signal()

    def __init__(self, item: EvidenceItem, image: QImage | None, parent: QWidget | None = None,
                 note: str | None = None, warning: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.item = item
        self.warning = warning
        self.setWindowTitle(self.tr("Evidence — %1").replace("%1", item.filename))
        layout = QVBoxLayout(self)
        caption = QLabel(self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption.setText(self.tr("%1 · from %2 · %3 · %4 · added %5\nsha256 %6")
                        .replace("%1", item.filename).replace("%2", label(PARTIES, item.party))
                        .replace("%3", item.media_type).replace("%4", size_text(item.size))
                        .replace("%5", when_long(item.added_at)).replace("%6", item.sha256))
        caption.setWordWrap(True)
        layout.addWidget(caption)
        self.picture = QLabel(self)
        self.picture.setObjectName("evidenceImage")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setTextFormat(Qt.TextFormat.PlainText)
        self.picture.setWordWrap(True)
        if warning is not None:  # nothing of the content: the warning in its place
            self.picture.setObjectName("evidenceWarning")
            self.picture.setText(reason_text(warning))
            self.picture.setStyleSheet(WARNING_STYLE)
            self.picture.setAccessibleName(tr("Warning", "Evidence"))
            layout.addWidget(self.picture, 1)
        elif image is not None:
            self.picture.setPixmap(QPixmap.fromImage(image))
            self.picture.setAccessibleName(self.tr("Image %1").replace("%1", item.filename))
            scroll = QScrollArea(self)
            scroll.setWidget(self.picture)
            scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(scroll, 1)
            self.setMinimumSize(420, 320)
            self.resize(min(image.width() + 60, 1200), min(image.height() + 140, 900))
        elif note is not None:
            self.picture.setText(reason_text(note))
            layout.addWidget(self.picture, 1)
        else:
            self.picture.setText(self.tr("No preview for %1 files.").replace("%1", item.media_type))
            layout.addWidget(self.picture, 1)
        self.status = QLabel(self)
        self.status.setObjectName("evidenceStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton(tr("Open with system &viewer", "Evidence"), self)
        self.open_button.setObjectName("openExternalButton")
        self.open_button.setToolTip(tr("Opens a temporary copy, under a safe name, in your system's program for %1 files", "Evidence").replace("%1", item.media_type))  # noqa: E501
        self.save_button = QPushButton(tr("&Save as…", "Evidence"), self)
        self.save_button.setObjectName("saveAsButton")
        for button in (self.open_button, self.save_button):
            button.setAutoDefault(False)
            button.setEnabled(warning is None)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_external_requested)
        self.save_button.clicked.connect(self.save_requested)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def image_size(self) -> QSize:
        pixmap = self.picture.pixmap()
        return pixmap.size() if pixmap is not None and not pixmap.isNull() else QSize()

    def show_status(self, text: str, problem: bool = False) -> None:
        """What became of Open with system viewer or Save as… (plain text; a problem in the warning's colours)."""
        self.status.setText(text)
        self.status.setStyleSheet(WARNING_STYLE if problem else "")
        self.status.show()

    def show_warning(self, warning: str) -> None:
        """The evidence turned out altered while the dialog was open: the content goes, the warning stays."""
        self.warning = warning
        self.picture.clear()
        self.picture.setText(reason_text(warning))
        self.picture.setStyleSheet(WARNING_STYLE)
        self.open_button.setEnabled(False)
        self.save_button.setEnabled(False)
