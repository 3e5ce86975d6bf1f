"""Workstation users and their roles (§7.1): on PostgreSQL each user is a login of the server, a member of its
role's group in this database (`db/privileges.py`)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from mediator_app.db import privileges, store
from mediator_app.domain.errors import Rejection
from mediator_app.domain.permissions import ROLES
from mediator_app.domain.user_names import check_user_name, look_alike

from . import acting
from .context import Context
from .reading import read


@dataclass(frozen=True)
class Added:
    name: str  # as stored (NFKC, lower-case)
    role: str
    previous_role: str | None  # the role it had before (None: a new user)
    login_created: bool = False  # PostgreSQL: the server had no login of that name

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "previous_role": self.previous_role,
                "login_created": self.login_created}


def add_user(ctx: Context, name: str, role: str, password: str | None = None) -> Added:
    """Add user `name` with `role`, or give an existing user another role (and its privileges). On PostgreSQL
    only an administrator may, and the login is made if the server has none (`password`: its password)."""
    if role not in ROLES:
        raise Rejection(f"role must be one of {', '.join(ROLES)} (got {role!r})")
    stored = check_user_name(name)
    postgres = ctx.engine.dialect.name == "postgresql" and ctx.bundle is None
    if postgres:
        acting.require_admin(ctx, "user add")
    if password is not None and not postgres:
        raise Rejection("--password-stdin is for PostgreSQL logins (an SQLite workstation has no passwords)")
    with ctx.engine.begin() as conn:
        previous = store.get_user_role(conn, stored)
        if previous is not None and stored != name:
            raise Rejection(f"{name!r} is the existing user {stored!r}: to change that user's role, name it as "
                            f"{stored}")
        older = look_alike(stored, (n for n, _ in store.list_users(conn))) if previous is None else None
        if older is not None:  # stored before names were checked (revision 0010): it keeps its name
            raise Rejection(f"{name!r} is the existing user {older!r}: no two users may look alike")
        made = _login(conn, stored, role, password) if postgres else False
        if previous is None:
            store.add_user(conn, stored, role, ctx.clock.now())
        elif previous != role:
            store.set_user_role(conn, stored, role)
    return Added(stored, role, previous, made)


def _login(conn: Connection, name: str, role: str, password: str | None) -> bool:
    if privileges.is_administrator_login(conn, name):
        raise Rejection(f"login {name} is an administrator (a superuser or the schema's owner): an administrator "
                        "is not made a user (no user's login owns a table)")
    verifier = privileges.scram_verifier(conn, name, password) if password is not None else None
    return privileges.set_login(conn, name, role, verifier)


def list_users(ctx: Context) -> list[tuple[str, str]]:
    return read(ctx, store.list_users)

