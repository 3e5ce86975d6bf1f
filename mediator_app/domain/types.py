"""The names the rules use, as types: typed ids and the closed sets of stages, clocks, parties, remedies.

Others import these (`from mediator_app.domain.types import DisputeId, Stage`). `Literal` sets are for the type
checker; the tuples beside them are the same sets at run time (`typing.get_args`).
"""
from __future__ import annotations

from typing import Literal, NewType, get_args

DisputeId = NewType("DisputeId", str)
OrderId = NewType("OrderId", str)
ProposalId = NewType("ProposalId", str)
UserName = NewType("UserName", str)  # a workstation user (clerk, supervisor, auditor)
PartyId = NewType("PartyId", str)  # a marketplace buyer or seller account

Stage = Literal["awaiting_seller", "awaiting_buyer", "awaiting_parties", "platform_review", "pending_approval",
                "awaiting_return_shipment", "awaiting_return_receipt", "closed"]
PartyClockName = Literal["seller_response", "buyer_response", "parties_response", "return_shipment",
                         "return_receipt"]
DecidingClock = Literal["seller_response", "buyer_response", "parties_response"]
PlatformClockName = Literal["platform_intervention", "platform_ruling"]
ClockName = Literal["seller_response", "buyer_response", "parties_response", "return_shipment", "return_receipt",
                    "platform_intervention", "platform_ruling"]
#: Who must act on a clock: a party, both parties (a platform proposal) or the platform (an SLA).
Actor = Literal["buyer", "seller", "both", "platform"]
Party = Literal["buyer", "seller"]
ProposalParty = Literal["buyer", "seller", "platform"]
Remedy = Literal["refund", "return_and_refund", "no_refund"]
ReachedType = Literal["negotiation_consensus", "seller_response_timeout", "buyer_response_timeout",
                      "platform_proposal_accepted", "platform_proposal_timeout", "platform_arbitrate",
                      "buyer_cancelled"]
PendingWhat = Literal["ruling", "platform_proposal"]
ReturnStatus = Literal["none", "awaiting_shipment", "awaiting_receipt", "received", "not_shipped", "receipt_timeout"]
HistoryStatus = Literal["active", "superseded", "withdrawn", "awaiting approval", "sent back"]

STAGE_NAMES: tuple[str, ...] = get_args(Stage)
CLOCK_NAMES: tuple[str, ...] = get_args(ClockName)
REMEDY_NAMES: tuple[str, ...] = get_args(Remedy)
REACHED_TYPES: tuple[str, ...] = get_args(ReachedType)
