"""Judging in the order §3 demands: expiries due by the event's time first, then the event itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from .dispute import DisputeState
from .errors import Rejection, VersionConflict
from .events import FeedEvent
from .expiry import ran_out_text
from .feed_rules import apply_event
from .policy import get_policy
from .time import format_utc
from .transitions import Change, execute_expiries


@dataclass
class Judgement:
    """What to store: `state` after every change in `changes`; a rejection or conflict keeps the expiries."""

    state: DisputeState
    changes: list[Change] = field(default_factory=list)
    rejection: str | None = None
    conflict: VersionConflict | None = None

    @property
    def expiries(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "clock.expired"]


def _ran_out(changes: list[Change]) -> str:
    texts = []
    for change in changes:
        texts.append(f"{ran_out_text(str(change.payload.get('clock', '')))} ran out at {format_utc(change.at)}")
    return "; ".join(texts)


def ran_out(changes: list[Change]) -> str:
    """What the executed expiries in `changes` were, in words ("the seller's response time ran out at …")."""
    return _ran_out(changes)


def _reason(exc: Rejection, expiries: list[Change]) -> str:
    return f"{_ran_out(expiries)}: {exc.reason}" if expiries else exc.reason


def judge_event(state: DisputeState, event: FeedEvent) -> Judgement:
    """A feed event on an existing dispute."""
    after, expiries = execute_expiries(state, get_policy(state.policy), event.at)
    judgement = Judgement(after, list(expiries))
    try:
        judgement.state, change = apply_event(after, event)
    except Rejection as exc:
        judgement.rejection = _reason(exc, expiries)
        return judgement
    judgement.changes.append(change)
    return judgement


#: An action gives the new state and its change, or None as the change when it changes nothing (the holder of a
#: standing assignment claiming it, §5.1): nothing is stored and the version stays.
Action = Callable[[DisputeState], tuple[DisputeState, "Change | None"]]


def judge_action(state: DisputeState, now: datetime, action: Action, expect_version: int | None = None) -> Judgement:
    """A clerk action at `now`: expiries first, then the version compare, then the action."""
    after, expiries = execute_expiries(state, get_policy(state.policy), now)
    judgement = Judgement(after, list(expiries))
    if expect_version is not None and after.version != expect_version:
        judgement.conflict = VersionConflict(state.dispute_id, expect_version, after.version)
        return judgement
    try:
        judgement.state, change = action(after)
    except Rejection as exc:
        judgement.rejection = _reason(exc, expiries)
        return judgement
    if change is not None:
        judgement.changes.append(change)
    return judgement
