"""Evidence files (§2, §7.4): the types accepted, their size, whether the bytes are what `media_type` says, and
whether stored bytes are still the ones recorded when they were added.

The bytes are judged by the file's own signature (its first bytes), never by its name: a `.png` that is really a
ZIP archive or an HTML page is refused on ingest, with what it looks like (decision 150).
"""
from __future__ import annotations

import hashlib
from typing import Callable

from .image_size import too_large_to_preview

EVIDENCE_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

#: The extensions a file of each type is written out with (the first is the one added when a name has none).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "video/mp4": (".mp4", ".m4v"),
}

TOO_LARGE_TO_PREVIEW = "image too large to preview"
ALTERED = "evidence altered: its bytes no longer match the sha256 recorded when it was added"


def _jpeg(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff"


def _png(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n"


def _webp(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _pdf(data: bytes) -> bool:
    return data[:5] == b"%PDF-"


def _mp4(data: bytes) -> bool:
    """An ISO base media file: its first box is `ftyp` (size, then the type at offset 4)."""
    return len(data) >= 12 and data[4:8] == b"ftyp" and int.from_bytes(data[:4], "big") >= 8


#: media type -> whether bytes carry its signature (decision 150)
SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "image/jpeg": _jpeg, "image/png": _png, "image/webp": _webp, "application/pdf": _pdf, "video/mp4": _mp4,
}

#: What else the bytes may be, named in the refusal (first match wins; checked after the accepted types).
_LOOKALIKES: tuple[tuple[str, Callable[[bytes], bool]], ...] = (
    ("a ZIP archive", lambda d: d[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")),
    ("an HTML page", lambda d: _text_start(d).startswith((b"<!doctype html", b"<html", b"<head", b"<body",
                                                          b"<script", b"<iframe"))),
    ("an SVG image", lambda d: b"<svg" in _text_start(d)[:512]),
    ("an XML document", lambda d: _text_start(d).startswith(b"<?xml")),
    ("a GIF image", lambda d: d[:6] in (b"GIF87a", b"GIF89a")),
    ("a BMP image", lambda d: d[:2] == b"BM"),
    ("a TIFF image", lambda d: d[:4] in (b"II*\x00", b"MM\x00*")),
    ("a Windows program", lambda d: d[:2] == b"MZ"),
    ("an ELF program", lambda d: d[:4] == b"\x7fELF"),
    ("a RAR archive", lambda d: d[:6] == b"Rar!\x1a\x07"),
    ("a 7-Zip archive", lambda d: d[:6] == b"7z\xbc\xaf\x27\x1c"),
    ("a gzip file", lambda d: d[:2] == b"\x1f\x8b"),
    ("an OLE document (old Office format)", lambda d: d[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
)

_NAMES = {"image/jpeg": "a JPEG image", "image/png": "a PNG image", "image/webp": "a WebP image",
          "application/pdf": "a PDF document", "video/mp4": "an MP4 video"}


def _text_start(data: bytes) -> bytes:
    """The first bytes as lower-case text, without a byte-order mark or leading white space."""
    head = data[:1024]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip(b" \t\r\n\x0c").lower()


def looks_like(data: bytes) -> str:
    """What the bytes appear to be, in words ("a ZIP archive", "a PNG image", "unrecognised bytes")."""
    if not data:
        return "empty"
    for media_type, signature in SIGNATURES.items():
        if signature(data):
            return _NAMES[media_type]
    for name, test in _LOOKALIKES:
        if test(data):
            return name
    return "unrecognised bytes"


def content_refusal(media_type: str, data: bytes) -> str | None:
    """Why the bytes are not a `media_type` file ("content is not image/png: it is a ZIP archive"), or None."""
    signature = SIGNATURES.get(media_type)
    if signature is None or signature(data):
        return None
    what = looks_like(data)
    if what == "empty":
        detail = "it is empty"
    elif what == "unrecognised bytes":
        detail = f"its first bytes are not the {media_type} signature"
    else:
        detail = f"it is {what}"
    return f"content is not {media_type}: {detail}"


def altered(data: bytes, sha256: str) -> bool:
    """Whether stored bytes no longer match the sha256 recorded when they were added (§7.4, issue 12)."""
    return hashlib.sha256(data).hexdigest() != sha256.lower()


def is_image(media_type: str) -> bool:
    return media_type.startswith("image/")


def preview_refusal(media_type: str, data: bytes) -> str | None:
    """Why an image must not be decoded for a preview (its header claims more than 40 megapixels), or None."""
    if is_image(media_type) and too_large_to_preview(data):
        return TOO_LARGE_TO_PREVIEW
    return None
