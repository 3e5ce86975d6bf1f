"""Spreadsheets (§5.5): RFC 4180 with CRLF line ends, UTF-8 with a byte-order mark, a header row; null as an
empty field, booleans as `true`/`false`, money as two columns (`…_amount`, `…_currency`)."""
from __future__ import annotations

import csv
from itertools import islice
from datetime import datetime
from typing import IO, Any, Iterable, Iterator, Sequence


from mediator_app.db import desk_queries
from mediator_app.domain.desk import DUE_BUCKETS, REACHED_TYPES
from mediator_app.domain.sheet_text import field as field  # the cells' text has its home in the domain

from mediator_app.db.engine import READ_ONLY, is_postgres

from .context import Context
from .read_ahead import read_ahead
from .reading import read

BOM = "\ufeff"
QUEUE_COLUMNS = ("dispute_id", "order_id", "kind", "reason", "policy", "status", "stage", "version", "opened_at",
                 "order_total_amount", "order_total_currency", "sla_breached", "assigned_to", "next_clock",
                 "next_party", "next_due", "next_on_expiry")
APPROVAL_COLUMNS = ("dispute_id", "what", "by", "refund_amount", "refund_currency", "submitted_at", "due", "overdue",
                    "can_approve")
AUDIT_COLUMNS = ("dispute_id", "version", "at", "kind", "actor", "party", "summary")
WORKLOAD_COLUMNS = ("user", "role", "holding", "holding_overdue", "decided_today")
DAY_COLUMNS = ("day", "opened", "resolved", "resolved_sla_breached", *REACHED_TYPES)


def flat(obj: dict[str, Any]) -> dict[str, Any]:
    """One JSON object as spreadsheet fields: a money value {amount, currency} (or null) becomes two columns."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key in ("refund", "order_total") or (isinstance(value, dict) and set(value) == {"amount", "currency"}):
            out[f"{key}_amount"] = value["amount"] if value else None
            out[f"{key}_currency"] = value["currency"] if value else None
        else:
            out[key] = value
    return out


class Writer:
    """Rows out as RFC 4180 CSV on a text stream opened with newline="" (the BOM first)."""

    def __init__(self, stream: IO[str], bom: bool = True) -> None:
        self.stream = stream
        self.csv = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        if bom:
            stream.write(BOM)

    def row(self, values: Iterable[Any]) -> None:
        self.csv.writerow([field(v) for v in values])

    def rows(self, columns: Sequence[str], objects: Iterable[dict[str, Any]]) -> int:
        self.row(columns)
        n = 0
        for obj in objects:
            self.row(obj.get(c) for c in columns)
            n += 1
        return n


def queue_fields(case: dict[str, Any]) -> dict[str, Any]:
    """A `queue` case (as `show` gives it) as its spreadsheet row."""
    first = case["deadlines"][0] if case["deadlines"] else None
    return {
        "dispute_id": case["dispute_id"], "order_id": case["order_id"], "kind": case["kind"],
        "reason": case["reason"], "policy": case["policy"], "status": case["status"], "stage": case["stage"],
        "version": case["version"], "opened_at": case["opened_at"],
        "order_total_amount": case["order_total"]["amount"], "order_total_currency": case["order_total"]["currency"],
        "sla_breached": case["sla_breached"], "assigned_to": case["assigned_to"],
        "next_clock": first["clock"] if first else None, "next_party": first["party"] if first else None,
        "next_due": first["due"] if first else None, "next_on_expiry": first["on_expiry"] if first else None,
    }


def queue_sheet(ctx: Context, ids: Sequence[str], chunk: int = 2000) -> Iterator[Sequence[Any]]:
    """The spreadsheet rows of the given queue ids, in their order, read `chunk` ids at a time (a window's view
    of 200,000 disputes is never held twice); ids that vanished are left out."""
    now = ctx.clock.now()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        rows = read(ctx, lambda conn: desk_queries.queue_sheet_rows(conn, part, now))
        by_id = {r[0]: r for r in rows}
        for dispute_id in part:
            r = by_id.get(dispute_id)
            if r is not None:
                yield r


def queue_view_sheet(ctx: Context, view: str = "all", user: str = "", text: str = "", sort: str = "due",
                     descending: bool = False, limit: int | None = None) -> Iterator[Sequence[Any]]:
    """The spreadsheet rows of a whole queue view (the window's query), in display order, the first `limit`:
    only the sheet's columns, read in batches in one read-only transaction (one snapshot: a case that moves
    in the queue meanwhile is written once, where it was). The next batch is read in a thread while this one
    is written (the connection is that thread's until the last batch)."""
    now = ctx.clock.now()
    options: dict[str, Any] = dict(READ_ONLY)
    if is_postgres(ctx.engine):
        options["isolation_level"] = "REPEATABLE READ"
    with ctx.engine.connect().execution_options(**options) as conn:
        parts = desk_queries.queue_sheet_stream(conn, view, user, now, text, sort, descending, limit=limit)
        for part in read_ahead(parts, depth=2, name="queue-sheet-reader"):
            yield from part


def write_queue_rows(stream: IO[str], rows: Iterable[Sequence[Any]]) -> int:
    """Rows from `queue_sheet` (already fields) under the queue's header."""
    w = Writer(stream)
    w.row(QUEUE_COLUMNS)
    # the csv module writes each row to a list, and the stream gets one string per 1,000 rows: a text
    # stream's write (encoding, its buffer) per row cost as much as the csv formatting itself
    lines: list[str] = []
    writerows = csv.writer(_Lines(lines), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows
    n = 0
    source = iter(rows)
    while batch := list(islice(source, 1000)):
        writerows(batch)
        stream.write("".join(lines))
        lines.clear()
        n += len(batch)
    return n


class _Lines:
    """A stream for csv.writer that keeps what it is given (`write` is the list's append)."""

    def __init__(self, lines: list[str]) -> None:
        self.write = lines.append


def write_approvals(stream: IO[str], rows: Iterable[dict[str, Any]]) -> int:
    return Writer(stream).rows(APPROVAL_COLUMNS, (flat(r) for r in rows))


def write_audit(stream: IO[str], rows: Iterable[dict[str, Any]]) -> int:
    return Writer(stream).rows(AUDIT_COLUMNS, rows)


def write_stats(stream: IO[str], stats: dict[str, Any]) -> None:
    """One block per section: `# NAME`, its header row, its rows; blocks separated by an empty line."""
    w = Writer(stream)

    def block(name: str, columns: Sequence[str], rows: Iterable[dict[str, Any]], first: bool = False) -> None:
        if not first:
            stream.write("\r\n")
        stream.write(f"# {name}\r\n")
        w.rows(columns, rows)

    block("summary", ("at", "open", "sla_breached_open"), [stats], first=True)
    block("by_stage", ("stage", "count"), ({"stage": s, "count": n} for s, n in stats["by_stage"].items()))
    block("due_in", ("bucket", "count"), ({"bucket": b, "count": stats["due_in"][b]} for b in DUE_BUCKETS))
    block("workload", WORKLOAD_COLUMNS, stats["workload"])
    block("days", DAY_COLUMNS, ({**{k: v for k, v in d.items() if k != "by_reached_type"}, **d["by_reached_type"]}
                                for d in stats["days"]))
