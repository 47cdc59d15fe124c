"""Before the customer has to chase: a short status update when the answer nears its due time,
at most once per case per period, whatever the number of workers."""

from __future__ import annotations

import pytest

from postdesk.cases.models import Case, CaseEvent
from postdesk.cases.services import case_reply, case_set_status
from postdesk.notifications.models import OutboundEmail
from postdesk.sla import services
from postdesk.sla.models import CaseClock
from tests.sla.helpers import ny, open_case, race

pytestmark = pytest.mark.django_db


def updates(case):
    return list(OutboundEmail.objects.filter(case=case, purpose="status_update").order_by("id"))


def test_status_update_goes_out_once_when_the_answer_nears_its_due_time(frozen):
    case = open_case()  # due Thursday 17:00, at risk from Thursday 08:15
    frozen.set(ny(2026, 11, 4, 12))
    assert services.status_updates_send() == 0

    frozen.set(ny(2026, 11, 5, 9))
    assert services.status_updates_send() == 1
    [email] = updates(case)
    assert email.to == "Casey Customer <casey.customer@example.com>"
    assert email.subject == f"We are working on your request [Case {case.number}]"
    assert email.headers["Auto-Submitted"] == "auto-generated"
    assert f"A short update on your request {case.number}" in email.body
    assert "You can expect an answer by Nov. 5, 2026, 5 p.m. EST." in email.body
    assert CaseClock.objects.get(pk=case.pk).status_update_sent_at == ny(2026, 11, 5, 9)

    frozen.set(ny(2026, 11, 5, 10))
    assert services.status_updates_send() == 0
    frozen.set(ny(2026, 11, 6, 12))  # breached now, but still within the 72-hour period
    assert services.status_updates_send() == 0
    assert len(updates(case)) == 1


def test_a_second_update_only_after_the_period_with_an_honest_new_date(frozen):
    case = open_case()
    frozen.set(ny(2026, 11, 5, 9))
    services.status_updates_send()
    frozen.set(ny(2026, 11, 8, 9, 1))  # Sunday, 72 hours and a minute later
    assert services.status_updates_send() == 1
    second = updates(case)[1]
    assert f"your request {case.number} is taking longer than we promised" in second.body
    # Overdue: the next close of business at the earliest, and the case carries the new date.
    assert "You can expect an answer by Nov. 9, 2026, 5 p.m. EST." in second.body
    assert Case.objects.get(pk=case.pk).expected_answer_by == ny(2026, 11, 9, 17)
    assert CaseEvent.objects.filter(case=case, type="answer_promised").count() == 2


def test_no_status_update_once_answered_or_while_waiting_on_the_customer(frozen, agent_a):
    answered, waiting = open_case(), open_case(email="olive.other@example.com")
    frozen.set(ny(2026, 11, 3, 9))
    case_reply(case=answered, agent=agent_a, body="On its way.")
    case_set_status(case=waiting, agent=agent_a, status=Case.Status.WAITING)
    frozen.set(ny(2026, 11, 5, 16))
    assert services.status_updates_send() == 0


def test_two_workers_racing_send_one_update(frozen):
    case = open_case()
    now = ny(2026, 11, 5, 9)
    assert services.status_update_send(case_id=case.pk, now=now) is True
    assert services.status_update_send(case_id=case.pk, now=now) is False
    assert len(updates(case)) == 1


def test_status_updates_can_be_switched_off(frozen, settings):
    settings.POSTDESK_SLA_STATUS_UPDATES = False
    case = open_case()
    frozen.set(ny(2026, 11, 5, 9))
    assert services.status_updates_send() == 0
    assert updates(case) == []


def test_no_status_update_to_an_address_that_bounces(frozen):
    case = open_case()
    case.customer.email_bounced_at = ny(2026, 11, 3, 9)
    case.customer.save()
    frozen.set(ny(2026, 11, 5, 9))
    assert services.status_updates_send() == 0


def test_two_workers_running_the_job_at_once_send_one_update_per_case(
        _defaults_back_after_flush, transactional_db, frozen):
    from postdesk.cases import defaults

    defaults.install()
    cases = [open_case(email=f"customer{i}@example.com") for i in range(5)]
    frozen.set(ny(2026, 11, 5, 9))
    assert race(services.status_updates_send) == []
    for case in cases:
        assert len(updates(case)) == 1
