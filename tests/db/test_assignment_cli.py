"""Standing assignments and `reassign` through `mediator` on SQLite and PostgreSQL (contract §5.1).

Users (the `ctx` fixture): alice and carol (clerks), bob and sam (supervisors), dora (auditor).
Disputes open at T0 = 2026-11-01T02:00Z; the seller must answer within 120 h.
"""
from __future__ import annotations

from typing import Any

import pytest

from .feeds import T0, escalated, opened, t, z
from .test_actions_cli import Desk, desk  # noqa: F401  (the fixture)

NOW = z(t(hours=2))


def open_cases(desk: Desk, *ids: str) -> None:
    desk.feed(*(opened(f"E-{d}", d, T0, order_id=f"O-{d}") for d in ids), now=z(t(hours=1)))


def test_an_assignment_holds_past_the_lease_and_shows_who_and_since(desk: Desk) -> None:
    open_cases(desk, "D-1")
    case = desk.ok("assign", "D-1", "--to", "alice", "--as", "bob", now=NOW)
    assert case["assignment"] == {"to": "alice", "by": "bob", "kind": "assignment", "since": NOW, "until": None}
    assert case["assigned_to"] == "alice"
    assert case["timeline"][-1]["kind"] == "case.assigned"
    later = desk.show("D-1", now=z(t(days=3)))  # days past any lease
    assert later["assigned_to"] == "alice" and later["assignment"]["kind"] == "assignment"
    # alice holds it: her queue view "mine" shows it, carol's claim is refused
    assert "assigned to alice" in desk.rejected("claim", "D-1", "--as", "carol", now=z(t(days=3)))


def test_a_claim_stays_a_lease_and_renewing_keeps_since(desk: Desk) -> None:
    open_cases(desk, "D-1")
    first = desk.ok("claim", "D-1", "--as", "alice", now=NOW)
    assert first["assignment"] == {"to": "alice", "by": None, "kind": "claim", "since": NOW,
                                   "until": z(t(hours=2, minutes=30))}
    renewed = desk.ok("claim", "D-1", "--as", "alice", now=z(t(hours=2, minutes=20)))
    assert renewed["assignment"]["since"] == NOW
    assert renewed["assignment"]["until"] == z(t(hours=2, minutes=50))
    lapsed = desk.show("D-1", now=z(t(hours=2, minutes=50)))
    assert lapsed["assignment"] is None and lapsed["assigned_to"] is None


def test_the_holder_claiming_an_assignment_changes_nothing(desk: Desk) -> None:
    open_cases(desk, "D-1")
    before = desk.ok("assign", "D-1", "--to", "alice", "--as", "bob", now=NOW)
    after = desk.ok("claim", "D-1", "--as", "alice", now=z(t(hours=3)))
    assert after["version"] == before["version"]
    assert after["assignment"] == before["assignment"]


def test_a_claim_turned_into_an_assignment_takes_its_time(desk: Desk) -> None:
    open_cases(desk, "D-1")
    desk.ok("claim", "D-1", "--as", "alice", now=NOW)
    case = desk.ok("assign", "D-1", "--to", "alice", "--as", "bob", now=z(t(hours=2, minutes=10)))
    assert case["assignment"] == {"to": "alice", "by": "bob", "kind": "assignment",
                                  "since": z(t(hours=2, minutes=10)), "until": None}
    assert "already assigned to alice" in desk.rejected("assign", "D-1", "--to", "alice", "--as", "sam",
                                                         now=z(t(hours=3)))


def test_a_supervisor_claiming_takes_an_assignment_as_a_lease(desk: Desk) -> None:
    open_cases(desk, "D-1")
    desk.ok("assign", "D-1", "--to", "alice", "--as", "bob", now=NOW)
    case = desk.ok("claim", "D-1", "--as", "sam", now=z(t(hours=3)))
    assert case["assignment"] == {"to": "sam", "by": None, "kind": "claim", "since": z(t(hours=3)),
                                  "until": z(t(hours=3, minutes=30))}
    assert desk.show("D-1", now=z(t(hours=4)))["assignment"] is None


def test_release_ends_an_assignment_and_closing_ends_it_too(desk: Desk) -> None:
    open_cases(desk, "D-1", "D-2")
    desk.ok("assign", "D-1", "--to", "alice", "--as", "bob", now=NOW)
    assert "only the holder or a supervisor" in desk.rejected("release", "D-1", "--as", "carol", now=NOW)
    assert desk.ok("release", "D-1", "--as", "alice", now=NOW)["assignment"] is None
    desk.ok("assign", "D-2", "--to", "alice", "--as", "bob", now=NOW)
    # the seller stays silent: the buyer's proposal executes at T0 + 120 h and the dispute closes
    closed = desk.show("D-2", now=z(t(days=6)))
    assert closed["assignment"] is not None  # shown overdue, not executed: still open
    desk.ok("sweep", now=z(t(days=6)))
    case = desk.show("D-2", now=z(t(days=6)))
    assert case["status"] == "closed" and case["assignment"] is None and case["assigned_to"] is None


