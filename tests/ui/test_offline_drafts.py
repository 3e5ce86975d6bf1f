"""A bundle window's drafts (§6), driven through its actions and widgets: the queue's "Drafts" view with the drafted
lines applied, "[DRAFT]" marks in the case timeline, undo of a case's last draft with its confirmation, and
File → Open bundle… through the real action (only Qt's file dialog, a boundary we do not own, patched)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QTreeWidget
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services import reading
from mediator_app.services.context import Context
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.queue_model import STAGE
from tests.ui.test_offline_window import SHOTS, _window, bundle, settings

__all__ = ["bundle", "settings"]  # the fixtures: two cases exported, the bundle alone in a fresh folder


def _propose(window, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, amount: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", amount, "buyer", "offline")))
    count = window.offline.drafts_view.topLevelItemCount()
    window.actions_by_name["Propose"].trigger()
    qtbot.waitUntil(lambda: window.offline.drafts_view.topLevelItemCount() == count + 1, timeout=10_000)


def _line(window, dispute_id: str):  # type: ignore[no-untyped-def]
    model = window.queue.model
    row = model.row_of(dispute_id)
    return None if row is None else model.loader.line(row)[1]


def _summaries(window) -> list[str]:  # type: ignore[no-untyped-def]
    tree = window.case.timeline
    return [tree.topLevelItem(i).text(3) for i in range(tree.topLevelItemCount())]


def test_the_drafts_view_lists_drafted_cases_with_their_drafts_applied(
        qtbot: QtBot, ctx: Context, clock: FixedClock, bundle: Path, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    exported = reading.show(ctx, "D-1")
    window = _window(qtbot, settings, clock, bundle=bundle)
    selector = window.queue.view_selector
    assert selector.itemData(selector.count() - 1) == "drafts"
    stage_before = _line(window, "D-1").texts[STAGE]
    _propose(window, qtbot, monkeypatch, "30.00")

    # every view shows the drafted line: the version (and the stage) the draft produces
    qtbot.waitUntil(lambda: _line(window, "D-1") is not None
                    and _line(window, "D-1").row.version == exported["version"] + 1, timeout=10_000)
    drafted = reading.show(ctx, "D-1")  # what the live command would make of it is not here: the live case
    assert drafted["version"] == exported["version"]  # never moved
    qtbot.waitUntil(lambda: window.detail.case["version"] == exported["version"] + 1, timeout=10_000)
    assert window.detail.case["stage"] == _line(window, "D-1").row.stage == "awaiting_parties"
    assert exported["stage"] == "awaiting_seller" and _line(window, "D-1").texts[STAGE] != stage_before

    window.queue.set_view("drafts")
    qtbot.waitUntil(lambda: window.queue.ordered_ids() == ["D-1"], timeout=10_000)
    qtbot.waitUntil(lambda: "(1)" in selector.itemText(selector.count() - 1), timeout=10_000)
    assert selector.itemText(selector.count() - 1) == "Drafts (1)"  # counted once, never "Drafts (1) (1)"
    qtbot.waitUntil(lambda: _line(window, "D-1") is not None
                    and _line(window, "D-1").row.version == exported["version"] + 1, timeout=10_000)
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "drafts-view.png"))
    window.queue.set_view("all")
    qtbot.waitUntil(lambda: len(window.queue.ordered_ids()) == 2, timeout=10_000)
    assert window.queue.empty_label.isHidden()
    window.queue.set_view("drafts")  # the one draft undone: the view says what it is for
    window.offline.drafts_view.setCurrentItem(window.offline.drafts_view.topLevelItem(0))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    window.offline.undo_button.click()
    qtbot.waitUntil(lambda: window.queue.ordered_ids() == [] and not window.queue.empty_label.isHidden(),
                    timeout=10_000)
    assert window.queue.empty_label.text() == "No drafts in this bundle yet: a decision made here is saved as a draft."
    qtbot.waitUntil(lambda: selector.itemText(selector.count() - 1) == "Drafts (0)", timeout=10_000)  # recounted
    window.grab().save(str(SHOTS / "drafts-view-empty.png"))
    window.close()


def test_drafted_lines_are_marked_in_the_timeline(qtbot: QtBot, ctx: Context, clock: FixedClock, bundle: Path,
                                                  settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, settings, clock, bundle=bundle)
    exported = len(reading.show(ctx, "D-1")["timeline"])
    assert not any("[DRAFT]" in s for s in _summaries(window))
    _propose(window, qtbot, monkeypatch, "30.00")
    qtbot.waitUntil(lambda: window.case.timeline.topLevelItemCount() == exported + 1, timeout=10_000)
    summaries = _summaries(window)
    assert [s.startswith("[DRAFT] ") for s in summaries] == [False] * exported + [True]
    item = window.case.timeline.topLevelItem(exported)
    assert item.font(3).italic()
    assert item.foreground(3).color().name() == "#b36b00"
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "draft-marks.png"))
    window.close()


def test_undo_removes_the_last_draft_of_a_case_after_confirmation(
        qtbot: QtBot, ctx: Context, clock: FixedClock, bundle: Path, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, settings, clock, bundle=bundle)
    _propose(window, qtbot, monkeypatch, "30.00")
    _propose(window, qtbot, monkeypatch, "20.00")
    view = window.findChild(QTreeWidget, "draftsView")
    undo = window.findChild(QPushButton, "undoDraftButton")
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            asked.append(text)
            return reply
        return question

    # the first of two drafts of a case cannot be undone: the second is based on it
    view.setCurrentItem(view.topLevelItem(0))
    assert not undo.isEnabled()
    view.setCurrentItem(view.topLevelItem(1))
    assert undo.isEnabled()

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    undo.click()
    assert asked and "20.00" in asked[0]
    assert view.topLevelItemCount() == 2  # declined: nothing removed

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    undo.click()
    qtbot.waitUntil(lambda: view.topLevelItemCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.detail.case["proposals"]["platform"]["refund"]["amount"] == "30.00",
                    timeout=10_000)
    assert "30.00" in view.topLevelItem(0).text(2)
    window.close()


def test_file_open_bundle_opens_a_bundle_window_on_the_chosen_file(
        qtbot: QtBot, ctx: Context, clock: FixedClock, bundle: Path, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    live = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock,
                             settings=settings)
    qtbot.addWidget(live)
    asked: list[tuple[str, str]] = []

    def chooser(parent, caption="", directory="", filter="", *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append((caption, filter))
        return str(bundle), filter.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chooser)
    action = live.findChild(type(live.actions_by_name["OpenBundle"]), "actionOpenBundle")
    action.trigger()
    assert asked and "*.mcase" in asked[0][1]
    qtbot.waitUntil(lambda: len(live.offline.windows) == 1, timeout=10_000)  # opened from a worker
    [other] = live.offline.windows
    qtbot.addWidget(other)
    assert other.offline.bundle == str(bundle)
    assert other.isVisible() and not other.offline.banner.isHidden()
    qtbot.waitUntil(lambda: str(bundle) in other.offline.banner_text.text(), timeout=10_000)
    qtbot.waitUntil(lambda: sorted(other.queue.ordered_ids()) == ["D-1", "D-2"], timeout=10_000)
    other.close()
    live.close()
