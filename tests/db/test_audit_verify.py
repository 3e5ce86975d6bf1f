"""`audit verify` (§7.3) finds tampering by someone past the database's refusals, naming dispute and version,
and a database written by the application verifies clean (the replay is also a test of the rules)."""
from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from mediator_app.db import migrate
from mediator_app.domain.time import FixedClock
from mediator_app.services import audit_verify, casework, sweeper
from mediator_app.services.audit_verify import VerifyReport
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.cli_runner import Mediator
from tests.feeds import T0, event, opened


def at(ctx: Context, when: datetime) -> Context:
    return Context(ctx.engine, FixedClock(when), "test")


def superuser(engine: Engine, sql: str, params: dict[str, Any] | None = None) -> None:
    """A statement run past history's triggers, as a superuser could: PostgreSQL's replica role (triggers do not
    fire), SQLite's triggers dropped for the statement and put back."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.execute(text(sql), params or {})
            return
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'history'").all()
        for name, _ in triggers:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        conn.execute(text(sql), params or {})
        for _, create in triggers:
            conn.exec_driver_sql(create)


def casework_day(ctx: Context) -> None:
    """Disputes through the feed, the sweeper and every kind of clerk and supervisor action."""
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    ingest_events(ctx, [
        opened("D-1"), opened("D-2", total="900.00"), opened("D-3"), opened("D-4"),
        event("D-1", "message.posted", T0 + timedelta(hours=1), "E-1m", party="seller", text="hello"),
        event("D-1", "evidence.added", T0 + timedelta(hours=2), "E-1e", party="buyer", filename="a.png",
              media_type="image/png", sha256=hashlib.sha256(png).hexdigest(),
              content_base64=base64.b64encode(png).decode()),
        event("D-2", "dispute.escalated", T0 + timedelta(hours=1), "E-2x", party="seller"),
        event("D-3", "proposal.posted", T0 + timedelta(hours=3), "E-3p", party="seller",
              proposal={"proposal_id": "P-3-S1", "remedy": "refund", "refund": {"amount": "10.00",
                                                                               "currency": "USD"}}),
    ])
    later = at(ctx, T0 + timedelta(hours=4))
    casework.claim(later, "D-2", "alice")
    casework.propose(later, "D-2", "alice", "refund", "800.00", note="most of it")  # four eyes: pending
    casework.send_back(later, "D-2", "bob", "too much")
    casework.rule(later, "D-2", "alice", "buyer")  # 900 USD: awaits approval
    casework.approve(later, "D-2", "bob")
    casework.assign(later, "D-3", "bob", "carol")
    casework.note(later, "D-3", "carol", "called the seller")
    casework.release(later, "D-3", "carol")
    sweeper.sweep(ctx, T0 + timedelta(days=6))  # D-1 and D-4: the seller's clock ran out; D-3: the buyer's


def verified(ctx: Context, dispute_id: str | None = None, processes: int | None = 1) -> VerifyReport:
    return audit_verify.verify_audit(ctx, "dora", dispute_id, processes=processes)


def found(report: VerifyReport) -> list[tuple[str, int, str]]:
    return [(p.dispute_id, p.version, p.problem) for p in report.problems]


def test_a_database_the_application_wrote_verifies_clean(ctx: Context) -> None:
    casework_day(ctx)
    report = verified(ctx)
    assert found(report) == []
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM history")).scalar_one()
        kinds = set(conn.execute(text("SELECT DISTINCT kind FROM history")).scalars())
    assert (report.disputes, report.rows) == (4, rows)
    assert {"clock.expired", "ruling.approved", "approval.sent_back", "case.assigned", "evidence.added",
            "note.added", "case.released", "platform_proposal.posted"} <= kinds


def test_the_timeline_shows_no_replay_record(ctx: Context) -> None:
    casework_day(ctx)
    case = casework.reading.show(ctx, "D-2")
    assert all("replay" not in entry["payload"] for entry in case["timeline"])
    with ctx.engine.connect() as conn:
        stored = json.loads(conn.execute(text(
            "SELECT payload FROM history WHERE dispute_id = 'D-2' AND kind = 'ruling.made'")).scalar_one())
    assert stored["replay"] == {"action": "rule", "arguments": {"adopt": "buyer", "note": None}, "role": "clerk"}


def test_an_edited_history_row_is_found_at_its_version(ctx: Context) -> None:
    casework_day(ctx)
    superuser(ctx.engine, "UPDATE history SET summary = 'bob approved nothing' "
                          "WHERE dispute_id = 'D-2' AND kind = 'ruling.approved'")
    with ctx.engine.connect() as conn:
        version = conn.execute(text("SELECT version FROM history WHERE dispute_id = 'D-2' "
                                    "AND kind = 'ruling.approved'")).scalar_one()
    assert found(verified(ctx)) == [  # the replay makes another summary, too
        ("D-2", version, "the history row does not match its hash (its content was changed)"),
        ("D-2", version, "the history row differs from its replay (summary)")]


def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link(ctx: Context) -> None:
    casework_day(ctx)
    from mediator_app.domain.audit_chain import ChainRow, row_hash

    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT version, at, kind, actor, party, summary, payload, hash FROM history "
                                 "WHERE dispute_id = 'D-1' ORDER BY version")).all()
    edited = rows[1]
    at_ = edited.at if isinstance(edited.at, datetime) else datetime.fromisoformat(edited.at).replace(tzinfo=T0.tzinfo)
    forged = row_hash(rows[0].hash, ChainRow("D-1", edited.version, at_, edited.kind, edited.actor, edited.party,
                                             "seller: forged", edited.payload))
    superuser(ctx.engine, "UPDATE history SET summary = 'seller: forged', hash = :h "
                          "WHERE dispute_id = 'D-1' AND version = :v", {"h": forged, "v": edited.version})
    problems = found(verified(ctx, "D-1"))
    assert ("D-1", edited.version + 1, "the history row does not match its hash (its content was changed)") in problems
    assert ("D-1", edited.version, "the history row differs from its replay (summary)") in problems


def test_a_deleted_history_row_is_a_missing_version(ctx: Context) -> None:
    casework_day(ctx)
    superuser(ctx.engine, "DELETE FROM history WHERE dispute_id = 'D-3' AND version = 3")
    assert found(verified(ctx)) == [("D-3", 3, "version 3 is missing from the history (a row was deleted)")]


def test_the_last_row_deleted_is_a_missing_version_too(ctx: Context) -> None:
    casework_day(ctx)
    with ctx.engine.connect() as conn:
        last = conn.execute(text("SELECT version FROM disputes WHERE dispute_id = 'D-4'")).scalar_one()
    superuser(ctx.engine, "DELETE FROM history WHERE dispute_id = 'D-4' AND version = :v", {"v": last})
    assert found(verified(ctx)) == [("D-4", last, f"version {last} is missing from the history (a row was deleted)")]


def test_a_state_edited_directly_is_found_at_the_stored_version(ctx: Context) -> None:
    casework_day(ctx)
    with ctx.engine.connect() as conn:
        raw, version = conn.execute(text("SELECT state, version FROM disputes WHERE dispute_id = 'D-2'")).one()
    state = json.loads(raw)
    state["outcome"]["refund"] = {"amount": "9000.00", "currency": "USD"}
    with ctx.engine.begin() as conn:  # the disputes table has no trigger: a plain UPDATE is the attack
        conn.execute(text("UPDATE disputes SET state = :s WHERE dispute_id = 'D-2'"), {"s": json.dumps(state)})
    assert found(verified(ctx)) == [
        ("D-2", version, "the stored state differs from the replay of its history (outcome)")]


def test_a_queue_column_edited_beside_the_state_is_found(ctx: Context) -> None:
    casework_day(ctx)
    with ctx.engine.begin() as conn:
        version = conn.execute(text("SELECT version FROM disputes WHERE dispute_id = 'D-3'")).scalar_one()
        assert conn.execute(text("SELECT stage FROM disputes WHERE dispute_id = 'D-3'")).scalar_one() == "closed"
        conn.execute(text("UPDATE disputes SET stage = 'platform_review', status = 'open' WHERE dispute_id = 'D-3'"))
    assert found(verified(ctx)) == [
        ("D-3", version, "the dispute's columns differ from its stored state (stage, status)")]


def test_a_forged_approval_is_found(ctx: Context) -> None:
    """The attack of issue 12: a ruling closed by an UPDATE plus an INSERT of an approval row."""
    casework_day(ctx)
    with ctx.engine.connect() as conn:
        raw, version = conn.execute(text("SELECT state, version FROM disputes WHERE dispute_id = 'D-3'")).one()
    state = json.loads(raw)
    state["stage"], state["version"] = "closed", version + 1
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE disputes SET state = :s, version = :v, stage = 'closed' "
                          "WHERE dispute_id = 'D-3'"), {"s": json.dumps(state), "v": version + 1})
        conn.execute(text(
            "INSERT INTO history (dispute_id, version, version_before, at, recorded_at, kind, party, actor, "
            "summary, payload) VALUES ('D-3', :v, :b, :at, :at, 'ruling.approved', 'platform', 'bob', "
            "'bob approved', '{}')"), {"v": version + 1, "b": version, "at": T0 + timedelta(days=7)})
    problems = found(verified(ctx))
    assert ("D-3", version + 1, "the history row has no hash") in problems
    assert all(p[0] == "D-3" and p[1] == version + 1 for p in problems)


def test_the_command_prints_the_contract_object_and_exits_1_on_problems(ctx: Context, db_url: str,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    casework_day(ctx)
    m = Mediator(db_url, capsys)
    clean = m.ok("audit", "verify", "--as", "bob")
    assert set(clean) == {"disputes", "rows", "problems"} and clean["disputes"] == 4 and clean["problems"] == []
    assert m.ok("audit", "verify", "--dispute", "D-1", "--as", "dora")["disputes"] == 1
    superuser(ctx.engine, "DELETE FROM history WHERE dispute_id = 'D-1' AND version = 2")
    run = m("audit", "verify", "--as", "dora")
    assert run.code == 1
    assert run.json["problems"] == [{"dispute_id": "D-1", "version": 2,
                                     "problem": "version 2 is missing from the history (a row was deleted)"}]
    refused = m("audit", "verify", "--as", "alice")
    assert refused.code == 1 and "only supervisors and auditors" in refused.err
    unnamed = m("audit", "verify")  # an administrator (the tests' connection; SQLite: the file) may leave --as out
    assert unnamed.code == 1 and unnamed.json == run.json
    assert m("audit", "verify", "--dispute", "D-404", "--as", "bob").code == 1
    assert m.ok("audit", "--as", "bob", "--dispute", "D-2")  # the listing is still `audit`


def test_the_backfill_hashes_existing_rows_and_they_verify(ctx: Context, caplog: pytest.LogCaptureFixture) -> None:
    """A database at 0012 (the revision before 0011) with data: the rows are hashed by the upgrade; rows without a replay record (written
    before the chain) are checked for hashes and versions, and tampering with them is still found."""
    casework_day(ctx)
    migrate.upgrade(ctx.engine, "0012")
    with ctx.engine.connect() as conn:
        assert "hash" not in [c for c in conn.execute(text("SELECT * FROM history")).keys()]
        payloads = conn.execute(text("SELECT id, payload FROM history WHERE dispute_id IN ('D-1', 'D-4')")).all()
    for row_id, payload in payloads:  # D-1 and D-4 as written before revision 0011: no replay records
        old = {k: v for k, v in json.loads(payload).items() if k != "replay"}
        superuser(ctx.engine, "UPDATE history SET payload = :p WHERE id = :i", {"p": json.dumps(old), "i": row_id})
    with caplog.at_level("INFO", logger="mediator_app.db.migrations"):
        migrate.upgrade(ctx.engine)
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM history")).scalar_one()
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("0011: hashed")]
    assert lines == [f"0011: hashed {rows} of {rows} history rows (disputes up to D-4)"]  # one batch of 5,000
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM history WHERE hash IS NULL")).scalar_one() == 0
    assert found(verified(ctx)) == []
    superuser(ctx.engine, "UPDATE history SET summary = 'edited' WHERE dispute_id = 'D-4' AND version = 1")
    superuser(ctx.engine, "DELETE FROM history WHERE dispute_id = 'D-1' AND version = 2")
    assert found(verified(ctx)) == [
        ("D-1", 2, "version 2 is missing from the history (a row was deleted)"),
        ("D-4", 1, "the history row does not match its hash (its content was changed)")]
    # the application's writes after the upgrade chain onto the backfilled rows
    ingest_events(ctx, [event("D-4", "message.posted", T0 + timedelta(days=7), "E-4m", party="buyer", text="hi")])
    assert [p for p in found(verified(ctx)) if p[0] == "D-4" and p[1] > 1] == []


def test_the_process_pool_finds_what_one_process_finds(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool path (two spawned workers, and the main process judging a batch itself whenever the workers
    have enough queued): batches of one dispute, so every path judges some, with tampering in several."""
    casework_day(ctx)
    superuser(ctx.engine, "UPDATE history SET summary = 'bob approved nothing' "
                          "WHERE dispute_id = 'D-2' AND kind = 'ruling.approved'")
    superuser(ctx.engine, "DELETE FROM history WHERE dispute_id = 'D-3' AND version = 3")
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE disputes SET reason = 'forged' WHERE dispute_id = 'D-4'"))
    alone = found(verified(ctx))
    assert {p[0] for p in alone} == {"D-2", "D-3", "D-4"}
    monkeypatch.setattr(audit_verify, "POOL_FROM", 0)
    monkeypatch.setattr(audit_verify, "BATCH", 1)
    monkeypatch.setattr(audit_verify, "AHEAD", 1)  # two batches in flight at most: the main process judges too
    pooled = verified(ctx, processes=2)
    assert found(pooled) == alone
    assert (pooled.disputes, pooled.rows) == (4, verified(ctx).rows)


