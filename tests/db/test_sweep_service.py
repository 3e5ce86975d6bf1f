"""`mediator sweep --every`: a long-running sweeper that executes what comes due and stops cleanly on SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from mediator_app.domain.time import FixedClock
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from tests.feeds import opened


def test_sweep_every_runs_until_sigterm(ctx: Context, db_url: str, clock: FixedClock) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    env = {**os.environ, "MEDIATOR_NOW": "2026-11-06T02:00:00Z"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mediator_app.cli", "--db", db_url, "--json", "sweep", "--every", "0.05"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())  # blocks until the first run has reported
        assert sorted(e["dispute_id"] for e in first["executed"]) == ["D-1", "D-2"]
        second = json.loads(process.stdout.readline())
        assert second == {"executed": []}, "a second run executes nothing again"
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "sweeper stopped" in err
    assert show(ctx, "D-1")["outcome"]["reached_type"] == "seller_response_timeout"
