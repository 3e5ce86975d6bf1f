"""§7.1 and §7.2 on the real PostgreSQL: logins per user, the acting user, and what the database itself refuses.

Every refusal of §7.2 is tried the way an attacker would, with a plain psycopg session logged in as a user of that
role, and must be an error of the database; the same through `mediator` as an allowed user works. The logins
are the server's: each test makes its own, named `t_logins_<unique>_<role>`, and drops them at the end.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.cli_runner import Mediator, Run
from tests.db.feeds import message as party_message, opened, t, write_feed, z

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

NOW = z(t(hours=1))


INSUFFICIENT_PRIVILEGE = "42501"  # the SQLSTATE of every refusal of §7.2 (privileges and guards)


class Server:
    """The test schema reached as the administrator (postgres) or as a login of a user made by `user add`."""

    def __init__(self, db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.url = db_url
        self.capsys = capsys
        self.tmp_path = tmp_path
        self.admin = Mediator(db_url, capsys)
        self.tag = uuid.uuid4().hex[:8]
        self.logins: list[str] = []
        self.sessions: list[psycopg.Connection[Any]] = []
        parsed = make_url(db_url)
        options = parsed.query["options"]
        self.schema = (options if isinstance(options, str) else options[0]).split("search_path=")[1]
        self.conninfo = {"host": parsed.host, "port": parsed.port or 5432, "dbname": parsed.database,
                         "options": f"-csearch_path={self.schema}"}

    def name(self, role: str) -> str:
        return f"t_logins_{self.tag}_{role}"

    def user(self, role: str, name: str | None = None) -> str:
        """A Mediator user of `role` with its own login, added by the administrator."""
        login = name or self.name(role)
        added = self.admin.ok("user", "add", login, "--role", role)
        assert added["role"] == role
        if login not in self.logins:
            self.logins.append(login)
        return login

    def as_login(self, login: str) -> Mediator:
        """`mediator` connected as `login`."""
        return Mediator(make_url(self.url).set(username=login).render_as_string(hide_password=False), self.capsys)

    def session(self, login: str) -> psycopg.Connection[Any]:
        """A plain psycopg session as `login`, autocommit off (each test statement is its own transaction)."""
        conn = psycopg.connect(user=login, **self.conninfo)
        self.sessions.append(conn)
        return conn

    def refused(self, login: str, sql: str, params: tuple[Any, ...] = (), commit: bool = False) -> str:
        """`sql` as `login` is an error of the database; its message (the transaction is rolled back)."""
        conn = self.session(login)
        with pytest.raises(psycopg.Error) as caught:
            conn.execute(sql, params)
            if commit:
                conn.commit()
        conn.rollback()
        # a refusal (a privilege or one of the guards, §7.2), not a typo or a missing table
        assert caught.value.sqlstate == INSUFFICIENT_PRIVILEGE, caught.value
        return str(caught.value)

    def feed(self, *lines: Any, now: str = NOW, as_: Mediator | None = None) -> Run:
        path = write_feed(self.tmp_path / f"feed-{uuid.uuid4().hex[:6]}.jsonl", lines)
        return (as_ or self.admin)("ingest", str(path), now=now)

    def close(self) -> None:
        for conn in self.sessions:
            conn.close()
        admin = create_engine(make_url(self.url).set(query={}))
        with admin.begin() as conn:
            for login in self.logins:
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
        admin.dispose()


@pytest.fixture
def server(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Iterator[Server]:
    s = Server(db_url, capsys, tmp_path)
    try:
        yield s
    finally:
        s.close()


def history_row(dispute: str, version: int, kind: str, actor: str, recorded_at: str = "now()",
                payload: str = "{}", at: str = "now()") -> str:
    return (f"INSERT INTO history (dispute_id, version, version_before, at, recorded_at, kind, party, actor, "
            f"summary, payload) VALUES ('{dispute}', {version}, {version - 1}, {at}, {recorded_at}, '{kind}', "
            f"'platform', '{actor}', 'forged', '{payload}')")


def opened_case(server: Server, total: str = "66.65", ask: str | None = None) -> None:
    assert server.feed(opened("E-open", total=total, ask=ask)).code == 0


# §7.1 ---------------------------------------------------------------------------------------------------------

def test_a_users_login_acts_as_that_user_and_as_nobody_else(server: Server) -> None:
    opened_case(server)
    clerk, other = server.user("clerk"), server.user("clerk", server.name("other"))
    as_clerk = server.as_login(clerk)

    noted = as_clerk.ok("note", "D-1", "--text", "called the buyer", now=NOW)  # no --as: the login acts
    assert noted["timeline"][-1]["summary"] == f"{clerk}: called the buyer"
    assert as_clerk.ok("note", "D-1", "--as", clerk, "--text", "again", now=NOW)["version"] == 3

    run = as_clerk("note", "D-1", "--as", other, "--text", "as someone else", now=NOW)
    assert run.code == 1
    assert run.json["error"] == f"connected as {clerk}; cannot act as {other}"
    assert server.admin.ok("show", "D-1", "--as", clerk, now=NOW)["version"] == 3
    assert as_clerk.ok("show", "D-1", now=NOW)["version"] == 3  # show and queue go through the same door
    assert [c["dispute_id"] for c in as_clerk.ok("queue", now=NOW)] == ["D-1"]


def test_a_login_that_is_no_user_is_refused_and_an_administrator_names_who_acts(server: Server) -> None:
    opened_case(server)
    stranger = server.name("stranger")
    server.logins.append(stranger)
    admin_conn = server.session("postgres")
    admin_conn.execute(f'CREATE ROLE "{stranger}" LOGIN')
    admin_conn.commit()

    run = server.as_login(stranger)("show", "D-1", now=NOW)
    assert run.code == 1 and f"login {stranger} is not a user of this database" in run.json["error"]

    run = server.admin("note", "D-1", "--text", "who?", now=NOW)  # the administrator must name --as
    assert run.code == 2 and "--as" in run.err
    clerk = server.user("clerk")
    noted = server.admin.ok("note", "D-1", "--as", clerk, "--text", "for the clerk", now=NOW)
    assert noted["timeline"][-1]["summary"] == f"{clerk}: for the clerk"


def test_an_administrator_names_who_reads_with_show_and_queue_and_a_users_login_reads_as_itself(
        server: Server) -> None:
    """§7.1's letter (decision 270): an administrator names `--as` on every command that takes it, `show` and
    `queue` included; `audit verify` alone may go without."""
    opened_case(server)
    clerk, admin = server.user("clerk"), make_url(server.url).username
    for args in (("show", "D-1"), ("queue",), ("queue", "--csv")):
        run = server.admin(*args, now=NOW)
        assert run.code == 2, args
        assert run.err.strip().endswith(
            f"mediator: error: connected as the administrator {admin}: name the user who acts with --as USER"), run.err
        assert run.out == ""
    assert server.admin.ok("show", "D-1", "--as", clerk, now=NOW)["version"] == 1
    assert [c["dispute_id"] for c in server.admin.ok("queue", "--as", clerk, now=NOW)] == ["D-1"]
    assert server.admin("audit", "verify").code == 0  # still optional for an administrator

    as_clerk = server.as_login(clerk)
    assert as_clerk.ok("show", "D-1", now=NOW)["dispute_id"] == "D-1"  # a user's login reads as itself
    assert [c["dispute_id"] for c in as_clerk.ok("queue", now=NOW)] == ["D-1"]
    assert as_clerk("show", "D-1", "--as", "someone-else", now=NOW).code == 1


def test_ingest_and_sweep_need_a_service_user(server: Server) -> None:
    clerk, service = server.user("clerk"), server.user("service")

    run = server.feed(opened("E-open"), as_=server.as_login(clerk))
    assert run.code == 1 and "ingest needs a service user or an administrator" in run.json["error"]
    run = server.as_login(clerk)("sweep", now=NOW)
    assert run.code == 1 and "sweep needs a service user" in run.json["error"]

    as_service = server.as_login(service)
    run = server.feed(opened("E-open"), as_=as_service)
    assert run.code == 0, run.err
    assert run.json["applied"] == 1
    many = [opened(f"E-open-{n}", f"D-{n + 2}", order_id=f"O-{n + 2}") for n in range(40)]  # by COPY, one check
    run = server.feed(*many, as_=as_service)
    assert run.code == 0 and run.json["applied"] == 40, run.out
    executed = as_service.ok("sweep", now=z(t(days=6)))["executed"]
    assert {e["dispute_id"] for e in executed} == {f"D-{n + 1}" for n in range(41)}


def test_user_add_is_an_administrators_and_changes_the_role_and_its_privileges(server: Server) -> None:
    opened_case(server)
    clerk = server.user("clerk")
    run = server.as_login(clerk)("user", "add", server.name("mallory"), "--role", "supervisor")
    assert run.code == 1 and "user add needs an administrator" in run.json["error"]
    from mediator_app.db.privileges import group_name

    server.user("supervisor", server.name("boss"))  # so the supervisors' group exists
    supervisors = group_name(str(server.conninfo["dbname"]), server.schema, "supervisor")
    assert "must have admin option" in server.refused(clerk, f'GRANT "{supervisors}" TO "{clerk}"')
    assert server.refused(clerk, f'SET ROLE "{supervisors}"')

    supervisor = server.user("supervisor", server.name("moved"))
    assert server.admin.ok("user", "add", supervisor, "--role", "auditor")["previous_role"] == "supervisor"
    as_auditor = server.as_login(supervisor)
    assert as_auditor.ok("show", "D-1", now=NOW)["version"] == 1
    run = as_auditor("note", "D-1", "--text", "I write nothing", now=NOW)
    assert run.code == 1 and "permission denied" in run.json["error"]
    server.refused(supervisor, history_row("D-1", 2, "note.added", supervisor))  # its old group is gone too


def test_user_names_are_normalised_and_look_alikes_refused(server: Server) -> None:
    alice = server.user("clerk", server.name("alice"))
    for look_alike in (f" {alice}", f"{alice}\u200b", "al ice", "", "a" * 64, "1abc", "feed", "sweeper"):
        run = server.admin("user", "add", look_alike, "--role", "supervisor")
        assert run.code == 1, look_alike
        assert "a user name is 1 to 63 characters" in run.json["error"] or "history's name" in run.json["error"]
    run = server.admin("user", "add", alice.upper(), "--role", "supervisor")
    assert run.code == 1 and f"is the existing user {alice!r}" in run.json["error"]
    assert [u for u in server.admin.ok("user", "list") if u["name"].startswith("t_logins_")] == [
        {"name": alice, "role": "clerk"}]
    fullwidth = server.name("wide").upper().translate({ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    assert server.admin.ok("user", "add", fullwidth, "--role", "clerk")["name"] == server.name("wide")
    server.logins.append(server.name("wide"))


def test_an_administrator_is_not_made_a_user(server: Server) -> None:
    run = server.admin("user", "add", "postgres", "--role", "clerk")
    assert run.code == 1 and "is an administrator" in run.json["error"]


# §7.2 ---------------------------------------------------------------------------------------------------------

def test_an_auditor_reads_and_writes_nothing(server: Server) -> None:
    opened_case(server)
    auditor = server.user("auditor")
    session = server.session(auditor)
    assert session.execute("SELECT count(*) FROM history").fetchone() == (1,)
    session.rollback()
    for sql in (history_row("D-1", 2, "note.added", auditor), "UPDATE disputes SET stage = 'closed'",
                "DELETE FROM presence", "INSERT INTO outbox_consumers VALUES ('x', 0, now())",
                "UPDATE users SET role = 'supervisor'"):
        assert "permission denied" in server.refused(auditor, sql)
    run = server.as_login(auditor)("note", "D-1", "--text", "x", now=NOW)
    assert run.code == 1 and "refused by the database: permission denied" in run.json["error"]


def test_nobody_changes_or_deletes_history(server: Server) -> None:
    opened_case(server)
    for role in ("clerk", "supervisor", "service"):
        login = server.user(role)
        for sql in ("UPDATE history SET summary = 'edited'", "DELETE FROM history", "TRUNCATE history"):
            assert server.refused(login, sql)
    admin = server.session("postgres")
    with pytest.raises(psycopg.Error, match="append-only"):  # even the owner, with the triggers in place
        admin.execute("TRUNCATE history CASCADE")
    admin.rollback()


def test_a_history_row_names_the_login_that_writes_it(server: Server) -> None:
    opened_case(server)
    clerk, service = server.user("clerk"), server.user("service")
    forged = history_row("D-1", 2, "note.added", "alice")
    message = server.refused(clerk, f"UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'; {forged}")
    assert f"connected as {clerk}; cannot act as alice" in message
    # a feed event (no actor) only from a service login; an executed clock from any writer
    assert "feed events are written only by a service login" in server.refused(
        clerk, history_row("D-1", 2, "message.posted", "feed"))
    assert "row without an actor" in server.refused(service, history_row("D-1", 2, "ruling.made", "sweeper"))
    assert "recorded_at is the server's clock" in server.refused(
        clerk, history_row("D-1", 2, "note.added", clerk, "now() - interval '1 day'"))
    # a forged row that is not even JSON is refused by the check it fails, not by the cast of its payload
    assert f"connected as {clerk}; cannot act as alice" in server.refused(
        clerk, history_row("D-1", 2, "note.added", "alice", payload="not json"))
    assert "recorded_at is the server's clock" in server.refused(
        clerk, history_row("D-1", 2, "note.added", clerk, "now() - interval '1 day'", payload="not json"))

    # the same through `mediator`: a clerk's note, and an expiry the clerk's action executes first (§3)
    late = z(t(days=6))
    case = server.as_login(clerk).ok("note", "D-1", "--text", "late", now=late)
    assert [e["kind"] for e in case["timeline"]][-2:] == ["clock.expired", "note.added"]
    fed = server.feed(party_message("E-msg", "buyer", z(t(days=6, hours=1))),
                      now=z(t(days=6, hours=1)), as_=server.as_login(service))
    assert fed.code == 0 and fed.json["applied"] == 1, fed.out


def test_a_users_history_row_is_never_dated_ahead_of_the_servers_clock(server: Server) -> None:
    """A clerk's `--now` a month ahead ran every clock of the case early (decision 268): nothing a user's login
    writes is dated ahead of the server's clock by more than AHEAD_ALLOWED (a marketplace clock a little fast)."""
    from mediator_app.db.privileges import AHEAD_ALLOWED

    opened_case(server)
    clerk = server.user("clerk")
    bump = "UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'; "
    role = '{"replay": {"role": "clerk"}}'
    message = server.refused(clerk, bump + history_row("D-1", 2, "note.added", clerk, payload=role,
                                                        at="clock_timestamp() + interval '1 day'"))
    assert "history of D-1 version 2 is dated" in message and "ahead of the server's clock" in message
    session = server.session(clerk)  # a little ahead is let through, as for a feed event's time
    session.execute(bump + history_row("D-1", 2, "note.added", clerk, payload=role,
                                       at=f"clock_timestamp() + interval '{AHEAD_ALLOWED}' - interval '1 minute'"))
    session.rollback()
    run = server.as_login(clerk)("note", "D-1", "--text", "a month ahead", now="2099-01-01T00:00:00Z")
    assert run.code == 1 and "ahead of the server's clock" in run.json["error"]
    assert server.admin.ok("show", "D-1", "--as", clerk, now=NOW)["version"] == 1  # no clock ran
    # the service relays the marketplace's times: a feed event dated a little ahead is applied, not refused
    ahead = (datetime.now(timezone.utc) + timedelta(minutes=10)).isoformat()
    fed = server.feed(party_message("E-ahead", "buyer", ahead), now=ahead, as_=server.as_login(server.user("service")))
    assert fed.code == 0 and fed.json["applied"] == 1, fed.out


