"""Safe names for files written out (§7.4, decision 152): no directories, no control characters, at most 120
characters; the media type's extension; never a reserved Windows name; never empty."""
from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from mediator_app.domain.safe_names import MAX_BYTES, MAX_CHARS, safe_filename

HOSTILE = [
    "../../etc/passwd", "..\\..\\Windows\\System32\\drivers\\etc\\hosts", "/etc/shadow", "C:\\x", "C:x", "C:",
    "\\\\server\\share\\a.png", "photo\x00.png", "photo.png\x00.exe", "a\nb\rc\td.png", "\x1b[31mred.png",
    "x" * 500, "照片" * 250 + ".png", "CON", "con.png", "NUL.txt", "com1", "LPT9.pdf", "AUX .png", "", " ", ".",
    "..", "...", "../", "/", "\\", ".bashrc", "photo.png.", "photo.png   ", "invoice\u202egnp.exe",
    "zero\u200bwidth.png", "a<b>c:d\"e|f?g*h.png", "file.png:Zone.Identifier", "\u3000全角\u3000空格.png",
]


def windows_safe(name: str) -> bool:
    return not any(ch in name for ch in '<>:"/\\|?*') and name == name.strip(" .")


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("media_type", [None, "image/png", "application/pdf"])
def test_every_hostile_name_becomes_one_plain_file_name(name: str, media_type: str | None) -> None:
    safe = safe_filename(name, media_type)
    assert safe and len(safe) <= MAX_CHARS and len(safe.encode("utf-8")) <= MAX_BYTES
    assert PurePosixPath(safe).name == safe and PureWindowsPath(safe).name == safe  # no directory, no drive
    assert safe not in (".", "..") and not safe.startswith(".")
    assert windows_safe(safe), safe
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in safe), repr(safe)
    assert safe.split(".")[0].upper().strip() not in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT9")
    if media_type == "image/png":
        assert safe.lower().endswith(".png")
    if media_type == "application/pdf":
        assert safe.lower().endswith(".pdf")
    assert safe_filename(safe, media_type) == safe  # already safe: unchanged


@pytest.mark.parametrize("name,media_type,safe", [
    ("parcel.png", "image/png", "parcel.png"),
    ("包裹 photo.png", "image/png", "包裹 photo.png"),  # Chinese stays as sent
    ("IMG_0001.JPG", "image/jpeg", "IMG_0001.JPG"),
    ("IMG_0001.jpeg", "image/jpeg", "IMG_0001.jpeg"),
    ("../../etc/passwd", "image/png", "passwd.png"),
    ("..\\..\\boot.ini", None, "boot.ini"),
    ("C:\\x", None, "x"),
    ("C:\\Users\\bob\\receipt.pdf", "application/pdf", "receipt.pdf"),
    ("photo\x00.png", "image/png", "photo.png"),
    ("invoice.html", "image/png", "invoice.html.png"),  # the system viewer opens it as the PNG it is
    ("report.exe", "application/pdf", "report.exe.pdf"),
    ("invoice\u202egnp.exe", "image/png", "invoicegnp.exe.png"),  # a right-to-left override cannot hide .exe
    ("CON", "image/png", "_CON.png"),
    ("nul.pdf", "application/pdf", "_nul.pdf"),
    ("", "image/png", "evidence.png"),
    ("../", "video/mp4", "evidence.mp4"),
    ("a<b>c:d.png", "image/png", "a_b_c_d.png"),
    ("  spaced   out .png", "image/png", "spaced out.png"),
])
def test_examples(name: str, media_type: str | None, safe: str) -> None:
    assert safe_filename(name, media_type) == safe


def test_a_long_name_is_cut_in_its_stem_and_keeps_its_extension() -> None:
    safe = safe_filename("x" * 500 + ".png", "image/png")
    assert safe == "x" * (MAX_CHARS - 4) + ".png"
    chinese = safe_filename("照片" * 250 + ".png", "image/png")
    assert chinese.endswith(".png") and len(chinese.encode("utf-8")) <= MAX_BYTES and set(chinese[:-4]) == {"照", "片"}
    assert len(safe_filename("y" * 500)) == MAX_CHARS


def test_the_fallback_names_what_had_no_name() -> None:
    assert safe_filename("", "application/pdf", fallback="evidence-12") == "evidence-12.pdf"
    assert safe_filename("///", None, fallback="case-file") == "case-file"
    assert safe_filename(None, "image/webp") == "evidence.webp"


def test_a_case_files_name_keeps_the_whole_dispute_id() -> None:
    from mediator_app.domain.safe_names import case_file_name

    assert case_file_name("D-1") == "D-1.pdf"
    assert case_file_name("../../D-1") == "_.._D-1.pdf"
    assert case_file_name("C:\\D-2") == "C__D-2.pdf"
    assert case_file_name("") == "case-file.pdf"
