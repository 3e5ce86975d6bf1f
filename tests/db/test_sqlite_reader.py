"""§7.1 on SQLite (decision 270 keeps 131 there): whoever opens the file reads, so `show` and `queue` need no
`--as`; an action still names who acts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator
from tests.feeds import T0, iso, opened

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_an_sqlite_workstation_reads_without_as_and_names_who_acts(ctx: Context, db_url: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    m = Mediator(db_url, capsys)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(opened("D-1")) + "\n")
    assert m("ingest", str(feed), now=iso(T0)).code == 0
    assert m.ok("show", "D-1", now=iso(T0))["version"] == 1
    assert [c["dispute_id"] for c in m.ok("queue", now=iso(T0))] == ["D-1"]
    assert m("queue", "--csv", now=iso(T0)).code == 0
    run = m("note", "D-1", "--text", "who?", now=iso(T0))
    assert run.code == 2
    assert run.err.strip().endswith("mediator: error: name the user who acts with --as USER")
    assert m.ok("note", "D-1", "--as", "alice", "--text", "called", now=iso(T0))["version"] == 2
