"""The main window: a thin shell — queue left, case right, actions in menus and the toolbar, status below.

It composes: `commands` (the QActions and their enabling from `domain.permissions`), `case_actions` (the
runner of a clerk's decisions), `session` (presence, lease, clock offset, sweeper), `messages` (banner and
status bar), the queue panel, the case view and the live updates. The rules live in the domain, the use cases
in the services (`Operations.services`), the drawing in the panels.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from mediator_app.domain.permissions import Actor, allowed_actions
from mediator_app.services.changes import ALL
from mediator_app.services.workbench import CaseDetail
from mediator_app.ui import window_layout
from mediator_app.ui.case_actions import CaseActions
from mediator_app.ui.case_view import CaseView
from mediator_app.ui.commands import Commands
from mediator_app.ui.desk import install as install_desk
from mediator_app.ui.audit_check import install as install_audit_check
from mediator_app.ui.formatting import ROLES, label, tr, when, when_long
from mediator_app.ui.live_updates import LiveUpdates
from mediator_app.ui.messages import Messages
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_panel import QueuePanel
from mediator_app.ui.session import SWEEP_EVERY_MS, Session
from mediator_app.ui.ticker import Ticker

SWEEP_SETTING = "sweeper/background"  # on the embedded database: run the sweeper here (default True)


class MainWindow(QMainWindow):
    """Signals:
        case_shown(str): a case finished loading and is on screen
        language_chosen(str): the clerk chose a language in Settings → Language (`zh_CN`, `en`)
        replaced(MainWindow): the window rebuilt in that language, with the same case open
    """

    case_shown = Signal(str)
    language_chosen = Signal(str)  # Settings → Language: the composition root rebuilds the window in it
    replaced = Signal(object)  # the window built in the chosen language, which took this one's place

    def __init__(self, ops: Operations, database_label: str, simulated_clock: bool,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.ops = ops
        self.actor = Actor(ops.user, ops.role)
        self.settings = settings or QSettings("Mediator", "Workstation")
        self.detail: CaseDetail | None = None
        self.setWindowTitle(self.tr("Mediator — %1 (%2)").replace("%1", ops.user).replace("%2", label(ROLES, ops.role)))

        self.messages = Messages(self)
        self.banner, self.banner_text = self.messages.banner, self.messages.banner_text
        self.ticker = Ticker(ops.clock, self)  # the one 1 Hz tick of every countdown in the window
        self.queue = QueuePanel(ops, self, ticker=self.ticker)
        self.case = CaseView(ops, self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.presence_label = QLabel(self)
        self.presence_label.setObjectName("presenceLabel")
        self.presence_label.setTextFormat(Qt.TextFormat.PlainText)
        self.presence_label.setStyleSheet("QLabel { color: #1d4f91; padding: 2px 4px; }")
        self.presence_label.hide()
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.presence_label)
        right_layout.addWidget(self.case, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self.case_actions = CaseActions(ops, self.messages, self, lambda: self.detail, lambda: self.queue.model.query)
        self.drafts = self.case_actions.drafts
        self.session = Session(ops, self)
        run = self.case_actions
        self.commands = Commands(self, ops.role, {
            "NextCase": run.next_case, "Claim": run.claim, "Release": run.release, "Propose": run.propose,
            "Rule": run.rule, "Approve": run.approve, "SendBack": run.send_back, "Note": run.note,
            "Assign": run.assign, "Refresh": self.refresh, "Sweep": self.set_background_sweep,
            "Filter": self.queue.focus_filter, "Quit": self.close, "Language": self.language_chosen.emit,
        }, SWEEP_EVERY_MS // 1000)
        self.actions_by_name = self.commands.actions_by_name
        self._make_status_bar(database_label, simulated_clock)

        self.connected = True  # until the live updates say otherwise
        self.live = LiveUpdates(ops, self)
        self.live.changed.connect(self._on_live_changed)
        self.live.connection_changed.connect(self.set_connected)
        self.queue.case_selected.connect(self._on_queue_case_selected)
        self.ops.failed.connect(self.messages.error)
        self.ops.busy_changed.connect(self.messages.busy)
        run.case_changed.connect(self._on_case_changed)
        run.reopen.connect(self.open_case)
        run.claimed_next.connect(lambda dispute_id: self.queue.reload(select=dispute_id))
        run.connection_lost.connect(lambda: self.set_connected(False))
        self.session.others_changed.connect(self._on_others_changed)
        self.session.lease_renewed.connect(self.open_case)
        self.session.swept.connect(self._on_swept)
        self.session.failed.connect(self.messages.error)
        self.ticker.tick.connect(self.on_tick)
        self.desk = install_desk(self)  # the supervisor's desk, its actions and the queue's multi-select
        install_audit_check(self)  # Tools → Verify audit trail (§7.3)
        self.update_actions()
        self._split_pending = not window_layout.restore(self.settings, self, self.splitter,
                                                        self.queue.table.horizontalHeader())
        self.on_tick()

    def _make_status_bar(self, database_label: str, simulated: bool) -> None:
        bar = self.statusBar()
        self.status_database = QLabel(self.tr("Database: %1").replace("%1", database_label), self)
        self.status_database.setObjectName("statusDatabase")
        self.status_user = QLabel(tr("Signed in as %1 (%2)").replace("%1", self.ops.user)
                                  .replace("%2", label(ROLES, self.ops.role)), self)
        self.status_user.setObjectName("statusUser")
        self.status_connection = QLabel(self.tr("○ connecting…"), self)
        self.status_connection.setObjectName("statusConnection")
        self.status_sweeper = QLabel(self)
        self.status_sweeper.setObjectName("statusSweeper")
        self.status_sweeper.hide()
        self.status_clock = QLabel(self)
        self.status_clock.setObjectName("statusClock")
        self.simulated = simulated
        if simulated:
            self.status_clock.setStyleSheet("QLabel { background: #7a2e8e; color: white; padding: 0 6px; "
                                            "font-weight: bold; }")
        for widget in (self.status_database, self.status_user, self.status_connection, self.status_sweeper,
                       self.status_clock):
            bar.addPermanentWidget(widget)

    # ----- settings -------------------------------------------------------------------------------------

    def save_layout(self) -> None:
        window_layout.save(self.settings, self, self.splitter, self.queue.table.horizontalHeader())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._split_pending:  # no saved position: the first one, for the size the window has now
            self._split_pending = False
            queue = window_layout.first_split(self.splitter, self.queue.wanted_width())
            self.queue.fit_first_columns(queue)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_layout()
        self.ticker.stop()
        self.live.stop()
        self.session.stop()
        self.ops.wait_for_idle(2_000)
        super().closeEvent(event)

    # ----- loading --------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the queue (and with it the first case) and listen for others' changes."""
        self.queue.reload()
        self.live.start()
        self.session.start()
        sweep = self.actions_by_name["Sweep"]
        if sweep.isVisible() and self.session.sweeps_by_default and self.settings.value(SWEEP_SETTING, True, bool):
            sweep.setChecked(True)

    def set_background_sweep(self, on: bool) -> None:
        """View → Run the sweeper: on or off (on the embedded database the choice is kept: it is the default)."""
        if self.session.sweeps_by_default:
            self.settings.setValue(SWEEP_SETTING, on)
        self.status_sweeper.setText(self.tr("Sweeper on: first run…"))
        self.status_sweeper.setToolTip(self.tr("This workstation executes expired party clocks every %1 s")
                                       .replace("%1", str(SWEEP_EVERY_MS // 1000)))
        self.status_sweeper.setVisible(on)
        self.session.set_background_sweep(on)

    def _on_live_changed(self, ids: set[str]) -> None:
        """Another workstation (or the feed, or a sweeper) committed: refresh what shows those cases (the queue
        at most once a second, `QueuePanel.refresh_soon`)."""
        self.queue.refresh_soon()
        if self.detail is not None and (ALL in ids or self.detail.dispute_id in ids):
            self.open_case(self.detail.dispute_id)

    def set_connected(self, connected: bool) -> None:
        """The database is in reach or not (the live updates, or an action that found it gone)."""
        was_connected, self.connected = self.connected, connected
        if connected and not was_connected:
            self.refresh()  # catch up on whatever happened while the database was out of reach
        self.status_connection.setText(self.tr("● live") if connected else self.tr("○ reconnecting…"))
        self.status_connection.setToolTip(self.tr("Changes from other workstations arrive within a second")
                                          if connected else self.tr("The database is out of reach; retrying"))

    def open_case(self, dispute_id: str) -> None:
        services = self.ops.services
        self.ops.run(lambda: services.case_detail(dispute_id), self._on_case_loaded, owner=self)

    def _on_queue_case_selected(self, dispute_id: str) -> None:
        if self.detail is None or self.detail.dispute_id != dispute_id:
            self.messages.hide_banner()
        self.open_case(dispute_id)

    def _on_case_changed(self, detail: CaseDetail) -> None:
        self._on_case_loaded(detail)
        self.queue.reload()

    def _on_case_loaded(self, detail: CaseDetail) -> None:
        selected = self.queue.selected_dispute()
        if selected is not None and selected != detail.dispute_id:
            return  # the clerk moved on while it loaded
        self.detail = detail
        self.case.show_case(detail, self.ops.clock.now())
        self.update_actions()
        self.session.case_shown(detail)
        self._show_presence()
        self.case_shown.emit(detail.dispute_id)

    def refresh(self) -> None:
        self.queue.reload()
        if self.detail is not None:
            self.open_case(self.detail.dispute_id)

    def on_tick(self) -> None:
        """Once a second: the status bar's clock, the countdowns, and the commands (a lease may have lapsed)."""
        now = self.ops.clock.now()
        text = when_long(now)
        self.status_clock.setText(self.tr("SIMULATED %1").replace("%1", text) if self.simulated else text)
        self.case.set_now(now)
        self.update_actions()

    def update_actions(self) -> None:
        """Enable exactly the commands the domain allows this user on the open case now."""
        facts = self.detail.facts if self.detail is not None else None
        self.commands.enable(allowed_actions(facts, self.actor, self.ops.clock.now()))

    def _on_others_changed(self, others: dict[str, list[str]]) -> None:
        self.queue.model.set_open_elsewhere(others)
        self._show_presence()

    def _show_presence(self) -> None:
        names = self.session.others.get(self.detail.dispute_id, []) if self.detail else []
        self.presence_label.setText(self.tr("👁 Also open by: %1").replace("%1", ", ".join(names)))
        self.presence_label.setVisible(bool(names))

    def _on_swept(self, executed: int) -> None:
        self.status_sweeper.setText(self.tr("Sweeper %1 · %2 executed").replace("%1", when(self.ops.clock.now()))
                                    .replace("%2", str(executed)))
        if executed:
            self.messages.status(self.tr("Sweeper: %1 expired clocks executed").replace("%1", str(executed)))
            self.refresh()
