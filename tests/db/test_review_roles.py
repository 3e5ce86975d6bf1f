"""Review of §7.2/§7.3 against the code: the role an action row records is the role of the login that writes it
(decision 210). Logins here are `t_rev_...` (this file's own prefix)."""
from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from tests.db.feeds import cancelled, opened, t, z
from tests.db.test_logins import NOW, Server, opened_case

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


class ReviewServer(Server):
    def name(self, role: str) -> str:
        return f"t_rev_{self.tag}_{role}"


@pytest.fixture
def server(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Iterator[Server]:
    s = ReviewServer(db_url, capsys, tmp_path)
    s.tag = uuid.uuid4().hex[:8]
    try:
        yield s
    finally:
        s.close()


def acted_row(dispute: str, version: int, kind: str, actor: str, record: dict[str, object]) -> str:
    payload = json.dumps({"replay": record}).replace("'", "''")
    return (f"INSERT INTO history (dispute_id, version, version_before, at, recorded_at, kind, party, actor, "
            f"summary, payload) VALUES ('{dispute}', {version}, {version - 1}, now(), now(), '{kind}', "
            f"'platform', '{actor}', 'forged', '{payload}')")


def test_a_clerk_cannot_record_a_supervisors_role_to_pass_four_eyes(server: Server) -> None:
    """A clerk's ruling of 600 USD waits for a supervisor; written by hand with the role `supervisor` in its
    replay record, the replay (audit verify) would judge it as a supervisor's and find nothing. The database
    refuses the row: the recorded role is the login's."""
    opened_case(server, total="600.00", ask="500.00")
    clerk = server.user("clerk")
    forged = acted_row("D-1", 2, "ruling.made", clerk,
                       {"action": "rule", "arguments": {"adopt": "buyer", "note": None}, "role": "supervisor"})
    message = server.refused(clerk, forged)
    assert f"records the role supervisor, but {clerk} is a clerk" in message
    no_record = acted_row("D-1", 2, "note.added", clerk, {})
    assert "records the role" in server.refused(clerk, no_record.replace('{"replay": {}}', "{}"))
    # the application's own writes carry the login's role and keep working
    ruled = server.as_login(clerk).ok("rule", "D-1", "--adopt", "buyer", now=NOW)
    assert ruled["stage"] == "pending_approval"
    noted = server.as_login(clerk).ok("note", "D-1", "--text", "checked", now=NOW)
    assert noted["timeline"][-1]["kind"] == "note.added"


def test_the_outbound_feed_is_read_and_acked_by_the_service_login_only(server: Server) -> None:
    """§8.2: `service` users and administrators read and ack; a clerk, supervisor or auditor login is refused."""
    opened_case(server)
    clerk, service = server.user("clerk"), server.user("service")
    supervisor, auditor = server.user("supervisor"), server.user("auditor")
    assert server.as_login(clerk).ok("rule", "D-1", "--adopt", "buyer", now=NOW)["stage"] == "closed"
    svc = server.as_login(service)
    page = svc.ok("outbox", "read")
    assert [e["type"] for e in page["events"]] == ["dispute.resolved", "dispute.closed"]
    assert svc.ok("outbox", "ack", "billing", str(page["next"]), now=NOW)["behind"] == 0
    assert svc.ok("outbox", "consumers")[0]["after"] == page["next"]
    for login in (clerk, supervisor, auditor):
        for command in (["read"], ["consumers"], ["ack", "billing", "1"]):
            refused = server.as_login(login)("outbox", *command, now=NOW)
            assert refused.code == 1 and "needs a service user or an administrator" in refused.err, (login, command)


def outbox_row(dispute: str, version: int, type_: str, body: dict[str, object]) -> str:
    text = json.dumps({"event_id": f"OUT-{dispute}-{version}-{type_}", "type": type_, "dispute_id": dispute,
                       "version": version, "at": "2026-11-01T03:00:00Z", **body}).replace("'", "''")
    return (f"INSERT INTO outbox (event_id, type, dispute_id, version, at, body) VALUES "
            f"('OUT-{dispute}-{version}-{type_}', '{type_}', '{dispute}', {version}, now(), '{text}')")


FORGED_REFUND = {"outcome": {"reached_type": "platform_arbitrate", "adopted": "buyer",
                             "refund": {"amount": "900.00", "currency": "USD"}, "return_required": False,
                             "return_status": "none", "resolved_at": "2026-11-01T03:00:00Z", "terms": None}}


def test_a_users_login_writes_no_outbound_event_without_its_change(server: Server) -> None:
    """§8.1: never an event without its change. A clerk's login may INSERT into `outbox` (its actions write
    their events), so the database judges each event: the history row of its version written in this
    transaction, its id and body consistent, and a `dispute.closed` carrying the closed dispute's own outcome
    (the refund the marketplace pays). The skip test's switch is the administrators' alone (decision 211)."""
    opened_case(server)
    clerk = server.user("clerk")
    message = server.refused(clerk, outbox_row("D-1", 2, "dispute.closed", FORGED_REFUND))
    assert "outbound event OUT-D-1-2-dispute.closed" in message
    # with a real change of its own (a note), still no closing event for a case that is not closed
    note = acted_row("D-1", 2, "note.added", clerk, {"action": "note", "arguments": {"text": "x"}, "role": "clerk"})
    message = server.refused(clerk, "UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'; " + note + "; "
                             + outbox_row("D-1", 2, "dispute.closed", FORGED_REFUND))
    assert "outbound event OUT-D-1-2-dispute.closed" in message
    # nor with the case's state forged beside that note: a closing event comes only with a change that closes
    forged_state = ("UPDATE disputes SET version = 2, stage = 'closed', state = jsonb_set(jsonb_set(state::jsonb, "
                    "'{stage}', '\"closed\"'), '{outcome}', '" + json.dumps(FORGED_REFUND["outcome"]) + "')::text "
                    "WHERE dispute_id = 'D-1'; ")
    message = server.refused(clerk, forged_state + note + "; " + outbox_row("D-1", 2, "dispute.closed", FORGED_REFUND))
    assert "outbound event OUT-D-1-2-dispute.closed" in message
    assert "mediator.outbox_naive" in server.refused(
        clerk, "SET LOCAL mediator.outbox_naive = on; " + outbox_row("D-1", 2, "dispute.closed", FORGED_REFUND))
    # the application's own events, written by the clerk's login, pass
    assert server.as_login(clerk).ok("rule", "D-1", "--adopt", "buyer", now=NOW)["stage"] == "closed"
    # and those of a feed event, written by the service's login
    service = server.user("service")
    assert server.feed(opened("E-open-2", dispute_id="D-2", order_id="O-2")).code == 0
    fed = server.feed(cancelled("E-cancel-2", "buyer", z(t(hours=1)), dispute_id="D-2"), as_=server.as_login(service))
    assert fed.code == 0 and fed.json["applied"] == 1, fed.out
    events = server.admin.ok("outbox", "read")["events"]
    assert [(e["dispute_id"], e["type"]) for e in events] == [
        ("D-1", "dispute.resolved"), ("D-1", "dispute.closed"), ("D-2", "dispute.resolved"), ("D-2", "dispute.closed")]
    assert events[1]["outcome"]["refund"] == {"amount": "66.65", "currency": "USD"}
