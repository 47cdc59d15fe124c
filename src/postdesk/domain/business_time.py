"""Business time: opening hours, holidays and closure days, in one time zone.

The SLA clocks measure how much *business* time a case has used, so a promise made on a Friday
afternoon is not eaten by the weekend. Pure Python (no Django): the SLA service builds a
``BusinessCalendar`` from a department's settings and asks it three questions:

- ``add(start, seconds)``: the moment ``seconds`` of business time after ``start``;
- ``add_days(start, days)``: close of business of the ``days``-th business day after the day
  ``start`` falls on (the "within 3 business days" promise);
- ``between(start, end)``: how much business time lies between two moments.

All arithmetic is done in UTC: two aware datetimes with the same ``tzinfo`` subtract as naive
wall-clock times in Python, which is an hour off across a daylight-saving change.

Holidays are the US federal ones from the ``holidays`` package, as the carrier observes them
(docs/sla.md, ../shared/reference/DOMAIN.md section 2.5): a Sunday holiday closes the Monday
after; a Saturday holiday closes the Saturday, and with ``SATURDAY_RULE_FRIDAY`` (the federal
rule for Monday-to-Friday staff, 5 U.S.C. 6103) the Friday before too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

SATURDAY_RULE_FRIDAY = "friday"
SATURDAY_RULE_SATURDAY = "saturday"
SATURDAY_RULES = (SATURDAY_RULE_FRIDAY, SATURDAY_RULE_SATURDAY)

# Opening hours of one weekday: (opens, closes). ``closes`` None means midnight at the end of
# the day, so a round-the-clock desk is (time(0), None).
Hours = tuple[time, "time | None"]

# Arithmetic never looks further than this; a target that cannot be met in ten years of
# opening hours is a configuration error, not a date.
_HORIZON_DAYS = 3660
_UTC = timezone.utc


class CalendarError(ValueError):
    pass


def parse_hours(text: str) -> Hours | None:
    """``"08:00-17:00"`` → (08:00, 17:00); ``"00:00-24:00"`` → round the clock; ``""`` → closed.

    Raises ``CalendarError`` with a message a person can act on.
    """
    text = (text or "").strip()
    if not text or text.lower() == "closed":
        return None
    opens_text, dash, closes_text = text.partition("-")
    if not dash:
        raise CalendarError(f"opening hours must look like 08:00-17:00; got {text!r}")
    opens = _parse_clock(opens_text, text)
    closes_text = closes_text.strip()
    closes = None if closes_text in ("24:00", "24") else _parse_clock(closes_text, text)
    if closes is not None and closes <= opens:
        raise CalendarError(f"opening hours must close after they open; got {text!r}")
    return (opens, closes)


def _parse_clock(value: str, whole: str) -> time:
    hours, _colon, minutes = value.strip().partition(":")
    try:
        parsed = time(int(hours), int(minutes or 0))
    except ValueError:
        raise CalendarError(f"opening hours must look like 08:00-17:00; got {whole!r}") from None
    return parsed


def format_hours(hours: Hours | None) -> str:
    if hours is None:
        return ""
    opens, closes = hours
    return f"{opens:%H:%M}-{'24:00' if closes is None else f'{closes:%H:%M}'}"


@lru_cache(maxsize=128)
def observed_holidays(year: int, saturday_rule: str = SATURDAY_RULE_FRIDAY,
                      country: str = "US") -> dict[date, str]:
    """The days of ``year`` the desk is closed for a public holiday, with their names."""
    if saturday_rule not in SATURDAY_RULES:
        raise CalendarError(f"Saturday rule must be one of {', '.join(SATURDAY_RULES)}; "
                            f"got {saturday_rule!r}")
    import holidays  # a large package: loaded on first use, not with the settings

    # Neighbouring years too: New Year's Day 2028 is a Saturday, observed on Fri 31 Dec 2027.
    actual = holidays.country_holidays(country, years=[year - 1, year, year + 1], observed=False)
    closed: dict[date, str] = {}
    for day, name in sorted(actual.items()):
        closed.setdefault(day, name)
        if day.weekday() == 6:
            closed.setdefault(day + timedelta(days=1), f"{name} (observed)")
        elif day.weekday() == 5 and saturday_rule == SATURDAY_RULE_FRIDAY:
            closed.setdefault(day - timedelta(days=1), f"{name} (observed)")
    return {day: name for day, name in closed.items() if day.year == year}


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours per weekday (Monday = 0), holidays and extra closure days, in a zone."""

    time_zone: str = "America/New_York"
    hours: tuple[Hours | None, ...] = ((time(8), time(17)),) * 5 + (None, None)
    saturday_rule: str = SATURDAY_RULE_FRIDAY
    closures: frozenset[date] = field(default_factory=frozenset)
    country: str = "US"

    def __post_init__(self):
        if len(self.hours) != 7:
            raise CalendarError("opening hours need one entry per weekday, Monday first")
        if not any(self.hours):
            raise CalendarError("a calendar needs at least one open weekday")
        if self.saturday_rule not in SATURDAY_RULES:
            raise CalendarError(f"Saturday rule must be one of {', '.join(SATURDAY_RULES)}; "
                                f"got {self.saturday_rule!r}")
        try:
            ZoneInfo(self.time_zone)
        except Exception:
            raise CalendarError(f"unknown time zone {self.time_zone!r}") from None

    @classmethod
    def weekly(cls, *, time_zone: str, weekdays: Hours | None = (time(8), time(17)),
               saturday: Hours | None = None, sunday: Hours | None = None,
               saturday_rule: str = SATURDAY_RULE_FRIDAY, closures=()) -> BusinessCalendar:
        return cls(time_zone=time_zone, hours=(weekdays,) * 5 + (saturday, sunday),
                   saturday_rule=saturday_rule, closures=frozenset(closures))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    # --- days

    def holiday(self, day: date) -> str | None:
        """The holiday or closure that shuts the desk on ``day``, if any."""
        if day in self.closures:
            return "closure"
        return observed_holidays(day.year, self.saturday_rule, self.country).get(day)

    def is_business_day(self, day: date) -> bool:
        return self.hours[day.weekday()] is not None and self.holiday(day) is None

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing moment of ``day`` (UTC), or None when the desk is closed."""
        if not self.is_business_day(day):
            return None
        opens, closes = self.hours[day.weekday()]
        zone = self.zone
        start = datetime.combine(day, opens, tzinfo=zone)
        if closes is None:
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        else:
            end = datetime.combine(day, closes, tzinfo=zone)
        return start.astimezone(_UTC), end.astimezone(_UTC)

    def local_day(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.zone).date()

    # --- arithmetic

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment when ``seconds`` of business time have passed since ``start``.

        Zero seconds is ``start`` itself, even outside opening hours. A budget that ends
        exactly at closing time ends at closing time, not at the next opening.
        """
        moment = _aware(start).astimezone(_UTC)
        if seconds <= 0:
            return moment.astimezone(self.zone)
        remaining = float(seconds)
        day = self.local_day(moment)
        for _ in range(_HORIZON_DAYS):
            window = self.window(day)
            if window is not None:
                opens, closes = window
                begin = max(moment, opens)
                if begin < closes:
                    available = (closes - begin).total_seconds()
                    if remaining <= available:
                        return (begin + timedelta(seconds=remaining)).astimezone(self.zone)
                    remaining -= available
            day += timedelta(days=1)
        raise CalendarError(f"no end within {_HORIZON_DAYS} days of opening hours")

    def add_days(self, start: datetime, days: int) -> datetime:
        """Close of business of the ``days``-th business day after the local day of ``start``.

        A message that arrives at the weekend or after hours starts counting from the day it
        arrived, so Saturday + 1 business day is Monday's close, like Friday + 1.
        """
        day = self.local_day(start)
        remaining = days
        if remaining <= 0:
            # "Today": close of business today if still open, else of the next business day.
            for _ in range(_HORIZON_DAYS):
                window = self.window(day)
                if window is not None and window[1] > _aware(start):
                    return window[1].astimezone(self.zone)
                day += timedelta(days=1)
            raise CalendarError(f"no business day within {_HORIZON_DAYS} days")
        for _ in range(_HORIZON_DAYS):
            day += timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
                if remaining == 0:
                    return self.window(day)[1].astimezone(self.zone)
        raise CalendarError(f"no business day within {_HORIZON_DAYS} days")

    def between(self, start: datetime, end: datetime) -> int:
        """Whole seconds of business time in [start, end); 0 when ``end`` is not later."""
        start, end = _aware(start).astimezone(_UTC), _aware(end).astimezone(_UTC)
        if end <= start:
            return 0
        total = 0.0
        day, last = self.local_day(start), self.local_day(end)
        while day <= last:
            window = self.window(day)
            if window is not None:
                begin, finish = max(start, window[0]), min(end, window[1])
                if finish > begin:
                    total += (finish - begin).total_seconds()
            day += timedelta(days=1)
        return int(total)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("business-time arithmetic needs aware datetimes")
    return moment


