"""A short text from the clerk: an internal note, or why a ruling is sent back."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class TextDialog(QDialog):
    def __init__(self, title: str, prompt: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt, self))
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("textEdit")
        self.edit.setPlainText(text)
        layout.addWidget(self.edit)
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        self.edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.edit.toPlainText().strip()))

    @classmethod
    def ask(cls, parent: QWidget, title: str, prompt: str, text: str = "") -> str | None:
        dialog = cls(title, prompt, text, parent)
        return dialog.edit.toPlainText().strip() if dialog.exec() == QDialog.DialogCode.Accepted else None
