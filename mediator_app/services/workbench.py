"""What the workstation window reads: queue keys and rows, view counts, the open case, evidence.

Plain frozen dataclasses and dicts out, so widgets never touch the database or lazy-load anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Sequence

import orjson

from mediator_app.db import queries, store
from mediator_app.domain.dispute import DisputeState
from mediator_app.domain.errors import Rejection
from mediator_app.domain.money import Money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.view import deadlines, default_judgment, sla_breached

from . import casework
from .context import Context
from .reading import read, show

VIEWS = queries.VIEWS
SORTS = tuple(queries.SORTS)


@dataclass(frozen=True)
class QueueQuery:
    view: str = "all"
    user: str = ""
    text: str = ""
    sort: str = "due"
    descending: bool = False


@dataclass(frozen=True)
class QueueRow:
    """One queue line, everything a cell shows; `due` is the earliest running clock."""

    dispute_id: str
    order_id: str
    buyer_id: str
    seller_id: str
    stage: str
    kind: str
    reason: str
    total: Money
    asked: Money | None
    clock: str | None
    clock_party: str | None
    due: datetime | None
    preview_clock: str | None
    preview_silent: str | None
    preview_adopted: str | None
    preview_remedy: str | None
    preview_refund: Money | None
    preview_at: datetime | None
    assigned_to: str | None
    sla_breached: bool
    version: int


def queue_row(state: DisputeState, now: datetime) -> QueueRow:
    running = deadlines(state)
    first = running[0] if running else None
    preview = default_judgment(state)
    buyer = state.proposals["buyer"]
    return QueueRow(
        dispute_id=state.dispute_id, order_id=state.order.order_id, buyer_id=state.order.buyer_id,
        seller_id=state.order.seller_id, stage=state.stage, kind=state.kind, reason=state.reason,
        total=state.order.total, asked=buyer.refund if buyer else None,
        clock=first["clock"] if first else None, clock_party=first["party"] if first else None,
        due=first["due"] if first else None,
        preview_clock=preview.clock if preview else None, preview_silent=preview.silent if preview else None,
        preview_adopted=preview.adopted if preview else None, preview_remedy=preview.remedy if preview else None,
        preview_refund=preview.refund if preview else None, preview_at=preview.at if preview else None,
        assigned_to=state.holder(now), sla_breached=sla_breached(state, now), version=state.version,
    )


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
        result = casework.claim_next(ctx, user, queue_ids(ctx, query)[head:])
    return result


def queue_row_sources(ctx: Context, ids: Sequence[str]) -> dict[str, QueueRow | StoredLine]:
    """The rows of the given ids (a page), as cheaply as the database gives them: stored lines left unparsed
    (`row_from_stored` parses one when it is shown), rows written before lines were stored decoded from their
    state. Ids that vanished are absent."""
    now = ctx.clock.now()
    found = read(ctx, lambda conn: queries.queue_lines_for(conn, ids, now))
    out: dict[str, QueueRow | StoredLine] = {}
    for dispute_id, line, state, holder, breached in found:
        if line is None:
            out[dispute_id] = queue_row(store.decode_state(state), now)
        else:
            out[dispute_id] = StoredLine(line, holder, bool(breached))
    return out


def row_from_stored(dispute_id: str, source: QueueRow | StoredLine) -> QueueRow:
    if isinstance(source, QueueRow):
        return source
    return _row_from_line(dispute_id, orjson.loads(source.line), source.holder, source.sla_breached)


def queue_rows(ctx: Context, ids: Sequence[str]) -> dict[str, QueueRow]:
    """The rows of the given ids (a page), keyed by id; ids that vanished are simply absent.

    Read from the stored queue line (`disputes.queue_row`), the holder and the SLA computed in SQL at `now`;
    a row written before that column existed is decoded from its state instead."""
    return {i: row_from_stored(i, source) for i, source in queue_row_sources(ctx, ids).items()}


def _money(data: dict[str, str] | None) -> Money | None:
    return Money(Decimal(data["amount"]), data["currency"]) if data is not None else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None  # `…Z`: Python 3.11 reads it


def _row_from_line(dispute_id: str, line: dict[str, Any], holder: str | None, breached: bool) -> QueueRow:
    preview = line["preview"] or {}
    return QueueRow(
        dispute_id=dispute_id, order_id=line["order_id"], buyer_id=line["buyer_id"], seller_id=line["seller_id"],
        stage=line["stage"], kind=line["kind"], reason=line["reason"], total=_money(line["total"]),  # type: ignore[arg-type]
        asked=_money(line["asked"]), clock=line["clock"], clock_party=line["clock_party"], due=_time(line["due"]),
        preview_clock=preview.get("clock"), preview_silent=preview.get("silent"),
        preview_adopted=preview.get("adopted"), preview_remedy=preview.get("remedy"),
        preview_refund=_money(preview.get("refund")), preview_at=_time(preview.get("at")),
        assigned_to=holder, sla_breached=breached, version=line["version"],
    )


def view_counts(ctx: Context, user: str, text: str = "") -> dict[str, int]:
    now = ctx.clock.now()
    return read(ctx, lambda conn: queries.view_counts(conn, user, now, text))


@dataclass(frozen=True)
class CaseDetail:
    """The open case: `case` is exactly what `mediator show --json` prints, plus what the panes need."""

    case: dict[str, Any]
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # party -> proposals, oldest first
    evidence: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def dispute_id(self) -> str:
        return str(self.case["dispute_id"])

    @property
    def version(self) -> int:
        return int(self.case["version"])


def proposal_history(timeline: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every proposal each party made, with its fate: active, superseded, withdrawn, awaiting approval, sent back."""
    history: dict[str, list[dict[str, Any]]] = {"buyer": [], "seller": [], "platform": []}

    def add(party: str, proposal: dict[str, Any], at: str, status: str = "active") -> None:
        for earlier in history[party]:
            if earlier["status"] == "active" and status == "active":
                earlier["status"] = "superseded"
        history[party].append({"proposal": proposal, "at": at, "status": status})

    def mark(party: str, proposal_id: str, status: str) -> None:
        for item in history[party]:
            if item["proposal"]["proposal_id"] == proposal_id:
                item["status"] = status

    for entry in timeline:
        kind, payload, at = entry["kind"], entry.get("payload") or {}, entry["at"]
        if kind in ("dispute.opened", "proposal.posted") and "proposal" in payload:
            add(entry["party"] or "buyer", payload["proposal"], at)
        elif kind == "proposal.withdrawn":
            mark(entry["party"], payload["proposal_id"], "withdrawn")
        elif kind == "platform_proposal.posted":
            add("platform", payload["proposal"], at, "awaiting approval" if payload.get("pending") else "active")
        elif kind == "platform_proposal.approved":
            approved = payload["approved"]["proposal"]["proposal_id"]
            add("platform", payload["approved"]["proposal"], at)
            history["platform"] = [h for h in history["platform"]
                                   if not (h["proposal"]["proposal_id"] == approved and h["status"] == "awaiting approval")]
        elif kind == "approval.sent_back" and payload.get("sent_back", {}).get("what") == "platform_proposal":
            mark("platform", payload["sent_back"]["proposal"]["proposal_id"], "sent back")
    return history


def case_detail(ctx: Context, dispute_id: str) -> CaseDetail:
    if ctx.bundle is not None:  # an offline bundle: the case with its drafts applied, `drafts`, `bundle`
        from .drafts import show_drafted

        case = show_drafted(ctx, dispute_id)
    else:
        case = show(ctx, dispute_id)
    evidence = read(ctx, lambda conn: queries.evidence_list(conn, dispute_id))
    messages = [{"at": t["at"], "party": t["party"], "text": t["payload"].get("text", "")}
                for t in case["timeline"] if t["kind"] == "message.posted"]
    return CaseDetail(case, proposal_history(case["timeline"]), evidence, messages)


def evidence_content(ctx: Context, evidence_id: int) -> tuple[str, bytes]:
    found = read(ctx, lambda conn: queries.evidence_content(conn, evidence_id))
    if found is None:
        raise Rejection(f"unknown evidence {evidence_id}")
    return found



def four_eyes_threshold(policy: str, currency: str) -> Money | None:
    """The refund from which a ruling or platform proposal waits for a supervisor (policy data)."""
    amount = get_policy(policy).four_eyes_threshold.get(currency)
    return Money(amount, currency) if amount is not None else None
