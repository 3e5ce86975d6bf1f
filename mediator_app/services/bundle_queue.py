"""The queue of an offline bundle (§6): the "Drafts" view, and each drafted case's line with its drafts applied.

A bundle window's views select by the exported columns (what the bundle holds); a case with drafts in force
(pending, or applied at a sync) is shown by its drafted line — the exported state with its drafts replayed by
`drafts.replay`, the same domain steps the live commands run — so a drafted proposal, ruling or approval shows in
the list as it does in the case. The "Drafts" view lists every case that has a draft, whatever its status
(decision 170).
"""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import Connection

from mediator_app.db import bundle_file, store
from mediator_app.domain.queue_line import QueueLine, queue_line

from .context import Context
from .drafts import IN_FORCE, replay
from .reading import read
from .workbench import QueueQuery, StoredLine
from .workstation import WorkstationServices

DRAFTS_VIEW = "drafts"


def drafted_lines(ctx: Context, ids: Sequence[str]) -> dict[str, QueueLine]:
    """The queue lines of those of `ids` that have drafts in force, with their drafts applied, at `now`."""
    now = ctx.clock.now()

    def load(conn: Connection) -> dict[str, QueueLine]:
        wanted = bundle_file.drafted_disputes(conn, IN_FORCE).intersection(ids)
        if not wanted:
            return {}
        states = store.load_disputes(conn, wanted, for_update=False)  # a page's cases, drafts, roles: 3 queries
        rows = bundle_file.drafts_by_dispute(conn, wanted)
        roles = dict(store.list_users(conn))
        return {i: queue_line(replay(conn, state, rows.get(i, []), roles).state, now) for i, state in states.items()}

    return read(ctx, load)


class BundleServices(WorkstationServices):
    """The window's services over a bundle: the live ones, plus the "Drafts" view and the drafted lines."""

    def is_view(self, view: str) -> bool:
        return view == DRAFTS_VIEW or super().is_view(view)

    def queue_head(self, query: QueueQuery, limit: int) -> list[str]:
        if query.view != DRAFTS_VIEW:
            return super().queue_head(query, limit)
        return read(self.ctx, lambda conn: bundle_file.drafted_queue_ids(conn, query.text, query.sort,
                                                                         query.descending, limit))

    def queue_ids(self, query: QueueQuery) -> list[str]:
        if query.view != DRAFTS_VIEW:
            return super().queue_ids(query)
        return read(self.ctx, lambda conn: bundle_file.drafted_queue_ids(conn, query.text, query.sort,
                                                                         query.descending))

    def queue_count(self, query: QueueQuery) -> int:
        if query.view != DRAFTS_VIEW:
            return super().queue_count(query)
        return len(self.queue_ids(query))

    def queue_row_sources(self, ids: Sequence[str]) -> dict[str, QueueLine | StoredLine]:
        rows = super().queue_row_sources(ids)
        rows.update(drafted_lines(self.ctx, ids))
        return rows

    def view_counts(self, user: str, text: str = "") -> dict[str, int]:
        counts = super().view_counts(user, text)
        counts[DRAFTS_VIEW] = len(read(self.ctx, lambda conn: bundle_file.drafted_queue_ids(conn, text)))
        return counts
