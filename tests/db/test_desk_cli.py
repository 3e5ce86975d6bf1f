"""`approvals` (§5.2), `audit` (§5.4) and `--csv` (§5.5) through `mediator`, on both databases."""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator

from . import desk_set as ds
from .feeds import T0, escalated, message, opened, t, write_feed, z


class Desk:
    def __init__(self, m: Mediator, tmp: Path) -> None:
        self.m, self.tmp, self.n = m, tmp, 0

    def feed(self, *lines: dict[str, Any], now: str) -> None:
        self.n += 1
        run = self.m("ingest", str(write_feed(self.tmp / f"f{self.n}.jsonl", lines)), now=now)
        assert run.code == 0, run.out


@pytest.fixture
def desk(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Desk:
    return Desk(Mediator(db_url, capsys), tmp_path)


def pending_set(d: Desk) -> None:
    """Three large refunds waiting: D-1 ruled by alice at T0+3h, D-2 proposed by bob at T0+2h, D-3 ruled by
    alice at T0+2h (same due as D-2: the id breaks the tie)."""
    for i, dispute_id in enumerate(("D-1", "D-2", "D-3")):
        d.feed(opened(f"E-{dispute_id}", dispute_id, T0, order_id=f"O-{i}", total="900.00"), now=z(t(hours=1)))
        d.feed(escalated(f"E-esc-{dispute_id}", "buyer", t(hours=1), dispute_id), now=z(t(hours=1)))
    d.m.ok("rule", "D-1", "--as", "alice", "--adopt", "buyer", now=z(t(hours=3)))
    d.m.ok("propose", "D-2", "--as", "bob", "--remedy", "refund", "--amount", "600.00", now=z(t(hours=2)))
    d.m.ok("rule", "D-3", "--as", "alice", "--adopt", "buyer", now=z(t(hours=2)))


def test_approvals_by_due_then_id_with_who_may_approve(desk: Desk) -> None:
    pending_set(desk)
    rows = desk.m.ok("approvals", "--as", "bob", now=z(t(hours=26, minutes=30)))
    assert [r["dispute_id"] for r in rows] == ["D-2", "D-3", "D-1"]
    assert rows[0] == {"dispute_id": "D-2", "what": "platform_proposal", "by": "bob",
                       "refund": {"amount": "600.00", "currency": "USD"}, "submitted_at": z(t(hours=2)),
                       "due": z(t(hours=26)), "overdue": True, "can_approve": False}  # his own proposal
    assert rows[1]["overdue"] is True and rows[1]["can_approve"] is True
    assert rows[2]["due"] == z(t(hours=27)) and rows[2]["overdue"] is False
    assert all(not r["can_approve"] for r in desk.m.ok("approvals", "--as", "dora", now=z(t(hours=4))))
    case = desk.m.ok("show", "D-1", "--as", "dora", now=z(t(hours=4)))
    assert case["pending_approval"]["submitted_at"] == z(t(hours=3))
    assert case["pending_approval"]["due"] == z(t(hours=27))
    assert desk.m("approvals", "--as", "alice", now=z(t(hours=4))).code == 1
    # due is exactly when `overdue` turns true
    assert desk.m.ok("approvals", "--as", "sam", now=z(t(hours=27)))[2]["overdue"] is True
    assert desk.m.ok("approvals", "--as", "sam", now=z(t(hours=27) - timedelta(seconds=1)))[2]["overdue"] is False


def audit(desk: Desk, *args: str) -> list[dict[str, Any]]:
    return desk.m.ok("audit", "--as", "dora", *args, now=z(t(days=30)))


def test_audit_filters_and_bounds(desk: Desk) -> None:
    pending_set(desk)
    every = audit(desk)
    assert len(every) == 9  # 3 openings, 3 escalations, 3 decisions
    keys = [(r["at"], r["dispute_id"], r["version"]) for r in every]
    assert keys == sorted(keys)
    assert every[0] == {"dispute_id": "D-1", "version": 1, "at": z(T0), "kind": "dispute.opened", "actor": None,
                        "party": "buyer", "summary": every[0]["summary"]}
    assert [r["dispute_id"] for r in audit(desk, "--user", "alice")] == ["D-3", "D-1"]
    assert [r["kind"] for r in audit(desk, "--dispute", "D-2")] == ["dispute.opened", "dispute.escalated",
                                                                    "platform_proposal.posted"]
    assert len(audit(desk, "--kind", "dispute.escalated")) == 3
    # --since inclusive, --until exclusive
    assert [r["dispute_id"] for r in audit(desk, "--since", z(t(hours=2)), "--until", z(t(hours=3)))] == ["D-2", "D-3"]
    assert [r["dispute_id"] for r in audit(desk, "--since", z(t(hours=3)))] == ["D-1"]
    assert len(audit(desk, "--limit", "4")) == 4
    assert audit(desk, "--user", "nobody") == []
    assert desk.m("audit", "--as", "dora", "--limit", "0", now=z(t(days=1))).code == 2
    assert desk.m("audit", "--as", "dora", "--since", "yesterday", now=z(t(days=1))).code == 2
    assert desk.m("audit", "--as", "carol", now=z(t(days=1))).code == 1
    # rows that are stored are listed whatever `now` is
    assert len(desk.m.ok("audit", "--as", "bob", now=z(T0 - timedelta(days=1)))) == 9


def read_csv(run_out: str) -> tuple[str, list[list[str]]]:
    assert run_out.startswith("\ufeff")
    body = run_out[1:]
    assert "\r\n" in body and body.replace("\r\n", "").count("\n") == body.count("\n") - body.count("\r\n")
    return body, list(csv.reader(io.StringIO(body, newline="")))


def csv_run(desk: Desk, *args: str, now: str) -> tuple[str, list[list[str]]]:
    run = desk.m.__class__.__call__(desk.m, *args, now=now)
    assert run.code == 0, run.err
    return read_csv(run.out)


def test_csv_reads_back_with_the_bom_and_chinese(desk: Desk, tmp_path: Path) -> None:
    pending_set(desk)
    desk.feed(message("E-msg", "buyer", t(hours=4), "包裹没有收到，请退款", "D-1"), now=z(t(hours=4)))
    desk.m.ok("note", "D-2", "--as", "bob", "--text", '退款 "全额", 第二行\n继续', now=z(t(hours=5)))
    now = z(t(hours=6))
    body, rows = csv_run(desk, "audit", "--as", "dora", "--csv", now=now)
    assert rows[0] == ["dispute_id", "version", "at", "kind", "actor", "party", "summary"]
    assert len(rows) == 12
    note = next(r for r in rows if r[3] == "note.added")
    assert note[4] == "bob" and note[6] == 'bob: 退款 "全额", 第二行\n继续'
    feed = rows[1]
    assert feed[4] == "" and feed[5] == "buyer"  # null actor: an empty field
    assert any("包裹没有收到" in r[6] for r in rows)
    # the raw bytes: UTF-8 with a BOM, CRLF between records
    assert body.split("\r\n")[0] == "dispute_id,version,at,kind,actor,party,summary"

    _, rows = csv_run(desk, "approvals", "--as", "sam", "--csv", now=now)
    assert rows[0] == ["dispute_id", "what", "by", "refund_amount", "refund_currency", "submitted_at", "due",
                       "overdue", "can_approve"]
    assert rows[1] == ["D-2", "platform_proposal", "bob", "600.00", "USD", z(t(hours=2)), z(t(hours=26)), "false",
                       "true"]

    _, rows = csv_run(desk, "queue", "--as", "dora", "--csv", now=now)
    assert rows[0][:17] == ["dispute_id", "order_id", "kind", "reason", "policy", "status", "stage", "version",
                            "opened_at", "order_total_amount", "order_total_currency", "sla_breached", "assigned_to",
                            "next_clock", "next_party", "next_due", "next_on_expiry"]
    queue = desk.m.ok("queue", "--as", "dora", now=now)
    assert [r[0] for r in rows[1:]] == [c["dispute_id"] for c in queue]
    first = dict(zip(rows[0], rows[1]))
    assert first["order_total_amount"] == "900.00" and first["sla_breached"] in ("true", "false")
    assert first["assigned_to"] == ""
    deadline = queue[0]["deadlines"][0] if queue[0]["deadlines"] else None
    assert first["next_clock"] == (deadline["clock"] if deadline else "")


def test_stats_csv_blocks(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    figures = m.ok("stats", "--as", "bob", "--days", "7", now=z(ds.NOW))
    run = m("stats", "--as", "bob", "--days", "7", "--csv", now=z(ds.NOW))
    assert run.code == 0
    body, _ = read_csv(run.out)
    blocks = body.split("\r\n\r\n")
    names = [b.split("\r\n", 1)[0] for b in blocks]
    assert names == ["# summary", "# by_stage", "# due_in", "# workload", "# days"]
    parsed = {b.split("\r\n", 1)[0][2:]: list(csv.DictReader(io.StringIO(b.split("\r\n", 1)[1], newline="")))
              for b in blocks}
    assert parsed["summary"] == [{"at": figures["at"], "open": "16", "sla_breached_open": "2"}]
    assert {r["stage"]: int(r["count"]) for r in parsed["by_stage"]} == figures["by_stage"]
    assert {r["bucket"]: int(r["count"]) for r in parsed["due_in"]} == figures["due_in"]
    assert [r["user"] for r in parsed["workload"]] == ["alice", "bob", "carol", "sam"]
    assert parsed["workload"][2]["holding_overdue"] == "2"
    days = parsed["days"]
    assert list(days[0]) == ["day", "opened", "resolved", "resolved_sla_breached", "negotiation_consensus",
                             "seller_response_timeout", "buyer_response_timeout", "platform_proposal_accepted",
                             "platform_proposal_timeout", "platform_arbitrate", "buyer_cancelled"]
    assert days[-1]["day"] == "2026-11-05" and days[-1]["platform_arbitrate"] == "1"


def test_the_windows_queue_sheet_equals_the_commands(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    """What "Export to CSV…" writes for a queue view (read from columns) is what `queue --csv` prints."""
    from mediator_app.domain.time import FixedClock
    from mediator_app.services import spreadsheet, workbench

    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    run = m("queue", "--as", "dora", "--csv", now=z(ds.NOW))
    _, expected = read_csv(run.out)
    at_now = Context(ctx.engine, FixedClock(ds.NOW), "test")
    ids = workbench.queue_ids(at_now, workbench.QueueQuery())
    out = io.StringIO(newline="")
    spreadsheet.write_queue_rows(out, spreadsheet.queue_sheet(at_now, ids, chunk=5))
    _, got = read_csv(out.getvalue())
    assert got == expected
    assert {r[12] for r in got[1:]} == {"", "alice", "carol", "sam"}


def test_queue_csv_is_the_queue_json_walked_in_batches(db_url: str, ctx: Context,
                                                       capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`queue --csv` reads only the sheet's columns in batches of the open-queue index; every row is what
    `queue --json` (the decoded states) says, in the same order, whatever the batch size and `--limit`."""
    from mediator_app.db import desk_queries
    from mediator_app.db.engine import READ_ONLY
    from mediator_app.domain.time import FixedClock
    from mediator_app.services import spreadsheet

    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    cases = m.ok("queue", "--as", "dora", now=z(ds.NOW))
    expected = [[spreadsheet.field(spreadsheet.queue_fields(c)[col]) for col in spreadsheet.QUEUE_COLUMNS]
                for c in cases]
    assert len(expected) >= 10 and len({row[13] for row in expected}) > 2  # several clocks, and none (ties)
    _, rows = read_csv(m("queue", "--as", "dora", "--csv", now=z(ds.NOW)).out)
    assert rows[0] == list(spreadsheet.QUEUE_COLUMNS)
    assert rows[1:] == expected
    _, first = read_csv(m("queue", "--as", "dora", "--csv", "--limit", "7", now=z(ds.NOW)).out)
    assert first[1:] == expected[:7]
    _, none = read_csv(m("queue", "--as", "dora", "--csv", "--limit", "0", now=z(ds.NOW)).out)
    assert none == [list(spreadsheet.QUEUE_COLUMNS)]
    now = ds.NOW
    with ctx.engine.connect().execution_options(**READ_ONLY) as conn:
        def ids(batch: int, descending: bool = False, limit: int | None = None) -> list[str]:
            parts = desk_queries.queue_sheet_stream(conn, "all", "", now, "", "due", descending, batch, limit)
            return [r[0] for part in parts for r in part]

        whole = ids(5000)
        assert whole == [row[0] for row in expected]
        assert ids(3) == ids(1) == whole  # keys carried from batch to batch, ties on the due time included
        assert ids(3, descending=True) == list(reversed(whole))
        assert ids(4, limit=9) == whole[:9]
        sizes = [len(part) for part in desk_queries.queue_sheet_stream(conn, "all", "", now, "", "due", False, 4)]
        assert sizes[:-1] == [4] * (len(sizes) - 1) and sum(sizes) == len(whole)
    at_now = Context(ctx.engine, FixedClock(ds.NOW), "test")
    by_amount = [r[0] for r in spreadsheet.queue_view_sheet(at_now, sort="total", descending=True)]
    assert sorted(by_amount) == sorted(whole) and by_amount != whole  # another sort: one statement, its order
    # lines written before revision 0008 (no `on_expiry`) or before 0003 (none): their states say it
    import orjson
    from sqlalchemy import select, update

    from mediator_app.db.schema import Dispute

    with_clock = [row[0] for row in expected if row[13]]
    with ctx.engine.begin() as conn:
        line = orjson.loads(conn.execute(select(Dispute.queue_row)
                                         .where(Dispute.dispute_id == with_clock[0])).scalar_one())
        del line["on_expiry"]
        conn.execute(update(Dispute).where(Dispute.dispute_id == with_clock[0]).values(queue_row=orjson.dumps(line).decode()))
        conn.execute(update(Dispute).where(Dispute.dispute_id == with_clock[1]).values(queue_row=None))
    _, rows = read_csv(m("queue", "--as", "dora", "--csv", now=z(ds.NOW)).out)
    assert rows[1:] == expected
    by_id = [[spreadsheet.field(v) for v in r] for r in spreadsheet.queue_view_sheet(at_now, sort="dispute")]
    assert by_id == sorted(expected)


def test_queue_csv_reads_a_bundle_as_the_live_database(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    """`--bundle FILE queue --csv` is the spreadsheet of the bundled cases (it printed the queue's lines)."""
    from mediator_app import cli

    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    bundle = tmp_path / "open.mcase"
    m.ok("bundle", "export", "--out", str(bundle), "--as", "bob", "--view", "all", now=z(ds.NOW))
    _, live = read_csv(m("queue", "--as", "dora", "--csv", now=z(ds.NOW)).out)
    capsys.readouterr()
    code = cli.main(["--bundle", str(bundle), "--now", z(ds.NOW), "queue", "--csv"])
    out = capsys.readouterr().out
    assert code == 0
    _, offline = read_csv(out)
    assert offline == live and len(live) > 10
