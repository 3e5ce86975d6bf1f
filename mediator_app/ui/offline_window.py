"""Offline review in the window (§6): the bundle banner, drafts instead of decisions, the drafts and conflicts
views, File → Open / Export / Sync bundle, and Case → Export case file (PDF).

Attached to a built MainWindow by `attach_offline(window, bundle)` (the one hook): in a bundle window the decision
actions (`actionPropose`, `actionRule`, `actionNote`, `actionApprove`, `actionSendBack`) are reconnected to record
drafts, and everything that would write to the database or execute (claims, presence, the sweeper) is off —
the window's own engine over the bundle is read-only, so nothing else could write either.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QFrame, QHBoxLayout, QLabel, QMainWindow, QProgressDialog,
                               QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from mediator_app.domain.case_view import CaseSnapshot
from mediator_app.domain.errors import Rejection
from mediator_app.domain.safe_names import case_file_name
from mediator_app.ui.formatting import QT_TRANSLATE_NOOP, tr
from mediator_app.services import bundle_export, bundle_sync, bundles, drafts
from mediator_app.services.context import Context
from mediator_app.services.bundle_queue import DRAFTS_VIEW
from mediator_app.services.workbench import four_eyes_threshold
from mediator_app.ui import draft_marks
from mediator_app.ui.formatting import parse_iso, when
from mediator_app.ui.phrasebook import phrase, word
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.dialogs.rule_dialog import RuleDialog, RuleDraft
from mediator_app.ui.dialogs.text_dialog import TextDialog
from mediator_app.ui.worker import Worker, start

#: the decision actions that record drafts in a bundle window, by action name -> draft action
DRAFTED = {"Propose": "propose", "Rule": "rule", "Note": "note", "Approve": "approve", "SendBack": "send-back"}
#: what a bundle window never offers (it would write to a database or execute)
LIVE_ONLY = ("NextCase", "Claim", "Release", "Assign", "Sweep")


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


class OfflineMode:
    """The offline-review parts of one main window (`window.offline`)."""

    def __init__(self, window: Any, bundle: str | None) -> None:
        self.window = window
        self.bundle = bundle
        self.ops = window.ops
        self.windows: list[Any] = []  # bundle windows opened from this one
        self.draft_ctx: Context | None = None
        self.last_sync: dict[str, Any] | None = None
        self.last_export: dict[str, Any] | None = None
        self.progress: QProgressDialog | None = None
        self.origin: dict[str, Any] | None = None
        self.drafts: list[dict[str, Any]] = []  # the bundle's drafts as listed (`drafts.list_drafts`)
        self._make_actions()
        self.banner = self._make_banner()
        if bundle is not None:
            self.draft_ctx = bundles.open_bundle(bundle, self.ops.ctx.clock, writable=True)
            self._go_offline()
            self.drafts_view = self._make_drafts_view()
            window.queue.add_view(DRAFTS_VIEW, tr("Drafts", "Queue"),
                                  tr("Cases with drafts: shown with their drafts applied", "Queue"))
            draft_marks.attach(window.case)
            self.refresh_drafts()
        else:
            self.conflicts_view = self._make_conflicts_view()
            self.refresh_conflicts()
        window.case_shown.connect(self._on_case_shown)

    # ----- building -------------------------------------------------------------------------------------

    def _make_actions(self) -> None:
        w = self.window
        file_menu = w.menuBar().addMenu(tr("&File"))
        w.menuBar().insertMenu(w.menuBar().actions()[0], file_menu)  # File comes first

        def add(name: str, text: str, handler: Callable[[], None], menu: Any) -> QAction:
            action = QAction(tr(text), w)
            action.setObjectName(f"action{name}")
            action.triggered.connect(handler)
            menu.addAction(action)
            w.actions_by_name[name] = action
            return action

        add("OpenBundle", QT_TRANSLATE_NOOP("", "&Open bundle…"), self.open_bundle, file_menu)
        export = add("ExportBundle", QT_TRANSLATE_NOOP("", "&Export the queue's cases as a bundle…"),
                     self.export_bundle, file_menu)
        sync = add("SyncBundle", QT_TRANSLATE_NOOP("", "&Sync bundle…"), self.sync_bundle, file_menu)
        export.setVisible(self.bundle is None)
        sync.setVisible(self.bundle is None)
        case_menu = next(a.menu() for a in w.menuBar().actions() if a.menu() and a.menu().objectName() == "menuCase")
        case_file = QAction(tr("Export case &file (PDF)…"), w)
        case_file.setObjectName("actionExportCaseFile")
        case_file.triggered.connect(self.export_case_file)
        case_menu.insertAction(case_menu.actions()[-2] if len(case_menu.actions()) >= 2 else None, case_file)
        w.actions_by_name["ExportCaseFile"] = case_file

    def _make_banner(self) -> QFrame:
        """`bundleBanner`, above everything in a bundle window: offline, exported when, from where, by whom."""
        w = self.window
        banner = QFrame(w)
        banner.setObjectName("bundleBanner")
        banner.setStyleSheet("#bundleBanner { background: #26415e; } #bundleBanner QLabel { color: white; "
                             "padding: 4px 8px; }")
        layout = QHBoxLayout(banner)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner_text = QLabel(banner)
        self.banner_text.setObjectName("bundleBannerText")
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_text.setWordWrap(True)
        layout.addWidget(self.banner_text, 1)
        central = w.takeCentralWidget()
        holder = QWidget(w)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(banner)
        column.addWidget(central, 1)
        w.setCentralWidget(holder)
        banner.setVisible(self.bundle is not None)
        return banner

    def _go_offline(self) -> None:
        w = self.window
        for name in LIVE_ONLY:
            action = w.actions_by_name.get(name)
            if action is not None:
                action.setChecked(False) if action.isCheckable() else None
                action.setVisible(False)
        for name, kind in DRAFTED.items():
            action = w.actions_by_name.get(name)
            if action is not None:
                action.triggered.disconnect()
                action.triggered.connect(lambda _checked=False, k=kind: self.draft(k))
                action.setToolTip(tr("%1 — recorded as a draft in the bundle").replace("%1", action.toolTip()))
        # claim renewal writes to the database: none in a bundle (its engine is read-only anyway)
        w.session.renew_claim = lambda: None  # presence is nothing in a bundle (services.presence); no lease
        w.status_connection.setText(tr("offline"))
        w.live.connection_changed.connect(lambda _connected: w.status_connection.setText(tr("offline")))
        self.ops.run(lambda: drafts.origin_json(self.ops.ctx), self._show_origin)

    def _show_origin(self, origin: dict[str, Any]) -> None:
        self.origin = origin
        self._banner_for(None)

    def _banner_for(self, case: dict[str, Any] | None) -> None:
        if self.origin is None:
            return
        o = self.origin
        text = tr("OFFLINE — bundle %1, exported %2 by %3 from database %4. Nothing executes here; "
                              "decisions are saved as drafts and applied when the bundle is synced.") \
            .replace("%1", str(self.bundle)).replace("%2", o["exported_at"]).replace("%3", o["exported_by"]) \
            .replace("%4", o["database_id"])
        pending = [d for d in (case or {}).get("drafts", []) if d["status"] == "pending"]
        if pending:
            text += "\n" + tr("This case: %1 draft(s) shown applied, not yet synced (version %2 in the "
                                          "database when exported).").replace("%1", str(len(pending))) \
                .replace("%2", str(pending[0]["based_on_version"]))
        self.banner_text.setText(text)

    def _dock(self, name: str, title: str, body: QWidget) -> QDockWidget:
        dock = QDockWidget(tr(title), self.window)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(body)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.window.resizeDocks([dock], [170], Qt.Orientation.Vertical)
        return dock

    def _make_drafts_view(self) -> QTreeWidget:
        body = QWidget(self.window)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        view = QTreeWidget(body)
        view.setObjectName("draftsView")
        view.setHeaderLabels([tr("Dispute"), tr("Action"), tr("Terms"), tr("Based on version"), tr("Status"),
                              tr("Drafted at"), tr("By")])
        view.setRootIsDecorated(False)
        view.itemActivated.connect(lambda item, _col: self._open(item.data(0, Qt.ItemDataRole.UserRole)))
        undo = QPushButton(tr("Undo this draft…"), body)
        undo.setObjectName("undoDraftButton")
        undo.setToolTip(tr("Removes the selected draft before it is synced: only the last draft of a case "
                           "(the ones before it are what it was based on)"))
        undo.clicked.connect(self.undo_last_draft)
        self.undo_button = undo
        view.currentItemChanged.connect(lambda _current, _previous: self._update_undo())
        layout.addWidget(view, 1)
        layout.addWidget(undo, 0, Qt.AlignmentFlag.AlignLeft)
        self._dock("drafts", QT_TRANSLATE_NOOP("", "Drafts"), body)
        return view

    def _make_conflicts_view(self) -> QTreeWidget:
        view = QTreeWidget(self.window)
        view.setObjectName("conflictsView")
        view.setHeaderLabels([tr("Dispute"), tr("Action"), tr("By"), tr("Terms"), tr("Why it was not applied"),
                              tr("Synced at")])
        view.setRootIsDecorated(False)
        view.itemActivated.connect(lambda item, _col: self.redo_conflict(item.data(0, Qt.ItemDataRole.UserRole)))
        self.conflicts: list[dict[str, Any]] = []
        dock = self._dock("conflicts", QT_TRANSLATE_NOOP("", "Conflicts from offline bundles"), view)
        dock.setVisible(False)  # shown once there is one
        self.conflicts_dock = dock
        return view

    # ----- lists ----------------------------------------------------------------------------------------

    def refresh_drafts(self) -> None:
        self.ops.run(lambda: drafts.list_drafts(self.ops.ctx), self._show_drafts)

    def _show_drafts(self, rows: list[dict[str, Any]]) -> None:
        self.drafts = rows
        self.drafts_view.clear()
        shown = self.window.detail.dispute_id if self.window.detail is not None else None
        current = None
        for row in rows:
            status = word("status", row["status"]) + (f": {phrase(row['reason'])}" if row.get("reason") else "")
            item = QTreeWidgetItem([row["dispute_id"], action_text(row["action"]), terms_text(row["terms"]),
                                    str(row["based_on_version"]), status, when(parse_iso(row["drafted_at"])),
                                    row["by"]])
            item.setData(0, Qt.ItemDataRole.UserRole, row["dispute_id"])
            item.setData(1, Qt.ItemDataRole.UserRole, row["draft_id"])
            self.drafts_view.addTopLevelItem(item)
            if row["dispute_id"] == shown:
                current = item  # the open case's last draft: what Undo offers first
        for column in range(self.drafts_view.columnCount()):
            self.drafts_view.resizeColumnToContents(column)
        if current is not None:
            self.drafts_view.setCurrentItem(current)
        self._update_undo()

    def refresh_conflicts(self) -> None:
        ctx, user = self.ops.ctx, self.ops.user
        self.ops.run(lambda: bundle_sync.list_conflicts(ctx, user), self._show_conflicts, lambda _e: None)

    def _show_conflicts(self, rows: list[dict[str, Any]]) -> None:
        self.conflicts = rows
        self.conflicts_view.clear()
        for row in rows:
            item = QTreeWidgetItem([row["dispute_id"], row["action"], row["by"], terms_text(row["terms"]),
                                    row["reason"], row["synced_at"]])
            item.setData(0, Qt.ItemDataRole.UserRole, row["draft_id"])
            self.conflicts_view.addTopLevelItem(item)
        for column in range(self.conflicts_view.columnCount()):
            self.conflicts_view.resizeColumnToContents(column)
        self.conflicts_dock.setVisible(bool(rows))

    def _open(self, dispute_id: str) -> None:
        self.window.queue.select_dispute(dispute_id)
        self.window.open_case(dispute_id)

    def _on_case_shown(self, _dispute_id: str) -> None:
        if self.bundle is not None and self.window.detail is not None:
            self._banner_for(self.window.detail.case)

    # ----- drafts ---------------------------------------------------------------------------------------

    def draft(self, action: str) -> None:
        """A decision in a bundle window: asked as live, judged as live, stored as a draft."""
        w = self.window
        if w.detail is None or self.draft_ctx is None:
            return
        terms = self._ask_terms(action, w.detail.view)
        dispute_id = w.detail.dispute_id
        if terms is None:
            return
        ctx, user = self.draft_ctx, self.ops.user

        def done(made: dict[str, Any]) -> None:
            w.banner.hide()
            w.statusBar().showMessage(tr("%1 drafted (based on version %2)").replace("%1", action)
                                      .replace("%2", str(made["based_on_version"])), 5000)
            w.open_case(dispute_id)
            w.queue.reload()
            self.refresh_drafts()

        def failed(exc: Exception) -> None:
            reason = exc.reason if isinstance(exc, Rejection) else str(exc)
            w.messages.say(tr("The %1 draft was refused: %2").replace("%1", action).replace("%2", reason))

        self.ops.run(lambda: drafts.draft(ctx, dispute_id, user, action, terms), done, failed)

    def _ask_terms(self, action: str, case: CaseSnapshot) -> dict[str, Any] | None:
        w = self.window
        if action == "propose":
            got = ProposeDialog.ask(w, case, ProposeDraft(), self._threshold())
            if got is None:
                return None
            return {"remedy": got.remedy, "amount": got.amount if got.remedy != "no_refund" else None,
                    "return_shipping_paid_by": got.return_shipping_paid_by if got.remedy == "return_and_refund"
                    else None, "note": got.note or None}
        if action == "rule":
            rule = RuleDialog.ask(w, case, RuleDraft(), self._threshold())
            return None if rule is None else {"adopt": rule.adopt, "note": rule.note or None}
        if action == "approve":
            return {}
        title = tr("Send back") if action == "send-back" else tr("Internal note")
        text = TextDialog.ask(w, title, tr("Why is it sent back?") if action == "send-back"
                              else tr("Note for the case file (not shown to the parties):"))
        if text is None:
            return None
        return {"note": text} if action == "send-back" else {"text": text}

    def _threshold(self) -> Any:
        view = self.window.detail.view
        return four_eyes_threshold(view.policy, view.order_total.currency)

    def _selected_draft(self) -> dict[str, Any] | None:
        item = self.drafts_view.currentItem()
        draft_id = item.data(1, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((row for row in self.drafts if row["draft_id"] == draft_id), None)

    def _update_undo(self) -> None:
        row = self._selected_draft()
        self.undo_button.setEnabled(row is not None and row["draft_id"] in drafts.undoable(self.drafts))

    def undo_last_draft(self) -> None:
        """Undo the selected draft, the last of its case and not yet synced, once the reviewer confirms."""
        w, row = self.window, self._selected_draft()
        if self.draft_ctx is None or row is None or row["draft_id"] not in drafts.undoable(self.drafts):
            return
        question = tr("Remove the draft %1 of %2 (%3)? It was not synced; nothing of it reaches the database.") \
            .replace("%1", action_text(row["action"])).replace("%2", row["dispute_id"]) \
            .replace("%3", terms_text(row["terms"]) or "—")
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if QMessageBox.question(w, tr("Undo draft"), question, yes | no, no) != yes:
            return
        ctx, dispute_id, draft_id = self.draft_ctx, row["dispute_id"], row["draft_id"]

        def done(_row: dict[str, Any]) -> None:
            w.statusBar().showMessage(tr("Draft removed: %1 of %2").replace("%1", action_text(row["action"]))
                                      .replace("%2", dispute_id), 5000)
            if w.detail is not None and w.detail.dispute_id == dispute_id:
                w.open_case(dispute_id)
            w.queue.reload()
            self.refresh_drafts()

        self.ops.run(lambda: drafts.undo_last(ctx, dispute_id, draft_id), done,
                     lambda exc: w.messages.say(phrase(getattr(exc, "reason", str(exc)))))

    # ----- files ----------------------------------------------------------------------------------------

    def open_bundle(self) -> None:
        path = Files.open_bundle(self.window)
        if path is None:
            return
        from mediator_app.app import build_main_window  # the composition root builds windows

        try:
            other = build_main_window(None, self.ops.user, None, bundle=path, settings=self.window.settings)
        except Rejection as exc:
            self.window.messages.say(tr("The bundle could not be opened: %1").replace("%1", exc.reason))
            return
        self.windows.append(other)
        other.resize(self.window.size())
        other.show()

    def export_bundle(self) -> None:
        """The queue's current view, whole, into a bundle, with a progress dialog."""
        w = self.window
        path = Files.save_bundle(w)
        if path is None:
            return
        ids = w.queue.ordered_ids()
        ctx, user = self.ops.ctx, self.ops.user
        dialog = QProgressDialog(tr("Exporting %1 cases…").replace("%1", f"{len(ids):,}"), "", 0, len(ids), w)
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
            w.statusBar().showMessage(tr("Exported %1 cases to %2").replace("%1", str(report["disputes"]))
                                      .replace("%2", report["bundle"]), 10_000)

        def failed(exc: Exception) -> None:
            dialog.close()
            w.messages.say(tr("The export failed: %1").replace("%1", getattr(exc, "reason", str(exc))))

        def advance(done_: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done_)

        job.signals.progress.connect(advance)
        job.signals.finished.connect(done)
        job.signals.failed.connect(failed)
        start(job, self.ops.pool)

    def sync_bundle(self) -> None:
        w = self.window
        path = Files.open_bundle(w)
        if path is None:
            return
        ctx, user = self.ops.ctx, self.ops.user

        def work() -> dict[str, Any]:
            bundle = bundles.open_bundle(path, writable=True)
            try:
                return bundle_sync.sync(ctx, bundle, user).to_json()
            finally:
                bundle.engine.dispose()

        def done(result: dict[str, Any]) -> None:
            self.last_sync = result
            applied, conflicts, rejected = len(result["applied"]), len(result["conflicts"]), len(result["rejected"])
            text = tr("Bundle synced: %1 applied, %2 conflicts, %3 rejected, %4 left for others.") \
                .replace("%1", str(applied)).replace("%2", str(conflicts)).replace("%3", str(rejected)) \
                .replace("%4", str(len(result["skipped"])))
            if conflicts or rejected:
                text += " " + tr("Nothing of those was applied: open them from the Conflicts list to redo them "
                                   "on the case as it is now.")
            w.messages.say(text)
            w.refresh()
            self.refresh_conflicts()

        self.ops.run(work, done, lambda exc: w.messages.say(
            tr("The bundle was not synced: %1").replace("%1", getattr(exc, "reason", str(exc)))))

    def redo_conflict(self, draft_id: str) -> None:
        """Open the fresh case with the conflicted draft's terms pre-filled in the dialog it came from."""
        row = next((c for c in self.conflicts if c["draft_id"] == draft_id), None)
        if row is None:
            return
        w, t, dispute_id = self.window, row["terms"], row["dispute_id"]
        if row["action"] == "propose":
            w.drafts.propose[dispute_id] = ProposeDraft(t.get("remedy") or "refund", t.get("amount") or "",
                                                        t.get("return_shipping_paid_by") or "buyer",
                                                        t.get("note") or "")
        elif row["action"] == "rule":
            w.drafts.rule[dispute_id] = RuleDraft(t.get("adopt") or "", t.get("note") or "")
        elif row["action"] in ("note", "send-back"):
            w.drafts.text[(dispute_id, row["action"])] = t.get("text") or t.get("note") or ""
        w.messages.say(tr("Your offline %1 did not apply: %2. The case is shown as it is now; your terms are "
                            "filled in when you open %1 again.").replace("%1", row["action"])
                       .replace("%2", row["reason"]))
        self._open(dispute_id)

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
            tr("The case file was not written: %1").replace("%1", getattr(exc, "reason", str(exc)))))


def action_text(action: str) -> str:
    """A draft's action (`propose`, `send-back`) in the window's words."""
    return word("action", action)


def terms_text(terms: dict[str, Any]) -> str:
    """A draft's options as one line of plain text."""
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in terms.items() if v not in (None, ""))


def attach_offline(window: QMainWindow, bundle: str | None) -> OfflineMode:
    """The one hook into the main window (see the module docstring)."""
    mode = OfflineMode(window, bundle)
    window.offline = mode  # type: ignore[attr-defined]
    return mode
