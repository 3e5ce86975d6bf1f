"""The main window: a thin shell — queue left, case right, actions in menus and the toolbar, status below.

It wires widgets to `Operations`; the rules live in the services, the drawing in the panels.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMainWindow, QSplitter, QToolButton, QVBoxLayout, QWidget

from mediator_app.domain.errors import Rejection, VersionConflict
from mediator_app.services import casework, presence, sweeper, workbench
from mediator_app.services.users import list_users
from mediator_app.services.workbench import CaseDetail
from mediator_app.ui.case_view import CaseView
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.dialogs.rule_dialog import RuleDialog, RuleDraft
from mediator_app.ui.dialogs.assign_dialog import AssignDialog
from mediator_app.ui.dialogs.text_dialog import TextDialog
from mediator_app.domain.time import OffsetClock
from mediator_app.services.changes import ALL
from mediator_app.services.context import DatabaseUnavailable
from mediator_app.ui.formatting import parse_iso, when_long
from mediator_app.ui.live_updates import LiveUpdates
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_panel import QueuePanel
from mediator_app.ui.ticker import Ticker

HEARTBEAT_MS = 15_000
SWEEP_EVERY_MS = 30_000
RENEW_WHEN_LEFT = timedelta(minutes=20)  # of the 30-minute lease
RETRY_FIRST_MS = 2_000
RETRY_MAX_MS = 30_000
#: command -> (menu text, shortcut, roles that may use it)
COMMANDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "NextCase": ("&Next case", "Ctrl+N", ("clerk", "supervisor")),
    "Claim": ("&Claim", "Ctrl+K", ("clerk", "supervisor")),
    "Release": ("Re&lease", "Ctrl+Shift+K", ("clerk", "supervisor")),
    "Propose": ("&Propose…", "Ctrl+P", ("clerk", "supervisor")),
    "Rule": ("&Rule…", "Ctrl+R", ("clerk", "supervisor")),
    "Approve": ("&Approve", "Ctrl+Shift+A", ("supervisor",)),
    "SendBack": ("&Send back…", "Ctrl+Shift+B", ("supervisor",)),
    "Assign": ("Assi&gn to…", "Ctrl+Shift+G", ("supervisor",)),
    "Note": ("N&ote…", "Ctrl+M", ("clerk", "supervisor")),
    "Refresh": ("Re&fresh", "F5", ("clerk", "supervisor", "auditor")),
}


@dataclass
class Drafts:
    """What the clerk typed per dispute; survives conflicts and reloads, dropped once sent."""

    propose: dict[str, ProposeDraft]
    rule: dict[str, RuleDraft]
    text: dict[tuple[str, str], str]


class MainWindow(QMainWindow):
    """Signals:
        case_shown(str): a case finished loading and is on screen
    """

    case_shown = Signal(str)

    def __init__(self, ops: Operations, database_label: str, simulated_clock: bool,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.ops = ops
        self.settings = settings or QSettings("Mediator", "Workstation")
        self.detail: CaseDetail | None = None
        self.drafts = Drafts({}, {}, {})
        self.setWindowTitle(self.tr("Mediator — %1 (%2)").replace("%1", ops.user).replace("%2", self.tr(ops.role)))

        self.ticker = Ticker(ops.clock, self)  # the one 1 Hz tick of every countdown in the window
        self.queue = QueuePanel(ops, self, ticker=self.ticker)
        self.case = CaseView(ops, self)
        self.banner = self._make_banner()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.presence_label = QLabel(self)
        self.presence_label.setObjectName("presenceLabel")
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

        self.actions_by_name: dict[str, QAction] = {}
        self._make_actions()
        self._make_status_bar(database_label, simulated_clock)

        self.connected = True  # until the live updates say otherwise
        self.live = LiveUpdates(ops, self)
        self.live.changed.connect(self._on_live_changed)
        self.live.connection_changed.connect(self._on_live_connection_changed)
        self.queue.case_selected.connect(self._on_queue_case_selected)
        self.ops.failed.connect(self._on_ops_failed)
        self.ops.busy_changed.connect(self._on_ops_busy_changed)
        self.ticker.tick.connect(self._on_tick_timeout)
        self.seat = f"{ops.ctx.workstation}/{uuid.uuid4().hex[:8]}"  # this window, for presence
        self.others: dict[str, list[str]] = {}
        self.heartbeat = QTimer(self)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self.sweep_timer = QTimer(self)
        self.sweep_timer.setInterval(SWEEP_EVERY_MS)
        self.sweep_timer.timeout.connect(self.sweep_now)
        self._sweeping = False
        self._update_actions()
        self._restore_layout()
        self._on_tick_timeout()

    # ----- building -------------------------------------------------------------------------------------

    def _make_banner(self) -> QFrame:
        banner = QFrame(self)
        banner.setObjectName("conflictBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setStyleSheet("#conflictBanner { background: #fff4ce; border: 1px solid #d8b600; }")
        layout = QHBoxLayout(banner)
        self.banner_text = QLabel(banner)
        self.banner_text.setObjectName("conflictText")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(banner)
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss the message"))
        close.setToolTip(self.tr("Dismiss the message"))
        close.clicked.connect(banner.hide)
        layout.addWidget(self.banner_text, 1)
        layout.addWidget(close)
        banner.hide()
        return banner

    def _make_actions(self) -> None:
        case_menu = self.menuBar().addMenu(self.tr("&Case"))
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        toolbar = self.addToolBar(self.tr("Actions"))
        toolbar.setObjectName("actionsToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        handlers: dict[str, Callable[[], None]] = {
            "NextCase": self.next_case, "Claim": self.claim, "Release": self.release, "Propose": self.propose,
            "Rule": self.rule, "Approve": self.approve, "SendBack": self.send_back, "Note": self.note,
            "Assign": self.assign,
            "Refresh": self.refresh,
        }
        for name, (text, shortcut, roles) in COMMANDS.items():
            action = QAction(self.tr(text), self)
            action.setObjectName(f"action{name}")
            action.setShortcut(QKeySequence(shortcut))
            plain = self.tr(text).replace("&", "").replace("…", "")
            action.setToolTip(f"{plain} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(handlers[name])
            allowed = self.ops.role in roles
            action.setVisible(allowed)
            self.actions_by_name[name] = action
            (view_menu if name == "Refresh" else case_menu).addAction(action)
            if name != "Refresh" and allowed:
                toolbar.addAction(action)
        sweep = QAction(self.tr("Run the &sweeper on this workstation"), self)
        sweep.setObjectName("actionSweep")
        sweep.setCheckable(True)
        sweep.setToolTip(self.tr("Execute expired party clocks from here every %1 s (exactly once, however many "
                                 "workstations do)").replace("%1", str(SWEEP_EVERY_MS // 1000)))
        sweep.setVisible(self.ops.role in ("clerk", "supervisor"))
        sweep.toggled.connect(self.set_background_sweep)
        view_menu.addAction(sweep)
        self.actions_by_name["Sweep"] = sweep
        find = QAction(self.tr("&Filter the queue"), self)
        find.setObjectName("actionFilter")
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.queue.focus_filter)
        view_menu.addAction(find)
        self.actions_by_name["Filter"] = find
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setObjectName("actionQuit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        case_menu.addSeparator()
        case_menu.addAction(quit_action)

    def _make_status_bar(self, database_label: str, simulated: bool) -> None:
        bar = self.statusBar()
        self.status_database = QLabel(self.tr("Database: %1").replace("%1", database_label), self)
        self.status_database.setObjectName("statusDatabase")
        self.status_user = QLabel(self.tr("%1 (%2)").replace("%1", self.ops.user).replace("%2", self.tr(self.ops.role)),
                                  self)
        self.status_connection = QLabel(self.tr("○ connecting…"), self)
        self.status_connection.setObjectName("statusConnection")
        self.status_clock = QLabel(self)
        self.status_clock.setObjectName("statusClock")
        self.simulated = simulated
        if simulated:
            self.status_clock.setStyleSheet("QLabel { background: #7a2e8e; color: white; padding: 0 6px; "
                                            "font-weight: bold; }")
        for widget in (self.status_database, self.status_user, self.status_connection):
            bar.addPermanentWidget(widget)
        bar.addPermanentWidget(self.status_clock)

    # ----- settings -------------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([700, 900])  # the queue's columns, then the case
        header = self.settings.value("queue/header")
        if header is not None:
            self.queue.table.horizontalHeader().restoreState(header)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("queue/header", self.queue.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_layout()
        self.ticker.stop()
        self.heartbeat.stop()
        self.sweep_timer.stop()
        self.live.stop()
        ctx, user, seat = self.ops.ctx, self.ops.user, self.seat
        self.ops.run(lambda: presence.leave(ctx, user, seat), quiet=True)
        self.ops.wait_for_idle(2_000)
        super().closeEvent(event)

    # ----- loading --------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the queue (and with it the first case) and listen for others' changes."""
        self.queue.reload()
        self.live.start()
        self.heartbeat.start()

    def _on_live_changed(self, ids: set[str]) -> None:
        """Another workstation (or the feed, or a sweeper) committed: refresh what shows those cases (the queue
        at most once a second, `QueuePanel.refresh_soon`)."""
        self.queue.refresh_soon()
        if self.detail is not None and (ALL in ids or self.detail.dispute_id in ids):
            self.open_case(self.detail.dispute_id)

    def _on_live_connection_changed(self, connected: bool) -> None:
        was_connected, self.connected = self.connected, connected
        if connected and not was_connected:
            self.refresh()  # catch up on whatever happened while the database was out of reach
        self.status_connection.setText(self.tr("● live") if connected else self.tr("○ reconnecting…"))
        self.status_connection.setToolTip(self.tr("Changes from other workstations arrive within a second")
                                          if connected else self.tr("The database is out of reach; retrying"))

    def open_case(self, dispute_id: str) -> None:
        self.ops.run(lambda: workbench.case_detail(self.ops.ctx, dispute_id), self._on_case_loaded)

    def _on_queue_case_selected(self, dispute_id: str) -> None:
        if self.detail is None or self.detail.dispute_id != dispute_id:
            self.banner.hide()
        self.open_case(dispute_id)

    def _on_case_loaded(self, detail: CaseDetail) -> None:
        selected = self.queue.selected_dispute()
        if selected is not None and selected != detail.dispute_id:
            return  # the clerk moved on while it loaded
        self.detail = detail
        opened_now = self.case.dispute_id() != detail.dispute_id
        self.case.show_case(detail, self.ops.clock.now())
        self._update_actions()
        if opened_now:
            self._on_heartbeat_timeout()
        self._show_presence()
        self.case_shown.emit(detail.dispute_id)

    def refresh(self) -> None:
        self.queue.reload()
        if self.detail is not None:
            self.open_case(self.detail.dispute_id)

    def _on_tick_timeout(self) -> None:
        now = self.ops.clock.now()
        text = when_long(now)
        self.status_clock.setText(self.tr("SIMULATED %1").replace("%1", text) if self.simulated else text)
        self.case.set_now(now)

    def _on_heartbeat_timeout(self) -> None:
        """Say which case this window has open, learn who else has which open, and renew our claim's lease."""
        ctx, user, seat = self.ops.ctx, self.ops.user, self.seat
        dispute_id = self.detail.dispute_id if self.detail else None
        self.ops.run(lambda: presence.heartbeat(ctx, user, seat, dispute_id), self._on_presence, lambda _e: None,
                     quiet=True)
        if isinstance(self.ops.clock, OffsetClock):  # keep the countdowns on the database's time
            self.ops.run(self.ops.clock.sync, None, lambda _e: None, quiet=True)
        self._renew_claim()

    def _on_presence(self, others: dict[str, list[str]]) -> None:
        self.others = others
        self.queue.model.set_open_elsewhere(others)
        self._show_presence()

    def _show_presence(self) -> None:
        names = self.others.get(self.detail.dispute_id, []) if self.detail else []
        self.presence_label.setText(self.tr("👁 Also open by: %1").replace("%1", ", ".join(names)))
        self.presence_label.setVisible(bool(names))

    def _renew_claim(self) -> None:
        """While this window has its own claimed case open, the lease is renewed before it runs low."""
        case = self.detail.case if self.detail else None
        if case is None or case["assigned_to"] != self.ops.user or not case.get("claim_expires_at"):
            return
        left = parse_iso(case["claim_expires_at"]) - self.ops.clock.now()  # type: ignore[operator]
        if left > RENEW_WHEN_LEFT:
            return
        ctx, user, dispute_id = self.ops.ctx, self.ops.user, case["dispute_id"]
        # never a take-over: if someone else holds it by now (reassigned), the renewal is refused
        self.ops.run(lambda: casework.claim(ctx, dispute_id, user, take_over=False),
                     lambda _r: self.open_case(dispute_id), lambda _e: None, quiet=True)

    def set_background_sweep(self, on: bool) -> None:
        """Run the sweeper from this workstation now and then every SWEEP_EVERY_MS (any number may)."""
        if on:
            self.sweep_timer.start()
            self.sweep_now()
        else:
            self.sweep_timer.stop()

    def sweep_now(self) -> None:
        if self._sweeping:
            return
        self._sweeping = True
        ctx = self.ops.ctx

        def done(executed: list[dict[str, Any]]) -> None:
            self._sweeping = False
            if executed:
                self.statusBar().showMessage(self.tr("Sweeper: %1 expired clocks executed")
                                             .replace("%1", str(len(executed))), 10_000)
                self.refresh()

        def failed(exc: Exception) -> None:
            self._sweeping = False
            self._on_ops_failed(str(exc))

        self.ops.run(lambda: sweeper.sweep(ctx), done, failed, quiet=True)

    def _on_ops_busy_changed(self, running: int) -> None:
        if running:
            self.statusBar().showMessage(self.tr("Working…"))
        else:
            self.statusBar().clearMessage()

    def _on_ops_failed(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Error: %1").replace("%1", message.splitlines()[0] if message else ""),
                                     10_000)

    # ----- actions --------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        case = self.detail.case if self.detail else None
        stage = case["stage"] if case else None
        deciding = stage in ("awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review")
        pending = case is not None and case["pending_approval"] is not None
        mine = case is not None and case["assigned_to"] == self.ops.user
        enabled = {
            "NextCase": True, "Refresh": True, "Filter": True,
            "Claim": case is not None and case["status"] == "open" and not mine,
            "Release": case is not None and case["assigned_to"] is not None,
            "Propose": deciding, "Rule": deciding,
            "Approve": pending and case is not None and case["pending_approval"]["by"] != self.ops.user,
            "SendBack": pending, "Note": case is not None,
            "Assign": case is not None and case["status"] == "open",
        }
        for name, action in self.actions_by_name.items():
            action.setEnabled(enabled.get(name, True))

    def _act(self, title: str, call: Callable[[int, str], Any], sent: Callable[[], None] | None = None) -> None:
        """Run one clerk action off the GUI thread with compare-and-set on the shown version.

        `call(version, key)` gets the version the clerk saw and the action's idempotency key. `sent` runs on
        the GUI thread once the action is applied (it drops the draft); on a conflict or a refusal the draft
        stays. When the database is out of reach the same action (same key) is sent again with backoff, so
        it is applied once however the lost attempt ended.
        """
        if self.detail is None:
            return
        dispute_id, version = self.detail.dispute_id, self.detail.version
        ctx = self.ops.ctx
        key = uuid.uuid4().hex
        delay = [RETRY_FIRST_MS]

        def work() -> CaseDetail:
            call(version, key)
            return workbench.case_detail(ctx, dispute_id)

        def done(detail: CaseDetail) -> None:
            self.banner.hide()
            self.statusBar().showMessage(self.tr("%1: done").replace("%1", title), 5000)
            if sent is not None:
                sent()
            self._on_case_loaded(detail)
            self.queue.reload()

        def failed(exc: Exception) -> None:
            if isinstance(exc, VersionConflict):
                self._show_conflict(dispute_id, exc)
            elif isinstance(exc, Rejection):
                self._show_banner(self.tr("%1 was refused: %2").replace("%1", title).replace("%2", exc.reason))
                self.open_case(dispute_id)
            elif isinstance(exc, DatabaseUnavailable):
                seconds = delay[0] // 1000
                self._on_live_connection_changed(False)
                self._show_banner(self.tr("The database is out of reach. Your %1 is kept and will be sent again "
                                          "in %2 s.").replace("%1", title.lower()).replace("%2", str(seconds)))
                QTimer.singleShot(delay[0], lambda: self.ops.run(work, done, failed))
                delay[0] = min(delay[0] * 2, RETRY_MAX_MS)
            else:
                self._show_banner(self.tr("%1 failed: %2").replace("%1", title).replace("%2", str(exc)))

        self.ops.run(work, done, failed)

    def _show_banner(self, text: str) -> None:
        self.banner_text.setText(text)
        self.banner.show()

    def _show_conflict(self, dispute_id: str, exc: VersionConflict) -> None:
        """Someone else changed the case: show the fresh case, say what changed, keep the draft."""
        def loaded(detail: CaseDetail) -> None:
            changes = [t for t in detail.case["timeline"] if t.get("version", 0) > exc.expected]
            lines = "".join(f"<li>{t['summary']}</li>" for t in changes[-5:])
            self._show_banner(self.tr("<b>This case changed while you were working on it</b> (version %1 → %2). "
                                      "Nothing was applied; your draft is kept — check the case and try again."
                                      "<ul>%3</ul>").replace("%1", str(exc.expected))
                              .replace("%2", str(detail.version)).replace("%3", lines))
            self._on_case_loaded(detail)
            self.queue.reload()

        self.ops.run(lambda: workbench.case_detail(self.ops.ctx, dispute_id), loaded)

    def _threshold(self) -> Any:
        assert self.detail is not None
        case = self.detail.case
        return workbench.four_eyes_threshold(case["policy"], case["order_total"]["currency"])

    def next_case(self) -> None:
        ctx, user, query = self.ops.ctx, self.ops.user, self.queue.model.query

        def done(result: casework.ActionResult | None) -> None:
            if result is None:
                self._show_banner(self.tr("Every case in this view is claimed."))
                return
            self.banner.hide()
            self.queue.reload(select=result.case["dispute_id"])

        self.ops.run(lambda: workbench.claim_next_in_view(ctx, user, query), done,
                     lambda exc: self._show_banner(str(exc)))

    def claim(self) -> None:
        dispute_id = self._id()
        self._act(self.tr("Claim"), lambda v, k: casework.claim(self.ops.ctx, dispute_id, self.ops.user, v, k))

    def release(self) -> None:
        dispute_id = self._id()
        self._act(self.tr("Release"), lambda v, k: casework.release(self.ops.ctx, dispute_id, self.ops.user, v, k))

    def _id(self) -> str:
        assert self.detail is not None
        return self.detail.dispute_id

    def propose(self) -> None:
        if self.detail is None:
            return
        dispute_id = self.detail.dispute_id
        draft = ProposeDialog.ask(self, self.detail.case, self.drafts.propose.get(dispute_id, ProposeDraft()),
                                  self._threshold())
        if draft is None:
            return
        self.drafts.propose[dispute_id] = draft
        ctx, user = self.ops.ctx, self.ops.user

        def call(version: int, key: str) -> None:
            casework.propose(ctx, dispute_id, user, draft.remedy,
                             draft.amount if draft.remedy != "no_refund" else None,
                             draft.return_shipping_paid_by if draft.remedy == "return_and_refund" else None,
                             draft.note or None, expect_version=version, key=key)

        self._act(self.tr("Proposal"), call, lambda: self.drafts.propose.pop(dispute_id, None))

    def rule(self) -> None:
        if self.detail is None:
            return
        dispute_id = self.detail.dispute_id
        draft = RuleDialog.ask(self, self.detail.case, self.drafts.rule.get(dispute_id, RuleDraft()),
                               self._threshold())
        if draft is None:
            return
        self.drafts.rule[dispute_id] = draft
        ctx, user = self.ops.ctx, self.ops.user

        def call(version: int, key: str) -> None:
            casework.rule(ctx, dispute_id, user, draft.adopt, draft.note or None, expect_version=version, key=key)

        self._act(self.tr("Ruling"), call, lambda: self.drafts.rule.pop(dispute_id, None))

    def approve(self) -> None:
        dispute_id = self._id()
        self._act(self.tr("Approval"), lambda v, k: casework.approve(self.ops.ctx, dispute_id, self.ops.user, v, k))

    def assign(self) -> None:
        """A supervisor hands the open case to another clerk."""
        if self.detail is None:
            return
        dispute_id = self.detail.dispute_id
        ctx, user = self.ops.ctx, self.ops.user

        def chosen(users: list[tuple[str, str]]) -> None:
            names = [name for name, role in users if role in ("clerk", "supervisor") and name != user]
            target = AssignDialog.ask(self, dispute_id, names)
            if target is not None:
                self._act(self.tr("Assignment"),
                          lambda v, k: casework.assign(ctx, dispute_id, user, target, v, k))

        self.ops.run(lambda: list_users(ctx), chosen)

    def send_back(self) -> None:
        self._ask_text("send-back", self.tr("Send back"), self.tr("Why is it sent back?"),
                       lambda d, text, v, k: casework.send_back(self.ops.ctx, d, self.ops.user, text, v, k))

    def note(self) -> None:
        self._ask_text("note", self.tr("Internal note"), self.tr("Note for the case file (not shown to the parties):"),
                       lambda d, text, v, k: casework.note(self.ops.ctx, d, self.ops.user, text, v, k))

    def _ask_text(self, kind: str, title: str, prompt: str, send: Callable[[str, str, int, str], Any]) -> None:
        if self.detail is None:
            return
        dispute_id = self.detail.dispute_id
        key = (dispute_id, kind)
        text = TextDialog.ask(self, title, prompt, self.drafts.text.get(key, ""))
        if text is None:
            return
        self.drafts.text[key] = text
        self._act(title, lambda version, action_key: send(dispute_id, text, version, action_key),
                  lambda: self.drafts.text.pop(key, None))

