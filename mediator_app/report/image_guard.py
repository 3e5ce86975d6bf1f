"""Decoding evidence images, guarded (§7.4): the one place the window and the case file turn bytes into a QImage.

An image whose header declares more than 40 megapixels is never handed to a decoder
(`domain.evidence.preview_refusal` reads the header first); Qt's allocation limit, set for the whole process by
`install_decode_limit` when the window or the case file's process starts, is the backstop for headers the
domain cannot read. `QImage` is safe in a worker once the image plugins were loaded on the GUI thread
(`ui.evidence_images.load_image_plugins`).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader

from mediator_app.domain.evidence import preview_refusal
from mediator_app.domain.image_size import DECODE_ALLOCATION_LIMIT_MB

NOT_DECODED = "the image could not be decoded"


class NoPreview(ValueError):
    """The image is not shown; the message says why ("image too large to preview", "could not be decoded")."""


def install_decode_limit() -> None:
    """Qt's image reader refuses any image above the 40-megapixel budget, in this whole process."""
    QImageReader.setAllocationLimit(DECODE_ALLOCATION_LIMIT_MB)


def guarded_image(media_type: str, data: bytes, limit: int | None = None) -> QImage:
    """The image decoded (scaled to fit `limit`×`limit`, never up), or NoPreview with the reason."""
    refusal = preview_refusal(media_type, data)
    if refusal is not None:
        raise NoPreview(refusal)
    image = QImage.fromData(data)
    if image.isNull():
        raise NoPreview(NOT_DECODED)
    if limit is not None and (image.width() > limit or image.height() > limit):
        image = image.scaled(limit, limit, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image
