"""The console's open-case counts are shared by every agent (``cases.queue_counts``): a page view
reads them from the cache; when they are older than ``POSTDESK_QUEUE_COUNTS_MAX_AGE`` the view
still shows them, with their time, and queues one refresh for a worker."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from postdesk.cases import queue_counts, tasks
from postdesk.triage.models import CaseTriage
from tests.conftest import make_case

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def shared_counts(settings):
    settings.POSTDESK_QUEUE_COUNTS_MAX_AGE = 15


@pytest.fixture
def clock(monkeypatch):
    """``timezone.now`` as seen by the counts, moved on by hand."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(queue_counts.timezone, "now", lambda: state["now"])

    def advance(seconds: float) -> None:
        state["now"] += timedelta(seconds=seconds)

    return advance


@pytest.fixture
def refreshes(monkeypatch):
    """Every refresh job queued (HUEY_IMMEDIATE runs it at once, as a worker would)."""
    queued = []
    original = tasks.refresh_queue_counts

    def spy():
        queued.append(1)
        return original()

    monkeypatch.setattr(tasks, "refresh_queue_counts", spy)
    return queued


def tracking_counts(response) -> dict[str, int]:
    html = response.content.decode()
    row = html[html.index('data-department="tracking"'):]
    row = row[:row.index("</tr>")]
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', row)}


def counting_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "GROUP BY" in q["sql"]]


def test_fresh_counts_are_read_from_the_cache_not_counted(shared_counts, client_supervisor, clock):
    make_case(external_id="one")
    first = client_supervisor.get(reverse("console:home"))
    assert tracking_counts(first)["active"] == 1
    with CaptureQueriesContext(connection) as queries:
        second = client_supervisor.get(reverse("console:home"))
    assert tracking_counts(second)["active"] == 1
    assert counting_queries(queries) == []


def test_stale_counts_are_shown_with_their_time_while_one_refresh_is_queued(
        shared_counts, client_supervisor, clock, refreshes):
    make_case(external_id="one")
    first = client_supervisor.get(reverse("console:home"))
    counted_at = re.search(r'data-counts-at="([^"]+)"', first.content.decode()).group(1)
    assert "counted at" in first.content.decode()
    make_case(external_id="two", email="second.customer@example.com")

    clock(10)  # within the period: the cached counts, nothing queued
    assert tracking_counts(client_supervisor.get(reverse("console:home")))["active"] == 1
    assert refreshes == []

    clock(10)  # past it: still the counts of before, with their time; one refresh queued
    with CaptureQueriesContext(connection) as queries:
        stale = client_supervisor.get(reverse("console:home"))
    assert tracking_counts(stale)["active"] == 1
    assert f'data-counts-at="{counted_at}"' in stale.content.decode()
    assert refreshes == [1]
    # The job (run inline here) counted; the page view itself did not wait for it otherwise.
    assert len(counting_queries(queries)) == 2

    after = client_supervisor.get(reverse("console:home"))
    assert tracking_counts(after)["active"] == 2
    assert refreshes == [1]


def test_one_refresh_per_period_however_many_views(shared_counts, client_supervisor, clock, refreshes, monkeypatch):
    make_case(external_id="one")
    client_supervisor.get(reverse("console:home"))
    # A worker that has not run the job yet: the refresh stays queued.
    monkeypatch.setattr(queue_counts, "refresh", lambda: None)
    monkeypatch.setattr(tasks, "refresh_queue_counts", lambda: refreshes.append(1))
    clock(20)
    for _ in range(5):
        assert client_supervisor.get(reverse("console:home")).status_code == 200
    assert refreshes == [1]


def test_a_queue_that_cannot_take_the_job_leaves_the_page_working(shared_counts, client_supervisor, clock,
                                                                   monkeypatch, caplog):
    make_case(external_id="one")
    client_supervisor.get(reverse("console:home"))

    def broken():
        raise ConnectionError("job queue unreachable")

    monkeypatch.setattr(tasks, "refresh_queue_counts", broken)
    clock(20)
    response = client_supervisor.get(reverse("console:home"))
    assert response.status_code == 200
    assert tracking_counts(response)["active"] == 1
    assert "could not queue the refresh" in caplog.text
    assert cache.get(queue_counts.REFRESH_KEY) is None  # the next view tries again


def test_without_cached_counts_the_view_counts(shared_counts, client_supervisor):
    make_case(external_id="one")
    cache.delete(queue_counts.CACHE_KEY)
    assert tracking_counts(client_supervisor.get(reverse("console:home")))["active"] == 1


def test_header_needs_triage_count_comes_from_the_shared_counts(shared_counts, client_a, case_a, case_b):
    CaseTriage.objects.filter(case__in=[case_a, case_b]).update(needs_triage=True)
    cache.delete(queue_counts.CACHE_KEY)
    html = client_a.get(reverse("console:home")).content.decode()
    # agent_a sees only case_a's department.
    assert "Needs triage (1)" in html
    counts = cache.get(queue_counts.CACHE_KEY)
    assert sum(c.needs_triage for c in counts.departments.values()) == 2
