"""A SIGTERM or SIGINT that reaches `mediator` while it starts (its imports take a fraction of a second) is held
until the command is known (`settle`): a command that runs until stopped (`outbox follow`, `sweep --every`) then
stops at once with exit 0, as it would a moment later (§8.2: "SIGTERM or SIGINT: clean exit 0"); any other
command ends as the signal would have ended it. Imported first by `mediator_app.cli`, before its heavy imports."""
from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

_SIGNALS = (signal.SIGTERM, signal.SIGINT)
#: what `sys.argv[0]` is named when the `mediator` program runs: its console script, or `python -m mediator_app.cli`
PROGRAMS = ("mediator", "cli.py")
_held: list[int] = []
_before: dict[int, Any] = {}  # the handlers in place before `hold`, until `settle`


def hold() -> None:
    """From now until `settle`, a SIGTERM or SIGINT is kept, not acted on: in the `mediator` program only (a
    process that imports the command's module, a test run or the window, keeps its own handling), not in a
    worker process it spawns (which imports the program's main module again as `__mp_main__`, with the same
    `sys.argv`, and never runs the command: `audit verify`'s pool), and in the main thread (where handlers go)."""
    if (_before or Path(sys.argv[0]).name not in PROGRAMS or "__mp_main__" in sys.modules
            or threading.current_thread() is not threading.main_thread()):
        return
    for signum in _SIGNALS:
        _before[signum] = signal.signal(signum, lambda received, _frame: _held.append(received))


def settle(stop: threading.Event | None) -> None:
    """Once the command is known. `stop`: the event a command that runs until stopped watches, whose handlers
    are in place already; it is set now if a signal was held. Without one, the handlers are put back as they were
    and a held signal is delivered now."""
    before = dict(_before)
    _before.clear()
    held = list(_held)
    _held.clear()
    if stop is not None:
        if held:
            stop.set()
        return
    for signum, handler in before.items():
        signal.signal(signum, handler)
    if held:
        signal.raise_signal(held[0])
