"""The case as `show` and `queue` present it (§4), computed at `now`; nothing is executed here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .case_view import running_deadlines, sla_breached, case_view
from .dispute import DisputeState
from .expiry import CLOCK_RULES_BY_NAME, DECIDING_CLOCKS, running_expiry
from .money import Money
from .time import format_utc

__all__ = ["CLOCK_RULES", "DECIDING_CLOCKS", "Preview", "case_json", "deadlines", "default_judgment",
           "sla_breached"]  # the queue line: domain.queue_line

#: The policy key that sets each clock's length (from `expiry`, the clocks' one home).
CLOCK_RULES = {name: rule.policy_key for name, rule in CLOCK_RULES_BY_NAME.items()}


def deadlines(state: DisputeState) -> list[dict[str, Any]]:
    """Every running clock, earliest first (`due`/`started_at` as datetimes; see `case_view.Deadline`)."""
    return [{"clock": d.clock, "party": d.party, "due": d.due, "on_expiry": d.on_expiry, "started_at": d.started_at,
             "started_by": d.started_by, "rule": d.rule, "executes": d.executes}
            for d in running_deadlines(state)]


def case_json(state: DisputeState, now: datetime) -> dict[str, Any]:
    """The `show` object without `timeline`, made from the typed view."""
    return case_view(state, now).to_json()


@dataclass(frozen=True)
class Preview:
    """What executes if the party that must act stays silent (the default-judgment preview)."""

    clock: str
    silent: str  # seller | buyer | both
    adopted: str | None  # whose proposal executes (None: closes with no refund)
    remedy: str | None
    refund: Money | None
    at: datetime


def default_judgment(state: DisputeState) -> Preview | None:
    expiry = running_expiry(state)
    if expiry is None:
        return None
    assert state.party_clock is not None
    at = state.party_clock.due
    if expiry.clock == "return_receipt":  # the stored queue line's shape: the refund remedy, even with none
        return Preview(expiry.clock, expiry.silent, None, "refund", expiry.refund, at)
    if expiry.clock == "return_shipment":
        return Preview(expiry.clock, expiry.silent, None, "no_refund", None, at)
    terms = expiry.proposal
    return Preview(expiry.clock, expiry.silent, expiry.adopted, terms.remedy if terms else None,
                   terms.refund if terms else None, at)