def test_a_set_without_replay_records_is_held_against_its_stored_json(ctx: Context) -> None:
    """`bench.dataset`'s disputes carry no replay record (like rows written before revision 0011): a batch of
    only such disputes reads just the columns held against the stored JSON, and still finds an edited column,
    an edited state and an edited history row."""
    from bench import dataset

    dataset.build(ctx.engine, 30, 70, seed=3, quiet=True, jobs=1)
    clean = verified(ctx)
    assert (clean.disputes, clean.rows, found(clean)) == (100, 100, [])
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE disputes SET reason = 'forged' WHERE dispute_id = 'B-0000042'"))
        state = json.loads(conn.execute(text("SELECT state FROM disputes WHERE dispute_id = 'B-0000077'")).scalar_one())
        state["stage"] = "platform_review"
        conn.execute(text("UPDATE disputes SET state = :s WHERE dispute_id = 'B-0000077'"), {"s": json.dumps(state)})
    superuser(ctx.engine, "UPDATE history SET summary = 'edited' WHERE dispute_id = 'B-0000050'")
    assert found(verified(ctx)) == [
        ("B-0000042", 1, "the dispute's columns differ from its stored state (reason)"),
        ("B-0000050", 1, "the history row does not match its hash (its content was changed)"),
        ("B-0000077", 1, "the dispute's columns differ from its stored state (stage)")]


