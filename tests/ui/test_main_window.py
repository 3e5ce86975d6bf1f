"""The workstation window driven like a clerk would, through widget methods and signals (no sleeps).

After an action a test waits for `case_actions.answered` (that action's own answer is on screen), not for the
next `case_shown`, which a live update's reload may emit first."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.dialogs.rule_dialog import RuleDialog, RuleDraft, consequence
from mediator_app.ui.dialogs.text_dialog import TextDialog
from mediator_app.ui.main_window import MainWindow
from tests.feeds import T0, event, opened


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def cases(ctx: Context) -> Context:
    """Three open disputes: D-1 most urgent (opened first), D-2 with a seller counter, D-3 large."""
    ingest_events(ctx, [
        opened("D-1", T0),
        opened("D-2", T0 + timedelta(hours=1)),
        event("D-2", "proposal.posted", T0 + timedelta(hours=2), "E-D-2-s1", party="seller",
              proposal={"proposal_id": "P-D-2-S1", "remedy": "refund", "refund": {"amount": "20.00", "currency": "USD"}}),
        opened("D-3", T0 + timedelta(hours=3), total="900.00"),
    ])
    return ctx


def make_window(qtbot: QtBot, ctx: Context, user: str, clock: FixedClock, settings: QSettings) -> MainWindow:
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), user, clock, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "D-1" in window.queue.ordered_ids(), timeout=10_000)
    open_case(qtbot, window, "D-1")
    return window


def open_case(qtbot: QtBot, window: MainWindow, dispute_id: str) -> None:
    if window.detail is not None and window.detail.dispute_id == dispute_id:
        return
    qtbot.waitUntil(lambda: dispute_id in window.queue.ordered_ids(), timeout=10_000)
    window.queue.select_dispute(dispute_id)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == dispute_id, timeout=10_000)


def test_actions_follow_the_role(qtbot: QtBot, cases: Context, clock: FixedClock, settings: QSettings) -> None:
    clerk = make_window(qtbot, cases, "alice", clock, settings)
    assert clerk.actions_by_name["Propose"].isVisible()
    assert not clerk.actions_by_name["Approve"].isVisible()
    auditor = make_window(qtbot, cases, "dora", clock, settings)
    for name in ("Propose", "Rule", "Claim", "Release", "Note", "NextCase", "Approve", "SendBack"):
        assert not auditor.actions_by_name[name].isVisible(), name
    assert auditor.actions_by_name["Refresh"].isVisible()


def test_every_command_has_a_named_action_with_a_shortcut(qtbot: QtBot, cases: Context, clock: FixedClock,
                                                          settings: QSettings) -> None:
    window = make_window(qtbot, cases, "bob", clock, settings)
    for name in ("Propose", "Rule", "Claim", "Release", "Approve", "SendBack", "Note", "NextCase", "Refresh"):
        action = window.findChild(type(window.actions_by_name[name]), f"action{name}")
        assert action is not None, name
        assert not action.shortcut().isEmpty(), name
        assert action.shortcut().toString() in action.toolTip()
    assert window.findChild(QTableView, "queueView") is not None
    for name in ("caseView", "buyerPane", "sellerPane", "platformPane", "clocksView", "timelineView"):
        assert window.findChild(object, name) is not None, name


def test_ctrl_f_focuses_the_filter(qtbot: QtBot, cases: Context, clock: FixedClock, settings: QSettings) -> None:
    window = make_window(qtbot, cases, "alice", clock, settings)
    window.show()
    qtbot.waitExposed(window)
    window.actions_by_name["Filter"].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.findChild(QLineEdit, "filterEdit"))


def test_claim_and_note_change_the_database_like_the_cli(qtbot: QtBot, cases: Context, clock: FixedClock,
                                                         settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(qtbot, cases, "alice", clock, settings)
    with qtbot.waitSignal(window.case_actions.answered, timeout=10_000):
        window.actions_by_name["Claim"].trigger()
    assert reading.show(cases, "D-1")["assigned_to"] == "alice"
    assert window.detail is not None and window.detail.case["assigned_to"] == "alice"

    monkeypatch.setattr(TextDialog, "ask", classmethod(lambda cls, parent, title, prompt, text="": "called the seller"))
    with qtbot.waitSignal(window.case_actions.answered, timeout=10_000):
        window.actions_by_name["Note"].trigger()
    timeline = reading.show(cases, "D-1")["timeline"]
    assert timeline[-1]["kind"] == "note.added" and "called the seller" in timeline[-1]["summary"]


def test_propose_posts_the_platform_proposal(qtbot: QtBot, cases: Context, clock: FixedClock, settings: QSettings,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(qtbot, cases, "alice", clock, settings)
    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "40.00", "buyer", "half")))
    with qtbot.waitSignal(window.case_actions.answered, timeout=10_000):
        window.actions_by_name["Propose"].trigger()
    case = reading.show(cases, "D-1")
    assert case["stage"] == "awaiting_parties"
    assert case["proposals"]["platform"]["refund"] == {"amount": "40.00", "currency": "USD"}
    assert "D-1" not in window.drafts.propose


def test_a_version_conflict_shows_the_fresh_case_and_keeps_the_draft(
        qtbot: QtBot, cases: Context, clock: FixedClock, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(qtbot, cases, "alice", clock, settings)
    shown_version = window.detail.version  # type: ignore[union-attr]
    casework.note(cases, "D-1", "carol", "I looked at it too")  # someone else changes the case meanwhile
    draft = ProposeDraft("refund", "30.00", "buyer", "my careful wording")
    asked: list[ProposeDraft] = []

    def ask(cls: Any, parent: Any, case: dict, given: ProposeDraft, threshold: Any) -> ProposeDraft:
        asked.append(given)
        return draft

    monkeypatch.setattr(ProposeDialog, "ask", classmethod(ask))
    with qtbot.waitSignal(window.case_actions.answered, timeout=10_000):
        window.actions_by_name["Propose"].trigger()
    case = reading.show(cases, "D-1")
    assert case["proposals"]["platform"] is None, "nothing applied"
    assert window.detail.version == shown_version + 1  # type: ignore[union-attr]
    assert window.banner.isVisibleTo(window)
    assert "I looked at it too" in window.banner_text.text()
    assert window.drafts.propose["D-1"] == draft
    window.actions_by_name["Propose"].trigger()  # the dialog comes back with the draft
    qtbot.waitUntil(lambda: reading.show(cases, "D-1")["proposals"]["platform"] is not None, timeout=10_000)
    assert asked[-1] == draft


def test_rule_confirmation_says_what_executes_and_about_four_eyes(cases: Context) -> None:
    case, _timeline = reading.show_view(cases, "D-3")
    threshold = __import__("mediator_app.services.workbench", fromlist=["x"]).four_eyes_threshold(
        case.policy, "USD")
    text = consequence(case, "buyer", threshold)
    assert "900.00 USD" in text and "supervisor must approve" in text
    small = consequence(reading.show_view(cases, "D-2")[0], "seller", threshold)
    assert "20.00 USD" in small and "supervisor" not in small


def test_four_eyes_ruling_waits_and_a_supervisor_approves(qtbot: QtBot, cases: Context, clock: FixedClock,
                                                          settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    clerk = make_window(qtbot, cases, "alice", clock, settings)
    open_case(qtbot, clerk, "D-3")
    monkeypatch.setattr(RuleDialog, "ask", classmethod(lambda cls, parent, case, draft, threshold:
                                                       RuleDraft("buyer", "full refund")))
    with qtbot.waitSignal(clerk.case_actions.answered, timeout=10_000):
        clerk.actions_by_name["Rule"].trigger()
    assert reading.show(cases, "D-3")["stage"] == "pending_approval"

    supervisor = make_window(qtbot, cases, "bob", clock, settings)
    open_case(qtbot, supervisor, "D-3")
    assert supervisor.actions_by_name["Approve"].isEnabled()
    with qtbot.waitSignal(supervisor.case_actions.answered, timeout=10_000):
        supervisor.actions_by_name["Approve"].trigger()
    outcome = reading.show(cases, "D-3")["outcome"]
    assert outcome["reached_type"] == "platform_arbitrate" and outcome["adopted"] == "buyer"


def test_simulated_clock_is_shown_unmistakably(qtbot: QtBot, cases: Context, clock: FixedClock,
                                               settings: QSettings) -> None:
    window = make_window(qtbot, cases, "alice", clock, settings)
    assert window.status_clock.text().startswith("SIMULATED")
    clock.advance(timedelta(minutes=5))
    window.on_tick()
    assert "02:05" in window.status_clock.text() or "10:05" in window.status_clock.text()


def test_layout_is_restored_between_runs(qtbot: QtBot, cases: Context, clock: FixedClock,
                                         settings: QSettings) -> None:
    first = make_window(qtbot, cases, "alice", clock, settings)
    first.resize(1400, 900)
    first.splitter.setSizes([300, 1100])
    first.save_layout()
    sizes = first.splitter.sizes()
    second = make_window(qtbot, cases, "alice", clock, settings)
    assert second.splitter.sizes() == sizes


def test_release_send_back_and_next_case(qtbot: QtBot, cases: Context, clock: FixedClock, settings: QSettings,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    clerk = make_window(qtbot, cases, "alice", clock, settings)
    with qtbot.waitSignal(clerk.case_shown, timeout=10_000):
        clerk.actions_by_name["NextCase"].trigger()  # the most urgent unclaimed case: D-1
    assert reading.show(cases, "D-1")["assigned_to"] == "alice"
    # D-1 is alice's now: the next one. (Wait for D-2 itself: on PostgreSQL the live update of D-1's claim may
    # show D-1 again first, and that case_shown is not the one this step waits for.)
    clerk.actions_by_name["NextCase"].trigger()
    qtbot.waitUntil(lambda: clerk.detail is not None and clerk.detail.dispute_id == "D-2", timeout=10_000)
    assert reading.show(cases, "D-2")["assigned_to"] == "alice"
    with qtbot.waitSignal(clerk.case_actions.answered, timeout=10_000):
        clerk.actions_by_name["Release"].trigger()
    assert reading.show(cases, "D-2")["assigned_to"] is None

    casework.rule(cases, "D-3", "alice", "buyer")  # 900.00 USD: waits for a supervisor
    supervisor = make_window(qtbot, cases, "bob", clock, settings)
    open_case(qtbot, supervisor, "D-3")
    monkeypatch.setattr(TextDialog, "ask", classmethod(lambda cls, parent, title, prompt, text="": "check the photos"))
    supervisor.actions_by_name["SendBack"].trigger()
    # the window may show the case again for other reasons (live updates): wait for the send-back itself
    qtbot.waitUntil(lambda: supervisor.detail is not None and supervisor.detail.case["stage"] == "platform_review",
                    timeout=10_000)
    case = reading.show(cases, "D-3")
    assert case["stage"] == "platform_review" and case["pending_approval"] is None
    assert case["timeline"][-1]["kind"] == "approval.sent_back"


def test_a_refused_action_says_why_and_changes_nothing(qtbot: QtBot, cases: Context, clock: FixedClock,
                                                       settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    casework.claim(cases, "D-1", "carol")
    clerk = make_window(qtbot, cases, "alice", clock, settings)
    qtbot.waitUntil(lambda: clerk.detail is not None and clerk.detail.case["assigned_to"] == "carol", timeout=10_000)
    # the service would refuse it ("claimed by carol"): the window does not offer it (issue 10, bug 3)
    assert not clerk.actions_by_name["Claim"].isEnabled()
    assert not clerk.actions_by_name["Release"].isEnabled()
    clerk.actions_by_name["Claim"].trigger()
    assert reading.show(cases, "D-1")["assigned_to"] == "carol"
    # what only the service can judge (the note's text) is refused there, and the window says why
    version = reading.show(cases, "D-1")["version"]
    monkeypatch.setattr(TextDialog, "ask", classmethod(lambda cls, parent, title, prompt, text="": "   "))
    with qtbot.waitSignal(clerk.case_actions.answered, timeout=10_000):
        clerk.actions_by_name["Note"].trigger()
    assert "was refused" in clerk.banner_text.text() and "a note needs text" in clerk.banner_text.text()
    assert reading.show(cases, "D-1")["version"] == version
    assert reading.show(cases, "D-1")["assigned_to"] == "carol"


def test_a_supervisor_assigns_the_case_to_a_clerk(qtbot: QtBot, cases: Context, clock: FixedClock,
                                                  settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediator_app.ui.dialogs.assign_dialog import AssignDialog

    offered: list[list[str]] = []

    def ask(cls: Any, parent: Any, dispute_id: str, names: list[str]) -> str:
        offered.append(names)
        return "carol"

    monkeypatch.setattr(AssignDialog, "ask", classmethod(ask))
    supervisor = make_window(qtbot, cases, "bob", clock, settings)
    with qtbot.waitSignal(supervisor.case_actions.answered, timeout=10_000):
        supervisor.actions_by_name["Assign"].trigger()
    assert reading.show(cases, "D-1")["assigned_to"] == "carol"
    assert "dora" not in offered[0] and "bob" not in offered[0] and "carol" in offered[0]
    clerk = make_window(qtbot, cases, "alice", clock, settings)
    assert not clerk.actions_by_name["Assign"].isVisible()
