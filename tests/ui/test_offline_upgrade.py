"""A bundle written by an older Mediator in the window (decision 260): a bundle window says in its banner that the
file was upgraded and where the original is kept; a sync from a live window says it beside the sync's outcome and
applies the drafts; a bundle from a newer Mediator is not opened, and the window says why."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.db import bundle_file, migrate
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import FixedClock
from mediator_app.services import bundle_export, bundles, drafts, reading
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.ui.offline_window import Files
from tests.feeds import T0, opened


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def older(ctx: Context, clock: FixedClock, tmp_path: Path) -> Path:
    """D-1 exported with a drafted note, the file's schema then taken down to 0013 (older code's bundle)."""
    ingest_events(ctx, [opened("D-1", T0)])
    clock.set(T0 + timedelta(hours=2))
    path = tmp_path / "cases.mcase"
    bundle_export.export(ctx, path, "alice", ids=["D-1"])
    bundle = bundles.open_bundle(path, clock, writable=True)
    drafts.draft(bundle, "D-1", "alice", "note", {"text": "drafted at 0013"})
    bundle.engine.dispose()
    engine = bundle_file.open_bundle(path, writable=True)
    migrate.upgrade(engine, "0013")
    engine.dispose()
    return path


def _window(qtbot: QtBot, settings: QSettings, clock: FixedClock, *, bundle: Path | None = None,
            url: str | None = None):  # type: ignore[no-untyped-def]
    window = build_main_window(url, "alice", clock, bundle=str(bundle) if bundle else None, settings=settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "D-1" in window.queue.ordered_ids(), timeout=10_000)
    return window


def test_a_bundle_window_says_the_bundle_was_upgraded(qtbot: QtBot, clock: FixedClock, older: Path,
                                                      settings: QSettings) -> None:
    window = _window(qtbot, settings, clock, bundle=older)
    qtbot.waitUntil(lambda: "OFFLINE" in window.offline.banner_text.text(), timeout=10_000)
    assert (f"{older} was written by an older Mediator (revision 0013): upgraded to revision "
            f"{migrate.head_revision()}; the original is kept as {older}.bak-0013") in window.offline.banner_text.text()
    assert [d["status"] for d in window.offline.drafts] == ["pending"]
    again = _window(qtbot, settings, clock, bundle=older)  # said by the window that upgraded it only
    qtbot.waitUntil(lambda: "OFFLINE" in again.offline.banner_text.text(), timeout=10_000)
    assert "older Mediator" not in again.offline.banner_text.text()


def test_a_sync_from_a_live_window_upgrades_the_bundle_and_applies_its_drafts(
        qtbot: QtBot, ctx: Context, clock: FixedClock, older: Path, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    live = _window(qtbot, settings, clock, url=ctx.engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr(Files, "open_bundle", classmethod(lambda cls, parent: str(older)))
    live.actions_by_name["SyncBundle"].trigger()
    qtbot.waitUntil(lambda: live.offline.last_sync is not None, timeout=10_000)
    assert len(live.offline.last_sync["applied"]) == 1
    text = live.banner_text.text()
    assert "was written by an older Mediator (revision 0013): upgraded to revision" in text
    assert "Bundle synced: 1 applied" in text
    assert reading.show(ctx, "D-1")["timeline"][-1]["summary"].endswith("drafted at 0013")


def test_a_bundle_from_a_newer_mediator_is_not_opened(clock: FixedClock, older: Path, settings: QSettings) -> None:
    engine = bundle_file.open_bundle(older, writable=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(Rejection, match=r"was written by a newer Mediator \(revision 9999\); update this workstation"):
        build_main_window(None, "alice", clock, bundle=str(older), settings=settings)


def test_the_workstation_started_on_a_newer_bundle_says_why_in_a_message_box(
        qtbot: QtBot, older: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from PySide6.QtWidgets import QMessageBox

    from mediator_app.app import main

    engine = bundle_file.open_bundle(older, writable=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: said.append(text))
    assert main(["--bundle", str(older), "--as", "alice", "--lang", "en"]) == 1
    expected = f"{older} was written by a newer Mediator (revision 9999); update this workstation"
    assert said == [expected]
    assert capsys.readouterr().err.strip() == f"mediator-workstation: {expected}"


def test_what_an_older_or_newer_bundle_says_reads_in_chinese(qtbot: QtBot, clock: FixedClock, older: Path) -> None:
    from PySide6.QtCore import QLocale

    from mediator_app.ui import language
    from mediator_app.ui.phrasebook import phrase

    said: list[str] = []
    older.chmod(0o444)
    try:
        with pytest.raises(Rejection) as refused:
            bundles.open_bundle(older, clock, writable=True)  # a draft needs the file itself
        said.append(refused.value.reason)
        bundles.open_bundle(older, clock).engine.dispose()  # reading: from an upgraded copy (decision 262)
        read_copy = bundles.take_upgrade(older)
        assert read_copy is not None and read_copy.backup is None
        said.append(read_copy.message())
    finally:
        older.chmod(0o644)
    bundles.open_bundle(older, clock).engine.dispose()
    upgrade = bundles.take_upgrade(older)
    assert upgrade is not None
    said.append(upgrade.message())
    engine = bundle_file.open_bundle(older, writable=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(Rejection) as newer:
        bundles.open_bundle(older, clock)
    said.append(newer.value.reason)
    before = QLocale()
    language.install("zh_CN")
    try:
        read = [phrase(text) for text in said]
    finally:
        language.install("en")
        QLocale.setDefault(before)
    head = migrate.head_revision()
    assert read == [
        f"{older} 由较旧版本的 Mediator 写入（修订版 0013），须升级到修订版 {head} 才能在此打开，但该文件无法写入："
        "请让文件及其所在文件夹可写（或把文件复制到可写的文件夹），然后重新打开；未做任何更改",
        f"{older} 由较旧版本的 Mediator 写入（修订版 0013），且无法写入：现从升级到修订版 {head} 的副本读取；"
        "如需在其中起草或同步，请让该文件可写，然后重新打开",
        f"{older} 由较旧版本的 Mediator 写入（修订版 0013）：已升级到修订版 {head}；原文件保留为 {older}.bak-0013",
        f"{older} 由较新版本的 Mediator 写入（修订版 9999）；请先升级本工作站"]


def test_a_read_only_older_bundle_opens_from_an_upgraded_copy_and_says_why_it_takes_no_draft(
        qtbot: QtBot, clock: FixedClock, older: Path, settings: QSettings) -> None:
    """An auditor's read-only copy (decision 262): the window shows it, says it reads an upgraded copy, and a
    decision says why it cannot be drafted; the file is left as it was."""
    original = older.read_bytes()
    older.chmod(0o444)
    try:
        window = _window(qtbot, settings, clock, bundle=older)
        qtbot.waitUntil(lambda: "OFFLINE" in window.offline.banner_text.text(), timeout=10_000)
        assert (f"{older} was written by an older Mediator (revision 0013) and cannot be written: it is read from "
                f"a copy upgraded to revision {migrate.head_revision()}") in window.offline.banner_text.text()
        qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == "D-1", timeout=10_000)
        window.actions_by_name["Note"].trigger()
        assert window.banner_text.text().startswith("The note draft was refused: ")
        assert "cannot be written: make the file and its folder writable" in window.banner_text.text()
    finally:
        older.chmod(0o644)
    assert older.read_bytes() == original


def test_file_open_bundle_upgrades_an_older_bundle_in_a_worker_and_opens_it(
        qtbot: QtBot, ctx: Context, clock: FixedClock, older: Path, settings: QSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """File → Open bundle… on an older bundle: the upgrade (seconds on a large bundle) runs off the GUI thread,
    with a busy dialog, and the bundle's window then opens and says what was upgraded."""
    import threading

    from mediator_app.services import bundle_upgrade

    live = _window(qtbot, settings, clock, url=ctx.engine.url.render_as_string(hide_password=False))
    threads: list[threading.Thread] = []
    real = bundle_upgrade.upgrade

    def upgrade(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle_upgrade, "upgrade", upgrade)
    monkeypatch.setattr(Files, "open_bundle", classmethod(lambda cls, parent: str(older)))
    live.actions_by_name["OpenBundle"].trigger()
    assert live.offline.opening is not None and live.offline.opening.objectName() == "openProgress"
    assert "Opening" in live.offline.opening.labelText()
    qtbot.waitUntil(lambda: len(live.offline.windows) == 1, timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    assert len(threads) == 1  # the window's own opening found it upgraded
    other = live.offline.windows[0]
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: "OFFLINE" in other.offline.banner_text.text(), timeout=10_000)
    assert "was written by an older Mediator (revision 0013): upgraded to revision" in other.offline.banner_text.text()
    assert live.offline.opening.isHidden()
    qtbot.waitUntil(lambda: "D-1" in other.queue.ordered_ids(), timeout=10_000)


def test_file_open_bundle_on_a_file_that_is_no_bundle_says_why(
        qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_events(ctx, [opened("D-1", T0)])
    live = _window(qtbot, settings, clock, url=ctx.engine.url.render_as_string(hide_password=False))
    notes = tmp_path / "notes.mcase"
    notes.write_text("not a bundle")
    monkeypatch.setattr(Files, "open_bundle", classmethod(lambda cls, parent: str(notes)))
    live.actions_by_name["OpenBundle"].trigger()
    qtbot.waitUntil(lambda: not live.banner.isHidden(), timeout=10_000)
    assert live.banner_text.text().startswith(f"The bundle could not be opened: {notes} is not an offline bundle")
    assert live.offline.windows == [] and live.offline.opening.isHidden()


def test_a_read_only_older_bundle_is_copied_once_for_every_window_on_it(clock: FixedClock, older: Path) -> None:
    older.chmod(0o444)
    try:
        first = bundles.open_bundle(older, clock)
        second = bundles.open_bundle(older, clock)
        read_from = {first.engine.url.database, second.engine.url.database}
        first.engine.dispose()
        second.engine.dispose()
    finally:
        older.chmod(0o644)
    assert len(read_from) == 1 and str(older) not in read_from
