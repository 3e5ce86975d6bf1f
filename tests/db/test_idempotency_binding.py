"""An idempotency key names one action with its arguments (issue 13, decision 71)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.cli_runner import Mediator
from tests.feeds import T0, iso, opened

NOW = iso(T0)


def kinds(m: Mediator, dispute_id: str) -> list[str]:
    return [t["kind"] for t in m.ok("show", dispute_id, "--as", "dora", now=NOW)["timeline"]]


def test_a_key_reused_for_another_action_is_a_rejection(ctx: Context, db_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    ingest_events(ctx, [opened("C-4")])
    m = Mediator(db_url, capsys)
    m.ok("note", "C-4", "--as", "alice", "--text", "first look", "--idempotency-key", "K1", now=NOW)
    run = m("rule", "C-4", "--as", "alice", "--adopt", "buyer", "--idempotency-key", "K1", now=NOW)
    assert run.code == 1
    assert "idempotency key K1 was used for note on C-4" in run.json["error"]
    assert "ruling.made" not in kinds(m, "C-4")

    other_text = m("note", "C-4", "--as", "alice", "--text", "another look", "--idempotency-key", "K1", now=NOW)
    assert other_text.code == 1
    assert "was used for note on C-4 with other arguments" in other_text.json["error"]

    other_user = m("note", "C-4", "--as", "carol", "--text", "first look", "--idempotency-key", "K1", now=NOW)
    assert other_user.code == 1

    again = m("note", "C-4", "--as", "alice", "--text", "first look", "--idempotency-key", "K1", now=NOW)
    assert again.code == 0  # the same action again replays: nothing applied twice
    assert kinds(m, "C-4").count("note.added") == 1
    assert again.json["version"] == 2


def test_a_key_written_before_revision_0006_replays_on_its_dispute(ctx: Context, db_url: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ingest_events(ctx, [opened("C-5"), opened("C-6")])
    m = Mediator(db_url, capsys)
    m.ok("note", "C-5", "--as", "alice", "--text", "x", "--idempotency-key", "OLD", now=NOW)
    with ctx.engine.begin() as conn:  # as a row written before the column existed
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER history_no_update"))
        else:
            conn.execute(text("ALTER TABLE history DISABLE TRIGGER USER"))
        conn.execute(text("UPDATE history SET idempotency_action = NULL WHERE idempotency_key = 'OLD'"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE history ENABLE TRIGGER USER"))
    assert m("rule", "C-5", "--as", "alice", "--adopt", "buyer", "--idempotency-key", "OLD", now=NOW).code == 0
    assert "ruling.made" not in kinds(m, "C-5")  # replayed as before
    assert m("note", "C-6", "--as", "alice", "--text", "x", "--idempotency-key", "OLD", now=NOW).code == 1
