"""Opening an offline bundle (§6) as the services' database: a Context over the bundle file.

A bundle written by an older Mediator is upgraded in place as it opens (services.bundle_upgrade, decision 260);
what was upgraded is kept until the CLI or the window takes it to say (`take_upgrade`)."""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine

from mediator_app.db import bundle_file
from mediator_app.db.clock import DatabaseClock
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import Clock

from . import bundle_upgrade
from .context import Context

#: the bundles this process upgraded, by resolved path
_UPGRADED: dict[str, bundle_upgrade.Upgraded] = {}
#: the upgraded copies read in place of older bundles that cannot be written, by the file as it was copied
#: (resolved path, modification time, size): a second window on the same file reads the same copy
_READ_COPIES: dict[tuple[str, int, int], tuple[Path, bundle_upgrade.Upgraded]] = {}
#: held while a read copy is looked up or made: a window opens bundles from a worker and from its GUI thread,
#: and one copy per file is made, not one per thread
_COPYING = threading.Lock()


def open_bundle(path: str | Path, clock: Clock | None = None, writable: bool = False) -> Context:
    """Read-only unless `writable` (drafts, sync outcomes). Without a clock: the machine's (the bundle's SQLite
    `now`), so countdowns run on in a bundle while nothing executes."""
    engine = _open(path, writable)
    revision = bundle_upgrade.revision_of(engine)
    if revision != bundle_upgrade.head():
        engine.dispose()
        copied = None if writable else _readable_copy(Path(path), revision)
        if copied is not None:  # it cannot be written: read from an upgraded copy (decision 262)
            copy, read_copy = copied
            _UPGRADED[str(Path(path).resolve())] = read_copy
            engine = _open(copy, False)
            return Context(engine, clock if clock is not None else DatabaseClock(engine), bundle=str(path))
        done = bundle_upgrade.upgrade(path, revision)
        if done is not None:
            _UPGRADED[str(Path(path).resolve())] = done
        engine = _open(path, writable)
    return Context(engine, clock if clock is not None else DatabaseClock(engine), bundle=str(path))


def prepare(path: str | Path) -> None:
    """Bring an older bundle to this code's schema before a window opens it (upgraded in place, or an upgraded
    copy made to read): the window calls this in a worker, with progress shown, so that its own opening, on the
    GUI thread, finds nothing left to do. Rejection when the bundle cannot be opened (what the window says)."""
    open_bundle(path).engine.dispose()


def _readable_copy(path: Path, revision: str | None) -> tuple[Path, bundle_upgrade.Upgraded] | None:
    """`bundle_upgrade.readable_copy`, made once per file as it is (and while it cannot be written)."""
    if not bundle_upgrade.read_from_copy(path, revision):
        return None
    info = path.stat()
    key = (str(path.resolve()), info.st_mtime_ns, info.st_size)
    with _COPYING:
        made = _READ_COPIES.get(key)
        if made is None or not made[0].exists():
            made = bundle_upgrade.readable_copy(path, revision)
            if made is not None:
                _READ_COPIES[key] = made
    return made


def take_upgrade(path: str | Path) -> bundle_upgrade.Upgraded | None:
    """The upgrade this process made of the bundle at `path` as it opened it and nobody has said yet."""
    return _UPGRADED.pop(str(Path(path).resolve()), None)


def _open(path: str | Path, writable: bool) -> Engine:
    try:
        engine = bundle_file.open_bundle(path, writable=writable)
        if not bundle_file.is_bundle(engine):
            engine.dispose()
            raise Rejection(f"{path} is not an offline bundle")
    except bundle_file.NotABundle as exc:
        raise Rejection(str(exc)) from None
    except Rejection:
        raise
    except Exception as exc:  # a file that is not SQLite at all
        raise Rejection(f"{path} is not an offline bundle ({exc.__class__.__name__})") from None
    return engine
