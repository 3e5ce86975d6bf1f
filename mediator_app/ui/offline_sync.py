"""Bringing a bundle's drafts back from a live window (File → Sync bundle…) and the conflicts it leaves: the
`conflictsView`, from which the clerk opens the fresh case with the draft's terms filled in."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QTreeWidget, QTreeWidgetItem

from mediator_app.services import bundle_sync, bundles
from mediator_app.ui.dialogs.propose_dialog import ProposeDraft
from mediator_app.ui.dialogs.rule_dialog import RuleDraft
from mediator_app.ui.formatting import QT_TRANSLATE_NOOP, parse_iso, tr, when
from mediator_app.ui.offline_base import OfflineBase, refusal_text
from mediator_app.ui.offline_files import Files
from mediator_app.ui.offline_lists import action_text, terms_text
from mediator_app.ui.phrasebook import phrase


class BundleSync(OfflineBase):
    """The sync and the conflicts view of `OfflineMode` (a live window only)."""

    conflicts: list[dict[str, Any]]
    conflicts_view: QTreeWidget
    conflicts_dock: QDockWidget
    last_sync: dict[str, Any] | None

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

    def refresh_conflicts(self) -> None:
        ctx, user = self.ops.ctx, self.ops.user
        self.ops.run(lambda: bundle_sync.list_conflicts(ctx, user), self._show_conflicts, lambda _e: None)

    def _show_conflicts(self, rows: list[dict[str, Any]]) -> None:
        self.conflicts = rows
        self.conflicts_view.clear()
        for row in rows:
            item = QTreeWidgetItem([row["dispute_id"], action_text(row["action"]), row["by"], terms_text(row["terms"]),
                                    phrase(row["reason"]), when(parse_iso(row["synced_at"]))])
            item.setData(0, Qt.ItemDataRole.UserRole, row["draft_id"])
            self.conflicts_view.addTopLevelItem(item)
        for column in range(self.conflicts_view.columnCount()):
            self.conflicts_view.resizeColumnToContents(column)
        self.conflicts_dock.setVisible(bool(rows))

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
            upgrade = bundles.take_upgrade(path)
            if upgrade is not None:  # the bundle came from older code's schema (decision 260)
                text = phrase(upgrade.message()) + "\n" + text
            w.messages.say(text)
            w.refresh()
            self.refresh_conflicts()

        self.ops.run(work, done, lambda exc: w.messages.say(
            tr("The bundle was not synced: %1").replace("%1", refusal_text(exc))))

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
                            "filled in when you open %1 again.").replace("%1", action_text(row["action"]))
                       .replace("%2", phrase(row["reason"])))
        self._open(dispute_id)

