"""The console shows each case's time left, at-risk and breached states, and sorts queues by due
time by default."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from postdesk.cases.models import Case, Topic
from postdesk.cases.services import case_set_status
from postdesk.sla.models import SlaPolicy
from tests.sla.helpers import ny, open_case

pytestmark = pytest.mark.django_db


def order(html: str) -> list[str]:
    return re.findall(r'<tr data-case="([^"]+)"', html)


def state_of(html: str, case) -> str:
    row = html[html.index(f'data-case="{case.number}"'):]
    return re.search(r'data-sla-state="(\w+)"', row[:row.index("</tr>")]).group(1)


def test_queue_is_ordered_by_due_time_by_default(frozen, client_supervisor, supervisor):
    SlaPolicy.objects.create(topic=Topic.objects.get(slug="claim_refund"), first_response_target=4,
                             first_response_unit="hours", resolution_target=2)
    first = open_case()  # due Thursday 17:00
    frozen.advance(minutes=5)
    second = open_case(email="olive.other@example.com")  # also Thursday 17:00: older first
    frozen.advance(minutes=5)
    soon = open_case(email="carl@example.com", topic="claim_refund", body="Broken vase.")  # 13:10
    frozen.advance(minutes=5)
    waiting = open_case(email="wanda@example.com")
    case_set_status(case=waiting, agent=supervisor, status=Case.Status.WAITING)  # no due time

    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert order(html) == [soon.number, first.number, second.number, waiting.number]
    assert '<option value="" selected>Due time first</option>' in html
    newest = client_supervisor.get(reverse("console:home"), {"sort": "newest"}).content.decode()
    assert order(newest) == [waiting.number, soon.number, second.number, first.number]
    oldest = client_supervisor.get(reverse("console:home"), {"sort": "oldest"}).content.decode()
    assert order(oldest) == [first.number, second.number, soon.number, waiting.number]


def test_queue_shows_on_track_at_risk_breached_and_waiting(frozen, client_supervisor, supervisor):
    monday = open_case()  # due Thursday 17:00, at risk from Thursday 08:15
    frozen.set(ny(2026, 11, 4, 9))
    wednesday = open_case(email="olive.other@example.com")  # due Monday 9 November
    waiting = open_case(email="wanda@example.com")
    case_set_status(case=waiting, agent=supervisor, status=Case.Status.WAITING)

    frozen.set(ny(2026, 11, 5, 9))
    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert state_of(html, monday) == "at_risk"
    assert state_of(html, wednesday) == "on_track"
    assert state_of(html, waiting) == "paused"
    assert "8\xa0hours left" in html  # Thursday 09:00 to 17:00

    frozen.set(ny(2026, 11, 6, 9))
    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert state_of(html, monday) == "breached"
    assert "overdue 16\xa0hours" in html


def test_case_page_shows_the_service_level_panel(frozen, client_a):
    case = open_case()
    frozen.set(ny(2026, 11, 5, 9))
    html = client_a.get(reverse("console:case", args=[case.number])).content.decode()
    panel = html[html.index("data-sla-panel"):]
    panel = panel[:panel.index("</section>")]
    assert 'data-sla-state="at_risk"' in panel
    assert "Nov. 5, 2026, 5 p.m. EST" in panel
    assert "8\xa0hours left" in panel
    assert "35 business hours to the first answer, 98 to resolve; at risk after 75 %" in panel
    assert "desk defaults" in panel