def _before_the_replay_records(ctx: Context, *ids: str) -> None:
    """The database taken back to 0012 and `ids`' rows stripped of their replay records (as written before
    revision 0011), then upgraded: revision 0017 marks them."""
    migrate.upgrade(ctx.engine, "0012")
    with ctx.engine.connect() as conn:
        payloads = conn.execute(text("SELECT id, payload, version FROM history WHERE dispute_id IN :ids")
                                .bindparams(bindparam("ids", expanding=True)), {"ids": list(ids)}).all()
    for row_id, payload, version in payloads:
        old = {k: v for k, v in json.loads(payload).items() if k != "replay"}
        if version == 1:  # a value that spells the key's name is still no record
            old["said"] = "replay"
        superuser(ctx.engine, "UPDATE history SET payload = :p WHERE id = :i", {"p": json.dumps(old), "i": row_id})
    migrate.upgrade(ctx.engine)


def _forged_pair(ctx: Context, dispute_id: str, when: datetime) -> int:
    """What a clerk's own login may write (§7.2 lets it through): a note of their own, through the write path
    itself, paired with a dispute row whose state says something the note did not do. Returns the new version."""
    from dataclasses import replace

    from mediator_app.db import store
    from mediator_app.domain import actions

    with ctx.engine.begin() as conn:
        state = store.load_dispute(conn, dispute_id)
        assert state is not None
        new, change = actions.add_note(state, actions.Actor("carol", "clerk"), when, "nothing to see")
        forged = replace(new, reason="forged")
        store.store_changes(conn, forged, state.version, [replace(change, after=forged)], when, "test")
    return forged.version


