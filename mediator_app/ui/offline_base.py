"""What the parts of the offline window share (`OfflineMode` is made of them): its window, operations, bundle and
the few state fields more than one part reads, and the dock every list sits in."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from mediator_app.services.context import Context
from mediator_app.ui.formatting import tr
from mediator_app.ui.refusals import error_text as refusal_text

__all__ = ["OfflineBase", "refusal_text"]


class OfflineBase:
    """The shared fields of `OfflineMode`; its parts (`DraftList`, `BundleSync`, `BundleFiles`) extend it."""

    window: Any  # the MainWindow
    ops: Any  # its Operations
    bundle: str | None  # the bundle's path in a bundle window, None in a live one
    draft_ctx: Context | None  # the bundle opened writable, for drafts

    def _dock(self, name: str, title: str, body: QWidget) -> QDockWidget:
        dock = QDockWidget(tr(title), self.window)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(body)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.window.resizeDocks([dock], [170], Qt.Orientation.Vertical)
        return dock


    def _open(self, dispute_id: str) -> None:
        self.window.queue.select_dispute(dispute_id)
        self.window.open_case(dispute_id)

