"""An offline bundle written by an older Mediator, brought to this code's schema when it is opened (decision 260).

A bundle is made by the same migrations as the live schema, so a bundle exported before the workstation was
upgraded is at an older revision, and this code's queries would fail on it ("no such column"). Opening it runs
the missing migrations on the file itself, in one transaction that holds the file's write lock from before the
backup copy (`FILE.bak-<revision>`, byte for byte the file as it was) to the commit; the bundle's own tables
(origin, policies, drafts) are left as they were, and the upgrade is undone if they are not. A bundle at a
revision this code does not know was written by newer code and is refused, as is an older bundle that cannot be
written (a file marked read-only, or in a folder that takes no new file): nothing is changed then.
"""
from __future__ import annotations

import atexit
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from mediator_app.db import bundle_file, migrate
from mediator_app.domain.errors import Rejection


@dataclass(frozen=True)
class Upgraded:
    """What an upgrade did: the file, the revisions before and after, and where the original is kept."""
    path: str
    from_revision: str
    to_revision: str
    backup: str | None  # None: the file could not be written and is read from an upgraded copy (decision 262)

    def message(self) -> str:
        if self.backup is None:
            return (f"{self.path} was written by an older Mediator (revision {self.from_revision}) and cannot be "
                    f"written: it is read from a copy upgraded to revision {self.to_revision}; to draft in it or "
                    f"sync it, make the file writable and open it again")
        return (f"{self.path} was written by an older Mediator (revision {self.from_revision}): upgraded to "
                f"revision {self.to_revision}; the original is kept as {self.backup}")


def head() -> str:
    return migrate.script_head() or migrate.head_revision()


def revision_of(engine: Engine) -> str | None:
    """The bundle's schema revision (Alembic's table, read with plain SQL); None when it has none, or several."""
    with engine.connect().execution_options(mediator_read_only=True) as conn:
        stored = migrate.stored_revisions(conn)
    return stored[0] if stored and len(stored) == 1 else None


def readable_copy(path: str | Path, revision: str | None) -> tuple[Path, Upgraded] | None:
    """To read an older bundle that cannot be written (a reviewer's or an auditor's read-only copy): a copy of
    it in a temporary folder (removed when this process ends), upgraded there; the file itself is untouched.
    None when the bundle can be written (it is upgraded in place) or must be refused (`upgrade` says why)."""
    path = Path(path)
    if revision is None or not read_from_copy(path, revision):
        return None
    folder = Path(tempfile.mkdtemp(prefix="mediator-bundle-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / path.name
    try:
        shutil.copyfile(path, copy)
        os.chmod(copy, stat.S_IRUSR | stat.S_IWUSR)
    except OSError as exc:
        raise Rejection(f"cannot copy {path} to read it ({exc.strerror or exc}); nothing was changed") from None
    done = upgrade(copy, revision, keep_backup=False)
    return copy, Upgraded(str(path), revision, done.to_revision if done else head(), None)


def read_from_copy(path: Path, revision: str | None) -> bool:
    """Whether the bundle at `path` is one `readable_copy` reads from a copy: older, and not writable."""
    return revision is not None and revision in migrate.known_revisions() and not _writable(path)


def upgrade(path: str | Path, revision: str | None, keep_backup: bool = True) -> Upgraded | None:
    """Bring the bundle at `path` (at `revision`, not the head) to the head, keeping a copy of it first (unless
    `keep_backup` is False: a temporary copy being read); None when another process did meanwhile. Rejection,
    with nothing changed, when it is newer than this code or cannot be written."""
    path = Path(path)
    target = head()
    if revision is None:
        raise Rejection(f"{path} has no single schema revision: it is not a bundle this workstation can open "
                        f"(damaged, or not made by Mediator's export)")
    if revision not in migrate.known_revisions():
        raise Rejection(f"{path} was written by a newer Mediator (revision {revision}); "
                        f"update this workstation")
    if not _writable(path):
        raise Rejection(f"{path} was written by an older Mediator (revision {revision}) and must be upgraded to "
                        f"revision {target} to open here, but it cannot be written: make the file and its folder "
                        f"writable (or copy the file to a writable folder) and open it again; nothing was changed")
    engine = bundle_file.open_bundle(path, writable=True)
    backup: Path | None = None
    try:
        with engine.begin() as conn:  # BEGIN IMMEDIATE: no other writer from the copy to the commit
            stored = migrate.stored_revisions(conn)
            if stored == [target]:  # another process upgraded it meanwhile
                return None
            own = _own_rows(conn)
            backup = _backup(path, revision) if keep_backup else None
            migrate.run_in(conn)
            if _own_rows(conn) != own:
                raise Rejection(f"upgrading {path} would change its drafts; nothing was changed")
    except Rejection:
        _discard(backup)
        raise
    except Exception as exc:  # noqa: BLE001 (the transaction rolled back: the file is as it was)
        _discard(backup)
        raise Rejection(f"{path} could not be upgraded from revision {revision} to {target} "
                        f"({_cause(exc)}); nothing was changed") from None
    finally:
        engine.dispose()
    return Upgraded(str(path), revision, target, str(backup) if backup is not None else None)


def _writable(path: Path) -> bool:
    """Whether the file may be rewritten and a file made beside it (the backup, SQLite's journal). A file whose
    mode grants no write is read-only here even to an administrator (who could write it anyway)."""
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _own_rows(conn: Connection) -> list[list[Any]]:
    return [[tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in (bundle_file.ORIGIN, bundle_file.POLICIES, bundle_file.DRAFTS)]


def _backup(path: Path, revision: str) -> Path:
    """A byte-for-byte copy of the file beside it, `FILE.bak-<revision>` (`.2`, `.3`… when that exists: an
    earlier backup is never replaced)."""
    number = 1
    while True:
        name = path.with_name(f"{path.name}.bak-{revision}" + (f".{number}" if number > 1 else ""))
        try:
            copy = open(name, "xb")
        except FileExistsError:
            number += 1
            continue
        try:
            with copy, open(path, "rb") as original:
                shutil.copyfileobj(original, copy)
                copy.flush()
                os.fsync(copy.fileno())
        except OSError as exc:
            _discard(name)
            raise Rejection(f"cannot keep a copy of {path} as {name} before upgrading it "
                            f"({exc.strerror or exc}); nothing was changed") from None
        return name


def _discard(backup: Path | None) -> None:
    if backup is not None and backup.exists():
        backup.unlink()


def _cause(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc) or exc.__class__.__name__
