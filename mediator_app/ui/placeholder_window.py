"""A placeholder main window until the clerk's workstation lands: it says so, and shows the database's stages."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QMainWindow, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget


class PlaceholderWindow(QMainWindow):
    def __init__(self, database: str, user: str, clock_text: str) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Mediator — %1").replace("%1", database))
        body = QWidget(self)
        layout = QVBoxLayout(body)
        notice = QLabel(self.tr(
            "<h2>Mediator</h2><p>The clerk's workstation (queue, case, proposals) is not built yet. "
            "This window is a placeholder: the rules, the database, the feed, the sweeper and the "
            "<code>mediator</code> command are ready.</p>"), body)
        notice.setWordWrap(True)
        notice.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(notice)
        self.stages = QTableWidget(0, 2, body)
        self.stages.setObjectName("stageCounts")
        self.stages.setHorizontalHeaderLabels([self.tr("Stage"), self.tr("Disputes")])
        header = self.stages.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.stages.verticalHeader().hide()
        layout.addWidget(self.stages)
        self.setCentralWidget(body)
        self.statusBar().showMessage(self.tr("Database: %1 · user: %2 · clock: %3")
                                     .replace("%1", database).replace("%2", user).replace("%3", clock_text))
        self.resize(720, 480)

    def show_counts(self, counts: dict[str, int]) -> None:
        self.stages.setRowCount(len(counts))
        for row, (stage, count) in enumerate(sorted(counts.items())):
            self.stages.setItem(row, 0, QTableWidgetItem(stage))
            item = QTableWidgetItem(f"{count:,}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.stages.setItem(row, 1, item)

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Error: %1").replace("%1", message.splitlines()[0]))
