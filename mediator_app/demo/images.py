"""Small real PNG images for the demo's evidence: a parcel 'photo' in sixteen variants, encoded once."""
from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

PNG_SIZE = 48
PNG_VARIANTS = 16
_PALETTE = ((214, 69, 65), (52, 152, 219), (46, 204, 113), (155, 89, 182),
            (241, 196, 15), (230, 126, 34), (26, 188, 156), (149, 165, 166))


@dataclass(frozen=True)
class Image:
    """One cached PNG: its base64 content and sha256 hex digest."""

    content_base64: str
    sha256: str
    size: int


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, tag, data, CRC32 of tag+data."""
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """Encode an 8-bit RGB PNG whose pixel (x, y) colour is `pixel(x, y)`."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))


def _parcel_pixel(variant: int) -> Callable[[int, int], tuple[int, int, int]]:
    """A 'photo' of a parcel: tinted gradient, a brown box with tape, a damage mark."""
    r0, g0, b0 = _PALETTE[variant % len(_PALETTE)]
    offset = (variant * 5) % 9 - 4
    striped = variant >= len(_PALETTE)
    left, top, right, bottom = 10 + offset, 12, 38 + offset, 40

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if left <= x < right and top <= y < bottom:
            if abs(x - (left + right) // 2) <= 1:
                return (222, 200, 150)            # tape
            if striped and x - left == y - top:
                return (60, 40, 30)               # a tear across the box
            return (176, 128, 80)                 # cardboard
        shade = (x + y) * 2
        if striped and (x // 4 + y // 4) % 2:
            shade += 24
        return (min(255, r0 // 2 + shade), min(255, g0 // 2 + shade), min(255, b0 // 2 + shade))

    return pixel


@lru_cache(maxsize=None)
def demo_image(variant: int) -> Image:
    """The cached PNG for `variant` (0..PNG_VARIANTS-1)."""
    data = encode_png(PNG_SIZE, PNG_SIZE, _parcel_pixel(variant % PNG_VARIANTS))
    return Image(base64.b64encode(data).decode("ascii"), hashlib.sha256(data).hexdigest(), len(data))
