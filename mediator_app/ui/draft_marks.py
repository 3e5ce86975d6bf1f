"""Draft marks in a bundle window's case timeline (§6): a drafted line, not yet synced, reads "[DRAFT] …" in the
Summary column, in italic amber; a draft applied by a sync since reads "[SYNCED] …" in italic grey (decision 171).

Hooked on `CaseView.case_shown` (emitted once the timeline is filled), so the case view itself knows nothing of
bundles; the lines to mark are those the bundle's `show` names by `draft_id` (`services.drafts.drafted_json`).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeWidget

from .case_timeline import SUMMARY  # the timeline's Summary column
from .formatting import QT_TRANSLATE_NOOP, plain_tip, tr

MARKS = {  # draft status -> (mark, colour)
    "pending": (QT_TRANSLATE_NOOP("", "[DRAFT]"), "#b36b00"),
    "applied": (QT_TRANSLATE_NOOP("", "[SYNCED]"), "#6b6b6b"),
}


def drafted_lines(case: dict[str, Any]) -> dict[int, str]:
    """Timeline row -> the status of the draft that made it, for the rows made by drafts in force."""
    statuses = {d["draft_id"]: d["status"] for d in case.get("drafts", ())}
    return {row: statuses[entry["draft_id"]] for row, entry in enumerate(case.get("timeline", ()))
            if entry.get("draft_id") in statuses and statuses[entry["draft_id"]] in MARKS}


def mark_timeline(tree: QTreeWidget, case: dict[str, Any]) -> int:
    """Mark the drafted rows of a filled timeline; how many were marked."""
    marked = 0
    for row, status in drafted_lines(case).items():
        item = tree.topLevelItem(row)
        if item is None:
            continue
        mark, colour = MARKS[status]
        text = f"{tr(mark)} {item.text(SUMMARY)}"
        item.setText(SUMMARY, text)
        item.setToolTip(SUMMARY, plain_tip(text))  # party text: never markup
        font = QFont(item.font(SUMMARY))
        font.setItalic(True)
        item.setFont(SUMMARY, font)
        item.setForeground(SUMMARY, QBrush(QColor(colour)))
        marked += 1
    return marked


def attach(case_view: Any) -> None:
    """Mark every case the bundle window's case view shows (`case_view.detail().case` is the bundle's `show`)."""
    def on_shown(_dispute_id: str) -> None:
        detail = case_view.detail()
        if detail is not None:
            mark_timeline(case_view.timeline, detail.case)

    case_view.case_shown.connect(on_shown)
