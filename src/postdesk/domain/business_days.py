"""Business-day arithmetic for response promises (US federal holidays as observed)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=8)
def _federal_holidays(year: int) -> frozenset[date]:
    # observed=True moves a Sunday holiday to Monday and a Saturday one to Friday, as the
    # federal calendar does; the Postal Service's own Saturday rule is a later refinement.
    return frozenset(holidays.country_holidays("US", years=year, observed=True).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: datetime, days: int, *, tz: str, close: time = time(17, 0)) -> datetime:
    """The close of business ``days`` business days after ``start``, in ``tz``.

    A message that arrives on a weekend or holiday starts counting on the next business day.
    """
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return datetime.combine(day, close, tzinfo=zone)
