"""Offline review (§6) through `mediator` on SQLite and PostgreSQL: database identity, export, reading a bundle,
drafts judged as live, sync with its conflicts, second syncs and a foreign bundle.

Users (the `ctx` fixture): alice and carol (clerks), bob and sam (supervisors), dora (auditor). The disputes open
at T0 = 2026-11-01T02:00Z; the seller's response time (120 h) runs out at T0 + 5 days.
"""
from __future__ import annotations

import itertools
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from mediator_app import cli
from mediator_app.db import migrate
from mediator_app.db.engine import make_engine
from mediator_app.services.context import Context
from tests.cli_runner import Mediator, Run

from .feeds import T0, Line, evidence, message, opened, t, write_feed, z

_files = itertools.count(1)
NOW = z(t(hours=2))
DUE = z(t(days=5))  # the seller's response time runs out


class Offline:
    """The live `mediator` plus the same command over a bundle file."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.live = Mediator(url, capsys)
        self.capsys = capsys
        self.tmp_path = tmp_path
        self.bundle = tmp_path / "cases.mcase"

    def feed(self, *lines: Line, now: str = NOW) -> None:
        run = self.live("ingest", str(write_feed(self.tmp_path / f"feed{next(_files)}.jsonl", lines)), now=now)
        assert run.code == 0, run.out

    def off(self, *args: str, now: str = NOW, bundle: Path | None = None) -> Run:
        """`mediator --bundle FILE --json --now NOW ...` (no --db at all)."""
        self.capsys.readouterr()
        code = cli.main(["--bundle", str(bundle or self.bundle), "--json", "--now", now, *args])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def off_ok(self, *args: str, now: str = NOW) -> Any:
        run = self.off(*args, now=now)
        assert run.code == 0, f"{args} exited {run.code}: {run.err}"
        return run.json

    def bare(self, *args: str) -> Run:
        self.capsys.readouterr()
        code = cli.main(["--json", *args])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def export(self, *ids: str, now: str = NOW, user: str = "alice") -> dict[str, Any]:
        return self.live.ok("bundle", "export", "--out", str(self.bundle), "--as", user, "--force",
                            "--ids", *ids, now=now)

    def sync(self, user: str = "alice", now: str = NOW, expect: int | None = None) -> dict[str, Any]:
        run = self.live("bundle", "sync", str(self.bundle), "--as", user, now=now)
        if expect is not None:
            assert run.code == expect, run.err
        return run.json

    def show(self, dispute_id: str = "D-1", now: str = NOW) -> dict[str, Any]:
        return self.live.ok("show", dispute_id, "--as", "dora", now=now)


@pytest.fixture
def o(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Offline:
    off = Offline(db_url, capsys, tmp_path)
    off.feed(opened("E-1", "D-1", T0, order_id="O-1"), opened("E-2", "D-2", T0, order_id="O-2"),
             message("E-m1", "buyer", t(minutes=5), "货物没有收到，一直在等"),
             evidence("E-ev1", "buyer", t(minutes=6), b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, filename="包裹.png"))
    return off


# --- identity ---------------------------------------------------------------------------------------------------

def test_db_info_names_a_permanent_random_id(o: Offline, db_url: str) -> None:
    first = o.live.ok("db", "info")
    assert set(first) == {"database_id", "revision", "backend"}
    assert str(uuid.UUID(first["database_id"])) == first["database_id"]
    assert first["revision"] == migrate.head_revision()
    assert first["backend"] == ("postgresql" if db_url.startswith("postgresql") else "sqlite")
    o.live.ok("db", "upgrade")
    assert o.live.ok("db", "info") == first


def test_db_info_differs_between_databases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = set()
    for name in ("a.db", "b.db"):
        m = Mediator(f"sqlite:///{tmp_path / name}", capsys)
        m.ok("db", "upgrade")
        ids.add(m.ok("db", "info")["database_id"])
    assert len(ids) == 2


def test_migration_gives_an_existing_database_its_id(db_url: str, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM disputes")).scalar_one() == 0
        conn.execute(text("INSERT INTO users (name, role, created_at) VALUES ('zed', 'clerk', :at)"), {"at": T0})
    from mediator_app.domain.time import FixedClock
    from mediator_app.services.feed import ingest_events
    from tests.feeds import opened as opened_event

    ingest_events(Context(engine, FixedClock(T0)), [opened_event("D-7", T0)])
    migrate.upgrade(engine, "0006")  # the revision before 0009: a dispute stored then
    m = Mediator(db_url, capsys)
    assert m("db", "info").code == 4  # not upgraded yet
    m.ok("db", "upgrade")
    info = m.ok("db", "info")
    assert uuid.UUID(info["database_id"]) and info["revision"] == migrate.head_revision()
    assert {"name": "zed", "role": "clerk"} in m.ok("user", "list")
    assert m.ok("show", "D-7", "--as", "dora", now=NOW)["version"] == 1
    m.ok("bundle", "export", "--out", str(tmp_path / "old.mcase"), "--as", "zed", "--ids", "D-7", now=NOW)
    engine.dispose()


# --- export and reading ------------------------------------------------------------------------------------------

def test_bundle_show_equals_live_show_and_nothing_live_changes(o: Offline) -> None:
    before = {d: o.show(d) for d in ("D-1", "D-2")}
    report = o.export("D-1", "D-2")
    assert report == {"bundle": str(o.bundle), "disputes": 2, "evidence_bytes": 72}
    later = z(t(days=6))  # the seller's clock ran out since export: overdue in the bundle, nothing executed
    for d in ("D-1", "D-2"):
        assert o.show(d) == before[d]  # no version moved
        offline = o.off_ok("show", d, now=later)
        bundle_info = offline.pop("bundle")
        assert offline.pop("drafts") == []
        assert offline == o.show(d, later)
        assert bundle_info["exported_by"] == "alice" and bundle_info["exported_at"] == NOW
        assert bundle_info["database_id"] == o.live.ok("db", "info")["database_id"]
    assert o.off_ok("show", "D-1", now=later)["deadlines"][0]["overdue"] is True
    assert o.off_ok("queue", now=later) == [c for c in o.live.ok("queue", "--as", "dora", now=later)
                                           if c["dispute_id"] in ("D-1", "D-2")]
    assert o.show("D-1")["version"] == before["D-1"]["version"]


def test_bundle_show_in_a_fresh_folder_needs_no_database(o: Offline, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A bundle made on either database opens with nothing but the file (the PostgreSQL half: made on PG)."""
    o.export("D-1")
    live = o.show("D-1", now=z(t(days=1)))
    fresh = tmp_path / "elsewhere"
    fresh.mkdir()
    copy = fresh / "copy.mcase"
    shutil.copyfile(o.bundle, copy)
    assert sorted(p.name for p in fresh.iterdir()) == ["copy.mcase"]
    monkeypatch.setenv("MEDIATOR_DB", "postgresql+psycopg://nobody@127.0.0.1:1/none")  # unreachable on purpose
    run = o.off("show", "D-1", now=z(t(days=1)), bundle=copy)
    assert run.code == 0, run.err
    case = run.json
    case.pop("bundle"), case.pop("drafts")
    assert case == live
    assert sorted(p.name for p in fresh.iterdir()) == ["copy.mcase"]  # reading left no journal beside it
    assert o.bare("bundle", "drafts", str(copy)).json == []


