"""Rollups for the dashboards, written by periodic jobs so that no page view counts a big table.

- ``DailyCaseStats`` and ``DailyResponseTime``: rebuilt for one day (desk time zone) from that
  day's rows only, found through indexed date columns; with them, in the same transaction,
  ``MonthlyCaseStats`` and ``MonthlyResponseTime`` of the day's month (sums of its days), which
  the dashboards read for whole months. Today and yesterday are rebuilt every
  ten minutes; ``postdesk sla_rollup --days N`` backfills. A rebuild replaces the day, so it
  is idempotent and corrects itself when a case changes later.
- ``BacklogSnapshot``: the open cases per department and topic with their age and SLA state,
  every five minutes. The dashboard shows the latest one and says when it was taken.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from postdesk.cases.models import Case
from postdesk.sla.models import (
    BacklogSnapshot,
    CaseClock,
    CaseRating,
    DailyCaseStats,
    DailyResponseTime,
    MonthlyCaseStats,
    MonthlyResponseTime,
)

HOUR = 3600
# Upper bounds of the first-response histogram, in business hours (a business day is 9 h by
# default). Percentiles read as "p % answered within <bound>"; the last bucket holds the rest.
RESPONSE_BUCKET_HOURS = (0.25, 0.5, 1, 2, 3, 4, 6, 9, 12, 18, 27, 36, 45, 54, 72, 90, 135, 180,
                         270, 10000)
RESPONSE_BUCKETS = tuple(int(hours * HOUR) for hours in RESPONSE_BUCKET_HOURS)
# Age buckets of open cases: under 1 day, 1-2, 2-3, 3-5, 5-10, 10-30, 30 days and more.
AGE_EDGES_DAYS = (1, 2, 3, 5, 10, 30)
SNAPSHOT_KEEP_DAYS = 7
ACTIVE = (Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING)


def response_bucket(seconds: int) -> int:
    for upper in RESPONSE_BUCKETS:
        if seconds <= upper:
            return upper
    return RESPONSE_BUCKETS[-1]


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The bucket bound within which ``share`` of the answers came (None without answers)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = math.ceil(share * total)
    seen = 0
    for upper in sorted(histogram):
        seen += histogram[upper]
        if seen >= rank:
            return upper
    return max(histogram)


def desk_zone() -> ZoneInfo:
    return ZoneInfo(settings.POSTDESK_TIME_ZONE)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = desk_zone()
    return (datetime.combine(day, time(0), tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))


def desk_today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), desk_zone()).date()


_COUNTERS = ("opened", "first_responses", "first_responses_met", "resolutions",
             "resolutions_met", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5")
_CASE_DIMENSIONS = ("department_id", "topic_id", "channel", "language")
_VIA_CASE = tuple(f"case__{name}" for name in _CASE_DIMENSIONS)


def stats_rollup_day(*, day: date) -> int:
    """Rebuild the rollup rows of ``day`` from the raw rows of that day; returns rows written."""
    start, end = day_bounds(day)
    counters: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTERS, 0))

    opened = (Case.objects.filter(created_at__gte=start, created_at__lt=end)
              .values(*_CASE_DIMENSIONS).annotate(n=Count("pk")))
    for row in opened:
        counters[tuple(row[k] for k in _CASE_DIMENSIONS)]["opened"] += row["n"]

    answered = CaseClock.objects.filter(first_responded_at__gte=start, first_responded_at__lt=end)
    for row in answered.values(*_VIA_CASE).annotate(
            n=Count("pk"), met=Count("pk", filter=Q(first_response_breached=False))):
        key = counters[tuple(row[k] for k in _VIA_CASE)]
        key["first_responses"] += row["n"]
        key["first_responses_met"] += row["met"]

    resolved = CaseClock.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
    for row in resolved.values(*_VIA_CASE).annotate(
            n=Count("pk"), met=Count("pk", filter=Q(resolution_breached=False))):
        key = counters[tuple(row[k] for k in _VIA_CASE)]
        key["resolutions"] += row["n"]
        key["resolutions_met"] += row["met"]

    ratings = CaseRating.objects.filter(created_at__gte=start, created_at__lt=end)
    for row in ratings.values(*_VIA_CASE, "score").annotate(n=Count("pk")):
        counters[tuple(row[k] for k in _VIA_CASE)][f"rating_{row['score']}"] += row["n"]

    histogram: dict[tuple[int, int], int] = defaultdict(int)
    for department_id, elapsed in answered.values_list("case__department_id", "first_response_elapsed"):
        histogram[(department_id, response_bucket(elapsed))] += 1

    stats = [DailyCaseStats(day=day, department_id=key[0], topic_id=key[1], channel=key[2],
                            language=key[3], **values) for key, values in counters.items()]
    times = [DailyResponseTime(day=day, department_id=department_id, upper_bound=upper, count=count)
             for (department_id, upper), count in histogram.items()]
    for attempt in range(2):
        try:
            with transaction.atomic():
                DailyCaseStats.objects.filter(day=day).delete()
                DailyResponseTime.objects.filter(day=day).delete()
                DailyCaseStats.objects.bulk_create(stats)
                DailyResponseTime.objects.bulk_create(times)
                # The month's sums, in the same transaction: they never disagree with the days.
                stats_rollup_month(month=day)
        except IntegrityError:
            # Another worker rebuilt this day or another day of the month at the same moment.
            # Its daily rows are as good as ours; its month may lack our day: once more.
            continue
        return len(stats) + len(times)
    return 0


def month_span(month: date) -> tuple[date, date]:
    """The first day of ``month``'s month and the first day of the next one."""
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def stats_rollup_month(*, month: date) -> int:
    """Rebuild the monthly rollups of ``month``'s month as the sums of its daily rows (at most
    31 days of them, never the raw tables); returns rows written."""
    first, after = month_span(month)
    dimensions = ("department_id", "topic_id", "channel", "language")
    days = DailyCaseStats.objects.filter(day__gte=first, day__lt=after)
    stats = [MonthlyCaseStats(month=first, **row)
             for row in days.values(*dimensions).annotate(**{name: Sum(name) for name in _COUNTERS})
             .order_by()]
    times = [MonthlyResponseTime(month=first, **row)
             for row in DailyResponseTime.objects.filter(day__gte=first, day__lt=after)
             .values("department_id", "upper_bound").annotate(count=Sum("count")).order_by()]
    with transaction.atomic():
        MonthlyCaseStats.objects.filter(month=first).delete()
        MonthlyResponseTime.objects.filter(month=first).delete()
        MonthlyCaseStats.objects.bulk_create(stats)
        MonthlyResponseTime.objects.bulk_create(times)
    return len(stats) + len(times)


