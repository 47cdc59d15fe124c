"""Business days skip weekends and US federal holidays as observed."""

from datetime import datetime
from zoneinfo import ZoneInfo

from postdesk.domain.business_days import add_business_days, is_business_day

NY = "America/New_York"


def at(*args):
    return datetime(*args, tzinfo=ZoneInfo(NY))


def test_three_business_days_from_a_monday_is_thursday_close_of_business():
    assert add_business_days(at(2026, 11, 2, 9), 3, tz=NY) == at(2026, 11, 5, 17)


def test_weekend_is_skipped():
    assert add_business_days(at(2026, 11, 6, 9), 1, tz=NY) == at(2026, 11, 9, 17)


def test_thanksgiving_is_skipped():
    # Wed 25 Nov 2026 + 1 business day: Thu 26 is Thanksgiving, so Fri 27.
    assert add_business_days(at(2026, 11, 25, 9), 1, tz=NY) == at(2026, 11, 27, 17)


def test_sunday_holiday_is_observed_on_monday():
    # Independence Day 2027 is a Sunday; Monday 5 July is the observed holiday.
    assert not is_business_day(at(2027, 7, 5).date())


def test_utc_evening_counts_from_the_desks_local_day():
    utc_evening = datetime(2026, 11, 3, 3, 0, tzinfo=ZoneInfo("UTC"))  # 22:00 Mon in New York
    assert add_business_days(utc_evening, 1, tz=NY) == at(2026, 11, 3, 17)