def test_export_refusals(o: Offline) -> None:
    o.export("D-1")
    run = o.live("bundle", "export", "--out", str(o.bundle), "--as", "alice", "--ids", "D-2", now=NOW)
    assert run.code == 1 and "exists" in run.json["error"]
    run = o.live("bundle", "export", "--out", str(o.tmp_path / "x.mcase"), "--as", "alice",
                 "--ids", "D-1", "D-404", now=NOW)
    assert run.code == 1 and "D-404" in run.json["error"]
    assert not (o.tmp_path / "x.mcase").exists()
    assert not [p for p in o.tmp_path.iterdir() if p.name.endswith(".part")]
    # no selection: argparse's usage error, exit 2 from cli.main
    assert o.live("bundle", "export", "--out", str(o.tmp_path / "y.mcase"), "--as", "alice", now=NOW).code == 2
    run = o.live("bundle", "export", "--out", str(o.tmp_path / "z.mcase"), "--as", "nobody", "--ids", "D-1", now=NOW)
    assert run.code == 1 and "nobody" in run.json["error"]
    # an auditor exports too, by view
    assert o.live.ok("bundle", "export", "--out", str(o.tmp_path / "v.mcase"), "--as", "dora",
                     "--view", "all", now=NOW)["disputes"] == 2


