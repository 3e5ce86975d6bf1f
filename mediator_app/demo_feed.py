"""A reproducible marketplace demo, expressed as feed events (contract §2/§3).

`generate_demo_events` produces plain dicts in exactly the JSON form of the
feed (one dict per JSONL line), so a demo goes through the real ingest path.
Everything is derived from one `random.Random(seed)` and the given `now`; the
same `(count, seed, now)` always yields the same events.

Each dispute follows a *plan* that leaves it in a chosen stage at `now`
(awaiting_seller, awaiting_buyer, platform_review, awaiting_return_shipment,
awaiting_return_receipt, closed, or a party clock that ran out a few hours
before `now`). A small state machine (`_DisputeBuilder`) applies the §3 rules
while the plan runs, so every event is valid and no event is dated at or after
the due time of a running party clock. Times are built relative to the
opening and anchored to `now` at the end, so the last clock lands where the
plan wants it (due in a few hours, a few days, or already overdue).

Standard library only: no Qt, no SQLAlchemy.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate
from typing import Any, Callable, Iterator

__all__ = ["generate_demo_events", "STAGE_MIX"]

# --------------------------------------------------------------------------
# Policy numbers (aliexpress-2024) and generator constants
# --------------------------------------------------------------------------

MINUTE = 60
HOUR = 3600
DAY = 24 * HOUR

PARTY_RESPONSE_HOURS = 120
RETURN_SHIP_HOURS = 240
RETURN_RECEIVE_HOURS = 360
OPEN_AFTER_SHIPPED_DAYS = 10
OPEN_AT_ONCE_IF_PROMISED_BELOW = 5
PROTECTION_DAYS_AFTER_DELIVERY = 15
DEFAULT_PROMISED_DAYS = 60

#: No generated event comes closer than this to a running clock's due time.
SAFETY_SECONDS = 30 * MINUTE

UTC = timezone.utc
CHINA = timezone(timedelta(hours=8))

#: Share of disputes per plan; "overdue" means a party clock ran out
#: 1-12 hours before `now` (seller, buyer, return shipment or return receipt).
STAGE_MIX: tuple[tuple[str, float], ...] = (
    ("awaiting_seller", 0.20),
    ("awaiting_buyer", 0.16),
    ("platform_review", 0.12),
    ("awaiting_return_shipment", 0.10),
    ("awaiting_return_receipt", 0.10),
    ("closed", 0.27),
    ("overdue", 0.05),
)

REASONS_ONLY_REFUND = ("not_received", "not_received", "not_received", "not_as_described",
                       "damaged", "wrong_item", "counterfeit", "missing_parts")
REASONS_RETURN = ("not_as_described", "damaged", "wrong_item", "counterfeit", "missing_parts")


@dataclass(frozen=True)
class _CurrencyProfile:
    """Plausible order totals, in minor units, for one currency."""

    code: str
    weight: float
    low: int
    high: int
    premium_low: int
    premium_high: int


CURRENCIES: tuple[_CurrencyProfile, ...] = (
    _CurrencyProfile("USD", 0.45, 499, 35000, 50000, 120000),
    _CurrencyProfile("EUR", 0.25, 399, 30000, 45000, 100000),
    _CurrencyProfile("BRL", 0.15, 1990, 150000, 250000, 600000),
    _CurrencyProfile("CNY", 0.15, 2500, 220000, 350000, 800000),
)
#: Share of orders priced at or above the four-eyes threshold.
PREMIUM_SHARE = 0.05

CARRIERS: tuple[tuple[str, str], ...] = (
    # (carrier, tracking pattern: '#' is a digit)
    ("China Post", "RR#########CN"),
    ("Cainiao", "LP00############"),
    ("USPS", "9400##################"),
    ("Correios", "NL#########BR"),
    ("DHL eCommerce", "GM################"),
    ("YunExpress", "YT################"),
    ("4PX", "4PX###########CN"),
)

# --------------------------------------------------------------------------
# Message texts
# --------------------------------------------------------------------------

_Texts = dict[str, tuple[str, ...]]

BUYER_COMPLAINTS: dict[str, _Texts] = {
    "not_received": {
        "en": ("The parcel never arrived.",
               "Tracking has not updated for over two weeks.",
               "The tracking says delivered, but nothing was left at my door and my neighbours have nothing either.",
               "I have waited well past the promised delivery date. Please refund me."),
        "zh": ("包裹一直没有收到，物流信息停在清关。",
               "物流信息两周没有更新了。",
               "显示已签收，但我根本没有收到包裹，邻居那里也没有。",
               "已经超过承诺的送达时间很久了，请退款。"),
    },
    "not_as_described": {
        "en": ("The colour is completely different from the photos in the listing.",
               "The listing said 100% cotton, but the label says polyester.",
               "The size is much smaller than described."),
        "zh": ("颜色和商品图片完全不一样。",
               "描述是纯棉，但标签上写的是涤纶。",
               "尺寸比描述的小很多。"),
    },
    "damaged": {
        "en": ("The screen was cracked when I opened the box.",
               "The box arrived crushed and the item inside is broken.",
               "One of the legs snapped off during delivery."),
        "zh": ("打开包装时屏幕已经碎了。",
               "外箱被压坏了，里面的东西也坏了。",
               "收到时有一个零件已经断了。"),
    },
    "wrong_item": {
        "en": ("I ordered the black one and received a white one.",
               "This is not the model I ordered.",
               "I received a completely different product."),
        "zh": ("我买的是黑色的，收到的是白色的。",
               "收到的型号和我下单的不一致。",
               "收到的是完全不同的商品。"),
    },
    "counterfeit": {
        "en": ("The logo is misprinted; this is clearly not genuine.",
               "The serial number does not exist on the brand's website.",
               "The stitching and packaging look nothing like the original."),
        "zh": ("商标印刷有误，明显是假货。",
               "序列号在品牌官网上查不到。",
               "做工和包装和正品完全不一样。"),
    },
    "missing_parts": {
        "en": ("The charger and cable were missing from the box.",
               "Only 3 of the 4 pieces were in the parcel.",
               "The screws needed for assembly were not included."),
        "zh": ("盒子里没有充电器和数据线。",
               "四件套只收到了三件。",
               "缺少安装用的螺丝。"),
    },
}

PHASE_TEXTS: dict[tuple[str, str], _Texts] = {
    ("seller", "negotiation"): {
        "en": ("We shipped on time; tracking shows the parcel is still in transit. Please wait a few more days.",
               "We can offer a partial refund as compensation.",
               "Could you send a photo of the item and of the shipping label?",
               "We checked the item before shipping; it was in perfect condition.",
               "Sorry for the trouble. We will do our best to solve this.",
               "Tracking shows the parcel was delivered and signed for."),
        "zh": ("我们已按时发货，物流显示仍在运输中，请再耐心等几天。",
               "我们可以提供部分退款作为补偿。",
               "请提供商品和包装标签的照片。",
               "发货前我们检查过，商品完好无损。",
               "给您带来不便非常抱歉，我们会尽力解决。",
               "物流显示包裹已经签收。"),
    },
    ("buyer", "review"): {
        "en": ("I have asked the platform to look at this.",
               "Please check the photos I uploaded."),
        "zh": ("我已经申请平台介入。",
               "请查看我上传的照片。"),
    },
    ("seller", "review"): {
        "en": ("We have uploaded the shipping proof for the platform.",
               "The buyer's claim does not match our packing records."),
        "zh": ("我们已经上传了发货凭证，请平台审核。",
               "买家的说法和我们的打包记录不符。"),
    },
    ("buyer", "return"): {
        "en": ("I will send the item back this week.",
               "Which address should I ship the return to?",
               "The return is on its way, tracking number is in the system."),
        "zh": ("退货已经打包好了，明天寄出。",
               "请问退货地址是哪里？",
               "退货已寄出，单号已经填写。"),
    },
    ("seller", "return"): {
        "en": ("Please include the order number inside the return parcel.",
               "Return address: Room 1203, Building 5, Longhua District, Shenzhen, China."),
        "zh": ("请在退货包裹里附上订单号。",
               "退货地址：深圳市龙华区5栋1203室。"),
    },
    ("buyer", "closed"): {
        "en": ("Thank you, the refund has arrived.",
               "OK, thanks for sorting this out."),
        "zh": ("谢谢，已收到退款。",
               "好的，问题解决了，谢谢。"),
    },
    ("seller", "closed"): {
        "en": ("Thank you for your understanding.",
               "Glad we could resolve this. Have a nice day!"),
        "zh": ("感谢您的理解。",
               "很高兴问题得到解决，祝您生活愉快！"),
    },
}

CANCEL_TEXTS: _Texts = {
    "en": ("The parcel finally arrived today, sorry for the trouble.",
           "I found the missing part in the packaging, all good now."),
    "zh": ("包裹今天终于到了，抱歉给您添麻烦了。",
           "缺的零件在包装里找到了，没问题了。"),
}

#: Optional proposal notes, by (party, what the proposal asks for).
PROPOSAL_NOTES: dict[tuple[str, str], _Texts] = {
    ("buyer", "full"): {"en": ("Full refund please.", "I want my money back."),
                        "zh": ("请全额退款。", "要求全额退款。")},
    ("buyer", "partial"): {"en": ("I would accept a partial refund.", "Refund part of the price and I keep it."),
                           "zh": ("可以接受部分退款。", "部分退款的话我可以留下商品。")},
    ("buyer", "return"): {"en": ("I will send it back for a refund.",),
                          "zh": ("我可以退货退款。",)},
    ("seller", "partial"): {"en": ("Partial refund as a goodwill gesture.", "This is the best we can offer."),
                            "zh": ("作为补偿，部分退款。", "这是我们能给的最大补偿。")},
    ("seller", "full"): {"en": ("We will refund you in full.",),
                         "zh": ("我们全额退款。",)},
    ("seller", "none"): {"en": ("The parcel is still in transit.", "The item was shipped as described."),
                         "zh": ("包裹还在运输途中。", "商品与描述一致。")},
    ("seller", "return"): {"en": ("Please return the item; we pay the return postage.",),
                           "zh": ("请退回商品，退货运费由我们承担。",)},
}

EVIDENCE_NAMES: dict[str, tuple[str, ...]] = {
    "buyer": ("IMG_{n:04d}.png", "photo_item_{n}.png", "box_photo.png", "label_closeup.png",
              "screenshot_tracking.png"),
    "seller": ("shipping_receipt.png", "packing_photo_{n}.png", "warehouse_check.png"),
}

# --------------------------------------------------------------------------
# Small real PNG images
# --------------------------------------------------------------------------

PNG_SIZE = 48
PNG_VARIANTS = 16
_PALETTE = ((214, 69, 65), (52, 152, 219), (46, 204, 113), (155, 89, 182),
            (241, 196, 15), (230, 126, 34), (26, 188, 156), (149, 165, 166))


@dataclass(frozen=True)
class _Image:
    """One cached PNG: its base64 content and sha256 hex digest."""

    content_base64: str
    sha256: str
    size: int


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, tag, data, CRC32 of tag+data."""
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """Encode an 8-bit RGB PNG whose pixel (x, y) colour is `pixel(x, y)`."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + _png_chunk(b"IEND", b""))


def _parcel_pixel(variant: int) -> Callable[[int, int], tuple[int, int, int]]:
    """A 'photo' of a parcel: tinted gradient, a brown box with tape, a damage mark."""
    r0, g0, b0 = _PALETTE[variant % len(_PALETTE)]
    offset = (variant * 5) % 9 - 4
    striped = variant >= len(_PALETTE)
    left, top, right, bottom = 10 + offset, 12, 38 + offset, 40

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if left <= x < right and top <= y < bottom:
            if abs(x - (left + right) // 2) <= 1:
                return (222, 200, 150)            # tape
            if striped and x - left == y - top:
                return (60, 40, 30)               # a tear across the box
            return (176, 128, 80)                 # cardboard
        shade = (x + y) * 2
        if striped and (x // 4 + y // 4) % 2:
            shade += 24
        return (min(255, r0 // 2 + shade), min(255, g0 // 2 + shade), min(255, b0 // 2 + shade))

    return pixel


@lru_cache(maxsize=None)
def demo_image(variant: int) -> _Image:
    """The cached PNG for `variant` (0..PNG_VARIANTS-1)."""
    data = encode_png(PNG_SIZE, PNG_SIZE, _parcel_pixel(variant % PNG_VARIANTS))
    return _Image(base64.b64encode(data).decode("ascii"), hashlib.sha256(data).hexdigest(), len(data))


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

def format_amount(minor: int) -> str:
    """Minor units (cents) as the contract's decimal string with 2 digits."""
    return f"{minor // 100}.{minor % 100:02d}"


