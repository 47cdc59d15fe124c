"""Escalation rules on at-risk and breached cases: notify the department lead, raise the
priority, move the case to another queue. Each action is an event; a periodic job evaluates
the rules, and a case's stage fires once, even with two workers evaluating at the same time."""

from __future__ import annotations

import pytest

from postdesk.cases.models import Case, CaseEvent, Department
from postdesk.cases.services import case_reply, case_set_status
from postdesk.notifications.models import OutboundEmail
from postdesk.sla import services
from postdesk.sla.models import DepartmentSla, EscalationRule
from tests.sla.helpers import ny, open_case, race

LEAD = "lena.lead@postdesk.test"
AT_RISK = ny(2026, 11, 5, 9)  # a case opened Monday 09:00 is at risk from Thursday 08:15
BREACHED = ny(2026, 11, 5, 18)  # and breached after Thursday 17:00


def lead_emails():
    return list(OutboundEmail.objects.filter(purpose="escalation", to=LEAD))


def escalations(case):
    return list(CaseEvent.objects.filter(case=case, type="escalated").order_by("id")
                .values_list("data__action", flat=True))


@pytest.fixture
def tracking_lead(db):
    tracking = Department.objects.get(slug="tracking")
    DepartmentSla.objects.create(department=tracking, lead_name="Lena Lead", lead_email=LEAD)
    return tracking


@pytest.mark.django_db
def test_breach_rule_notifies_the_lead_raises_priority_and_moves_the_case_once(frozen, tracking_lead):
    EscalationRule.objects.create(
        name="Overdue tracking answers", timer="first_response", trigger="breached",
        department=tracking_lead, notify_lead=True, raise_priority=True,
        reassign_to=Department.objects.get(slug="consumer-affairs"))
    case = open_case()
    assert services.escalations_evaluate(now=AT_RISK) == 0

    assert services.escalations_evaluate(now=BREACHED) == 3
    case.refresh_from_db()
    assert case.priority == Case.Priority.HIGH
    assert case.department.slug == "consumer-affairs" and case.assignee is None
    assert escalations(case) == ["notify_lead", "raise_priority", "reassign"]
    [email] = lead_emails()
    assert email.case is None  # internal: no "email sent" on the customer's timeline
    assert email.headers["X-Postdesk-Case"] == case.number
    assert email.subject == f"Escalation: case {case.number} (First response: Breached)"
    assert "Hello Lena Lead," in email.body
    assert f"/console/cases/{case.number}/" in email.body
    notified = CaseEvent.objects.get(case=case, type="escalated", data__action="notify_lead")
    assert notified.data["to"] == LEAD and notified.data["rule"] == "Overdue tracking answers"
    assert not CaseEvent.objects.filter(case=case, type="escalated", public=True).exists()

    # The next minute's evaluation finds nothing new.
    assert services.escalations_evaluate(now=ny(2026, 11, 5, 18, 1)) == 0
    assert len(lead_emails()) == 1 and len(escalations(case)) == 3


@pytest.mark.django_db
def test_at_risk_and_breach_are_separate_stages(frozen, tracking_lead):
    EscalationRule.objects.create(name="Warn", timer="first_response", trigger="at_risk",
                                  notify_lead=True)
    EscalationRule.objects.create(name="Push", timer="first_response", trigger="breached",
                                  notify_lead=False, raise_priority=True)
    case = open_case()
    assert services.escalations_evaluate(now=ny(2026, 11, 5, 8)) == 0
    assert services.escalations_evaluate(now=AT_RISK) == 1
    assert services.escalations_evaluate(now=BREACHED) == 1
    assert escalations(case) == ["notify_lead", "raise_priority"]


@pytest.mark.django_db
def test_rules_only_apply_to_their_department_topic_and_priority(frozen, tracking_lead):
    EscalationRule.objects.create(name="Claims only", timer="first_response", trigger="breached",
                                  department=Department.objects.get(slug="claims"))
    EscalationRule.objects.create(name="Urgent only", timer="first_response", trigger="breached",
                                  min_priority=Case.Priority.URGENT)
    case = open_case()
    assert services.escalations_evaluate(now=BREACHED) == 0
    assert escalations(case) == []


@pytest.mark.django_db
def test_answered_and_paused_cases_do_not_escalate(frozen, tracking_lead, agent_a):
    EscalationRule.objects.create(name="Any", timer="first_response", trigger="breached")
    answered, waiting = open_case(), open_case(email="olive.other@example.com")
    frozen.set(ny(2026, 11, 3, 9))
    case_reply(case=answered, agent=agent_a, body="Here you are.")
    case_set_status(case=waiting, agent=agent_a, status=Case.Status.WAITING)
    assert services.escalations_evaluate(now=ny(2026, 11, 20, 9)) == 0


@pytest.mark.django_db
def test_a_missing_lead_address_is_recorded_instead_of_sent(frozen):
    EscalationRule.objects.create(name="Any", timer="first_response", trigger="breached")
    case = open_case()
    assert services.escalations_evaluate(now=BREACHED) == 1
    event = CaseEvent.objects.get(case=case, type="escalated")
    assert event.data["error"] == "no lead email configured for Package Tracking"
    assert not OutboundEmail.objects.filter(purpose="escalation").exists()


@pytest.mark.django_db
def test_only_one_of_two_claims_on_the_same_stage_wins(frozen):
    case = open_case()
    claim = dict(case_id=case.pk, timer="first_response", trigger="breached", now=BREACHED)
    assert services.escalation_claim(**claim) is True
    assert services.escalation_claim(**claim) is False
    # Another stage of the same case is its own claim.
    assert services.escalation_claim(**{**claim, "trigger": "at_risk"}) is True


def test_two_workers_evaluating_at_once_escalate_a_case_once(_defaults_back_after_flush,
                                                               transactional_db, frozen):
    from postdesk.cases import defaults

    defaults.install()
    tracking = Department.objects.get(slug="tracking")
    DepartmentSla.objects.create(department=tracking, lead_email=LEAD)
    EscalationRule.objects.create(name="Overdue", timer="first_response", trigger="breached",
                                  notify_lead=True, raise_priority=True)
    cases = [open_case(email=f"customer{i}@example.com") for i in range(5)]

    assert race(lambda: services.escalations_evaluate(now=BREACHED)) == []
    for case in cases:
        assert escalations(case) == ["notify_lead", "raise_priority"]
        assert Case.objects.get(pk=case.pk).priority == Case.Priority.HIGH
    assert len(lead_emails()) == 5