def test_export_by_holder(o: Offline) -> None:
    o.live.ok("claim", "D-2", "--as", "carol", now=NOW)
    report = o.live.ok("bundle", "export", "--out", str(o.bundle), "--as", "carol", "--assigned-to", "carol",
                       now=NOW)
    assert report["disputes"] == 1
    assert o.off("show", "D-1").code == 1
    assert o.off_ok("show", "D-2")["assigned_to"] == "carol"


# --- drafts ------------------------------------------------------------------------------------------------------

def test_drafts_stack_and_show_applies_them(o: Offline) -> None:
    o.export("D-1")
    first = o.off_ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "30.00")
    assert first["action"] == "propose" and first["based_on_version"] == o.show()["version"]
    second = o.off_ok("note", "D-1", "--as", "alice", "--text", "部分退款")
    assert second["based_on_version"] == first["based_on_version"] + 1
    case = o.off_ok("show", "D-1")
    assert case["version"] == first["based_on_version"] + 2
    assert case["proposals"]["platform"]["refund"] == {"amount": "30.00", "currency": "USD"}
    assert [d["draft_id"] for d in case["drafts"]] == [first["draft_id"], second["draft_id"]]
    assert {d["status"] for d in case["drafts"]} == {"pending"}
    assert case["timeline"][-1]["summary"].endswith("部分退款") and case["timeline"][-1]["draft_id"]
    listed = o.bare("bundle", "drafts", str(o.bundle)).json
    assert [d["draft_id"] for d in listed] == [first["draft_id"], second["draft_id"]]
    assert o.show()["version"] == first["based_on_version"]  # the live case is untouched


