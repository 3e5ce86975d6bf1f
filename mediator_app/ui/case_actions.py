"""The runner of a clerk's decisions: ask (dialogs, drafts kept), send with the shown version and an
idempotency key, and on the way back: applied, refused, conflicted, or the database out of reach (then the
same action, same key, again with backoff — applied once however the lost attempt ended).

Everything runs through `Operations` with this object as the owner, and every retry timer is this object's
child: once the window is gone nothing fires or reports back.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from mediator_app.domain.errors import Rejection, VersionConflict
from mediator_app.domain.holding import may_hold
from mediator_app.domain.money import Money
from mediator_app.services.casework import ActionResult
from mediator_app.services.context import CaseBusy, DatabaseUnavailable
from mediator_app.services.workbench import CaseDetail, QueueQuery, four_eyes_threshold
from mediator_app.ui.dialogs.assign_dialog import AssignDialog
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.dialogs.rule_dialog import RuleDialog, RuleDraft
from mediator_app.ui.dialogs.text_dialog import TextDialog
from mediator_app.ui.messages import Messages, marked_list
from mediator_app.ui.operations import Operations
from mediator_app.ui.phrasebook import phrase

RETRY_FIRST_MS = 2_000
RETRY_MAX_MS = 30_000


@dataclass
class Drafts:
    """What the clerk typed per dispute; survives conflicts and reloads, dropped once sent."""

    propose: dict[str, ProposeDraft] = field(default_factory=dict)
    rule: dict[str, RuleDraft] = field(default_factory=dict)
    text: dict[tuple[str, str], str] = field(default_factory=dict)


class CaseActions(QObject):
    """Signals:
        case_changed(object): the case after an action or a conflict (a CaseDetail): show it, reload the queue
        reopen(str): an action was refused: load that case again
        claimed_next(str): "Next case" claimed this dispute: select it
        connection_lost(): an action found the database out of reach (it will be sent again)
        answered(str): the action of this title has its answer on screen (applied, refused, conflicted, failed)
    """

    case_changed = Signal(object)
    reopen = Signal(str)
    claimed_next = Signal(str)
    connection_lost = Signal()
    answered = Signal(str)

    def __init__(self, ops: Operations, messages: Messages, window: QWidget,
                 current: Callable[[], CaseDetail | None], query: Callable[[], QueueQuery],
                 retry_first_ms: int = RETRY_FIRST_MS, retry_max_ms: int = RETRY_MAX_MS) -> None:
        super().__init__(window)
        self.ops, self.messages, self.window = ops, messages, window
        self.current, self.query = current, query
        self.drafts = Drafts()
        #: the backoff between attempts while the database is out of reach (tests inject a short one)
        self.retry_first_ms, self.retry_max_ms = retry_first_ms, retry_max_ms

    # ----- the runner -------------------------------------------------------------------------------------

    def act(self, title: str, call: Callable[[int, str], Any], sent: Callable[[], object] | None = None) -> None:
        """Run one action on the open case off the GUI thread, compare-and-set on the shown version.

        `call(version, key)` gets the version the clerk saw and the action's idempotency key; `sent` runs on
        the GUI thread once it is applied (it drops the draft); on a conflict or a refusal the draft stays."""
        detail = self.current()
        if detail is None:
            return
        dispute_id, version, services = detail.dispute_id, detail.version, self.ops.services
        key = uuid.uuid4().hex
        delay = [self.retry_first_ms]

        def work() -> CaseDetail:
            call(version, key)
            return services.case_detail(dispute_id)

        def done(fresh: CaseDetail) -> None:
            self.messages.hide_banner()
            self.messages.status(self.tr("%1: done").replace("%1", title), 5000)
            if sent is not None:
                sent()
            self.case_changed.emit(fresh)
            self.answered.emit(title)

        def failed(exc: Exception) -> None:
            if isinstance(exc, VersionConflict):
                self._show_conflict(title, dispute_id, exc)
            elif isinstance(exc, Rejection):
                self.messages.say(self.tr("%1 was refused: %2").replace("%1", title).replace("%2", phrase(exc.reason)))
                self.reopen.emit(dispute_id)
                self.answered.emit(title)
            elif isinstance(exc, DatabaseUnavailable):
                self.connection_lost.emit()
                why = phrase(str(exc)) if isinstance(exc, CaseBusy) else self.tr("The database is out of reach.")
                self.messages.say(self.tr("%3 Your %1 is kept and will be sent again in %2 s.")
                                  .replace("%1", title.lower()).replace("%2", f"{delay[0] / 1000:g}")
                                  .replace("%3", why))
                self._later(delay[0], lambda: self.ops.run(work, done, failed, owner=self))
                delay[0] = min(delay[0] * 2, self.retry_max_ms)
            else:
                self.messages.say(self.tr("%1 failed: %2").replace("%1", title).replace("%2", phrase(str(exc))))
                self.answered.emit(title)

        self.ops.run(work, done, failed, owner=self)

    def _later(self, msecs: int, call: Callable[[], None]) -> None:
        """`call` after `msecs`, unless this object (the window) is gone by then: the timer is our child."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(call)
        timer.timeout.connect(timer.deleteLater)
        timer.start(msecs)

    def _show_conflict(self, title: str, dispute_id: str, exc: VersionConflict) -> None:
        """Someone else changed the case: show the fresh case, say what changed, keep the draft."""
        def loaded(detail: CaseDetail) -> None:
            changes = [phrase(t.summary) for t in detail.timeline if t.version > exc.expected]
            self.messages.say_marked(
                self.tr("<b>This case changed while you were working on it</b> (version %1 → %2). Nothing was "
                        "applied; your draft is kept — check the case and try again.%3"),
                str(exc.expected), str(detail.version), markup=[marked_list(changes[-5:])])
            self.case_changed.emit(detail)
            self.answered.emit(title)

        services = self.ops.services
        self.ops.run(lambda: services.case_detail(dispute_id), loaded, owner=self)

    # ----- the commands -----------------------------------------------------------------------------------

    def next_case(self) -> None:
        services, user, query = self.ops.services, self.ops.user, self.query()

        def done(result: ActionResult | None) -> None:
            if result is None:
                self.messages.say(self.tr("Every case in this view is claimed."))
                return
            self.messages.hide_banner()
            self.claimed_next.emit(result.dispute_id)

        self.ops.run(lambda: services.claim_next_in_view(user, query), done,
                     lambda exc: self.messages.say(phrase(str(exc))), owner=self)

    def _simple(self, title: str, name: str) -> None:
        detail = self.current()
        if detail is None:
            return
        dispute_id, user, call = detail.dispute_id, self.ops.user, getattr(self.ops.services, name)
        self.act(title, lambda v, k: call(dispute_id, user, v, k))

    def claim(self) -> None:
        self._simple(self.tr("Claim"), "claim")

    def release(self) -> None:
        self._simple(self.tr("Release"), "release")

    def approve(self) -> None:
        self._simple(self.tr("Approval"), "approve")

    def _threshold(self, detail: CaseDetail) -> Money | None:
        return four_eyes_threshold(detail.view.policy, detail.view.order_total.currency)

    def propose(self) -> None:
        detail = self.current()
        if detail is None:
            return
        dispute_id = detail.dispute_id
        draft = ProposeDialog.ask(self.window, detail.view, self.drafts.propose.get(dispute_id, ProposeDraft()),
                                  self._threshold(detail))
        if draft is None:
            return
        self.drafts.propose[dispute_id] = draft
        services, user = self.ops.services, self.ops.user

        def call(version: int, key: str) -> None:
            services.propose(dispute_id, user, draft.remedy, draft.amount if draft.remedy != "no_refund" else None,
                             draft.return_shipping_paid_by if draft.remedy == "return_and_refund" else None,
                             draft.note or None, expect_version=version, key=key)

        self.act(self.tr("Proposal"), call, lambda: self.drafts.propose.pop(dispute_id, None))

    def rule(self) -> None:
        detail = self.current()
        if detail is None:
            return
        dispute_id = detail.dispute_id
        draft = RuleDialog.ask(self.window, detail.view, self.drafts.rule.get(dispute_id, RuleDraft()),
                               self._threshold(detail))
        if draft is None:
            return
        self.drafts.rule[dispute_id] = draft
        services, user = self.ops.services, self.ops.user
        self.act(self.tr("Ruling"),
                 lambda v, k: services.rule(dispute_id, user, draft.adopt, draft.note or None, expect_version=v, key=k),
                 lambda: self.drafts.rule.pop(dispute_id, None))

    def assign(self) -> None:
        """A supervisor hands the open case to another clerk."""
        detail = self.current()
        if detail is None:
            return
        dispute_id, services, user = detail.dispute_id, self.ops.services, self.ops.user

        def chosen(users: list[tuple[str, str]]) -> None:
            names = [name for name, role in users if may_hold(role) and name != user]
            target = AssignDialog.ask(self.window, dispute_id, names)
            if target is not None:
                self.act(self.tr("Assignment"), lambda v, k: services.assign(dispute_id, user, target, v, k))

        self.ops.run(services.users, chosen, owner=self)

    def send_back(self) -> None:
        services, user = self.ops.services, self.ops.user
        self._ask_text("send-back", self.tr("Send back"), self.tr("Why is it sent back?"),
                       lambda d, text, v, k: services.send_back(d, user, text, v, k))

    def note(self) -> None:
        services, user = self.ops.services, self.ops.user
        self._ask_text("note", self.tr("Internal note"), self.tr("Note for the case file (not shown to the parties):"),
                       lambda d, text, v, k: services.note(d, user, text, v, k))

    def _ask_text(self, kind: str, title: str, prompt: str, send: Callable[[str, str, int, str], Any]) -> None:
        detail = self.current()
        if detail is None:
            return
        dispute_id = detail.dispute_id
        key = (dispute_id, kind)
        text = TextDialog.ask(self.window, title, prompt, self.drafts.text.get(key, ""))
        if text is None:
            return
        self.drafts.text[key] = text
        self.act(title, lambda version, action_key: send(dispute_id, text, version, action_key),
                 lambda: self.drafts.text.pop(key, None))
