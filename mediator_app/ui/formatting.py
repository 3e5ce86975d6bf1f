"""How values read on screen: countdowns, money, times in two zones, stages and previews — all translatable.

Every user-visible string goes through Qt's translation (`QCoreApplication.translate`), English source text.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime

from mediator_app.domain.case_view import policy_of
from mediator_app.domain.expiry import expiry_kind
from mediator_app.domain.money import CURRENCY_DIGITS, Money
from mediator_app.domain.policy import DEFAULT_POLICY, Policy, get_policy

#: The platform's zone for what carries no policy of its own (a queue line): the default policy's.
PLATFORM_ZONE = get_policy(DEFAULT_POLICY).platform_zone


def tr(text: str, context: str = "Mediator") -> str:
    return QCoreApplication.translate(context, text)


def countdown(due: datetime, now: datetime) -> str:
    """`2d 04:13:09` before the due time, `-03:12:44` (or `-1d 03:12:44`) after it."""
    left = due - now
    sign = ""
    if left < timedelta(0):
        sign, left = "-", -left
    seconds = int(left.total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{sign}{days}{tr('d')} {clock}" if days else f"{sign}{clock}"


def urgency(due: datetime | None, now: datetime) -> str:
    """overdue | soon (< 24 h) | later | none — shown by text and icon as well as colour."""
    if due is None:
        return "none"
    left = due - now
    if left <= timedelta(0):
        return "overdue"
    return "soon" if left < timedelta(hours=24) else "later"


def money_text(money: Money | None, locale: QLocale | None = None) -> str:
    """`1,234.50 USD` with the locale's separators; exact (no float on the way)."""
    if money is None:
        return "—"
    loc = locale or QLocale()
    digits = CURRENCY_DIGITS[money.currency]
    quantized = money.amount.quantize(Decimal(1).scaleb(-digits))
    sign = "-" if quantized < 0 else ""
    whole, _, fraction = f"{abs(quantized):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = loc.groupSeparator().join(groups)
    if digits:
        text += loc.decimalPoint() + fraction
    return f"{sign}{text} {money.currency}"


def money_from_json(data: dict[str, str] | None) -> Money | None:
    return Money(Decimal(data["amount"]), data["currency"]) if data else None


def _qdatetime(at: datetime, zone: str | None) -> QDateTime:
    local = at.astimezone(ZoneInfo(zone)) if zone else at.astimezone()
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second))


def when(at: datetime | None, zone: str | None = None, locale: QLocale | None = None) -> str:
    """`06 Nov 10:00` in `zone` (None: the clerk's local zone)."""
    if at is None:
        return "—"
    return (locale or QLocale()).toString(_qdatetime(at, zone), "dd MMM HH:mm")


def when_long(at: datetime | None, zone: str | None = None, locale: QLocale | None = None) -> str:
    if at is None:
        return "—"
    local = at.astimezone(ZoneInfo(zone)) if zone else at.astimezone()
    text = (locale or QLocale()).toString(_qdatetime(at, zone), "yyyy-MM-dd HH:mm:ss")
    return f"{text} {local.tzname()}"


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


STAGES = {
    "awaiting_seller": "Awaiting seller", "awaiting_buyer": "Awaiting buyer",
    "awaiting_parties": "Awaiting both parties", "platform_review": "Needs ruling",
    "pending_approval": "Pending approval", "awaiting_return_shipment": "Return: awaiting shipment",
    "awaiting_return_receipt": "Return: awaiting receipt", "closed": "Closed",
}
CLOCKS = {
    "seller_response": "seller reply", "buyer_response": "buyer reply", "parties_response": "parties reply",
    "platform_intervention": "platform SLA", "platform_ruling": "ruling SLA",
    "return_shipment": "return shipment", "return_receipt": "return receipt",
}
PARTIES = {"buyer": "buyer", "seller": "seller", "platform": "platform", "both": "both parties"}
REMEDIES = {"refund": "refund", "return_and_refund": "return and refund", "no_refund": "no refund"}
KINDS = {"only_refund": "Only refund", "return_and_refund": "Return & refund"}


def label(table: dict[str, str], key: str | None) -> str:
    """A translated label for a code (`awaiting_seller` -> `Awaiting seller`); unknown codes as they are."""
    if key is None:
        return "—"
    text = table.get(key)
    return tr(text, "Labels") if text else key.replace("_", " ")


def reason_text(reason: str) -> str:
    return tr(reason.replace("_", " "), "Reasons")


def terms_text(remedy: str | None, refund: Money | None) -> str:
    """`refund 66.65 USD`, `return and refund 66.65 USD`, `no refund`."""
    if remedy is None or remedy == "no_refund" or refund is None:
        return label(REMEDIES, "no_refund")
    return f"{label(REMEDIES, remedy)} {money_text(refund)}"


def preview_text(clock: str | None, silent: str | None, adopted: str | None, remedy: str | None,
                 refund: Money | None, at: datetime | None) -> str:
    """The default-judgment preview: `seller silent → buyer's refund 66.65 USD at 06 Nov 10:00` (what executes:
    `domain.expiry`)."""
    if clock is None:
        return ""
    moment = when(at)
    kind = expiry_kind(clock, adopted, refund)
    if kind == "return_not_shipped":
        return tr("return not shipped → close, no refund at %1").replace("%1", moment)
    if kind in ("refund_on_receipt_timeout", "close_on_receipt_timeout"):
        return tr("receipt not confirmed → %1 at %2").replace("%1", terms_text("refund", refund)).replace("%2", moment)
    who = label(PARTIES, silent)
    if kind != "execute_proposal":
        return tr("%1 silent → close, no refund at %2").replace("%1", who).replace("%2", moment)
    return (tr("%1 silent → %2's %3 at %4").replace("%1", who).replace("%2", label(PARTIES, adopted))
            .replace("%3", terms_text(remedy, refund)).replace("%4", moment))


def case_policy(name: str | None) -> Policy:
    """The policy a case names (the default one for a name this build does not know)."""
    return policy_of(name or "") or get_policy(DEFAULT_POLICY)


def sla_rule_text(policy: Policy | None = None) -> str:
    """What the platform SLA is, with both clocks `sla_breached` counts, their lengths read from the policy."""
    rules = policy or get_policy(DEFAULT_POLICY)
    return (tr("Platform SLA: the %1-day intervention deadline and the %2-day ruling deadline (policy %3)")
            .replace("%1", str(rules.platform_intervention_days)).replace("%2", str(rules.platform_ruling_days))
            .replace("%3", rules.name))


def sla_breach_text(policy: Policy | None = None) -> str:
    """The tooltip of a breached SLA: either platform deadline passed."""
    rules = policy or get_policy(DEFAULT_POLICY)
    return (tr("Platform SLA breached: the clerks' %1-day intervention or %2-day ruling deadline passed", "Queue")
            .replace("%1", str(rules.platform_intervention_days)).replace("%2", str(rules.platform_ruling_days)))
