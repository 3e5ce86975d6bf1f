"""`domain.replay` without a database: a history made by the rules replays to the same state, deterministically,
and a changed row, a missing version, a forged role or a changed state is named with its version."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from mediator_app.domain import actions
from mediator_app.domain.audit_chain import GENESIS, ChainRow, payload_text, row_hash
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.events import parse_event
from mediator_app.domain.feed_rules import open_dispute
from mediator_app.domain.judge import judge_action, judge_event
from mediator_app.domain.permissions import Actor
from mediator_app.domain.replay import StoredRow, verify
from mediator_app.domain.transitions import Change
from tests.feeds import T0, event, opened

CLERK, SUPERVISOR = Actor("alice", "clerk"), Actor("bob", "supervisor")


def history() -> tuple[DisputeState, list[Change]]:
    state, first = open_dispute(parse_event(opened("D-1", total="900.00")))
    changes = [first]
    judged = judge_event(state, parse_event(event("D-1", "dispute.escalated", T0 + timedelta(hours=1), "E-x",
                                                  party="seller")))
    state, changes = judged.state, changes + judged.changes
    for at, who, step in ((T0 + timedelta(hours=2), CLERK, lambda s, a, t: actions.rule(s, a, t, "buyer")),
                          (T0 + timedelta(hours=3), SUPERVISOR, actions.approve)):
        judged = judge_action(state, at, lambda s: step(s, who, at))
        assert judged.rejection is None
        state, changes = judged.state, changes + judged.changes
    return state, changes


def stored(changes: list[Change]) -> list[StoredRow]:
    rows, previous = [], GENESIS
    for c in changes:
        content = ChainRow("D-1", c.version_after, c.at, c.kind, c.actor, c.party, c.summary,
                           payload_text(c.payload, c.replay))
        previous = row_hash(previous, content)
        rows.append(StoredRow(content, previous))
    return rows


def test_the_rules_history_replays_to_its_state() -> None:
    state, changes = history()
    rows = stored(changes)
    verdict = verify("D-1", rows, state.to_json(), state.version)
    assert verdict.problems == [] and verdict.replayed == state
    assert verify("D-1", stored(history()[1]), state.to_json(), state.version).replayed == state  # again: same


def test_a_forged_role_is_refused_by_the_replay() -> None:
    state, changes = history()
    approval = changes[-1]
    assert approval.replay is not None and approval.replay["role"] == "supervisor"
    forged = replace(approval, replay={**approval.replay, "role": "clerk"})  # hashed as if written so
    problems = verify("D-1", stored([*changes[:-1], forged]), state.to_json(), state.version).problems
    assert [(p.version, p.problem.split(":")[0]) for p in problems] == [(4, "the rules refuse it on replay")]


def test_a_changed_state_and_a_gap_are_named() -> None:
    state, changes = history()
    rows = stored(changes)
    changed = {**state.to_json(), "stage": "awaiting_buyer"}
    assert [(p.version, p.problem) for p in verify("D-1", rows, changed, state.version).problems] == [
        (4, "the stored state differs from the replay of its history (stage)")]
    gap = [rows[0], rows[2], rows[3]]
    assert [(p.version, p.problem) for p in verify("D-1", gap, state.to_json(), state.version).problems] == [
        (2, "version 2 is missing from the history (a row was deleted)")]


def test_an_edited_payload_is_found_by_hash_and_by_replay() -> None:
    state, changes = history()
    rows = stored(changes)
    payload = json.loads(rows[2].content.payload)
    payload["replay"]["arguments"]["adopt"] = "seller"
    rows[2] = StoredRow(rows[2].content._replace(payload=json.dumps(payload)), rows[2].hash)
    problems = [(p.version, p.problem) for p in verify("D-1", rows, state.to_json(), state.version).problems]
    assert (3, "the history row does not match its hash (its content was changed)") in problems
    assert all(v == 3 for v, _ in problems) and len(problems) == 2


def test_the_stored_state_as_text_is_judged_as_the_parsed_one() -> None:
    """The check hands `verify` the state's JSON text: the write path's own bytes are equal without a parse,
    another JSON form of the same state is equal too, and a changed key is named as with the parsed state."""
    import orjson

    state, changes = history()
    rows = stored(changes)
    assert verify("D-1", rows, orjson.dumps(state.to_json()).decode(), state.version).problems == []
    spaced = json.dumps(state.to_json(), indent=2, sort_keys=True)  # the same values, other bytes
    assert verify("D-1", rows, spaced, state.version).problems == []
    changed = json.dumps({**state.to_json(), "stage": "awaiting_buyer", "version": 9})
    assert [(p.version, p.problem) for p in verify("D-1", rows, changed, state.version).problems] == [
        (4, "the stored state differs from the replay of its history (stage, version)")]
    held = sorted(key for key, value in state.to_json().items() if value is not None)  # (a missing key is a null)
    assert [p.problem for p in verify("D-1", rows, "[]", state.version).problems] == [
        f"the stored state differs from the replay of its history ({', '.join(held)})"]


def test_a_replay_record_under_an_escaped_key_is_still_replayed() -> None:
    """The check skips parsing a payload that cannot hold the replay key; one that spells it with a JSON escape
    holds it all the same and is replayed (here: its forged role is refused)."""
    state, changes = history()
    rows = stored(changes)
    escaped = [StoredRow(r.content._replace(payload=r.content.payload.replace('"replay"', '"\\u0072eplay"')), None)
               for r in rows]
    assert all('"replay"' not in r.content.payload and json.loads(r.content.payload)["replay"] for r in escaped)
    rehashed, previous = [], GENESIS
    for r in escaped:
        previous = row_hash(previous, r.content)
        rehashed.append(StoredRow(r.content, previous))
    assert verify("D-1", rehashed, state.to_json(), state.version).problems == []  # replayed, as before
    payload = json.loads(rehashed[3].content.payload)
    payload["replay"]["role"] = "clerk"
    forged = rehashed[3].content._replace(payload=json.dumps(payload).replace('"replay"', '"\\u0072eplay"'))
    rehashed[3] = StoredRow(forged, row_hash(rehashed[2].hash or "", forged))
    problems = verify("D-1", rehashed, state.to_json(), state.version).problems
    assert [(p.version, p.problem.split(":")[0]) for p in problems] == [(4, "the rules refuse it on replay")]
