"""The evidence view and §7.4: an image too large to preview is never decoded and says so; "Open with system
viewer" hands a read-only temporary copy under the safe name to `QDesktopServices.openUrl` (intercepted at that
boundary with a URL handler); "Save as…" proposes the safe name and writes the file in a worker; altered bytes
show a warning instead of the content and are neither opened nor saved. Real database, real worker threads."""
from __future__ import annotations

import stat
import struct
import tempfile
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from mediator_app.domain.time import FixedClock
from mediator_app.services import workbench
from mediator_app.services.context import Context
from mediator_app.ui.evidence_view import EvidenceView
from mediator_app.ui.operations import Operations
from tests.feeds import opened

from .test_case_view import OPEN_AT, RecordingServices, evidence_event, ingest, png_bytes

HOSTILE = "../../Desktop/invoice\u202egnp.exe"  # a path, and a right-to-left override hiding ".exe"
SAFE = "invoicegnp.exe.png"


def bomb() -> bytes:
    """A PNG whose header claims 100,000 × 100,000 pixels, in a few KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 300_001, 9))
            + chunk(b"IEND", b""))


class Viewer(QObject):
    """Stands in for the system viewer: `QDesktopServices.openUrl` of a file: URL comes here."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:  # noqa: A003 (the slot the URL handler names)
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def viewer() -> Iterator[Viewer]:
    handler = Viewer()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def ops(ctx: Context) -> Iterator[Operations]:
    operations = Operations(ctx, "alice", "clerk", services=RecordingServices(ctx))
    yield operations
    operations.wait_for_idle()


@pytest.fixture
def view(qtbot: QtBot, ops: Operations) -> EvidenceView:
    widget = EvidenceView(ops)
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    return widget


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every image handed to Qt's decoder (in any thread)."""
    calls: list[bytes] = []
    original = QImage.fromData

    def recording(data: Any, *args: Any) -> QImage:
        calls.append(bytes(data))
        return original(data, *args)

    monkeypatch.setattr(QImage, "fromData", staticmethod(recording))
    return calls


def shown(ctx: Context, view: EvidenceView, qtbot: QtBot, images: int) -> workbench.CaseDetail:
    detail = workbench.case_detail(ctx, "D-1")
    arrived: list[int] = []
    view.thumbnail_loaded.connect(arrived.append)
    view.show_evidence("D-1", detail.evidence)
    qtbot.waitUntil(lambda: len(arrived) == images, timeout=10_000)
    return detail


def open_dialog(view: EvidenceView, qtbot: QtBot, evidence_id: int) -> Any:
    tile = next(t for t in view.tiles() if t.evidence_id == evidence_id)
    tile.setFocus()
    with qtbot.waitSignal(view.opened, timeout=10_000):
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert view.dialog is not None
    return view.dialog


def press(qtbot: QtBot, button: Any) -> None:
    """The keyboard way to a dialog button: focus it (Tab) and press Space. (Its Alt mnemonic is checked to be
    there and unique; the offscreen platform does not deliver Alt shortcuts to QTest.)"""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def mnemonics(dialog: Any) -> list[str]:
    return [QKeySequence.mnemonic(b.text()).toString() for b in (dialog.open_button, dialog.save_button)]


def test_an_image_too_large_to_preview_is_never_decoded(ctx: Context, clock: FixedClock, view: EvidenceView,
                                                       qtbot: QtBot, decoded: list[bytes],
                                                       tmp_path: Path) -> None:
    huge, small = bomb(), png_bytes(200, 150)
    assert len(huge) < 4096
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-huge", "huge.png", "image/png", huge),
           evidence_event("D-1", OPEN_AT + timedelta(hours=2), "E-small", "small.png", "image/png", small))
    detail = shown(ctx, view, qtbot, images=2)
    huge_tile, small_tile = view.tiles()
    assert small_tile.loaded and small in decoded  # the recorder sees the thumbnails being decoded ...
    assert not huge_tile.loaded and huge_tile.note == "image too large to preview"
    assert "image too large to preview" in huge_tile.text() and "huge.png" in huge_tile.text()

    dialog = open_dialog(view, qtbot, detail.evidence[0].id)
    assert dialog.picture.text() == "image too large to preview" and not dialog.image_size().isValid()
    assert dialog.open_button.isEnabled() and dialog.save_button.isEnabled()  # it may still go to a viewer
    assert huge not in decoded  # ... and the bomb never reached the decoder, neither for a tile nor full size
    view.grab().save(str(tmp_path / "evidence-view.png"))
    dialog.grab().save(str(tmp_path / "evidence-dialog.png"))


