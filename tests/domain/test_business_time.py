"""Business time: opening hours, weekends, US federal holidays as observed, closure days,
time zones and daylight-saving changes. Plain pytest, no database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from zoneinfo import ZoneInfo

from postdesk.domain.business_time import (
    SATURDAY_RULE_FRIDAY,
    SATURDAY_RULE_SATURDAY,
    BusinessCalendar,
    CalendarError,
    Timer,
    observed_holidays,
    parse_hours,
    target_budget,
    time_zone_for_zip,
)

NY, LA = "America/New_York", "America/Los_Angeles"
HOUR = 3600
DESK = BusinessCalendar.weekly(time_zone=NY)  # Mon-Fri 08:00-17:00


def ny(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(NY))


def la(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(LA))


# --- opening hours


def test_hours_parse_from_text_and_empty_means_closed():
    assert parse_hours("08:00-17:00") == (time(8), time(17))
    assert parse_hours(" 8:30 - 20:30 ") == (time(8, 30), time(20, 30))
    assert parse_hours("00:00-24:00") == (time(0), None)
    assert parse_hours("") is None
    assert parse_hours("closed") is None


@pytest.mark.parametrize("text, message", [
    ("8 to 5", "opening hours must look like 08:00-17:00; got '8 to 5'"),
    ("08:00-25:00", "opening hours must look like 08:00-17:00; got '08:00-25:00'"),
    ("17:00-08:00", "opening hours must close after they open; got '17:00-08:00'"),
])
def test_bad_hours_are_refused_with_a_message_naming_the_value(text, message):
    with pytest.raises(CalendarError) as error:
        parse_hours(text)
    assert str(error.value) == message


def test_calendar_refuses_unknown_zone_and_unknown_saturday_rule():
    with pytest.raises(CalendarError, match="unknown time zone 'Mars/Olympus'"):
        BusinessCalendar.weekly(time_zone="Mars/Olympus")
    with pytest.raises(CalendarError, match="Saturday rule must be one of friday, saturday"):
        BusinessCalendar.weekly(time_zone=NY, saturday_rule="sunday")


def test_naive_datetimes_are_refused():
    with pytest.raises(CalendarError, match="aware datetimes"):
        DESK.add(datetime(2026, 11, 2, 9), HOUR)


# --- holidays


def test_the_eleven_federal_holidays_of_2025_close_the_desk():
    closed = sorted(observed_holidays(2025, SATURDAY_RULE_SATURDAY))
    assert closed == [date(2025, 1, 1), date(2025, 1, 20), date(2025, 2, 17), date(2025, 5, 26),
                      date(2025, 6, 19), date(2025, 7, 4), date(2025, 9, 1), date(2025, 10, 13),
                      date(2025, 11, 11), date(2025, 11, 27), date(2025, 12, 25)]


def test_sunday_holiday_closes_the_monday_after():
    # Christmas and New Year's Day 2022/2023 fell on Sundays: Post Offices closed Dec 26 and Jan 2.
    assert not DESK.is_business_day(date(2022, 12, 26))
    assert not DESK.is_business_day(date(2023, 1, 2))
    # Independence Day 2027 is a Sunday.
    assert not DESK.is_business_day(date(2027, 7, 5))


def test_saturday_holiday_closes_the_friday_before_under_the_federal_rule():
    federal = BusinessCalendar.weekly(time_zone=NY, saturday_rule=SATURDAY_RULE_FRIDAY)
    assert not federal.is_business_day(date(2026, 7, 3))  # Independence Day 2026 is a Saturday


def test_saturday_holiday_keeps_friday_open_under_the_saturday_rule():
    retail = BusinessCalendar.weekly(time_zone=NY, saturday=(time(8), time(12)),
                                     saturday_rule=SATURDAY_RULE_SATURDAY)
    assert retail.is_business_day(date(2026, 7, 3))
    assert not retail.is_business_day(date(2026, 7, 4))  # the Saturday itself stays closed
    assert retail.is_business_day(date(2026, 7, 11))  # an ordinary Saturday is open


def test_saturday_new_year_of_the_next_year_closes_the_last_friday_of_this_year():
    # 1 January 2028 is a Saturday; the federal observed day is Friday 31 December 2027.
    assert observed_holidays(2027, SATURDAY_RULE_FRIDAY)[date(2027, 12, 31)] == "New Year's Day (observed)"
    assert date(2027, 12, 31) not in observed_holidays(2027, SATURDAY_RULE_SATURDAY)


def test_extra_closure_day_is_skipped_like_a_holiday():
    storm = BusinessCalendar.weekly(time_zone=NY, closures=[date(2026, 11, 3)])
    assert storm.holiday(date(2026, 11, 3)) == "closure"
    assert storm.add_days(ny(2026, 11, 2, 9), 1) == ny(2026, 11, 4, 17)


# --- adding business days


def test_three_business_days_from_monday_morning_is_thursday_close_of_business():
    assert DESK.add_days(ny(2026, 11, 2, 9), 3) == ny(2026, 11, 5, 17)


def test_business_days_skip_the_weekend():
    assert DESK.add_days(ny(2026, 11, 6, 9), 1) == ny(2026, 11, 9, 17)


def test_weekend_arrival_counts_from_the_day_it_arrived():
    # Saturday + 1 business day is Monday's close, the same promise a Friday message gets.
    assert DESK.add_days(ny(2026, 11, 7, 11), 1) == ny(2026, 11, 9, 17)


def test_business_days_skip_thanksgiving():
    assert DESK.add_days(ny(2026, 11, 25, 9), 1) == ny(2026, 11, 27, 17)


def test_business_days_skip_christmas_and_new_year():
    # Wed 23 Dec 2026 + 3: Thu 24, (Fri 25 Christmas), Mon 28, Tue 29.
    assert DESK.add_days(ny(2026, 12, 23, 10), 3) == ny(2026, 12, 29, 17)


def test_zero_days_is_close_of_business_today_or_next_business_day():
    assert DESK.add_days(ny(2026, 11, 2, 9), 0) == ny(2026, 11, 2, 17)
    assert DESK.add_days(ny(2026, 11, 2, 18), 0) == ny(2026, 11, 3, 17)


# --- adding business hours


def test_business_hours_carry_over_the_weekend():
    # Friday 16:00 + 2 business hours: one hour on Friday, one on Monday.
    assert DESK.add(ny(2026, 11, 6, 16), 2 * HOUR) == ny(2026, 11, 9, 9)


def test_business_hours_start_at_opening_when_the_message_came_at_night():
    assert DESK.add(ny(2026, 11, 3, 2), 1 * HOUR) == ny(2026, 11, 3, 9)


def test_a_budget_ending_at_closing_time_ends_at_closing_time():
    assert DESK.add(ny(2026, 11, 2, 8), 9 * HOUR) == ny(2026, 11, 2, 17)


def test_business_hours_skip_a_monday_holiday():
    # Mon 19 Jan 2026 is Martin Luther King Jr. Day.
    assert DESK.add(ny(2026, 1, 16, 16), 2 * HOUR) == ny(2026, 1, 20, 9)


def test_utc_evening_counts_from_the_desks_local_day():
    utc_evening = datetime(2026, 11, 3, 3, 0, tzinfo=timezone.utc)  # 22:00 Monday in New York
    assert DESK.add_days(utc_evening, 1) == ny(2026, 11, 3, 17)


def test_the_same_moment_gives_different_due_times_in_different_time_zones():
    moment = ny(2026, 11, 2, 19)  # after close in New York, 16:00 in Los Angeles
    west = BusinessCalendar.weekly(time_zone=LA)
    assert DESK.add(moment, 2 * HOUR) == ny(2026, 11, 3, 10)
    assert west.add(moment, 2 * HOUR) == la(2026, 11, 3, 9)
    assert west.add(moment, 2 * HOUR).utcoffset() == timedelta(hours=-8)


# --- daylight saving


def test_spring_forward_weekend_does_not_add_an_hour():
    # DST starts Sun 8 Mar 2026: Friday is EST (UTC-5), Monday EDT (UTC-4).
    friday, monday = ny(2026, 3, 6, 16), ny(2026, 3, 9, 9)
    assert DESK.add(friday, 2 * HOUR) == monday
    assert DESK.between(friday, monday) == 2 * HOUR
    assert DESK.add(friday, 2 * HOUR).astimezone(timezone.utc).hour == 13


def test_round_the_clock_desk_has_23_and_25_hour_days_on_dst_changes():
    always = BusinessCalendar(time_zone=NY, hours=((time(0), None),) * 7,
                              saturday_rule=SATURDAY_RULE_SATURDAY)
    assert always.between(ny(2026, 3, 8), ny(2026, 3, 9)) == 23 * HOUR
    assert always.between(ny(2026, 11, 1), ny(2026, 11, 2)) == 25 * HOUR
    # 24 business hours from Saturday noon EST end at Sunday 13:00 EDT (still 24 real hours).
    end = always.add(ny(2026, 3, 7, 12), 24 * HOUR)
    assert end == ny(2026, 3, 8, 13)
    # (Subtracting in UTC: two datetimes with the same tzinfo subtract as wall-clock times.)
    assert end.astimezone(timezone.utc) - ny(2026, 3, 7, 12).astimezone(timezone.utc) == timedelta(hours=24)


def test_fall_back_week_counts_business_hours_exactly():
    # DST ends Sun 1 Nov 2026; Friday 30 Oct to Monday 2 Nov close: 9 + 9 business hours.
    assert DESK.between(ny(2026, 10, 30, 8), ny(2026, 11, 2, 17)) == 18 * HOUR


def test_between_is_zero_when_end_is_not_after_start():
    assert DESK.between(ny(2026, 11, 3, 12), ny(2026, 11, 3, 11)) == 0


# --- timers: pause and resume


def test_day_target_becomes_the_business_time_up_to_close_of_business():
    start = ny(2026, 11, 2, 9)
    budget = target_budget(DESK, start, value=3, unit="days")
    assert budget == (8 + 9 + 9 + 9) * HOUR
    assert Timer(budget, running_since=start).due_at(DESK) == ny(2026, 11, 5, 17)
    assert target_budget(DESK, start, value=4, unit="hours") == 4 * HOUR


def test_paused_timer_does_not_count_the_days_waiting_on_the_customer():
    start = ny(2026, 11, 2, 9)  # Monday
    timer = Timer(35 * HOUR, running_since=start)
    timer = timer.pause(DESK, ny(2026, 11, 3, 9))  # Tuesday 09:00: 8 h + 1 h used
    assert timer.elapsed == 9 * HOUR
    assert timer.due_at(DESK) is None
    assert timer.used(DESK, ny(2026, 11, 20, 9)) == 9 * HOUR  # nothing counts while paused
    timer = timer.resume(ny(2026, 11, 9, 8))  # the customer answered the next Monday
    # 26 h left: Mon 9 h, Tue 9 h, (Wed 11 Nov is Veterans Day), Thu 8 h -> Thursday 16:00.
    assert timer.due_at(DESK) == ny(2026, 11, 12, 16)
    assert not timer.breached(DESK, ny(2026, 11, 12, 16))
    assert timer.breached(DESK, ny(2026, 11, 12, 16, 1))


def test_stopped_timer_keeps_the_time_it_used():
    timer = Timer(2 * HOUR, running_since=ny(2026, 11, 2, 9)).stop(DESK, ny(2026, 11, 2, 12))
    assert timer.elapsed == 3 * HOUR and timer.stopped_at == ny(2026, 11, 2, 12)
    assert timer.breached(DESK, ny(2026, 12, 1, 9))
    assert timer.resume(ny(2026, 11, 3, 9)) == timer  # a met target does not start again
    assert timer.reopen(ny(2026, 11, 3, 9)).running


def test_at_risk_moment_is_the_configured_share_of_the_budget():
    timer = Timer(8 * HOUR, running_since=ny(2026, 11, 2, 9))
    assert timer.at_risk_at(DESK, 0.75) == ny(2026, 11, 2, 15)
    # Resumed after the share was already used: at risk from the moment it runs again.
    late = Timer(8 * HOUR, elapsed=7 * HOUR, running_since=ny(2026, 11, 4, 10))
    assert late.at_risk_at(DESK, 0.75) == ny(2026, 11, 4, 10)
    assert late.due_at(DESK) == ny(2026, 11, 4, 11)


def test_overdue_timer_is_due_when_it_started_running_again():
    overdue = Timer(HOUR, elapsed=2 * HOUR, running_since=ny(2026, 11, 4, 10))
    assert overdue.due_at(DESK) == ny(2026, 11, 4, 10)


# --- the customer's time zone


def test_time_zone_of_a_zip_code():
    assert time_zone_for_zip("90210") == LA
    assert time_zone_for_zip("20260-0004") == NY
    assert time_zone_for_zip("1234") is None
    assert time_zone_for_zip(None) is None
