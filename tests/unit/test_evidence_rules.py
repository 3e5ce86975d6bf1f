"""Evidence rules of §7.4 in the domain: the bytes' own signature against `media_type`, the 40-megapixel header
limit, and the sha256 re-check."""
from __future__ import annotations

import hashlib
import struct
import zlib

import pytest

from mediator_app.domain.evidence import (
    ALTERED, EVIDENCE_TYPES, SIGNATURES, TOO_LARGE_TO_PREVIEW, altered, content_refusal, looks_like, preview_refusal,
)
from mediator_app.domain.image_size import DECODE_ALLOCATION_LIMIT_MB, PREVIEW_LIMIT_PIXELS, declared_size


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))


def jpeg_header(width: int, height: int, fill: bool = False) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + (b"\xff" if fill else b"") + sof + b"\xff\xd9"


def webp_vp8x(width: int, height: int) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (
        height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free"
GOOD = {"image/jpeg": jpeg_header(640, 480), "image/png": png_header(640, 480), "image/webp": webp_vp8x(640, 480),
        "application/pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "video/mp4": MP4}


def test_every_accepted_type_has_a_signature() -> None:
    assert set(SIGNATURES) == set(EVIDENCE_TYPES) == set(GOOD)


@pytest.mark.parametrize("media_type", EVIDENCE_TYPES)
def test_bytes_with_their_own_signature_pass(media_type: str) -> None:
    assert content_refusal(media_type, GOOD[media_type]) is None


@pytest.mark.parametrize("declared", EVIDENCE_TYPES)
@pytest.mark.parametrize("actual", EVIDENCE_TYPES)
def test_bytes_of_another_accepted_type_are_refused_and_named(declared: str, actual: str) -> None:
    refusal = content_refusal(declared, GOOD[actual])
    if declared == actual:
        assert refusal is None
    else:
        assert refusal is not None and refusal.startswith(f"content is not {declared}: it is ")
        assert refusal.endswith(looks_like(GOOD[actual]))


ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20
HTML = b"\xef\xbb\xbf\n  <!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.mark.parametrize("content,what", [
    (ZIP, "it is a ZIP archive"),
    (HTML, "it is an HTML page"),
    (b"<html><body>hi</body></html>", "it is an HTML page"),
    (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "it is an SVG image"),
    (b"GIF89a\x01\x00\x01\x00", "it is a GIF image"),
    (b"MZ\x90\x00\x03", "it is a Windows program"),
    (b"", "it is empty"),
    (b"\x89PNG fake", "its first bytes are not the image/png signature"),  # half a signature is not one
    (b"hello, world", "its first bytes are not the image/png signature"),
])
def test_a_png_that_is_something_else_is_refused_with_what_it_is(content: bytes, what: str) -> None:
    assert content_refusal("image/png", content) == f"content is not image/png: {what}"


@pytest.mark.parametrize("media_type,content", [
    ("image/webp", b"RIFF\x10\x00\x00\x00WAVEfmt "),  # a RIFF that is a WAV sound, not WebP
    ("video/mp4", b"\x00\x00\x00\x18moov" + b"\x00" * 16),  # the ftyp box must come first
    ("video/mp4", b"\x00\x00\x00\x00ftypisom"),  # a box shorter than its own header
    ("application/pdf", b"  %PDF-1.4"),  # the header opens the file
    ("image/jpeg", b"\xff\xd8\x00\x00"),
])
def test_near_misses_are_refused(media_type: str, content: bytes) -> None:
    assert content_refusal(media_type, content) is not None


def test_the_sha256_recheck() -> None:
    data = b"%PDF-1.4 receipt"
    digest = hashlib.sha256(data).hexdigest()
    assert not altered(data, digest) and not altered(data, digest.upper())
    assert altered(data + b"!", digest)
    assert ALTERED.startswith("evidence altered")


@pytest.mark.parametrize("header,size", [
    (png_header(100_000, 100_000), (100_000, 100_000)),
    (jpeg_header(9000, 5000), (9000, 5000)),
    (jpeg_header(9000, 5000, fill=True), (9000, 5000)),  # a fill byte before the frame marker
    (webp_vp8x(8000, 6000), (8000, 6000)),
])
def test_declared_sizes_are_read_from_the_header(header: bytes, size: tuple[int, int]) -> None:
    assert declared_size(header) == size


def test_above_40_megapixels_is_never_previewed() -> None:
    assert PREVIEW_LIMIT_PIXELS == 40_000_000
    assert preview_refusal("image/png", png_header(100_000, 100_000)) == TOO_LARGE_TO_PREVIEW
    assert preview_refusal("image/png", png_header(8000, 5001)) == TOO_LARGE_TO_PREVIEW  # 40,008,000
    assert preview_refusal("image/png", png_header(8000, 5000)) is None  # exactly 40 MP
    assert preview_refusal("image/jpeg", jpeg_header(10_000, 4001)) == TOO_LARGE_TO_PREVIEW
    assert preview_refusal("image/webp", webp_vp8x(16_383, 16_383)) == TOO_LARGE_TO_PREVIEW
    assert preview_refusal("application/pdf", GOOD["application/pdf"]) is None  # never decoded anyway


def test_the_decoders_backstop_is_40_megapixels_of_four_bytes() -> None:
    assert (DECODE_ALLOCATION_LIMIT_MB - 1) * 1024 * 1024 < PREVIEW_LIMIT_PIXELS * 4 <= \
        DECODE_ALLOCATION_LIMIT_MB * 1024 * 1024
