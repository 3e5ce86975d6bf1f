"""A dispute's two forms (the frozen state and the draft a rule edits) hold the same fields, and copy/freeze
carry every one of them across."""
from dataclasses import fields
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from mediator_app.domain.dispute import DisputeDraft, DisputeState, Order
from mediator_app.domain.money import Money


def test_both_forms_declare_the_same_fields_in_the_same_order():
    assert [f.name for f in fields(DisputeState)] == [f.name for f in fields(DisputeDraft)]


def test_copy_then_freeze_gives_back_an_equal_state_with_every_field_set():
    at = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    draft = DisputeDraft(dispute_id="D-1", order=Order("O-1", "B-1", "S-1", Money(Decimal("12.50"), "USD"), at),
                         kind="not_received", reason="r", policy="p", opened_at=at, stage="negotiation",
                         version=3, last_feed_at=at)
    # every field given a value unlike its default, so a field copy() or freeze() forgot would show
    defaults = DisputeDraft(**{f.name: getattr(draft, f.name) for f in fields(DisputeDraft)})
    draft.used_proposal_ids.append("P-1")
    draft.platform_acceptances.append("buyer")
    draft.platform_rejected = True
    draft.last_mover = "seller"
    draft.assigned_to = "alice"
    draft.claim_expires_at = at + timedelta(hours=1)
    draft.platform_proposal_seq = 2
    draft.hold_kind = "claim"
    draft.assigned_by = "bob"
    draft.held_since = at
    draft.closed_at = at + timedelta(days=1)
    state = draft.freeze()
    assert isinstance(state.used_proposal_ids, tuple)
    again = state.copy()
    assert isinstance(again.used_proposal_ids, list)
    assert again == draft
    assert again.freeze() == state
    assert again is not draft and again.used_proposal_ids is not draft.used_proposal_ids
    assert again != defaults
