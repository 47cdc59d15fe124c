"""The date the customer is promised: the SLA due time, or honestly later when the department's
backlog and recent answering rate say the SLA will slip; shown on the success page, in the
confirmation email, on the status page and by the lookup API, in the customer's time zone."""

from __future__ import annotations

import json
from datetime import timedelta, timezone

import pytest
from django.urls import reverse

from postdesk.cases.access import status_token
from postdesk.cases.models import Case, CaseEvent, Department
from postdesk.notifications.models import OutboundEmail
from postdesk.sla import services
from postdesk.sla.models import CaseClock
from tests.sla.helpers import MONDAY_9AM, bulk_cases, ny, open_case

pytestmark = pytest.mark.django_db

HOUR = 3600
SLA_DUE = ny(2026, 11, 5, 17)


@pytest.fixture
def tracking():
    return Department.objects.get(slug="tracking")


def answered_recently(department, count):
    # Answered last Friday: inside the 14-day window the rate is measured over.
    return bulk_cases(department, count, created_at=MONDAY_9AM - timedelta(days=5),
                      answered_at=MONDAY_9AM - timedelta(days=3), status="closed")


def test_expected_answer_is_the_sla_due_time_when_the_backlog_is_empty(frozen, tracking):
    answered_recently(tracking, 40)
    case = open_case()
    assert case.expected_answer_by == SLA_DUE
    assert CaseClock.objects.get(pk=case.pk).promise_delayed is False
    event = CaseEvent.objects.get(case=case, type="answer_promised")
    assert event.data["backlog"] == 0
    assert event.public is False
    assert "first response within 3 business days" in event.data["reason"]


def test_long_backlog_promises_a_later_date_honestly(frozen, tracking):
    answered_recently(tracking, 10)
    bulk_cases(tracking, 30, created_at=MONDAY_9AM - timedelta(days=1))  # unanswered, ahead
    calendar = services.calendar_for(tracking)
    window_start = MONDAY_9AM.astimezone(timezone.utc) - timedelta(days=14)
    # Mon 19 Oct from 10:00 EDT (the window is 14 x 24 h, and DST ended on 1 Nov): 7 h, two
    # full weeks of 9-hour days (81 h), Monday 2 Nov until 09:00: 1 h.
    assert calendar.between(window_start, MONDAY_9AM) == 89 * HOUR

    case = open_case()

    # 8.9 business hours per answer: the 30 cases ahead and this one take 275.9 business
    # hours, which end on Wednesday 16 December (past Veterans Day and Thanksgiving); the
    # promise is that day's close of business.
    estimate_end = calendar.add(MONDAY_9AM, 31 * 89 * HOUR / 10)
    assert estimate_end == ny(2026, 12, 16, 14, 54)
    assert case.expected_answer_by == ny(2026, 12, 16, 17)
    assert CaseClock.objects.get(pk=case.pk).promise_delayed is True
    # The SLA clock itself is unchanged: the agents' target stays the target.
    assert CaseClock.objects.get(pk=case.pk).first_response_due_at == SLA_DUE
    event = CaseEvent.objects.get(case=case, type="answer_promised")
    assert event.data["backlog"] == 30
    assert event.data["reason"].startswith("30 unanswered cases ahead, about ")

    body = OutboundEmail.objects.get(case=case, purpose="confirmation").body
    assert "Many requests are waiting right now, so you can expect an answer by Dec. 16, 2026, 5 p.m. EST." in body


def test_without_recent_answers_to_measure_the_sla_date_stands(frozen, tracking):
    bulk_cases(tracking, 30, created_at=MONDAY_9AM - timedelta(days=1))
    case = open_case()
    assert case.expected_answer_by == SLA_DUE
    assert CaseClock.objects.get(pk=case.pk).promise_delayed is False


def test_a_backlog_the_desk_clears_in_time_keeps_the_sla_date(frozen, tracking):
    answered_recently(tracking, 60)
    bulk_cases(tracking, 5, created_at=MONDAY_9AM - timedelta(days=1))
    assert open_case().expected_answer_by == SLA_DUE


def test_other_departments_backlog_does_not_delay_the_promise(frozen, tracking):
    claims = Department.objects.get(slug="claims")
    answered_recently(claims, 10)
    bulk_cases(claims, 30, created_at=MONDAY_9AM - timedelta(days=1))
    assert open_case().expected_answer_by == SLA_DUE


def test_success_page_confirmation_email_status_page_and_api_state_the_promise(frozen, client):
    case = open_case()
    sentence = "A member of our team will answer you personally by Nov. 5, 2026, 5 p.m. EST, usually sooner."
    token = status_token(case)
    assert sentence in client.get(reverse("portal:submitted", args=[token])).content.decode()
    assert sentence in client.get(reverse("portal:status_token", args=[token])).content.decode()
    body = OutboundEmail.objects.get(case=case, purpose="confirmation").body
    assert "You can expect an answer by Nov. 5, 2026, 5 p.m. EST." in body

    response = client.post("/api/v1/cases/lookup", json.dumps(
        {"case_number": case.number, "email": case.customer.email}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["expected_answer_by"] == "2026-11-05T17:00:00-05:00"


def test_promise_is_in_the_customers_language_and_time_zone(frozen, client):
    case = open_case(address="9800 Wilshire Blvd\nBeverly Hills CA 90210", language="es")
    assert CaseClock.objects.get(pk=case.pk).customer_time_zone == "America/Los_Angeles"
    html = client.get(reverse("portal:status_token", args=[status_token(case)]),
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # 17:00 in New York is 14:00 in Los Angeles.
    assert "14:00 PST" in html
    body = OutboundEmail.objects.get(case=case, purpose="confirmation").body
    assert "14:00 PST" in body
    # The instant is the same everywhere; only its wording changes.
    assert Case.objects.get(pk=case.pk).expected_answer_by == SLA_DUE
