"""`mediator ingest` through the command line on SQLite and PostgreSQL (contract §2, §3, §4)."""
from __future__ import annotations

import hashlib
import uuid
from urllib.parse import quote
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from mediator_app.db.engine import make_engine
from mediator_app.db.schema import Evidence, RejectedLine
from tests.cli_runner import Mediator
from tests.conftest import pg_base_url

from .feeds import (
    T0, accepted, cancelled, escalated, evidence, message, opened, posted, render, t, write_feed, z,
)

NOW = "2026-11-03T00:00:00Z"
T0_ISO = "2026-11-01T10:00:00+08:00"  # = T0, written with the platform zone's offset
PNG = b"\x89PNG\r\n\x1a\n evidence bytes \x00\x01\x02"
PDF = b"%PDF-1.4 receipt"


def rejected_rows(db_url: str) -> list[Any]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(RejectedLine).order_by(RejectedLine.id)))
    finally:
        engine.dispose()


def evidence_rows(db_url: str) -> list[Any]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(Evidence).order_by(Evidence.id)))
    finally:
        engine.dispose()


def assert_versions_consecutive(case: dict[str, Any]) -> None:
    """`version` rises by exactly 1 per applied change: one timeline row per version, no gaps."""
    assert len(case["timeline"]) == case["version"]
    if all("version" in row for row in case["timeline"]):  # an extra field of this implementation
        assert [row["version"] for row in case["timeline"]] == list(range(1, case["version"] + 1))


# --- the mixed file ---------------------------------------------------------------------------------

#: line number -> (event_id or None, words the reason must contain)
MIXED_REJECTIONS: dict[int, tuple[str | None, tuple[str, ...]]] = {
    2: (None, ("json",)),
    4: ("E-float", ("decimal string",)),
    5: ("E-nooffset", ("offset",)),
    6: ("E-above", ("above", "order total")),
    7: ("E-eur", ("currency", "eur")),
    8: ("E-digits", ("minor digits",)),
    9: ("E-badsha", ("sha256", "does not match")),
    10: ("E-zip", ("application/zip", "not allowed")),
    14: ("E-order", ("out of order",)),
    15: ("E-unknown", ("unknown dispute", "d-404")),
    16: ("E-reopen", ("already exists",)),
    17: ("E-sameorder", ("o-1", "one open dispute per order")),
    19: ("E-stale", ("p-s1", "stale")),
    20: ("E-sellercancel", ("seller", "may not send", "dispute.cancelled")),
    21: (None, ("event_id",)),
}
MIXED_APPLIED = ["E-open1", "E-counter1", "E-evidence", "E-counter2", "E-msg", "E-open2"]


def mixed_lines() -> list[Any]:
    return [
        opened("E-open1", "D-1", T0_ISO, order_id="O-1", total="66.65"),              # 1 applied (v1)
        '{"event_id": "E-broken", "type": "message.posted", ',                     # 2 not JSON
        None,                                                                      # 3 blank
        posted("E-float", "seller", "P-F", t(hours=1), amount=20.5),               # 4 float amount
        message("E-nooffset", "buyer", "2026-11-01T12:00:00"),                     # 5 no offset
        posted("E-above", "seller", "P-A", t(hours=1), amount="66.66"),            # 6 above total
        posted("E-eur", "seller", "P-E", t(hours=1), amount="20.00", currency="EUR"),  # 7 wrong currency
        posted("E-digits", "seller", "P-D", t(hours=1), amount="20.001"),          # 8 too many digits
        evidence("E-badsha", "buyer", t(hours=1), PNG, sha256=hashlib.sha256(b"other").hexdigest()),  # 9
        evidence("E-zip", "buyer", t(hours=1), b"PK\x03\x04", media_type="application/zip",
                 filename="x.zip"),                                                # 10 media type
        posted("E-counter1", "seller", "P-S1", t(days=1), amount="20.00"),         # 11 applied (v2)
        evidence("E-evidence", "buyer", t(days=1, hours=1), PNG),                  # 12 applied (v3)
        None,                                                                      # 13 blank
        message("E-order", "buyer", t(hours=12)),                                  # 14 before last applied
        message("E-unknown", "buyer", t(days=1, hours=2), dispute_id="D-404"),     # 15 unknown dispute
        opened("E-reopen", "D-1", T0_ISO, order_id="O-9"),                         # 16 second opened, same id
        opened("E-sameorder", "D-2", T0_ISO, order_id="O-1"),                      # 17 same order
        posted("E-counter2", "seller", "P-S2", t(days=1, hours=2), amount="15.00"),  # 18 applied (v4)
        accepted("E-stale", "buyer", "P-S1", t(days=1, hours=3)),                  # 19 stale acceptance
        cancelled("E-sellercancel", "seller", t(days=1, hours=3)),                 # 20 seller may not cancel
        message(None, "buyer", t(days=1, hours=3)),                                # 21 no event_id
        message("E-msg", "buyer", t(days=1, hours=4), text="still waiting"),       # 22 applied (v5)
        opened("E-open2", "D-2", T0_ISO, order_id="O-2", total="10.00"),           # 23 applied (D-2 v1)
    ]


