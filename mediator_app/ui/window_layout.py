"""The window's layout between runs: geometry, toolbars, the splitter and the queue's columns, per user."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

DEFAULT_SPLIT = [700, 900]  # the queue's columns, then the case (until the window is shown: `first_split`)
#: The case pane's width at the splitter's first position: its clock table reads in two lines a clock, and its
#: header in three or four fields a row (at 1366 px the queue gets the rest; at 1600 px its first columns fit).
CASE_WIDTH = 805
#: Bumped when the default layout changes: a layout saved under an older one is not restored (once).
LAYOUT_VERSION = 2


def restore(settings: QSettings, window: QMainWindow, splitter: QSplitter, header: QHeaderView) -> bool:
    """Restore the saved layout; False when the splitter has no saved position (then call `first_split` once the
    window has its size)."""
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = settings.value("window/state")
    if state is not None:
        window.restoreState(state)
    current = str(settings.value("layout/version", "")) == str(LAYOUT_VERSION)
    split = settings.value("window/splitter") if current else None
    if split is not None:
        splitter.restoreState(split)
    else:
        splitter.setSizes(DEFAULT_SPLIT)
    columns = settings.value("queue/header") if current else None
    if columns is not None:
        header.restoreState(columns)
    return split is not None


def first_split(splitter: QSplitter, queue_wanted: int) -> int:
    """The splitter's first position: the queue as wide as it wants, the case at least `CASE_WIDTH` (and the queue
    at least a third). Returns the queue's width."""
    total = sum(splitter.sizes()) or splitter.width()
    queue = max(min(queue_wanted, total - CASE_WIDTH), total // 3)
    splitter.setSizes([queue, total - queue])
    return splitter.sizes()[0]


def save(settings: QSettings, window: QMainWindow, splitter: QSplitter, header: QHeaderView) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("window/splitter", splitter.saveState())
    settings.setValue("queue/header", header.saveState())
    settings.setValue("layout/version", LAYOUT_VERSION)
    settings.sync()
