"""Money: a Decimal amount with a currency, checked against the currency's minor digits."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
import re
from typing import Any

from .errors import Rejection

MAX_AMOUNT = Decimal(10) ** 12  # fits 64-bit minor units in every currency
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: Minor digits per supported currency (contract §1).
CURRENCY_DIGITS: dict[str, int] = {
    "USD": 2, "EUR": 2, "CNY": 2, "BRL": 2, "GBP": 2, "JPY": 0, "KRW": 0,
}

#: the smallest unit of each currency as a Decimal (Money.to_json quantizes to it)
_QUANTUM: dict[str, Decimal] = {code: Decimal(1).scaleb(-digits) for code, digits in CURRENCY_DIGITS.items()}


@dataclass(frozen=True, order=False)
class Money:
    amount: Decimal
    currency: str

    def to_json(self) -> dict[str, str]:
        # the amount's text is kept on the instance once made (a replay writes each amount ~4 times; the
        # instance is frozen, its fields never change, and the kept text is no field: not compared, not shown)
        text: str | None = self.__dict__.get("_text")
        if text is None:
            text = self.__dict__["_text"] = str(self.amount.quantize(_QUANTUM[self.currency]))
        return {"amount": text, "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.to_json()['amount']} {self.currency}"

    def __sub__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError("cannot subtract money of different currencies")
        return Money(self.amount - other.amount, self.currency)


def parse_money(value: Any, what: str = "amount") -> Money:
    """Parse `{"amount": "66.65", "currency": "USD"}`; floats and extra digits are rejected."""
    if not isinstance(value, dict):
        raise Rejection(f"{what} must be an object with amount and currency")
    currency = value.get("currency")
    if not isinstance(currency, str) or currency not in CURRENCY_DIGITS:
        raise Rejection(f"{what}: unknown currency {currency!r} (allowed: {', '.join(CURRENCY_DIGITS)})")
    return Money(parse_amount(value.get("amount"), currency, what), currency)


def parse_amount(raw: Any, currency: str, what: str = "amount") -> Decimal:
    """A decimal string with at most the currency's minor digits."""
    if isinstance(raw, bool) or isinstance(raw, (int, float)):
        raise Rejection(f"{what}: amount must be a decimal string, not a number ({raw!r})")
    if not isinstance(raw, str) or not raw.strip():
        raise Rejection(f"{what}: amount must be a decimal string")
    text = raw
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise Rejection(f"{what}: amount {raw!r} is not a plain decimal string like \"66.65\"")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Rejection(f"{what}: amount {raw!r} is not a decimal number") from None
    if not amount.is_finite():
        raise Rejection(f"{what}: amount {raw!r} is not a decimal number")
    if abs(amount) >= MAX_AMOUNT:
        raise Rejection(f"{what}: {raw} is beyond any order this marketplace takes")
    digits = CURRENCY_DIGITS[currency]
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > digits:
        raise Rejection(f"{what}: {raw} has more than the {digits} minor digits of {currency}")
    return amount
