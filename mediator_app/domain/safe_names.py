"""Names for files written out (§7.4): an evidence file saved or opened outside the window, a case file, a bundle.

A name sent by a party (an evidence `filename`, a `dispute_id`) is kept as sent for the record and is never used
as a path. What is written out gets `safe_filename(...)`: one plain name that every common file system accepts
and that cannot point anywhere else (decision 152):

- no directories: only what follows the last `/` or `\\` (and a drive letter such as `C:` is dropped);
- no control or invisible format characters (NUL, ESC, U+202E RIGHT-TO-LEFT OVERRIDE, U+200B, …); other
  white space becomes a plain space, runs of it one;
- none of `< > : " | ? *` (each becomes `_`); no leading or trailing dot or space (no hidden file, no `..`);
- not a reserved Windows device name (`CON`, `NUL`, `COM1`, `LPT9`, … with any extension): `_` goes first;
- it ends with an extension of its media type (a PNG named `invoice.html` is written as `invoice.html.png`), so
  the system viewer opens it as what it is;
- at most 120 characters and 240 bytes of UTF-8 (a Chinese name fits file systems' 255-byte limit), shortened
  in its stem so the extension stays;
- never empty: the fallback (e.g. `evidence-12`) with the extension.
"""
from __future__ import annotations

import re
import unicodedata

from .evidence import EXTENSIONS

MAX_CHARS = 120
MAX_BYTES = 240

_SEPARATORS = re.compile(r"[/\\]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_FORBIDDEN = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_RESERVED = ({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
             | {f"{dev}{n}" for dev in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")})


def _visible(text: str) -> str:
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES:
            continue
        kept.append(" " if category == "Zs" else char)
    return _SPACES.sub(" ", "".join(kept))


def _last_component(name: str) -> str:
    parts = [p for p in _SEPARATORS.split(name) if p.strip(" .")]
    last = parts[-1] if parts else ""
    return _DRIVE.sub("", last)


def _fit(stem: str, extension: str) -> str:
    """The stem shortened (never the extension) until the name has at most MAX_CHARS and MAX_BYTES."""
    stem = stem[:max(0, MAX_CHARS - len(extension))]
    while stem and len((stem + extension).encode("utf-8")) > MAX_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .")


def split_extension(name: str) -> tuple[str, str]:
    """("photo.final", ".png") for "photo.final.png"; a name without a dot has no extension."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    return name[:dot], name[dot:]


def safe_filename(name: str | None, media_type: str | None = None, fallback: str = "evidence") -> str:
    """`name` made safe to write out (the rules above); `media_type` decides the extension it must end with."""
    text = unicodedata.normalize("NFC", name or "")
    text = _visible(_last_component(_visible(text)))
    text = _FORBIDDEN.sub("_", text).rstrip(" .").lstrip(" ")
    wanted = EXTENSIONS.get(media_type or "", ())
    if text.startswith(".") and "." + text.lstrip(". ").lower() in wanted:  # ".png": only an extension
        text = ""
    text = text.lstrip(" .")
    stem, extension = split_extension(text)
    if wanted and extension.lower() not in wanted:
        stem, extension = text, wanted[0]
    elif len(extension) > 16 or not extension[1:].strip():  # not an extension but part of the name
        stem, extension = text, ""
    stem = _fit(stem, extension)
    if not stem:
        stem = _fit(_FORBIDDEN.sub("_", _visible(fallback)).strip(" .") or "file", extension)
    if stem.split(".")[0].strip().upper() in _RESERVED:
        stem = _fit("_" + stem, extension)
    return stem + extension


def case_file_name(dispute_id: str) -> str:
    """The name proposed for a case file: the dispute id (a marketplace's text: separators and `:` become `_`)."""
    return safe_filename(re.sub(r"[/\\:]", "_", dispute_id) + ".pdf", "application/pdf", fallback="case-file")