def test_a_history_row_comes_with_its_disputes_change(server: Server) -> None:
    """A lone history row took the dispute's next version, and every later writer of the dispute (ingest, the
    sweeper, clerks) then failed on it (decision 268)."""
    opened_case(server)
    clerk = server.user("clerk")
    lone = history_row("D-1", 2, "note.added", clerk, payload='{"replay": {"role": "clerk"}}')
    assert "history of D-1 version 2 is written without its dispute's change" in server.refused(clerk, lone)
    assert "without its dispute's change" in server.refused(  # nor ahead of a change to a lower version
        clerk, "UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'; "
        + history_row("D-1", 3, "note.added", clerk, payload='{"replay": {"role": "clerk"}}'))
    assert server.as_login(clerk).ok("note", "D-1", "--text", "paired", now=NOW)["version"] == 2


def test_a_row_without_an_actor_is_a_feed_event_or_an_executed_clock(server: Server) -> None:
    """A service login wrote `ruling.made` as the feed, so that a supervisor's approval of his own ruling met
    another maker (decision 268)."""
    opened_case(server)
    service = server.user("service")
    bump = "UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'; "
    assert "ruling.made is no feed event" in server.refused(service, bump + history_row("D-1", 2, "ruling.made", "feed"))
    session = server.session(service)  # a feed event's own kind is the service's to write
    session.execute(bump + history_row("D-1", 2, "message.posted", "feed"))
    session.rollback()


