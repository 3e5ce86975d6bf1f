"""Every kind of change writes exactly the outbound events of §8.1 and nothing else (feed events, clerk and
supervisor actions, expiries, `bundle sync`); a rolled-back change none; the migration writes the same events for a
database made before the outbound feed existed. Both databases."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from sqlalchemy import text

from mediator_app.db import migrate, store
from mediator_app.domain.errors import Rejection
from mediator_app.domain import actions
from mediator_app.domain.judge import judge_action
from mediator_app.domain.time import FixedClock
from mediator_app.services import bundle_export, bundle_sync, bundles, casework, drafts, sweeper
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.reading import show
from tests.feeds import T0, event, iso, money, opened

H, M = timedelta(hours=1), timedelta(minutes=1)
Step = Callable[[Context, FixedClock, str], Any]


def feed(make: Callable[[str], dict[str, Any]]) -> Step:
    def step(ctx: Context, clock: FixedClock, d: str) -> None:
        report = ingest_events(ctx, [make(d)])
        assert not report.rejected, report.rejected
    return step


def act(at: timedelta, call: Callable[..., Any], *args: Any) -> Step:
    def step(ctx: Context, clock: FixedClock, d: str) -> None:
        clock.set(T0 + at)
        call(ctx, d, *args)
    return step


def sweep(at: timedelta) -> Step:
    def step(ctx: Context, clock: FixedClock, d: str) -> None:
        sweeper.sweep(ctx, T0 + at)
    return step


OPEN = feed(lambda d: opened(d))
OPEN_RETURN = feed(lambda d: opened(d, kind="return_and_refund"))
OPEN_LARGE = feed(lambda d: opened(d, total="800.00", refund="600.00"))
SELLER_COUNTERS = feed(lambda d: event(d, "proposal.posted", T0 + H, f"E-{d}-s1", party="seller",
                                       proposal={"proposal_id": f"P-{d}-S1", "remedy": "refund",
                                                 "refund": money("20.00")}))
SELLER_ACCEPTS = feed(lambda d: event(d, "proposal.accepted", T0 + H, f"E-{d}-acc", party="seller",
                                      proposal_id=f"P-{d}-B1"))
SHIPPED = feed(lambda d: event(d, "return.shipped", T0 + 2 * H, f"E-{d}-ship", party="buyer", tracking_number="T1"))
PROPOSED = act(H, casework.propose, "alice", "refund", "30.00")
PROPOSED_LARGE = act(H, casework.propose, "alice", "refund", "550.00")
RULED_LARGE = act(H, casework.rule, "alice", "buyer")


def synced(by: str, *drafted: tuple[str, dict[str, Any]], meanwhile: Step | None = None,
           outcomes: tuple[str, ...] = ("applied",), at: tuple[timedelta, timedelta] = (2 * H, 3 * H)) -> Step:
    """`bundle sync` (§6): the case exported at T0 + at[0] and `drafted` (action, terms) drafted on it by `by` in
    the bundle, then (after `meanwhile`, a live change since the export) synced by `by` at T0 + at[1], each draft
    ending as `outcomes` says, in the bundle and in the sync's report."""
    def step(ctx: Context, clock: FixedClock, d: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cases.mcase"
            clock.set(T0 + at[0])
            bundle_export.export(ctx, path, by, ids=[d])
            bundle = bundles.open_bundle(path, clock, writable=True)
            try:
                ids = [drafts.draft(bundle, d, by, action, terms)["draft_id"] for action, terms in drafted]
                if meanwhile is not None:
                    meanwhile(ctx, clock, d)
                clock.set(T0 + at[1])
                report = bundle_sync.sync(ctx, bundle, by)
                assert [(r["draft_id"], r["status"]) for r in drafts.list_drafts(bundle)] == list(zip(ids, outcomes))
            finally:
                bundle.engine.dispose()
        reported = {"applied": report.applied, "conflict": report.conflicts, "rejected": report.rejected}
        assert {s: [r["draft_id"] for r in rs] for s, rs in reported.items()} == {
            s: [i for i, o in zip(ids, outcomes) if o == s] for s in reported}
    return step


def user(name: str, role: str) -> Step:
    """`name` gets `role` (added if new), in the live database."""
    def step(ctx: Context, clock: FixedClock, d: str) -> None:
        with ctx.engine.begin() as conn:
            if store.get_user_role(conn, name) is None:
                store.add_user(conn, name, role, clock.now())
            else:
                store.set_user_role(conn, name, role)
    return step


RULE = ("rule", {"adopt": "buyer"})


def accepts_platform(party: str, at: timedelta) -> Step:
    return feed(lambda d: event(d, "proposal.accepted", T0 + at, f"E-{d}-pacc-{party}", party=party,
                                proposal_id=f"{d}-PL1"))


@dataclass
class Case:
    setup: list[Step]
    change: Step
    expected: list[tuple[str, int, timedelta]]  # (type, version, at - T0) in order
    fields: dict[str, Any] = field(default_factory=dict)  # checks on the last case's events


RES, RET, CLO, POS = "dispute.resolved", "return.requested", "dispute.closed", "platform_proposal.posted"
CASES: dict[str, Case] = {
    # feed events
    "opened": Case([], OPEN, []),
    "counter": Case([OPEN], SELLER_COUNTERS, []),
    "withdrawn": Case([OPEN, SELLER_COUNTERS], feed(lambda d: event(
        d, "proposal.withdrawn", T0 + 2 * H, f"E-{d}-w", party="seller", proposal_id=f"P-{d}-S1")), []),
    "escalated": Case([OPEN], feed(lambda d: event(d, "dispute.escalated", T0 + H, f"E-{d}-esc", party="seller")), []),
    "message": Case([OPEN], feed(lambda d: event(d, "message.posted", T0 + H, f"E-{d}-m", party="buyer",
                                                text="hello")), []),
    "consensus": Case([OPEN, SELLER_COUNTERS], feed(lambda d: event(
        d, "proposal.accepted", T0 + 2 * H, f"E-{d}-acc", party="buyer", proposal_id=f"P-{d}-S1")),
        [(RES, 3, 2 * H), (CLO, 3, 2 * H)], {"refund": money("20.00"), "reached_type": "negotiation_consensus"}),
    "consensus with a return": Case([OPEN_RETURN], SELLER_ACCEPTS, [(RES, 2, H), (RET, 2, H)],
                                    {"ship_by": iso(T0 + H + timedelta(days=10))}),
    "return shipped": Case([OPEN_RETURN, SELLER_ACCEPTS], SHIPPED, []),
    "return received": Case([OPEN_RETURN, SELLER_ACCEPTS, SHIPPED], feed(lambda d: event(
        d, "return.received", T0 + 3 * H, f"E-{d}-recv", party="seller")), [(CLO, 4, 3 * H)],
        {"refund": money("66.65"), "return_status": "received"}),
    "cancelled": Case([OPEN], feed(lambda d: event(d, "dispute.cancelled", T0 + H, f"E-{d}-c", party="buyer")),
                      [(RES, 2, H), (CLO, 2, H)], {"refund": None, "reached_type": "buyer_cancelled"}),
    "platform proposal rejected": Case([OPEN, PROPOSED], feed(lambda d: event(
        d, "proposal.rejected", T0 + 2 * H, f"E-{d}-rej", party="buyer", proposal_id=f"{d}-PL1")), []),
    "first acceptance of the platform's": Case([OPEN, PROPOSED], accepts_platform("buyer", 2 * H), []),
    "both accepted the platform's": Case([OPEN, PROPOSED, accepts_platform("buyer", 2 * H)],
                                         accepts_platform("seller", 3 * H), [(RES, 4, 3 * H), (CLO, 4, 3 * H)],
                                         {"refund": money("30.00"), "reached_type": "platform_proposal_accepted"}),
    # clerk and supervisor actions
    "platform proposal": Case([OPEN], PROPOSED, [(POS, 2, H)], {"proposal_id": "{d}-PL1"}),
    "platform proposal waiting for approval": Case([OPEN_LARGE], PROPOSED_LARGE, []),
    "platform proposal approved": Case([OPEN_LARGE, PROPOSED_LARGE], act(2 * H, casework.approve, "bob"),
                                       [(POS, 3, 2 * H)], {"proposal_id": "{d}-PL1"}),
    "platform proposal sent back": Case([OPEN_LARGE, PROPOSED_LARGE], act(2 * H, casework.send_back, "bob", "no"),
                                        []),
    "ruling": Case([OPEN], act(H, casework.rule, "alice", "buyer"), [(RES, 2, H), (CLO, 2, H)],
                   {"refund": money("66.65"), "reached_type": "platform_arbitrate"}),
    "ruling with a return": Case([OPEN_RETURN], act(H, casework.rule, "alice", "buyer"), [(RES, 2, H), (RET, 2, H)],
                                 {"ship_by": iso(T0 + H + timedelta(days=10))}),
    "ruling waiting for approval": Case([OPEN_LARGE], RULED_LARGE, []),
    "ruling approved": Case([OPEN_LARGE, RULED_LARGE], act(2 * H, casework.approve, "bob"),
                            [(RES, 3, 2 * H), (CLO, 3, 2 * H)], {"refund": money("600.00")}),
    "claim": Case([OPEN], act(H, casework.claim, "alice"), []),
    "note": Case([OPEN], act(H, casework.note, "alice", "a note"), []),
    "release": Case([OPEN, act(H, casework.claim, "alice")],
                    act(H + timedelta(minutes=10), casework.release, "alice"), []),
    # bundle sync: each draft applied as its live command at the sync's `now` (the events' `at`), or none
    "synced ruling": Case([OPEN], synced("alice", RULE), [(RES, 2, 3 * H), (CLO, 2, 3 * H)],
                          {"refund": money("66.65"), "reached_type": "platform_arbitrate"}),
    "synced ruling with a return": Case([OPEN_RETURN], synced("alice", RULE), [(RES, 2, 3 * H), (RET, 2, 3 * H)],
                                        {"ship_by": iso(T0 + 3 * H + timedelta(days=10))}),
    "synced platform proposal": Case([OPEN], synced("alice", ("propose", {"remedy": "refund", "amount": "30.00"})),
                                     [(POS, 2, 3 * H)], {"proposal_id": "{d}-PL1", "refund": money("30.00")}),
    "synced platform proposal waiting for approval": Case(
        [OPEN_LARGE], synced("alice", ("propose", {"remedy": "refund", "amount": "550.00"})), []),
    "synced approval of a platform proposal": Case([OPEN_LARGE, PROPOSED_LARGE], synced("bob", ("approve", {})),
                                                   [(POS, 3, 3 * H)], {"proposal_id": "{d}-PL1"}),
    "synced approval of a ruling": Case([OPEN_LARGE, RULED_LARGE], synced("bob", ("approve", {})),
                                        [(RES, 3, 3 * H), (CLO, 3, 3 * H)], {"refund": money("600.00")}),
    "synced send-back": Case([OPEN_LARGE, PROPOSED_LARGE], synced("bob", ("send-back", {"note": "no"})), []),
    "synced note": Case([OPEN], synced("alice", ("note", {"text": "called"})), []),
    "synced ruling drafted after a note": Case(
        [OPEN], synced("alice", ("note", {"text": "called"}), RULE, outcomes=("applied", "applied")),
        [(RES, 3, 3 * H), (CLO, 3, 3 * H)], {"reached_type": "platform_arbitrate"}),
    "synced ruling in conflict with a live note": Case(
        [OPEN], synced("alice", RULE, meanwhile=act(2 * H + 30 * M, casework.note, "bob", "meanwhile"),
                       outcomes=("conflict",)), []),
    "synced ruling in conflict with a feed event": Case(  # the feed's events only
        [OPEN], synced("alice", RULE, meanwhile=feed(lambda d: event(
            d, "dispute.cancelled", T0 + 2 * H + 30 * M, f"E-{d}-c", party="buyer")), outcomes=("conflict",)),
        [(RES, 2, 2 * H + 30 * M), (CLO, 2, 2 * H + 30 * M)], {"refund": None, "reached_type": "buyer_cancelled"}),
    "synced ruling finding its case expired": Case(  # the expiry's, executed by the sync, only
        [OPEN], synced("alice", RULE, outcomes=("conflict",), at=(2 * H, 200 * H)),
        [(RES, 2, 120 * H), (CLO, 2, 120 * H)], {"reached_type": "seller_response_timeout"}),
    "synced ruling refused": Case([OPEN, user("erin", "clerk")], synced(
        "erin", RULE, meanwhile=user("erin", "auditor"), outcomes=("rejected",)), []),
    # expiries
    "seller silent": Case([OPEN], sweep(200 * H), [(RES, 2, 120 * H), (CLO, 2, 120 * H)],
                          {"refund": money("66.65"), "reached_type": "seller_response_timeout"}),
    "default judgment with a return": Case([OPEN_RETURN], sweep(200 * H), [(RES, 2, 120 * H), (RET, 2, 120 * H)],
                                           {"ship_by": iso(T0 + 360 * H)}),
    "default judgment and not_shipped in one sweep": Case(
        [OPEN_RETURN], sweep(400 * H), [(RES, 2, 120 * H), (RET, 2, 120 * H), (CLO, 3, 360 * H)],
        {"refund": None, "return_status": "not_shipped"}),
    "not_shipped": Case([OPEN_RETURN, SELLER_ACCEPTS], sweep(300 * H), [(CLO, 3, 241 * H)],
                        {"refund": None, "return_status": "not_shipped"}),
    "receipt_timeout": Case([OPEN_RETURN, SELLER_ACCEPTS, SHIPPED], sweep(400 * H), [(CLO, 4, 362 * H)],
                            {"refund": money("66.65"), "return_status": "receipt_timeout"}),
    "parties silent": Case([OPEN, PROPOSED], sweep(200 * H), [(RES, 3, 121 * H), (CLO, 3, 121 * H)],
                           {"refund": money("30.00"), "reached_type": "platform_proposal_timeout"}),
    "expiry executed before a feed event": Case([OPEN], feed(lambda d: event(
        d, "message.posted", T0 + 130 * H, f"E-{d}-late", party="buyer", text="late")),
        [(RES, 2, 120 * H), (CLO, 2, 120 * H)], {"reached_type": "seller_response_timeout"}),
    "expiry executed before an action": Case([OPEN], act(130 * H, casework.note, "alice", "late"),
                                             [(RES, 2, 120 * H), (CLO, 2, 120 * H)]),
}


def outbox_events(ctx: Context) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return [json.loads(line) for _, line in store.outbox.read_lines(conn, 0, 100_000)]


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_of_change_writes_exactly_its_events(ctx: Context, clock: FixedClock, name: str) -> None:
    case, d = CASES[name], "D-1"
    for step in case.setup:
        step(ctx, clock, d)
    before = outbox_events(ctx)
    case.change(ctx, clock, d)
    events = outbox_events(ctx)
    assert events[:len(before)] == before
    new = events[len(before):]
    assert [(e["type"], e["version"], e["at"]) for e in new] == [(t, v, iso(T0 + at)) for t, v, at in case.expected]
    shown = show(ctx, d)
    for e in new:
        assert e["event_id"] == f"OUT-{d}-{e['version']}-{e['type']}" and e["dispute_id"] == d
        if e["type"] == CLO:  # final: what `show` says the marketplace must pay
            assert e["outcome"] == shown["outcome"]
        if e["type"] == RES:
            assert e["outcome"]["reached_type"] == shown["outcome"]["reached_type"]
        if e["type"] == POS:
            assert e["proposal"] == shown["proposals"]["platform"]
    last = {**(new[-1].get("outcome") or {}), **new[-1]} if new else {}
    for key, value in case.fields.items():
        value = value.replace("{d}", d) if isinstance(value, str) else value
        assert last.get(key, (last.get("proposal") or {}).get(key)) == value, key
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(set(seqs))
    closed = [e for e in events if e["type"] == CLO]
    assert len(closed) == (1 if shown["stage"] == "closed" else 0)  # §8.3: exactly one per closed dispute


def test_one_sync_of_several_cases_writes_each_cases_events(ctx: Context, clock: FixedClock, tmp_path: Path) -> None:
    """Two cases' drafts applied in one sync (one batch, written together): each case's events of §8.1, at the
    sync's `now`, and a third case's conflicting draft none."""
    ingest_events(ctx, [opened(d) for d in ("D-2", "D-3", "D-4")])
    clock.set(T0 + H)
    path = tmp_path / "cases.mcase"
    bundle_export.export(ctx, path, "alice", ids=["D-2", "D-3", "D-4"])
    bundle = bundles.open_bundle(path, clock, writable=True)
    try:
        drafts.draft(bundle, "D-2", "alice", "rule", {"adopt": "buyer"})
        drafts.draft(bundle, "D-3", "alice", "propose", {"remedy": "refund", "amount": "30.00"})
        drafts.draft(bundle, "D-4", "alice", "rule", {"adopt": "buyer"})
        clock.set(T0 + 2 * H)
        casework.note(ctx, "D-4", "bob", "meanwhile")
        clock.set(T0 + 3 * H)
        report = bundle_sync.sync(ctx, bundle, "alice")
    finally:
        bundle.engine.dispose()
    assert [(r["dispute_id"], r["version"]) for r in report.applied] == [("D-2", 2), ("D-3", 2)]
    assert [r["dispute_id"] for r in report.conflicts] == ["D-4"]
    events = outbox_events(ctx)
    assert [(e["event_id"], e["at"]) for e in events] == [
        ("OUT-D-2-2-dispute.resolved", iso(T0 + 3 * H)), ("OUT-D-2-2-dispute.closed", iso(T0 + 3 * H)),
        ("OUT-D-3-2-platform_proposal.posted", iso(T0 + 3 * H))]
    assert events[1]["outcome"] == show(ctx, "D-2")["outcome"]
    assert events[2]["proposal"] == show(ctx, "D-3")["proposals"]["platform"]


def test_a_rolled_back_change_writes_no_event(ctx: Context, clock: FixedClock) -> None:
    ingest_events(ctx, [opened("D-1")])
    clock.set(T0 + H)
    with pytest.raises(RuntimeError):
        with ctx.engine.begin() as conn:
            state = store.load_dispute(conn, "D-1")
            assert state is not None
            judgement = judge_action(state, clock.now(), lambda s: actions.rule(
                s, actions.Actor("alice", "clerk"), clock.now(), "buyer"))
            store.store_changes(conn, judgement.state, state.version, judgement.changes, clock.now(), "test")
            assert len(store.outbox.read_lines(conn, 0, 10)) == 2  # written, not yet committed
            raise RuntimeError("the transaction rolls back")
    # a lost compare-and-set (another writer first) rolls back too, with its events
    with pytest.raises(store.StaleWrite):
        with ctx.engine.begin() as conn:
            state = store.load_dispute(conn, "D-1")
            assert state is not None
            judgement = judge_action(state, clock.now(), lambda s: actions.rule(
                s, actions.Actor("alice", "clerk"), clock.now(), "buyer"))
            store.store_changes(conn, judgement.state, state.version + 1, judgement.changes, clock.now(), "test")
    assert outbox_events(ctx) == []
    casework.rule(ctx, "D-1", "alice", "buyer")
    assert [e["type"] for e in outbox_events(ctx)] == [RES, CLO]


def test_a_change_without_its_states_is_refused_by_the_write_path(ctx: Context) -> None:
    from dataclasses import replace

    ingest_events(ctx, [opened("D-1")])
    with ctx.engine.begin() as conn:
        state = store.load_dispute(conn, "D-1")
        assert state is not None
        new, change = actions.add_note(state, actions.Actor("alice", "clerk"), T0, "hi")
        with pytest.raises(ValueError, match="outbound events cannot be derived"):
            store.store_changes(conn, new, state.version, [replace(change, before=None, after=None)], T0, "test")


def _stored(ctx: Context) -> list[dict[str, Any]]:
    return sorted((({k: v for k, v in e.items() if k != "seq"}) for e in outbox_events(ctx)),
                  key=lambda e: e["event_id"])


def test_the_migration_writes_the_events_of_disputes_stored_before_it(ctx: Context, clock: FixedClock) -> None:
    """Every case of the table in one database (the sweeps decide other cases' disputes too, and some of their
    later steps are refused: whatever happened is what the replay must find), then back to 0004 and up again."""
    for n, case in enumerate(CASES.values()):
        for step in [*case.setup, case.change]:
            try:
                step(ctx, clock, f"D-{n}")
            except (Rejection, AssertionError):
                pass
    live = _stored(ctx)
    assert {e["type"] for e in live} == {RES, RET, CLO, POS}
    migrate.upgrade(ctx.engine, "0004")
    with ctx.engine.connect() as conn:
        assert "outbox" not in {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master" if conn.dialect.name == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))}
    migrate.upgrade(ctx.engine)
    assert _stored(ctx) == live
    replayed = outbox_events(ctx)
    assert [e["seq"] for e in replayed] == list(range(1, len(replayed) + 1))
    assert [e["at"] for e in replayed] == sorted(e["at"] for e in replayed)  # in seq order of `at`
    assert_versions_rise_with_seq(replayed)
    # what is written after the upgrade follows the replayed events
    ingest_events(ctx, [opened("D-new", T0 + 500 * H)])
    casework.rule(ctx, "D-new", "alice", "buyer")
    assert [e["seq"] for e in outbox_events(ctx)][-2:] == [len(replayed) + 1, len(replayed) + 2]


def assert_versions_rise_with_seq(events: list[dict[str, Any]]) -> None:
    """§8.3: per dispute, `version` rises with `seq` (events in seq order)."""
    last: dict[str, int] = {}
    for e in events:
        assert e["version"] >= last.get(e["dispute_id"], 0), f"{e['event_id']} after version {last[e['dispute_id']]}"
        last[e["dispute_id"]] = e["version"]


def test_the_migration_keeps_a_disputes_versions_in_order_when_a_feed_event_is_dated_before_an_action(
        ctx: Context, clock: FixedClock) -> None:
    """A clerk proposes at 12:00; the buyer's cancellation, dated 07:00, is applied after it (§3: a clerk action
    takes no part in the feed's order). Live, the proposal's event comes first; the migration must not put the
    cancellation's events before it by their earlier `at` (decision 266)."""
    ingest_events(ctx, [opened("D-1", T0)])
    clock.set(T0 + 10 * H)
    casework.propose(ctx, "D-1", "alice", "refund", "20.00")
    report = ingest_events(ctx, [event("D-1", "dispute.cancelled", T0 + 5 * H, "E-cancel", party="buyer")])
    assert report.rejected == []
    live = outbox_events(ctx)
    assert [(e["type"], e["version"]) for e in live] == [(POS, 2), (RES, 3), (CLO, 3)]
    migrate.upgrade(ctx.engine, "0004")
    migrate.upgrade(ctx.engine)
    replayed = outbox_events(ctx)
    assert [(e["event_id"], e["at"]) for e in replayed] == [(e["event_id"], e["at"]) for e in live]
    assert_versions_rise_with_seq(replayed)
