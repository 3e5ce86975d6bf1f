"""How the queue looks and what it says: column titles, urgency colours and icons, the countdown's words, and the
`Look` of a cell that `QueueDelegate` paints. No state: the model asks these for each cell.

Colour is never the only signal: an overdue or soon-due countdown also has its icon and its words (tooltip and
accessible text).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon

from mediator_app.ui.formatting import (CLOCKS, PARTIES, PLATFORM_ZONE, countdown, label, sla_rule_text, tr, urgency,
                                        when_long)
from mediator_app.ui.queue_lines import AMOUNT, COLUMN_COUNT, LEFT

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
PLACEHOLDER = "…"
PLACEHOLDER_COLOUR = QColor("#7b818a")
CONTEXT = "QueueModel"  # the translation context of the model's words (as when they were `QueueModel.tr`)

# urgency -> (text colour, background); never the only signal: icon and words go with it
URGENT_COLOURS = {
    "overdue": (QColor("#8e1b1b"), QColor("#fbe3e3")),
    "soon": (QColor("#7a4300"), QColor("#fff1d1")),
}
ALIGNMENT = tuple((Qt.AlignmentFlag.AlignRight if column in (LEFT, AMOUNT) else Qt.AlignmentFlag.AlignLeft)
                  | Qt.AlignmentFlag.AlignVCenter for column in range(COLUMN_COUNT))
_icons: dict[str, QIcon] = {}


class Look(NamedTuple):
    """A cell as painted: text, icon, colours (None: the style's) and weight."""

    text: str
    icon: QIcon | None
    foreground: QColor | None
    background: QColor | None
    bold: bool


def urgency_icon(name: str) -> QIcon | None:
    """overdue | soon | later | sla-breached, drawn in resources/icons; None when the file is missing."""
    if name not in _icons:
        path = ICON_DIR / f"{name}.svg"
        _icons[name] = QIcon(str(path)) if path.is_file() else QIcon()
    icon = _icons[name]
    return None if icon.isNull() else icon


def urgency_words(level: str) -> str:
    return {
        "overdue": tr("Overdue", "Queue"), "soon": tr("Due within 24 h", "Queue"),
        "later": tr("Due later", "Queue"), "none": tr("No running clock", "Queue"),
    }[level]


def headers() -> list[tuple[str, str]]:
    """(title, tooltip) per column."""
    return [
        (tr("Left", CONTEXT), tr("Time left to the earliest running clock; negative when overdue", CONTEXT)),
        (tr("Clock", CONTEXT), tr("The earliest running clock and who must act on it", CONTEXT)),
        (tr("Dispute", CONTEXT), tr("Dispute id", CONTEXT)),
        (tr("Stage", CONTEXT), tr("Where the dispute stands", CONTEXT)),
        (tr("Reason", CONTEXT), tr("The buyer's reason for the dispute", CONTEXT)),
        (tr("Asked / total", CONTEXT), tr("Refund the buyer asks for, against the order total", CONTEXT)),
        (tr("Clerk", CONTEXT), tr("The clerk holding the case", CONTEXT)),
        (tr("SLA", CONTEXT), sla_rule_text() + " — " + tr("breached or ok", CONTEXT)),
        (tr("If silent", CONTEXT), tr("Default judgment: what executes, for how much and when, "
                                      "if the silent party stays silent", CONTEXT)),
    ]


def not_sortable(tip: str) -> str:
    return tip + " " + tr("(not sortable)", CONTEXT)


def placeholder_look(dispute_id: str | None, waiting: bool) -> Look:
    """A row whose line is not in: its id when known (the dispute column), else `…` while it loads, `—` when not."""
    if dispute_id is not None:
        return Look(dispute_id, None, PLACEHOLDER_COLOUR, None, False)
    return Look(PLACEHOLDER if waiting else "—", None, PLACEHOLDER_COLOUR, None, False)


def breached_look(text: str) -> Look:
    foreground, background = URGENT_COLOURS["overdue"]
    return Look(text, urgency_icon("sla-breached"), foreground, background, False)


def open_elsewhere_text(holder_text: str, others: list[str]) -> str:
    return tr("%1 · open: %2", CONTEXT).replace("%1", holder_text).replace("%2", ", ".join(others))


def countdown_words(due: datetime | None, clock: str | None, party: str | None, now: datetime,
                    accessible: bool) -> str:
    """The countdown cell's tooltip (or, `accessible`, its accessible text)."""
    level = urgency(due, now)
    if due is None:
        return urgency_words(level)
    if accessible:
        return f"{urgency_words(level)}: {countdown(due, now)}"
    return (tr("%1: %2 — %3 must act (%4); due %5, platform time %6", CONTEXT)
            .replace("%1", urgency_words(level)).replace("%2", countdown(due, now))
            .replace("%3", label(PARTIES, party)).replace("%4", label(CLOCKS, clock))
            .replace("%5", when_long(due)).replace("%6", when_long(due, PLATFORM_ZONE)))


def missing_words(dispute_id: str | None, failed: bool, loaded: bool) -> str:
    """Tooltip and accessible text of a row whose line is not in."""
    if dispute_id is None:
        return tr("loading…", CONTEXT)  # past the head while the full key list loads
    if failed:
        return tr("%1: could not be loaded", CONTEXT).replace("%1", dispute_id)
    if not loaded:
        return tr("%1: loading…", CONTEXT).replace("%1", dispute_id)
    return tr("%1 is no longer in the queue; reload", CONTEXT).replace("%1", dispute_id)
