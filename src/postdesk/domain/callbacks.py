"""When a callback is due: the first stretch of the department's opening hours that falls in
the customer's preferred window.

Windows are in the department's local time: "morning" until noon, "afternoon" from noon,
"any" the whole opening day. A window the department never opens in (a morning-only Saturday
for an afternoon request) is skipped to the next day that has it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from postdesk.domain.business_time import BusinessCalendar, CalendarError

ANY, MORNING, AFTERNOON = "any", "morning", "afternoon"
WINDOWS = (ANY, MORNING, AFTERNOON)
NOON = time(12)
_HORIZON_DAYS = 60


def next_slot(calendar: BusinessCalendar, now: datetime, window: str,
              *, not_before: datetime | None = None) -> tuple[datetime, datetime]:
    """(due, until): the earliest moment at or after ``now`` (and ``not_before``) inside both
    the opening hours and ``window``, and the end of that stretch. Both in the calendar's zone."""
    if window not in WINDOWS:
        raise CalendarError(f"unknown callback window {window!r}; use one of {', '.join(WINDOWS)}")
    if now.tzinfo is None:
        raise CalendarError("callback times need aware datetimes")
    earliest = max(now, not_before or now)
    zone = calendar.zone
    day = calendar.local_day(earliest)
    for _ in range(_HORIZON_DAYS):
        opening = calendar.window(day)
        if opening is not None:
            opens, closes = (moment.astimezone(zone) for moment in opening)
            noon = datetime.combine(day, NOON, tzinfo=zone)
            if window == MORNING:
                closes = min(closes, noon)
            elif window == AFTERNOON:
                opens = max(opens, noon)
            start = max(opens, earliest.astimezone(zone))
            if start < closes:
                return start, closes
        day += timedelta(days=1)
    raise CalendarError(f"no {window} opening hours within {_HORIZON_DAYS} days")
