"""A CJK fallback font whose PDF text layer extracts as the characters written.

Qt's PDF engine writes each embedded font's ToUnicode map from the font's own character map, taking for every
glyph the *lowest* code point that maps to it. Noto Sans CJK maps the Kangxi radicals (U+2F00–U+2FD5) and the CJK
radicals supplement (U+2E80–U+2EF3) to the glyphs of the ideographs they look like, so 一 (U+4E00) came out of
`pdftotext` as ⼀ (U+2F00), 二 as ⼆, and a search for the text written found nothing. Choosing fonts differently
does not help (measured: DejaVu Sans first and Noto as fallback, by CSS or by QFont families, gives the same map).

So the case file uses the installed Noto Sans CJK SC with those two radical blocks taken out of its character
map: the face is copied out of its collection in memory, its `cmap` rebuilt (one format 12 subtable, plus the
variation-sequence subtable as it was) and its `name` table renamed so it never stands in for the system font.
Pure Python over the OpenType tables; no font tool, no PDF library. The glyphs are untouched.
"""
from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

FAMILY = "Mediator Noto Sans CJK SC"
POSTSCRIPT = "MediatorNotoSansCJKsc-Regular"
SOURCE_FAMILY = "Noto Sans CJK SC"
#: Radicals that share their glyph with an ideograph written after them (Qt would map the glyph to them)
DROPPED = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))
CANDIDATES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc")


def find_source() -> tuple[Path, int] | None:
    """(file, face index) of Noto Sans CJK SC, asked of fontconfig, else at the usual places."""
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", f"{SOURCE_FAMILY}:style=Regular"],
                             capture_output=True, text=True, check=False).stdout.split("\n")
        if len(out) >= 3 and SOURCE_FAMILY in out[2] and Path(out[0]).is_file():
            return Path(out[0]), int(out[1] or 0)
    for candidate in CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate), -1  # face found by its name below
    return None


def _tables(data: bytes, offset: int) -> dict[bytes, bytes]:
    num = struct.unpack_from(">H", data, offset + 4)[0]
    tables = {}
    for i in range(num):
        tag, _check, start, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        tables[tag] = data[start:start + length]
    return tables


def _family(tables: dict[bytes, bytes]) -> str | None:
    name = tables.get(b"name")
    if not name:
        return None
    _fmt, count, storage = struct.unpack_from(">HHH", name, 0)
    for i in range(count):
        platform, encoding, _lang, name_id, length, start = struct.unpack_from(">6H", name, 6 + 12 * i)
        if name_id == 1 and platform == 3 and encoding == 1:
            return name[storage + start:storage + start + length].decode("utf-16-be")
    return None


def _faces(data: bytes) -> list[int]:
    if data[:4] == b"ttcf":
        count = struct.unpack_from(">I", data, 8)[0]
        return list(struct.unpack_from(f">{count}I", data, 12))
    return [0]


def _mapping(cmap: bytes) -> tuple[list[tuple[int, int, int]], bytes | None]:
    """The format 12 groups (start, end, glyph) and the raw format 14 subtable, if any."""
    count = struct.unpack_from(">H", cmap, 2)[0]
    groups: list[tuple[int, int, int]] | None = None
    variations = None
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        fmt = struct.unpack_from(">H", cmap, offset)[0]
        if fmt == 12 and groups is None:
            length, _lang, n = struct.unpack_from(">III", cmap, offset + 4)
            groups = [struct.unpack_from(">III", cmap, offset + 16 + 12 * g) for g in range(n)]
        elif fmt == 14 and variations is None:
            length = struct.unpack_from(">I", cmap, offset + 2)[0]
            variations = cmap[offset:offset + length]
    if groups is None:
        raise ValueError("the font has no format 12 character map")
    return groups, variations


def _without_radicals(groups: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for start, end, glyph in groups:
        pieces = [(start, end)]
        for lo, hi in DROPPED:
            pieces = [p for a, b in pieces for p in ((a, min(b, lo - 1)), (max(a, hi + 1), b)) if p[0] <= p[1]]
        out.extend((a, b, glyph + (a - start)) for a, b in pieces)
    return out


def _cmap(groups: list[tuple[int, int, int]], variations: bytes | None) -> bytes:
    body = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    body += b"".join(struct.pack(">III", *g) for g in groups)
    records = [(0, 4), (3, 10)]
    header_len = 4 + 8 * (len(records) + (1 if variations else 0))
    head = struct.pack(">HH", 0, len(records) + (1 if variations else 0))
    head += b"".join(struct.pack(">HHI", p, e, header_len) for p, e in records)
    if variations:
        head += struct.pack(">HHI", 0, 5, header_len + len(body))
        return head + body + variations
    return head + body


def _name() -> bytes:
    strings = {1: FAMILY, 2: "Regular", 3: POSTSCRIPT, 4: FAMILY, 6: POSTSCRIPT}
    encoded = [(i, s.encode("utf-16-be")) for i, s in strings.items()]
    storage = 6 + 12 * len(encoded)
    head = struct.pack(">HHH", 0, len(encoded), storage)
    offset, data = 0, b""
    for name_id, raw in encoded:
        head += struct.pack(">6H", 3, 1, 0x409, name_id, len(raw), offset)
        offset += len(raw)
        data += raw
    return head + data


def _sfnt(tables: dict[bytes, bytes], version: bytes) -> bytes:
    tags = sorted(tables)
    n = len(tags)
    power = 1 << (n.bit_length() - 1)
    header = version + struct.pack(">HHHH", n, power * 16, power.bit_length() - 1, n * 16 - power * 16)
    offset = 12 + 16 * n
    records, blobs = b"", []
    for tag in tags:
        blob = tables[tag]
        records += struct.pack(">4sIII", tag, 0, offset, len(blob))  # checksums: not verified by Qt or FreeType
        padded = blob + b"\0" * (-len(blob) % 4)
        blobs.append(padded)
        offset += len(padded)
    return header + records + b"".join(blobs)


def build(source: Path, index: int) -> bytes:
    data = source.read_bytes()
    faces = _faces(data)
    chosen = None
    if 0 <= index < len(faces):
        chosen = faces[index]
    else:
        for offset in faces:
            if _family(_tables(data, offset)) == SOURCE_FAMILY:
                chosen = offset
    if chosen is None:
        raise ValueError(f"{source} has no face {SOURCE_FAMILY}")
    tables = _tables(data, chosen)
    groups, variations = _mapping(tables[b"cmap"])
    tables[b"cmap"] = _cmap(_without_radicals(groups), variations)
    tables[b"name"] = _name()
    return _sfnt(tables, data[chosen:chosen + 4])


_registered: list[str] = []


def register() -> str | None:
    """The family to use as the CJK fallback (registered with Qt once per process); None when Noto Sans CJK SC is
    not installed (then the system font is used as it is)."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFontDatabase

    if _registered:
        return _registered[0] or None
    found = find_source()
    family = ""
    if found is not None:
        try:
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(build(*found)))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            family = families[0] if families else ""
        except (OSError, ValueError, struct.error):
            family = ""
    _registered.append(family)
    return family or None
