"""Two languages (issue 15 item 1): the committed zh_CN translation is complete and current, the window in zh_CN
shows no English, Settings → Language rebuilds the window with the case open, the services' English reads in
Chinese through the one phrasebook, and dates, zones and money follow the locale."""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest
from PySide6.QtCore import QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox, QGroupBox, QHeaderView, QLabel,
                               QLineEdit, QMenu, QTabWidget, QTreeWidget, QWidget)
from pytestqt.qtbot import QtBot

from mediator_app.app import build_main_window
from mediator_app.domain.money import Money
from mediator_app.domain.permissions import Actor, CaseFacts, refusal
from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context
from mediator_app.services.demo import fill_demo
from mediator_app.ui import language
from mediator_app.ui.formatting import money_text, when, zone_name
from mediator_app.ui.main_window import MainWindow
from mediator_app.ui.phrasebook import phrase

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "mediator_zh_CN.ts"


def lupdate() -> str:
    tool = Path(language.lrelease() or "").with_name("pyside6-lupdate")
    assert tool.exists(), "pyside6-lupdate (from the PySide6 wheel) is needed"
    return str(tool)


def test_the_committed_zh_CN_translation_is_complete_and_current(tmp_path: Path) -> None:
    """lupdate on today's sources into a copy of the committed .ts: no new (unfinished) text, none vanished."""
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "mediator_app").rglob("*.py"))
    subprocess.run([lupdate(), *sources, "-locations", "none", "-source-language", "en", "-target-language", "zh_CN",
                    "-ts", str(copy)], check=True, capture_output=True)
    bad: list[str] = []
    count = 0
    for context in ET.parse(copy).getroot():
        for message in context.iter("message"):
            count += 1
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            kind = translation.get("type")
            if kind in ("unfinished", "vanished", "obsolete") or not (translation.text or "").strip():
                bad.append(f"{context.findtext('name')!r} {source!r}: {kind or 'empty'}")
            elif sorted(re.findall(r"%\d", source)) != sorted(re.findall(r"%\d", translation.text or "")):
                bad.append(f"{context.findtext('name')!r} {source!r}: placeholders differ")
    assert count > 300
    assert not bad, "zh_CN entries to finish (run `make translations`, translate in Linguist):\n" + "\n".join(bad)


def test_the_qm_is_built_and_loads(tmp_path: Path) -> None:
    qm = language.ensure_compiled("zh_CN")
    assert qm is not None and qm.exists()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("CaseView", "Timeline") == "时间线"


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    before = QLocale()
    language.install("zh_CN")  # translators need the application
    try:
        yield
    finally:
        language.install("en")
        QLocale.setDefault(before)  # the other tests run in the locale they always had


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)


def wait_for_case(qtbot: QtBot, window: MainWindow) -> str:
    qtbot.waitUntil(lambda: bool(window.queue.ordered_ids()), timeout=20_000)
    if window.queue.selected_dispute() is None:
        window.queue.select_dispute(window.queue.ordered_ids()[0])
    qtbot.waitUntil(lambda: window.detail is not None, timeout=20_000)
    return window.detail.dispute_id  # type: ignore[union-attr]


