"""Assigning many cases at once (§5.1 `reassign`) from the window: pick who, then a summary of what was
assigned and what was refused, and why."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from mediator_app.services.assignments import Reassignment
from mediator_app.ui.formatting import tr
from mediator_app.ui.phrasebook import phrase


@dataclass(frozen=True)
class ReassignSummary:
    to: str
    result: Reassignment


class TargetDialog:
    @classmethod
    def ask(cls, parent: QWidget, title: str, names: list[str]) -> str | None:
        """The chosen user, or None when cancelled (tests replace this classmethod)."""
        if not names:
            return None
        name, ok = QInputDialog.getItem(parent, title, tr("Assign to:", "Desk"), names, 0, False)
        return name if ok else None


def choose_target(parent: QWidget, title: str, names: list[str]) -> str | None:
    return TargetDialog.ask(parent, title, names)


def summary_text(summary: ReassignSummary) -> str:
    r = summary.result
    text = tr("%1 assigned to %2", "Desk").replace("%1", str(len(r.assigned))).replace("%2", summary.to)
    if r.rejected:
        text += tr("; %1 refused: ", "Desk").replace("%1", str(len(r.rejected)))
        text += "; ".join(f"{x['dispute_id']} ({phrase(x['reason'])})" for x in r.rejected[:10])
        if len(r.rejected) > 10:
            text += " …"
    return text


class SummaryBox:
    @classmethod
    def show(cls, parent: QWidget, summary: ReassignSummary) -> None:
        """A message box with the counts and every refusal (tests replace this classmethod)."""
        box = QMessageBox(parent)
        box.setObjectName("reassignSummary")
        box.setWindowTitle(tr("Assignment", "Desk"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(summary_text(summary))
        if summary.result.rejected:
            box.setDetailedText("\n".join(f"{x['dispute_id']}: {phrase(x['reason'])}" for x in summary.result.rejected))
        box.open()
