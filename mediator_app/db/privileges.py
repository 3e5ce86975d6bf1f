"""What the database itself refuses (§7.2, PostgreSQL): group roles per database and schema, their grants, and
the triggers that judge what a user's login writes.

Logins are the server's; roles are this database's. Each Mediator role of a schema is a group role
(`group_name`), named from a digest of the database and the schema so that databases and schemas on one server
never share one (a login is a clerk here and a supervisor there). A user's login is a member of exactly one
group of the schema. No group owns anything, so no user can disable a trigger or alter a table.

The checks run for every login that is not an administrator (a superuser, or a member of the role that owns
the schema: the one that ran `db upgrade`), whoever the program is. An administrator is trusted (the service,
scripts, tests), as §7.1 says; what even an administrator or superuser does is only detected (§7.3).
Every function is schema-qualified and pins its `search_path`, so a session's own search path or temporary
tables cannot stand in for ours.
"""
from __future__ import annotations

import hashlib
from typing import Final, Sequence

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from mediator_app.domain.audit_chain import REPLAY_KEY
from mediator_app.domain.events import SENDERS
from mediator_app.domain.outbound import ACTION_KINDS, TYPES as OUTBOUND_TYPES

#: The privileges of each role on the tables (every role reads every table; `USAGE` on the schema and its
#: sequences is given to the writers). Nothing else: no user writes `users`, `database_identity` or
#: `alembic_version`, nor changes or deletes a history row, evidence or a rejected line.
WRITES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "auditor": (),
    "clerk": (("UPDATE", "disputes"), ("INSERT", "history"), ("INSERT", "outbox"), ("INSERT", "sync_conflicts"),
              ("INSERT, UPDATE, DELETE", "presence")),
    "service": (("INSERT, UPDATE", "disputes"), ("INSERT", "dispute_search"), ("INSERT", "history"),
                ("INSERT", "evidence"), ("INSERT", "outbox"), ("INSERT, UPDATE", "outbox_consumers"),
                ("INSERT", "rejected_lines"),
                # a line rejected again counts once more (store.record_rejection); its bytes never change
                ("UPDATE (times, last_received_at, reason)", "rejected_lines")),
}
WRITES["supervisor"] = WRITES["clerk"]
ROLE_NAMES: Final = ("clerk", "supervisor", "auditor", "service")
#: The history rows of a supervisor's four-eyes decision (§7.2), and the rows that made what they decide on
APPROVAL_KINDS: Final = ("ruling.approved", "platform_proposal.approved", "approval.sent_back")
MAKER_KINDS: Final = ("ruling.made", "platform_proposal.posted")
#: The kinds of the rows a feed event writes (its type): the only rows, with executed clocks, without an actor
FEED_KINDS: Final = tuple(SENDERS)
#: How far ahead of the server's clock a clerk's or supervisor's login may date a history row (decision 268): an
#: action is dated by the database's clock and never ahead; the margin is for a workstation's clock read a
#: moment before. The service's rows are not held to it: ingest judges a feed event at the marketplace's `at`.
AHEAD_ALLOWED: Final = "5 minutes"


def group_name(database: str, schema: str, role: str) -> str:
    """The group role of `role` in this database and schema (at most 63 bytes, as PostgreSQL allows)."""
    digest = hashlib.sha256(f"{database}\x1f{schema}".encode()).hexdigest()[:12]
    return f"mediator_{digest}_{role}"


def group_names(database: str, schema: str) -> list[str]:
    return [group_name(database, schema, role) for role in ROLE_NAMES]


