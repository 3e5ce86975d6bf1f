"""The offline window's files: the file choosers (`Files`), File → Open bundle… (a bundle window of its own),
File → Export the queue's cases as a bundle… (with its progress dialog) and Case → Export case file (PDF)…."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from mediator_app.domain.errors import Rejection
from mediator_app.domain.safe_names import case_file_name
from mediator_app.services import bundle_export, bundles
from mediator_app.ui.formatting import tr
from mediator_app.ui.offline_base import OfflineBase, refusal_text
from mediator_app.ui.worker import Worker, start


class Files:
    """The file choosers (tests replace these classmethods)."""

    @classmethod
    def open_bundle(cls, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, tr("Open bundle"), "",
                                              tr("Mediator bundles (*.mcase);;All files (*)"))
        return path or None

    @classmethod
    def save_bundle(cls, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, tr("Export bundle"), "cases.mcase",
                                              tr("Mediator bundles (*.mcase)"))
        return path or None

    @classmethod
    def save_case_file(cls, parent: QWidget, dispute_id: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, tr("Export case file"), case_file_name(dispute_id),
                                              tr("PDF (*.pdf)"))
        return path or None


class BundleFiles(OfflineBase):
    """Open, export and case-file actions of `OfflineMode`."""

    windows: list[Any]
    last_export: dict[str, Any] | None
    progress: QProgressDialog | None
    opening: QProgressDialog | None

    def open_bundle(self) -> None:
        """A window of its own on the chosen bundle. An older bundle is upgraded first (`bundles.prepare`), in a
        worker, with a busy dialog: that can take seconds, which the window must not freeze for."""
        path = Files.open_bundle(self.window)
        if path is None:
            return
        w = self.window
        dialog = QProgressDialog(tr("Opening %1…").replace("%1", Path(path).name), "", 0, 0, w)
        dialog.setObjectName("openProgress")
        dialog.setCancelButton(None)
        dialog.setWindowTitle(tr("Open bundle"))
        dialog.setMinimumDuration(300)  # shown only when opening takes long (an upgrade)
        dialog.setValue(0)  # (starts that wait)
        self.opening = dialog  # (an export's dialog, `progress`, may be up too)

        def opened(_: None) -> None:
            dialog.close()
            from mediator_app.app import build_main_window  # the composition root builds windows

            try:
                other = build_main_window(None, self.ops.user, None, bundle=path, settings=w.settings)
            except Rejection as exc:
                refused(exc)
                return
            self.windows.append(other)
            other.resize(w.size())
            other.show()

        def refused(exc: Exception) -> None:
            dialog.close()
            w.messages.say(tr("The bundle could not be opened: %1").replace("%1", refusal_text(exc)))

        self.ops.run(lambda: bundles.prepare(path), opened, refused, owner=w)

    def export_bundle(self) -> None:
        """The queue's current view, whole, into a bundle, with a progress dialog."""
        w = self.window
        path = Files.save_bundle(w)
        if path is None:
            return
        ids = w.queue.ordered_ids()
        ctx, user = self.ops.ctx, self.ops.user
        dialog = QProgressDialog(tr("Exporting %1 cases…").replace("%1", QLocale().toString(len(ids))), "", 0,
                                 len(ids), w)
        dialog.setObjectName("exportProgress")
        dialog.setCancelButton(None)
        dialog.setWindowTitle(tr("Export bundle"))
        dialog.setMinimumDuration(0)
        dialog.setValue(0)
        self.progress = dialog
        job = Worker(lambda report: bundle_export.export(ctx, path, user, ids=ids, force=True, progress=report))

        def done(report: dict[str, Any]) -> None:
            dialog.close()
            self.last_export = report
            w.statusBar().showMessage(tr("Exported %1 cases to %2")
                                      .replace("%1", QLocale().toString(report["disputes"]))
                                      .replace("%2", report["bundle"]), 10_000)

        def failed(exc: Exception) -> None:
            dialog.close()
            w.messages.say(tr("The export failed: %1").replace("%1", refusal_text(exc)))

        def advance(done_: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done_)

        job.signals.progress.connect(advance)
        job.signals.finished.connect(done)
        job.signals.failed.connect(failed)
        start(job, self.ops.pool)

    def export_case_file(self) -> None:
        w = self.window
        if w.detail is None:
            return
        dispute_id = w.detail.dispute_id
        path = Files.save_case_file(w, dispute_id)
        if path is None:
            return
        from mediator_app.report.case_file import collect, render
        from mediator_app.services.identity import database_info

        ctx = self.ops.ctx
        source = f"bundle {self.bundle}" if self.bundle is not None else None

        def work() -> tuple[Any, str]:
            return collect(ctx, dispute_id), source or f"database {database_info(ctx)['database_id']}"

        def done(result: tuple[Any, str]) -> None:
            report = render(result[0], path, result[1])  # drawing stays on the GUI thread
            self.last_case_file = report
            w.statusBar().showMessage(tr("Case file written: %1 (%2 pages)").replace("%1", report["file"])
                                      .replace("%2", str(report["pages"])), 10_000)

        self.ops.run(work, done, lambda exc: w.messages.say(
            tr("The case file was not written: %1").replace("%1", refusal_text(exc))))


