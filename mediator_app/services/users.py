"""Workstation users and their roles."""
from __future__ import annotations

from mediator_app.db import store
from mediator_app.domain.permissions import ROLES
from mediator_app.domain.errors import Rejection

from .context import Context
from .reading import read


def add_user(ctx: Context, name: str, role: str) -> None:
    if role not in ROLES:
        raise Rejection(f"role must be one of {', '.join(ROLES)} (got {role!r})")
    if not name.strip():
        raise Rejection("a user needs a name")
    with ctx.engine.begin() as conn:
        if store.get_user_role(conn, name) is not None:
            raise Rejection(f"user {name!r} already exists")
        store.add_user(conn, name, role, ctx.clock.now())


def list_users(ctx: Context) -> list[tuple[str, str]]:
    return read(ctx, store.list_users)
