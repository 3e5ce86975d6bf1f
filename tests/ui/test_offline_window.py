"""Offline review in the window (§6), driven through actions and signals: a bundle opened from a fresh folder (made
on SQLite or PostgreSQL), drafts instead of decisions, undo, sync from a live window with a conflict redone from
the Conflicts view, the case file and the bundle export with its progress dialog."""
from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFrame, QMessageBox, QProgressDialog, QPushButton, QTreeWidget
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.time import FixedClock
from mediator_app.services import bundle_export, casework, identity, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
from mediator_app.ui.offline_window import Files
from tests.feeds import T0, event, opened

SHOTS = Path("/tmp/offline-shots")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def bundle(ctx: Context, clock: FixedClock, tmp_path: Path) -> Path:
    """Two cases exported, then the bundle copied alone into a fresh folder (no database next to it)."""
    ingest_events(ctx, [
        opened("D-1", T0),
        event("D-1", "message.posted", T0 + timedelta(minutes=5), "E-m1", party="buyer", text="包裹还没到 — where is it?"),
        opened("D-2", T0 + timedelta(hours=1)),
    ])
    clock.set(T0 + timedelta(hours=2))
    made = tmp_path / "made.mcase"
    bundle_export.export(ctx, made, "alice", ids=["D-1", "D-2"])
    fresh = tmp_path / "laptop"
    fresh.mkdir()
    copy = fresh / "cases.mcase"
    shutil.copyfile(made, copy)
    made.unlink()
    return copy


def _window(qtbot: QtBot, settings: QSettings, clock: FixedClock, *, bundle: Path | None = None,
            url: str | None = None, user: str = "alice"):  # type: ignore[no-untyped-def]
    window = build_main_window(url, user, clock, bundle=str(bundle) if bundle else None, settings=settings)
    qtbot.addWidget(window)
    window.resize(1500, 950)
    qtbot.waitUntil(lambda: "D-1" in window.queue.ordered_ids(), timeout=10_000)
    window.queue.select_dispute("D-1")
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == "D-1", timeout=10_000)
    return window


def _shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / f"{name}.png"))


def test_a_bundle_opens_anywhere_and_decisions_become_drafts(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                             bundle: Path, settings: QSettings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    live_version = reading.show(ctx, "D-1")["version"]
    window = _window(qtbot, settings, clock, bundle=bundle)
    banner = window.findChild(QFrame, "bundleBanner")
    qtbot.waitUntil(lambda: "OFFLINE" in window.offline.banner_text.text(), timeout=10_000)
    text = window.offline.banner_text.text()
    assert not banner.isHidden()
    assert "exported 2026-11-01 04:00:00 UTC by alice" in text
    assert identity.database_info(ctx)["database_id"] in text
    for name in ("Claim", "Release", "NextCase", "Sweep"):
        assert not window.actions_by_name[name].isVisible()
    assert window.actions_by_name["OpenBundle"].objectName() == "actionOpenBundle"
    assert window.actions_by_name["ExportCaseFile"].objectName() == "actionExportCaseFile"

    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "30.00", "buyer", "offline")))
    window.actions_by_name["Propose"].trigger()
    view = window.findChild(QTreeWidget, "draftsView")
    qtbot.waitUntil(lambda: view.topLevelItemCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.detail.case["proposals"]["platform"] is not None, timeout=10_000)
    assert window.detail.case["proposals"]["platform"]["refund"]["amount"] == "30.00"
    assert window.detail.case["version"] == live_version + 1
    assert [d["status"] for d in window.detail.case["drafts"]] == ["pending"]
    qtbot.waitUntil(lambda: "1 draft(s) shown applied" in window.offline.banner_text.text(), timeout=10_000)
    assert view.topLevelItem(0).text(1) == "propose" and "30.00" in view.topLevelItem(0).text(2)
    _shot(window, "bundle-window")
    assert reading.show(ctx, "D-1")["version"] == live_version  # the live case never moved

    # refused exactly as live: more than the order total
    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "99.00", "buyer", "")))
    window.actions_by_name["Propose"].trigger()
    qtbot.waitUntil(lambda: not window.banner.isHidden() and "refused" in window.banner_text.text(), timeout=10_000)
    assert view.topLevelItemCount() == 1

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)  # "Remove the draft…?"
    window.findChild(QPushButton, "undoDraftButton").click()
    qtbot.waitUntil(lambda: view.topLevelItemCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.detail.case["proposals"]["platform"] is None, timeout=10_000)
    window.close()