# What may stay in Latin letters on a Chinese screen: ids, codes, names, units.
ALLOWED = [
    r"[A-Z]+(?:-[A-Z0-9]+)+",  # D-101541, P-101541-S2, DEMO-2024-6738, O-8100154006
    r"\b[A-Z]{3}\b",  # currency codes
    r"\b[a-z]+-\d{4}\b",  # policy ids: aliexpress-2024
    r"\b[a-z]+(?:_[a-z0-9]+)+\b",  # field and option codes: return_shipping_paid_by, due_24h
    r"(?<![\w-])--[a-z][a-z-]*",  # a command's options named in a refusal: --adopt, --force
    r"`[^`]+`",  # a command to run: `mediator db upgrade`
    r"\b[a-z]+\.[a-z_]+\b",  # event types: dispute.opened
    r"(?<![A-Za-z])(?:alice|bob|carol|sam|dora|li\.wei|sweeper|feed|Mediator|SLA|UTC|GMT|KiB|MiB|sha256|Ctrl|Shift|F5"
    r"|PostgreSQL|SQLite)"
    r"(?![A-Za-z])",  # (next to Chinese letters too: no \b between 'bob' and '将')
    r"sqlite:\S*|postgresql\S*",  # the database the status bar names
    r"[\w.-]+\.(?:png|jpe?g|webp|pdf|mp4)\b",  # evidence file names (the parties')
    r"\b(?:image|application|video)/[\w.+-]+",  # media types
    r"\(&[A-Z]\)",  # accelerators: 认领(&C)
]


def english_in(text: str) -> str | None:
    rest = text
    for pattern in ALLOWED:
        rest = re.sub(pattern, " ", rest)
    found = re.search(r"[A-Za-z]{2,}", rest)
    return None if found is None else found.group(0)


