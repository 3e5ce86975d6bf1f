"""Two or three workstations acting on the same case, step by step: one outcome, never two."""
from __future__ import annotations

from datetime import timedelta

import pytest

from mediator_app.domain.errors import Rejection, VersionConflict
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, sweeper
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from tests.feeds import T0, opened


def kinds(ctx: Context, dispute_id: str) -> list[str]:
    return [t["kind"] for t in show(ctx, dispute_id)["timeline"]]


def test_two_clerks_deciding_the_same_case_one_wins_the_other_conflicts(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    seen_by_alice = show(ctx, "D-1")["version"]
    seen_by_carol = show(ctx, "D-1")["version"]
    casework.rule(ctx, "D-1", "alice", "buyer", expect_version=seen_by_alice)
    with pytest.raises(VersionConflict):
        casework.propose(ctx, "D-1", "carol", "refund", "10.00", expect_version=seen_by_carol)
    case = show(ctx, "D-1")
    assert case["outcome"]["reached_type"] == "platform_arbitrate"
    assert case["proposals"]["platform"] is None
    assert kinds(ctx, "D-1") == ["dispute.opened", "ruling.made"]


@pytest.mark.parametrize("first", ["sweeper", "clerk"])
def test_a_ruling_racing_the_sweeper_at_the_deadline_gives_exactly_one_outcome(
        ctx: Context, clock: FixedClock, first: str) -> None:
    ingest_events(ctx, [opened("D-1")])
    seen = show(ctx, "D-1")["version"]
    clock.set(T0 + timedelta(hours=120))  # the seller's clock is due now
    if first == "sweeper":
        assert [e["dispute_id"] for e in sweeper.sweep(ctx)] == ["D-1"]
        with pytest.raises(VersionConflict):
            casework.rule(ctx, "D-1", "alice", "buyer", expect_version=seen)
    else:
        with pytest.raises(VersionConflict):  # the expiry executes first, then the clerk's version is stale
            casework.rule(ctx, "D-1", "alice", "buyer", expect_version=seen)
        assert sweeper.sweep(ctx) == []
    case = show(ctx, "D-1")
    assert case["outcome"]["reached_type"] == "seller_response_timeout"
    assert kinds(ctx, "D-1").count("clock.expired") == 1
    assert "ruling.made" not in kinds(ctx, "D-1")


def test_two_claims_of_the_same_case(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    version = show(ctx, "D-1")["version"]
    casework.claim(ctx, "D-1", "alice", expect_version=version)
    with pytest.raises(VersionConflict):
        casework.claim(ctx, "D-1", "carol", expect_version=version)
    with pytest.raises(Rejection, match="claimed by alice"):
        casework.claim(ctx, "D-1", "carol")
    assert show(ctx, "D-1")["assigned_to"] == "alice"


def test_two_supervisors_approving_the_same_ruling(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1", total="900.00")])
    casework.rule(ctx, "D-1", "alice", "buyer")
    version = show(ctx, "D-1")["version"]
    casework.approve(ctx, "D-1", "bob", expect_version=version)
    with pytest.raises(VersionConflict):
        casework.approve(ctx, "D-1", "sam", expect_version=version)
    with pytest.raises(Rejection, match="not allowed in stage closed"):
        casework.approve(ctx, "D-1", "sam")
    assert kinds(ctx, "D-1").count("ruling.approved") == 1


def test_three_clerks_noting_with_the_same_version_only_one_lands(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    version = show(ctx, "D-1")["version"]
    outcomes = []
    for user in ("alice", "carol", "bob"):
        try:
            casework.note(ctx, "D-1", user, f"from {user}", expect_version=version)
            outcomes.append("applied")
        except VersionConflict:
            outcomes.append("conflict")
    assert outcomes == ["applied", "conflict", "conflict"]
    assert kinds(ctx, "D-1").count("note.added") == 1


def test_a_retried_action_with_the_same_key_is_not_applied_twice(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    first = casework.note(ctx, "D-1", "alice", "called the seller", key="k-1")
    again = casework.note(ctx, "D-1", "alice", "called the seller", key="k-1")
    assert not first.replayed and again.replayed
    assert again.case["version"] == first.case["version"]
    assert kinds(ctx, "D-1").count("note.added") == 1
    casework.note(ctx, "D-1", "alice", "called again", key="k-2")
    assert kinds(ctx, "D-1").count("note.added") == 2


def test_a_refused_action_leaves_its_key_unused(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    with pytest.raises(Rejection):
        casework.approve(ctx, "D-1", "bob", key="k-9")  # nothing waits for approval
    casework.note(ctx, "D-1", "alice", "the key was free", key="k-9")
    assert kinds(ctx, "D-1")[-1] == "note.added"


def test_next_case_gives_each_clerk_a_different_case(ctx: Context) -> None:
    ingest_events(ctx, [opened(f"D-{n}", T0 + timedelta(minutes=n)) for n in range(1, 6)])
    order = [f"D-{n}" for n in range(1, 6)]
    casework.claim(ctx, "D-1", "bob")
    got = [casework.claim_next(ctx, user, order) for user in ("alice", "carol", "sam")]
    assert [r.case["dispute_id"] for r in got if r] == ["D-2", "D-3", "D-4"]
    assert [r.case["assigned_to"] for r in got if r] == ["alice", "carol", "sam"]
    assert casework.claim_next(ctx, "alice", order[:4]) is None, "every case of that view is taken"


def test_next_case_from_parallel_workstations_never_hands_out_a_case_twice(ctx: Context) -> None:
    import threading

    ingest_events(ctx, [opened(f"D-{n}", T0 + timedelta(minutes=n)) for n in range(1, 9)])
    order = [f"D-{n}" for n in range(1, 9)]
    claimed: list[str] = []
    barrier = threading.Barrier(4)

    def clerk(user: str) -> None:
        barrier.wait()
        for _ in range(2):
            result = casework.claim_next(ctx, user, order)
            if result is not None:
                claimed.append(result.case["dispute_id"])

    threads = [threading.Thread(target=clerk, args=(u,)) for u in ("alice", "carol", "bob", "sam")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claimed) == sorted(order), "eight claims, eight different cases"


def test_a_supervisor_reassigns_a_case(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1")])
    casework.claim(ctx, "D-1", "alice")
    with pytest.raises(Rejection, match="needs the role supervisor"):
        casework.assign(ctx, "D-1", "alice", "carol")
    with pytest.raises(Rejection, match="cannot hold cases"):
        casework.assign(ctx, "D-1", "bob", "dora")
    case = casework.assign(ctx, "D-1", "bob", "carol").case
    assert case["assigned_to"] == "carol"
    assert "bob assigned the case to carol (held by alice)" in case["timeline"][-1]["summary"]


def test_an_idempotency_key_cannot_be_reused_for_another_case(ctx: Context) -> None:
    ingest_events(ctx, [opened("D-1"), opened("D-2")])
    casework.note(ctx, "D-1", "alice", "first", key="k-1")
    with pytest.raises(Rejection, match="already used for D-1"):
        casework.note(ctx, "D-2", "alice", "second", key="k-1")
    assert "note.added" not in kinds(ctx, "D-2")
