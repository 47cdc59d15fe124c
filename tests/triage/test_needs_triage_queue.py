"""The needs-triage queue: low-confidence cases, the model's suggestions, one-click routing,
and the correction kept as a label."""

from __future__ import annotations

import pytest
from django.urls import reverse

from postdesk.cases.models import CaseEvent
from postdesk.triage.models import CaseTriage, TriageLabel
from tests.triage.conftest import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsure(settings):
    settings.POSTDESK_TRIAGE_MIN_CONFIDENCE = 0.999
    case = send(body="My Informed Delivery emails stopped and I cannot sign in to my account.").case
    return case


def test_queue_lists_the_case_with_its_top_suggestions_and_the_header_counts_it(client_supervisor, unsure):
    html = client_supervisor.get(reverse("triage:queue")).content.decode()
    assert f'data-case="{unsure.number}"' in html
    assert 'data-route-to="informed_delivery"' in html
    assert html.count("data-route-to=") == 3
    assert "Needs triage (1)" in html


def test_route_to_changes_topic_and_department_records_events_and_a_label(client_supervisor, supervisor, unsure):
    response = client_supervisor.post(reverse("triage:route", args=[unsure.number]),
                                      {"topic": "informed_delivery"})
    assert response.status_code == 302 and response.url == reverse("triage:queue")
    unsure.refresh_from_db()
    assert (unsure.topic.slug, unsure.department.slug) == ("informed_delivery", "online")
    changed = CaseEvent.objects.get(case=unsure, type="topic_changed")
    assert (changed.data["old"], changed.data["new"], changed.actor) == ("general", "informed_delivery", supervisor)
    assert CaseEvent.objects.get(case=unsure, type="transferred").data["target"] == "online"
    label = TriageLabel.objects.get(case=unsure)
    assert (label.topic, label.source, label.agent) == ("informed_delivery", "topic_change", supervisor)
    assert CaseTriage.objects.get(case=unsure).needs_triage is False
    html = client_supervisor.get(reverse("triage:queue")).content.decode()
    assert f'data-case="{unsure.number}"' not in html and "Nothing waits for triage." in html


def test_agent_sees_only_their_departments_cases_and_cannot_route_others(client, agent_a, unsure):
    client.force_login(agent_a)  # tracking department; the unsure case sits in consumer affairs
    assert f'data-case="{unsure.number}"' not in client.get(reverse("triage:queue")).content.decode()
    response = client.post(reverse("triage:route", args=[unsure.number]), {"topic": "general"})
    assert response.status_code == 404


def test_unknown_topic_is_refused_with_a_message(client_supervisor, unsure):
    response = client_supervisor.post(reverse("triage:route", args=[unsure.number]), {"topic": "nope"},
                                      follow=True)
    assert "Choose one of the topics." in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("triage:queue"))
    assert response.status_code == 302 and "/console/login/" in response.url


def test_transfer_from_the_case_page_records_a_label_for_the_target_department(client_supervisor, unsure):
    from postdesk.cases.models import Department

    claims = Department.objects.get(slug="claims")
    client_supervisor.post(reverse("console:case_transfer", args=[unsure.number]),
                           {"department": claims.pk, "reason": "It is a refund"})
    label = TriageLabel.objects.get(case=unsure)
    assert (label.topic, label.source) == ("claim_refund", "transfer")
    assert "Informed Delivery" in label.body
