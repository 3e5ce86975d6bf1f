"""Who is acting (§7.1): the one place that turns a connection and an `--as` into the acting user.

Every command, the window and `bundle sync` ask here. On PostgreSQL the connection's login decides: a login
that is a Mediator user of this database acts as that user (an `--as` naming anyone else is refused); an
administrator (a superuser, or a member of the role that owns the schema) is trusted to act as the user it
names; any other login is refused. On SQLite whoever opens the file acts, and `--as` names who.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection

from mediator_app.db import privileges, store
from mediator_app.domain.errors import Rejection

from .context import Context
from .reading import read

#: Who reads and acks the outbound feed through `mediator outbox` (§8.2; decision 133): the service user that
#: delivers it, and administrators. (An auditor still reads the `outbox` table itself: it reads every table.)
OUTBOX_READERS: Final = ("service",)
OUTBOX_ACKERS: Final = ("service",)


class MissingActor(Rejection):
    """An `--as` is needed and was not given: a usage error (exit 2) on the command line."""


@dataclass(frozen=True)
class Login:
    """A connection's login as this database sees it. On SQLite `name` is None (the file is the workstation)."""

    name: str | None
    admin: bool
    user: str | None  # the Mediator user of this login, if it is one
    role: str | None  # that user's role

    @property
    def embedded(self) -> bool:
        return self.name is None


def login_of(ctx: Context) -> Login:
    """The connection's login and its user: one read (each time: an administrator may change a role)."""
    if ctx.engine.dialect.name != "postgresql" or ctx.bundle is not None:
        return Login(None, False, None, None)
    return read(ctx, _read_login)


def _read_login(conn: Connection) -> Login:
    name = privileges.login_name(conn)
    role = store.get_user_role(conn, name) if privileges.can_read_users(conn) else None
    return Login(name, privileges.is_admin(conn), name if role is not None else None, role)


def acting_user(ctx: Context, named: str | None, required: bool = True,
                workstation_required: bool | None = None) -> str | None:
    """Who acts: the login's user, or the user an administrator (or an SQLite workstation) names with `--as`.

    `required` False (`audit verify`, and the reading commands that take no `--as`): an administrator or an SQLite
    workstation may leave `--as` out and then reads as nobody in particular (None). `workstation_required`, when
    given, decides that for an SQLite workstation alone (`show`, `queue`: False, while an administrator must
    name `--as` on them, §7.1; decision 270)."""
    login = login_of(ctx)
    if login.embedded:
        if named is None and (required if workstation_required is None else workstation_required):
            raise MissingActor("name the user who acts with --as USER")
        return named
    if login.user is not None:
        if named is not None and named != login.user:
            raise Rejection(f"connected as {login.user}; cannot act as {named}")
        return login.user
    if login.admin:
        if named is None and required:
            raise MissingActor(f"connected as the administrator {login.name}: name the user who acts with --as USER")
        return named
    raise Rejection(f"login {login.name} is not a user of this database; an administrator adds it with "
                    f"`mediator user add {login.name} --role ROLE`")


def require_reader(ctx: Context) -> None:
    """`show`, `queue` and the other reading commands without `--as`: any user of this database or an
    administrator (SQLite: whoever opens the file)."""
    acting_user(ctx, None, required=False)


def require_service(ctx: Context, what: str) -> None:
    """`ingest`, `sweep`: a service user or an administrator (§7.1)."""
    _require_role(ctx, ("service",), f"{what} needs a service user or an administrator")


def require_admin(ctx: Context, what: str) -> None:
    """`user add` (and the demo, which writes users): an administrator only, on PostgreSQL."""
    _require_role(ctx, (), f"{what} needs an administrator (the schema's owner or a superuser)")


def authorize_outbox(ctx: Context, what: str) -> None:
    """Who may read (`read`, `follow`, `consumers`) or ack the outbound feed."""
    allowed = OUTBOX_ACKERS if what == "ack" else OUTBOX_READERS
    _require_role(ctx, allowed, f"the outbound feed's {what} needs a {' or '.join(allowed)} user or an "
                                "administrator")


def _require_role(ctx: Context, roles: tuple[str, ...], message: str) -> None:
    login = login_of(ctx)
    if login.embedded or login.admin:
        return
    if login.user is None:
        acting_user(ctx, None)  # refuses with the login's reason
    if login.role not in roles:
        raise Rejection(f"{message}; connected as {login.user} ({login.role})")
