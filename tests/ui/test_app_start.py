"""The workstation opens on an empty embedded database: schema, demo data, then the window, off the GUI thread."""
from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from mediator_app.app import main


def test_first_run_fills_demo_data_and_renders(qtbot: QtBot, tmp_path: Path) -> None:
    database = tmp_path / "cases.db"
    shot = tmp_path / "window.png"
    code = main(["--db", f"sqlite:///{database}", "--now", "2026-11-20T02:00:00Z", "--as", "alice",
                 "--screenshot", str(shot), "--size", "800x500"])
    assert code == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (800, 500)
    assert database.stat().st_size > 100_000


def test_no_demo_leaves_the_database_empty_and_says_there_is_no_user(
        qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mediator_app.db.engine import make_engine
    from mediator_app.domain.time import FixedClock
    from mediator_app.services.context import Context
    from mediator_app.services.reading import stage_counts
    from tests.feeds import T0

    database = tmp_path / "cases.db"
    code = main(["--db", f"sqlite:///{database}", "--no-demo", "--as", "alice", "--screenshot",
                 str(tmp_path / "w.png")])
    assert code == 1
    assert "no users yet" in capsys.readouterr().err
    assert stage_counts(Context(make_engine(f"sqlite:///{database}"), FixedClock(T0))) == {}


def test_screenshot_needs_a_user(tmp_path: Path) -> None:
    assert main(["--db", f"sqlite:///{tmp_path / 'x.db'}", "--screenshot", str(tmp_path / "w.png")]) == 2
