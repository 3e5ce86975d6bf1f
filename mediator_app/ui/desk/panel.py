"""The supervisor's desk: the dashboard beside the approval inbox, the workload table and the audit browser."""
from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from mediator_app.domain.desk_rows import DeskFigures
from mediator_app.services.outbox import LAG_WARNING_DEFAULT
from mediator_app.ui.desk.approvals import ApprovalInbox
from mediator_app.ui.desk.audit import AuditPanel
from mediator_app.ui.desk.dashboard import DashboardView
from mediator_app.ui.desk.workload import WorkloadPanel
from mediator_app.ui.formatting import tr
from mediator_app.ui.operations import Operations

INBOX, WORKLOAD, AUDIT = range(3)


class SupervisorDesk(QWidget):
    """Signals:
        open_view(str): show the queue with this view (a chart's bar, a workload row)
        open_case(str): show this case (inbox, audit)
        changed(): something was decided or moved here (the queue reloads)
    """

    open_view = Signal(str)
    open_case = Signal(str)
    changed = Signal()

    def __init__(self, ops: Operations, parent: QWidget | None = None, lag_warning: int = LAG_WARNING_DEFAULT) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorDesk")
        self.ops = ops
        self.dashboard = DashboardView(ops, self, lag_warning=lag_warning)
        self.inbox = ApprovalInbox(ops, self)
        self.workload = WorkloadPanel(ops, self)
        self.audit = AuditPanel(ops, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("deskTabs")
        self.tabs.addTab(self.inbox, tr("&Approvals", "Desk"))
        self.tabs.addTab(self.workload, tr("&Workload", "Desk"))
        self.tabs.addTab(self.audit, tr("Au&dit trail", "Desk"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("deskSplitter")
        self.splitter.addWidget(self.dashboard)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([1000, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.dashboard.open_view.connect(self.open_view)
        self.dashboard.loaded.connect(self._on_figures)
        self.workload.open_view.connect(self.open_view)
        self.workload.moved.connect(lambda _s: self._on_changed())
        self.inbox.decided.connect(lambda _d: self._on_changed())
        self.inbox.open_case.connect(self.open_case)
        self.audit.open_case.connect(self.open_case)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._loaded = False
        self._audit_loaded = False

    def load(self) -> None:
        """The first time the desk is shown: read everything (later, live updates fold into reloads)."""
        self._loaded = True
        self.dashboard.reload()
        self.inbox.reload()
        self._on_tab_changed(self.tabs.currentIndex())

    def _on_tab_changed(self, index: int) -> None:
        """The audit trail is read the first time its tab is shown (its count spans every history row)."""
        if index == AUDIT and self._loaded and not self._audit_loaded:
            self._audit_loaded = True
            self.audit.apply()

    def reload(self) -> None:
        self.dashboard.reload()
        self.inbox.reload()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def refresh_soon(self) -> None:
        """Disputes changed elsewhere: the figures and the inbox reload, folded (at most every 3 s each)."""
        if self._loaded:
            self.dashboard.refresh_soon()
            self.inbox.refresh_soon()

    def _on_figures(self, figures: DeskFigures) -> None:
        self.workload.show_figures(figures)

    def _on_changed(self) -> None:
        self.dashboard.reload()
        self.changed.emit()
