"""Prometheus metrics.

Two kinds, for several web and worker processes on several machines:

* Counters and histograms counted by the process that saw the event (requests, ingested
  messages, email sends, jobs). They live in prometheus_client's multiprocess files under
  ``POSTDESK_METRICS_DIR`` (settings point ``PROMETHEUS_MULTIPROC_DIR`` there before this module
  is imported), so ``/metrics`` of any web process sums every Postdesk process of its machine;
  Prometheus sums the machines.
* Gauges of shared state (job queue, outbox, open cases, SLA, spool), read when scraped
  (``DatabaseCollector``), from indexed queries and the SLA backlog snapshot, never a count of
  the cases table, and cached in the shared cache for ``POSTDESK_METRICS_CACHE_SECONDS``, so
  many scrapers cost one set of queries per interval.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger(__name__)

REQUESTS = Counter("postdesk_http_requests", "HTTP requests answered, by route, method and status.",
                   ["route", "method", "status"])
REQUEST_SECONDS = Histogram(
    "postdesk_http_request_duration_seconds", "Time to answer an HTTP request, by route.", ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
INGESTED = Counter("postdesk_ingested_messages", "Messages taken in, by channel and decision "
                   "(created a case, appended to one, duplicate of an earlier one).",
                   ["channel", "decision"])
OUTBOUND = Counter("postdesk_outbound_email_attempts", "Outbox delivery attempts, by outcome "
                   "(sent, retry, failed for good).", ["outcome"])
JOBS = Counter("postdesk_jobs", "Background jobs, by task and outcome (ok, error, duplicate: "
               "a copy another worker had already taken).", ["task", "outcome"])
JOB_SECONDS = Histogram("postdesk_job_duration_seconds", "Time a background job ran, by task.",
                        ["task"], buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0, 600.0))

CACHE_KEY = "postdesk:ops:metrics:gauges"
# An index range count never walks more than this; a bigger backlog reads as "at least".
COUNT_CAP = 1_000_000


def _gauge_rows() -> list[tuple[str, str, dict[str, str], float]]:
    """(name, help, labels, value) of every shared-state gauge, from cheap queries."""
    from django.db.models import Max
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from postdesk.cases.models import Department
    from postdesk.notifications.models import OutboundEmail
    from postdesk.ops.models import PeriodicRun
    from postdesk.sla.models import BacklogSnapshot

    now = timezone.now()
    rows: list[tuple[str, str, dict[str, str], float]] = []

    rows.append(("postdesk_job_queue_depth", "Jobs waiting in the queue (Huey).", {},
                 HUEY.pending_count()))
    rows.append(("postdesk_job_scheduled", "Jobs scheduled for later (retries, delays).", {},
                 HUEY.scheduled_count()))

    # Served by the (status, next_attempt_at) index; the backlog is small when all is well.
    for status in (OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING):
        count = OutboundEmail.objects.filter(status=status)[:COUNT_CAP].count()
        rows.append(("postdesk_outbox_backlog", "Emails not yet sent, by status.",
                     {"status": str(status)}, count))
    oldest_due = (OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING,
                                               next_attempt_at__lte=now)
                  .order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first())
    rows.append(("postdesk_outbox_oldest_due_age_seconds",
                 "How long the most overdue pending email has been due (0: none due).", {},
                 (now - oldest_due).total_seconds() if oldest_due else 0.0))

    # Open cases and SLA state come from the SLA job's backlog snapshot (every 5 minutes), so
    # a scrape never counts millions of cases.
    snapshot = BacklogSnapshot.objects.order_by("-taken_at").first()
    if snapshot is not None:
        slugs = dict(Department.objects.values_list("pk", "slug"))
        totals: dict[str, dict[str, int]] = {}
        for row in snapshot.rows:
            department = slugs.get(row.get("department"), "none")
            bucket = totals.setdefault(department, {"open": 0, "breached": 0, "at_risk": 0})
            for field in bucket:
                bucket[field] += int(row.get(field, 0))
        for department, bucket in sorted(totals.items()):
            labels = {"department": department}
            rows.append(("postdesk_open_cases", "Open cases by department (backlog snapshot).",
                         labels, bucket["open"]))
            rows.append(("postdesk_sla_breached_cases", "Open cases past their SLA due time "
                         "(backlog snapshot).", labels, bucket["breached"]))
            rows.append(("postdesk_sla_at_risk_cases", "Open cases at risk of missing their SLA "
                         "(backlog snapshot).", labels, bucket["at_risk"]))
        rows.append(("postdesk_backlog_snapshot_age_seconds", "Age of the backlog snapshot the "
                     "case gauges come from.", {}, (now - snapshot.taken_at).total_seconds()))

    # One index seek per periodic task: when each last finished well.
    names = [HUEY._registry.task_to_string(cls) for cls in HUEY._registry._periodic_tasks]
    last_ok = dict(PeriodicRun.objects.filter(outcome=PeriodicRun.Outcome.OK, task_name__in=names)
                   .values("task_name").annotate(last=Max("period_start"))
                   .values_list("task_name", "last"))
    for name in sorted(names):
        if name in last_ok:
            rows.append(("postdesk_periodic_job_last_success_timestamp_seconds",
                         "Start of the last period in which the periodic job finished without "
                         "error.", {"task": name}, last_ok[name].timestamp()))

    spool = Path(settings.POSTDESK_SPOOL_DIR) / "incoming"
    waiting, oldest = 0, None
    if spool.is_dir():
        for entry in os.scandir(spool):
            if entry.name.endswith(".eml") and not entry.name.startswith("."):
                waiting += 1
                try:
                    mtime = entry.stat().st_mtime
                except FileNotFoundError:
                    continue
                oldest = mtime if oldest is None else min(oldest, mtime)
    rows.append(("postdesk_spool_backlog_messages", "Mail accepted by the SMTP server on this "
                 "machine and not yet taken in.", {}, waiting))
    rows.append(("postdesk_spool_oldest_age_seconds", "Age of the oldest such message.", {},
                 (time.time() - oldest) if oldest else 0.0))
    return rows


class DatabaseCollector:
    """Gauges read at scrape time, cached for every process and machine sharing the cache."""

    def collect(self):
        from django.core.cache import cache

        ttl = settings.POSTDESK_METRICS_CACHE_SECONDS
        rows = cache.get(CACHE_KEY) if ttl else None
        failed = 0
        if rows is None:
            try:
                rows = _gauge_rows()
            except Exception as error:  # a scrape must answer even when the database is down
                log.warning("metrics: shared-state gauges unavailable: %s", type(error).__name__)
                rows, failed = [], 1
            else:
                if ttl:
                    cache.set(CACHE_KEY, rows, ttl)
        families: dict[str, GaugeMetricFamily] = {}
        for name, help_text, labels, value in rows:
            family = families.get(name)
            if family is None:
                family = families[name] = GaugeMetricFamily(name, help_text, labels=list(labels))
            family.add_metric(list(labels.values()), float(value))
        yield from families.values()
        scrape_error = GaugeMetricFamily(
            "postdesk_metrics_gauges_error", "1 when the shared-state gauges could not be read.")
        scrape_error.add_metric([], failed)
        yield scrape_error


def render() -> bytes:
    """The text exposition: this machine's process counters plus the shared-state gauges."""
    registry = CollectorRegistry()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        MultiProcessCollector(registry, path=directory)
    else:  # metrics not shared between processes: this process's own
        for collector in (REQUESTS, REQUEST_SECONDS, INGESTED, OUTBOUND, JOBS, JOB_SECONDS):
            registry.register(collector)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
