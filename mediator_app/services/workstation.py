"""The use cases the workstation window calls, as one object bound to a context.

`ui.operations.Operations` holds one; UI tests hand it a subclass (a fake at the boundary: a database that
fails, a call that counts) instead of patching module functions.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Sequence

from . import audit_verify, casework, evidence_files, presence, sweeper, workbench
from .casework import ActionResult
from .context import Context
from .users import list_users
from .workbench import CaseDetail, EvidenceItem, QueueQuery, QueueRow, StoredLine


class WorkstationServices:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # ----- reading ----------------------------------------------------------------------------------------

    def case_detail(self, dispute_id: str) -> CaseDetail:
        return workbench.case_detail(self.ctx, dispute_id)

    def users(self) -> list[tuple[str, str]]:
        return list_users(self.ctx)

    def is_view(self, view: str) -> bool:
        """A view the queue can show (a saved view or a desk drill-down; a bundle's services add "drafts")."""
        return workbench.is_view(view)

    def queue_head(self, query: QueueQuery, limit: int) -> list[str]:
        return workbench.queue_head(self.ctx, query, limit)

    def queue_ids(self, query: QueueQuery) -> list[str]:
        return workbench.queue_ids(self.ctx, query)

    def queue_count(self, query: QueueQuery) -> int:
        return workbench.queue_count(self.ctx, query)

    def queue_row_sources(self, ids: Sequence[str]) -> dict[str, QueueRow | StoredLine]:
        return workbench.queue_row_sources(self.ctx, ids)

    def view_counts(self, user: str, text: str = "") -> dict[str, int]:
        return workbench.view_counts(self.ctx, user, text)

    def evidence_content(self, evidence_id: int) -> tuple[str, bytes]:
        return workbench.evidence_content(self.ctx, evidence_id)

    def evidence_copy_for_viewer(self, item: EvidenceItem) -> Path:
        """A read-only temporary copy under the item's safe name (bytes re-checked first)."""
        return evidence_files.copy_for_viewer(self.ctx, item)

    def save_evidence(self, evidence_id: int, path: str | Path) -> int:
        """The item's (re-checked) bytes written whole to the clerk's chosen path; the bytes written."""
        return evidence_files.save_evidence(self.ctx, evidence_id, path)

    # ----- a clerk's or supervisor's decision (casework: one transaction each) -------------------------------

    def claim(self, dispute_id: str, user: str, expect_version: int | None = None, key: str | None = None,
              take_over: bool = True) -> ActionResult:
        return casework.claim(self.ctx, dispute_id, user, expect_version, key, take_over=take_over)

    def release(self, dispute_id: str, user: str, expect_version: int | None = None,
                key: str | None = None) -> ActionResult:
        return casework.release(self.ctx, dispute_id, user, expect_version, key)

    def propose(self, dispute_id: str, user: str, remedy: str, amount: str | None = None,
                return_shipping_paid_by: str | None = None, note: str | None = None,
                expect_version: int | None = None, key: str | None = None) -> ActionResult:
        return casework.propose(self.ctx, dispute_id, user, remedy, amount, return_shipping_paid_by, note,
                                expect_version=expect_version, key=key)

    def rule(self, dispute_id: str, user: str, adopt: str, note: str | None = None,
             expect_version: int | None = None, key: str | None = None) -> ActionResult:
        return casework.rule(self.ctx, dispute_id, user, adopt, note, expect_version=expect_version, key=key)

    def approve(self, dispute_id: str, user: str, expect_version: int | None = None,
                key: str | None = None) -> ActionResult:
        return casework.approve(self.ctx, dispute_id, user, expect_version, key)

    def send_back(self, dispute_id: str, user: str, note: str, expect_version: int | None = None,
                  key: str | None = None) -> ActionResult:
        return casework.send_back(self.ctx, dispute_id, user, note, expect_version, key)

    def assign(self, dispute_id: str, user: str, to: str, expect_version: int | None = None,
               key: str | None = None) -> ActionResult:
        return casework.assign(self.ctx, dispute_id, user, to, expect_version, key)

    def note(self, dispute_id: str, user: str, text: str, expect_version: int | None = None,
             key: str | None = None) -> ActionResult:
        return casework.note(self.ctx, dispute_id, user, text, expect_version, key)

    def claim_next_in_view(self, user: str, query: QueueQuery) -> ActionResult | None:
        return workbench.claim_next_in_view(self.ctx, user, query)

    # ----- the session: presence and the sweeper ----------------------------------------------------------

    def heartbeat(self, user: str, seat: str, dispute_id: str | None) -> dict[str, list[str]]:
        return presence.heartbeat(self.ctx, user, seat, dispute_id)

    def leave(self, user: str, seat: str) -> None:
        presence.leave(self.ctx, user, seat)

    def sweep(self) -> list[dict[str, Any]]:
        return sweeper.sweep(self.ctx)

    def verify_audit(self, user: str, progress: Callable[[int, int], None],
                     cancelled: Callable[[], bool]) -> audit_verify.VerifyReport:
        """Tools → Verify audit trail (§7.3): `audit verify` over every dispute."""
        return audit_verify.verify_audit(self.ctx, user, progress=progress, cancelled=cancelled)