def test_a_dispute_written_before_the_replay_records_is_replayed_from_its_baseline(ctx: Context) -> None:
    """Decision 269: the disputes whose history starts without replay records are marked by revision 0017; the
    next change of each keeps the row as it was (a baseline), and `audit verify` replays the later rows from it,
    so a user's consistent forged pair on such a dispute is found — once changed by the application, or at the
    forging change itself."""
    casework_day(ctx)
    _before_the_replay_records(ctx, "D-1", "D-4")
    with ctx.engine.connect() as conn:
        assert dict(conn.execute(text("SELECT dispute_id, legacy FROM disputes")).all()) == {
            "D-1": True, "D-2": None, "D-3": None, "D-4": True}
    assert found(verified(ctx)) == []
    later = T0 + timedelta(days=7)
    version = show_version(ctx, "D-4")
    ingest_events(ctx, [event("D-4", "message.posted", later, "E-4m", party="buyer", text="hi")])  # the baseline
    with ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT dispute_id, version FROM replay_baselines")).all() == [("D-4", version)]
        assert conn.execute(text("SELECT legacy FROM disputes WHERE dispute_id = 'D-4'")).scalar_one() is None
    assert found(verified(ctx)) == []  # replayed from the baseline: its state is the replay's
    forged_d4 = _forged_pair(ctx, "D-4", later + timedelta(hours=1))  # after the application's change
    forged_d1 = _forged_pair(ctx, "D-1", later + timedelta(hours=1))  # its first change since 0017: the forgery
    assert found(verified(ctx)) == [
        ("D-1", forged_d1, "the stored state differs from the replay of its history (reason)"),
        ("D-4", forged_d4, "the stored state differs from the replay of its history (reason)")]


def show_version(ctx: Context, dispute_id: str) -> int:
    from mediator_app.services import reading

    return int(reading.show(ctx, dispute_id)["version"])
