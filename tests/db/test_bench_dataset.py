"""The benchmark data set writes exactly the rows `_rows()` makes: executemany on SQLite, COPY on PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func, select

from bench import dataset
from mediator_app.db.engine import make_engine
from mediator_app.db.schema import Dispute, History


def _expected(open_count: int, closed_count: int, seed: int) -> list[tuple[dict, dict]]:
    return [*dataset._rows(0, open_count, True, seed), *dataset._rows(open_count, closed_count, False, seed)]


def test_build_writes_the_generated_rows(db_url: str) -> None:
    engine = make_engine(db_url)
    dataset.build(engine, 300, 700, seed=3, quiet=True, jobs=2)  # two chunks: the worker pool is used
    expected = _expected(300, 700, 3)
    disputes, history = Dispute.__table__, History.__table__
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(disputes)).scalar_one() == 1000
        assert conn.execute(select(func.count()).select_from(history)).scalar_one() == 1000
        stored = {row.dispute_id: row._asdict() for row in conn.execute(select(disputes))}
        timeline = {row.dispute_id: row._asdict() for row in conn.execute(select(history))}
    for row, event in expected:  # every column of every row, read back through the model's types
        assert stored[row["dispute_id"]] == {**row, "legacy": None}  # (set only by revision 0017, on old rows)
        got = timeline[event["dispute_id"]]
        assert got.pop("id") is not None
        assert got == event
    some = stored["B-0000042"]
    assert some["status"] == "open" and some["opened_at"].tzinfo is not None
    assert isinstance(some["sla_stopped_breach"], bool) and stored["B-0000999"]["status"] == "closed"
    # the next clock's columns (revision 0014), as the write path fills them: the queue sheet reads them
    assert some["next_clock"] and some["next_party"] and some["next_on_expiry"]
    assert stored["B-0000999"]["next_clock"] is None and stored["B-0000999"]["next_on_expiry"] is None
    engine.dispose()
