"""A supervisor picks the clerk who gets the case."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QWidget


class AssignDialog:
    @classmethod
    def ask(cls, parent: QWidget, dispute_id: str, names: list[str]) -> str | None:
        """The chosen user, or None when cancelled (tests replace this classmethod)."""
        if not names:
            return None
        name, ok = QInputDialog.getItem(parent, QCoreApplication.translate("AssignDialog", "Assign %1").replace("%1", dispute_id),
                                        QCoreApplication.translate("AssignDialog", "Give the case to:"), names, 0, False)
        return name if ok else None
