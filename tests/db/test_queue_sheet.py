"""The queue spreadsheet (§5.5) of a hand-made set, byte for byte: the same sheet on SQLite and PostgreSQL,
whatever the parties' text holds (commas, quotes, line breaks, Chinese), every currency's scale, times with
and without microseconds at the platform zone's day boundary."""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from mediator_app.services import spreadsheet
from mediator_app.services.context import Context
from tests.cli_runner import Mediator

from .feeds import T0, opened, write_feed, z

NOW = T0.replace(hour=20)  # 2026-11-01T20:00Z, 04:00 on the 2nd in Shanghai

AWKWARD_ORDER = 'O-1,"北京"'
AWKWARD_REASON = "质量问题, \"坏了\"\r\n第二行\n"


def hand_made(m: Mediator, tmp: Path) -> None:
    first = opened("E-1", "D-1", T0, order_id=AWKWARD_ORDER, total="66.65")
    first["reason"] = AWKWARD_REASON
    lines = [
        first,
        # 23:59:59.5 in Shanghai, half a second before the platform day ends
        opened("E-2", "D-2", "2026-11-01T15:59:59.500000+00:00", order_id="O-2", total="75000", currency="JPY"),
        opened("E-3", "D-3", "2026-11-01T16:00:00+00:00", order_id="订单-3", total="0.05"),  # 00:00 there
        opened("E-4", "D-4", T0, order_id="O-4", total="1000", currency="KRW"),
    ]
    run = m("ingest", str(write_feed(tmp / "hand.jsonl", lines)), now=z(NOW))
    assert run.code == 0, run.out
    m.ok("claim", "D-3", "--as", "alice", now=z(NOW))


EXPECTED_ROWS = [
    list(spreadsheet.QUEUE_COLUMNS),
    ["D-1", AWKWARD_ORDER, "only_refund", AWKWARD_REASON, "aliexpress-2024", "open", "awaiting_seller", "1",
     "2026-11-01T02:00:00Z", "66.65", "USD", "false", "", "seller_response", "seller", "2026-11-06T02:00:00Z",
     "execute buyer proposal P-B1"],
    ["D-4", "O-4", "only_refund", "not_received", "aliexpress-2024", "open", "awaiting_seller", "1",
     "2026-11-01T02:00:00Z", "1000", "KRW", "false", "", "seller_response", "seller", "2026-11-06T02:00:00Z",
     "execute buyer proposal P-B1"],
    ["D-2", "O-2", "only_refund", "not_received", "aliexpress-2024", "open", "awaiting_seller", "1",
     "2026-11-01T15:59:59.500000Z", "75000", "JPY", "false", "", "seller_response", "seller",
     "2026-11-06T15:59:59.500000Z", "execute buyer proposal P-B1"],
    ["D-3", "订单-3", "only_refund", "not_received", "aliexpress-2024", "open", "awaiting_seller", "2",
     "2026-11-01T16:00:00Z", "0.05", "USD", "false", "alice", "seller_response", "seller", "2026-11-06T16:00:00Z",
     "execute buyer proposal P-B1"],
]


def expected_bytes() -> bytes:
    """The sheet as the csv module writes EXPECTED_ROWS by §5.5 (BOM, CRLF, minimal quoting)."""
    out = io.StringIO(newline="")
    out.write("\ufeff")
    csv.writer(out, lineterminator="\r\n").writerows(EXPECTED_ROWS)
    return out.getvalue().encode("utf-8")


def test_expected_sheet_is_quoted_by_hand() -> None:
    """The bytes the databases are held to, checked by hand where quoting matters."""
    data = expected_bytes()
    assert data.startswith(b"\xef\xbb\xbfdispute_id,order_id,kind,")
    assert b'\r\nD-1,"O-1,""\xe5\x8c\x97\xe4\xba\xac""",only_refund,"' in data
    assert '"质量问题, ""坏了""\r\n第二行\n",aliexpress-2024'.encode() in data
    assert data.endswith(b",execute buyer proposal P-B1\r\n")


def test_the_same_sheet_on_both_databases(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    hand_made(m, tmp_path)
    run = m("queue", "--as", "dora", "--csv", now=z(NOW))
    assert run.code == 0, run.err
    assert run.out.encode("utf-8") == expected_bytes()
    assert hashlib.sha256(run.out.encode("utf-8")).hexdigest() == hashlib.sha256(expected_bytes()).hexdigest()
    read_back = list(csv.reader(io.StringIO(run.out.removeprefix("\ufeff"), newline="")))
    assert read_back == EXPECTED_ROWS  # the csv module reads back the BOM'd file with its Chinese and line breaks
    # and each row is what `queue --json` (the decoded states, the domain's own text) says
    cases = m.ok("queue", "--as", "dora", now=z(NOW))
    assert [[spreadsheet.field(spreadsheet.queue_fields(c)[k]) for k in spreadsheet.QUEUE_COLUMNS] for c in cases] \
        == EXPECTED_ROWS[1:]
