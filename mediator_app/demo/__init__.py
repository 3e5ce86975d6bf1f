"""A reproducible marketplace demo, expressed as feed events (contract §2/§3).

`generate_demo_events` produces plain dicts in exactly the JSON form of the
feed (one dict per JSONL line), so a demo goes through the real ingest path.
Everything is derived from one `random.Random(seed)` and the given `now`; the
same `(count, seed, now)` always yields the same events.

Each dispute follows a *plan* that leaves it in a chosen stage at `now`
(awaiting_seller, awaiting_buyer, platform_review, awaiting_return_shipment,
awaiting_return_receipt, closed, or a party clock that ran out a few hours
before `now`). A small state machine (`builder.DisputeBuilder`) applies the §3 rules
while the plan runs, so every event is valid and no event is dated at or after
the due time of a running party clock. Times are built relative to the
opening and anchored to `now` at the end, so the last clock lands where the
plan wants it (due in a few hours, a few days, or already overdue).

Standard library and `domain` only: no Qt, no SQLAlchemy.

The package, by concept: `values` (the policy's timers read from `domain.policy`, the mix, currencies), `texts`
(what the parties write), `images` (evidence PNGs), `builder` (one dispute under the rules; who must act is asked
of `domain.transitions`), `plans` (which stage each dispute is left in), `stream` (orders and the event stream).
"""
from __future__ import annotations

from .stream import generate_demo_events
from .values import STAGE_MIX

__all__ = ["generate_demo_events", "STAGE_MIX"]
