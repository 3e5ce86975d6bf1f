"""Who else has a case open: each workstation says so every few seconds; a silent one drops out on its own."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert, select, update

from mediator_app.db.schema import Presence, table_of

from .context import Context, with_retries

TTL = timedelta(seconds=45)  # three missed heartbeats (every 15 s) and a workstation no longer counts


def heartbeat(ctx: Context, user: str, workstation: str, dispute_id: str | None) -> dict[str, list[str]]:
    """Record that `user` at `workstation` has `dispute_id` open (None: no case); return who else has which
    case open right now, as {dispute id: [users]} (other users, or the same user at another workstation)."""
    if ctx.bundle is not None:  # an offline bundle: nobody else is there, and nothing is written to it
        return {}

    def attempt() -> dict[str, list[str]]:
        now = ctx.clock.now()
        table = table_of(Presence)
        with ctx.engine.begin() as conn:
            mine = (Presence.user_name == user) & (Presence.workstation == workstation)
            changed = conn.execute(update(table).where(mine).values(dispute_id=dispute_id,
                                                                     expires_at=now + TTL)).rowcount
            if not changed:
                conn.execute(insert(table).values(user_name=user, workstation=workstation, dispute_id=dispute_id,
                                                  expires_at=now + TTL))
            conn.execute(delete(table).where(Presence.expires_at <= now - TTL))  # long gone: tidy up
            rows = conn.execute(select(Presence.dispute_id, Presence.user_name)
                                .where(Presence.expires_at > now, Presence.dispute_id.is_not(None), ~mine)
                                .order_by(Presence.user_name))
            others: dict[str, list[str]] = {}
            for row in rows:
                names = others.setdefault(row.dispute_id, [])
                if row.user_name not in names:
                    names.append(row.user_name)
            return others

    return with_retries(attempt, pause=ctx.pause)


def leave(ctx: Context, user: str, workstation: str) -> None:
    """The window closes: it has no case open any more."""
    if ctx.bundle is not None:
        return

    def attempt() -> None:
        with ctx.engine.begin() as conn:
            conn.execute(delete(table_of(Presence)).where((Presence.user_name == user)
                                                          & (Presence.workstation == workstation)))
    with_retries(attempt, pause=ctx.pause)
