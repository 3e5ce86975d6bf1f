"""One demo dispute run under the §3 rules, in time relative to its opening (`DisputeBuilder`)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from mediator_app.domain.transitions import other_party, party_to_act

from .images import PNG_VARIANTS, demo_image
from .texts import BUYER_COMPLAINTS, CANCEL_TEXTS, EVIDENCE_NAMES, PHASE_TEXTS, PROPOSAL_NOTES
from .values import (CARRIERS, HOUR, MINUTE, PARTY_RESPONSE_HOURS, RETURN_RECEIVE_HOURS, RETURN_SHIP_HOURS,
                     SAFETY_SECONDS, format_amount, pattern_digits, round_offer)


@dataclass
class PartyClock:
    """A running party clock, in seconds relative to the opening."""

    party: str
    start: int
    hours: int

    @property
    def due(self) -> int:
        return self.start + self.hours * HOUR


@dataclass
class Parties:
    """Who is involved and which language each writes in."""

    buyer_id: str
    seller_id: str
    languages: dict[str, str]


@dataclass
class DisputeBuilder:
    """Runs one dispute's plan under the §3 rules, in time relative to the opening.

    Every action checks that it is allowed in the current stage and recomputes
    the stage and the party clock, so the builder cannot emit an invalid event.
    Messages and evidence are sprinkled between actions, always before the
    running clock's due time.
    """

    rng: random.Random
    number: int
    parties: Parties
    currency: str
    total: int
    kind: str
    reason: str
    evidence_pending: int
    t: int = 0
    stage: str = "new"
    clock: PartyClock | None = None
    proposals: dict[str, dict[str, Any] | None] = field(default_factory=lambda: {"buyer": None, "seller": None})
    counters: dict[str, int] = field(default_factory=lambda: {"buyer": 0, "seller": 0})
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    escalated_at: int | None = None  # when the platform's ruling clock started
    settled_at: int | None = None  # when the platform's clocks stopped (consensus or cancellation)

    # -- plumbing ---------------------------------------------------------

    @property
    def dispute_id(self) -> str:
        return f"D-{self.number}"

    def _emit(self, at: int, type_: str, **fields: Any) -> None:
        """Record an event at relative time `at` (seconds after the opening)."""
        assert not self.events or at > self.events[-1][0], "events of a dispute must be increasing"
        assert self.clock is None or at < self.clock.due, "event after the running clock's due time"
        self.events.append((at, {"type": type_, **fields}))

    def _require(self, *stages: str) -> None:
        assert self.stage in stages, f"{self.dispute_id}: not allowed in {self.stage}"

    def _set_stage(self, stage: str, clock: PartyClock | None) -> None:
        self.stage, self.clock = stage, clock

    def _who_must_act(self, actor: str) -> None:
        """§3, asked of the rules (`transitions.party_to_act`): `actor` moved last."""
        must = party_to_act(self.proposals["buyer"] is not None, self.proposals["seller"] is not None, actor)
        self._set_stage(f"awaiting_{must}", PartyClock(must, self.t, PARTY_RESPONSE_HOURS))

    def _language(self, party: str) -> str:
        """The party's language, occasionally switching to the other one."""
        lang = self.parties.languages[party]
        if self.rng.random() < 0.12:
            return "zh" if lang == "en" else "en"
        return lang

    def _phase(self) -> str:
        if self.stage in ("awaiting_seller", "awaiting_buyer"):
            return "negotiation"
        if self.stage == "platform_review":
            return "review"
        if self.stage.startswith("awaiting_return"):
            return "return"
        return "closed"

    def _message_text(self, party: str) -> str:
        phase = self._phase()
        lang = self._language(party)
        if party == "buyer" and phase == "negotiation":
            return self.rng.choice(BUYER_COMPLAINTS[self.reason][lang])
        return self.rng.choice(PHASE_TEXTS[(party, phase)][lang])

    def _decorate(self, start: int, end: int, max_messages: int = 3) -> None:
        """Put pending evidence and 0..max_messages messages strictly between `start` and `end`."""
        wanted = self.rng.choices((0, 1, 2, 3), (40, 35, 20, 5))[0]
        messages = min(wanted, max_messages)
        evidence = self.evidence_pending
        slots = min(messages + evidence, max(0, end - start - 1))
        if slots <= 0:
            return
        for index, at in enumerate(sorted(self.rng.sample(range(start + 1, end), slots))):
            if index < evidence:
                self._add_evidence(at, "buyer" if self.rng.random() < 0.75 else "seller")
            else:
                party = "buyer" if self.rng.random() < 0.6 else "seller"
                self._emit(at, "message.posted", party=party, text=self._message_text(party))

    def _add_evidence(self, at: int, party: str) -> None:
        variant = self.rng.randrange(PNG_VARIANTS)
        image = demo_image(variant)
        name = self.rng.choice(EVIDENCE_NAMES[party]).format(n=self.rng.randrange(1, 9999))
        self._emit(at, "evidence.added", party=party, filename=name, media_type="image/png",
                   sha256=image.sha256, content_base64=image.content_base64)
        self.evidence_pending -= 1

    def wait(self, low_hours: float, high_hours: float) -> None:
        """Let time pass before the next action, decorating the gap; never reach the clock's due time."""
        target = self.t + self.rng.randint(int(low_hours * HOUR), int(high_hours * HOUR))
        if self.clock is not None:
            target = min(target, self.clock.due - SAFETY_SECONDS)
        target = max(target, self.t + 5 * MINUTE)
        self._decorate(self.t, target)
        self.t = target

    def finish(self, age: int, measured_from: int) -> int:
        """Close the script: `now` is `age` seconds after `measured_from`; returns now (relative).

        Trailing messages go after the last action, before `now` and before the
        running clock's due time (which may already be past at `now`).
        """
        now_rel = measured_from + age
        end = now_rel + 1
        if self.clock is not None:
            end = min(end, self.clock.due - SAFETY_SECONDS)
        last = self.events[-1][0]
        if end - last > 5 * MINUTE:
            self._decorate(last, end, max_messages=2)
        return now_rel

    # -- proposals ----------------------------------------------------------

    def _proposal(self, party: str, remedy: str, refund: int | None,
                  paid_by: str | None = None) -> dict[str, Any]:
        self.counters[party] += 1
        proposal: dict[str, Any] = {
            "proposal_id": f"P-{self.number}-{party[0].upper()}{self.counters[party]}",
            "remedy": remedy,
        }
        if refund is not None:
            proposal["refund"] = {"amount": format_amount(refund), "currency": self.currency}
        if remedy == "return_and_refund":
            proposal["return_shipping_paid_by"] = paid_by or "buyer"
        if self.rng.random() < 0.5:
            proposal["note"] = self.rng.choice(PROPOSAL_NOTES[(party, self._note_topic(remedy, refund))][
                self._language(party)])
        return proposal

    def _note_topic(self, remedy: str, refund: int | None) -> str:
        if remedy == "return_and_refund":
            return "return"
        if refund is None:
            return "none"
        return "full" if refund == self.total else "partial"

    def _refund_of(self, party: str) -> int:
        """The refund (minor units) of the party's active proposal, 0 when none or no_refund."""
        proposal = self.proposals[party]
        if not proposal or "refund" not in proposal:
            return 0
        whole, cents = proposal["refund"]["amount"].split(".")
        return int(whole) * 100 + int(cents)

    def buyer_opening_proposal(self) -> dict[str, Any]:
        """Full refund mostly; sometimes a partial one. Remedy matches the kind."""
        if self.kind == "return_and_refund":
            refund = self.total if self.rng.random() < 0.85 else round_offer(
                int(self.total * self.rng.uniform(0.6, 0.95)), self.total)
            paid_by = "seller" if self.reason in ("wrong_item", "counterfeit", "damaged") else \
                self.rng.choice(("buyer", "seller"))
            return self._proposal("buyer", "return_and_refund", refund, paid_by)
        refund = self.total if self.rng.random() < 0.65 else round_offer(
            int(self.total * self.rng.uniform(0.4, 0.95)), self.total)
        return self._proposal("buyer", "refund", refund)

    def seller_counter_proposal(self, allow_no_refund: bool = True) -> dict[str, Any]:
        """A lower partial refund than the buyer asks for, or no refund at all."""
        if allow_no_refund and self.rng.random() < 0.25:
            return self._proposal("seller", "no_refund", None)
        asked = self._refund_of("buyer") or self.total
        return self._proposal("seller", "refund", round_offer(int(asked * self.rng.uniform(0.2, 0.7)), self.total))

    def seller_return_offer(self) -> dict[str, Any]:
        """The seller offers the buyer's refund against a return, shipping paid by the seller."""
        return self._proposal("seller", "return_and_refund", self._refund_of("buyer") or self.total, "seller")

    def buyer_counter_proposal(self, remedy: str = "refund") -> dict[str, Any]:
        """Meet the seller part way: between the seller's offer and the buyer's last ask."""
        asked = self._refund_of("buyer") or self.total
        offered = self._refund_of("seller")
        amount = round_offer(int(offered + (asked - offered) * self.rng.uniform(0.4, 0.8)), self.total)
        if remedy == "return_and_refund":
            return self._proposal("buyer", remedy, max(amount, asked), "seller")
        return self._proposal("buyer", remedy, amount)

    # -- feed actions --------------------------------------------------------

    def open(self, order: dict[str, Any]) -> None:
        """`dispute.opened` at t=0 with the buyer's opening proposal."""
        self._require("new")
        proposal = self.buyer_opening_proposal()
        self.proposals["buyer"] = proposal
        self._emit(self.t, "dispute.opened", order=order, kind=self.kind, reason=self.reason,
                   proposal=proposal)
        self._who_must_act("buyer")

    def post(self, party: str, proposal: dict[str, Any]) -> None:
        """`proposal.posted`: supersedes the party's active proposal."""
        self._require("awaiting_seller", "awaiting_buyer")
        self.proposals[party] = proposal
        self._emit(self.t, "proposal.posted", party=party, proposal=proposal)
        self._who_must_act(party)

    def withdraw(self, party: str) -> None:
        """`proposal.withdrawn` of the party's own active proposal."""
        self._require("awaiting_seller", "awaiting_buyer")
        proposal = self.proposals[party]
        assert proposal is not None
        self.proposals[party] = None
        self._emit(self.t, "proposal.withdrawn", party=party, proposal_id=proposal["proposal_id"])
        self._who_must_act(party)

    def accept(self, party: str) -> None:
        """`proposal.accepted` of the other party's active proposal → consensus."""
        self._require("awaiting_seller", "awaiting_buyer", "platform_review")
        proposal = self.proposals[other_party(party)]
        assert proposal is not None
        self._emit(self.t, "proposal.accepted", party=party, proposal_id=proposal["proposal_id"])
        self.settled_at = self.t
        if proposal["remedy"] == "return_and_refund":
            self._set_stage("awaiting_return_shipment", PartyClock("buyer", self.t, RETURN_SHIP_HOURS))
        else:
            self._set_stage("closed", None)

    def escalate(self, party: str) -> None:
        """`dispute.escalated`: the platform must arbitrate."""
        self._require("awaiting_seller", "awaiting_buyer")
        self._emit(self.t, "dispute.escalated", party=party)
        self.escalated_at = self.t
        self._set_stage("platform_review", None)

    def cancel(self) -> None:
        """`dispute.cancelled` by the buyer, with a short explanation first."""
        self._require("awaiting_seller", "awaiting_buyer", "platform_review")
        self._emit(self.t, "message.posted", party="buyer",
                   text=self.rng.choice(CANCEL_TEXTS[self.parties.languages["buyer"]]))
        self.t += self.rng.randint(2 * MINUTE, SAFETY_SECONDS - 5 * MINUTE)
        self._emit(self.t, "dispute.cancelled", party="buyer")
        self.settled_at = self.t
        self._set_stage("closed", None)

    def ship_return(self) -> None:
        """`return.shipped` by the buyer."""
        self._require("awaiting_return_shipment")
        carrier, pattern = self.rng.choice(CARRIERS)
        self._emit(self.t, "return.shipped", party="buyer",
                   tracking_number=pattern_digits(self.rng, pattern), carrier=carrier)
        self._set_stage("awaiting_return_receipt", PartyClock("seller", self.t, RETURN_RECEIVE_HOURS))

    def receive_return(self) -> None:
        """`return.received` by the seller: the refund is executed, the dispute closes."""
        self._require("awaiting_return_receipt")
        self._emit(self.t, "return.received", party="seller")
        self._set_stage("closed", None)