def test_approvals_need_a_supervisor_who_did_not_make_the_ruling(server: Server) -> None:
    opened_case(server, total="600.00", ask="500.00")
    clerk, supervisor = server.user("clerk"), server.user("supervisor")
    other = server.user("supervisor", server.name("other"))
    ruled = server.as_login(supervisor).ok("rule", "D-1", "--adopt", "buyer", now=NOW)
    assert ruled["stage"] == "pending_approval"

    bump = "UPDATE disputes SET version = 3, stage = 'closed' WHERE dispute_id = 'D-1'; "
    assert "ruling.approved (history of D-1 version 3) needs a supervisor" in server.refused(
        clerk, bump + history_row("D-1", 3, "ruling.approved", clerk))
    assert "nobody approves or sends back their own" in server.refused(
        supervisor, bump + history_row("D-1", 3, "ruling.approved", supervisor))
    assert "nobody approves or sends back their own" in server.refused(
        supervisor, bump + history_row("D-1", 3, "approval.sent_back", supervisor))

    approved = server.as_login(other).ok("approve", "D-1", now=z(t(hours=2)))
    assert approved["stage"] == "closed"
    assert approved["timeline"][-1]["kind"] == "ruling.approved"


@pytest.mark.parametrize("role", ["service", "supervisor"])
def test_no_writer_names_another_actor(server: Server, role: str) -> None:
    """Check 4 of §7.2 for the other writers: a service login names no user at all (not even its own name), a
    supervisor only themself."""
    opened_case(server)
    login = server.user(role)
    bump = "UPDATE disputes SET version = 2 WHERE dispute_id = 'D-1'; "
    for actor in ("alice", login):
        if actor == login and role != "service":
            continue
        assert f"connected as {login}; cannot act as {actor}" in server.refused(
            login, bump + history_row("D-1", 2, "note.added", actor, payload='{"replay": {"role": "%s"}}' % role))


