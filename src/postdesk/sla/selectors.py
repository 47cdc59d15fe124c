"""SLA reads: a case's clock state for the console, and the dashboards' tables.

Dashboard tables come only from the rollups (``DailyCaseStats``, ``DailyResponseTime``) and
the latest ``BacklogSnapshot``: a page view aggregates a few hundred pre-counted rows, never
the cases table. Every table is what its chart draws and what its CSV export contains.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from postdesk.cases.models import Case, Department, Topic
from postdesk.sla.models import (
    BacklogSnapshot,
    CaseClock,
    DailyCaseStats,
    DailyResponseTime,
    MonthlyCaseStats,
    MonthlyResponseTime,
)
from postdesk.sla.stats import AGE_EDGES_DAYS, HOUR, desk_today, percentile

# --- Console

STATE_BREACHED, STATE_AT_RISK, STATE_ON_TRACK, STATE_PAUSED, STATE_DONE = (
    "breached", "at_risk", "on_track", "paused", "done")

# The queue's default order: the earliest due time first (paused and finished clocks last),
# then the most urgent, then the oldest. ``Case.sla_due_at`` is the clock's ``next_due_at``,
# kept on the case so that the order comes from the case's indexes (``cases.models.QUEUE_DUE_ORDER``).
DUE_ORDER = (F("sla_due_at").asc(nulls_last=True), "-priority", "created_at", "id")


STATE_LABELS = {
    STATE_BREACHED: gettext_lazy("Breached"), STATE_AT_RISK: gettext_lazy("At risk"),
    STATE_ON_TRACK: gettext_lazy("On track"), STATE_PAUSED: gettext_lazy("Waiting on customer"),
    STATE_DONE: gettext_lazy("No answer due"),
}


@dataclass(frozen=True)
class ClockState:
    state: str
    due_at: datetime | None
    chased: bool
    chase_count: int
    # The moment the state was read: templates measure time left from it
    # (``due_at|timeuntil:state.now``), not from a second clock reading.
    now: datetime | None = None

    @property
    def label(self) -> str:
        # One translation per row, not five (a queue page has 50 rows).
        return str(STATE_LABELS[self.state])


def clock_state(clock: CaseClock | None, now: datetime | None = None) -> ClockState | None:
    if clock is None:
        return None
    now = now or timezone.now()
    chased = clock.chased_at is not None
    if clock.next_due_at is None:
        state = STATE_PAUSED if clock.paused else STATE_DONE
    elif clock.next_due_at <= now:
        state = STATE_BREACHED
    elif clock.next_at_risk_at is not None and clock.next_at_risk_at <= now:
        state = STATE_AT_RISK
    else:
        state = STATE_ON_TRACK
    return ClockState(state, clock.next_due_at, chased, clock.chase_count, now)


def case_clock(case: Case) -> CaseClock | None:
    try:
        return case.sla_clock
    except CaseClock.DoesNotExist:
        return None


def business_hours(seconds: int | None) -> float | int | None:
    if seconds is None:
        return None
    hours = round(seconds / HOUR, 2)
    return int(hours) if hours == int(hours) else hours


@dataclass(frozen=True)
class CasePanel:
    clock: CaseClock
    state: ClockState
    ratings: list


def case_panel(case: Case, now: datetime | None = None) -> CasePanel | None:
    clock = case_clock(case)
    if clock is None:
        return None
    return CasePanel(clock=clock, state=clock_state(clock, now),
                     ratings=list(case.ratings.order_by("-created_at")))


# --- Dashboards


@dataclass
class Table:
    """A dashboard's data: the chart draws it, the CSV export is it."""

    name: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # A last row over the whole period (exported after the rows; charts draw only the rows).
    total: list | None = None

    def all_rows(self) -> list[list]:
        return self.rows + ([self.total] if self.total else [])


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    grain: str  # day, week or month

    def key(self, day: date) -> date:
        if self.grain == "week":
            return day - timedelta(days=day.weekday())
        if self.grain == "month":
            return day.replace(day=1)
        return day

    def keys(self) -> list[date]:
        keys, day = [], self.start
        while day <= self.end:
            key = self.key(day)
            if not keys or keys[-1] != key:
                keys.append(key)
            day += timedelta(days=1)
        return keys

    def label(self, key: date) -> str:
        return key.strftime("%Y-%m") if self.grain == "month" else key.isoformat()


PERIOD_DAYS = (30, 90, 365)


def period_for(days: int, today: date | None = None) -> Period:
    today = today or desk_today()
    grain = "day" if days <= 31 else "week" if days <= 120 else "month"
    return Period(today - timedelta(days=days - 1), today, grain)


def _stats(period: Period, department_id: int | None, model=DailyCaseStats):
    rows = model.objects.filter(day__gte=period.start, day__lte=period.end)
    return rows.filter(department_id=department_id) if department_id else rows


