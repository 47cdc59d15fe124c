"""The queue: department counts and the filters."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from postdesk.cases.models import Case, Topic
from postdesk.cases.services import case_assign, case_set_priority, case_set_status
from tests.conftest import make_case


def listed(response) -> set[str]:
    return set(re.findall(r'data-case="([^"]+)"', response.content.decode()))


def counts(response, slug) -> dict[str, int]:
    html = response.content.decode()
    row = html[html.index(f'data-department="{slug}"'):]
    row = row[:row.index("</tr>")]
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', row)}


def test_queue_counts_open_new_and_unassigned_per_department(client_supervisor, supervisor, db):
    first, second, third = (make_case(external_id=f"q{i}") for i in range(3))
    make_case(topic="claim_refund", tracking_numbers=("70131710000012912087",))
    case_set_status(case=second, agent=supervisor, status=Case.Status.OPEN)
    case_assign(case=second, agent=supervisor, assignee=supervisor)
    case_set_status(case=third, agent=supervisor, status=Case.Status.CLOSED)

    response = client_supervisor.get(reverse("console:home"))
    assert counts(response, "tracking") == {"active": 2, "new": 1, "unassigned": 1}
    assert counts(response, "claims") == {"active": 1, "new": 1, "unassigned": 1}
    assert counts(response, "online") == {"active": 0, "new": 0, "unassigned": 0}


def test_department_counts_are_one_aggregate_query_whatever_the_number_of_departments(
    supervisor, agent_a, case_a, case_b
):
    from postdesk.cases.selectors import agent_queue_departments

    for user, expected_departments in ((supervisor, 7), (agent_a, 1)):
        with CaptureQueriesContext(connection) as queries:
            departments = list(agent_queue_departments(user))
        assert len(departments) == expected_departments
        # The department list, then every department's counts by two grouped queries
        # (cases.queue_counts: open, new, unassigned; needs triage).
        counting = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
        assert len(queries) == 3 and len(counting) == 2
        assert all("GROUP BY" in sql for sql in counting)
    assert departments[0].active_count == 1


def test_agent_sees_only_own_departments_in_counts(client_a, case_a, case_b):
    html = client_a.get(reverse("console:home")).content.decode()
    assert 'data-department="tracking"' in html
    assert 'data-department="claims"' not in html


def test_default_queue_hides_resolved_and_closed_cases(client_a, agent_a, case_a):
    done = make_case(body="Solved already.")
    case_set_status(case=done, agent=agent_a, status=Case.Status.CLOSED)
    assert listed(client_a.get(reverse("console:home"))) == {case_a.number}
    assert listed(client_a.get(reverse("console:home"), {"status": "any"})) == {case_a.number, done.number}


def test_status_filter(client_a, agent_a, case_a):
    waiting = make_case(body="Second parcel.")
    case_set_status(case=waiting, agent=agent_a, status=Case.Status.WAITING)
    assert listed(client_a.get(reverse("console:home"), {"status": "waiting"})) == {waiting.number}
    assert listed(client_a.get(reverse("console:home"), {"status": "new"})) == {case_a.number}


def test_assignee_filter_me_none_and_by_id(client_a, agent_a, case_a, department_a):
    from tests.conftest import _agent

    mine = make_case(body="Mine.")
    colleague = _agent("colleague", "agent", [department_a])
    theirs = make_case(body="Theirs.")
    case_assign(case=mine, agent=agent_a, assignee=agent_a)
    case_assign(case=theirs, agent=agent_a, assignee=colleague)
    home = reverse("console:home")
    assert listed(client_a.get(home, {"assignee": "me"})) == {mine.number}
    assert listed(client_a.get(home, {"assignee": "none"})) == {case_a.number}
    assert listed(client_a.get(home, {"assignee": str(colleague.pk)})) == {theirs.number}


def test_topic_filter(client_supervisor, case_a, case_b):
    claims = Topic.objects.get(slug="claim_refund")
    assert listed(client_supervisor.get(reverse("console:home"), {"topic": claims.pk})) == {case_b.number}


def test_department_filter(client_supervisor, case_a, case_b, department_a):
    response = client_supervisor.get(reverse("console:home"), {"department": department_a.pk})
    assert listed(response) == {case_a.number}


def test_agent_cannot_filter_to_a_department_outside_their_own(client_a, case_a, department_b):
    response = client_a.get(reverse("console:home"), {"department": department_b.pk})
    assert response.status_code == 400
    assert "Select a valid choice. That choice is not one of the available choices." in response.content.decode()
    assert listed(response) == {case_a.number}


def test_priority_filter(client_a, agent_a, case_a):
    urgent = make_case(body="Urgent parcel.")
    case_set_priority(case=urgent, agent=agent_a, priority=Case.Priority.URGENT)
    assert listed(client_a.get(reverse("console:home"), {"priority": "4"})) == {urgent.number}


def test_age_filter_shows_cases_older_than_n_days(client_a, case_a):
    old = make_case(body="Old parcel.")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    assert listed(client_a.get(reverse("console:home"), {"age": "7"})) == {old.number}


def test_negative_age_is_refused_with_the_message(client_a, case_a):
    response = client_a.get(reverse("console:home"), {"age": "-1"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_queue_sorts_newest_first_and_by_priority_on_request(client_a, agent_a, case_a):
    # The default order is due time first (tests/sla/test_console.py).
    newer = make_case(body="Newer.")
    Case.objects.filter(pk=case_a.pk).update(created_at=timezone.now() - timedelta(hours=1))
    html = client_a.get(reverse("console:home"), {"sort": "newest"}).content.decode()
    assert html.index(newer.number) < html.index(case_a.number)
    case_set_priority(case=case_a, agent=agent_a, priority=Case.Priority.HIGH)
    html = client_a.get(reverse("console:home"), {"sort": "priority"}).content.decode()
    assert html.index(case_a.number) < html.index(newer.number)


def test_queue_paginates_at_fifty_and_keeps_filters(client_a, agent_a, db):
    for i in range(51):
        make_case(external_id=f"bulk{i}", body=f"Parcel {i}")
    first = client_a.get(reverse("console:home"), {"status": "new"})
    assert len(listed(first)) == 50
    assert "status=new&amp;page=2" in first.content.decode()
    second = client_a.get(reverse("console:home"), {"status": "new", "page": "2"})
    assert len(listed(second)) == 1


def test_queue_shows_each_case_language(client_a, db):
    make_case(language="de", body="Mein Paket kommt nicht an.")
    html = client_a.get(reverse("console:home")).content.decode()
    assert 'data-language="de"' in html and "German" in html
