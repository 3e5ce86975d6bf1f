"""The queue's saved views: their titles and tooltips (`view_titles`), the selector filled with them, and their
titles with the counts when those arrive. A window may add views of its own (a bundle window's "Drafts")."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from mediator_app.ui.formatting import tr


def view_titles() -> dict[str, tuple[str, str]]:
    """view -> (title, tooltip), in the order of the selector."""
    return {
        "all": (tr("All open", "Queue"), tr("Every open dispute", "Queue")),
        "mine": (tr("Mine", "Queue"), tr("Open disputes you hold", "Queue")),
        "unassigned": (tr("Unassigned", "Queue"), tr("Open disputes no clerk holds", "Queue")),
        "due24h": (tr("Due in 24 h", "Queue"), tr("A clock runs out within 24 hours (or already has)", "Queue")),
        "sla": (tr("SLA breached", "Queue"), tr("A platform deadline (intervention or ruling) has passed", "Queue")),
        "needs_ruling": (tr("Needs ruling", "Queue"), tr("In platform review: a clerk must rule", "Queue")),
        "pending_approval": (tr("Pending approval", "Queue"),
                             tr("A ruling or proposal waits for a supervisor's approval", "Queue")),
    }




def add_views(selector: QComboBox, titles: dict[str, tuple[str, str]]) -> None:
    """Each view at the end of the selector, its tooltip on its item."""
    for view, (title, tip) in titles.items():
        selector.addItem(title, view)
        selector.setItemData(selector.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)


def show_counts(selector: QComboBox, titles: dict[str, tuple[str, str]], counts: dict[str, int],
                counted: Callable[[str, int], str]) -> None:
    """Each view's title, with its count (`counted(title, n)`) when there is one; a view without a title of its
    own here (a desk drill-down) keeps the text it has."""
    for index in range(selector.count()):
        view = selector.itemData(index)
        title = titles.get(view, (selector.itemText(index), ""))[0]
        if view in counts:
            title = counted(title, counts[view])
        selector.setItemText(index, title)
