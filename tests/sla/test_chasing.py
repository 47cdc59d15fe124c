"""A customer who writes again before getting an answer is chasing: the case is marked, its
priority goes up a step, and the agent sees it. Answering our question is not chasing."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.urls import reverse

from postdesk.cases.access import status_token
from postdesk.cases.models import Case, CaseEvent
from postdesk.cases.services import case_reply
from postdesk.intake.channels.email import receive_email
from postdesk.sla.models import CaseClock
from tests.sla.helpers import customer_writes, open_case

pytestmark = pytest.mark.django_db


def chase_state(case):
    clock = CaseClock.objects.get(pk=case.pk)
    return clock.chased_at is not None, clock.chase_count, Case.objects.get(pk=case.pk).priority


def test_writing_again_before_an_answer_marks_the_case_chased_and_raises_its_priority(frozen):
    case = open_case()
    assert case.priority == Case.Priority.NORMAL
    frozen.advance(days=1)
    customer_writes(case, "Any news? It has been a day.")

    assert chase_state(case) == (True, 1, Case.Priority.HIGH)
    chased = CaseEvent.objects.get(case=case, type="chased")
    assert chased.data == {"count": 1, "old_priority": 2, "new_priority": 3}
    assert chased.public is False
    assert CaseEvent.objects.filter(case=case, type="priority_changed", actor=None).count() == 1


def test_a_chase_by_email_counts_like_one_on_the_status_page(frozen, client):
    case = open_case()
    client.post(reverse("portal:status_token", args=[status_token(case)]),
                {"body": "Hello? Still waiting.", "submission_id": "5f0c1f0e3d544c4e9a376a1d2b7f64a1"})
    assert chase_state(case) == (True, 1, Case.Priority.HIGH)

    mail = EmailMessage()
    mail["From"] = f"Casey Customer <{case.customer.email}>"
    mail["To"] = "support@postdesk.test"
    mail["Subject"] = f"Re: We received your request [Case {case.number}]"
    mail["Message-ID"] = make_msgid(domain="example.com")
    mail.set_content("Writing again: where is my parcel?")
    receive_email(mail.as_bytes(), source="smtp")
    assert chase_state(case) == (True, 2, Case.Priority.URGENT)


def test_answering_our_question_is_not_chasing(frozen, agent_a):
    case = open_case()
    case_reply(case=case, agent=agent_a, body="Which address was it sent to?")
    customer_writes(Case.objects.get(pk=case.pk), "To 1 Main St.")
    assert chase_state(case) == (False, 0, Case.Priority.NORMAL)
    assert not CaseEvent.objects.filter(case=case, type="chased").exists()


def test_an_urgent_case_stays_urgent_when_chased(frozen):
    case = open_case()
    Case.objects.filter(pk=case.pk).update(priority=Case.Priority.URGENT)
    customer_writes(Case.objects.get(pk=case.pk))
    assert chase_state(case) == (True, 1, Case.Priority.URGENT)
    assert not CaseEvent.objects.filter(case=case, type="priority_changed").exists()


def test_the_agent_sees_the_chase_and_an_answer_clears_it(frozen, client_a, agent_a):
    case = open_case()
    customer_writes(case, "Hello?")
    queue = client_a.get(reverse("console:home")).content.decode()
    row = queue[queue.index(f'data-case="{case.number}"'):]
    assert "data-chased" in row[:row.index("</tr>")]
    page = client_a.get(reverse("console:case", args=[case.number])).content.decode()
    assert "data-chased" in page and "Customer chased" in page

    case_reply(case=Case.objects.get(pk=case.pk), agent=agent_a, body="It arrives tomorrow.")
    assert chase_state(case) == (False, 1, Case.Priority.HIGH)
    assert "data-chased" not in client_a.get(reverse("console:home")).content.decode()
