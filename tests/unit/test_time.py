"""§1 times, the injected clock, and §3 "by the end of the N-th calendar day" in the platform zone."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.unit.feed_builders import sh, utc
from mediator_app.domain.errors import Rejection
from mediator_app.domain.policy import ALIEXPRESS_2024, DEFAULT_POLICY, get_policy
from mediator_app.domain.audit_chain import canonical_time
from mediator_app.domain.time import FixedClock, end_of_calendar_day, format_utc, parse_time

SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize("text,expected", [
    ("2026-11-01T10:00:00+08:00", utc(2026, 11, 1, 2, 0)),
    ("2026-11-01T02:00:00Z", utc(2026, 11, 1, 2, 0)),
    ("2026-11-01T02:00:00z", utc(2026, 11, 1, 2, 0)),
    ("2026-11-01T02:00:00+00:00", utc(2026, 11, 1, 2, 0)),
    ("2026-10-31T21:00:00-05:00", utc(2026, 11, 1, 2, 0)),
    ("2026-11-01T10:00:00.250+08:00", utc(2026, 11, 1, 2, 0, 0, 250000)),
])
def test_parse_time_with_offset_returns_utc(text, expected):
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["2026-11-01T10:00:00", "2026-11-01 10:00:00", "2026-11-01"])
def test_time_without_offset_is_rejected(text):
    with pytest.raises(Rejection, match="offset"):
        parse_time(text)


@pytest.mark.parametrize("value", ["", "yesterday", "2026-13-01T00:00:00Z", None, 1700000000, 17.5])
def test_unparseable_times_are_rejected(value):
    with pytest.raises(Rejection):
        parse_time(value)


def test_rejection_names_the_field():
    with pytest.raises(Rejection, match="order.shipped_at"):
        parse_time("2026-11-01T10:00:00", "order.shipped_at")


def test_format_utc_writes_z():
    assert format_utc(sh(2026, 11, 1, 10, 0)) == "2026-11-01T02:00:00Z"
    assert format_utc(utc(2026, 11, 1, 2, 0, 0, 5)) == "2026-11-01T02:00:00.000005Z"
    assert format_utc(None) is None
    assert parse_time(format_utc(sh(2026, 11, 1, 23, 59))) == sh(2026, 11, 1, 23, 59)


#: times across the years a dispute can carry and beyond, with and without microseconds, in and out of UTC
SPREAD = [datetime(year, month, 28, hour, 59, 58, micro, tzinfo=timezone.utc) + offset
          for year in (1000, 1970, 2000, 2026, 2038, 9000, 9999) for month in (1, 2, 12)
          for hour in (0, 23) for micro in (0, 1, 500_000, 999_999)
          for offset in (timedelta(0), timedelta(microseconds=1), timedelta(days=1))]


@pytest.mark.parametrize("zone", [timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))])
def test_times_are_written_as_isoformat_writes_them(zone):
    """format_utc and the hash chain's canonical_time write with orjson (faster): the text must stay what
    isoformat gives, the chain's form above all (every stored hash is over it)."""
    for at in SPREAD:
        local = at.astimezone(zone) if at.year > 1000 else at  # (year 999 has a form of its own)
        assert format_utc(local) == at.isoformat()[:-6] + "Z"
        assert canonical_time(local) == at.isoformat(timespec="microseconds")[:-6] + "Z"


def test_fixed_clock_stands_still_until_moved():
    clock = FixedClock(utc(2026, 11, 1, 2, 0))
    assert clock.now() == utc(2026, 11, 1, 2, 0)
    assert clock.now() == utc(2026, 11, 1, 2, 0)
    clock.advance(timedelta(hours=120))
    assert clock.now() == utc(2026, 11, 6, 2, 0)
    clock.set(sh(2026, 11, 9, 0, 0))
    assert clock.now() == utc(2026, 11, 8, 16, 0)


def test_fixed_clock_needs_aware_datetimes():
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 11, 1, 2, 0))
    clock = FixedClock(utc(2026, 11, 1))
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 11, 2))
    assert clock.now() == utc(2026, 11, 1)