def where(conn: Connection) -> tuple[str, str]:
    """(database, schema) of this connection: the schema its tables are in (the search path's first)."""
    row = conn.exec_driver_sql("SELECT current_database(), current_schema()").one()
    return str(row[0]), str(row[1])


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def install_sql(schema: str) -> list[str]:
    """The functions and triggers of §7.2 in `schema` (migration 0010)."""
    s = _ident(schema)
    kinds = ", ".join(_literal(k) for k in APPROVAL_KINDS)
    makers = ", ".join(_literal(k) for k in MAKER_KINDS)
    feed_kinds = ", ".join(_literal(k) for k in FEED_KINDS)
    types = ", ".join(_literal(k) for k in OUTBOUND_TYPES)
    action_kinds = "CASE a.type " + " ".join(
        f"WHEN {_literal(t)} THEN h.kind IN ({', '.join(_literal(k) for k in ACTION_KINDS[t])})"
        for t in OUTBOUND_TYPES) + " ELSE false END"
    refuse = "USING ERRCODE = 'insufficient_privilege'"
    # the role an action row records for its replay (§7.3); feed rows and executed clocks are never parsed, and
    # a row is parsed only once it passed checks 1-6 (CASE evaluates its branches in order, lazily), so a forged
    # row that is not JSON is refused by the check it fails, not by the cast
    def role_of(row: str) -> str:
        return (f"(CASE WHEN {row}.actor IN ('feed', 'sweeper') THEN login_role "
                f"ELSE {row}.payload::jsonb -> {_literal(REPLAY_KEY)} ->> 'role' END)")

    role_of_a, role_of_c = role_of("a"), role_of("c")
    return [
        # PL/pgSQL, not SQL: a SQL function with SET is never inlined and its body is planned again in every
        # statement that calls it (~0.13 ms each: the history check, the outbox check and the WHEN of the
        # disputes' deferred trigger, three to four times a decision); PL/pgSQL keeps its plan for the session.
        # A superuser is a member of every role (PostgreSQL's is_member_of_role), so pg_has_role answers for both.
        f"""CREATE FUNCTION {s}.mediator_is_admin() RETURNS boolean LANGUAGE plpgsql STABLE
            SET search_path = pg_catalog, pg_temp AS $$
            BEGIN
                -- a superuser is a member of every role; asked on its own too, should the owner's lookup fail
                RETURN COALESCE(pg_catalog.pg_has_role(session_user, (SELECT n.nspowner FROM pg_catalog.pg_namespace n
                                                                      WHERE n.nspname = {_literal(schema)}), 'MEMBER'),
                                false)
                    OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user);
            END $$""",
        # one call per INSERT statement, over the rows it added (a feed chunk's COPY is one statement)
        f"""CREATE FUNCTION {s}.mediator_history_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp AS $$
            DECLARE
                login text := session_user;
                login_role text;
                bad record;
            BEGIN
                IF {s}.mediator_is_admin() THEN
                    RETURN NULL;
                END IF;
                SELECT u.role INTO login_role FROM {s}.users u WHERE u.name = login;
                IF login_role IS NULL THEN
                    RAISE EXCEPTION 'login % is not a Mediator user of this database', login {refuse};
                END IF;
                IF login_role NOT IN ('clerk', 'supervisor', 'service') THEN
                    RAISE EXCEPTION '% is an %: it writes no history', login, login_role {refuse};
                END IF;
                -- every check of the added rows in one pass (one query, not seven: each costs its own executor
                -- start): per row the first check it fails, and of all rows the lowest, so the refusal is the
                -- one the checks in this order would give. The role an action records for its replay (§7.3) is
                -- the login's (decision 210); feed rows and executed clocks are never parsed.
                SELECT c.failed, c.dispute_id, c.version, c.recorded_at, c.at, c.actor, c.kind,
                    CASE WHEN c.failed = 7 THEN {role_of_c} END AS role INTO bad FROM (
                    SELECT CASE
                        WHEN a.recorded_at IS DISTINCT FROM now() THEN 1
                        WHEN a.actor = 'feed' AND login_role <> 'service' THEN 2
                        WHEN a.actor = 'sweeper' AND a.kind <> 'clock.expired' THEN 3
                        WHEN a.actor NOT IN ('feed', 'sweeper') AND (a.actor <> login OR login_role = 'service')
                            THEN 4
                        WHEN a.kind IN ({kinds}) AND (login_role <> 'supervisor' OR a.actor <> login) THEN 5
                        WHEN a.kind IN ({kinds}) AND a.actor = (
                            SELECT h.actor FROM {s}.history h
                            WHERE h.dispute_id = a.dispute_id AND h.version < a.version AND h.kind IN ({makers})
                            ORDER BY h.version DESC LIMIT 1) THEN 6
                        WHEN {role_of_a} IS DISTINCT FROM login_role THEN 7
                        WHEN a.actor = 'feed' AND a.kind NOT IN ({feed_kinds}) THEN 8
                        WHEN login_role <> 'service' AND a.at > clock_timestamp() + interval '{AHEAD_ALLOWED}'
                            THEN 9
                        WHEN NOT EXISTS (SELECT 1 FROM {s}.disputes d
                                         WHERE d.dispute_id = a.dispute_id AND d.version >= a.version
                                           AND d.xmin::text::bigint = txid_current() % 4294967296) THEN 10
                    END AS failed, a.dispute_id, a.version, a.recorded_at, a.at, a.actor, a.kind, a.payload
                    FROM added a) c
                    WHERE c.failed IS NOT NULL ORDER BY c.failed LIMIT 1;
                IF NOT FOUND THEN
                    RETURN NULL;
                ELSIF bad.failed = 1 THEN
                    RAISE EXCEPTION 'history of % version %: recorded_at is the server''s clock (now()), not %',
                        bad.dispute_id, bad.version, bad.recorded_at {refuse};
                ELSIF bad.failed = 2 THEN
                    RAISE EXCEPTION 'history of % version %: feed events are written only by a service login or an administrator (connected as %)',
                        bad.dispute_id, bad.version, login {refuse};
                ELSIF bad.failed = 3 THEN
                    RAISE EXCEPTION 'history of % version %: a row without an actor is a feed event or an executed clock',
                        bad.dispute_id, bad.version {refuse};
                ELSIF bad.failed = 4 THEN
                    RAISE EXCEPTION 'connected as %; cannot act as % (history of % version %)',
                        login, bad.actor, bad.dispute_id, bad.version {refuse};
                ELSIF bad.failed = 5 THEN
                    RAISE EXCEPTION '% (history of % version %) needs a supervisor (connected as %, a %)',
                        bad.kind, bad.dispute_id, bad.version, login, login_role {refuse};
                ELSIF bad.failed = 6 THEN
                    RAISE EXCEPTION '% (history of % version %): nobody approves or sends back their own ruling or proposal',
                        bad.kind, bad.dispute_id, bad.version {refuse};
                ELSIF bad.failed = 8 THEN
                    RAISE EXCEPTION 'history of % version %: % is no feed event (a row without an actor is one of the feed''s events or an executed clock)',
                        bad.dispute_id, bad.version, bad.kind {refuse};
                ELSIF bad.failed = 9 THEN
                    RAISE EXCEPTION 'history of % version % is dated %, ahead of the server''s clock (%): nothing is recorded before it happens',
                        bad.dispute_id, bad.version, bad.at, clock_timestamp() {refuse};
                ELSIF bad.failed = 10 THEN
                    RAISE EXCEPTION 'history of % version % is written without its dispute''s change to that version in the same transaction',
                        bad.dispute_id, bad.version {refuse};
                END IF;
                RAISE EXCEPTION 'history of % version % records the role %, but % is a %',
                    bad.dispute_id, bad.version, COALESCE(bad.role, 'of nobody'), login, login_role {refuse};
            END $$""",
        f"""CREATE TRIGGER mediator_history_check AFTER INSERT ON {s}.history
            REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {s}.mediator_history_check()""",
        # at commit: every dispute row a user's login changed has the history row of its new version, written in
        # this transaction (same session, so same login)
        f"""CREATE FUNCTION {s}.mediator_dispute_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM {s}.history h
                               WHERE h.dispute_id = NEW.dispute_id AND h.version = NEW.version
                                 AND h.xmin::text::bigint = txid_current() % 4294967296) THEN
                    RAISE EXCEPTION 'dispute % changed to version % without the history row of that version in the same transaction',
                        NEW.dispute_id, NEW.version {refuse};
                END IF;
                RETURN NULL;
            END $$""",
        f"""CREATE CONSTRAINT TRIGGER mediator_dispute_needs_history AFTER INSERT OR UPDATE ON {s}.disputes
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT {s}.mediator_is_admin())
            EXECUTE FUNCTION {s}.mediator_dispute_check()""",
        # §8.1: never an event without its change (decision 211). A user's login may INSERT into `outbox` (its
        # actions write their events), so each event must belong to a history row of its version written in
        # this transaction, be consistent with its own id, and a `dispute.closed` must carry the outcome of the
        # closed dispute (the refund the marketplace pays); the skip test's switch is the administrators'.
        f"""CREATE FUNCTION {s}.mediator_outbox_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = pg_catalog, pg_temp AS $$
            DECLARE
                bad record;
            BEGIN
                IF {s}.mediator_is_admin() THEN
                    RETURN NULL;
                END IF;
                IF coalesce(current_setting('mediator.outbox_naive', true), '') = 'on' THEN
                    RAISE EXCEPTION 'the outbound feed''s commit order (mediator.outbox_naive) is switched off only by an administrator' {refuse};
                END IF;
                SELECT a.event_id INTO bad FROM (SELECT x.*, x.body::jsonb AS j FROM added x) a
                    LEFT JOIN {s}.disputes d ON d.dispute_id = a.dispute_id
                    WHERE NOT EXISTS (SELECT 1 FROM {s}.history h
                                      WHERE h.dispute_id = a.dispute_id AND h.version = a.version
                                        AND h.xmin::text::bigint = txid_current() % 4294967296
                                        AND (h.actor = 'feed' OR {action_kinds}))
                       OR a.type NOT IN ({types})
                       OR a.event_id IS DISTINCT FROM 'OUT-' || a.dispute_id || '-' || a.version || '-' || a.type
                       OR (a.j ->> 'event_id') IS DISTINCT FROM a.event_id
                       OR (a.j ->> 'type') IS DISTINCT FROM a.type
                       OR (a.j ->> 'dispute_id') IS DISTINCT FROM a.dispute_id
                       OR (a.j -> 'version') IS DISTINCT FROM to_jsonb(a.version)
                       OR (a.type = 'dispute.closed' AND ((d.state::jsonb ->> 'stage') IS DISTINCT FROM 'closed'
                           OR (a.j -> 'outcome') IS DISTINCT FROM (d.state::jsonb -> 'outcome')))
                    LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION 'outbound event % has no change of its own in this transaction, or does not match it',
                        bad.event_id {refuse};
                END IF;
                RETURN NULL;
            END $$""",
        f"""CREATE TRIGGER mediator_outbox_check AFTER INSERT ON {s}.outbox
            REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {s}.mediator_outbox_check()""",
        f"""CREATE FUNCTION {s}.mediator_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: TRUNCATE is refused', TG_TABLE_NAME {refuse};
            END $$""",
        f"""CREATE TRIGGER mediator_history_no_truncate BEFORE TRUNCATE ON {s}.history
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.mediator_no_truncate()""",
        f"""CREATE TRIGGER mediator_evidence_no_truncate BEFORE TRUNCATE ON {s}.evidence
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.mediator_no_truncate()""",
        f"""CREATE TRIGGER mediator_rejected_lines_no_truncate BEFORE TRUNCATE ON {s}.rejected_lines
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.mediator_no_truncate()""",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {s}.mediator_history_check(), {s}.mediator_dispute_check(), "
        f"{s}.mediator_outbox_check() FROM PUBLIC",
    ]