def stats_rollup_recent(*, now: datetime | None = None) -> int:
    today = desk_today(now)
    return stats_rollup_day(day=today - timedelta(days=1)) + stats_rollup_day(day=today)


def _age_filters(now: datetime) -> dict[str, Q]:
    edges = [now - timedelta(days=days) for days in AGE_EDGES_DAYS]
    filters = {"age_0": Q(created_at__gt=edges[0])}
    for index in range(1, len(edges)):
        filters[f"age_{index}"] = Q(created_at__lte=edges[index - 1], created_at__gt=edges[index])
    filters[f"age_{len(edges)}"] = Q(created_at__lte=edges[-1])
    return filters


def backlog_snapshot_take(*, now: datetime | None = None) -> BacklogSnapshot:
    """Count the open cases per department and topic, once, for every dashboard view until
    the next snapshot."""
    now = now or timezone.now()
    ages = _age_filters(now)
    rows = (
        Case.objects.filter(status__in=ACTIVE).values("department_id", "topic_id")
        .annotate(
            open=Count("pk"),
            waiting=Count("pk", filter=Q(status=Case.Status.WAITING)),
            unanswered=Count("pk", filter=Q(first_response_at__isnull=True)
                             & ~Q(status=Case.Status.WAITING)),
            breached=Count("pk", filter=Q(sla_clock__next_due_at__lte=now)),
            at_risk=Count("pk", filter=Q(sla_clock__next_at_risk_at__lte=now,
                                         sla_clock__next_due_at__gt=now)),
            **{name: Count("pk", filter=condition) for name, condition in ages.items()},
        )
        .order_by("department_id", "topic_id")
    )
    data = []
    for row in rows:
        data.append({
            "department": row["department_id"], "topic": row["topic_id"], "open": row["open"],
            "waiting": row["waiting"], "unanswered": row["unanswered"],
            "at_risk": row["at_risk"], "breached": row["breached"],
            "age": [row[f"age_{index}"] for index in range(len(AGE_EDGES_DAYS) + 1)],
        })
    snapshot = BacklogSnapshot.objects.create(taken_at=now, rows=data)
    BacklogSnapshot.objects.filter(taken_at__lt=now - timedelta(days=SNAPSHOT_KEEP_DAYS)).delete()
    return snapshot
