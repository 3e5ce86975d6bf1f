"""The bundle window in zh_CN (issue 15 item 1 over §6), walked as a reviewer would: the banner, the queue's
"Drafts" view, a drafted proposal and note (the drafts list, the timeline's [DRAFT] marks, the status bar), a draft
refused as live, the undo question and the File menu — no English left but ids, codes and names."""
from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QMenu
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services import bundle_export, identity
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.dialogs.text_dialog import TextDialog
from tests.feeds import T0, event, opened
from tests.ui.test_translations import LANGUAGE_NAMES, chinese, english_in, settings, visible_texts

__all__ = ["chinese", "settings"]  # the fixtures, shared with the main window's walk
SHOTS = Path("/tmp/offline-shots")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_bundle_window_walked_in_zh_CN_shows_no_english(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                            settings: QSettings, chinese: None, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_events(ctx, [
        opened("D-1", T0),
        event("D-1", "message.posted", T0 + timedelta(minutes=5), "E-m1", party="buyer", text="包裹还没到"),
        opened("D-2", T0 + timedelta(hours=1)),
    ])
    clock.set(T0 + timedelta(hours=2))
    path = tmp_path / "laptop" / "cases.mcase"
    path.parent.mkdir()
    bundle_export.export(ctx, tmp_path / "made.mcase", "alice", ids=["D-1", "D-2"])
    shutil.copyfile(tmp_path / "made.mcase", path)

    window = build_main_window(None, "alice", clock, bundle=str(path), settings=settings)
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    qtbot.waitUntil(lambda: "D-1" in window.queue.ordered_ids(), timeout=10_000)
    window.queue.select_dispute("D-1")
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == "D-1", timeout=10_000)
    drafts_view = window.offline.drafts_view

    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "30.00", "buyer", "已电话联系")))
    window.actions_by_name["Propose"].trigger()
    qtbot.waitUntil(lambda: drafts_view.topLevelItemCount() == 1, timeout=10_000)
    status = window.statusBar().currentMessage()
    monkeypatch.setattr(TextDialog, "ask", classmethod(lambda cls, parent, title, prompt, text="": "买家同意"))
    window.actions_by_name["Note"].trigger()
    qtbot.waitUntil(lambda: drafts_view.topLevelItemCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: window.detail.case["version"] == window.detail.case["drafts"][0]["based_on_version"] + 2,
                    timeout=10_000)
    window.queue.set_view("drafts")
    qtbot.waitUntil(lambda: window.queue.ordered_ids() == ["D-1"], timeout=10_000)
    qtbot.waitUntil(lambda: window.offline.banner_text.text().count("\n") == 1, timeout=10_000)

    database_id = identity.database_info(ctx)["database_id"]

    def english(text: str) -> str | None:  # the bundle's path and the database's id are data, not words
        return english_in(text.replace(str(path), " ").replace(database_id, " "))

    found = [(where, text, english(text)) for where, text in visible_texts(window)
             if text not in LANGUAGE_NAMES and english(text)]
    found += [("status bar", status, english_in(status))] if english_in(status) else []
    for row in range(drafts_view.topLevelItemCount()):  # the list's own words (the note's text is the reviewer's)
        item = drafts_view.topLevelItem(row)
        found += [(f"drafts row {row} col {c}", item.text(c), english_in(item.text(c)))
                  for c in range(drafts_view.columnCount()) if english_in(item.text(c))]
    timeline = window.case.timeline
    marks = [timeline.topLevelItem(r).text(3) for r in range(timeline.topLevelItemCount())
             if timeline.topLevelItem(r).font(3).italic()]
    assert len(marks) == 2 and all(m.startswith("[草稿]") for m in marks), marks
    found += [("timeline mark", m, english_in(m)) for m in marks[:1] if english_in(m)]  # the note's is her words
    for menu in window.menuBar().findChildren(QMenu):
        found += [("menu " + menu.title(), a.text(), english_in(a.text())) for a in menu.actions()
                  if a.isVisible() and a.text() not in LANGUAGE_NAMES and a.text() and english_in(a.text())]
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "bundle-window-zh.png"))

    # a draft refused exactly as live, in the window's words
    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "99.00", "buyer", "")))
    window.actions_by_name["Propose"].trigger()
    qtbot.waitUntil(lambda: not window.banner.isHidden(), timeout=10_000)
    refusal = window.banner_text.text()
    found += [("refusal", refusal, english_in(refusal))] if english_in(refusal) else []

    # the undo question
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append((title, text))
                        or QMessageBox.StandardButton.No)
    drafts_view.setCurrentItem(drafts_view.topLevelItem(1))
    window.offline.undo_button.click()
    [(title, text)] = asked
    found += [("undo question", t, english_in(t)) for t in (title, text.replace("买家同意", "")) if english_in(t)]
    assert not found, "English on the Chinese bundle window:\n" + "\n".join(f"{w}: {t!r} ({e})" for w, t, e in found)
    window.close()
