"""A hand-made set of disputes for the desk's figures (§5.3), every figure counted by hand in the docstrings.

`NOW` = 2026-11-05T02:00Z = 10:00 in Shanghai (CST, UTC+8); today in the platform zone starts 2026-11-04T16:00Z.
Each open dispute's earliest running clock is the seller's 120 h unless said otherwise.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .feeds import UTC, accepted, escalated, event, opened, posted, z
from tests.cli_runner import Mediator

NOW = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)
S = timedelta(seconds=1)


def opening(dispute_id: str, at: datetime, total: str = "66.65", kind: str = "only_refund") -> dict[str, Any]:
    line = opened(f"E-{dispute_id}", dispute_id, at, order_id=f"O-{dispute_id}", total=total, kind=kind,
                  buyer_pid=f"P-{dispute_id}")
    line["order"]["shipped_at"] = (at - timedelta(days=12)).isoformat()
    return line


#: dispute -> (opened at, stage at NOW, due-in bucket at NOW, SLA breached at NOW)
OPEN = {
    "D-STALE": (NOW - 144 * H, "awaiting_seller", "overdue", False),  # due Nov 4 02:00, expired, not executed
    "D-OVER": (NOW - 120 * H, "awaiting_seller", "overdue", False),  # due == NOW
    "D-4H": (NOW - 120 * H + S, "awaiting_seller", "lt_4h", False),  # due NOW + 1 s
    "D-24H": (NOW - 116 * H, "awaiting_seller", "lt_24h", False),  # due NOW + 4 h exactly
    "D-24M": (NOW - 96 * H - S, "awaiting_seller", "lt_24h", False),  # due NOW + 24 h - 1 s
    "D-72H": (NOW - 96 * H, "awaiting_seller", "lt_72h", False),  # due NOW + 24 h exactly
    "D-72M": (NOW - 48 * H - S, "awaiting_seller", "lt_72h", False),  # due NOW + 72 h - 1 s
    "D-LATER": (NOW - 48 * H, "awaiting_seller", "later", False),  # due NOW + 72 h exactly
    "D-O2359": (NOW - 10 * H - S, "awaiting_seller", "later", False),  # opened Nov 4 23:59:59 CST
    "D-O0000": (NOW - 10 * H, "awaiting_seller", "later", False),  # opened Nov 5 00:00:00 CST
    "D-BUYER": (NOW - 96 * H, "awaiting_buyer", "lt_72h", False),  # seller counters Nov 2 02:00: buyer due Nov 7
    "D-PARTIES": (NOW - 96 * H, "awaiting_parties", "lt_72h", False),  # alice proposes Nov 2 02:00: due Nov 7
    # opened Oct 25, escalated at once: platform_ruling due Oct 28 16:00Z, running: overdue and breached
    "D-REVIEW": (NOW - 240 * H, "platform_review", "overdue", True),
    # escalated Nov 1 03:00Z (ruling due Nov 4 16:00Z); alice rules USD 800 at NOW - 1 h: waits, no clock runs,
    # the ruling clock stopped after its due time: breached
    "D-PENDING": (NOW - 96 * H, "pending_approval", "none", True),
    "D-RSHIP": (NOW - 96 * H, "awaiting_return_shipment", "later", False),  # accepted Nov 2: ships by Nov 12
    "D-RRECV": (NOW - 96 * H, "awaiting_return_receipt", "later", False),  # shipped Nov 3: receipt by Nov 18
}
CLOSED = {  # dispute -> (opened at, resolved at, reached type, SLA breached)
    "D-CLOSED": (NOW - 96 * H, NOW - 95 * H, "negotiation_consensus", False),  # Nov 1 11:00 CST
    "D-R2359": (NOW - 240 * H, datetime(2026, 11, 4, 15, 59, tzinfo=UTC), "platform_arbitrate", True),  # 23:59 CST
    "D-R0001": (NOW - 240 * H, datetime(2026, 11, 4, 16, 1, tzinfo=UTC), "platform_arbitrate", True),  # 00:01 CST
}

EXPECTED_BY_STAGE = {"awaiting_seller": 10, "awaiting_buyer": 1, "awaiting_parties": 1, "platform_review": 1,
                     "pending_approval": 1, "awaiting_return_shipment": 1, "awaiting_return_receipt": 1}
EXPECTED_DUE_IN = {"overdue": 3, "lt_4h": 1, "lt_24h": 2, "lt_72h": 4, "later": 5, "none": 1}
# carol holds D-OVER and D-REVIEW by assignment (both overdue); alice holds D-24H by a claim (her claim on D-4H
# lapsed 10 min before NOW); sam holds D-RSHIP. alice decided D-PENDING (09:00 CST today) and D-R0001 (00:01
# today); D-R2359 (23:59 yesterday) and her proposal on Nov 2 are not today.
EXPECTED_WORKLOAD = [
    {"user": "alice", "role": "clerk", "holding": 1, "holding_overdue": 0, "decided_today": 2},
    {"user": "bob", "role": "supervisor", "holding": 0, "holding_overdue": 0, "decided_today": 0},
    {"user": "carol", "role": "clerk", "holding": 2, "holding_overdue": 2, "decided_today": 0},
    {"user": "sam", "role": "supervisor", "holding": 1, "holding_overdue": 0, "decided_today": 0},
]
# --days 7: Oct 30 .. Nov 5 in Shanghai. Opened: D-STALE Oct 30; D-OVER, D-4H, D-24H Oct 31; D-24M (09:59:59
# CST), D-72H and the six opened at T0 Nov 1; D-72M, D-LATER Nov 3; D-O2359 Nov 4; D-O0000 Nov 5.
EXPECTED_OPENED = {"2026-10-30": 1, "2026-10-31": 3, "2026-11-01": 8, "2026-11-02": 0, "2026-11-03": 2,
                   "2026-11-04": 1, "2026-11-05": 1}
# Resolved: D-CLOSED Nov 1; D-RSHIP, D-RRECV Nov 2 (accepted); D-R2359 Nov 4, D-R0001 Nov 5 (rulings after the SLA)
EXPECTED_RESOLVED = {"2026-11-01": (1, 0, {"negotiation_consensus": 1}), "2026-11-02": (2, 0, {"negotiation_consensus": 2}),
                     "2026-11-04": (1, 1, {"platform_arbitrate": 1}), "2026-11-05": (1, 1, {"platform_arbitrate": 1})}


def build(m: Mediator, tmp: Path) -> None:
    """Ingest and act through `mediator`, each step at its own `--now`."""
    from .feeds import write_feed

    n = iter(range(1000))

    def feed(*lines: dict[str, Any], now: datetime) -> None:
        run = m("ingest", str(write_feed(tmp / f"desk{next(n)}.jsonl", lines)), now=z(now))
        assert run.code == 0, run.out

    def act(*args: str, now: datetime) -> None:
        m.ok(*args, now=z(now))

    big = {"D-PENDING": "800.00"}
    returns = {"D-RSHIP", "D-RRECV"}
    all_opened = {**{d: v[0] for d, v in OPEN.items()}, **{d: v[0] for d, v in CLOSED.items()}}
    for d, at in sorted(all_opened.items(), key=lambda kv: kv[1]):
        feed(opening(d, at, big.get(d, "66.65"), "return_and_refund" if d in returns else "only_refund"), now=at)
    t0 = OPEN["D-BUYER"][0]
    feed(posted("E-cnt", "seller", "P-S-BUYER", t0 + 24 * H, dispute_id="D-BUYER"), now=t0 + 24 * H)
    act("propose", "D-PARTIES", "--as", "alice", "--remedy", "refund", "--amount", "30.00", now=t0 + 24 * H)
    for d in ("D-REVIEW", "D-R2359", "D-R0001"):
        feed(escalated(f"E-esc-{d}", "buyer", all_opened[d] + H, d), now=all_opened[d] + H)
    feed(escalated("E-esc-P", "buyer", t0 + H, "D-PENDING"), now=t0 + H)
    act("rule", "D-PENDING", "--as", "alice", "--adopt", "buyer", now=NOW - H)
    feed(accepted("E-acc-C", "seller", "P-D-CLOSED", t0 + H, "D-CLOSED"), now=t0 + H)
    for d in returns:
        feed(accepted(f"E-acc-{d}", "seller", f"P-{d}", t0 + 24 * H, d), now=t0 + 24 * H)
    feed(event("E-ship", "return.shipped", t0 + 48 * H, "D-RRECV", "buyer", tracking_number="TN-1"),
         now=t0 + 48 * H)
    act("rule", "D-R2359", "--as", "alice", "--adopt", "buyer", now=CLOSED["D-R2359"][1])
    act("rule", "D-R0001", "--as", "alice", "--adopt", "buyer", now=CLOSED["D-R0001"][1])
    act("assign", "D-OVER", "--to", "carol", "--as", "bob", now=NOW - 3 * H)
    act("assign", "D-REVIEW", "--to", "carol", "--as", "bob", now=NOW - 3 * H)
    act("assign", "D-RSHIP", "--to", "sam", "--as", "bob", now=NOW - 3 * H)
    act("claim", "D-4H", "--as", "alice", now=NOW - timedelta(minutes=40))
    act("claim", "D-24H", "--as", "alice", now=NOW - timedelta(minutes=10))
