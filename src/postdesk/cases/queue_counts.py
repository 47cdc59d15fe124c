"""Open-case counts per department: the table above the console's queue and the header's
"Needs triage (n)", on every console page.

Counting every open case on every page view costs time in proportion to the open backlog
(12 ms for 44,000 open cases at a million cases, and ten times that for a backlog ten times as
big), paid by every agent for numbers that are the same for all of them. So the counts of every
department are computed together, by two grouped queries, and shared through the cache (Redis
in production, so every web process on every machine sees one copy):

- younger than ``POSTDESK_QUEUE_COUNTS_MAX_AGE`` seconds: used as they are;
- older: still used, and one ``refresh_queue_counts`` job is queued (one per period across all
  processes, by ``cache.add``) so a worker recomputes them: no page view waits for the count;
- missing (first view, cache cleared, or no refresh for ``STALE_LIMIT_FACTOR`` periods because
  no worker runs): computed in the request.

``POSTDESK_QUEUE_COUNTS_MAX_AGE=0`` computes them in every request. Pages say how old they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from postdesk.cases.models import Case
from postdesk.cases.selectors import ACTIVE_STATUSES

log = logging.getLogger(__name__)

CACHE_KEY = "postdesk:queue-counts:v1"
REFRESH_KEY = CACHE_KEY + ":refresh-queued"
# Counts older than this many periods are not shown at all (no worker refreshes them).
STALE_LIMIT_FACTOR = 20


@dataclass(frozen=True)
class DepartmentCounts:
    active: int = 0
    new: int = 0
    unassigned: int = 0
    needs_triage: int = 0


@dataclass(frozen=True)
class QueueCounts:
    computed_at: datetime
    departments: dict[int, DepartmentCounts] = field(default_factory=dict)

    def of(self, department_id: int) -> DepartmentCounts:
        return self.departments.get(department_id, DepartmentCounts())

    def needs_triage(self, department_ids) -> int:
        return sum(self.of(pk).needs_triage for pk in department_ids)


def compute() -> QueueCounts:
    """Every department's counts now: two grouped queries over the open cases only (read from
    ``case_queue_idx``, status first), whatever the size of the history."""
    now = timezone.now()
    open_cases = Case.objects.filter(status__in=ACTIVE_STATUSES).order_by()
    rows = open_cases.values("department_id").annotate(
        active=Count("id"),
        new=Count("id", filter=Q(status=Case.Status.NEW)),
        unassigned=Count("id", filter=Q(assignee__isnull=True)),
    )
    triage = dict(open_cases.filter(triage__needs_triage=True).values("department_id")
                  .annotate(n=Count("id")).values_list("department_id", "n"))
    departments = {row["department_id"]: DepartmentCounts(row["active"], row["new"], row["unassigned"],
                                                          triage.get(row["department_id"], 0))
                   for row in rows}
    return QueueCounts(computed_at=now, departments=departments)


def refresh() -> QueueCounts:
    counts = compute()
    max_age = settings.POSTDESK_QUEUE_COUNTS_MAX_AGE
    if max_age > 0:
        cache.set(CACHE_KEY, counts, timeout=max_age * STALE_LIMIT_FACTOR)
    cache.delete(REFRESH_KEY)
    return counts


def for_request(request) -> QueueCounts:
    """``current()``, read once per request: the queue's table and the header both show them."""
    counts = getattr(request, "_postdesk_queue_counts", None)
    if counts is None:
        counts = request._postdesk_queue_counts = current()
    return counts


def current() -> QueueCounts:
    """The counts to show now (see the module's docstring)."""
    max_age = settings.POSTDESK_QUEUE_COUNTS_MAX_AGE
    if max_age <= 0:
        return compute()
    counts = cache.get(CACHE_KEY)
    if counts is None:
        return refresh()
    if (timezone.now() - counts.computed_at).total_seconds() > max_age and cache.add(
            REFRESH_KEY, True, timeout=max_age):
        from postdesk.cases.tasks import refresh_queue_counts

        try:
            refresh_queue_counts()
        except Exception:  # the queue is down: these counts are still shown; the next view retries
            cache.delete(REFRESH_KEY)
            log.exception("could not queue the refresh of the queue counts")
    return counts
