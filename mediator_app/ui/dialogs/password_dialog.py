"""The PostgreSQL password of the login the window signs in as, when the server asks for one (§7.1)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from mediator_app.services import sign_in
from mediator_app.ui.formatting import tr


class PasswordDialog(QDialog):
    """Asks for the password of `login`; "Remember in the system keyring" keeps it there (never in a file)."""

    def __init__(self, login: str, problem: str | None, keyring_available: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(tr("Sign in to Mediator"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("The database asks for the password of %1.").replace("%1", login), self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.problem = QLabel(tr("The database refused the password: try again.") if problem else "", self)
        self.problem.setObjectName("passwordProblem")
        self.problem.setVisible(problem is not None)
        layout.addWidget(self.problem)
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.keep = QCheckBox(tr("Remember in the system keyring"), self)
        self.keep.setObjectName("keepPassword")
        self.keep.setEnabled(keyring_available)
        if not keyring_available:
            self.keep.setToolTip(tr("This computer has no system keyring: the password is asked every time."))
        layout.addWidget(self.keep)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def answer(self) -> tuple[str, bool]:
        return self.password.text(), self.keep.isChecked()

    @classmethod
    def ask(cls, login: str, problem: str | None) -> tuple[str, bool] | None:
        dialog = cls(login, problem, sign_in.keyring_available())
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