def test_open_with_system_viewer_hands_over_a_read_only_copy_under_the_safe_name(
        ctx: Context, clock: FixedClock, view: EvidenceView, qtbot: QtBot, viewer: Viewer) -> None:
    picture = png_bytes(120, 90)
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-ev", HOSTILE, "image/png", picture))
    detail = shown(ctx, view, qtbot, images=1)
    dialog = open_dialog(view, qtbot, detail.evidence[0].id)
    assert dialog.open_button.text() == "Open with system &viewer"
    assert mnemonics(dialog) == ["Alt+V", "Alt+S"]
    with qtbot.waitSignal(view.outside.opened_externally, timeout=10_000):
        press(qtbot, dialog.open_button)
    (path,) = viewer.opened
    assert path.name == SAFE
    assert path.read_bytes() == picture
    assert Path(tempfile.gettempdir()) in path.parents  # a temporary copy, never a place the name chose
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IRUSR  # read-only, this user's
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700  # a folder only this user reads
    assert not dialog.status.isHidden() and str(path) in dialog.status.text()

    dialog.close()  # the same from the tile's context menu (the Menu key), without the dialog
    tile = view.tiles()[0]
    assert tile.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    menu = view.menu_for(tile.evidence_id)
    assert [a.text() for a in menu.actions()] == ["&Open", "Open with system &viewer", "&Save as…"]
    with qtbot.waitSignal(view.outside.opened_externally, timeout=10_000):
        menu.actions()[1].trigger()
    assert viewer.opened == [path, path] and path.read_bytes() == picture


def test_save_as_proposes_the_safe_name_and_writes_in_a_worker(
        ctx: Context, clock: FixedClock, view: EvidenceView, qtbot: QtBot, tmp_path: Path) -> None:
    content = b"%PDF-1.4\n% a receipt\n%%EOF\n"
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-pdf", "C:\\Users\\x\\" + "r" * 200 + ".pdf",
                          "application/pdf", content, party="seller"))
    detail = workbench.case_detail(ctx, "D-1")
    view.show_evidence("D-1", detail.evidence)
    dialog = open_dialog(view, qtbot, detail.evidence[0].id)
    press(qtbot, dialog.save_button)
    chooser = view.outside.file_dialog
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    assert chooser.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    proposed = Path(chooser.selectedFiles()[0]).name
    assert proposed == "r" * 116 + ".pdf"
    target = tmp_path / proposed
    with qtbot.waitSignal(view.outside.saved, timeout=10_000) as saved:
        chooser.fileSelected.emit(str(target))  # what the chooser sends when the clerk accepts
        chooser.close()
    assert saved.args == [detail.evidence[0].id, str(target)]
    assert target.read_bytes() == content
    assert "Saved" in dialog.status.text()


def test_altered_evidence_shows_a_warning_instead_and_is_not_opened(
        ctx: Context, clock: FixedClock, view: EvidenceView, qtbot: QtBot, viewer: Viewer,
        tmp_path: Path) -> None:
    picture = png_bytes(120, 90)
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-ev", "parcel.png", "image/png", picture),
           evidence_event("D-1", OPEN_AT + timedelta(hours=2), "E-pdf", "receipt.pdf", "application/pdf",
                          b"%PDF-1.4 receipt"))
    detail = workbench.case_detail(ctx, "D-1")
    with ctx.engine.begin() as conn:  # someone who holds the file (SQLite) or a superuser changed the bytes
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER IF EXISTS evidence_no_update"))
        for item in detail.evidence:
            conn.execute(text("UPDATE evidence SET content = :c WHERE id = :i"),
                         {"c": png_bytes(120, 91) if item.media_type == "image/png" else b"%PDF-1.4 forged",
                          "i": item.id})
    view.show_evidence("D-1", detail.evidence)
    image_tile, pdf_tile = view.tiles()
    qtbot.waitUntil(lambda: image_tile.failed is not None, timeout=10_000)
    assert "evidence altered" in image_tile.text() and not image_tile.loaded

    for item in detail.evidence:
        dialog = open_dialog(view, qtbot, item.id)
        assert dialog.picture.objectName() == "evidenceWarning"
        assert dialog.picture.text().startswith("evidence altered")
        assert not dialog.image_size().isValid()  # none of the content
        assert not dialog.open_button.isEnabled() and not dialog.save_button.isEnabled()
        dialog.grab().save(str(tmp_path / f"altered-{item.id}.png"))
        dialog.close()
    assert "evidence altered" in pdf_tile.text()

    with qtbot.waitSignal(view.outside.altered, timeout=10_000):
        view.open_external(pdf_tile.evidence_id)  # asked anyway (the tile's menu): refused in the worker
    assert viewer.opened == []
