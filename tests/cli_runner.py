"""Run the `mediator` command in-process and read its JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from mediator_app import cli


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


class Mediator:
    """`mediator --db URL --json [--now T] ...` with captured output."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = url
        self.capsys = capsys

    def __call__(self, *args: str, now: str | None = None) -> Run:
        argv = ["--db", self.url, "--json"]
        if now is not None:
            argv += ["--now", now]
        self.capsys.readouterr()
        code = cli.main(argv + list(args))
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def ok(self, *args: str, now: str | None = None) -> Any:
        run = self(*args, now=now)
        assert run.code == 0, f"mediator {' '.join(args)} exited {run.code}: {run.err}"
        return run.json