def test_a_platform_proposal_is_approved_by_a_supervisor_who_did_not_post_it(server: Server) -> None:
    opened_case(server, total="600.00", ask="550.00")
    clerk, supervisor = server.user("clerk"), server.user("supervisor")
    posted = server.as_login(supervisor).ok("propose", "D-1", "--remedy", "refund", "--amount", "550.00", now=NOW)
    assert posted["stage"] == "pending_approval", posted["stage"]
    bump = "UPDATE disputes SET version = 3 WHERE dispute_id = 'D-1'; "
    assert "platform_proposal.approved (history of D-1 version 3) needs a supervisor" in server.refused(
        clerk, bump + history_row("D-1", 3, "platform_proposal.approved", clerk))
    assert "nobody approves or sends back their own" in server.refused(
        supervisor, bump + history_row("D-1", 3, "platform_proposal.approved", supervisor))
    run = server.as_login(supervisor)("approve", "D-1", now=z(t(hours=2)))
    assert run.code == 1 and "own" in run.json["error"]


@pytest.mark.parametrize("role", ["supervisor", "service"])
def test_every_writer_changes_a_dispute_only_with_its_history_row(server: Server, role: str) -> None:
    """The pairing check of §7.2 for the other writers than the clerk, and a new dispute row too (the service
    writes those)."""
    opened_case(server)
    login = server.user(role)
    assert "without the history row of that version" in server.refused(
        login, "UPDATE disputes SET stage = 'closed', version = 2 WHERE dispute_id = 'D-1'", commit=True)
    if role == "service":  # D-1's row copied as D-9 (on another order): a new dispute without its first row
        session = server.session("postgres")
        columns = [r[0] for r in session.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = 'disputes' "
            "AND column_name NOT IN ('dispute_id', 'order_id')", (server.schema,))]
        session.rollback()
        copied = (f"INSERT INTO disputes (dispute_id, order_id, {', '.join(columns)}) "
                  f"SELECT 'D-9', 'O-9', {', '.join(columns)} FROM disputes WHERE dispute_id = 'D-1'")
        assert "D-9 changed to version 1 without the history row" in server.refused(login, copied, commit=True)


