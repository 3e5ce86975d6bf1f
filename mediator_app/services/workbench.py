"""What the workstation window reads: queue keys and rows, view counts, the open case, evidence.

Plain frozen dataclasses and dicts out, so widgets never touch the database or lazy-load anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from typing import Any, Mapping, Sequence

from mediator_app.db import queries, store
from mediator_app.domain.case_view import CaseSnapshot, HistoryItem, TimelineEntry, proposal_history
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain import evidence as evidence_rules
from mediator_app.domain.errors import Rejection
from mediator_app.domain.money import Money
from mediator_app.domain.permissions import CaseFacts, facts_of
from mediator_app.domain.policy import get_policy
from mediator_app.domain.queue_line import QueueLine, queue_line
from mediator_app.domain.queue_line import decode as decode_line

from . import casework
from .context import Context
from .reading import read, show_json, show_view

VIEWS = queries.VIEWS
is_view = queries.is_view
SORTS = tuple(queries.SORTS)


@dataclass(frozen=True)
class QueueQuery:
    view: str = "all"
    user: str = ""
    text: str = ""
    sort: str = "due"
    descending: bool = False


#: One queue line, everything a cell shows (the domain's `QueueLine`; this name is kept for its callers).
QueueRow = QueueLine


def queue_row(state: DisputeState, now: datetime) -> QueueLine:
    return queue_line(state, now)


def queue_ids(ctx: Context, query: QueueQuery) -> list[str]:
    """All matching dispute ids in display order (the queue model keeps these keys, rows come by page)."""
    now = ctx.clock.now()
    return read(ctx, lambda conn: queries.queue_ids(conn, query.view, query.user, now, query.text, query.sort,
                                                    query.descending))


def queue_head(ctx: Context, query: QueueQuery, limit: int) -> list[str]:
    """The first `limit` matching ids in display order: what the indexes answer at once (no count)."""
    now = ctx.clock.now()
    return read(ctx, lambda conn: queries.queue_ids(conn, query.view, query.user, now, query.text, query.sort,
                                                    query.descending, limit))


def queue_count(ctx: Context, query: QueueQuery) -> int:
    """How many disputes match (counting 200,000 index entries takes ~20 ms: the head paints before it)."""
    now = ctx.clock.now()
    return read(ctx, lambda conn: queries.queue_count(conn, query.view, query.user, now, query.text))


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A queue row as read, not yet parsed: the stored line (JSON), the holder and the SLA at the read's `now`."""

    line: str
    holder: str | None
    sla_breached: bool


def claim_next_in_view(ctx: Context, user: str, query: QueueQuery, head: int = 200) -> casework.ActionResult | None:
    """"Next case": claim the most urgent free case of the view — tried among its first `head` disputes, and
    only if all of those are taken among the rest (the whole key list of a large view takes up to a second)."""
    first = queue_head(ctx, query, head)
    result = casework.claim_next(ctx, user, first)
    if result is None and len(first) == head:
        # the rest by id, not by position: rows may have come or gone between the two reads
        tried = set(first)
        result = casework.claim_next(ctx, user, [i for i in queue_ids(ctx, query) if i not in tried])
    return result


def queue_row_sources(ctx: Context, ids: Sequence[str]) -> dict[str, QueueLine | StoredLine]:
    """The rows of the given ids (a page), as cheaply as the database gives them: stored lines left unparsed
    (`row_from_stored` parses one when it is shown), rows written before lines were stored decoded from their
    state. Ids that vanished are absent."""
    now = ctx.clock.now()
    found = read(ctx, lambda conn: queries.queue_lines_for(conn, ids, now))
    out: dict[str, QueueLine | StoredLine] = {}
    for dispute_id, line, state, holder, breached in found:
        if line is None:
            out[dispute_id] = queue_line(store.decode_state(state), now)
        else:
            out[dispute_id] = StoredLine(line, holder, bool(breached))
    return out


def row_from_stored(dispute_id: str, source: QueueLine | StoredLine) -> QueueLine:
    """A fetched row as its line: a stored line is decoded here (`domain.queue_line.decode`)."""
    if isinstance(source, QueueLine):
        return source
    return decode_line(dispute_id, source.line, source.holder, source.sla_breached)