# --- end of the N-th calendar day, platform zone -----------------------------------------------------

def test_contract_example_platform_intervention():
    # opened 2026-11-01T10:00+08:00 -> due 2026-11-08T16:00:00Z (= 2026-11-09T00:00+08:00)
    due = end_of_calendar_day(parse_time("2026-11-01T10:00:00+08:00"), 7, SHANGHAI)
    assert format_utc(due) == "2026-11-08T16:00:00Z"


def test_one_minute_before_local_midnight_counts_that_day():
    assert end_of_calendar_day(sh(2026, 11, 1, 23, 59), 7, SHANGHAI) == utc(2026, 11, 8, 16, 0)


def test_one_minute_after_local_midnight_is_the_next_day():
    assert end_of_calendar_day(sh(2026, 11, 2, 0, 1), 7, SHANGHAI) == utc(2026, 11, 9, 16, 0)


def test_local_midnight_itself_starts_the_new_day():
    assert end_of_calendar_day(sh(2026, 11, 2, 0, 0), 7, SHANGHAI) == utc(2026, 11, 9, 16, 0)
    assert end_of_calendar_day(sh(2026, 11, 1, 23, 59, 59), 7, SHANGHAI) == utc(2026, 11, 8, 16, 0)


def test_utc_time_already_the_next_day_in_shanghai():
    # 2026-11-01T16:30Z is still Nov 1 in UTC but 2026-11-02T00:30 in Shanghai: day 0 is Nov 2.
    assert end_of_calendar_day(utc(2026, 11, 1, 16, 30), 7, SHANGHAI) == utc(2026, 11, 9, 16, 0)
    assert end_of_calendar_day(utc(2026, 11, 1, 15, 59), 7, SHANGHAI) == utc(2026, 11, 8, 16, 0)
    # the ruling clock (3 days) likewise
    assert end_of_calendar_day(utc(2026, 11, 2, 17, 0), 3, SHANGHAI) == utc(2026, 11, 6, 16, 0)


def test_end_of_calendar_day_across_month_and_year():
    assert end_of_calendar_day(sh(2026, 12, 29, 12, 0), 3, SHANGHAI) == sh(2027, 1, 2, 0, 0)


def test_end_of_calendar_day_respects_dst_in_other_zones():
    # Europe/Berlin switches to summer time on 2026-03-29: local midnight of Mar 30 is 22:00Z.
    start = datetime(2026, 3, 28, 12, 0, tzinfo=timezone.utc)
    assert end_of_calendar_day(start, 1, "Europe/Berlin") == utc(2026, 3, 29, 22, 0)
    # and local midnight of Mar 29 is still winter time (23:00Z on Mar 28)
    assert end_of_calendar_day(start, 0, "Europe/Berlin") == utc(2026, 3, 28, 23, 0)


def test_end_of_calendar_day_returns_utc():
    due = end_of_calendar_day(sh(2026, 11, 1, 10, 0), 3, SHANGHAI)
    assert due.utcoffset() == timedelta(0)
    assert due == utc(2026, 11, 4, 16, 0)


# --- the default policy ------------------------------------------------------------------------------

def test_default_policy_values_match_contract_table():
    p = get_policy(DEFAULT_POLICY)
    assert p is ALIEXPRESS_2024
    assert p.name == "aliexpress-2024"
    assert (p.open_after_shipped_days, p.open_at_once_if_promised_days_below,
            p.protection_days_after_delivery, p.default_promised_delivery_days) == (10, 5, 15, 60)
    assert p.party_response == timedelta(hours=120)
    assert (p.platform_intervention_days, p.platform_ruling_days) == (7, 3)
    assert p.return_ship == timedelta(hours=240)
    assert p.return_receive == timedelta(hours=360)
    assert p.claim_lease == timedelta(minutes=30)
    assert p.platform_zone == "Asia/Shanghai"


def test_unknown_policy_is_rejected():
    with pytest.raises(Rejection, match="unknown policy"):
        get_policy("ebay-2019")
