"""Workstation users and their roles."""
from __future__ import annotations

from mediator_app.db import store
from mediator_app.domain.actions import ROLES
from mediator_app.domain.errors import Rejection

from .context import Context
from .reading import read


#: The longest user name (the column's width: names are stored on every action a user takes)
NAME_LIMIT = 64


def add_user(ctx: Context, name: str, role: str) -> None:
    if role not in ROLES:
        raise Rejection(f"role must be one of {', '.join(ROLES)} (got {role!r})")
    if not name.strip():
        raise Rejection("a user needs a name")
    if len(name) > NAME_LIMIT:
        raise Rejection(f"a user name is at most {NAME_LIMIT} characters (this one has {len(name)})")
    with ctx.engine.begin() as conn:
        if store.get_user_role(conn, name) is not None:
            raise Rejection(f"user {name!r} already exists")
        store.add_user(conn, name, role, ctx.clock.now())


def list_users(ctx: Context) -> list[tuple[str, str]]:
    return read(ctx, store.list_users)
