"""One message service for the window: the banner above the case and the status bar.

Party text (messages, notes, file names, a refusal's reason) is data, never markup: `say` shows plain text;
`say_marked` fills a trusted template (ours, translated) with parts that are escaped first.
"""
from __future__ import annotations

import html
from typing import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QToolButton

STATUS_MS = 10_000


def escaped(text: str) -> str:
    """`text` as rich text that shows exactly those characters."""
    return html.escape(text, quote=False)


def marked_list(items: Sequence[str]) -> str:
    """Plain-text items as a rich-text bullet list (for `say_marked`'s markup parts)."""
    return "<ul>" + "".join(f"<li>{escaped(item)}</li>" for item in items) + "</ul>"


class Messages(QObject):
    """The banner (`conflictBanner` with its label `conflictText`) and the window's status bar."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.banner = QFrame(window)
        self.banner.setObjectName("conflictBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet("#conflictBanner { background: #fff4ce; border: 1px solid #d8b600; }")
        layout = QHBoxLayout(self.banner)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("conflictText")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self.banner)
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss the message"))
        close.setToolTip(self.tr("Dismiss the message"))
        close.clicked.connect(self.banner.hide)
        layout.addWidget(self.banner_text, 1)
        layout.addWidget(close)
        self.banner.hide()

    # ----- the banner -------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        """Show `text` in the banner, as plain text."""
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_text.setText(text)
        self.banner.show()

    def say_marked(self, template: str, *parts: str, markup: Sequence[str] = ()) -> None:
        """Show our rich-text `template` with %1, %2… replaced: `parts` are plain text (escaped here), `markup`
        parts (numbered after them) were built with `escaped`/`marked_list`."""
        text = template
        for number, part in enumerate([escaped(p) for p in parts] + list(markup), start=1):
            text = text.replace(f"%{number}", part)
        self.banner_text.setTextFormat(Qt.TextFormat.RichText)
        self.banner_text.setText(text)
        self.banner.show()

    def hide_banner(self) -> None:
        self.banner.hide()

    # ----- the status bar ---------------------------------------------------------------------------------

    def status(self, text: str, msecs: int = STATUS_MS) -> None:
        self.window.statusBar().showMessage(text, msecs)

    def busy(self, running: int) -> None:
        if running:
            self.window.statusBar().showMessage(self.tr("Working…"))
        else:
            self.window.statusBar().clearMessage()

    def error(self, message: str) -> None:
        """A background call failed: its first line in the status bar."""
        self.status(self.tr("Error: %1").replace("%1", message.splitlines()[0] if message else ""))
