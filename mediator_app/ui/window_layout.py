"""The window's layout between runs: geometry, toolbars, the splitter and the queue's columns, per user."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

DEFAULT_SPLIT = [700, 900]  # the queue's columns, then the case


def restore(settings: QSettings, window: QMainWindow, splitter: QSplitter, header: QHeaderView) -> None:
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)
    split = settings.value("window/splitter")
    if split is not None:
        splitter.restoreState(split)
    else:
        splitter.setSizes(DEFAULT_SPLIT)
    columns = settings.value("queue/header")
    if columns is not None:
        header.restoreState(columns)


def save(settings: QSettings, window: QMainWindow, splitter: QSplitter, header: QHeaderView) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("window/splitter", splitter.saveState())
    settings.setValue("queue/header", header.saveState())
    settings.sync()
