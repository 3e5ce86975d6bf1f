"""What a worker does with one evidence item before the window shows it: fetch (re-checked against its sha256),
and for an image, decode it through the guard (never an image whose header claims more than 40 megapixels).

Only plain Python and `QImage` run here (docs/architecture.md, Threads), after `load_image_plugins` ran on the
GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from mediator_app.domain.evidence import ALTERED, TOO_LARGE_TO_PREVIEW, is_image
from mediator_app.report.image_guard import NOT_DECODED, NoPreview, guarded_image, install_decode_limit
from mediator_app.services.workbench import EvidenceItem
from mediator_app.services.workstation import WorkstationServices

from .formatting import QT_TRANSLATE_NOOP

#: the services' and the guard's English, as the window says it
REASONS = {
    TOO_LARGE_TO_PREVIEW: QT_TRANSLATE_NOOP("Evidence", "image too large to preview"),
    NOT_DECODED: QT_TRANSLATE_NOOP("Evidence", "the image could not be decoded"),
    ALTERED: QT_TRANSLATE_NOOP("Evidence", "evidence altered: its bytes no longer match the sha256 recorded when it was added"),  # noqa: E501
}


def reason_text(message: str) -> str:
    """A known reason in the window's language; anything else as it is."""
    known = REASONS.get(message)
    return QCoreApplication.translate("Evidence", known) if known else message


_image_plugins_loaded = False


def load_image_plugins() -> None:
    """Have Qt load its image format plugins on the GUI thread, once per process, before any worker decodes;
    and set the process's decode limit (the 40-megapixel backstop) before the first image is read.

    `QImage.fromData` asks every image plugin whether it reads the data. The first time, Qt loads the plugins and
    moves each to the main thread (`QObject::moveToThread`, which locks the main thread's event data). Done in a
    worker, that holds Python's GIL (PySide6 keeps it through the call) while it waits for the lock — and the GUI
    thread, deleting widgets under that lock, waits for the GIL: the window froze (seen in the test suite).
    """
    global _image_plugins_loaded
    if not _image_plugins_loaded:
        install_decode_limit()
        QImage.fromData(b"\0")  # no format reads it, so every plugin is asked, so every plugin is loaded
        _image_plugins_loaded = True


@dataclass(frozen=True)
class Loaded:
    """An item ready to show: its picture (images that decode), or why there is none (`note`)."""

    image: QImage | None = None
    note: str | None = None


def load_item(services: WorkstationServices, item: EvidenceItem, limit: int) -> Loaded:
    """Runs in a worker: the bytes (EvidenceAltered when they no longer match their sha256), then for an image
    the picture scaled to fit `limit`×`limit`, or the reason it is not decoded."""
    media_type, data = services.evidence_content(item.id)
    if not is_image(media_type):
        return Loaded()
    try:
        return Loaded(guarded_image(media_type, data, limit))
    except NoPreview as exc:
        return Loaded(note=str(exc))
