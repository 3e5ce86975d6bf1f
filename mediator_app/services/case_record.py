"""Everything the case file (§6) prints, gathered in read-only transactions: the case as `show` gives it (in a
bundle: with its drafts applied), the proposals' histories, the evidence list, and each item's bytes on demand."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from mediator_app.db import bundle_file
from mediator_app.domain.case_view import CaseSnapshot
from mediator_app.domain.policy import get_policy
from mediator_app.domain.time import format_utc

from . import workbench
from .context import Context


@dataclass
class CaseRecord:
    case: dict[str, Any]
    history: dict[str, list[dict[str, Any]]]
    evidence: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    platform_zone: str
    view: CaseSnapshot | None = field(default=None, compare=False)  # the typed case (its clocks' expiries)


def in_bundle(ctx: Context) -> bool:
    return ctx.bundle is not None or bundle_file.is_bundle(ctx.engine)


def gather(ctx: Context, dispute_id: str) -> CaseRecord:
    detail = workbench.case_detail(ctx, dispute_id)  # in a bundle: with its drafts applied
    case = detail.case
    history = {party: [{"proposal": item.proposal.to_json(), "at": format_utc(item.at), "status": item.status}
                       for item in items] for party, items in detail.history.items()}
    messages = [{"at": t["at"], "party": t["party"], "text": t["payload"].get("text", "")}
                for t in case["timeline"] if t["kind"] == "message.posted"]
    return CaseRecord(case, history, [asdict(item) for item in detail.evidence], messages,
                      get_policy(case["policy"]).platform_zone, detail.view)


def evidence_bytes(ctx: Context, evidence_id: int) -> tuple[str, bytes]:
    return workbench.evidence_content(ctx, evidence_id)
