"""Revision 0014 carries a database at 0013 forward: the next clock's columns are filled as the write path fills
them (from the stored line, or from the state where the line is old or missing), and the sheet reads them."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import orjson
import pytest
from sqlalchemy import inspect, select, text, update

from mediator_app.db import migrate, store
from mediator_app.db.schema import OPEN_SHEET_COLUMNS, Dispute
from mediator_app.services import spreadsheet
from mediator_app.services.audit_verify import verify_audit
from mediator_app.services.context import Context
from tests.cli_runner import Mediator

from . import desk_set as ds
from .feeds import z

NEXT = ("next_clock", "next_party", "next_on_expiry")


def test_upgrade_from_0013_fills_the_next_clock_from_lines_and_states(
        db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    m = Mediator(db_url, capsys)
    ds.build(m, tmp_path)
    cases = m.ok("queue", "--as", "dora", now=z(ds.NOW))
    expected = [[spreadsheet.field(spreadsheet.queue_fields(c)[k]) for k in spreadsheet.QUEUE_COLUMNS] for c in cases]
    with_clock = [c["dispute_id"] for c in cases if c["deadlines"]]
    assert len(with_clock) >= 3 and len(with_clock) < len(cases)  # clocks, and cases without one
    migrate.upgrade(ctx.engine, "0013")
    assert not set(NEXT) & {c["name"] for c in inspect(ctx.engine).get_columns("disputes")}
    with ctx.engine.begin() as conn:  # a line written before revision 0008 (no `on_expiry`), one before 0003
        line = orjson.loads(conn.execute(select(Dispute.queue_row)
                                         .where(Dispute.dispute_id == with_clock[0])).scalar_one())
        del line["on_expiry"]
        conn.execute(text("UPDATE disputes SET queue_row = :q WHERE dispute_id = :d"),
                     {"q": orjson.dumps(line).decode(), "d": with_clock[0]})
        conn.execute(text("UPDATE disputes SET queue_row = NULL WHERE dispute_id = :d"), {"d": with_clock[1]})
    migrate.upgrade(ctx.engine)
    assert migrate.current_revision(ctx.engine) == migrate.head_revision()
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(Dispute.dispute_id, Dispute.state, *(getattr(Dispute, c) for c in NEXT))).all()
    assert len(rows) > len(cases)  # closed disputes too
    for row in rows:  # every dispute, open or closed, as the write path derives it from its state
        derived = store.derived_columns(store.decode_state(row.state))
        assert tuple(getattr(row, c) for c in NEXT) == tuple(derived[c] for c in NEXT), row.dispute_id
    filled = {r.dispute_id for r in rows if r.next_clock is not None}
    assert filled == set(with_clock)
    assert sheet_index(ctx) == list(OPEN_SHEET_COLUMNS)  # the next clock's columns in place of the line
    assert "queue_row" not in OPEN_SHEET_COLUMNS and set(NEXT) <= set(OPEN_SHEET_COLUMNS)
    run = m("queue", "--as", "dora", "--csv", now=z(ds.NOW))
    assert list(csv.reader(io.StringIO(run.out.removeprefix("\ufeff"), newline="")))[1:] == expected
    report = verify_audit(ctx, None, processes=1)  # the next clock's columns are what the states say
    assert report.disputes == len(rows)
    assert sorted((p.dispute_id, p.problem) for p in report.problems) == sorted(
        (d, "the dispute's columns differ from its stored state (queue_row)") for d in with_clock[:2])  # made old
    with ctx.engine.begin() as conn:
        conn.execute(update(Dispute).where(Dispute.dispute_id == with_clock[0]).values(next_clock=None))
    assert any("next_clock" in p.problem for p in verify_audit(ctx, None, processes=1).problems)  # held to the state
    # and down again: the columns go, the index of revision 0012 is back
    migrate.upgrade(ctx.engine, "0013")
    assert "queue_row" in sheet_index(ctx) and "next_clock" not in sheet_index(ctx)
    assert not set(NEXT) & {c["name"] for c in inspect(ctx.engine).get_columns("disputes")}


def sheet_index(ctx: Context) -> list[str]:
    found = [i for i in inspect(ctx.engine).get_indexes("disputes") if i["name"] == "ix_disputes_open_sheet"]
    assert len(found) == 1
    return [str(c) for c in found[0]["column_names"]]
