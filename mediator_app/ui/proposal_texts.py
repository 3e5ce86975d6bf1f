"""What the proposal panes say, in words: terms, state line, default-judgment preview, history lines.

Pure text over the domain's typed case (`CaseSnapshot`); what executes comes from `domain.expiry`.
"""
from __future__ import annotations

from typing import Sequence

from mediator_app.domain.case_view import CaseSnapshot, HistoryItem
from mediator_app.domain.money import Money
from mediator_app.domain.proposals import Proposal
from mediator_app.domain.transitions import awaiting_acceptance, awaits, other_party

from .case_words import due_text
from .formatting import PARTIES, QT_TR_NOOP, label, terms_text, tr, when

PANE_PARTIES = ("buyer", "seller", "platform")
REACHED = {
    "negotiation_consensus": QT_TR_NOOP("agreed in negotiation"),
    "seller_response_timeout": QT_TR_NOOP("seller did not respond"),
    "buyer_response_timeout": QT_TR_NOOP("buyer did not respond"),
    "platform_proposal_accepted": QT_TR_NOOP("both accepted"),
    "platform_proposal_timeout": QT_TR_NOOP("parties did not respond"),
    "platform_arbitrate": QT_TR_NOOP("platform ruling"), "buyer_cancelled": QT_TR_NOOP("cancelled by the buyer"),
}
HISTORY_STATUS = {"superseded": QT_TR_NOOP("superseded"), "withdrawn": QT_TR_NOOP("withdrawn"),
                  "awaiting approval": QT_TR_NOOP("awaiting approval"), "sent back": QT_TR_NOOP("sent back"),
                  "active": QT_TR_NOOP("active")}
CONTEXT = "Proposals"


def reached_text(reached: str | None) -> str:
    return tr(REACHED[reached], CONTEXT) if reached in REACHED else (reached or "—").replace("_", " ")


def proposal_terms(proposal: Proposal | None) -> str:
    if proposal is None:
        return tr("(none yet)", CONTEXT)
    return terms_text(proposal.remedy, proposal.refund)


def refund_of(proposal: Proposal | None) -> Money | None:
    """What the proposal pays the buyer; `no_refund` counts as zero (in the order's currency, set by the caller)."""
    if proposal is None:
        return None
    return proposal.refund


def shown_proposal(party: str, case: CaseSnapshot) -> Proposal | None:
    """The proposal a pane shows: the active one, or for the platform the one waiting for approval."""
    return case.shown_proposal(party)


def proposal_state(party: str, case: CaseSnapshot, history: Sequence[HistoryItem]) -> str:
    """The state line: `active · awaiting seller`, `active · accepted by seller · awaiting buyer`, `(none yet)`…"""
    stage = case.stage
    active = case.proposal(party)
    pending = case.pending
    outcome = case.outcome
    if party == "platform" and pending is not None and pending.what == "platform_proposal":
        text = tr("awaiting approval by a supervisor (proposed by %1)", CONTEXT).replace("%1", str(pending.by))
        if active is not None:
            text += " · " + tr("%1 stays active until then", CONTEXT).replace("%1", active.proposal_id)
        return text
    if active is None:
        if history and history[-1].status == "withdrawn":
            text = tr("none active: withdrew %1", CONTEXT).replace("%1", history[-1].proposal.proposal_id)
        else:
            text = tr("(none yet)", CONTEXT)
        if awaits(stage, party):
            text += " · " + tr("%1 must act", CONTEXT).replace("%1", label(PARTIES, party))
        return text
    if outcome is not None:
        if outcome.adopted == party:
            return tr("executed: %1", CONTEXT).replace("%1", reached_text(outcome.reached_type))
        return tr("not adopted (dispute resolved: %1)", CONTEXT).replace("%1", reached_text(outcome.reached_type))
    parts = [tr("active", CONTEXT)]
    if party == "platform":
        accepted = list(case.platform_acceptances)
        if accepted:
            parts.append(tr("accepted by %1", CONTEXT).replace(
                "%1", tr(" and ", CONTEXT).join(label(PARTIES, p) for p in accepted)))
        if case.platform_proposal_rejected:
            parts.append(tr("rejected: the platform must rule", CONTEXT))
        waiting = awaiting_acceptance(stage, accepted)
        if waiting:
            parts.append(tr("awaiting %1", CONTEXT).replace(
                "%1", tr(" and ", CONTEXT).join(label(PARTIES, p) for p in waiting)))
    else:
        other = other_party(party)
        if awaits(stage, other):
            parts.append(tr("awaiting %1", CONTEXT).replace("%1", label(PARTIES, other)))
    if pending is not None and pending.what == "ruling" and pending.adopt == party:
        parts.append(tr("adopted by a ruling awaiting approval (by %1)", CONTEXT).replace("%1", str(pending.by)))
    return " · ".join(parts)


def preview_for(party: str, case: CaseSnapshot) -> str:
    """The default-judgment preview for this pane: when its proposal executes if the other side stays silent
    (which clock executes whose proposal: `domain.expiry`)."""
    for deadline in case.deadlines:
        expiry = deadline.expiry
        if expiry.kind != "execute_proposal" or expiry.adopted != party:
            continue
        due = deadline.due
        silent = label(PARTIES, deadline.party)
        if deadline.overdue:
            return tr("%1 is silent past %2: this executes at the next sweep", CONTEXT).replace(
                "%1", silent).replace("%2", due_text(due, None))
        if expiry.silent == "both":
            return tr("executes %1 unless a party rejects it first", CONTEXT).replace("%1", due_text(due, None))
        return tr("executes %1 if %2 stays silent", CONTEXT).replace("%1", due_text(due, None)).replace("%2", silent)
    return ""


def history_line(item: HistoryItem) -> str:
    proposal = item.proposal
    status = tr(HISTORY_STATUS.get(item.status, item.status), CONTEXT)
    return f"{status} · {proposal.proposal_id} · {proposal_terms(proposal)} · {when(item.at)}"
