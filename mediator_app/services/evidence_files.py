"""Evidence written out of the database (§7.4): a copy for the system viewer, or a file the clerk saves.

The bytes are those of `workbench.evidence_content`, re-checked against their sha256 first (altered bytes raise
`EvidenceAltered` and nothing is written). The name is always `domain.safe_names.safe_filename` of the party's
`filename`, never the filename itself: the party's name is a record, not a path.

Copies for the viewer live in one private folder per process (`tempfile.mkdtemp`: readable by this user only),
each in a folder of its evidence id (two files of the same name never meet), read-only, and are removed when
the process ends (decision 153).
"""
from __future__ import annotations

import atexit
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path

from mediator_app.domain.safe_names import safe_filename

from . import workbench
from .context import Context
from .workbench import EvidenceItem


def written_name(item: EvidenceItem) -> str:
    """The name a file of this evidence gets when written out (proposed by Save as…, used for the viewer)."""
    return safe_filename(item.filename, item.media_type, fallback=f"evidence-{item.id}")


class ViewerCopies:
    """Temporary copies of evidence for the system viewer, in one private folder removed at `remove_all`."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="mediator-evidence-"))
            return self._root

    def write(self, item: EvidenceItem, data: bytes) -> Path:
        folder = self.root / str(item.id)
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / written_name(item)
        if path.exists():  # opened before: a fresh copy (the old one is read-only)
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
            path.unlink()
        write_file(path, data)
        path.chmod(stat.S_IRUSR)
        return path

    def remove_all(self) -> None:
        with self._lock:
            root, self._root = self._root, None
        if root is not None:
            shutil.rmtree(root, onerror=_writable_then_retry)


def _writable_then_retry(function: object, path: str, _exc: object) -> None:
    os.chmod(path, stat.S_IRWXU)
    if os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        os.unlink(path)


_copies: ViewerCopies | None = None
_copies_lock = threading.Lock()


def viewer_copies() -> ViewerCopies:
    """The process's copies for the viewer (removed when the process exits)."""
    global _copies
    with _copies_lock:
        if _copies is None:
            _copies = ViewerCopies()
            atexit.register(_copies.remove_all)
        return _copies


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file beside it, then renamed over it."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=".mediator-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_for_viewer(ctx: Context, item: EvidenceItem, copies: ViewerCopies | None = None) -> Path:
    """A read-only temporary copy of the evidence under its safe name, for the system viewer to open."""
    _media_type, data = workbench.evidence_content(ctx, item.id)
    return (copies or viewer_copies()).write(item, data)


def save_evidence(ctx: Context, evidence_id: int, path: str | Path) -> int:
    """Write the evidence's (re-checked) bytes to `path`, a place the clerk chose; returns the bytes written."""
    _media_type, data = workbench.evidence_content(ctx, evidence_id)
    write_file(Path(path), data)
    return len(data)
