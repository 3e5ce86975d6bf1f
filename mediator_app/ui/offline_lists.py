"""The bundle window's list of drafts (`draftsView`): every draft in order with its status, and undo of a case's
last draft, not yet synced, once the reviewer confirms it."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from mediator_app.services import drafts
from mediator_app.ui.formatting import PARTIES, QT_TRANSLATE_NOOP, REMEDIES, label, parse_iso, tr, when
from mediator_app.ui.offline_base import OfflineBase, refusal_text
from mediator_app.ui.phrasebook import phrase, word


class DraftList(OfflineBase):
    """The drafts view of `OfflineMode` (a bundle window only)."""

    drafts: list[dict[str, Any]]
    drafts_view: QTreeWidget
    undo_button: QPushButton

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
        question = tr("Remove the draft “%1” of %2 (%3)? It was not synced; nothing of it reaches the database.") \
            .replace("%1", action_text(row["action"])).replace("%2", row["dispute_id"]) \
            .replace("%3", terms_text(row["terms"]) or "—")
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if QMessageBox.question(w, tr("Undo draft"), question, yes | no, no) != yes:
            return
        ctx, dispute_id, draft_id = self.draft_ctx, row["dispute_id"], row["draft_id"]

        def done(_row: dict[str, Any]) -> None:
            w.statusBar().showMessage(tr("Draft “%1” of %2 removed").replace("%1", action_text(row["action"]))
                                      .replace("%2", dispute_id), 5000)
            if w.detail is not None and w.detail.dispute_id == dispute_id:
                w.open_case(dispute_id)
            w.queue.reload()
            self.refresh_drafts()

        self.ops.run(lambda: drafts.undo_last(ctx, dispute_id, draft_id), done,
                     lambda exc: w.messages.say(refusal_text(exc)))


def action_text(action: str) -> str:
    """A draft's action (`propose`, `send-back`) in the window's words."""
    return word("action", action)


#: a draft's options by name, in the window's words (their values: remedies and parties by the window's labels)
TERM_NAMES = {"remedy": QT_TRANSLATE_NOOP("", "remedy"), "amount": QT_TRANSLATE_NOOP("", "amount"),
              "return_shipping_paid_by": QT_TRANSLATE_NOOP("", "return shipping paid by"),
              "adopt": QT_TRANSLATE_NOOP("", "adopting"), "note": QT_TRANSLATE_NOOP("", "note"),
              "text": QT_TRANSLATE_NOOP("", "note")}


def terms_text(terms: dict[str, Any]) -> str:
    """A draft's options as one line of plain text (a note's text as written)."""
    def value(name: str, given: Any) -> str:
        if name == "remedy":
            return label(REMEDIES, str(given))
        if name in ("return_shipping_paid_by", "adopt"):
            return label(PARTIES, str(given))
        return str(given)

    return tr(", ", "list").join(f"{tr(TERM_NAMES.get(k, k))} {value(k, v)}" for k, v in terms.items()
                                 if v not in (None, ""))
