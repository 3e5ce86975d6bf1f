"""An offline bundle written by an older Mediator (decision 260), on real files, synced into SQLite and PostgreSQL.

The older bundle is a fresh bundle with drafts whose schema Alembic then takes down to the older revision (0013:
before `disputes.next_clock`; 0012: before history's hash too), so it is the file older code would have left.
Opened by this code it is upgraded in place, once, beside a byte-for-byte copy `FILE.bak-<revision>`, reads
(`queue`, `queue --csv`, `show`), takes drafts and syncs them. A bundle at a revision this code does not know is
refused with what to do; an older one marked read-only is read from an upgraded temporary copy and refuses
drafts. Both are left exactly as they were.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from mediator_app.db import bundle_file, migrate
from mediator_app.services.context import Context

from .feeds import T0, message, opened, t, z
from .test_offline_bundle import NOW, Offline

HEAD = migrate.head_revision()


@pytest.fixture
def o(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Offline:
    off = Offline(db_url, capsys, tmp_path)
    off.feed(opened("E-1", "D-1", T0, order_id="O-1"), opened("E-2", "D-2", T0, order_id="O-2"),
             message("E-m1", "buyer", t(minutes=5), "货物没有收到"))
    return off


def _older_bundle(o: Offline, revision: str) -> list[dict[str, Any]]:
    """Export D-1 and D-2, draft on both, take the file's schema down to `revision`; the drafts as listed."""
    o.export("D-1", "D-2")
    o.off_ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "30.00")
    o.off_ok("note", "D-2", "--as", "alice", "--text", "called the seller")
    engine = bundle_file.open_bundle(o.bundle, writable=True)
    try:
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
    finally:
        engine.dispose()
    assert "next_clock" not in _columns(o.bundle, "disputes")
    return list(o.bare("bundle", "drafts", str(o.bundle)).json)


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


@pytest.mark.parametrize("revision", ["0013", "0012"])
def test_an_older_bundle_with_drafts_opens_reads_drafts_and_syncs(o: Offline, revision: str) -> None:
    listed = _older_bundle(o, revision)  # `bundle drafts` reads only the drafts: it upgrades the file first
    backup = o.bundle.with_name(f"{o.bundle.name}.bak-{revision}")
    assert _revision(o.bundle) == HEAD and backup.is_file()
    assert _revision(backup) == revision and "next_clock" not in _columns(backup, "disputes")

    # again from the older file, the first command a reader gives: the queue
    backup.replace(o.bundle)
    original = o.bundle.read_bytes()
    run = o.off("queue")
    assert run.code == 0, run.err
    assert run.err.strip() == (f"mediator: {o.bundle} was written by an older Mediator (revision {revision}): "
                               f"upgraded to revision {HEAD}; the original is kept as {backup}")
    assert [c["dispute_id"] for c in run.json] == ["D-1", "D-2"]
    assert backup.read_bytes() == original  # the file as it was, byte for byte
    assert _revision(o.bundle) == HEAD and {"next_clock", "next_party", "next_on_expiry"} <= _columns(
        o.bundle, "disputes")
    assert "hash" in _columns(o.bundle, "history")
    assert o.bare("bundle", "drafts", str(o.bundle)).json == listed  # the drafts untouched

    csv = o.off("queue", "--csv")
    assert csv.code == 0 and csv.err == "", csv.err  # upgraded once: said once
    header, *rows = csv.out.lstrip("\ufeff").splitlines()
    assert "next_clock" in header.split(",") and [r.split(",")[0] for r in rows] == ["D-1", "D-2"]
    assert ",seller_response,seller," in rows[0]  # the backfilled next clock
    case = o.off_ok("show", "D-1")
    assert case["proposals"]["platform"]["refund"]["amount"] == "30.00"
    assert [d["status"] for d in case["drafts"]] == ["pending"]
    later = o.off_ok("note", "D-1", "--as", "alice", "--text", "after the upgrade")
    assert later["based_on_version"] == case["version"]
    assert _beside(o.bundle) == [o.bundle.name, backup.name]  # no second backup

    report = o.sync("alice", now=z(t(hours=3)), expect=0)
    assert [a["draft_id"] for a in report["applied"]] == [listed[0]["draft_id"], later["draft_id"],
                                                          listed[1]["draft_id"]]  # per case, in draft order
    live = o.show("D-1")
    assert live["proposals"]["platform"]["refund"]["amount"] == "30.00"
    assert live["timeline"][-1]["summary"].endswith("after the upgrade")
    assert o.show("D-2")["timeline"][-1]["summary"].endswith("called the seller")


