"""Modules imported when first used, so `mediator COMMAND` imports what COMMAND needs (decision 190).

    if TYPE_CHECKING:
        from mediator_app.services import feed
    else:
        feed = lazy("mediator_app.services.feed")

The stand-in forwards every attribute to the real module, imported at the first attribute read; nothing is
copied, so a test that patches the real module is seen through it.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """A module's stand-in: imports `name` when an attribute is first read."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = None

    def _target(self) -> ModuleType:
        target = self.__dict__["_lazy_target"]
        if target is None:
            target = importlib.import_module(self.__name__)
            self.__dict__["_lazy_target"] = target
        return target  # type: ignore[no-any-return]

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)

    def __repr__(self) -> str:
        loaded = "loaded" if self.__dict__["_lazy_target"] is not None else "not yet imported"
        return f"<lazy module {self.__name__!r} ({loaded})>"


def lazy(name: str) -> Any:
    """A stand-in for the module `name` (absolute), imported on first use."""
    return LazyModule(name)