# --- SLA timers


@dataclass(frozen=True)
class Timer:
    """One SLA target being measured: a budget of business seconds, of which ``elapsed`` were
    used before ``running_since``. Not running: paused (waiting on the customer) or stopped.
    """

    target: int
    elapsed: int = 0
    running_since: datetime | None = None
    stopped_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None and self.stopped_at is None

    def used(self, calendar: BusinessCalendar, now: datetime) -> int:
        if not self.running:
            return self.elapsed
        return self.elapsed + calendar.between(self.running_since, now)

    def pause(self, calendar: BusinessCalendar, now: datetime) -> Timer:
        if not self.running:
            return self
        return Timer(self.target, self.used(calendar, now), None, None)

    def resume(self, now: datetime) -> Timer:
        # A met target stays met; only ``reopen`` starts a stopped timer again.
        if self.running or self.stopped_at is not None:
            return self
        return Timer(self.target, self.elapsed, now, None)

    def stop(self, calendar: BusinessCalendar, now: datetime) -> Timer:
        if self.stopped_at is not None:
            return self
        return Timer(self.target, self.used(calendar, now), None, now)

    def reopen(self, now: datetime) -> Timer:
        """Resolved work came back: the rest of the budget runs again from ``now``."""
        return Timer(self.target, self.elapsed, now, None)

    def breached(self, calendar: BusinessCalendar, now: datetime) -> bool:
        return self.used(calendar, now) > self.target

    def moment_of(self, calendar: BusinessCalendar, used: float) -> datetime | None:
        """When this running timer reaches ``used`` business seconds (None unless running).

        Already past it: the moment it started running again, i.e. "overdue since then".
        """
        if not self.running:
            return None
        return calendar.add(self.running_since, max(used - self.elapsed, 0))

    def due_at(self, calendar: BusinessCalendar) -> datetime | None:
        return self.moment_of(calendar, self.target)

    def at_risk_at(self, calendar: BusinessCalendar, share: float) -> datetime | None:
        return self.moment_of(calendar, math.ceil(self.target * share))


def target_budget(calendar: BusinessCalendar, start: datetime, *, value: int, unit: str) -> int:
    """A target ("3 business days", "8 business hours") as business seconds from ``start``.

    Days end at close of business (``add_days``); the budget is the business time up to
    then, so pausing and resuming work the same way for both units.
    """
    if unit == "hours":
        return int(value * 3600)
    if unit == "days":
        return calendar.between(start, calendar.add_days(start, value))
    raise CalendarError(f"unit must be hours or days; got {unit!r}")


def time_zone_for_zip(zip_code: str | None) -> str | None:
    """The IANA time zone of a US ZIP code (offline ``zipcodes`` data), or None."""
    digits = "".join(ch for ch in (zip_code or "") if ch.isdigit())[:5]
    if len(digits) != 5:
        return None
    import zipcodes

    try:
        matches = zipcodes.matching(digits)
    except (TypeError, ValueError):
        return None
    zone = matches[0].get("timezone") if matches else None
    if not zone:
        return None
    try:
        ZoneInfo(zone)
    except Exception:
        return None
    return zone