def test_an_older_bundle_synced_first_is_upgraded_and_applies_its_drafts(o: Offline) -> None:
    listed = _older_bundle(o, "0013")
    backup = o.bundle.with_name(f"{o.bundle.name}.bak-0013")
    backup.replace(o.bundle)  # the older file, never opened by this code
    original = o.bundle.read_bytes()
    run = o.live("bundle", "sync", str(o.bundle), "--as", "alice", now=NOW)
    assert run.code == 0, run.err
    assert "was written by an older Mediator (revision 0013): upgraded to revision" in run.err
    assert [a["draft_id"] for a in run.json["applied"]] == [d["draft_id"] for d in listed]
    assert backup.read_bytes() == original
    assert {d["status"] for d in o.bare("bundle", "drafts", str(o.bundle)).json} == {"applied"}


def test_a_bundle_from_a_newer_mediator_is_refused_and_left_as_it_is(o: Offline) -> None:
    o.export("D-1")
    o.off_ok("note", "D-1", "--as", "alice", "--text", "kept")
    with sqlite3.connect(o.bundle) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    original = o.bundle.read_bytes()
    for args in (("queue",), ("show", "D-1"), ("note", "D-1", "--as", "alice", "--text", "x")):
        run = o.off(*args)
        assert run.code == 1
        assert run.json["error"] == (f"{o.bundle} was written by a newer Mediator (revision 9999); "
                                     f"update this workstation")
    sync = o.live("bundle", "sync", str(o.bundle), "--as", "alice", now=NOW)
    assert sync.code == 1 and "written by a newer Mediator (revision 9999)" in sync.json["error"]
    assert o.bundle.read_bytes() == original and _beside(o.bundle) == [o.bundle.name]


def test_a_bundle_without_a_single_revision_is_refused_as_not_openable(o: Offline) -> None:
    """A damaged or hand-made file with no schema revision is not called "newer": updating would not help."""
    o.export("D-1")
    with sqlite3.connect(o.bundle) as conn:
        conn.execute("DELETE FROM alembic_version")
    original = o.bundle.read_bytes()
    run = o.off("queue")
    assert run.code == 1
    assert run.json["error"] == (f"{o.bundle} has no single schema revision: it is not a bundle this workstation "
                                 f"can open (damaged, or not made by Mediator's export)")
    assert o.bundle.read_bytes() == original and _beside(o.bundle) == [o.bundle.name]


def test_an_older_bundle_marked_read_only_is_read_from_an_upgraded_copy_and_refuses_drafts(o: Offline) -> None:
    """An auditor's or a reviewer's read-only copy still reads (§6: `show`, `queue` read a bundle), from a
    temporary copy upgraded beside nothing; a draft needs the file itself, and is refused with what to do. The
    file is left exactly as it was (decision 262)."""
    _older_bundle(o, "0013")
    backup = o.bundle.with_name(f"{o.bundle.name}.bak-0013")
    backup.replace(o.bundle)
    original = o.bundle.read_bytes()
    o.bundle.chmod(0o444)
    try:
        for args in (("queue",), ("queue", "--csv"), ("show", "D-1")):
            run = o.off(*args)
            assert run.code == 0, (args, run.err)
            assert run.err.strip() == (
                f"mediator: {o.bundle} was written by an older Mediator (revision 0013) and cannot be written: it "
                f"is read from a copy upgraded to revision {HEAD}; to draft in it or sync it, make the file "
                f"writable and open it again")
        assert "D-1" in o.off("queue").out and "called the seller" in o.off("show", "D-2").out
        drafted = o.off("note", "D-1", "--as", "alice", "--text", "more")
        assert drafted.code == 1
        assert drafted.json["error"] == (
            f"{o.bundle} was written by an older Mediator (revision 0013) and must be upgraded to revision "
            f"{HEAD} to open here, but it cannot be written: make the file and its folder writable (or copy "
            f"the file to a writable folder) and open it again; nothing was changed")
        assert o.bundle.read_bytes() == original and _beside(o.bundle) == [o.bundle.name]
    finally:
        o.bundle.chmod(0o644)
    assert o.off("queue").code == 0  # made writable: it opens, upgraded in place
    assert backup.read_bytes() == original
