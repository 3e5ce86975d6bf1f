"""The Qt binding itself: a reference-counting fault in one PySide6 release crashed long sessions."""
from __future__ import annotations

import sys

import shiboken6
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from mediator_app.services.context import Context


def test_qt_calls_do_not_use_up_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 drops one reference to None per void call (processEvents, repaint, …);
    after some thousands the interpreter aborts with "none_dealloc". pyproject.toml keeps that release out."""
    label = QLabel("x")
    qtbot.addWidget(label)
    label.show()
    app = QApplication.instance()
    assert app is not None
    before = sys.getrefcount(None)
    for _ in range(2000):
        app.processEvents()
        label.repaint()
    assert abs(sys.getrefcount(None) - before) < 200  # the faulty release loses 4,000 here


def test_an_answer_for_a_destroyed_owner_is_dropped(qtbot: QtBot, ctx: Context) -> None:
    """A widget closed while its call runs must not be called back (it would raise in Qt's event loop)."""
    import threading

    from PySide6.QtCore import QObject

    from mediator_app.ui.operations import Operations

    ops = Operations(ctx, "alice", "clerk")
    gate = threading.Event()
    owner, survivor = QObject(), QObject()
    answers: list[str] = []
    ops.run(lambda: gate.wait(10) and "late", answers.append, owner=owner)
    ops.run(lambda: gate.wait(10) and "kept", answers.append, owner=survivor)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=5_000)
    gate.set()
    qtbot.waitUntil(lambda: ops.busy == 0, timeout=10_000)
    assert answers == ["kept"]
