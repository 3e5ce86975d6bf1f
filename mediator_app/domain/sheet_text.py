"""How a value is written in a spreadsheet cell (§5.5): the one home of the sheet's field text.

Null is an empty field, booleans are `true` / `false`, a time is `format_utc`'s text (UTC, `…SSZ`, or
`…SS.ffffffZ` with microseconds), an amount is `Money.to_json`'s (the currency's minor digits, `CURRENCY_DIGITS`).
The queue sheet has the database write its cells in this form (`db.desk_queries.utc_text`, `amount_text`,
`TRUE`/`FALSE` below), so its rows reach the csv writer as the driver gives them; tests/db/test_sheet_text.py
holds the database's text equal to these functions, on both databases, at the edges (microseconds, day and
year boundaries, every currency's scale)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .money import Money
from .time import format_utc

TRUE = "true"
FALSE = "false"


def field(value: Any) -> str:
    """A JSON value (string, number, boolean or null) as its cell."""
    if value is None:
        return ""
    if value is True:
        return TRUE
    if value is False:
        return FALSE
    return str(value)


def time_field(at: datetime | None) -> str:
    return field(format_utc(at))


def amount_field(money: Money) -> str:
    return money.to_json()["amount"]
