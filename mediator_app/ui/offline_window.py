"""Offline review in the window (§6): the bundle banner, drafts instead of decisions, the drafts and conflicts
views, File → Open / Export / Sync bundle, and Case → Export case file (PDF).

Made of parts named for what they hold: `offline_lists` (the drafts view, undo), `offline_sync` (File → Sync
bundle…, the conflicts view), `offline_files` (the file choosers, open / export bundle, the case file), and here the
banner, the actions and the drafting itself; `draft_marks` marks drafted timeline lines.

Attached to a built MainWindow by `attach_offline(window, bundle)` (the one hook): in a bundle window the decision
actions (`actionPropose`, `actionRule`, `actionNote`, `actionApprove`, `actionSendBack`) are reconnected to record
drafts, and everything that would write to the database or execute (claims, presence, the sweeper) is off —
the window's own engine over the bundle is read-only, so nothing else could write either.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QProgressDialog, QVBoxLayout, QWidget

from mediator_app.domain.case_view import CaseSnapshot
from mediator_app.domain.errors import Rejection
from mediator_app.services import bundles, drafts
from mediator_app.services.bundle_queue import DRAFTS_VIEW
from mediator_app.services.context import Context
from mediator_app.services.workbench import four_eyes_threshold
from mediator_app.ui import draft_marks
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.dialogs.rule_dialog import RuleDialog, RuleDraft
from mediator_app.ui.dialogs.text_dialog import TextDialog
from mediator_app.ui.formatting import QT_TRANSLATE_NOOP, parse_iso, tr, when_long
from mediator_app.ui.offline_base import refusal_text
from mediator_app.ui.offline_files import BundleFiles, Files
from mediator_app.ui.offline_lists import DraftList, action_text, terms_text
from mediator_app.ui.offline_sync import BundleSync
from mediator_app.ui.phrasebook import phrase

__all__ = ["DRAFTED", "LIVE_ONLY", "Files", "OfflineMode", "action_text", "attach_offline", "terms_text"]
#: the decision actions that record drafts in a bundle window, by action name -> draft action
DRAFTED = {"Propose": "propose", "Rule": "rule", "Note": "note", "Approve": "approve", "SendBack": "send-back"}
#: what a bundle window never offers (it would write to a database or execute)
LIVE_ONLY = ("NextCase", "Claim", "Release", "Assign", "Sweep")


class OfflineMode(DraftList, BundleSync, BundleFiles):
    """The offline-review parts of one main window (`window.offline`)."""

    def __init__(self, window: Any, bundle: str | None) -> None:
        self.window = window
        self.bundle = bundle
        self.ops = window.ops
        self.windows: list[Any] = []  # bundle windows opened from this one
        self.draft_ctx: Context | None = None
        self.draft_refusal: Rejection | None = None  # why this bundle takes no drafts (it cannot be written)
        self.last_sync: dict[str, Any] | None = None
        self.last_export: dict[str, Any] | None = None
        self.progress: QProgressDialog | None = None  # an export's
        self.opening: QProgressDialog | None = None  # File → Open bundle…'s
        self.origin: dict[str, Any] | None = None
        self.upgrade_note: str | None = None  # the bundle was upgraded as it opened: what the banner says of it
        self.drafts: list[dict[str, Any]] = []  # the bundle's drafts as listed (`drafts.list_drafts`)
        self._make_actions()
        self.banner = self._make_banner()
        if bundle is not None:
            try:
                self.draft_ctx = bundles.open_bundle(bundle, self.ops.ctx.clock, writable=True)
            except Rejection as exc:  # an older bundle that cannot be written: read from a copy, no drafts (262)
                self.draft_refusal = exc
            upgrade = bundles.take_upgrade(bundle)  # written by an older Mediator: said in the banner (decision 260)
            self.upgrade_note = phrase(upgrade.message()) if upgrade is not None else None
            self._go_offline()
            self.drafts_view = self._make_drafts_view()
            window.queue.add_view(DRAFTS_VIEW, tr("Drafts", "Queue"),
                                  tr("Cases with drafts: shown with their drafts applied", "Queue"),
                                  tr("No drafts in this bundle yet: a decision made here is saved as a draft.",
                                     "Queue"))
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
            .replace("%1", str(self.bundle)).replace("%2", when_long(parse_iso(o["exported_at"]), "UTC")) \
            .replace("%3", o["exported_by"]) \
            .replace("%4", o["database_id"])
        if self.upgrade_note is not None:
            text += "\n" + self.upgrade_note
        pending = [d for d in (case or {}).get("drafts", []) if d["status"] == "pending"]
        if pending:
            text += "\n" + tr("This case: %1 draft(s) shown applied, not yet synced (version %2 in the "
                                          "database when exported).").replace("%1", str(len(pending))) \
                .replace("%2", str(pending[0]["based_on_version"]))
        self.banner_text.setText(text)

    def _on_case_shown(self, _dispute_id: str) -> None:
        if self.bundle is not None and self.window.detail is not None:
            self._banner_for(self.window.detail.case)

    # ----- drafts ---------------------------------------------------------------------------------------

    def draft(self, action: str) -> None:
        """A decision in a bundle window: asked as live, judged as live, stored as a draft."""
        w = self.window
        if w.detail is None:
            return
        if self.draft_ctx is None:
            if self.draft_refusal is not None:
                w.messages.say(tr("The %1 draft was refused: %2").replace("%1", action_text(action))
                               .replace("%2", refusal_text(self.draft_refusal)))
            return
        terms = self._ask_terms(action, w.detail.view)
        dispute_id = w.detail.dispute_id
        if terms is None:
            return
        ctx, user = self.draft_ctx, self.ops.user

        def done(made: dict[str, Any]) -> None:
            w.banner.hide()
            w.statusBar().showMessage(tr("%1 drafted (based on version %2)").replace("%1", action_text(action))
                                      .replace("%2", str(made["based_on_version"])), 5000)
            w.open_case(dispute_id)
            w.queue.reload()
            self.refresh_drafts()

        def failed(exc: Exception) -> None:
            w.messages.say(tr("The %1 draft was refused: %2").replace("%1", action_text(action))
                           .replace("%2", refusal_text(exc)))

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


def attach_offline(window: QMainWindow, bundle: str | None) -> OfflineMode:
    """The one hook into the main window (see the module docstring)."""
    mode = OfflineMode(window, bundle)
    window.offline = mode  # type: ignore[attr-defined]
    return mode