def uninstall_sql(schema: str) -> list[str]:
    s = _ident(schema)
    return [f"DROP TRIGGER IF EXISTS mediator_history_check ON {s}.history",
            f"DROP TRIGGER IF EXISTS mediator_dispute_needs_history ON {s}.disputes",
            f"DROP TRIGGER IF EXISTS mediator_outbox_check ON {s}.outbox",
            f"DROP TRIGGER IF EXISTS mediator_history_no_truncate ON {s}.history",
            f"DROP TRIGGER IF EXISTS mediator_evidence_no_truncate ON {s}.evidence",
            f"DROP TRIGGER IF EXISTS mediator_rejected_lines_no_truncate ON {s}.rejected_lines",
            f"DROP FUNCTION IF EXISTS {s}.mediator_history_check()",
            f"DROP FUNCTION IF EXISTS {s}.mediator_dispute_check()",
            f"DROP FUNCTION IF EXISTS {s}.mediator_outbox_check()",
            f"DROP FUNCTION IF EXISTS {s}.mediator_no_truncate()",
            f"DROP FUNCTION IF EXISTS {s}.mediator_is_admin()"]


def grant_sql(schema: str, group: str, role: str) -> list[str]:
    """What `role`'s group may do in `schema`: read everything, and the writes of `WRITES`."""
    s, g = _ident(schema), _ident(group)
    out = [f"GRANT USAGE ON SCHEMA {s} TO {g}", f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {g}"]
    if WRITES[role]:
        out.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {g}")
    out += [f"GRANT {privileges} ON {s}.{_ident(table)} TO {g}" for privileges, table in WRITES[role]]
    return out


def is_admin(conn: Connection) -> bool:
    """Whether this connection's login is an administrator of the schema (superuser, or member of its owner)."""
    return bool(conn.exec_driver_sql(
        "SELECT COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) "
        "OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), "
        "'MEMBER')").scalar_one())


def can_read_users(conn: Connection) -> bool:
    """Whether this login sees a `users` table here (a login with no group in this schema sees none)."""
    return bool(conn.exec_driver_sql(
        "SELECT to_regclass('users') IS NOT NULL AND has_table_privilege('users', 'SELECT')").scalar_one())


def login_name(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SELECT session_user").scalar_one())


def ensure_group(conn: Connection, role: str) -> str:
    """The group of `role` in this schema, made if missing, with its grants given (again: a table added by a
    later migration is granted here too)."""
    database, schema = where(conn)
    group = group_name(database, schema, role)
    _create_role(conn, group, login=False, comment=f"Mediator {role}s of database {database}, schema {schema}")
    for statement in grant_sql(schema, group, role):
        conn.exec_driver_sql(statement)
    return group


def reinstall(conn: Connection) -> None:
    """The guards dropped and made again as this code writes them, and every group's grants given again (the
    revisions that change the guards: 0013, 0015). PostgreSQL only."""
    _, schema = where(conn)
    for statement in uninstall_sql(schema) + install_sql(schema):
        conn.execute(text(statement))
    regrant(conn)


def regrant(conn: Connection) -> None:
    """Give every existing group of this schema its grants again (a migration that adds a table calls this)."""
    database, schema = where(conn)
    for role in ROLE_NAMES:
        group = group_name(database, schema, role)
        if _role_exists(conn, group):
            for statement in grant_sql(schema, group, role):
                conn.exec_driver_sql(statement)


def _role_exists(conn: Connection, name: str) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).first() is not None


def _create_role(conn: Connection, name: str, login: bool, comment: str | None = None) -> bool:
    """CREATE ROLE unless the server has it (another session may be making it at the same moment: its
    duplicate is taken as there). True when made here."""
    if _role_exists(conn, name):
        return False
    try:
        with conn.begin_nested():
            conn.exec_driver_sql(f"CREATE ROLE {_ident(name)} {'LOGIN' if login else 'NOLOGIN'}")
            if comment:
                conn.exec_driver_sql(f"COMMENT ON ROLE {_ident(name)} IS {_literal(comment)}")
    except DBAPIError as exc:  # a concurrent CREATE of the same name: duplicate_object or unique_violation
        if getattr(exc.orig, "sqlstate", None) not in ("42710", "23505"):
            raise
        return False
    return True


def set_login(conn: Connection, name: str, role: str, password_verifier: str | None) -> bool:
    """Make `name` a login of the server if it has none, and a member of exactly `role`'s group of this schema;
    `password_verifier` (a SCRAM verifier, never the password) sets its password. True when the login was made."""
    made = _create_role(conn, name, login=True)
    if password_verifier is not None:
        conn.exec_driver_sql(f"ALTER ROLE {_ident(name)} PASSWORD {_literal(password_verifier)}")
    group = ensure_group(conn, role)
    database, schema = where(conn)
    for other in ROLE_NAMES:
        other_group = group_name(database, schema, other)
        if other != role and _role_exists(conn, other_group):
            conn.exec_driver_sql(f"REVOKE {_ident(other_group)} FROM {_ident(name)}")
    conn.exec_driver_sql(f"GRANT {_ident(group)} TO {_ident(name)}")
    return made


def is_administrator_login(conn: Connection, name: str) -> bool:
    """Whether login `name` (if the server has it) is a superuser or a member of the schema's owner."""
    return bool(conn.exec_driver_sql(
        "SELECT rolsuper OR pg_has_role(oid, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), "
        "'MEMBER') FROM pg_roles WHERE rolname = %s", (name,)).scalar_one_or_none())


def scram_verifier(conn: Connection, name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password` for login `name`, made by libpq on this side: the password
    itself never travels in a statement (nor lands in the server's log)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return bytes(driver.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")).decode()


def drop_groups(conn: Connection, database: str, schema: str, names: Sequence[str] | None = None) -> None:
    """Drop this schema's groups (after the schema itself was dropped: they then hold no privileges)."""
    for group in names or group_names(database, schema):
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {_ident(group)}")