def test_a_dispute_changes_only_with_the_history_row_of_its_new_version(server: Server) -> None:
    opened_case(server)
    clerk = server.user("clerk")
    message = server.refused(clerk, "UPDATE disputes SET stage = 'closed', version = 2 WHERE dispute_id = 'D-1'",
                             commit=True)
    assert "without the history row of that version" in message
    message = server.refused(clerk, "UPDATE disputes SET stage = 'closed' WHERE dispute_id = 'D-1'", commit=True)
    assert "without the history row of that version" in message
    assert server.admin.ok("show", "D-1", "--as", clerk, now=NOW)["stage"] != "closed"
    assert server.as_login(clerk).ok("claim", "D-1", now=NOW)["version"] == 2


def test_users_evidence_and_rejected_lines_are_out_of_a_users_reach(server: Server) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    from tests.db.feeds import evidence

    opened_case(server)
    assert server.feed(evidence("E-ev", "buyer", z(t(minutes=30)), png), "not json").code == 1
    for role in ("clerk", "supervisor", "service"):
        login = server.user(role)
        for sql in ("UPDATE evidence SET content = 'x'", "DELETE FROM evidence", "TRUNCATE evidence",
                    "UPDATE rejected_lines SET raw = 'x'", "DELETE FROM rejected_lines",
                    "UPDATE users SET role = 'supervisor'", "INSERT INTO users VALUES ('mallory', 'supervisor', now())",
                    "DELETE FROM users", "ALTER TABLE history DISABLE TRIGGER USER",
                    "INSERT INTO replay_baselines VALUES ('D-1', 1, '{}', now())", "DELETE FROM replay_baselines",
                    "UPDATE replay_baselines SET state = '{}'", "ALTER TABLE disputes DISABLE TRIGGER USER"):
            assert server.refused(login, sql), (role, sql)


