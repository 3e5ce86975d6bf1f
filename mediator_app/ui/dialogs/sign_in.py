"""Choose who signs in when `--as` is not given: the database's users with their roles."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mediator_app.ui.formatting import ROLES, label


class SignInDialog(QDialog):
    def __init__(self, users: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in to Mediator"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Who is working at this workstation?"), self))
        self.users = QComboBox(self)
        self.users.setObjectName("userBox")
        for name, role in users:
            self.users.addItem(self.tr("%1 (%2)").replace("%1", name).replace("%2", label(ROLES, role)), name)
        layout.addWidget(self.users)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    @classmethod
    def ask(cls, users: list[tuple[str, str]]) -> str | None:
        dialog = cls(users)
        return dialog.users.currentData() if dialog.exec() == QDialog.DialogCode.Accepted else None