def queue_rows(ctx: Context, ids: Sequence[str]) -> dict[str, QueueLine]:
    """The rows of the given ids (a page), keyed by id; ids that vanished are simply absent.

    Read from the stored queue line (`disputes.queue_row`), the holder and the SLA computed in SQL at `now`;
    a row written before that column existed is decoded from its state instead."""
    return {i: row_from_stored(i, source) for i, source in queue_row_sources(ctx, ids).items()}


def view_counts(ctx: Context, user: str, text: str = "") -> dict[str, int]:
    now = ctx.clock.now()
    return read(ctx, lambda conn: queries.view_counts(conn, user, now, text))


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence file of a case, without its content (`evidence_content` fetches that)."""

    id: int
    party: str | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime | None


def evidence_item(row: Mapping[str, Any]) -> EvidenceItem:
    return EvidenceItem(int(row["id"]), row.get("party"), str(row["filename"]), str(row["media_type"]),
                        int(row.get("size") or 0), str(row.get("sha256") or ""), row.get("added_at"))


@dataclass(frozen=True)
class Message:
    at: datetime
    party: str | None
    text: str


@dataclass(frozen=True)
class CaseDetail:
    """The open case, typed: `view` and `timeline` from the domain, plus what the panes need. The window reads
    only these; `case` (exactly what `mediator show --json` prints) is made from them when something asks."""

    view: CaseSnapshot
    timeline: tuple[TimelineEntry, ...] = ()
    history: Mapping[str, tuple[HistoryItem, ...]] = field(default_factory=dict)  # party -> proposals, oldest first
    evidence: tuple[EvidenceItem, ...] = ()
    messages: tuple[Message, ...] = ()

    @cached_property
    def case(self) -> dict[str, Any]:
        return show_json(self.view, self.timeline)

    @property
    def dispute_id(self) -> str:
        return self.view.dispute_id

    @property
    def version(self) -> int:
        return self.view.version

    @property
    def facts(self) -> CaseFacts:
        """What `domain.permissions` judges the window's commands by."""
        return facts_of(self.view)


def case_detail(ctx: Context, dispute_id: str) -> CaseDetail:
    case: dict[str, Any] | None = None
    if ctx.bundle is not None:  # an offline bundle: the case with its drafts applied, `drafts`, `bundle`
        from .drafts import drafted_json, drafted_view

        view, timeline, drafted = drafted_view(ctx, dispute_id)
        case = drafted_json(ctx, view, timeline, drafted)
    else:
        view, timeline = show_view(ctx, dispute_id)
    evidence = tuple(evidence_item(row) for row in read(ctx, lambda conn: queries.evidence_list(conn, dispute_id)))
    messages = tuple(Message(t.at, t.party, str(t.payload.get("text", ""))) for t in timeline
                     if t.kind == "message.posted")
    detail = CaseDetail(view, timeline, proposal_history(timeline), evidence, messages)
    if case is not None:
        detail.__dict__["case"] = case  # the bundle's `show` (drafts, origin) in place of the live one
    return detail


class EvidenceAltered(Rejection):
    """Stored evidence bytes that no longer match the sha256 recorded when they were added."""


def evidence_content(ctx: Context, evidence_id: int) -> tuple[str, bytes]:
    """(media type, bytes) of an evidence item, re-checked against its sha256 before anyone sees them: bytes
    changed in the database (or on its disk) raise EvidenceAltered, "evidence altered", not a picture."""
    found = read(ctx, lambda conn: queries.evidence_record(conn, evidence_id))
    if found is None:
        raise Rejection(f"unknown evidence {evidence_id}")
    media_type, content, sha256 = found
    if evidence_rules.altered(content, sha256):
        raise EvidenceAltered(evidence_rules.ALTERED)
    return media_type, content



def four_eyes_threshold(policy: str, currency: str) -> Money | None:
    """The refund from which a ruling or platform proposal waits for a supervisor (policy data)."""
    amount = get_policy(policy).four_eyes_threshold.get(currency)
    return Money(amount, currency) if amount is not None else None
