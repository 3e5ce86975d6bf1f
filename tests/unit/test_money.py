"""§1 Money and proposal terms; the four-eyes thresholds of §3."""
from decimal import Decimal

import pytest

from mediator_app.domain.errors import Rejection
from mediator_app.domain.money import CURRENCY_DIGITS, Money, parse_amount, parse_money
from mediator_app.domain.policy import ALIEXPRESS_2024
from mediator_app.domain.proposals import Proposal, check_terms, parse_proposal

USD_TOTAL = Money(Decimal("66.65"), "USD")


def test_parse_money_reads_decimal_string():
    m = parse_money({"amount": "66.65", "currency": "USD"})
    assert m == Money(Decimal("66.65"), "USD")
    assert isinstance(m.amount, Decimal)


def test_currency_digits_match_contract():
    assert CURRENCY_DIGITS == {"USD": 2, "EUR": 2, "CNY": 2, "BRL": 2, "GBP": 2, "JPY": 0, "KRW": 0}


@pytest.mark.parametrize("amount", [66.65, 66.0, 66, 0, True])
def test_numbers_instead_of_strings_are_rejected(amount):
    with pytest.raises(Rejection, match="decimal string"):
        parse_money({"amount": amount, "currency": "USD"})


@pytest.mark.parametrize("currency,ok,too_many", [
    ("USD", "1.23", "1.234"), ("EUR", "450.00", "450.001"), ("CNY", "0.01", "0.001"),
    ("BRL", "2500.5", "2500.555"), ("GBP", "400", "400.000"),
    ("JPY", "75000", "75000.0"), ("KRW", "700000", "700000.5"),
])
def test_minor_digits_per_currency(currency, ok, too_many):
    assert parse_money({"amount": ok, "currency": currency}).amount == Decimal(ok)
    with pytest.raises(Rejection, match="minor digits"):
        parse_money({"amount": too_many, "currency": currency})


@pytest.mark.parametrize("raw", ["", "   ", "abc", "1,00", "1e2", "1E+2", "+5", "1.2.3", "NaN", "Infinity",
                                 "0x10", " 5.00 ", ".5", "5.", "٥.00", None, ["1"], {"v": "1"}])
def test_non_decimal_amounts_are_rejected(raw):
    with pytest.raises(Rejection):
        parse_amount(raw, "USD")


@pytest.mark.parametrize("value", [
    None, "66.65", ["66.65", "USD"], {"amount": "1.00"}, {"amount": "1.00", "currency": "XYZ"},
    {"amount": "1.00", "currency": "usd"}, {"amount": "1.00", "currency": 840},
])
def test_malformed_money_objects_are_rejected(value):
    with pytest.raises(Rejection):
        parse_money(value)


def test_rejection_names_the_field():
    with pytest.raises(Rejection, match="order total"):
        parse_money({"amount": 5.5, "currency": "USD"}, "order total")


@pytest.mark.parametrize("amount,currency,text", [
    ("20", "USD", "20.00"), ("20.5", "USD", "20.50"), ("66.65", "USD", "66.65"),
    ("75000", "JPY", "75000"), ("3", "KRW", "3"),
])
def test_to_json_writes_the_currency_digits(amount, currency, text):
    m = Money(Decimal(amount), currency)
    assert m.to_json() == {"amount": text, "currency": currency}
    assert str(m) == f"{text} {currency}"
    assert parse_money(m.to_json()) == m


def test_subtraction_needs_one_currency():
    assert Money(Decimal("66.65"), "USD") - Money(Decimal("20.00"), "USD") == Money(Decimal("46.65"), "USD")
    with pytest.raises(ValueError):
        Money(Decimal("1"), "USD") - Money(Decimal("1"), "EUR")


# --- proposal terms (§1: refund > 0, ≤ order total, in the order's currency) -------------------------

def test_refund_equal_to_order_total_is_allowed():
    remedy, refund, payer = check_terms("refund", Money(Decimal("66.65"), "USD"), None, USD_TOTAL, "p")
    assert (remedy, refund, payer) == ("refund", Money(Decimal("66.65"), "USD"), None)


def test_refund_above_order_total_is_rejected():
    with pytest.raises(Rejection, match="above the order total"):
        check_terms("refund", Money(Decimal("66.66"), "USD"), None, USD_TOTAL, "p")


@pytest.mark.parametrize("amount", ["0", "0.00", "-1.00"])
def test_refund_must_be_positive(amount):
    with pytest.raises(Rejection, match="greater than zero"):
        check_terms("refund", Money(Decimal(amount), "USD"), None, USD_TOTAL, "p")


