"""Presence: who else has a case open, and how it lapses when a workstation goes quiet."""
from __future__ import annotations

from datetime import timedelta

from mediator_app.domain.time import FixedClock
from mediator_app.services import presence
from mediator_app.services.context import Context


def test_others_see_who_has_a_case_open_until_it_lapses(ctx: Context, clock: FixedClock) -> None:
    assert presence.heartbeat(ctx, "alice", "ws-a", "D-1") == {}
    assert presence.heartbeat(ctx, "carol", "ws-c", "D-1") == {"D-1": ["alice"]}
    assert presence.heartbeat(ctx, "alice", "ws-a", "D-2") == {"D-1": ["carol"]}
    assert presence.heartbeat(ctx, "alice", "ws-other", "D-2") == {"D-1": ["carol"], "D-2": ["alice"]}
    clock.advance(presence.TTL - timedelta(seconds=1))
    assert presence.heartbeat(ctx, "bob", "ws-b", None) == {"D-1": ["carol"], "D-2": ["alice"]}
    clock.advance(timedelta(seconds=1))  # nobody renewed: all lapsed
    assert presence.heartbeat(ctx, "bob", "ws-b", None) == {}


def test_leaving_removes_the_mark_at_once(ctx: Context) -> None:
    presence.heartbeat(ctx, "alice", "ws-a", "D-1")
    presence.leave(ctx, "alice", "ws-a")
    assert presence.heartbeat(ctx, "carol", "ws-c", "D-1") == {}
