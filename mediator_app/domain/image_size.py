"""How large an image says it is, read from its header without decoding it (§7.4: an image whose declared
dimensions exceed 40 megapixels is kept but never decoded; the window and the case file say so instead)."""
from __future__ import annotations

import struct

PREVIEW_LIMIT_PIXELS = 40_000_000
#: The backstop for a header this module cannot read: Qt's image reader refuses any image whose decoded pixels
#: would take more than this (QImageReader.setAllocationLimit, in MiB): 40 megapixels at 4 bytes (decision 151).
DECODE_ALLOCATION_LIMIT_MB = -(-PREVIEW_LIMIT_PIXELS * 4 // (1024 * 1024))


def declared_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, JPEG or WebP header; None when the header says nothing readable."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            w = int.from_bytes(data[24:27], "little") + 1
            h = int.from_bytes(data[27:30], "little") + 1
            return w, h
        if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
            w, h = struct.unpack("<HH", data[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if chunk == b"VP8L" and data[20:21] == b"\x2f":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # a fill byte before the marker
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None


def too_large_to_preview(data: bytes) -> bool:
    size = declared_size(data)
    return size is not None and size[0] * size[1] > PREVIEW_LIMIT_PIXELS
