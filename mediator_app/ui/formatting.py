"""How values read on screen: countdowns, money, times in two zones, stages and previews — all translatable.

Every user-visible string goes through Qt's translation (`QCoreApplication.translate`), English source text.
"""
from __future__ import annotations

import html

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime, QTimeZone
from PySide6.QtGui import Qt as QtGuiQt

from mediator_app.domain import desk
from mediator_app.domain.case_view import policy_of
from mediator_app.domain.expiry import expiry_kind
from mediator_app.domain.money import CURRENCY_DIGITS, Money
from mediator_app.domain.policy import DEFAULT_POLICY, Policy, get_policy

#: The platform's zone for what carries no policy of its own (a queue line): the default policy's.
PLATFORM_ZONE = get_policy(DEFAULT_POLICY).platform_zone


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 (Qt's name: lupdate finds the marks by it)
    """Marks `text` for the translation tools and returns it (Qt's own returns `object` to the type checker)."""
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802
    """Marks `text` in `context` for the translation tools and returns it."""
    return text


def tr(text: str, group: str | None = None) -> str:
    """The translation of `text` (English source). `pyside6-lupdate` reads a bare `tr("text", "Group")` as the
    empty context with the disambiguation "Group" (verified by running it), so that is what this asks Qt for;
    a group lupdate could not read (a variable) falls back to the entry without one (Qt's own lookup order)."""
    return QCoreApplication.translate("", text, group)


def chinese(locale: QLocale | None = None) -> bool:
    return (locale or QLocale()).language() == QLocale.Language.Chinese


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
    if not days:
        return f"{sign}{clock}"
    return tr("%1d %2").replace("%1", f"{sign}{days}").replace("%2", clock)


def urgency(due: datetime | None, now: datetime) -> str:
    """overdue | soon (< 24 h) | later | none — shown by text and icon as well as colour (`domain.desk.urgency`)."""
    return desk.urgency(due, now)


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


def _qdatetime(at: datetime, zone: str | None) -> QDateTime:
    local = at.astimezone(ZoneInfo(zone)) if zone else at.astimezone()
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second))


def when(at: datetime | None, zone: str | None = None, locale: QLocale | None = None) -> str:
    """`06 Nov 10:00` in `zone` (None: the clerk's local zone)."""
    if at is None:
        return "—"
    loc = locale or QLocale()
    return loc.toString(_qdatetime(at, zone), "M月d日 HH:mm" if chinese(loc) else "dd MMM HH:mm")


def when_long(at: datetime | None, zone: str | None = None, locale: QLocale | None = None) -> str:
    if at is None:
        return "—"
    text = (locale or QLocale()).toString(_qdatetime(at, zone), "yyyy-MM-dd HH:mm:ss")
    return f"{text} {zone_name(at, zone, locale)}"


#: what a clerk in mainland China calls a zone; the others by Qt's long name in Chinese (中欧标准时间)
ZONES_ZH = {"Asia/Shanghai": "北京时间", "Asia/Chongqing": "北京时间", "PRC": "北京时间", "Asia/Hong_Kong": "香港时间",
            "UTC": "UTC", "Etc/UTC": "UTC"}


def zone_name(at: datetime, zone: str | None = None, locale: QLocale | None = None) -> str:
    """The zone's name at `at` in the locale's language: `CST` / `北京时间`, `UTC`, `CET` / `中欧标准时间`
    (None: the clerk's local zone)."""
    local = at.astimezone(ZoneInfo(zone)) if zone else at.astimezone()
    abbreviation = local.tzname() or ""
    loc = locale or QLocale()
    if not chinese(loc):
        return abbreviation
    key = zone or getattr(local.tzinfo, "key", None) or ("UTC" if local.utcoffset() == timedelta(0) else None)
    if key in ZONES_ZH:
        return ZONES_ZH[key]
    qzone = QTimeZone(key.encode()) if key else QTimeZone.systemTimeZone()
    if not qzone.isValid():
        return abbreviation
    moment = QDateTime.fromSecsSinceEpoch(int(at.timestamp()), qzone)
    return qzone.displayName(moment, QTimeZone.NameType.LongName, loc) or abbreviation


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


STAGES = {
    "awaiting_seller": QT_TR_NOOP("Awaiting seller"), "awaiting_buyer": QT_TR_NOOP("Awaiting buyer"),
    "awaiting_parties": QT_TR_NOOP("Awaiting both parties"), "platform_review": QT_TR_NOOP("Needs ruling"),
    "pending_approval": QT_TR_NOOP("Pending approval"), "awaiting_return_shipment": QT_TR_NOOP("Return: awaiting shipment"),
    "awaiting_return_receipt": QT_TR_NOOP("Return: awaiting receipt"), "closed": QT_TR_NOOP("Closed"),
}
CLOCKS = {
    "seller_response": QT_TR_NOOP("seller reply"), "buyer_response": QT_TR_NOOP("buyer reply"), "parties_response": QT_TR_NOOP("parties reply"),
    "platform_intervention": QT_TR_NOOP("platform SLA"), "platform_ruling": QT_TR_NOOP("ruling SLA"),
    "return_shipment": QT_TR_NOOP("return shipment"), "return_receipt": QT_TR_NOOP("return receipt"),
}
PARTIES = {"buyer": QT_TR_NOOP("buyer"), "seller": QT_TR_NOOP("seller"), "platform": QT_TR_NOOP("platform"), "both": QT_TR_NOOP("both parties")}
REMEDIES = {"refund": QT_TR_NOOP("refund"), "return_and_refund": QT_TR_NOOP("return and refund"), "no_refund": QT_TR_NOOP("no refund")}
ROLES = {"clerk": QT_TR_NOOP("clerk"), "supervisor": QT_TR_NOOP("supervisor"), "auditor": QT_TR_NOOP("auditor"),
         "service": QT_TR_NOOP("service")}
KINDS = {"only_refund": QT_TR_NOOP("Only refund"), "return_and_refund": QT_TR_NOOP("Return & refund")}


def label(table: dict[str, str], key: str | None) -> str:
    """A translated label for a code (`awaiting_seller` -> `Awaiting seller`); unknown codes as they are."""
    if key is None:
        return "—"
    text = table.get(key)
    return tr(text, "Labels") if text else key.replace("_", " ")


#: the buyers' reasons the window knows by name (others are shown as they come, underscores as spaces)
REASONS = (QT_TR_NOOP("not received"), QT_TR_NOOP("not as described"), QT_TR_NOOP("damaged"), QT_TR_NOOP("wrong item"),
           QT_TR_NOOP("counterfeit"), QT_TR_NOOP("missing parts"))


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


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` as it is: Qt renders a tooltip that looks like markup as rich text, and
    tooltips have no plain-text switch, so such text is escaped (party text is data, issue 13)."""
    if not QtGuiQt.mightBeRichText(text):
        return text
    return "<qt>" + html.escape(text).replace("\n", "<br/>") + "</qt>"