def test_assign_refusals(desk: Desk) -> None:
    open_cases(desk, "D-1")
    assert "needs the role supervisor" in desk.rejected("assign", "D-1", "--to", "carol", "--as", "alice", now=NOW)
    assert "cannot hold cases" in desk.rejected("assign", "D-1", "--to", "dora", "--as", "bob", now=NOW)
    assert "unknown user" in desk.rejected("assign", "D-1", "--to", "zed", "--as", "bob", now=NOW)


def reassign(desk: Desk, *args: str, now: str = NOW, code: int = 0) -> dict[str, Any]:
    run = desk("reassign", *args, now=now)
    assert run.code == code, (run.code, run.out, run.err)
    return run.json


def test_reassign_ids_judges_each_case_on_its_own(desk: Desk) -> None:
    open_cases(desk, "D-1", "D-2", "D-3")
    desk.ok("assign", "D-2", "--to", "alice", "--as", "bob", now=NOW)
    out = reassign(desk, "--to", "alice", "--as", "bob", "--ids", "D-3", "D-2", "D-9", "D-1", code=1)
    assert out["assigned"] == ["D-3", "D-1"]
    assert out["rejected"] == [{"dispute_id": "D-2", "reason": "already assigned to alice"},
                               {"dispute_id": "D-9", "reason": "unknown dispute D-9"}]
    for d in ("D-1", "D-3"):
        assert desk.show(d, now=NOW)["assignment"]["to"] == "alice"
    assert reassign(desk, "--to", "carol", "--as", "bob", "--ids", "D-1") == {"assigned": ["D-1"], "rejected": []}


def test_reassign_from_a_user_moves_what_they_hold_in_queue_order(desk: Desk) -> None:
    desk.feed(*(opened(f"E-{d}", d, t(minutes=i), order_id=f"O-{d}") for i, d in enumerate(("D-1", "D-2", "D-3"))),
              now=z(t(hours=1)))
    desk.ok("assign", "D-3", "--to", "carol", "--as", "bob", now=NOW)
    desk.ok("claim", "D-1", "--as", "carol", now=NOW)
    out = reassign(desk, "--to", "alice", "--as", "bob", "--from", "carol")
    assert out == {"assigned": ["D-1", "D-3"], "rejected": []}
    assert desk.show("D-1", now=NOW)["assignment"]["kind"] == "assignment"
    assert reassign(desk, "--to", "alice", "--as", "bob", "--from", "carol") == {"assigned": [], "rejected": []}


def test_reassign_a_view(desk: Desk) -> None:
    open_cases(desk, "D-1", "D-2")
    desk.feed(escalated("E-esc", "buyer", t(hours=1, minutes=30), "D-2"), now=NOW)
    out = reassign(desk, "--to", "carol", "--as", "sam", "--view", "needs_ruling")
    assert out == {"assigned": ["D-2"], "rejected": []}
    out = reassign(desk, "--to", "alice", "--as", "sam", "--view", "unassigned")
    assert out == {"assigned": ["D-1"], "rejected": []}


def test_a_case_closed_by_its_expiry_is_refused_as_closed(desk: Desk) -> None:
    open_cases(desk, "D-1")
    out = reassign(desk, "--to", "alice", "--as", "bob", "--ids", "D-1", now=z(t(days=6)), code=1)
    assert out["assigned"] == [] and "closed" in out["rejected"][0]["reason"]
    assert desk.show("D-1", now=z(t(days=6)))["status"] == "closed"  # the expiry was executed and kept


@pytest.mark.parametrize("args, reason", [
    (("--to", "dora", "--as", "bob", "--ids", "D-1"), "cannot hold cases"),
    (("--to", "zed", "--as", "bob", "--ids", "D-1"), "unknown user"),
    (("--to", "alice", "--as", "bob", "--from", "zed"), "unknown user"),
    (("--to", "alice", "--as", "carol", "--ids", "D-1"), "needs the role supervisor"),
    (("--to", "alice", "--as", "bob", "--view", "nope"), "unknown view"),
])
def test_reassign_refuses_the_whole_command(desk: Desk, args: tuple[str, ...], reason: str) -> None:
    open_cases(desk, "D-1")
    assert reason in desk.rejected("reassign", *args, now=NOW)
    assert desk.show("D-1", now=NOW)["assignment"] is None


def test_reassign_needs_exactly_one_selection(desk: Desk) -> None:
    open_cases(desk, "D-1")
    for args in (("--to", "alice", "--as", "bob"), ("--to", "alice", "--as", "bob", "--ids", "D-1", "--from", "carol")):
        with pytest.raises(SystemExit) as exit_:
            desk("reassign", *args, now=NOW)
        assert exit_.value.code == 2
