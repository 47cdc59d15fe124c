"""/metrics: who may read it, process counters that grow with real traffic (from any process
of the machine), and shared-state gauges that match the database."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from postdesk.cases.models import Case, Department
from postdesk.notifications.models import OutboundEmail
from postdesk.ops.models import PeriodicRun
from tests.conftest import make_case
from tests.ops.conftest import ROOT

NO_CACHE = override_settings(POSTDESK_METRICS_CACHE_SECONDS=0)


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# --- access


@pytest.mark.django_db
def test_metrics_are_open_to_loopback_by_default(client):
    assert client.get("/metrics").status_code == 200


@pytest.mark.django_db
def test_metrics_refuse_other_addresses_with_a_json_403(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "detail": "Scrape from an address listed in POSTDESK_METRICS_ALLOW, or set "
                  "POSTDESK_METRICS_TOKEN and send it as a bearer token."}
    assert b"postdesk_" not in response.content


@pytest.mark.django_db
def test_metrics_refuse_loopback_requests_that_came_through_a_proxy(client):
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


@pytest.mark.django_db
@override_settings(POSTDESK_METRICS_ALLOW=[ipaddress.ip_network("10.0.0.0/8")])
def test_metrics_allow_the_configured_networks_only(client):
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
@override_settings(POSTDESK_METRICS_TOKEN="s3cret-scrape-token", POSTDESK_METRICS_ALLOW=[])
def test_metrics_accept_the_bearer_token_from_anywhere_and_401_a_wrong_one(client):
    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                    HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_token"
    assert wrong["WWW-Authenticate"] == 'Bearer realm="metrics"'
    missing = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert missing.status_code == 403
    assert "Authorization: Bearer" in missing.json()["detail"]


@pytest.mark.django_db
def test_a_bearer_token_is_refused_when_none_is_configured(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything")
    assert response.status_code == 401


# --- process counters


@pytest.mark.django_db
def test_a_form_submission_counts_a_request_and_an_ingested_web_message(client):
    from tests.portal.test_contact_form import form_url, valid_data

    before = scrape(client)
    response = client.post(form_url(), valid_data())
    assert response.status_code == 302
    after = scrape(client)
    route = "/contact/<slug:slug>/"
    assert value(after, "postdesk_http_requests_total", route=route, method="POST", status="302") \
        == value(before, "postdesk_http_requests_total", route=route, method="POST", status="302") + 1
    assert value(after, "postdesk_ingested_messages_total", channel="web", decision="created") \
        == value(before, "postdesk_ingested_messages_total", channel="web", decision="created") + 1
    assert value(after, "postdesk_http_request_duration_seconds_count", route=route) \
        == value(before, "postdesk_http_request_duration_seconds_count", route=route) + 1


@pytest.mark.django_db
def test_a_resubmitted_form_counts_as_a_duplicate(client):
    from tests.portal.test_contact_form import form_url, valid_data

    client.post(form_url(), valid_data())
    before = scrape(client)
    client.post(form_url(), valid_data())
    after = scrape(client)
    assert value(after, "postdesk_ingested_messages_total", channel="web", decision="duplicate") \
        == value(before, "postdesk_ingested_messages_total", channel="web", decision="duplicate") + 1


@pytest.mark.django_db
def test_an_outbox_delivery_counts_as_sent(client):
    from postdesk.notifications import delivery

    make_case()
    outbound = OutboundEmail.objects.get(status=OutboundEmail.Status.PENDING)
    before = scrape(client)
    assert delivery.deliver(outbound.pk) == "sent"
    after = scrape(client)
    assert value(after, "postdesk_outbound_email_attempts_total", outcome="sent") \
        == value(before, "postdesk_outbound_email_attempts_total", outcome="sent") + 1


@pytest.mark.django_db
def test_counters_of_other_processes_on_the_machine_are_summed(client):
    """A worker process counts in its own files; the web process's /metrics adds them up."""
    before = scrape(client)
    script = ("import django; django.setup()\n"
              "from postdesk.ops import metrics\n"
              "metrics.INGESTED.labels(channel='email', decision='created').inc(3)\n")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT,
                   env={**__import__("os").environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"})
    after = scrape(client)
    assert value(after, "postdesk_ingested_messages_total", channel="email", decision="created") \
        == value(before, "postdesk_ingested_messages_total", channel="email", decision="created") + 3


# --- shared-state gauges


@pytest.mark.django_db
@NO_CACHE
def test_case_gauges_match_the_backlog_snapshot_and_the_database(client):
    from postdesk.sla import stats

    for _ in range(3):
        make_case()
    make_case(topic="claim_refund", body="The vase arrived broken.",
              tracking_numbers=("70131710000012912087",))
    stats.backlog_snapshot_take()
    samples = scrape(client)
    for department in Department.objects.all():
        open_cases = Case.objects.filter(department=department).exclude(
            status__in=[Case.Status.RESOLVED, Case.Status.CLOSED]).count()
        assert value(samples, "postdesk_open_cases", department=department.slug) == open_cases
    assert sum(value(samples, "postdesk_open_cases", department=d.slug)
               for d in Department.objects.all()) == 4
    assert value(samples, "postdesk_sla_breached_cases", department="tracking") == 0
    assert 0 <= value(samples, "postdesk_backlog_snapshot_age_seconds") < 60


@pytest.mark.django_db
@NO_CACHE
def test_outbox_gauges_match_the_database(client):
    make_case()
    make_case(email="olive.other@example.com")
    overdue = OutboundEmail.objects.order_by("pk").first()
    OutboundEmail.objects.filter(pk=overdue.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    samples = scrape(client)
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).count()
    assert pending == 2
    assert value(samples, "postdesk_outbox_backlog", status="pending") == pending
    assert value(samples, "postdesk_outbox_backlog", status="sending") == 0
    assert 600 <= value(samples, "postdesk_outbox_oldest_due_age_seconds") < 660
    from huey.contrib.djhuey import HUEY

    assert value(samples, "postdesk_job_queue_depth") == HUEY.pending_count()
    assert ("postdesk_metrics_gauges_error", ()) in samples
    assert value(samples, "postdesk_metrics_gauges_error") == 0


@pytest.mark.django_db
@NO_CACHE
def test_periodic_job_gauge_reports_the_last_successful_period(client):
    period = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=3)
    name = "postdesk.notifications.tasks.sweep_outbox"
    PeriodicRun.objects.create(task_name=name, period_start=period, worker="w", started_at=period,
                               finished_at=period, outcome=PeriodicRun.Outcome.OK)
    PeriodicRun.objects.create(task_name=name, period_start=period + timedelta(minutes=1),
                               worker="w", started_at=period, outcome=PeriodicRun.Outcome.ERROR)
    samples = scrape(client)
    assert value(samples, "postdesk_periodic_job_last_success_timestamp_seconds", task=name) \
        == period.timestamp()


@pytest.mark.django_db
@NO_CACHE
def test_spool_gauge_counts_the_messages_waiting_on_this_machine(client, tmp_path, settings):
    from postdesk.intake import spool

    settings.POSTDESK_SPOOL_DIR = str(tmp_path / "spool")
    assert value(scrape(client), "postdesk_spool_backlog_messages") == 0
    spool.spool_write(b"Subject: hi\r\n\r\nhello\r\n", spool.Envelope(recipients=("support@postdesk.test",)))
    samples = scrape(client)
    assert value(samples, "postdesk_spool_backlog_messages") == 1
    assert 0 <= value(samples, "postdesk_spool_oldest_age_seconds") < 60


@pytest.mark.django_db
@override_settings(POSTDESK_METRICS_CACHE_SECONDS=30)
def test_gauges_are_cached_so_many_scrapers_cost_one_set_of_queries(client, django_assert_max_num_queries):
    make_case()
    first = scrape(client)
    make_case(email="olive.other@example.com")
    with django_assert_max_num_queries(0):
        second = scrape(client)
    assert value(second, "postdesk_outbox_backlog", status="pending") \
        == value(first, "postdesk_outbox_backlog", status="pending") == 1
