"""The supervisor's desk in the window: `install(window)` is the one hook the main window calls.

It puts the queue and the desk on two tabs (supervisors and auditors), adds `actionShowDesk`, `actionReassign`
(many selected queue rows at once) and `actionExportCsv`, and folds the window's live updates into the desk's
reloads. What it needs from the window: `ops`, `queue`, `live`, `actions_by_name`, `open_case`, `statusBar()`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTabWidget

from mediator_app.domain.desk import DESK_ROLES
from mediator_app.domain.holding import may_hold
from mediator_app.domain.permissions import role_may
from mediator_app.services import assignments, spreadsheet
from mediator_app.services.users import list_users
from mediator_app.ui.desk.dashboard import BUCKET_TITLES
from mediator_app.ui.desk.export import Export, ExportPath, counted
from mediator_app.ui.desk.outbox_lag import ask_threshold, lag_warning_threshold
from mediator_app.ui.desk.panel import AUDIT, INBOX, WORKLOAD, SupervisorDesk
from mediator_app.ui.desk.reassign import ReassignSummary, SummaryBox, choose_target, summary_text
from mediator_app.ui.formatting import STAGES, label, tr

if TYPE_CHECKING:  # the window installs the desk (a runtime import would be circular)
    from mediator_app.ui.main_window import MainWindow

QUEUE_TAB, DESK_TAB = 0, 1


def drill_down_title(view: str) -> str:
    prefix, value = view.split(":", 1)
    if prefix == "stage":
        return tr("Stage: %1", "Desk").replace("%1", tr(label(STAGES, value)))
    if prefix == "due":
        return tr("Due: %1", "Desk").replace("%1", tr(BUCKET_TITLES.get(value, value), "Desk"))
    return tr("Held by %1", "Desk").replace("%1", value)


def _menu_of(action: QAction) -> QMenu | None:
    return next((o for o in action.associatedObjects() if isinstance(o, QMenu)), None)


class DeskHook(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ops = window.ops
        self.desk: SupervisorDesk | None = None
        self.tabs: QTabWidget | None = None
        self.exports: list[Export] = []
        self._drill_down: str | None = None
        if self.ops.role in DESK_ROLES:
            self._make_tabs()
        self._make_actions()
        if role_may(self.ops.role, "assign"):
            table = window.queue.table
            table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # Shift/Ctrl-click, Shift+arrows

    # ----- building

    def _make_tabs(self) -> None:
        window: MainWindow = self.window
        main = window.takeCentralWidget()
        if main is None:
            raise RuntimeError("the desk is installed into a window that has its central widget")
        self.tabs = QTabWidget(window)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.desk = SupervisorDesk(self.ops, self.tabs, lag_warning_threshold(self._settings()))
        self.tabs.addTab(main, tr("&Queue", "Desk"))
        self.tabs.addTab(self.desk, tr("Supervisor's &desk", "Desk"))
        window.setCentralWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.desk.open_view.connect(self.show_view)
        self.desk.open_case.connect(self.show_case)
        self.desk.changed.connect(window.queue.reload)
        window.live.changed.connect(lambda _ids: self.desk.refresh_soon() if self.desk else None)

    def _settings(self) -> QSettings | None:
        settings = getattr(self.window, "settings", None)
        return settings if isinstance(settings, QSettings) else None

    def _make_actions(self) -> None:
        names = self.window.actions_by_name
        view_menu = _menu_of(names["Refresh"])
        case_menu = _menu_of(names["Assign"])
        if self.desk is not None:
            self._lag_action()
            show = QAction(tr("Supervisor's &desk", "Desk"), self.window)
            show.setObjectName("actionShowDesk")
            show.setShortcut(QKeySequence("Ctrl+D"))
            show.setCheckable(True)
            show.setToolTip(tr("The dashboard, the approval inbox, the workload and the audit trail (Ctrl+D)", "Desk"))
            show.toggled.connect(lambda on: self.tabs.setCurrentIndex(DESK_TAB if on else QUEUE_TAB) if self.tabs else None)
            names["ShowDesk"] = show
            if view_menu is not None:
                view_menu.addAction(show)
        reassign = QAction(tr("Assign &selected to…", "Desk"), self.window)
        reassign.setObjectName("actionReassign")
        reassign.setShortcut(QKeySequence("Ctrl+Shift+R"))
        reassign.setToolTip(tr("Assign every selected case to one clerk (Shift/Ctrl-click to select many)", "Desk"))
        reassign.setVisible(role_may(self.ops.role, "assign"))
        reassign.triggered.connect(self.reassign_selected)
        names["Reassign"] = reassign
        export = QAction(tr("&Export to CSV…", "Desk"), self.window)
        export.setObjectName("actionExportCsv")
        export.setShortcut(QKeySequence("Ctrl+E"))
        export.setToolTip(tr("The current queue view, the approval inbox or the audit filter as a spreadsheet", "Desk"))
        export.triggered.connect(self.export_csv)
        names["ExportCsv"] = export
        for action, menu in ((reassign, case_menu), (export, view_menu)):
            if menu is not None:
                menu.addAction(action)
            self.window.addAction(action)  # the shortcut works wherever the focus is

    def _lag_action(self) -> None:
        """Settings → Outbound feed warning…: the consumer lag past which the desk warns."""
        action = QAction(tr("Outbound feed &warning…", "Desk"), self.window)
        action.setObjectName("actionLagWarning")
        action.setToolTip(tr("How many events behind a consumer of the outbound feed may be before the desk warns",
                             "Desk"))
        action.triggered.connect(self.ask_lag_warning)
        self.window.actions_by_name["LagWarning"] = action
        settings_menu = self.window.findChild(QMenu, "menuSettings")
        if settings_menu is not None:
            settings_menu.addAction(action)

    def ask_lag_warning(self) -> None:
        settings = self._settings()
        if settings is None or self.desk is None:
            return
        value = ask_threshold(self.window, settings)
        if value is not None:
            self.desk.dashboard.lag.set_threshold(value)

    # ----- navigation

    def _on_tab_changed(self, index: int) -> None:
        show = self.window.actions_by_name.get("ShowDesk")
        if show is not None:
            blocked = show.blockSignals(True)
            show.setChecked(index == DESK_TAB)
            show.blockSignals(blocked)
        if index == DESK_TAB and self.desk is not None and not self.desk.loaded:
            self.desk.load()

    def show_desk(self) -> None:
        if self.tabs is not None:
            self.tabs.setCurrentIndex(DESK_TAB)

    def show_view(self, view: str) -> None:
        """The queue with `view`: a saved view, or a chart's drill-down (added to the selector while shown)."""
        queue = self.window.queue
        selector = queue.view_selector
        if selector.findData(view) < 0:
            if self._drill_down is not None and (old := selector.findData(self._drill_down)) >= 0:
                selector.removeItem(old)
            selector.addItem(drill_down_title(view), view)
            self._drill_down = view
        if self.tabs is not None:
            self.tabs.setCurrentIndex(QUEUE_TAB)
        queue.set_view(view)

    def show_case(self, dispute_id: str) -> None:
        """The case on the queue tab: selected in the queue when it is listed, else shown on its own."""
        if self.tabs is not None:
            self.tabs.setCurrentIndex(QUEUE_TAB)
        queue = self.window.queue
        if queue.model.head_loaded and queue.model.row_of(dispute_id) is not None:
            queue.select_dispute(dispute_id)
        else:  # not listed (closed, or another view): shown on its own
            queue.forget_selection()
            self.window.open_case(dispute_id)

    # ----- many at once

    def selected_ids(self) -> list[str]:
        queue = self.window.queue
        rows = sorted({index.row() for index in queue.table.selectionModel().selectedRows()})
        ids = [queue.model.dispute_id(row) for row in rows]
        return [i for i in ids if i is not None]

    def reassign_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or not role_may(self.ops.role, "assign"):
            return
        ctx, user = self.ops.ctx, self.ops.user

        def chosen(users: list[tuple[str, str]]) -> None:
            names = [name for name, role in users if may_hold(role)]
            title = tr("Assign %1 cases", "Desk").replace("%1", str(len(ids)))
            target = choose_target(self.window, title, names)
            if target is None:
                return
            self.ops.run(lambda: ReassignSummary(target, assignments.reassign(ctx, user, target, ids)), self._reassigned)

        self.ops.run(lambda: list_users(ctx), chosen)

    def _reassigned(self, summary: ReassignSummary) -> None:
        self.window.statusBar().showMessage(summary_text(summary), 15_000)
        SummaryBox.show(self.window, summary)
        self.window.queue.reload()
        if self.desk is not None and self.desk.loaded:
            self.desk.dashboard.reload()

    # ----- spreadsheets

    def export_csv(self) -> Export | None:
        """What is in front of the user: the inbox, the audit filter, the workload's figures, else the queue view."""
        ctx, user = self.ops.ctx, self.ops.user
        inner = self.desk.tabs.currentIndex() if self.desk is not None else None
        on_desk = self.tabs is not None and self.tabs.currentIndex() == DESK_TAB and self.desk is not None
        desk = self.desk
        if desk is not None and on_desk and inner == INBOX:
            rows = [r.to_json() for r in desk.inbox.model.rows]
            name, title = "approvals.csv", tr("Exporting the approval inbox…", "Desk")
            write = lambda s, report: spreadsheet.write_approvals(s, counted(rows, len(rows), report))  # noqa: E731
        elif desk is not None and on_desk and inner == AUDIT:
            flt = desk.audit.model.filter
            total = desk.audit.model.total or 0
            name, title = "audit.csv", tr("Exporting the audit trail…", "Desk")
            from mediator_app.services import desk as desk_service

            write = lambda s, report: spreadsheet.write_audit(  # noqa: E731
                s, counted(desk_service.audit_stream(ctx, user, flt), total, report))
        elif desk is not None and on_desk and inner == WORKLOAD and desk.dashboard.figures is not None:
            figures = desk.dashboard.figures.to_json()
            name, title = "stats.csv", tr("Exporting the figures…", "Desk")

            def write(s: Any, report: Any) -> int:
                spreadsheet.write_stats(s, figures)
                report(1, 1)
                return 1
        else:
            queue = self.window.queue
            q = queue.model.query  # the view, filter and sort on screen, read again in one streamed statement
            total = queue.model.rowCount()
            name = f"queue-{queue.current_view().replace(':', '-')}.csv"
            title = tr("Exporting %1 cases…", "Desk").replace("%1", f"{total:,}")
            write = lambda s, report: spreadsheet.write_queue_rows(s, counted(  # noqa: E731
                spreadsheet.queue_view_sheet(ctx, q.view, q.user, q.text, q.sort, q.descending), total, report))
        path = ExportPath.ask(self.window, name)
        if path is None:
            return None
        job = Export(self.window, path, write, title)
        self.exports.append(job)
        job.finished.connect(lambda p, n: self._exported(job, p, n))
        job.failed.connect(lambda message: self._export_failed(job, message))
        return job

    def _exported(self, job: Export, path: str, n: int) -> None:
        self.exports.remove(job)
        self.window.statusBar().showMessage(tr("%1 rows written to %2", "Desk").replace("%1", f"{n:,}")
                                            .replace("%2", path), 15_000)

    def _export_failed(self, job: Export, message: str) -> None:
        self.exports.remove(job)
        self.window.statusBar().showMessage(tr("The export failed: %1", "Desk").replace("%1", message), 15_000)


def install(window: Any) -> DeskHook:
    return DeskHook(window)