def test_refund_in_another_currency_is_rejected():
    with pytest.raises(Rejection, match="not the order's currency"):
        check_terms("refund", Money(Decimal("10.00"), "EUR"), None, USD_TOTAL, "p")


def test_no_refund_carries_no_refund():
    assert check_terms("no_refund", None, None, USD_TOTAL, "p") == ("no_refund", None, None)
    with pytest.raises(Rejection):
        check_terms("no_refund", Money(Decimal("1.00"), "USD"), None, USD_TOTAL, "p")


@pytest.mark.parametrize("remedy", ["refund", "return_and_refund"])
def test_refunding_remedies_need_an_amount(remedy):
    with pytest.raises(Rejection, match="needs a refund"):
        check_terms(remedy, None, None, USD_TOTAL, "p")


def test_return_shipping_defaults_to_buyer_and_is_only_for_returns():
    ten = Money(Decimal("10.00"), "USD")
    assert check_terms("return_and_refund", ten, None, USD_TOTAL, "p")[2] == "buyer"
    assert check_terms("return_and_refund", ten, "seller", USD_TOTAL, "p")[2] == "seller"
    assert check_terms("return_and_refund", ten, "platform", USD_TOTAL, "p")[2] == "platform"
    with pytest.raises(Rejection):
        check_terms("return_and_refund", ten, "courier", USD_TOTAL, "p")
    with pytest.raises(Rejection, match="only for return_and_refund"):
        check_terms("refund", ten, "seller", USD_TOTAL, "p")
    with pytest.raises(Rejection, match="only for return_and_refund"):
        check_terms("no_refund", None, "seller", USD_TOTAL, "p")


@pytest.mark.parametrize("remedy", ["partial_refund", None, "", "REFUND"])
def test_unknown_remedy_is_rejected(remedy):
    with pytest.raises(Rejection, match="remedy"):
        check_terms(remedy, Money(Decimal("1.00"), "USD"), None, USD_TOTAL, "p")


def test_parse_proposal_full_and_defaults():
    p = parse_proposal({"proposal_id": "P-1", "remedy": "return_and_refund",
                        "refund": {"amount": "20.00", "currency": "USD"}, "note": "ok"}, USD_TOTAL)
    assert p == Proposal("P-1", "return_and_refund", Money(Decimal("20.00"), "USD"), "buyer", "ok")
    assert p.to_json() == {"proposal_id": "P-1", "remedy": "return_and_refund",
                           "refund": {"amount": "20.00", "currency": "USD"},
                           "return_shipping_paid_by": "buyer", "note": "ok"}
    assert Proposal.from_json(p.to_json()) == p


@pytest.mark.parametrize("data", [
    None, "P-1", {"remedy": "no_refund"}, {"proposal_id": "", "remedy": "no_refund"},
    {"proposal_id": "  ", "remedy": "no_refund"}, {"proposal_id": 7, "remedy": "no_refund"},
    {"proposal_id": "P-1", "remedy": "refund", "refund": {"amount": 20.0, "currency": "USD"}},
    {"proposal_id": "P-1", "remedy": "refund", "refund": {"amount": "20.001", "currency": "USD"}},
    {"proposal_id": "P-1", "remedy": "no_refund", "note": 5},
])
def test_parse_proposal_rejects_malformed(data):
    with pytest.raises(Rejection):
        parse_proposal(data, USD_TOTAL)


@pytest.mark.parametrize("remedy,amount,text", [
    ("refund", "20.00", "refund 20.00 USD"), ("return_and_refund", "66.65", "return and refund 66.65 USD"),
    ("no_refund", None, "no refund"),
])
def test_proposal_describe(remedy, amount, text):
    refund = Money(Decimal(amount), "USD") if amount else None
    assert Proposal("P", remedy, refund).describe() == text


# --- four-eyes thresholds (§3) ---------------------------------------------------------------------

@pytest.mark.parametrize("currency,at,below", [
    ("USD", "500.00", "499.99"), ("EUR", "450.00", "449.99"), ("GBP", "400.00", "399.99"),
    ("CNY", "3500.00", "3499.99"), ("BRL", "2500.00", "2499.99"), ("JPY", "75000", "74999"),
    ("KRW", "700000", "699999"),
])
def test_four_eyes_threshold_is_reached_at_the_amount(currency, at, below):
    policy = ALIEXPRESS_2024
    assert policy.needs_four_eyes(Money(Decimal(at), currency)) is True
    assert policy.needs_four_eyes(Money(Decimal(at) + 1, currency)) is True
    assert policy.needs_four_eyes(Money(Decimal(below), currency)) is False


def test_no_refund_never_needs_four_eyes():
    assert ALIEXPRESS_2024.needs_four_eyes(None) is False