@pytest.mark.parametrize("args", [
    ("approve", "D-1", "--as", "alice"),
    ("propose", "D-1", "--as", "dora", "--remedy", "no_refund"),
    ("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "99.00"),
    ("propose", "D-1", "--as", "alice", "--remedy", "refund"),
    ("rule", "D-1", "--as", "alice", "--adopt", "platform"),
    ("note", "D-9", "--as", "alice", "--text", "x"),
    ("note", "D-1", "--as", "nobody", "--text", "x"),
    ("send-back", "D-1", "--as", "bob", "--note", "x"),
])
def test_a_draft_is_judged_exactly_as_live(o: Offline, args: tuple[str, ...]) -> None:
    o.export("D-1")
    offline = o.off(*args)
    live = o.live(*args, now=NOW)
    assert live.code == 1 and offline.code == 1, (live.err, offline.err)
    assert offline.json["error"] == live.json["error"]
    assert o.bare("bundle", "drafts", str(o.bundle)).json == []


def test_a_draft_after_a_party_clock_ran_out_is_refused(o: Offline) -> None:
    o.export("D-1")
    run = o.off("note", "D-1", "--as", "alice", "--text", "late", now=z(t(days=5, minutes=1)))
    assert run.code == 1
    assert run.json["error"] == f"the seller's response time ran out at {DUE}; this case has moved on"
    assert o.off("note", "D-1", "--as", "alice", "--text", "at due", now=DUE).code == 1
    assert o.off("note", "D-1", "--as", "alice", "--text", "just before", now=z(t(days=5, seconds=-1))).code == 0


def test_usage_errors_in_a_bundle(o: Offline) -> None:
    o.export("D-1")
    for extra in (("--expect-version", "3"), ("--idempotency-key", "k")):
        run = o.off("note", "D-1", "--as", "alice", "--text", "x", *extra)
        assert run.code == 2
    for args in (("claim", "D-1", "--as", "alice"), ("release", "D-1", "--as", "alice"),
                 ("assign", "D-1", "--as", "bob", "--to", "alice"), ("sweep",), ("conflicts", "--as", "bob"),
                 ("ingest", "-")):
        run = o.off(*args)
        assert run.code == 2 and "not in an offline bundle" in run.err, args
    not_a_bundle = o.tmp_path / "plain.txt"
    not_a_bundle.write_text("hello")
    assert o.off("show", "D-1", bundle=not_a_bundle).code == 1
    assert o.off("show", "D-1", bundle=o.tmp_path / "missing.mcase").code == 1


# --- sync --------------------------------------------------------------------------------------------------------

def test_sync_applies_drafts_as_their_commands_and_a_second_sync_applies_nothing(o: Offline) -> None:
    o.export("D-1", "D-2")
    v1, v2 = o.show("D-1")["version"], o.show("D-2")["version"]
    a = o.off_ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "30.00")
    b = o.off_ok("note", "D-1", "--as", "alice", "--text", "then a note")
    c = o.off_ok("note", "D-2", "--as", "carol", "--text", "carol's own")
    report = o.sync("alice", now=z(t(hours=3)), expect=0)
    assert report == {"applied": [
        {"draft_id": a["draft_id"], "dispute_id": "D-1", "action": "propose", "version": v1 + 1},
        {"draft_id": b["draft_id"], "dispute_id": "D-1", "action": "note", "version": v1 + 2}],
        "conflicts": [], "rejected": [], "skipped": [c["draft_id"]]}
    live = o.show("D-1")
    assert live["version"] == v1 + 2 and live["proposals"]["platform"]["refund"]["amount"] == "30.00"
    assert live["timeline"][-1]["at"] == z(t(hours=3))  # applied at the sync's now
    statuses = {d["draft_id"]: d["status"] for d in o.bare("bundle", "drafts", str(o.bundle)).json}
    assert statuses == {a["draft_id"]: "applied", b["draft_id"]: "applied", c["draft_id"]: "pending"}
    assert o.sync("alice", expect=0)["applied"] == []
    assert o.show("D-1")["version"] == v1 + 2
    carol = o.sync("carol", expect=0)
    assert [x["draft_id"] for x in carol["applied"]] == [c["draft_id"]] and carol["skipped"] == []
    assert o.show("D-2")["version"] == v2 + 1


def _conflict_case(o: Offline, change: Any, expected_kinds: list[str], sync_now: str = NOW) -> dict[str, Any]:
    o.export("D-1")
    based = o.show("D-1")["version"]
    draft = o.off_ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "30.00")
    change()
    report = o.sync("alice", now=sync_now, expect=1)
    assert report["applied"] == [] and report["rejected"] == []
    [conflict] = report["conflicts"]
    live = o.show("D-1", now=sync_now)
    assert conflict == {"draft_id": draft["draft_id"], "dispute_id": "D-1", "action": "propose",
                        "based_on_version": based, "live_version": live["version"],
                        "reason": f"version {based} → {live['version']}: {', '.join(expected_kinds)}"}
    assert live["proposals"]["platform"] is None  # never applied
    kept = o.live.ok("conflicts", "--as", "alice", now=sync_now)
    assert [k["draft_id"] for k in kept] == [draft["draft_id"]]
    assert kept[0]["terms"]["amount"] == "30.00" and kept[0]["by"] == "alice" and kept[0]["reason"] == \
        conflict["reason"]
    [listed] = o.bare("bundle", "drafts", str(o.bundle)).json
    assert listed["status"] == "conflict" and listed["reason"] == conflict["reason"]
    assert o.sync("alice", now=sync_now, expect=0) == {"applied": [], "conflicts": [], "rejected": [], "skipped": []}
    return conflict