def test_sync_from_a_live_window_and_redo_a_conflict(qtbot: QtBot, ctx: Context, clock: FixedClock, bundle: Path,
                                                     settings: QSettings, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    offline = _window(qtbot, settings, clock, bundle=bundle)
    monkeypatch.setattr(ProposeDialog, "ask", classmethod(
        lambda cls, parent, case, draft, threshold: ProposeDraft("refund", "30.00", "buyer", "offline")))
    offline.actions_by_name["Propose"].trigger()
    qtbot.waitUntil(lambda: offline.findChild(QTreeWidget, "draftsView").topLevelItemCount() == 1, timeout=10_000)
    offline.close()

    casework.note(ctx, "D-1", "carol", "I called the buyer")  # the case moves on meanwhile
    fresh_version = reading.show(ctx, "D-1")["version"]
    live = _window(qtbot, settings, clock, url=ctx.engine.url.render_as_string(hide_password=False))
    assert live.offline.banner.isHidden()
    monkeypatch.setattr(Files, "open_bundle", classmethod(lambda cls, parent: str(bundle)))
    live.actions_by_name["SyncBundle"].trigger()
    qtbot.waitUntil(lambda: live.offline.last_sync is not None, timeout=10_000)
    [conflict] = live.offline.last_sync["conflicts"]
    assert conflict["reason"] == f"version {fresh_version - 1} → {fresh_version}: note.added"
    view = live.findChild(QTreeWidget, "conflictsView")
    qtbot.waitUntil(lambda: view.topLevelItemCount() == 1, timeout=10_000)
    assert "version" in view.topLevelItem(0).text(4)
    _shot(live, "live-window-conflicts")
    live.queue.select_dispute("D-2")
    qtbot.waitUntil(lambda: live.detail.dispute_id == "D-2", timeout=10_000)
    view.itemActivated.emit(view.topLevelItem(0), 0)  # the clerk opens the conflict
    qtbot.waitUntil(lambda: live.detail.dispute_id == "D-1", timeout=10_000)
    assert live.detail.version == fresh_version
    assert live.drafts.propose["D-1"] == ProposeDraft("refund", "30.00", "buyer", "offline")
    assert "did not apply" in live.banner_text.text()
    assert reading.show(ctx, "D-1")["proposals"]["platform"] is None

    # the case file from the window, and a bundle exported with its progress dialog
    pdf = tmp_path / "D-1.pdf"
    monkeypatch.setattr(Files, "save_case_file", classmethod(lambda cls, parent, dispute_id: str(pdf)))
    live.actions_by_name["ExportCaseFile"].trigger()
    qtbot.waitUntil(lambda: getattr(live.offline, "last_case_file", None) is not None, timeout=20_000)
    assert pdf.stat().st_size > 1000
    out = tmp_path / "again.mcase"
    monkeypatch.setattr(Files, "save_bundle", classmethod(lambda cls, parent: str(out)))
    live.actions_by_name["ExportBundle"].trigger()
    assert isinstance(live.offline.progress, QProgressDialog)
    assert live.offline.progress.objectName() == "exportProgress"
    qtbot.waitUntil(lambda: live.offline.last_export is not None, timeout=20_000)
    assert live.offline.last_export["disputes"] == 2 and out.is_file()
    live.close()
