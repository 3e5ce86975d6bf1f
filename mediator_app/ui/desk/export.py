""""Export to CSV…" (§5.5): the current queue view, the approval inbox or the audit filter, written in a worker
with progress; the file appears only when complete (written beside it, then renamed)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from mediator_app.ui.formatting import tr
from mediator_app.ui.refusals import error_text
from mediator_app.ui.worker import Worker, start

Report = Callable[[int, int], None]


class ExportPath:
    @classmethod
    def ask(cls, parent: QWidget, suggested: str) -> str | None:
        """Where to write, or None when cancelled (tests replace this classmethod)."""
        path, _ = QFileDialog.getSaveFileName(parent, tr("Export to CSV", "Desk"), suggested,
                                              tr("Spreadsheet (*.csv)", "Desk"))
        return path or None


T = TypeVar("T")


def counted(rows: Iterable[T], total: int, report: Report, every: int = 2000) -> Iterator[T]:
    """`rows` passed through, reporting (done, total) every `every` rows and at the end."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            report(done, total)
    report(done, total)


def write_file(path: str, write: Callable[[Any], int]) -> int:
    """Write through `write(stream)` into PATH.part, then rename it to PATH: a cancelled or failed export leaves
    no half file under the name asked for."""
    part = f"{path}.part"
    try:
        with open(part, "w", encoding="utf-8", newline="") as stream:
            n = write(stream)
        os.replace(part, path)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    return n


class Export(QObject):
    """One export running. Signals: finished(str path, int rows), failed(str)."""

    finished = Signal(str, int)
    failed = Signal(str)

    def __init__(self, parent: QWidget, path: str, write: Callable[[Any, Report], int], title: str) -> None:
        super().__init__(parent)
        self.path = path
        self.progress = QProgressDialog(title, tr("Hide", "Desk"), 0, 0, parent)
        self.progress.setObjectName("exportProgress")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(400)  # small exports never flash a dialog
        self.progress.setAutoClose(True)
        self.worker = Worker(lambda report: write_file(path, lambda stream: write(stream, report)))
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(self._on_finished)
        self.worker.signals.failed.connect(self._on_failed)
        start(self.worker)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, done, 1))
        self.progress.setValue(done)
        self.progress.setLabelText(tr("%1 of %2 rows written", "Desk").replace("%1", f"{done:,}")
                                   .replace("%2", f"{total:,}" if total else "?"))

    def _on_finished(self, n: int) -> None:
        self.progress.reset()
        self.progress.close()
        self.finished.emit(self.path, int(n))

    def _on_failed(self, exc: object) -> None:
        self.progress.reset()
        self.progress.close()
        self.failed.emit(error_text(exc) if isinstance(exc, BaseException) else str(exc))
