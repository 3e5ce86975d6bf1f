"""The supervisor's desk in the window (issue 11), driven through widgets and signals, on both databases."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.desk import DUE_BUCKETS, OPEN_STAGES
from mediator_app.domain.time import FixedClock
from mediator_app.services import reading
from mediator_app.services.context import Context
from mediator_app.services.desk import AuditFilter
from mediator_app.ui.desk.export import ExportPath
from mediator_app.ui.desk.reassign import SummaryBox, TargetDialog
from mediator_app.ui.main_window import MainWindow
from tests.cli_runner import Mediator
from tests.db import desk_set as ds
from tests.db.test_desk_cli import Desk, pending_set
from tests.feeds import T0
from tests.db.feeds import t, z
from tests.ui.test_translations import chinese, english_in  # noqa: F401 (chinese: the fixture)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """No background sweeper: the hand-made set keeps its expired-but-unexecuted clocks (as `stats` sees them)."""
    from mediator_app.ui.main_window import SWEEP_SETTING

    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    settings.setValue(SWEEP_SETTING, False)
    return settings


def window_for(qtbot: QtBot, ctx: Context, user: str, clock: FixedClock, settings: QSettings) -> MainWindow:
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), user, clock, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.queue.model.head_loaded, timeout=10_000)
    return window


def open_desk(qtbot: QtBot, window: MainWindow) -> Any:
    window.actions_by_name["ShowDesk"].trigger()
    desk = window.desk.desk
    assert window.findChild(type(desk), "supervisorDesk") is desk
    qtbot.waitUntil(lambda: desk.dashboard.figures is not None, timeout=10_000)
    return desk


def test_the_dashboard_draws_the_figures_of_stats(qtbot: QtBot, db_url: str, ctx: Context,
                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  settings: QSettings) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    figures = m.ok("stats", "--as", "bob", now=z(ds.NOW))
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW), settings)
    desk = open_desk(qtbot, window)
    board = desk.dashboard
    assert board.figures is not None and board.figures.to_json() == figures
    assert board.stage_chart.keys == list(OPEN_STAGES)
    assert board.stage_chart.value_list() == [figures["by_stage"][s] for s in OPEN_STAGES] == [
        ds.EXPECTED_BY_STAGE[s] for s in OPEN_STAGES]
    assert board.due_chart.value_list() == [ds.EXPECTED_DUE_IN[b] for b in DUE_BUCKETS]
    assert board.workload_chart.keys == ["alice", "bob", "carol", "sam"]
    assert board.workload_chart.value_list() == [1, 0, 2, 1]
    assert board.workload_chart.overdue_list() == [0, 0, 2, 0]
    days = board.days_chart
    assert days.day_keys == [d["day"] for d in figures["days"]]
    assert [int(days.opened.at(i)) for i in range(days.opened.count())] == [d["opened"] for d in figures["days"]]
    assert [int(days.resolved.at(i)) for i in range(days.resolved.count())] == [d["resolved"] for d in figures["days"]]
    assert [(p.x(), p.y()) for p in days.breach.points()] == [
        (float(i), 100.0 * d["resolved_sla_breached"] / d["resolved"]) for i, d in enumerate(figures["days"])
        if d["resolved"]]
    assert window.findChild(type(board), "dashboardView") is board
    # the workload table shows the same rows
    assert [r.to_json() for r in desk.workload.model.rows] == figures["workload"]


def test_a_bar_opens_its_queue_view(qtbot: QtBot, db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str],
                                    tmp_path: Path, settings: QSettings) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW), settings)
    board = open_desk(qtbot, window).dashboard
    board.due_chart.click(DUE_BUCKETS.index("overdue"))
    assert window.desk.tabs.currentIndex() == 0 and window.queue.current_view() == "due:overdue"
    qtbot.waitUntil(lambda: not window.queue.model.loading, timeout=10_000)
    assert set(window.queue.ordered_ids()) == {"D-STALE", "D-OVER", "D-REVIEW"}
    window.actions_by_name["ShowDesk"].trigger()
    board.stage_chart.click(OPEN_STAGES.index("awaiting_buyer"))
    qtbot.waitUntil(lambda: window.queue.current_view() == "stage:awaiting_buyer" and not window.queue.model.loading,
                    timeout=10_000)
    assert window.queue.ordered_ids() == ["D-BUYER"]
    window.actions_by_name["ShowDesk"].trigger()
    board.workload_chart.click(board.workload_chart.keys.index("carol"))
    qtbot.waitUntil(lambda: window.queue.current_view() == "holder:carol" and not window.queue.model.loading,
                    timeout=10_000)
    assert window.queue.ordered_ids() == ["D-REVIEW", "D-OVER"]


def test_approving_from_the_inbox_and_no_approve_on_an_own_proposal(
        qtbot: QtBot, db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        settings: QSettings, qtmodeltester: Any) -> None:
    pending_set(Desk(Mediator(db_url, capsys), tmp_path))
    clock = FixedClock(t(hours=4))
    window = window_for(qtbot, ctx, "bob", clock, settings)
    desk = open_desk(qtbot, window)
    inbox = desk.inbox
    qtbot.waitUntil(lambda: len(inbox.model.rows) == 3, timeout=10_000)
    table = window.findChild(type(inbox.table), "approvalInbox")
    assert table is inbox.table
    qtmodeltester.check(inbox.model)
    model = table.model()
    assert [model.data(model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(3)] == ["D-2", "D-3", "D-1"]
    assert model.data(model.index(0, 0)) == "22:00:00"  # D-2 is due at T0 + 26 h; now is T0 + 4 h
    clock.set(t(hours=4, seconds=5))
    inbox.model.tick()
    assert model.data(model.index(0, 0)) == "21:59:55"
    # D-2 is bob's own proposal: marked, and Enter does nothing
    table.setFocus()
    table.selectRow(0)
    assert not inbox.approve_button.isEnabled()
    assert "not yours" in model.data(model.index(0, 7))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert reading.show(ctx, "D-2")["stage"] == "pending_approval"
    # D-3 (alice's ruling): Enter approves it in the database
    table.selectRow(1)
    assert inbox.approve_button.isEnabled()
    with qtbot.waitSignal(inbox.decided, timeout=10_000) as decided:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert decided.args == ["D-3"]
    case = reading.show(ctx, "D-3")
    assert case["stage"] == "closed" and case["timeline"][-1]["kind"] == "ruling.approved"
    assert case["timeline"][-1]["actor"] == "bob"
    qtbot.waitUntil(lambda: [r.dispute_id for r in inbox.model.rows] == ["D-2", "D-1"], timeout=10_000)
    qtmodeltester.check(inbox.model)


def test_send_back_from_the_inbox_with_a_note(qtbot: QtBot, db_url: str, ctx: Context,
                                              capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediator_app.ui.dialogs.text_dialog import TextDialog

    pending_set(Desk(Mediator(db_url, capsys), tmp_path))
    window = window_for(qtbot, ctx, "sam", FixedClock(t(hours=4)), settings)
    inbox = open_desk(qtbot, window).inbox
    qtbot.waitUntil(lambda: len(inbox.model.rows) == 3, timeout=10_000)
    monkeypatch.setattr(TextDialog, "ask", classmethod(lambda cls, *a, **k: "refund too high"))
    inbox.table.selectRow(2)  # D-1
    with qtbot.waitSignal(inbox.decided, timeout=10_000):
        qtbot.keyClick(inbox.table, Qt.Key.Key_S)
    case = reading.show(ctx, "D-1")
    assert case["stage"] == "platform_review" and "refund too high" in case["timeline"][-1]["summary"]


def test_an_auditor_sees_the_inbox_without_actions(qtbot: QtBot, db_url: str, ctx: Context,
                                                   capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   settings: QSettings) -> None:
    pending_set(Desk(Mediator(db_url, capsys), tmp_path))
    window = window_for(qtbot, ctx, "dora", FixedClock(t(hours=4)), settings)
    inbox = open_desk(qtbot, window).inbox
    qtbot.waitUntil(lambda: len(inbox.model.rows) == 3, timeout=10_000)
    assert not inbox.approve_button.isVisible() and not any(r.can_approve for r in inbox.model.rows)
    assert not window.actions_by_name["Reassign"].isVisible()


def test_a_clerk_has_no_desk(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    window = window_for(qtbot, ctx, "alice", FixedClock(T0), settings)
    assert window.desk.desk is None and "ShowDesk" not in window.actions_by_name
    assert window.findChild(object, "supervisorDesk") is None


def select_rows(window: MainWindow, ids: list[str]) -> None:
    queue = window.queue
    selection = queue.table.selectionModel()
    selection.clear()
    for dispute_id in ids:
        row = queue.model.row_of(dispute_id)
        assert row is not None
        selection.select(queue.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def test_multi_select_reassignment_with_a_summary(qtbot: QtBot, db_url: str, ctx: Context,
                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW), settings)
    qtbot.waitUntil(lambda: not window.queue.model.loading, timeout=10_000)
    shown: list[Any] = []
    monkeypatch.setattr(TargetDialog, "ask", classmethod(lambda cls, parent, title, names: "carol"))
    monkeypatch.setattr(SummaryBox, "show", classmethod(lambda cls, parent, summary: shown.append(summary)))
    # Shift+Down from the current row selects the next one too
    table = window.queue.table
    window.queue.select_dispute("D-OVER")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(window.desk.selected_ids()) == 2
    # D-REVIEW is carol's already; D-OVER's seller clock runs out at NOW: executed first, it closes
    select_rows(window, ["D-OVER", "D-REVIEW", "D-BUYER", "D-24H"])
    order = list(window.queue.ordered_ids())
    window.actions_by_name["Reassign"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    result = shown[0].result
    assert result.assigned == sorted(["D-BUYER", "D-24H"], key=order.index)
    refused = {r["dispute_id"]: r["reason"] for r in result.rejected}
    assert list(refused) == sorted(refused, key=order.index)
    assert refused["D-REVIEW"] == "already assigned to carol"
    assert "closed" in refused["D-OVER"]
    for d in ("D-BUYER", "D-24H"):
        assert reading.show(ctx, d)["assignment"]["to"] == "carol"
    from mediator_app.ui.desk.reassign import summary_text

    text = summary_text(shown[0])
    assert text.startswith("2 assigned to carol; 2 refused: ") and "already assigned to carol" in text


def test_moving_a_clerks_cases_from_the_workload_table(qtbot: QtBot, db_url: str, ctx: Context,
                                                       capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       settings: QSettings, monkeypatch: pytest.MonkeyPatch,
                                                       qtmodeltester: Any) -> None:
    from datetime import timedelta

    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    # a minute before D-OVER's seller clock runs out (at NOW it would be executed first, and close the case)
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW - timedelta(minutes=1)), settings)
    desk = open_desk(qtbot, window)
    workload = desk.workload
    assert window.findChild(type(workload.table), "workloadView") is workload.table
    qtmodeltester.check(workload.model)
    workload.table.selectRow([r.user for r in workload.model.rows].index("carol"))
    monkeypatch.setattr(TargetDialog, "ask", classmethod(lambda cls, parent, title, names: "alice"))
    with qtbot.waitSignal(workload.moved, timeout=10_000) as moved:
        workload.move_button.click()
    assert moved.args[0].result.assigned == ["D-REVIEW", "D-OVER"]
    qtbot.waitUntil(lambda: {r.user: r.holding for r in workload.model.rows}.get("alice") == 3, timeout=10_000)
    assert {r.user: r.holding for r in workload.model.rows}["carol"] == 0


def test_the_audit_browser_filters_pages_and_opens_a_case(qtbot: QtBot, db_url: str, ctx: Context,
                                                          capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          settings: QSettings, qtmodeltester: Any) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    window = window_for(qtbot, ctx, "dora", FixedClock(ds.NOW), settings)
    desk = open_desk(qtbot, window)
    audit = desk.audit
    assert window.findChild(type(audit.table), "auditView") is audit.table
    model = audit.model
    assert model.total is None and not model.rows  # read when its tab is first shown
    desk.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: model.total is not None and model.rowCount() > 0, timeout=10_000)
    every = m.ok("audit", "--as", "dora", now=z(ds.NOW))
    assert model.total == len(every)
    assert model.json_rows() == list(reversed(every))[:len(model.rows)]  # newest first
    qtmodeltester.check(model)
    audit.set_filter(AuditFilter(user="alice", newest_first=False))
    qtbot.waitUntil(lambda: model.total is not None and len(model.rows) == model.total, timeout=10_000)
    assert model.json_rows() == m.ok("audit", "--as", "dora", "--user", "alice", now=z(ds.NOW))
    audit.set_filter(AuditFilter(since=ds.NOW - ds.H * 3, until=ds.NOW, newest_first=True))
    qtbot.waitUntil(lambda: model.total is not None and len(model.rows) == model.total, timeout=10_000)
    expected = m.ok("audit", "--as", "dora", "--since", z(ds.NOW - ds.H * 3), "--until", z(ds.NOW), now=z(ds.NOW))
    assert model.json_rows() == list(reversed(expected))
    # a closed case (not in the queue) opens from its row
    audit.set_filter(AuditFilter(dispute_id="D-R2359"))
    qtbot.waitUntil(lambda: len(model.rows) > 0, timeout=10_000)
    index = model.index(0, 1)
    with qtbot.waitSignal(window.case_shown, timeout=10_000) as shown:
        audit.table.doubleClicked.emit(index)
    assert shown.args == ["D-R2359"] and window.desk.tabs.currentIndex() == 0


def test_audit_pages_as_it_scrolls(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    from mediator_app.services.feed import ingest_events
    from mediator_app.ui.desk import audit as audit_ui
    from tests.feeds import event, opened

    ingest_events(ctx, [opened(f"D-{i}", T0, order_id=f"O-{i}") for i in range(150)]
                  + [event(f"D-{i}", "message.posted", T0 + ds.H, f"E-m-{i}", party="buyer", text="hi")
                     for i in range(150)])
    window = window_for(qtbot, ctx, "bob", FixedClock(T0 + ds.H * 2), settings)
    desk = open_desk(qtbot, window)
    desk.tabs.setCurrentIndex(2)
    model = desk.audit.model
    qtbot.waitUntil(lambda: len(model.rows) == audit_ui.PAGE and model.total == 300, timeout=10_000)
    assert model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: len(model.rows) == 300, timeout=10_000)
    keys = [(r.at, r.dispute_id, r.version) for r in model.rows]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == 300
    assert not model.canFetchMore()


def read_sheet(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_export_the_queue_view_the_inbox_and_the_audit_filter(
        qtbot: QtBot, db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        settings: QSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW), settings)
    qtbot.waitUntil(lambda: not window.queue.model.loading, timeout=10_000)
    target = tmp_path / "queue.csv"
    monkeypatch.setattr(ExportPath, "ask", classmethod(lambda cls, parent, name: str(target)))
    job = window.desk.export_csv()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    rows = read_sheet(target)
    _, expected = __import__("tests.db.test_desk_cli", fromlist=["read_csv"]).read_csv(
        m("queue", "--as", "dora", "--csv", now=z(ds.NOW)).out)
    assert rows == expected
    # the inbox, then the audit filter
    desk = open_desk(qtbot, window)
    qtbot.waitUntil(lambda: len(desk.inbox.model.rows) == 1, timeout=10_000)
    target = tmp_path / "inbox.csv"
    job = window.desk.export_csv()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert [r[0] for r in read_sheet(target)] == ["dispute_id", "D-PENDING"]
    desk.tabs.setCurrentIndex(2)
    desk.audit.set_filter(AuditFilter(user="alice"))
    qtbot.waitUntil(lambda: desk.audit.model.total is not None, timeout=10_000)
    target = tmp_path / "audit.csv"
    job = window.desk.export_csv()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    sheet = read_sheet(target)
    assert len(sheet) == 1 + len(m.ok("audit", "--as", "bob", "--user", "alice", now=z(ds.NOW)))
    assert not list(tmp_path.glob("*.part"))


def test_live_updates_fold_into_few_desk_reloads(qtbot: QtBot, ctx: Context, settings: QSettings) -> None:
    window = window_for(qtbot, ctx, "bob", FixedClock(T0), settings)
    # only the changes announced below: on PostgreSQL the channel is the server's, other databases' tests say
    # things on it too
    window.live.stop()
    desk = open_desk(qtbot, window)
    loader = desk.dashboard.loader
    loader.every_ms = 300
    qtbot.waitUntil(lambda: not loader.running, timeout=10_000)
    before = loader.loads
    for _ in range(20):
        desk.refresh_soon()
    qtbot.waitUntil(lambda: loader.loads == before + 1 and not loader.running, timeout=10_000)
    qtbot.wait(500)  # nothing more was asked for: nothing more is read
    assert loader.loads == before + 1


def test_a_desk_refusal_reads_in_chinese_in_a_zh_cn_window(qtbot: QtBot, db_url: str, ctx: Context,
                                                            capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                            settings: QSettings, monkeypatch: pytest.MonkeyPatch,
                                                            chinese: None) -> None:
    """Reassignment's refusals (the services' stable English in `rejected[].reason`) read in the window's
    language in the summary (the status bar's and the box's text); the CLI's JSON keeps the English."""
    from mediator_app.ui.desk.reassign import summary_text

    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    window = window_for(qtbot, ctx, "bob", FixedClock(ds.NOW), settings)
    qtbot.waitUntil(lambda: not window.queue.model.loading, timeout=10_000)
    shown: list[Any] = []
    monkeypatch.setattr(TargetDialog, "ask", classmethod(lambda cls, parent, title, names: "carol"))
    monkeypatch.setattr(SummaryBox, "show", classmethod(lambda cls, parent, summary: shown.append(summary)))
    select_rows(window, ["D-OVER", "D-REVIEW", "D-BUYER"])
    window.actions_by_name["Reassign"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    refused = {r["dispute_id"]: r["reason"] for r in shown[0].result.rejected}
    assert refused["D-REVIEW"] == "already assigned to carol"  # the stable English, as `reassign --json` says
    text = summary_text(shown[0])
    assert "already assigned" not in text and english_in(text) is None, text
    assert "D-REVIEW" in text and "carol" in text


def test_desk_errors_read_in_chinese(chinese: None) -> None:
    """The desk's failure texts: a rule's refusal and a version conflict through the phrasebook, the database out
    of reach in words (never the driver's text)."""
    from mediator_app.domain.errors import Rejection, VersionConflict
    from mediator_app.services.context import DatabaseUnavailable
    from mediator_app.ui.refusals import error_text

    for exc in (Rejection("already assigned to carol"), VersionConflict("D-1", 3, 5),
                DatabaseUnavailable("(psycopg.OperationalError) connection refused")):
        text = error_text(exc)
        assert text and english_in(text) is None, (exc, text)


def test_the_due_buckets_labels_fit_their_bars_in_chinese(qtbot: QtBot, chinese: None) -> None:
    """zh_CN's "4–24 小时" was elided ("4–24 …") at the desk's size: a label wider than its bar's share is
    broken in two at its space, the others stay on one line, and every line fits its share."""
    from PySide6.QtGui import QFontMetrics

    from mediator_app.ui.desk.dashboard import BUCKET_TITLES, LABEL_ROOM, BarChart
    from mediator_app.ui.formatting import tr

    titles = [tr(BUCKET_TITLES[b], "Desk") for b in DUE_BUCKETS]
    assert "4–24 小时" in titles
    chart = BarChart("due", list(DUE_BUCKETS), titles, "#ef6c00")
    qtbot.addWidget(chart)
    chart.set_values([52, 35, 89, 200, 184, 5])
    chart.resize(500, 420)  # the desk's chart at 1600 × 1000
    chart.show()
    qtbot.waitExposed(chart)
    qtbot.waitUntil(lambda: chart.categories.categories() != titles, timeout=5_000)
    shown = chart.categories.categories()
    share = chart.chart().plotArea().width() / len(titles)
    metrics = QFontMetrics(chart.categories.labelsFont())
    assert shown[titles.index("4–24 小时")] == "4–24<br/>小时"
    assert [s.replace("<br/>", " ") for s in shown] == titles
    for label in shown:
        assert max(metrics.horizontalAdvance(line) for line in label.split("<br/>")) + LABEL_ROOM <= share, label
    assert sum("<br/>" in s for s in shown) < len(shown)  # only those that need it