def format_time(epoch: int, zone: timezone) -> str:
    """ISO 8601 with an offset: `Z` for UTC, else `+08:00` style."""
    moment = datetime.fromtimestamp(epoch, zone)
    if zone is UTC:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def _other(party: str) -> str:
    """The opposite negotiating party."""
    return "seller" if party == "buyer" else "buyer"


def _pattern_digits(rng: random.Random, pattern: str) -> str:
    """Replace every '#' in `pattern` with a random digit."""
    return "".join(str(rng.randrange(10)) if ch == "#" else ch for ch in pattern)


def _order_total(rng: random.Random, profile: _CurrencyProfile) -> int:
    """A log-uniform price with retail-style endings (.99, .90, .00)."""
    low, high = ((profile.premium_low, profile.premium_high) if rng.random() < PREMIUM_SHARE
                 else (profile.low, profile.high))
    minor = int(math.exp(rng.uniform(math.log(low), math.log(high))))
    units = max(1, minor // 100)
    return units * 100 + rng.choice((99, 99, 90, 0, 50))


def _round_offer(minor: int, ceiling: int) -> int:
    """Round a partial refund to whole units when it is at least one unit; keep it in (0, ceiling]."""
    if minor >= 100:
        minor = minor // 100 * 100
    return max(1, min(minor, ceiling))


# --------------------------------------------------------------------------
# One dispute
# --------------------------------------------------------------------------

@dataclass
class _Clock:
    """A running party clock, in seconds relative to the opening."""

    party: str
    start: int
    hours: int

    @property
    def due(self) -> int:
        return self.start + self.hours * HOUR


@dataclass
class _Parties:
    """Who is involved and which language each writes in."""

    buyer_id: str
    seller_id: str
    languages: dict[str, str]


@dataclass
class _DisputeBuilder:
    """Runs one dispute's plan under the §3 rules, in time relative to the opening.

    Every action checks that it is allowed in the current stage and recomputes
    the stage and the party clock, so the builder cannot emit an invalid event.
    Messages and evidence are sprinkled between actions, always before the
    running clock's due time.
    """

    rng: random.Random
    number: int
    parties: _Parties
    currency: str
    total: int
    kind: str
    reason: str
    evidence_pending: int
    t: int = 0
    stage: str = "new"
    clock: _Clock | None = None
    proposals: dict[str, dict[str, Any] | None] = field(default_factory=lambda: {"buyer": None, "seller": None})
    counters: dict[str, int] = field(default_factory=lambda: {"buyer": 0, "seller": 0})
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

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

    def _set_stage(self, stage: str, clock: _Clock | None) -> None:
        self.stage, self.clock = stage, clock

    def _who_must_act(self, actor: str) -> None:
        """§3: no buyer proposal → buyer; no seller proposal → seller; else the other party."""
        if self.proposals["buyer"] is None:
            must = "buyer"
        elif self.proposals["seller"] is None:
            must = "seller"
        else:
            must = _other(actor)
        self._set_stage(f"awaiting_{must}", _Clock(must, self.t, PARTY_RESPONSE_HOURS))

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
            refund = self.total if self.rng.random() < 0.85 else _round_offer(
                int(self.total * self.rng.uniform(0.6, 0.95)), self.total)
            paid_by = "seller" if self.reason in ("wrong_item", "counterfeit", "damaged") else \
                self.rng.choice(("buyer", "seller"))
            return self._proposal("buyer", "return_and_refund", refund, paid_by)
        refund = self.total if self.rng.random() < 0.65 else _round_offer(
            int(self.total * self.rng.uniform(0.4, 0.95)), self.total)
        return self._proposal("buyer", "refund", refund)

    def seller_counter_proposal(self, allow_no_refund: bool = True) -> dict[str, Any]:
        """A lower partial refund than the buyer asks for, or no refund at all."""
        if allow_no_refund and self.rng.random() < 0.25:
            return self._proposal("seller", "no_refund", None)
        asked = self._refund_of("buyer") or self.total
        return self._proposal("seller", "refund", _round_offer(int(asked * self.rng.uniform(0.2, 0.7)), self.total))

    def seller_return_offer(self) -> dict[str, Any]:
        """The seller offers the buyer's refund against a return, shipping paid by the seller."""
        return self._proposal("seller", "return_and_refund", self._refund_of("buyer") or self.total, "seller")

    def buyer_counter_proposal(self, remedy: str = "refund") -> dict[str, Any]:
        """Meet the seller part way: between the seller's offer and the buyer's last ask."""
        asked = self._refund_of("buyer") or self.total
        offered = self._refund_of("seller")
        amount = _round_offer(int(offered + (asked - offered) * self.rng.uniform(0.4, 0.8)), self.total)
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
        proposal = self.proposals[_other(party)]
        assert proposal is not None
        self._emit(self.t, "proposal.accepted", party=party, proposal_id=proposal["proposal_id"])
        if proposal["remedy"] == "return_and_refund":
            self._set_stage("awaiting_return_shipment", _Clock("buyer", self.t, RETURN_SHIP_HOURS))
        else:
            self._set_stage("closed", None)

    def escalate(self, party: str) -> None:
        """`dispute.escalated`: the platform must arbitrate."""
        self._require("awaiting_seller", "awaiting_buyer")
        self._emit(self.t, "dispute.escalated", party=party)
        self._set_stage("platform_review", None)

    def cancel(self) -> None:
        """`dispute.cancelled` by the buyer, with a short explanation first."""
        self._require("awaiting_seller", "awaiting_buyer", "platform_review")
        self._emit(self.t, "message.posted", party="buyer",
                   text=self.rng.choice(CANCEL_TEXTS[self.parties.languages["buyer"]]))
        self.t += self.rng.randint(2 * MINUTE, SAFETY_SECONDS - 5 * MINUTE)
        self._emit(self.t, "dispute.cancelled", party="buyer")
        self._set_stage("closed", None)

    def ship_return(self) -> None:
        """`return.shipped` by the buyer."""
        self._require("awaiting_return_shipment")
        carrier, pattern = self.rng.choice(CARRIERS)
        self._emit(self.t, "return.shipped", party="buyer",
                   tracking_number=_pattern_digits(self.rng, pattern), carrier=carrier)
        self._set_stage("awaiting_return_receipt", _Clock("seller", self.t, RETURN_RECEIVE_HOURS))

    def receive_return(self) -> None:
        """`return.received` by the seller: the refund is executed, the dispute closes."""
        self._require("awaiting_return_receipt")
        self._emit(self.t, "return.received", party="seller")
        self._set_stage("closed", None)


# --------------------------------------------------------------------------
# Plans: each leaves the dispute in one stage
# --------------------------------------------------------------------------

def _respond(d: _DisputeBuilder) -> None:
    """A typical party response time: minutes to four days."""
    d.wait(0.3, 96)


def _counter(d: _DisputeBuilder) -> None:
    """The seller counters the buyer's request."""
    _respond(d)
    d.post("seller", d.seller_counter_proposal())


def _plan_awaiting_seller(d: _DisputeBuilder) -> None:
    roll = d.rng.random()
    if roll < 0.5:
        return                                  # the seller has not answered yet
    _counter(d)
    _respond(d)
    if roll < 0.8:
        d.post("buyer", d.buyer_counter_proposal())
    else:
        d.withdraw("seller")                    # the seller takes the offer back to revise it


def _plan_awaiting_buyer(d: _DisputeBuilder) -> None:
    roll = d.rng.random()
    if roll < 0.2:
        d.wait(0.1, 48)
        d.withdraw("buyer")                     # the buyer withdraws to rethink the request
        return
    _counter(d)
    if roll >= 0.8:
        _respond(d)
        d.post("buyer", d.buyer_counter_proposal())
        _respond(d)
        d.post("seller", d.seller_counter_proposal(allow_no_refund=False))


def _plan_platform_review(d: _DisputeBuilder) -> None:
    if d.rng.random() < 0.4:
        _respond(d)
        d.escalate("seller")                    # the seller disputes the claim outright
        return
    _counter(d)
    _respond(d)
    d.escalate("buyer")                         # the buyer rejects the counter offer


def _plan_awaiting_return_shipment(d: _DisputeBuilder) -> None:
    if d.kind == "only_refund":                 # the seller offers a return instead
        _respond(d)
        d.post("seller", d.seller_return_offer())
        _respond(d)
        d.accept("buyer")
        return
    if d.rng.random() < 0.25:               # a partial refund offer first, then the buyer insists on a return
        _respond(d)
        d.post("seller", d.seller_counter_proposal(allow_no_refund=False))
        _respond(d)
        d.post("buyer", d.buyer_counter_proposal("return_and_refund"))
    _respond(d)
    d.accept("seller")


def _plan_awaiting_return_receipt(d: _DisputeBuilder) -> None:
    _plan_awaiting_return_shipment(d)
    d.wait(3, 200)
    d.ship_return()


def _plan_closed(d: _DisputeBuilder) -> None:
    roll = d.rng.random()
    if d.kind == "return_and_refund":           # the return completes
        _plan_awaiting_return_receipt(d)
        d.wait(48, 330)
        d.receive_return()
    elif roll < 0.3:
        _respond(d)
        d.accept("seller")                      # the seller simply agrees
    elif roll < 0.65:
        _counter(d)
        _respond(d)
        d.accept("buyer")                       # the buyer takes the counter offer
    elif roll < 0.8:
        _counter(d)
        d.wait(0.2, 24)
        d.withdraw("seller")
        d.wait(0.2, 24)
        d.post("seller", d.seller_counter_proposal(allow_no_refund=False))
        _respond(d)
        d.accept("buyer")
    else:
        if d.rng.random() < 0.5:
            _counter(d)
        _respond(d)
        d.cancel()


def _plan_overdue(d: _DisputeBuilder) -> None:
    if d.kind == "return_and_refund":
        _plan_awaiting_return_shipment(d)
        if d.rng.random() < 0.5:
            d.wait(3, 200)
            d.ship_return()
    elif d.rng.random() < 0.5:
        _counter(d)                             # the buyer never answers the counter


_KIND_FOR_PLAN: dict[str, Callable[[random.Random], str]] = {
    "awaiting_seller": lambda rng: "return_and_refund" if rng.random() < 0.2 else "only_refund",
    "awaiting_buyer": lambda rng: "return_and_refund" if rng.random() < 0.2 else "only_refund",
    "platform_review": lambda rng: "return_and_refund" if rng.random() < 0.3 else "only_refund",
    "awaiting_return_shipment": lambda rng: "only_refund" if rng.random() < 0.15 else "return_and_refund",
    "awaiting_return_receipt": lambda rng: "only_refund" if rng.random() < 0.15 else "return_and_refund",
    "closed": lambda rng: "return_and_refund" if rng.random() < 0.3 else "only_refund",
    "overdue": lambda rng: "return_and_refund" if rng.random() < 0.4 else "only_refund",
}

_PLANS: dict[str, Callable[[_DisputeBuilder], None]] = {
    "awaiting_seller": _plan_awaiting_seller,
    "awaiting_buyer": _plan_awaiting_buyer,
    "platform_review": _plan_platform_review,
    "awaiting_return_shipment": _plan_awaiting_return_shipment,
    "awaiting_return_receipt": _plan_awaiting_return_receipt,
    "closed": _plan_closed,
    "overdue": _plan_overdue,
}


def _age_at_now(rng: random.Random, plan: str, d: _DisputeBuilder) -> tuple[int, int]:
    """How long before `now` the reference moment lies: (age seconds, reference relative time).

    With a running party clock the reference is the clock's start; the age puts
    the due time a few hours, a few days, or (plan "overdue") 1-12 hours in the past.
    """
    if d.clock is None:
        last = d.events[-1][0]
        if plan == "platform_review":
            return rng.randint(30 * MINUTE, 6 * DAY), last
        return rng.randint(HOUR, 30 * DAY), last
    window = d.clock.hours * HOUR
    if plan == "overdue":
        return window + rng.randint(HOUR, 12 * HOUR), d.clock.start
    roll = rng.random()
    if roll < 0.2:
        remaining = rng.randint(30 * MINUTE, 12 * HOUR)
    elif roll < 0.5:
        remaining = rng.randint(12 * HOUR, 48 * HOUR)
    else:
        remaining = rng.randint(48 * HOUR, window - 30 * MINUTE)
    return window - remaining, d.clock.start


# --------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------

def _order(rng: random.Random, d: _DisputeBuilder, order_id: str, opened: int) -> dict[str, Any]:
    """The order, with shipping dates inside the §3 opening window of `opened` (epoch seconds)."""
    if d.reason == "not_received":
        at_once = rng.random() < 0.1
        promised = rng.choice((3, 4)) if at_once else rng.choice((None, 20, 30, 45, 60))
        earliest = DAY if at_once else OPEN_AFTER_SHIPPED_DAYS * DAY
        latest = ((promised or DEFAULT_PROMISED_DAYS) + PROTECTION_DAYS_AFTER_DELIVERY) * DAY - HOUR
        shipped = opened - rng.randint(earliest, latest)
        delivered = None
    else:
        at_once = rng.random() < 0.15
        promised = rng.randint(2, OPEN_AT_ONCE_IF_PROMISED_BELOW - 1) if at_once else rng.choice((None, 15, 20, 30))
        transit = rng.randint(DAY, 4 * DAY) if at_once else rng.randint(6 * DAY, 25 * DAY)
        earliest = transit + HOUR if at_once else max(transit + HOUR, OPEN_AFTER_SHIPPED_DAYS * DAY)
        latest = transit + PROTECTION_DAYS_AFTER_DELIVERY * DAY - HOUR
        shipped = opened - rng.randint(earliest, latest)
        delivered = shipped + transit
    order: dict[str, Any] = {
        "order_id": order_id,
        "buyer_id": d.parties.buyer_id,
        "seller_id": d.parties.seller_id,
        "total": {"amount": format_amount(d.total), "currency": d.currency},
        "shipped_at": format_time(shipped, rng.choice((UTC, CHINA))),
    }
    if delivered is not None:
        order["delivered_at"] = format_time(delivered, rng.choice((UTC, CHINA)))
    if promised is not None:
        order["promised_delivery_days"] = promised
    return order


# --------------------------------------------------------------------------
# The stream
# --------------------------------------------------------------------------

def _plan_list(rng: random.Random, count: int) -> list[str]:
    """`count` plan names in STAGE_MIX proportions (largest remainder), shuffled."""
    quotas = [(name, share * count) for name, share in STAGE_MIX]
    sizes = {name: int(q) for name, q in quotas}
    leftover = count - sum(sizes.values())
    for name, q in sorted(quotas, key=lambda item: item[1] - int(item[1]), reverse=True)[:leftover]:
        sizes[name] += 1
    plans = [name for name, _ in STAGE_MIX for _ in range(sizes[name])]
    rng.shuffle(plans)
    return plans


class _SellerPool:
    """A pool of sellers with a long tail: a few sellers carry many disputes."""

    def __init__(self, rng: random.Random, count: int) -> None:
        size = max(3, count // 6)
        self.ids = [f"S-{n}" for n in rng.sample(range(100000, 1000000), size)]
        self.languages = ["zh" if rng.random() < 0.65 else "en" for _ in range(size)]
        self.cumulative = list(accumulate(1 / (rank + 1) ** 1.1 for rank in range(size)))

    def pick(self, rng: random.Random) -> tuple[str, str]:
        index = rng.choices(range(len(self.ids)), cum_weights=self.cumulative)[0]
        return self.ids[index], self.languages[index]


def _build_dispute(rng: random.Random, index: int, plan: str, now: int,
                   sellers: _SellerPool) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    """Run one plan; return the opening's epoch and the dispute's (relative time, event) pairs."""
    profile = rng.choices(CURRENCIES, weights=[c.weight for c in CURRENCIES])[0]
    kind = _KIND_FOR_PLAN[plan](rng)
    reason = rng.choice(REASONS_RETURN if kind == "return_and_refund" else REASONS_ONLY_REFUND)
    seller_id, seller_lang = sellers.pick(rng)
    buyer_lang = "zh" if rng.random() < (0.9 if profile.code == "CNY" else 0.2) else "en"
    parties = _Parties(f"B-{rng.randrange(10_000_000, 100_000_000)}", seller_id,
                       {"buyer": buyer_lang, "seller": seller_lang})
    d = _DisputeBuilder(rng=rng, number=100001 + index, parties=parties, currency=profile.code,
                        total=_order_total(rng, profile), kind=kind, reason=reason,
                        evidence_pending=rng.choice((1, 2)) if rng.random() < 1 / 3 else 0)
    d.open(order={})                            # the order is filled in once the opening is anchored
    _PLANS[plan](d)
    age, reference = _age_at_now(rng, plan, d)
    now_rel = d.finish(age, reference)
    opened = now - now_rel
    order_id = f"O-{8_100_000_000 + index * 100 + rng.randrange(100)}"
    d.events[0][1]["order"] = _order(rng, d, order_id, opened)
    return opened, d.events


def generate_demo_events(count: int, seed: int, now: datetime) -> Iterator[dict[str, Any]]:
    """Feed events for `count` disputes, ordered by `at` globally (ascending), reproducible for a given (count, seed, now).

    Disputes are numbered D-100001, D-100002, ...; event ids are
    ``DEMO-<seed>-<n>`` in stream order. Every `at` is <= `now` (taken to the
    whole second). See STAGE_MIX for the stage each dispute is left in.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    now_epoch = math.floor(now.timestamp())
    sellers = _SellerPool(rng, count)
    stream: list[tuple[int, int, int, str, dict[str, Any]]] = []
    for index, plan in enumerate(_plan_list(rng, count)):
        opened, events = _build_dispute(rng, index, plan, now_epoch, sellers)
        dispute_id = f"D-{100001 + index}"
        for seq, (rel, body) in enumerate(events):
            at = opened + rel
            zone = UTC if rng.random() < 0.5 else CHINA
            stream.append((at, index, seq, format_time(at, zone), body))
            body["dispute_id"] = dispute_id
    stream.sort(key=lambda item: (item[0], item[1], item[2]))
    for n, (_, _, _, at_text, body) in enumerate(stream, start=1):
        event = {"event_id": f"DEMO-{seed}-{n}", "type": body.pop("type"),
                 "dispute_id": body.pop("dispute_id"), "at": at_text}
        event.update(body)
        yield event
