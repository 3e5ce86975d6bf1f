"""Review of §7.1 / issue 12 against `user add`: a name that normalises to an existing user's is refused, also
when that user was stored before names were normalised (revision 0010 left such names as they were)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mediator_app.db import store
from mediator_app.services.context import Context
from tests.cli_runner import Mediator

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize("legacy", ["Greta", " greta", "greta\u200b", "GRETA"])
def test_a_name_that_normalises_to_an_older_users_is_refused(ctx: Context, db_url: str,
                                                             capsys: pytest.CaptureFixture[str],
                                                             legacy: str) -> None:
    with ctx.engine.begin() as conn:  # as a database from before revision 0010 holds it
        store.add_user(conn, legacy, "clerk", datetime(2026, 11, 1, tzinfo=timezone.utc))
    m = Mediator(db_url, capsys)
    run = m("user", "add", "greta", "--role", "supervisor")
    assert run.code == 1, run.out
    assert f"is the existing user {legacy!r}" in run.json["error"]
    assert [u["name"] for u in m.ok("user", "list") if "greta" in u["name"].lower()] == [legacy]
    assert m.ok("user", "add", "erin", "--role", "supervisor")["previous_role"] is None  # others are unaffected
