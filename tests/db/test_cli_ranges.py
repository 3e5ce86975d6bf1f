"""Exit codes and ranges (issue 13): numeric options are range-checked (exit 2 with the range); values too long
for a column are rejections (exit 1 with a reason), never exit 4 with raw SQL."""
from __future__ import annotations

import pytest

from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.cli_runner import Mediator
from tests.feeds import T0, iso, opened

NOW = iso(T0)


@pytest.mark.parametrize("args,words", [
    (("sweep", "--batch", "0"), ("--batch", "1", "10000")),
    (("sweep", "--batch", "-1"), ("--batch", "1", "10000")),
    (("sweep", "--batch", "x"), ("--batch", "not an integer")),
    (("sweep", "--every", "0"), ("--every", "more than 0")),
    (("sweep", "--every", "nan"), ("--every",)),
    (("queue", "--limit", "-1"), ("--limit", "0", "1000000")),
    (("note", "D-1", "--as", "alice", "--text", "x", "--expect-version", "0"), ("--expect-version", "1")),
    (("note", "D-1", "--as", "alice", "--text", "x", "--expect-version", str(2 ** 40)), ("--expect-version",)),
    (("demo", "--disputes", "-5"), ("--disputes", "1")),
])
def test_a_numeric_option_out_of_range_is_a_usage_error(ctx: Context, db_url: str, args: tuple[str, ...],
                                                        words: tuple[str, ...],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    ingest_events(ctx, [opened("D-1")])
    run = Mediator(db_url, capsys)(*args, now=NOW)
    assert run.code == 2, run.err
    for word in words:
        assert word in run.err
    assert Mediator(db_url, capsys).ok("show", "D-1", "--as", "dora", now=NOW)["version"] == 1


def test_values_too_long_for_a_column_are_rejections(ctx: Context, db_url: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    ingest_events(ctx, [opened("D-1")])
    m = Mediator(db_url, capsys)
    run = m("note", "D-1", "--as", "alice", "--text", "x", "--idempotency-key", "k" * 100, now=NOW)
    assert run.code == 1, run.err
    assert "idempotency key is 100 characters long, above the limit of 64" in run.json["error"]
    assert "INSERT" not in run.err and "SELECT" not in run.err
    run = m("user", "add", "u" * 65, "--role", "clerk", now=NOW)
    assert run.code == 1, run.err
    assert "a user name is 1 to 63 characters" in run.json["error"]
    assert m.ok("show", "D-1", "--as", "dora", now=NOW)["version"] == 1


def test_a_sweep_batch_in_range_still_executes_everything(ctx: Context, db_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import timedelta

    ingest_events(ctx, [opened(f"D-{n}") for n in range(5)])
    later = iso(T0 + timedelta(days=6))
    executed = Mediator(db_url, capsys).ok("sweep", "--batch", "1", now=later)["executed"]
    assert len(executed) == 5
