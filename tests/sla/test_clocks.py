"""Every case carries its due times: targets from policies, the department's calendar, the
clock pausing while the case waits on the customer, and only personal answers counting."""

from __future__ import annotations

from datetime import date

import pytest

from postdesk.cases.models import Case, Department, Topic
from postdesk.cases.services import case_reply, case_set_status
from postdesk.sla import services
from postdesk.sla.models import CaseClock, ClosureDay, DepartmentSla, SlaPolicy
from tests.sla.helpers import customer_writes, ny, open_case

pytestmark = pytest.mark.django_db

HOUR = 3600


def clock_of(case) -> CaseClock:
    return CaseClock.objects.get(pk=case.pk)


def test_new_case_is_due_within_three_business_days_at_close_of_business(frozen):
    case = open_case()
    clock = clock_of(case)
    assert clock.first_response_due_at == ny(2026, 11, 5, 17)
    assert case.expected_answer_by == ny(2026, 11, 5, 17)
    assert Case.objects.get(pk=case.pk).expected_answer_by == ny(2026, 11, 5, 17)
    # Monday 8 h + Tuesday to Thursday 9 h each; at risk after 75 %: Thursday 08:15.
    assert clock.first_response_target == 35 * HOUR
    assert clock.first_response_at_risk_at == ny(2026, 11, 5, 8, 15)
    # Ten business days, skipping Veterans Day (Wednesday 11 November).
    assert clock.resolution_due_at == ny(2026, 11, 17, 17)
    assert clock.next_due_at == clock.first_response_due_at
    assert "first response within 3 business days" in clock.policy_summary


def test_urgent_case_is_due_within_one_business_day(frozen):
    case = open_case()
    CaseClock.objects.filter(pk=case.pk).delete()
    Case.objects.filter(pk=case.pk).update(priority=Case.Priority.URGENT)
    clock = services.clock_start(case=Case.objects.get(pk=case.pk))
    assert clock.first_response_due_at == ny(2026, 11, 3, 17)
    assert clock.resolution_due_at == ny(2026, 11, 5, 17)


def test_most_specific_policy_wins():
    track = Topic.objects.get(slug="track_package")
    claims = Topic.objects.get(slug="claim_refund")
    SlaPolicy.objects.create(first_response_target=5, resolution_target=20)
    SlaPolicy.objects.create(topic=track, first_response_target=2, resolution_target=8)
    SlaPolicy.objects.create(topic=track, priority=Case.Priority.HIGH, first_response_target=4,
                             first_response_unit="hours", resolution_target=2)
    SlaPolicy.objects.create(priority=Case.Priority.HIGH, first_response_target=1, resolution_target=4)

    def first_response(topic, priority):
        return services.targets_for(topic_id=topic.pk, priority=priority).first_response

    assert first_response(track, Case.Priority.NORMAL) == (2, "days")
    assert first_response(track, Case.Priority.HIGH) == (4, "hours")
    assert first_response(claims, Case.Priority.HIGH) == (1, "days")
    assert first_response(claims, Case.Priority.NORMAL) == (5, "days")


def test_department_hours_and_time_zone_decide_the_due_time(frozen):
    tracking = Department.objects.get(slug="tracking")
    DepartmentSla.objects.create(department=tracking, time_zone="America/Los_Angeles",
                                 weekday_hours="06:00-18:00")
    SlaPolicy.objects.create(topic=Topic.objects.get(slug="track_package"), first_response_target=4,
                             first_response_unit="hours", resolution_target=2)
    clock = clock_of(open_case())  # Monday 09:00 in New York is 06:00 in Los Angeles
    assert clock.first_response_due_at == ny(2026, 11, 2, 13)
    assert clock.time_zone == "America/Los_Angeles"


def test_closure_day_moves_the_due_time(frozen):
    ClosureDay.objects.create(day=date(2026, 11, 4), reason="Snow storm")
    assert clock_of(open_case()).first_response_due_at == ny(2026, 11, 6, 17)


def test_clock_pauses_while_waiting_on_the_customer_and_resumes_when_they_answer(frozen, agent_a):
    case = open_case()
    frozen.set(ny(2026, 11, 3, 9))
    case_set_status(case=case, agent=agent_a, status=Case.Status.WAITING)
    clock = clock_of(case)
    assert clock.paused and clock.first_response_due_at is None and clock.next_due_at is None
    assert clock.first_response_elapsed == 9 * HOUR  # Monday 8 h + Tuesday 1 h

    frozen.set(ny(2026, 11, 9, 8))  # the customer answers the next Monday
    customer_writes(Case.objects.get(pk=case.pk), "Here is the receipt you asked for.")
    clock = clock_of(case)
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN
    assert not clock.paused
    # 26 h left: Monday 9 h, Tuesday 9 h, (Wednesday is Veterans Day), Thursday 8 h.
    assert clock.first_response_due_at == ny(2026, 11, 12, 16)


def test_agent_reply_stops_the_first_response_clock_within_target(frozen, agent_a):
    case = open_case()
    frozen.set(ny(2026, 11, 3, 10))
    case_reply(case=case, agent=agent_a, body="It is on its way.")
    clock = clock_of(case)
    assert clock.first_responded_at == ny(2026, 11, 3, 10)
    assert clock.first_response_breached is False
    assert clock.first_response_elapsed == 10 * HOUR
    assert clock.first_response_due_at is None
    # The reply put the case in "waiting on customer": the resolution clock pauses too.
    assert clock.paused and clock.next_due_at is None


def test_late_reply_is_recorded_as_breached(frozen, agent_a):
    case = open_case()
    frozen.set(ny(2026, 11, 6, 10))
    case_reply(case=case, agent=agent_a, body="Sorry for the wait.")
    assert clock_of(case).first_response_breached is True


def test_automatic_messages_never_count_as_a_response(frozen):
    from postdesk.notifications.models import OutboundEmail

    case = open_case()
    assert OutboundEmail.objects.filter(case=case, purpose="confirmation").exists()
    frozen.set(ny(2026, 11, 5, 9))  # at risk: a status update goes out
    assert services.status_updates_send() == 1
    clock = clock_of(case)
    assert clock.first_responded_at is None
    assert Case.objects.get(pk=case.pk).first_response_at is None
    assert clock.first_response_due_at == ny(2026, 11, 5, 17)


def test_resolve_stops_the_resolution_clock_and_a_reopen_resumes_it(frozen, agent_a):
    case = open_case()
    frozen.set(ny(2026, 11, 3, 9))
    case_set_status(case=case, agent=agent_a, status=Case.Status.RESOLVED)
    clock = clock_of(case)
    assert clock.resolved_at == ny(2026, 11, 3, 9) and clock.resolution_breached is False
    assert clock.next_due_at is None

    frozen.set(ny(2026, 11, 4, 9))
    customer_writes(Case.objects.get(pk=case.pk), "It still has not arrived.")
    clock = clock_of(case)
    assert clock.resolved_at is None and clock.resolution_breached is None
    assert clock.resolution_elapsed == 9 * HOUR
    # Budget 98 h (Monday 8 h + ten 9-hour days), 9 h used: 89 h from Wednesday 09:00 is
    # Wednesday 18 November at close, the Veterans Day holiday skipped on the way.
    assert clock.resolution_target == 98 * HOUR
    assert clock.resolution_due_at == ny(2026, 11, 18, 17)
