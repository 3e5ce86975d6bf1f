"""`domain.permissions`: what it allows is exactly what the actions accept, on a table of states × actors."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from mediator_app.domain.actions import Actor, add_note, approve, assign, claim, propose, release, rule, send_back
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.permissions import ACTIONS, allowed_actions, facts_of, refusal
from tests.unit.feed_builders import (
    AUDITOR, CLERK, CLERK2, SUPERVISOR, SUPERVISOR2, T0, H, D, apply_ok, open_case, posted, proposal, withdrawn,
)

NOW = T0 + 2 * H


def big() -> DisputeState:
    return open_case(total="800.00", prop=proposal("P-1", "refund", "800.00"))


def held(state: DisputeState, by: Actor = CLERK) -> DisputeState:
    return claim(state, by, NOW - H / 12)[0]  # five minutes ago: the lease runs


def states() -> dict[str, DisputeState]:
    free = big()
    negotiating = apply_ok(big(), posted("seller", "S-1", T0 + H / 2, amount="100.00"))
    pending = rule(held(free), SUPERVISOR, NOW - H / 20, "buyer")[0]  # bob's ruling awaits another supervisor
    closed = rule(open_case(), CLERK, T0 + H, "buyer")[0]
    lapsed = claim(free, CLERK, T0 - D)[0]  # alice's lease ran out long ago
    return {"free": free, "held by alice": held(free), "negotiating": negotiating, "pending": pending,
            "closed": closed, "lapsed lease": lapsed,
            "no active proposal": apply_ok(open_case(), withdrawn("buyer", "P-1", T0 + H))}


TAKE: dict[str, Callable[[DisputeState, Actor], Any]] = {
    "claim": lambda s, a: claim(s, a, NOW),
    "release": lambda s, a: release(s, a, NOW),
    "propose": lambda s, a: propose(s, a, NOW, "refund", "10.00"),
    "rule": lambda s, a: rule(s, a, NOW, next(iter(sorted(facts_of(s).active_proposals)), "buyer")),
    "note": lambda s, a: add_note(s, a, NOW, "looked at it"),
    "approve": lambda s, a: approve(s, a, NOW),
    "send-back": lambda s, a: send_back(s, a, NOW, "check the photos"),
    "assign": lambda s, a: assign(s, a, NOW, CLERK2),
}
ACTORS = {"alice (clerk, holder)": CLERK, "carol (clerk)": CLERK2, "bob (supervisor, author)": SUPERVISOR,
          "dave (supervisor)": SUPERVISOR2, "eve (auditor)": AUDITOR}


@pytest.mark.parametrize("state_name", list(states()))
@pytest.mark.parametrize("actor_name", list(ACTORS))
def test_allowed_is_exactly_what_the_actions_accept(state_name: str, actor_name: str) -> None:
    state, actor = states()[state_name], ACTORS[actor_name]
    allowed = allowed_actions(facts_of(state), actor, NOW)
    for action in ACTIONS:
        try:
            TAKE[action](state, actor)
            accepted, reason = True, None
        except Rejection as exc:
            accepted, reason = False, exc.reason
        assert (action in allowed) == accepted, (action, reason)
        if not accepted and action != "rule":  # the action refuses with the rule's own reason
            assert refusal(facts_of(state), actor, action, NOW) == reason, action


def test_the_rule_reasons_are_the_contracts() -> None:
    facts = facts_of(held(big()))
    assert refusal(facts, CLERK2, "claim", NOW) == (
        "D-1 is claimed by alice until 2026-11-01T04:25:00Z; only a supervisor may take it over")
    assert refusal(facts, CLERK2, "release", NOW) == "D-1 is claimed by alice; only the holder or a supervisor releases it"
    assert refusal(facts, AUDITOR, "note", NOW) == "eve is a auditor; note needs the role clerk or supervisor"
    assert refusal(facts, SUPERVISOR, "claim", NOW) is None  # a supervisor takes over
    assert refusal(facts, SUPERVISOR, "claim", NOW, take_over=False) is not None  # but not when renewing
    pending = facts_of(rule(held(big()), SUPERVISOR, NOW, "buyer")[0])
    assert refusal(pending, SUPERVISOR, "approve", NOW) == "nobody approves their own ruling (bob made it)"
    assert refusal(pending, SUPERVISOR2, "approve", NOW) is None
    assert allowed_actions(None, SUPERVISOR, NOW) == frozenset()


def test_the_table_covers_the_stages_it_names() -> None:
    table = states()
    assert table["pending"].stage == "pending_approval" and table["closed"].stage == "closed"
    assert table["held by alice"].holder(NOW) == "alice" and table["lapsed lease"].holder(NOW) is None
    assert not facts_of(table["no active proposal"]).active_proposals