def _whole_months(period: Period) -> tuple[date, date]:
    """The calendar months lying wholly inside the period, as [first day, first day after)."""
    first = period.start if period.start.day == 1 else (period.start.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = period.end + timedelta(days=1)
    return first, after.replace(day=1)


def _rollup(period: Period, department_id: int | None, kind: str, *fields: str, **sums) -> list[dict]:
    """Rollup rows of the period grouped by ``day`` and ``fields``, with ``sums``.

    ``kind`` is "cases" (``DailyCaseStats``) or "response_times" (``DailyResponseTime``).
    Charted by month, the whole months come from the monthly rollups (their ``day`` is the
    month's first day) and only the partial months at either end from the daily ones: a year
    reads about twelve rows per combination instead of 365. The sums are the same either way.
    """
    daily, monthly = ((DailyCaseStats, MonthlyCaseStats) if kind == "cases"
                      else (DailyResponseTime, MonthlyResponseTime))
    rows = _stats(period, department_id, daily)
    if period.grain != "month":
        return list(rows.values("day", *fields).annotate(**sums))
    first, after = _whole_months(period)
    if first >= after:
        return list(rows.values("day", *fields).annotate(**sums))
    months = monthly.objects.filter(month__gte=first, month__lt=after)
    if department_id:
        months = months.filter(department_id=department_id)
    edges = rows.filter(Q(day__lt=first) | Q(day__gte=after))
    return (list(edges.values("day", *fields).annotate(**sums))
            + list(months.values(*fields, day=F("month")).annotate(**sums)))


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def latest_snapshot() -> BacklogSnapshot | None:
    return BacklogSnapshot.objects.order_by("-taken_at").first()


def backlog_table(snapshot: BacklogSnapshot | None, *, by: str,
                  department_id: int | None = None) -> Table:
    """Open cases per department (``by="department"``) or topic, split by SLA state."""
    model = Department if by == "department" else Topic
    names = dict(model.objects.values_list("pk", "name"))
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (snapshot.rows if snapshot else []):
        if department_id and row["department"] != department_id:
            continue
        for name in ("open", "unanswered", "waiting", "at_risk", "breached"):
            totals[row[by]][name] += row[name]
    table = Table(f"backlog_{by}", _("Backlog per department") if by == "department"
                  else _("Backlog per topic"),
                  [_("Department") if by == "department" else _("Topic"), _("Open"),
                   _("Unanswered"), _("Waiting on customer"), _("At risk"), _("Breached")])
    for key, values in sorted(totals.items(), key=lambda item: -item[1]["open"]):
        table.rows.append([names.get(key, str(key)), values["open"], values["unanswered"],
                           values["waiting"], values["at_risk"], values["breached"]])
    return table


def age_labels() -> list[str]:
    edges = AGE_EDGES_DAYS
    labels = [_("under %(days)s day") % {"days": edges[0]}]
    labels += [_("%(low)s–%(high)s days") % {"low": low, "high": high}
               for low, high in zip(edges, edges[1:])]
    labels.append(_("%(days)s days or more") % {"days": edges[-1]})
    return labels


def age_table(snapshot: BacklogSnapshot | None, *, department_id: int | None = None) -> Table:
    counts = [0] * (len(AGE_EDGES_DAYS) + 1)
    for row in (snapshot.rows if snapshot else []):
        if department_id and row["department"] != department_id:
            continue
        counts = [total + value for total, value in zip(counts, row["age"])]
    return Table("age", _("Age of open cases"), [_("Age"), _("Open cases")],
                 [[label, count] for label, count in zip(age_labels(), counts)])


def attainment_table(period: Period, *, department_id: int | None = None) -> Table:
    sums: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _rollup(period, department_id, "cases",
                       fr=Sum("first_responses"), fr_met=Sum("first_responses_met"),
                       res=Sum("resolutions"), res_met=Sum("resolutions_met")):
        for name in ("fr", "fr_met", "res", "res_met"):
            sums[period.key(row["day"])][name] += row[name] or 0
    table = Table("attainment", _("SLA attainment"),
                  [_("Period"), _("First responses"), _("Within target"),
                   _("First response attainment (%)"), _("Resolutions"), _("Within target"),
                   _("Resolution attainment (%)")])
    for key in period.keys():
        values = sums[key]
        table.rows.append([period.label(key), values["fr"], values["fr_met"],
                           _percent(values["fr_met"], values["fr"]), values["res"],
                           values["res_met"], _percent(values["res_met"], values["res"])])
    return table


def response_time_table(period: Period, *, department_id: int | None = None) -> Table:
    """First-response time percentiles (business hours) per period, and over all of it."""
    histograms: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[int, int] = defaultdict(int)
    for row in _rollup(period, department_id, "response_times", "upper_bound", n=Sum("count")):
        histograms[period.key(row["day"])][row["upper_bound"]] += row["n"]
        overall[row["upper_bound"]] += row["n"]
    table = Table("response_times", _("First-response time"),
                  [_("Period"), _("Answered"), _("Median (business hours)"),
                   _("90th percentile (business hours)")])
    for key in period.keys():
        histogram = histograms[key]
        table.rows.append([period.label(key), sum(histogram.values()),
                           business_hours(percentile(histogram, 0.5)),
                           business_hours(percentile(histogram, 0.9))])
    table.total = [_("whole period"), sum(overall.values()),
                   business_hours(percentile(overall, 0.5)), business_hours(percentile(overall, 0.9))]
    return table


VOLUME_DIMENSIONS = ("channel", "topic", "language")


def volume_table(period: Period, *, dimension: str, department_id: int | None = None) -> Table:
    """New cases per period, one column per channel, topic or language (largest first)."""
    field_name = "topic_id" if dimension == "topic" else dimension
    counts: dict[date, dict] = defaultdict(lambda: defaultdict(int))
    totals: dict = defaultdict(int)
    for row in _rollup(period, department_id, "cases", field_name, n=Sum("opened")):
        if row["n"]:
            counts[period.key(row["day"])][row[field_name]] += row["n"]
            totals[row[field_name]] += row["n"]
    values = sorted(totals, key=lambda value: (-totals[value], str(value)))
    if dimension == "topic":
        names = dict(Topic.objects.values_list("pk", "name"))
    elif dimension == "language":
        from django.conf import settings

        names = {code: str(name) for code, name in settings.LANGUAGES}
    else:
        names = {}
    titles = {"channel": _("New cases by channel"), "topic": _("New cases by topic"),
              "language": _("New cases by language")}
    table = Table(f"volume_{dimension}", titles[dimension],
                  [_("Period")] + [str(names.get(value, value)) for value in values])
    for key in period.keys():
        table.rows.append([period.label(key)] + [counts[key][value] for value in values])
    return table


def csat_table(period: Period, *, department_id: int | None = None) -> Table:
    """Customer satisfaction per period: ratings, average, share of 4 and 5, distribution."""
    scores = ("rating_1", "rating_2", "rating_3", "rating_4", "rating_5")
    sums: dict[date, list[int]] = defaultdict(lambda: [0] * 5)
    for row in _rollup(period, department_id, "cases", **{name: Sum(name) for name in scores}):
        key = period.key(row["day"])
        sums[key] = [total + (row[name] or 0) for total, name in zip(sums[key], scores)]
    table = Table("csat", _("Customer satisfaction"),
                  [_("Period"), _("Ratings"), _("Average (1–5)"), _("Satisfied (4–5, %)"),
                   "1", "2", "3", "4", "5"])
    overall = [0] * 5
    for key in period.keys():
        counts = sums[key]
        overall = [a + b for a, b in zip(overall, counts)]
        table.rows.append([period.label(key), *_csat_summary(counts), *counts])
    table.total = [_("whole period"), *_csat_summary(overall), *overall]
    return table


def _csat_summary(counts: list[int]) -> list:
    total = sum(counts)
    if not total:
        return [0, None, None]
    average = sum(score * count for score, count in zip(range(1, 6), counts)) / total
    return [total, round(average, 2), _percent(counts[3] + counts[4], total)]


TABLE_NAMES = ("backlog_department", "backlog_topic", "age", "attainment", "response_times",
               "volume_channel", "volume_topic", "volume_language", "csat")


def dashboard_table(name: str, period: Period, *, department_id: int | None = None,
                    snapshot: BacklogSnapshot | None = None) -> Table | None:
    """One dashboard table by name (None for an unknown name)."""
    if name.startswith("backlog_") or name == "age":
        snapshot = snapshot or latest_snapshot()
    if name in ("backlog_department", "backlog_topic"):
        return backlog_table(snapshot, by=name.removeprefix("backlog_"), department_id=department_id)
    if name == "age":
        return age_table(snapshot, department_id=department_id)
    if name == "attainment":
        return attainment_table(period, department_id=department_id)
    if name == "response_times":
        return response_time_table(period, department_id=department_id)
    if name.startswith("volume_") and name.removeprefix("volume_") in VOLUME_DIMENSIONS:
        return volume_table(period, dimension=name.removeprefix("volume_"), department_id=department_id)
    if name == "csat":
        return csat_table(period, department_id=department_id)
    return None


def dashboard_tables(period: Period, *, department_id: int | None = None,
                     snapshot: BacklogSnapshot | None = None) -> list[Table]:
    snapshot = snapshot or latest_snapshot()
    return [dashboard_table(name, period, department_id=department_id, snapshot=snapshot)
            for name in TABLE_NAMES]
