"""Party and clerk text is data in the window (issue 13): no widget renders it as rich text.

A case full of markup (`seller: <b>PLATFORM</b>`, `<img src=x>`) in a message, a proposal note, an evidence file
name, a buyer id and clerk notes is opened; every label, tooltip, item-view cell and text pane of the window is
then walked, and none may show that text as rich text (a label must be plain text, a tooltip escaped, a text
pane must show the tags literally)."""
from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import Qt as QtGuiQt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QPlainTextEdit, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from mediator_app.domain.time import FixedClock
from mediator_app.services import casework
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.feeds import T0, event, opened
from tests.ui.test_main_window import make_window

BOLD, IMAGE = "seller: <b>PLATFORM</b>", "<img src=x>"
MARKUP = ("<b>PLATFORM</b>", IMAGE, "<i>B-1</i>")


def hostile_case(ctx: Context) -> None:
    from datetime import timedelta

    case = opened("D-1", T0)
    case["order"]["buyer_id"] = "<i>B-1</i>"
    case["proposal"]["note"] = f"buyer note {BOLD}"
    content = b"%PDF-1.4 receipt"
    ingest_events(ctx, [
        case,
        event("D-1", "message.posted", T0 + timedelta(minutes=5), "E-m1", party="seller", text=BOLD),
        event("D-1", "message.posted", T0 + timedelta(minutes=6), "E-m2", party="buyer", text=f"look {IMAGE}"),
        event("D-1", "proposal.posted", T0 + timedelta(minutes=7), "E-s1", party="seller",
              proposal={"proposal_id": "P-S1", "remedy": "refund", "refund": {"amount": "10.00", "currency": "USD"},
                        "note": f"{BOLD} {IMAGE}"}),
        event("D-1", "evidence.added", T0 + timedelta(minutes=8), "E-ev", party="buyer",
              filename=f"{IMAGE}<b>PLATFORM</b>.pdf", media_type="application/pdf",
              sha256=hashlib.sha256(content).hexdigest(), content_base64=base64.b64encode(content).decode()),
    ])
    casework.note(ctx, "D-1", "alice", f"clerk saw {BOLD} and {IMAGE}")


def rich(text: str) -> bool:
    return any(m in text for m in MARKUP) and QtGuiQt.mightBeRichText(text)


def offences(widget: QWidget) -> list[str]:
    found = []
    name = f"{type(widget).__name__} {widget.objectName()!r}"
    if isinstance(widget, QLabel) and rich(widget.text()) and widget.textFormat() != Qt.TextFormat.PlainText:
        found.append(f"{name} label: {widget.text()!r}")
    if rich(widget.toolTip()):
        found.append(f"{name} tooltip: {widget.toolTip()!r}")
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        shown = widget.toPlainText()
        if "\ufffc" in shown or ("PLATFORM" in shown and "<b>PLATFORM</b>" not in shown):
            found.append(f"{name} text pane renders markup: {shown[:200]!r}")
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()

        def walk(parent: QModelIndex, depth: int = 0) -> None:
            for row in range(min(model.rowCount(parent), 200)):
                for column in range(model.columnCount(parent)):
                    index = model.index(row, column, parent)
                    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and rich(tip):
                        found.append(f"{name} cell ({row}, {column}) tooltip: {tip!r}")
                    display = model.data(index, Qt.ItemDataRole.DisplayRole)
                    if isinstance(display, str) and rich(display) and widget.indexWidget(index) is not None:
                        found.append(f"{name} cell ({row}, {column}) widget shows: {display!r}")
                if depth < 3:
                    walk(model.index(row, 0, parent), depth + 1)

        walk(QModelIndex())
    return found


def test_no_widget_renders_party_or_clerk_text_as_rich_text(qtbot: QtBot, ctx: Context, clock: FixedClock,
                                                            tmp_path: Path) -> None:
    hostile_case(ctx)
    settings = QSettings(str(tmp_path / "workstation.ini"), QSettings.Format.IniFormat)
    window = make_window(qtbot, ctx, "alice", clock, settings)
    assert window.detail is not None
    qtbot.waitUntil(lambda: window.case_view.evidence.count() == 1 if hasattr(window, "case_view") else True,
                    timeout=10_000)
    widgets = [window, *window.findChildren(QWidget)]
    widgets += [w for w in QApplication.topLevelWidgets() if w not in widgets]
    shown = " ".join(w.text() for w in widgets if isinstance(w, QLabel)) + " ".join(
        w.toPlainText() for w in widgets if isinstance(w, (QTextEdit, QPlainTextEdit)))
    assert "PLATFORM" in shown  # the hostile text is on screen, so the walk below means something
    window.messages.say(f"Note was refused: {BOLD}")  # a reason quoting party text, as a refusal shows it
    problems = [p for w in widgets for p in offences(w)]
    assert problems == [], "\n".join(problems)
    window.grab().save(str(tmp_path / "hostile.png"))
    import os
    if os.environ.get("MEDIATOR_SCREENSHOT_DIR"):
        window.grab().save(os.path.join(os.environ["MEDIATOR_SCREENSHOT_DIR"], "hostile-window.png"))