def test_conflict_after_a_feed_event(o: Offline) -> None:
    _conflict_case(o, lambda: o.feed(message("E-m2", "seller", t(hours=1, minutes=30), "shipped again")),
                   ["message.posted"])


def test_conflict_after_another_clerks_action(o: Offline) -> None:
    _conflict_case(o, lambda: o.live.ok("note", "D-1", "--as", "carol", "--text", "mine", now=NOW), ["note.added"])


def test_conflict_after_a_claim(o: Offline) -> None:
    _conflict_case(o, lambda: o.live.ok("claim", "D-1", "--as", "carol", now=NOW), ["case.claimed"])


def test_conflict_after_an_expiry_executed_by_the_sweeper(o: Offline) -> None:
    after = z(t(days=5, hours=1))
    _conflict_case(o, lambda: o.live.ok("sweep", now=after), ["clock.expired"], sync_now=after)


def test_conflict_with_an_expiry_that_runs_at_sync_time(o: Offline) -> None:
    after = z(t(days=5, hours=1))
    conflict = _conflict_case(o, lambda: None, ["clock.expired"], sync_now=after)
    assert o.show("D-1", now=after)["status"] == "closed"  # the expiry ran (as before any live action)
    assert conflict["live_version"] == conflict["based_on_version"] + 1


def test_stacked_drafts_where_the_first_conflicts(o: Offline) -> None:
    o.export("D-1")
    first = o.off_ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "30.00")
    second = o.off_ok("note", "D-1", "--as", "alice", "--text", "after the proposal")
    o.live.ok("note", "D-1", "--as", "carol", "--text", "meanwhile", now=NOW)
    live_version = o.show("D-1")["version"]
    report = o.sync("alice", expect=1)
    assert [c["draft_id"] for c in report["conflicts"]] == [first["draft_id"], second["draft_id"]]
    assert report["conflicts"][1]["reason"] == "an earlier draft of this case conflicted"
    assert report["conflicts"][1]["live_version"] == live_version
    assert o.show("D-1")["version"] == live_version
    kept = o.live.ok("conflicts", "--as", "bob")
    assert {k["draft_id"] for k in kept} == {first["draft_id"], second["draft_id"]}
    assert o.live.ok("conflicts", "--as", "carol") == []


def test_a_draft_refused_at_sync_is_rejected_and_stops_its_case(o: Offline) -> None:
    o.export("D-1")
    a = o.off_ok("note", "D-1", "--as", "alice", "--text", "one")
    b = o.off_ok("note", "D-1", "--as", "alice", "--text", "two")
    engine = make_engine(o.live.url)
    with engine.begin() as conn:  # alice became an auditor meanwhile
        conn.execute(text("UPDATE users SET role = 'auditor' WHERE name = 'alice'"))
    engine.dispose()
    report = o.sync("alice", expect=1)
    assert [r["draft_id"] for r in report["rejected"]] == [a["draft_id"]]
    assert "auditor" in report["rejected"][0]["reason"]
    assert [c["draft_id"] for c in report["conflicts"]] == [b["draft_id"]]
    statuses = [d["status"] for d in o.bare("bundle", "drafts", str(o.bundle)).json]
    assert statuses == ["rejected", "conflict"]