def visible_texts(window: MainWindow) -> list[tuple[str, str]]:
    """(where, text) for every visible widget's text, tooltip, header, tab, menu and action."""
    texts: list[tuple[str, str]] = [("window title", window.windowTitle())]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {widget.objectName()}"
        texts.append((name + " tooltip", widget.toolTip()))
        if isinstance(widget, QLabel):
            texts.append((name, widget.text()))
        elif isinstance(widget, QAbstractButton):
            texts.append((name, widget.text()))
        elif isinstance(widget, QLineEdit):
            texts.append((name + " placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            texts.extend((name + " item", widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QGroupBox):
            texts.append((name, widget.title()))
        elif isinstance(widget, QTabWidget):
            texts.extend((name + " tab", widget.tabText(i)) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                for role in (0, 3):  # display, tooltip
                    texts.append((name + f" header {column}", str(model.headerData(column, Qt_Horizontal, role) or "")))
            if not isinstance(widget, (QTreeWidget, QHeaderView)):  # the queue and the clocks: first rows
                for row in range(min(model.rowCount(), 15)):
                    rows = getattr(model, "rows", None)  # the audit trail: a party's or clerk's words are data
                    kind = getattr(rows[row], "kind", None) if isinstance(rows, list) and row < len(rows) else None
                    for column in range(model.columnCount()):
                        if kind in PARTY_KINDS and column == model.columnCount() - 1:
                            continue
                        texts.append((name + f" cell {row},{column}", str(model.index(row, column).data() or "")))
    for action in window.findChildren(QAction):
        if action.isVisible() and not action.isSeparator():
            texts.append((f"action {action.objectName()}", action.text()))
            texts.append((f"action {action.objectName()} tooltip", action.toolTip()))
    for menu in window.findChildren(QMenu):
        texts.append(("menu", menu.title()))
    return [(where, text) for where, text in texts if text]


from PySide6.QtCore import Qt  # noqa: E402


def chart_texts(window: QWidget) -> list[tuple[str, str]]:
    """The visible charts' title, axis titles, categories and bar-set labels."""
    try:
        from PySide6.QtCharts import QBarCategoryAxis, QChartView
    except ImportError:
        return []
    texts: list[tuple[str, str]] = []
    for view in window.findChildren(QChartView):
        if not view.isVisibleTo(window):
            continue
        chart = view.chart()
        texts.append(("chart title", chart.title()))
        for axis in chart.axes():
            texts.append(("chart axis", axis.titleText()))
            if isinstance(axis, QBarCategoryAxis):
                # rich text: a label too wide for its bar is broken in two with <br/>
                texts.extend(("chart category", c.replace("<br/>", " ")) for c in axis.categories())
        for series in chart.series():
            texts.append(("chart series", series.name()))
            for bar_set in getattr(series, "barSets", lambda: [])():
                texts.append(("chart bars", bar_set.label()))
    return [(where, text) for where, text in texts if text]

Qt_Horizontal = Qt.Orientation.Horizontal
LANGUAGE_NAMES = {"English"}
#: history kinds whose line carries a party's or a clerk's own words (messages, notes, file names)
PARTY_KINDS = {"message.posted", "note.added", "evidence.added", "proposal.rejected", "platform_proposal.rejected",
               "ruling.made", "approval.sent_back"}  # Settings → Language names each language in itself


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_window_in_zh_CN_shows_no_english(qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings,
                                              chinese: None) -> None:
    fill_demo(ctx, 300, seed=4, desk=True)  # with pending approvals in the inbox
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "bob", clock, settings)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    wait_for_case(qtbot, window)
    # the timeline's own texts (party words excluded: messages, notes and file names are data)
    timeline = window.case.timeline
    entries = [e for e in window.detail.timeline if e.kind not in PARTY_KINDS]  # type: ignore[union-attr]
    found = []
    for tab in range(window.case.tabs.count()):  # each tab of the case in turn: timeline, evidence, messages
        window.case.tabs.setCurrentIndex(tab)
        found += [(where, text, english_in(text)) for where, text in visible_texts(window)
                  if text not in LANGUAGE_NAMES and english_in(text)]
    found += [("timeline summary", phrase(e.summary), english_in(phrase(e.summary))) for e in entries
              if english_in(phrase(e.summary))]
    desk = getattr(window, "desk", None)
    if desk is not None and desk.tabs is not None:  # the supervisor's desk: every panel, its charts' words too
        desk.show_desk()
        qtbot.waitUntil(lambda: desk.desk.loaded and not window.ops.busy, timeout=20_000)
        inbox = desk.desk.inbox.findChild(QAbstractItemView, "approvalInbox") or desk.desk.inbox
        qtbot.waitUntil(lambda: inbox.model() is not None and inbox.model().rowCount() > 0, timeout=20_000)
        for panel in range(desk.desk.tabs.count()):
            desk.desk.tabs.setCurrentIndex(panel)
            qtbot.waitUntil(lambda: not window.ops.busy, timeout=20_000)
            found += [(where, text, english_in(text)) for where, text in visible_texts(window) + chart_texts(window)
                      if text not in LANGUAGE_NAMES and english_in(text)]
    assert timeline.topLevelItemCount() > 0
    assert not found, "English on the Chinese screen:\n" + "\n".join(f"{w}: {t!r} ({e})" for w, t, e in found)
    assert window.windowTitle().startswith("Mediator 争议调解")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_settings_language_rebuilds_the_window_with_the_case_open(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                                  settings: QSettings) -> None:
    fill_demo(ctx, 40, seed=2)
    before = QLocale()
    language.install("en")
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock, settings)
    qtbot.addWidget(window)
    window.show()
    dispute = wait_for_case(qtbot, window)
    assert window.case.tabs.tabText(0).startswith("Timeline")
    try:
        with qtbot.waitSignal(window.replaced, timeout=20_000) as replaced:
            window.actions_by_name["Language_zh_CN"].trigger()
        new: MainWindow = replaced.args[0]
        qtbot.addWidget(new)
        qtbot.waitUntil(lambda: new.detail is not None and new.detail.dispute_id == dispute, timeout=20_000)
        assert new.queue.selected_dispute() == dispute
        assert new.isVisible() and not window.isVisible()
        assert new.actions_by_name["Claim"].text() == "认领(&C)"
        assert new.actions_by_name["Language_zh_CN"].isChecked()
        assert settings.value(language.SETTING) == "zh_CN"
        with qtbot.waitSignal(new.replaced, timeout=20_000) as back:
            new.actions_by_name["Language_en"].trigger()
        english: MainWindow = back.args[0]
        qtbot.addWidget(english)
        qtbot.waitUntil(lambda: english.detail is not None and english.detail.dispute_id == dispute, timeout=20_000)
        assert english.actions_by_name["Claim"].text() == "&Claim"
    finally:
        language.install("en")
        QLocale.setDefault(before)


def test_the_language_follows_the_option_then_the_setting_then_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDIATOR_LANG", raising=False)
    assert language.resolve("en", "zh_CN") == "en"
    assert language.resolve(None, "zh_CN") == "zh_CN"
    assert language.resolve(None, "xx") == language.system_language()
    monkeypatch.setenv("MEDIATOR_LANG", "zh_CN")
    assert language.resolve(None, None) == "zh_CN"


def test_refusals_and_history_read_in_chinese_and_stay_english_for_the_cli(chinese: None) -> None:
    now = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    facts = CaseFacts(dispute_id="D-1", stage="closed", assigned_to=None, claim_expires_at=None)
    reason = refusal(facts, Actor("alice", "clerk"), "claim", now)
    assert reason == "dispute D-1 is closed; a claim on a closed dispute is rejected"  # the contract's text
    assert phrase(reason) == "争议 D-1 已结案；不能认领已结案的争议"
    assert phrase("alice is a clerk; approve needs the role supervisor") == "alice 是专员；审批需要主管角色"
    assert phrase("seller posted P-1-S1: refund 20.00 USD (supersedes P-1-S0)") == \
        "卖家提交方案 P-1-S1：退款 20.00 USD（取代 P-1-S0）"
    assert phrase("buyer: %2 is not a placeholder") == "买家：%2 is not a placeholder"  # party text as it is
    assert phrase("something no catalogue knows") == "something no catalogue knows"
    language.install("en")
    assert phrase(reason) == reason


def test_dates_zones_and_money_follow_the_locale(chinese: None) -> None:
    at = datetime(2026, 11, 6, 2, 0, tzinfo=timezone.utc)
    assert zone_name(at, "Asia/Shanghai") == "北京时间"
    assert zone_name(at, "Europe/Berlin") == "中欧标准时间"
    assert when(at, "Asia/Shanghai") == "11月6日 10:00"
    assert money_text(Money(Decimal("1234.5"), "CNY")) == "1,234.50 CNY"
    language.install("en")
    assert zone_name(at, "Asia/Shanghai") == "CST"
    assert when(at, "Asia/Shanghai") == "06 Nov 10:00"
    assert money_text(Money(Decimal("1234.5"), "EUR"), QLocale(QLocale.Language.German)) == "1.234,50 EUR"


def test_qt_standard_dialog_buttons_are_chinese(chinese: None) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    assert QApplication.instance() is not None
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def dialog_english(dialog: QWidget) -> list[tuple[str, str, str]]:
    texts = [("title", dialog.windowTitle())]
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append((widget.objectName(), widget.text()))
        elif isinstance(widget, QLineEdit):
            texts.append((widget.objectName(), widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            texts.extend((widget.objectName(), widget.itemText(i)) for i in range(widget.count()))
        texts.append((widget.objectName() + " tooltip", widget.toolTip()))
    return [(where, text, found) for where, text in texts if text and (found := english_in(text))]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_dialogs_in_zh_CN_show_no_english(qtbot: QtBot, ctx: Context, clock: FixedClock, settings: QSettings,
                                              chinese: None, tmp_path: Path) -> None:
    from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft
    from mediator_app.ui.dialogs.rule_dialog import RuleDialog, RuleDraft
    from mediator_app.ui.dialogs.sign_in import SignInDialog

    fill_demo(ctx, 40, seed=2)
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock, settings)
    qtbot.addWidget(window)
    wait_for_case(qtbot, window)
    case = window.detail.view  # type: ignore[union-attr]  (the dialogs read the typed case view)
    propose = ProposeDialog(case, ProposeDraft(amount="12,5x"), None, window)  # a bad amount: the domain's refusal
    rule = RuleDialog(case, RuleDraft(), None, window)
    sign_in = SignInDialog([("alice", "clerk"), ("bob", "supervisor")], window)
    for dialog in (propose, rule, sign_in):
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.grab().save(str(tmp_path / f"{dialog.objectName() or type(dialog).__name__}.png"))
        assert not dialog_english(dialog), dialog_english(dialog)
    assert "66.65" in propose.hint.text() and "金额" in propose.hint.text()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_history_line_of_the_demo_desk_reads_in_chinese(ctx: Context, chinese: None) -> None:
    """The phrasebook knows every kind of line the feed, the clerks, the supervisor and the sweeper write."""
    from sqlalchemy import text

    fill_demo(ctx, 200, seed=5, desk=True)
    with ctx.engine.connect() as conn:
        lines = [row[0] for row in conn.execute(text("SELECT summary FROM history"))]
    assert len(lines) > 1000
    unknown = sorted({line for line in lines if phrase(line) == line})
    assert not unknown, unknown[:20]


def test_every_refusal_the_permission_rule_gives_reads_in_chinese(chinese: None) -> None:
    """Each action × stage × role × holder the rule can refuse: the refusal is in the phrasebook, no English
    left but ids and names."""
    from datetime import timedelta

    from mediator_app.domain.permissions import ACTIONS

    now = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)
    stages = ("awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review", "pending_approval",
              "awaiting_return_shipment", "awaiting_return_receipt", "closed")
    reasons: set[str] = set()
    for stage in stages:
        for holder in (None, "carol", "alice"):
            for pending_by in (None, "alice"):
                for hold_kind in (None, "assignment"):  # a claim's lease, a supervisor's standing assignment
                    facts = CaseFacts("D-1", stage, holder, now + timedelta(hours=1) if holder else None, pending_by,
                                      "ruling" if pending_by else None, frozenset({"buyer"}),
                                      hold_kind if holder else None, "bob" if holder and hold_kind else None)
                    for actor in (Actor("alice", "clerk"), Actor("bob", "supervisor"), Actor("dora", "auditor")):
                        for action in ACTIONS:
                            for take_over in (True, False):
                                reason = refusal(facts, actor, action, now, take_over)
                                if reason:
                                    reasons.add(reason)
    assert len(reasons) >= 8 and any("is assigned to carol (by bob)" in r for r in reasons)
    untranslated = [(r, phrase(r)) for r in sorted(reasons) if phrase(r) == r or english_in(phrase(r))]
    assert not untranslated, untranslated


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_windows_case_file_is_in_the_windows_language(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                         settings: QSettings, chinese: None, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Case → Export case file (PDF)… in a Chinese window: Chinese headings and labels (`render` reads the
    window's language), the ids as they are and the amounts by the locale."""
    from mediator_app.services.reading import show
    from mediator_app.domain.money import parse_money
    from mediator_app.ui.offline_window import Files

    fill_demo(ctx, 20, seed=3)
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "alice", clock, settings)
    qtbot.addWidget(window)
    window.show()
    dispute_id = wait_for_case(qtbot, window)
    out = tmp_path / "case.pdf"
    monkeypatch.setattr(Files, "save_case_file", classmethod(lambda cls, parent, dispute: str(out)))
    window.actions_by_name["ExportCaseFile"].trigger()
    qtbot.waitUntil(lambda: getattr(window.offline, "last_case_file", None) is not None, timeout=20_000)
    pdf_text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True,
                              text=True).stdout
    flat = re.sub(r"\s+", "", pdf_text)
    assert f"案件档案{dispute_id}" in flat and "时间线" in flat and "来源：数据库" in flat
    for english in ("Case file", "Timeline", "Order total", "Summary", "page 1 of", "from database"):
        assert english not in pdf_text, english
    total = money_text(parse_money(show(ctx, dispute_id)["order_total"]))  # by the locale: 6,670.90 CNY
    assert total in pdf_text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_window_walked_in_zh_CN_shows_no_english(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                     settings: QSettings, chinese: None, tmp_path: Path) -> None:
    """The supervisor's window in zh_CN, walked as a clerk would: each case command's dialog opened from its action
    (propose, rule, note, send back, assign), the Settings menu, every tab of the desk, and a refusal in the
    banner — no English but ids, codes and names on any of them. Screenshots of each dialog in tmp_path."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    fill_demo(ctx, 300, seed=4, desk=True)
    window = build_main_window(ctx.engine.url.render_as_string(hide_password=False), "bob", clock, settings)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    wait_for_case(qtbot, window)
    from sqlalchemy import text as sql

    def open_case(stage_wanted: tuple[str, ...]) -> str:
        """The first case in one of these stages, opened as the desk opens one (whether the queue lists it or not)."""
        with ctx.engine.connect() as conn:
            dispute_id = conn.execute(sql("SELECT dispute_id, stage FROM disputes ORDER BY dispute_id")).all()
        found = next(d for d, stage in dispute_id if stage in stage_wanted)
        window.queue.forget_selection()
        window.open_case(found)
        qtbot.waitUntil(lambda: window.detail is not None and window.detail.dispute_id == found, timeout=20_000)
        return str(found)

    seen: dict[str, list[tuple[str, str, str]]] = {}

    def walk(command: str) -> None:
        """Trigger the command; when its dialog is up, read it, grab it and cancel it."""
        def inspect() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QDialog):
                QTimer.singleShot(20, inspect)  # the dialog opens once its data came back (assign: the users)
                return
            seen[command] = dialog_english(dialog)
            dialog.grab().save(str(tmp_path / f"{command}.png"))
            dialog.reject()

        action = window.actions_by_name[command]
        qtbot.waitUntil(lambda: action.isEnabled(), timeout=20_000)
        QTimer.singleShot(0, inspect)
        action.trigger()
        qtbot.waitUntil(lambda: command in seen, timeout=20_000)

    open_case(("awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review"))
    for command in ("Propose", "Rule", "Note", "Assign"):
        walk(command)
    open_case(("pending_approval",))
    walk("SendBack")
    assert set(seen) == {"Propose", "Rule", "Note", "Assign", "SendBack"}
    found = [(command, where, text, english) for command, items in seen.items() for where, text, english in items]
    closed = open_case(("closed",))  # a resolved case: how it ended, what executed, the history status
    found += [(f"closed case {closed}", where, text, english_in(text)) for where, text in visible_texts(window)
              if text not in LANGUAGE_NAMES and english_in(text)]
    # the Settings menu and every menu's entries
    for menu in window.menuBar().findChildren(QMenu):
        found += [("menu", menu.title(), a.text(), english_in(a.text())) for a in menu.actions()
                  if a.text() and a.text() not in LANGUAGE_NAMES and english_in(a.text())]
    assert any(m.title().startswith("设置") for m in window.menuBar().findChildren(QMenu))
    # a refusal in the banner: the service's English reason in the window's words
    window.messages.say(phrase("alice is a clerk; approve needs the role supervisor"))
    assert not english_in(window.banner_text.text()), window.banner_text.text()
    desk = window.desk
    assert desk is not None and desk.tabs is not None
    desk.show_desk()
    qtbot.waitUntil(lambda: desk.desk.loaded and not window.ops.busy, timeout=20_000)
    for panel in range(desk.desk.tabs.count()):
        desk.desk.tabs.setCurrentIndex(panel)
        qtbot.waitUntil(lambda: not window.ops.busy, timeout=20_000)
        found += [(f"desk tab {panel}", where, text, english_in(text))
                  for where, text in visible_texts(window) + chart_texts(window)
                  if text not in LANGUAGE_NAMES and english_in(text)]
    assert not found, "English on the Chinese screen:\n" + "\n".join(f"{c} {w}: {t!r} ({e})" for c, w, t, e in found)