def test_mixed_file_rejects_each_bad_line_with_its_rule_and_applies_the_rest(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    feed = write_feed(tmp_path / "mixed.jsonl", mixed_lines())

    run = m("ingest", str(feed), now=NOW)

    assert run.code == 1, run.err
    report = run.json
    assert report["applied"] == len(MIXED_APPLIED)
    assert report["duplicates"] == 0
    assert report["executed"] == []
    got = {r["line"]: r for r in report["rejected"]}
    assert sorted(got) == sorted(MIXED_REJECTIONS), report["rejected"]
    for line, (event_id, words) in MIXED_REJECTIONS.items():
        entry = got[line]
        assert entry["event_id"] == event_id, entry
        for word in words:
            assert word in entry["reason"].lower(), (line, entry["reason"])
    # the null event_id is a JSON null, not a missing key or the string "None"
    assert "event_id" in got[2] and got[2]["event_id"] is None

    d1 = m.ok("show", "D-1", "--as", "dora", now=NOW)
    assert d1["version"] == 5
    assert d1["stage"] == "awaiting_buyer"  # the seller countered last
    assert d1["proposals"]["buyer"]["proposal_id"] == "P-B1"
    assert d1["proposals"]["seller"] == {"proposal_id": "P-S2", "remedy": "refund",
                                         "refund": {"amount": "15.00", "currency": "USD"}}
    assert [row["kind"] for row in d1["timeline"]] == [
        "dispute.opened", "proposal.posted", "evidence.added", "proposal.posted", "message.posted"]
    assert [row["event_id"] for row in d1["timeline"]] == ["E-open1", "E-counter1", "E-evidence", "E-counter2",
                                                           "E-msg"]
    assert_versions_consecutive(d1)
    buyer_clock = [d for d in d1["deadlines"] if d["clock"] == "buyer_response"]
    assert buyer_clock and buyer_clock[0]["due"] == z(t(days=6, hours=2))  # 120 h from the last counter

    d2 = m.ok("show", "D-2", "--as", "dora", now=NOW)
    assert d2["order_id"] == "O-2" and d2["version"] == 1 and d2["stage"] == "awaiting_seller"

    assert m("show", "D-404", "--as", "dora", now=NOW).code == 1  # the rejected event did not create it


def test_rejected_lines_are_kept_with_reason_and_raw_text(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    lines = mixed_lines()
    feed = write_feed(tmp_path / "mixed.jsonl", lines)
    report = m("ingest", str(feed), now=NOW).json

    rows = rejected_rows(db_url)
    assert len(rows) == len(MIXED_REJECTIONS)
    by_line = {row.line: row for row in rows}
    reported = {r["line"]: r["reason"] for r in report["rejected"]}
    for line, (event_id, _words) in MIXED_REJECTIONS.items():
        row = by_line[line]
        assert row.reason == reported[line]
        assert row.event_id == event_id
        assert row.raw == render(lines[line - 1])
        assert row.source.endswith("mixed.jsonl")
    assert by_line[15].dispute_id == "D-404"
    assert by_line[19].dispute_id == "D-1"


def test_reingesting_a_file_counts_duplicates_and_changes_nothing(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    feed = write_feed(tmp_path / "mixed.jsonl", mixed_lines())
    m("ingest", str(feed), now=NOW)
    before = {d: m.ok("show", d, "--as", "dora", now=NOW) for d in ("D-1", "D-2")}

    again = m("ingest", str(feed), now="2026-11-04T00:00:00Z")

    assert again.code == 1  # the bad lines are judged again, and rejected again
    report = again.json
    assert report["applied"] == 0
    assert report["duplicates"] == len(MIXED_APPLIED)
    assert sorted(r["line"] for r in report["rejected"]) == sorted(MIXED_REJECTIONS)
    assert report["executed"] == []
    for dispute_id, case in before.items():
        after = m.ok("show", dispute_id, "--as", "dora", now=NOW)
        assert after["version"] == case["version"]
        assert after["timeline"] == case["timeline"]
        assert after["proposals"] == case["proposals"]
    rows = rejected_rows(db_url)  # one row per distinct line, counted twice (issue 13: it was a copy per ingest)
    assert len(rows) == len(MIXED_REJECTIONS)
    assert [row.times for row in rows] == [2] * len(MIXED_REJECTIONS)
    assert len(evidence_rows(db_url)) == 1  # the evidence was not stored twice


def test_a_rejected_event_sent_again_is_judged_again(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    early = message("E-early", "buyer", t(hours=1), text="where is my parcel", dispute_id="D-7")
    first = m("ingest", str(write_feed(tmp_path / "a.jsonl", [early])), now=NOW)
    assert first.code == 1
    assert first.json["applied"] == 0
    assert "unknown dispute" in first.json["rejected"][0]["reason"].lower()

    second = m("ingest", str(write_feed(tmp_path / "b.jsonl", [opened("E-open7", "D-7", T0_ISO, order_id="O-7"),
                                                                 early])), now=NOW)

    assert second.code == 0, second.out
    assert second.json == {"applied": 2, "duplicates": 0, "rejected": [], "executed": []}
    case = m.ok("show", "D-7", "--as", "dora", now=NOW)
    assert [row["event_id"] for row in case["timeline"]] == ["E-open7", "E-early"]
    assert case["version"] == 2


def test_evidence_is_stored_with_its_checksum(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    feed = write_feed(tmp_path / "ev.jsonl", [
        opened("E-open", "D-1", T0_ISO),
        evidence("E-png", "buyer", t(hours=1), PNG),
        evidence("E-pdf", "seller", t(hours=2), PDF, media_type="application/pdf", filename="receipt.pdf"),
    ])
    assert m("ingest", str(feed), now=NOW).code == 0

    rows = evidence_rows(db_url)
    assert [(r.event_id, r.dispute_id, r.party, r.filename, r.media_type) for r in rows] == [
        ("E-png", "D-1", "buyer", "photo.png", "image/png"),
        ("E-pdf", "D-1", "seller", "receipt.pdf", "application/pdf"),
    ]
    assert bytes(rows[0].content) == PNG and rows[0].sha256 == hashlib.sha256(PNG).hexdigest()
    assert bytes(rows[1].content) == PDF and rows[1].sha256 == hashlib.sha256(PDF).hexdigest()
    assert (rows[0].size, rows[1].size) == (len(PNG), len(PDF))
    case = m.ok("show", "D-1", "--as", "dora", now=NOW)
    assert case["version"] == 3
    assert [row["kind"] for row in case["timeline"]][1:] == ["evidence.added", "evidence.added"]
    assert case["stage"] == "awaiting_seller"  # evidence does not change who must act


def test_blank_lines_keep_their_place_in_line_numbers(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    path = tmp_path / "blanks.jsonl"
    # blank, whitespace-only and CRLF lines are all skipped but counted
    body = ("\n   \n" + render(opened("E-open", "D-1", T0_ISO)) + "\r\n\r\n"
            + render(cancelled("E-bad", "seller", t(hours=1))) + "\n")
    path.write_bytes(body.encode("utf-8"))

    run = m("ingest", str(path), now=NOW)

    assert run.code == 1
    assert run.json["applied"] == 1
    assert [(r["line"], r["event_id"]) for r in run.json["rejected"]] == [(5, "E-bad")]


# --- expiry executed during ingest (§3 "Time, expiry and order") ----------------------------------

def test_a_counter_after_the_sellers_time_ran_out_is_rejected_and_the_expiry_executed(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    due = t(hours=120)
    feed = write_feed(tmp_path / "late.jsonl", [
        opened("E-open", "D-1", T0_ISO),
        opened("E-open-ok", "D-2", T0_ISO, order_id="O-2"),
        posted("E-late", "seller", "P-S1", t(hours=120, seconds=1), amount="20.00"),
        posted("E-in-time", "seller", "P-S9", t(hours=120, seconds=-1), amount="30.00", dispute_id="D-2"),
    ])

    run = m("ingest", str(feed), now="2026-11-10T00:00:00Z")

    assert run.code == 1
    report = run.json
    assert report["applied"] == 3
    assert len(report["rejected"]) == 1
    rejection = report["rejected"][0]
    assert (rejection["line"], rejection["event_id"]) == (3, "E-late")
    reason = rejection["reason"].lower()
    assert "seller" in reason and "ran out" in reason and z(due) in rejection["reason"]
    assert [(e["dispute_id"], e["clock"], e["reached_type"]) for e in report["executed"]] == [
        ("D-1", "seller_response", "seller_response_timeout")]

    case = m.ok("show", "D-1", "--as", "dora", now="2026-11-10T00:00:00Z")
    assert case["status"] == "closed" and case["stage"] == "closed"
    outcome = case["outcome"]
    assert outcome["reached_type"] == "seller_response_timeout"
    assert outcome["adopted"] == "buyer"
    assert outcome["refund"] == {"amount": "66.65", "currency": "USD"}
    assert outcome["resolved_at"] == z(due)
    assert case["proposals"]["seller"] is None
    assert case["version"] == 2  # the expiry is its own version step; the rejected counter is not one
    assert [(row["kind"], row["at"]) for row in case["timeline"]] == [
        ("dispute.opened", z(T0)), ("clock.expired", z(due))]
    assert_versions_consecutive(case)

    # one second earlier is still in time
    other = m.ok("show", "D-2", "--as", "dora", now="2026-11-10T00:00:00Z")
    assert other["proposals"]["seller"]["proposal_id"] == "P-S9"
    assert other["stage"] == "awaiting_buyer" and other["outcome"] is None

    # the expiry is executed exactly once: sending the file again executes nothing
    again = m("ingest", str(feed), now="2026-11-10T00:00:00Z").json
    assert again["executed"] == [] and again["duplicates"] == 3
    assert m.ok("show", "D-1", "--as", "dora", now="2026-11-10T00:00:00Z")["version"] == 2
    assert m.ok("sweep", now="2026-11-05T00:00:00Z")["executed"] == []


def test_a_counter_exactly_at_the_due_time_is_too_late(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A deadline has passed when now >= due (§3)."""
    m = Mediator(db_url, capsys)
    feed = write_feed(tmp_path / "edge.jsonl", [
        opened("E-open", "D-1", T0_ISO),
        posted("E-edge", "seller", "P-S1", t(hours=120), amount="20.00"),
    ])
    run = m("ingest", str(feed), now="2026-11-10T00:00:00Z")
    assert run.code == 1
    assert "ran out" in run.json["rejected"][0]["reason"]
    assert len(run.json["executed"]) == 1
    case = m.ok("show", "D-1", "--as", "dora", now="2026-11-10T00:00:00Z")
    assert case["outcome"]["reached_type"] == "seller_response_timeout"


def test_a_follow_on_clock_already_expired_is_executed_in_the_same_ingest(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The seller's timeout resolves with a return; the return clock (240 h from that due time) has also run out."""
    m = Mediator(db_url, capsys)
    seller_due = t(hours=120)
    return_due = t(hours=360)
    feed = write_feed(tmp_path / "follow.jsonl", [
        opened("E-open", "D-1", T0_ISO, kind="return_and_refund"),
        message("E-late", "buyer", t(hours=361), text="I forgot to ship"),
    ])

    run = m("ingest", str(feed), now="2026-11-20T00:00:00Z")

    assert run.code == 0, run.out
    executed = run.json["executed"]
    assert [(e["dispute_id"], e["clock"]) for e in executed] == [("D-1", "seller_response"),
                                                                 ("D-1", "return_shipment")]
    assert executed[0]["reached_type"] == "seller_response_timeout"
    assert executed[1]["return_status"] == "not_shipped"
    case = m.ok("show", "D-1", "--as", "dora", now="2026-11-20T00:00:00Z")
    assert case["status"] == "closed"
    assert case["outcome"]["return_status"] == "not_shipped"
    assert case["outcome"]["refund"] is None  # after not_shipped, outcome.refund is null
    assert case["outcome"]["resolved_at"] == z(seller_due)
    assert [(row["kind"], row["at"]) for row in case["timeline"]] == [
        ("dispute.opened", z(T0)), ("clock.expired", z(seller_due)), ("clock.expired", z(return_due)),
        ("message.posted", z(t(hours=361)))]
    assert case["version"] == 4
    assert_versions_consecutive(case)


def test_an_event_dated_before_an_executed_expiry_is_out_of_order(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    first = write_feed(tmp_path / "one.jsonl", [
        opened("E-open", "D-1", T0_ISO),
        message("E-after", "buyer", t(hours=121), text="any news?"),  # allowed once closed; runs the expiry first
    ])
    run = m("ingest", str(first), now="2026-11-10T00:00:00Z")
    assert run.code == 0, run.out
    assert [e["clock"] for e in run.json["executed"]] == ["seller_response"]
    case = m.ok("show", "D-1", "--as", "dora", now="2026-11-10T00:00:00Z")
    assert [row["kind"] for row in case["timeline"]] == ["dispute.opened", "clock.expired", "message.posted"]
    assert case["version"] == 3

    # swept separately: an event dated before the executed expiry, arriving later, is out of order
    second = write_feed(tmp_path / "two.jsonl", [
        opened("E-open3", "D-3", T0_ISO, order_id="O-3"),
    ])
    assert m("ingest", str(second), now=NOW).code == 0
    swept = m.ok("sweep", now="2026-11-07T00:00:00Z")["executed"]
    assert [(e["dispute_id"], e["reached_type"]) for e in swept] == [("D-3", "seller_response_timeout")]
    late = write_feed(tmp_path / "three.jsonl", [message("E-old", "seller", t(hours=100), dispute_id="D-3")])
    run = m("ingest", str(late), now="2026-11-07T00:00:00Z")
    assert run.code == 1
    assert "out of order" in run.json["rejected"][0]["reason"].lower()
    assert m.ok("show", "D-3", "--as", "dora", now="2026-11-07T00:00:00Z")["version"] == 2


def test_version_rises_by_one_per_applied_event(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    steps = [
        opened("E-1", "D-1", T0_ISO),
        posted("E-2", "seller", "P-S1", t(hours=1), amount="10.00"),
        cancelled("E-x", "seller", t(hours=2)),  # rejected: no step
        message("E-3", "buyer", t(hours=3)),
        escalated("E-4", "buyer", t(hours=4)),
        message("E-3", "buyer", t(hours=5)),  # duplicate event_id: no step
    ]
    expected = [1, 2, 2, 3, 4, 4]
    for index, (line, version) in enumerate(zip(steps, expected)):
        m("ingest", str(write_feed(tmp_path / f"step{index}.jsonl", [line])), now=NOW)
        assert m.ok("show", "D-1", "--as", "dora", now=NOW)["version"] == version, line["event_id"]
    case = m.ok("show", "D-1", "--as", "dora", now=NOW)
    assert case["stage"] == "platform_review"
    assert_versions_consecutive(case)


def test_a_duplicate_inside_one_file_is_counted_once(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    line = message("E-msg", "buyer", t(hours=1))
    run = m("ingest", str(write_feed(tmp_path / "dup.jsonl", [opened("E-open", "D-1", T0_ISO), line, line])),
            now=NOW)
    assert run.code == 0
    assert (run.json["applied"], run.json["duplicates"]) == (2, 1)
    assert m.ok("show", "D-1", "--as", "dora", now=NOW)["version"] == 2


# --- exit 4 ------------------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def not_upgraded_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'never-upgraded.db'}"
        return
    base = pg_base_url()
    if base is None:
        pytest.skip("MEDIATOR_TEST_PG is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_ingest_into_a_database_whose_schema_was_not_upgraded_exits_4(
        not_upgraded_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(not_upgraded_url, capsys)
    feed = write_feed(tmp_path / "f.jsonl", [opened("E-open", "D-1", T0_ISO)])

    run = m("ingest", str(feed), now=NOW)

    assert run.code == 4
    assert "upgrade" in run.json["error"].lower()
    assert "upgrade" in run.err.lower()
    assert m("show", "D-1", "--as", "dora", now=NOW).code == 4
    # nothing was created behind the user's back: after an upgrade the feed applies normally
    assert m("db", "upgrade").code == 0
    assert m("ingest", str(feed), now=NOW).json["applied"] == 1


# --- one open dispute per order, across files and chunks -------------------------------------------

def test_one_open_dispute_per_order_across_files_including_return_stages(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    assert m("ingest", str(write_feed(tmp_path / "a.jsonl", [
        opened("E-open1", "D-1", T0_ISO, order_id="O-1"),
        opened("E-open5", "D-5", T0_ISO, order_id="O-5", kind="return_and_refund"),
        accepted("E-acc5", "seller", "P-B1", t(hours=1), dispute_id="D-5"),  # -> awaiting_return_shipment
    ])), now=NOW).code == 0
    assert m.ok("show", "D-5", "--as", "dora", now=NOW)["stage"] == "awaiting_return_shipment"

    run = m("ingest", str(write_feed(tmp_path / "b.jsonl", [
        opened("E-open2", "D-2", T0_ISO, order_id="O-1"),
        opened("E-open6", "D-6", T0_ISO, order_id="O-5"),   # D-5 is still open (return stage)
    ])), now=NOW)
    assert run.code == 1
    assert [(r["line"], r["event_id"]) for r in run.json["rejected"]] == [(1, "E-open2"), (2, "E-open6")]
    assert all("one open dispute per order" in r["reason"] for r in run.json["rejected"])

    # once D-1 is closed (cancelled earlier in the same file), the order is free again
    run = m("ingest", str(write_feed(tmp_path / "c.jsonl", [
        cancelled("E-cancel1", "buyer", t(hours=2), dispute_id="D-1"),
        opened("E-open2b", "D-2", t(hours=3), order_id="O-1"),
    ])), now=NOW)
    assert run.code == 0, run.out
    assert m.ok("show", "D-1", "--as", "dora", now=NOW)["outcome"]["reached_type"] == "buyer_cancelled"
    assert m.ok("show", "D-2", "--as", "dora", now=NOW)["order_id"] == "O-1"


def test_line_numbers_and_order_hold_across_transaction_chunks(
        db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Large files are applied in chunks; numbering and per-dispute order must not notice."""
    m = Mediator(db_url, capsys)
    lines: list[Any] = [opened("E-open", "D-1", T0_ISO)]
    for i in range(2, 621):
        if i == 555:
            lines.append(cancelled("E-bad", "seller", t(minutes=i)))
        else:
            lines.append(message(f"E-m{i}", "buyer" if i % 2 else "seller", t(minutes=i), text=f"m{i}"))
    lines.insert(300, None)  # a blank line shifts everything after it by one
    run = m("ingest", str(write_feed(tmp_path / "big.jsonl", lines)), now=NOW)

    assert run.code == 1
    assert [(r["line"], r["event_id"]) for r in run.json["rejected"]] == [(556, "E-bad")]
    assert run.json["applied"] == 619  # the opening and 618 messages
    case = m.ok("show", "D-1", "--as", "dora", now=NOW)
    assert case["version"] == 619
    assert_versions_consecutive(case)


@pytest.mark.parametrize("url", [
    "sqlite:///{tmp}/no/such/folder/cases.db",
    "postgresql+psycopg://postgres@127.0.0.1:1/nothing?connect_timeout=2",
], ids=["sqlite", "postgresql"])
def test_ingest_into_an_unreachable_database_exits_4(
        url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(url.format(tmp=tmp_path), capsys)
    feed = write_feed(tmp_path / "f.jsonl", [opened("E-open", "D-1", T0_ISO)])
    run = m("ingest", str(feed), now=NOW)
    assert run.code == 4
    assert "unreachable" in run.json["error"].lower()
