"""The window asks the domain what a user may do, and the services agree; party text in the banner stays text;
opening cases one after another does not write presence once per case."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import event as sa_event

from mediator_app.app import build_main_window
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.main_window import MainWindow
from tests.feeds import T0, event, opened

#: domain action -> the window's command
COMMAND = {"claim": "Claim", "release": "Release", "propose": "Propose", "rule": "Rule", "note": "Note",
           "approve": "Approve", "send-back": "SendBack", "assign": "Assign"}
USERS = ("alice", "carol", "bob", "sam", "dora")  # clerk (holder, author), clerk, supervisor (author), supervisor, auditor
STATES = ("free", "held", "pending")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


def window_for(qtbot: QtBot, ctx: Context, user: str, clock: FixedClock, settings: QSettings,
               first: str) -> MainWindow:
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), user, clock, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: first in window.queue.ordered_ids(), timeout=10_000)
    return window


def show(qtbot: QtBot, window: MainWindow, dispute_id: str) -> None:
    window.queue.select_dispute(dispute_id)
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == dispute_id, timeout=10_000)


def make_state(ctx: Context, dispute_id: str, state: str) -> None:
    if state == "held":
        casework.claim(ctx, dispute_id, "alice")  # alice holds it
    elif state == "pending":
        casework.claim(ctx, dispute_id, "alice")
        casework.rule(ctx, dispute_id, "bob", "buyer")  # 900.00 USD: bob's ruling waits for another supervisor


SERVICE: dict[str, Callable[[Context, str, str], Any]] = {
    "claim": lambda c, d, u: casework.claim(c, d, u),
    "release": lambda c, d, u: casework.release(c, d, u),
    "propose": lambda c, d, u: casework.propose(c, d, u, "refund", "10.00"),
    "rule": lambda c, d, u: casework.rule(c, d, u, "buyer"),
    "note": lambda c, d, u: casework.note(c, d, u, "checked the tracking"),
    "approve": lambda c, d, u: casework.approve(c, d, u),
    "send-back": lambda c, d, u: casework.send_back(c, d, u, "check the photos"),
    "assign": lambda c, d, u: casework.assign(c, d, u, "carol"),
}


def accepted(ctx: Context, action: str, dispute_id: str, user: str) -> bool:
    try:
        SERVICE[action](ctx, dispute_id, user)
    except Rejection:
        return False
    return True


def test_what_the_window_offers_the_service_accepts_and_nothing_else(
        qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings) -> None:
    """States × users (the holder and author alice, another clerk carol, the ruling's author bob, another
    supervisor sam, the auditor dora) × every action: enabled in the window ⇔ accepted by the service."""
    ids = {(s, u, a): f"D-{s}-{u}-{a}" for s in STATES for u in USERS for a in COMMAND}
    probes = {(s, u): f"D-{s}-{u}-probe" for s in STATES for u in USERS}
    every = [*ids.values(), *probes.values()]
    ingest_events(ctx, [opened(d, T0 + timedelta(seconds=i), total="900.00") for i, d in enumerate(every)])
    for (s, _u, _a), d in ids.items():
        make_state(ctx, d, s)
    for (s, _u), d in probes.items():
        make_state(ctx, d, s)

    mismatches = []
    for user in USERS:
        window = window_for(qtbot, ctx, user, clock, settings, probes[("free", user)])
        for state in STATES:
            show(qtbot, window, probes[(state, user)])
            offered = {a for a, name in COMMAND.items()
                       if window.actions_by_name[name].isVisible() and window.actions_by_name[name].isEnabled()}
            for action in COMMAND:
                ok = accepted(ctx, action, ids[(state, user, action)], user)
                if ok != (action in offered):
                    mismatches.append(f"{user} on a {state} case: {action} "
                                      f"{'offered' if action in offered else 'not offered'} but "
                                      f"{'accepted' if ok else 'refused'}")
        window.close()
    assert mismatches == [], "\n".join(mismatches)


def rendered(label: QLabel) -> str:
    """What the label shows, as the reader sees it."""
    text = label.text()
    if label.textFormat() == Qt.TextFormat.PlainText:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def test_party_text_in_the_conflict_banner_is_text_not_markup(
        qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_events(ctx, [opened("D-1", T0)])
    window = window_for(qtbot, ctx, "alice", clock, settings, "D-1")
    show(qtbot, window, "D-1")
    message = '<b>URGENT</b> <a href="http://evil.example">refund me</a> & <img src="x">'
    ingest_events(ctx, [event("D-1", "message.posted", T0 + timedelta(hours=1), "E-m1", party="buyer",
                              text=message)])  # meanwhile: the case changed
    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "10.00", "buyer", "")))
    window.actions_by_name["Propose"].trigger()
    label = window.findChild(QLabel, "conflictText")
    qtbot.waitUntil(lambda: "changed while you were working" in rendered(label), timeout=10_000)
    shown = rendered(label)
    assert message in shown, shown  # every character as the buyer typed it
    assert "This case changed while you were working on it" in shown


def test_opening_cases_one_after_another_does_not_write_presence_per_case(
        qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings) -> None:
    ids = [f"D-{i}" for i in range(1, 7)]
    ingest_events(ctx, [opened(d, T0 + timedelta(minutes=i)) for i, d in enumerate(ids)])
    window = window_for(qtbot, ctx, "alice", clock, settings, "D-6")
    show(qtbot, window, "D-1")
    window.ops.wait_for_idle(5_000)
    written: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        text = statement.lstrip().upper()
        if "PRESENCE" in text and text.startswith(("UPDATE", "INSERT")):
            written.append(str(parameters))

    sa_event.listen(window.ops.ctx.engine, "before_cursor_execute", record)
    try:
        for dispute_id in ids[1:]:  # the clerk arrows down the queue
            show(qtbot, window, dispute_id)
        window.ops.wait_for_idle(5_000)
        passed_by = [d for d in ids[1:-1] if any(f"'{d}'" in w for w in written)]
        assert len(passed_by) <= 1, (passed_by, written)
        # once the clerk stays on a case, the others learn of it within a few seconds
        qtbot.waitUntil(lambda: any("'D-6'" in w for w in written), timeout=10_000)
    finally:
        sa_event.remove(window.ops.ctx.engine, "before_cursor_execute", record)
