"""The Qt binding itself: a reference-counting fault in one PySide6 release crashed long sessions."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot


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
