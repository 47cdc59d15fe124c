"""The triage panel on the case page, and finding cases by what they name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.triage.conftest import send

pytestmark = pytest.mark.django_db


def test_case_page_shows_entities_language_confidence_suggestions_and_urgency(client_supervisor):
    case = send(body="Hallo, mein Reisepassantrag ist verloren gegangen. Sendung 9400111899223818218408, "
                     "Rückruf unter +49 30 901820, verschickt am 3. September, Wert 45,99 €.").case
    html = client_supervisor.get(reverse("console:case", args=[case.number])).content.decode()
    assert "data-triage-panel" in html and "data-triage-urgent" in html
    assert 'data-entity-tracking="9400111899223818218408" data-valid="false"' in html
    assert "check digit wrong: likely a typo (expected 7)" in html
    assert 'data-detected-language="de"' in html
    assert "+4930901820" in html and 'data-entity-money="45.99 EUR"' in html
    assert "data-model-version" in html and "data-suggestions" in html


def test_search_finds_cases_by_tracking_number_however_it_is_typed(client_supervisor):
    case = send(body="Parcel 9400111899223818218407 has not moved, call (212) 736-5000.").case
    for query in ("9400 1118 9922 3818 2184 07", "9400111899223818218407", "212-736-5000"):
        html = client_supervisor.get(reverse("triage:search"), {"q": query}).content.decode()
        assert f'data-case="{case.number}"' in html, query
    html = client_supervisor.get(reverse("triage:search"), {"q": "9400111899223818218408"}).content.decode()
    assert "No case you can see names this." in html


def test_search_shows_only_cases_the_agent_may_see(client, agent_b):
    case = send(body="Parcel 9400111899223818218407 has not moved.").case
    client.force_login(agent_b)
    html = client.get(reverse("triage:search"), {"q": "9400111899223818218407"}).content.decode()
    assert f'data-case="{case.number}"' not in html


def test_topic_change_from_the_case_page_returns_to_it_and_records_a_label(client_supervisor):
    from postdesk.triage.models import TriageLabel

    case = send(channel="web", topic="general", body="My parcel never arrived.").case
    page = reverse("console:case", args=[case.number])
    response = client_supervisor.post(reverse("triage:route", args=[case.number]),
                                      {"topic": "missing_package", "next": page})
    assert response.status_code == 302 and response.url == page
    case.refresh_from_db()
    assert (case.topic.slug, case.department.slug) == ("missing_package", "missing-mail")
    assert TriageLabel.objects.get(case=case).source == "topic_change"


def test_route_never_redirects_off_the_console(client_supervisor):
    case = send(channel="web", topic="general", body="Question.").case
    response = client_supervisor.post(reverse("triage:route", args=[case.number]),
                                      {"topic": "general", "next": "https://evil.example/"})
    assert response.url == reverse("triage:queue")
