"""The queue sorts on the case row alone: ``Case.sla_due_at`` follows the SLA clock's next due
time through every move of the clock (start, pause, resume, answer, resolve, reopen, merge), in
the same transaction, and ``Case.urgent`` follows the priority."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from postdesk.cases.models import Case
from postdesk.cases.services import case_merge, case_reply, case_set_priority, case_set_status
from postdesk.sla.models import CaseClock
from tests.sla.helpers import customer_writes, ny, open_case

pytestmark = pytest.mark.django_db


def due_times(case) -> tuple:
    """(the case's copy, the clock's own) read back from the database."""
    return (Case.objects.get(pk=case.pk).sla_due_at, CaseClock.objects.get(pk=case.pk).next_due_at)


def test_new_case_carries_its_clocks_due_time(frozen):
    case = open_case()
    assert due_times(case) == (ny(2026, 11, 5, 17), ny(2026, 11, 5, 17))
    assert case.sla_due_at == ny(2026, 11, 5, 17)  # the caller's object too


def test_due_time_clears_while_waiting_and_returns_on_resume(frozen, supervisor):
    case = open_case()
    frozen.advance(hours=2)
    case_set_status(case=case, agent=supervisor, status=Case.Status.WAITING)
    assert due_times(case) == (None, None)
    frozen.advance(days=1)  # Tuesday 11:00: a business day paused
    case_set_status(case=case, agent=supervisor, status=Case.Status.OPEN)
    resumed, clock = due_times(case)
    assert resumed == clock == ny(2026, 11, 6, 17)  # a day later than promised at first


def test_reply_stops_first_response_and_customer_answer_resumes_resolution(frozen, agent_a):
    case = open_case()
    frozen.advance(hours=1)
    case_reply(case=case, agent=agent_a, body="We are on it.")
    assert due_times(case) == (None, None)  # waiting on the customer
    frozen.advance(hours=1)
    customer_writes(Case.objects.get(pk=case.pk), "Thanks, here is the receipt.")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    resolution_due = CaseClock.objects.get(pk=case.pk).resolution_due_at
    assert resolution_due is not None
    assert due_times(case) == (resolution_due, resolution_due)


def test_resolved_case_has_no_due_time_until_reopened(frozen, supervisor):
    case = open_case()
    case_set_status(case=case, agent=supervisor, status=Case.Status.RESOLVED)
    assert due_times(case) == (None, None)
    frozen.advance(hours=3)
    case_set_status(case=Case.objects.get(pk=case.pk), agent=supervisor, status=Case.Status.OPEN)
    copy, clock = due_times(case)
    assert copy == clock == CaseClock.objects.get(pk=case.pk).first_response_due_at
    assert copy is not None


def test_merged_case_leaves_the_due_order_and_its_target_keeps_its_own(frozen):
    target = open_case()
    frozen.advance(minutes=10)
    source = open_case(email="olive.other@example.com")
    case_merge(source=Case.objects.get(pk=source.pk), target=Case.objects.get(pk=target.pk),
               reason="one conversation")
    assert due_times(source) == (None, None)
    assert due_times(target) == (ny(2026, 11, 5, 17), ny(2026, 11, 5, 17))


def test_urgent_follows_the_priority(frozen, supervisor):
    case = open_case()
    assert Case.objects.get(pk=case.pk).urgent is False
    case_set_priority(case=case, agent=supervisor, priority=Case.Priority.URGENT)
    assert Case.objects.get(pk=case.pk).urgent is True
    case_set_priority(case=case, agent=supervisor, priority=Case.Priority.HIGH)
    assert Case.objects.get(pk=case.pk).urgent is False


def test_urgent_case_leads_the_due_order(frozen, client_supervisor, supervisor):
    soon = open_case()
    frozen.advance(minutes=10)
    later_but_urgent = open_case(email="olive.other@example.com")
    case_set_priority(case=later_but_urgent, agent=supervisor, priority=Case.Priority.URGENT)
    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert re.findall(r'<tr data-case="([^"]+)"', html) == [later_but_urgent.number, soon.number]


def test_queue_counts_up_to_its_limit_and_says_there_are_more(frozen, client_supervisor, monkeypatch):
    from postdesk.console import views

    monkeypatch.setattr(views.QueuePaginator, "limit", 2)
    cases = [open_case(email=f"customer{n}@example.com") for n in range(3)]
    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert "More than 2 cases: the first 2 are listed. Narrow the filters to find the others." in html
    assert len(re.findall(r'<tr data-case="', html)) == 2
    # Narrowed below the limit, the exact count is back.
    Case.objects.filter(pk=cases[0].pk).update(status=Case.Status.CLOSED)
    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert "More than" not in html
    assert re.search(r"<p data-result-count>\s*2 cases", html)