def test_a_foreign_bundle_is_refused_whole(o: Offline, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = Mediator(f"sqlite:///{tmp_path / 'other.db'}", capsys)
    other.ok("db", "upgrade")
    other.ok("user", "add", "alice", "--role", "clerk")
    other.ok("ingest", str(write_feed(tmp_path / "other.jsonl", [opened("E-1", "D-1", T0)])), now=NOW)
    other.ok("bundle", "export", "--out", str(o.bundle), "--as", "alice", "--ids", "D-1", now=NOW)
    o.off_ok("note", "D-1", "--as", "alice", "--text", "from elsewhere")
    before = o.show("D-1")["version"]
    run = o.live("bundle", "sync", str(o.bundle), "--as", "alice", now=NOW)
    assert run.code == 1 and run.json["error"].startswith("this bundle comes from database ")
    assert o.show("D-1")["version"] == before
    assert [d["status"] for d in o.bare("bundle", "drafts", str(o.bundle)).json] == ["pending"]


def test_a_draft_applied_before_the_bundle_was_written_is_recognised(o: Offline) -> None:
    """A sync cut off after applying: the draft's key is found live, the draft counts as applied, once."""
    o.export("D-1")
    a = o.off_ok("note", "D-1", "--as", "alice", "--text", "one")
    o.live.ok("note", "D-1", "--as", "alice", "--text", "one", "--idempotency-key", a["draft_id"],
              "--expect-version", str(a["based_on_version"]), now=NOW)  # what the cut-off sync did
    version = o.show("D-1")["version"]
    report = o.sync("alice", expect=0)
    assert report["applied"] == [{"draft_id": a["draft_id"], "dispute_id": "D-1", "action": "note",
                                  "version": version}]
    assert o.show("D-1")["version"] == version


def test_a_sync_killed_midway_then_synced_again_applies_everything_once(o: Offline, tmp_path: Path) -> None:
    """kill -9 after two drafts applied and before the bundle was written; the next sync finishes the job."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    o.export("D-1", "D-2")
    base = {d: o.show(d)["version"] for d in ("D-1", "D-2")}
    drafts = [o.off_ok("note", "D-1", "--as", "alice", "--text", "one"),
              o.off_ok("note", "D-2", "--as", "alice", "--text", "two"),
              o.off_ok("note", "D-2", "--as", "alice", "--text", "three"),
              o.off_ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "5.00")]
    fifo = tmp_path / "paused"
    os.mkfifo(fifo)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "MEDIATOR_SYNC_PAUSE_AFTER": "2", "MEDIATOR_SYNC_BATCH": "1",
           "MEDIATOR_SYNC_PAUSE_FILE": str(fifo)}
    proc = subprocess.Popen([sys.executable, "-m", "mediator_app.cli", "--db", o.live.url, "--json", "--now", NOW,
                             "bundle", "sync", str(o.bundle), "--as", "alice"], env=env, cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    heard: list[str] = []
    reader = threading.Thread(target=lambda: heard.append(fifo.read_text()))
    reader.start()
    reader.join(timeout=120)  # returns as soon as the sync says it paused
    if reader.is_alive():  # it never got there: unblock the reader and fail with its output
        fifo.write_text("")
        proc.kill()
        pytest.fail(f"the sync never paused: {proc.communicate()}")
    assert heard == ["paused\n"]
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert [d["status"] for d in o.bare("bundle", "drafts", str(o.bundle)).json] == ["pending"] * 4
    applied_live = sum(o.show(d)["version"] - base[d] for d in base)
    assert applied_live == 2
    report = o.sync("alice", expect=0)
    assert sorted(a["draft_id"] for a in report["applied"]) == sorted(d["draft_id"] for d in drafts)
    assert {d: o.show(d)["version"] for d in base} == {"D-1": base["D-1"] + 2, "D-2": base["D-2"] + 2}
    versions = {a["draft_id"]: a["version"] for a in report["applied"]}
    assert versions[drafts[0]["draft_id"]] == base["D-1"] + 1 and versions[drafts[3]["draft_id"]] == base["D-1"] + 2
    assert versions[drafts[1]["draft_id"]] == base["D-2"] + 1 and versions[drafts[2]["draft_id"]] == base["D-2"] + 2
    assert [d["status"] for d in o.bare("bundle", "drafts", str(o.bundle)).json] == ["applied"] * 4
    assert o.sync("alice", expect=0)["applied"] == []
    timeline = o.show("D-2")["timeline"]
    assert [e["summary"] for e in timeline if e["kind"] == "note.added"] == ["alice: two", "alice: three"]