def test_a_users_change_of_a_dispute_from_before_the_replay_records_keeps_its_baseline(server: Server) -> None:
    """The database keeps the row as it was (decision 269) though the clerk's login may not write the table."""
    opened_case(server)
    admin = server.session("postgres")
    admin.execute("UPDATE disputes SET legacy = true WHERE dispute_id = 'D-1'")  # as revision 0017 marks one
    admin.commit()
    clerk = server.user("clerk")
    assert server.as_login(clerk).ok("note", "D-1", "--text", "x", now=NOW)["version"] == 2
    assert admin.execute("SELECT dispute_id, version FROM replay_baselines").fetchall() == [("D-1", 1)]
    assert admin.execute("SELECT legacy FROM disputes").fetchall() == [(None,)]
    admin.rollback()


def test_no_login_of_a_user_owns_a_table(server: Server) -> None:
    logins = [server.user(role) for role in ("clerk", "supervisor", "auditor", "service")]
    session = server.session("postgres")
    owners = {row[0] for row in session.execute(
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = %s", (server.schema,))}
    session.rollback()
    assert owners == {"postgres"}
    assert not owners & set(logins)


def test_bundle_sync_applies_drafts_as_the_connections_login(server: Server) -> None:
    from mediator_app import cli

    opened_case(server)
    clerk, other = server.user("clerk"), server.user("clerk", server.name("other"))
    bundle = server.tmp_path / "desk.mcase"
    as_clerk = server.as_login(clerk)
    assert as_clerk.ok("bundle", "export", "--out", str(bundle), "--ids", "D-1", now=NOW)["disputes"] == 1
    assert cli.main(["--bundle", str(bundle), "--json", "--now", NOW, "note", "D-1", "--as", clerk,
                     "--text", "written on the train"]) == 0

    run = as_clerk("bundle", "sync", str(bundle), "--as", other, now=NOW)
    assert run.code == 1 and run.json["error"] == f"connected as {clerk}; cannot act as {other}"
    report = as_clerk.ok("bundle", "sync", str(bundle), now=NOW)
    assert [a["dispute_id"] for a in report["applied"]] == ["D-1"]
    case = server.admin.ok("show", "D-1", "--as", clerk, now=NOW)
    assert case["timeline"][-1]["summary"] == f"{clerk}: written on the train"
