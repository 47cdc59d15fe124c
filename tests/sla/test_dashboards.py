"""Supervisor dashboards: the numbers of a known week of cases, as tables, SVG charts and CSV,
read from rollups (never a count over the cases table on a page view)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from postdesk.cases.models import Case, Department
from postdesk.cases.services import case_reply, case_set_status
from postdesk.sla import selectors, services
from postdesk.sla.models import DailyCaseStats, RatingRequest
from postdesk.sla.stats import backlog_snapshot_take, percentile, stats_rollup_day, stats_rollup_recent
from tests.sla.helpers import MONDAY_9AM, ny, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_week(frozen, agent_a, agent_b):
    """Monday 26 October 2026: three cases. A (web, English) is answered after 2 business hours,
    resolved the next day and rated 5; B (web, Spanish) is answered on Friday after 37 business
    hours, past its 35-hour target; C (API, claims) is never answered."""
    frozen.set(ny(2026, 10, 26, 9))
    a = open_case(body="Where is my parcel?")
    b = open_case(email="beatriz@example.com", name="Beatriz", language="es", body="¿Dónde está mi paquete?")
    c = open_case(email="carl@example.com", name="Carl", topic="claim_refund", channel="api",
                  body="The vase arrived broken; I would like a refund.")
    frozen.set(ny(2026, 10, 26, 11))
    case_reply(case=a, agent=agent_a, body="It arrives tomorrow.")
    frozen.set(ny(2026, 10, 27, 9))
    case_set_status(case=Case.objects.get(pk=a.pk), agent=agent_a, status=Case.Status.RESOLVED)
    frozen.set(ny(2026, 10, 27, 10))
    services.rating_submit(token=services.rating_token(RatingRequest.objects.get(case=a)), score=5,
                           comment="Quick!")
    frozen.set(ny(2026, 10, 30, 10))
    case_reply(case=b, agent=agent_a, body="Está en camino.")
    frozen.set(MONDAY_9AM)
    for offset in range(10):
        stats_rollup_day(day=date(2026, 10, 24) + timedelta(days=offset))
    backlog_snapshot_take()
    return a, b, c


def row(table, label):
    return next(r for r in table.all_rows() if r[0] == label)


def test_sla_attainment_of_the_known_week(known_week):
    table = selectors.attainment_table(selectors.period_for(30))
    assert table.columns[0] == "Period" and len(table.rows) == 30
    assert row(table, "2026-10-26") == ["2026-10-26", 1, 1, 100.0, 0, 0, None]
    assert row(table, "2026-10-27") == ["2026-10-27", 0, 0, None, 1, 1, 100.0]
    assert row(table, "2026-10-30") == ["2026-10-30", 1, 0, 0.0, 0, 0, None]


def test_first_response_percentiles_of_the_known_week(known_week):
    table = selectors.response_time_table(selectors.period_for(30))
    # A: 2 business hours; B: 37 (in the "within 45 hours" bucket).
    assert table.total == ["whole period", 2, 2.0, 45.0]
    assert row(table, "2026-10-30") == ["2026-10-30", 1, 45.0, 45.0]


def test_percentile_is_the_bucket_bound_within_which_that_share_was_answered():
    histogram = {3600: 5, 7200: 4, 36000: 1}
    assert percentile(histogram, 0.5) == 3600
    assert percentile(histogram, 0.9) == 7200
    assert percentile(histogram, 0.95) == 36000
    assert percentile({}, 0.5) is None


def test_volume_by_channel_topic_and_language_of_the_known_week(known_week):
    period = selectors.period_for(30)
    channel = selectors.volume_table(period, dimension="channel")
    assert channel.columns == ["Period", "web", "api"]
    assert row(channel, "2026-10-26") == ["2026-10-26", 2, 1]
    assert row(channel, "2026-10-27") == ["2026-10-27", 0, 0]
    topic = selectors.volume_table(period, dimension="topic")
    assert topic.columns == ["Period", "Track a package", "Claim or refund"]
    assert row(topic, "2026-10-26") == ["2026-10-26", 2, 1]
    language = selectors.volume_table(period, dimension="language")
    assert language.columns == ["Period", "English", "Spanish"]
    assert row(language, "2026-10-26") == ["2026-10-26", 2, 1]


def test_csat_of_the_known_week(known_week):
    table = selectors.csat_table(selectors.period_for(30))
    assert table.total == ["whole period", 1, 5.0, 100.0, 0, 0, 0, 0, 1]
    assert row(table, "2026-10-27") == ["2026-10-27", 1, 5.0, 100.0, 0, 0, 0, 0, 1]


def test_backlog_and_age_of_the_known_week(known_week):
    snapshot = selectors.latest_snapshot()
    departments = selectors.backlog_table(snapshot, by="department")
    # B waits on its customer; C was due on Thursday 29 October and is breached.
    assert departments.rows == [["Package Tracking", 1, 0, 1, 0, 0],
                                ["Claims and Refunds", 1, 1, 0, 0, 1]]
    topics = selectors.backlog_table(snapshot, by="topic")
    assert {r[0] for r in topics.rows} == {"Track a package", "Claim or refund"}
    age = selectors.age_table(snapshot)
    assert age.rows[4] == ["5–10 days", 2]
    assert sum(count for _label, count in age.rows) == 2
    claims = Department.objects.get(slug="claims")
    assert selectors.backlog_table(snapshot, by="department", department_id=claims.pk).rows == [
        ["Claims and Refunds", 1, 1, 0, 0, 1]]


def test_weekly_grain_for_ninety_days_sums_the_days(known_week):
    table = selectors.attainment_table(selectors.period_for(90))
    # Monday 26 October starts a week: A's answer (met) and B's (late) are in it.
    assert row(table, "2026-10-26") == ["2026-10-26", 2, 1, 50.0, 1, 1, 100.0]


def test_rollup_is_idempotent_and_follows_later_changes(known_week):
    before = DailyCaseStats.objects.count()
    stats_rollup_day(day=date(2026, 10, 26))
    assert DailyCaseStats.objects.count() == before
    stats_rollup_recent()  # today and yesterday: nothing happened, nothing written
    assert not DailyCaseStats.objects.filter(day__gte=date(2026, 11, 1)).exists()


def test_dashboard_page_draws_every_chart_without_counting_the_cases_table(known_week, client_supervisor,
                                                                           settings):
    # The console header's counts ("needs triage") are shared and cached (cases.queue_counts),
    # as in production: counted once before, not by this page.
    settings.POSTDESK_QUEUE_COUNTS_MAX_AGE = 15
    from postdesk.cases import queue_counts

    queue_counts.refresh()
    with CaptureQueriesContext(connection) as queries:
        response = client_supervisor.get(reverse("dashboards:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="pd-chart"') == 9
    assert html.count("data-csv") == 9
    assert 'aria-labelledby="chart-attainment-title"' in html
    touched = [q["sql"] for q in queries if re.search(r'\bcases_case\b', q["sql"])]
    assert touched == []


def test_dashboards_are_for_supervisors(client, client_a, known_week):
    assert client_a.get(reverse("dashboards:index")).status_code == 403
    assert client_a.get(reverse("dashboards:csv", args=["attainment"])).status_code == 403
    client.logout()
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 302 and "/console/login/" in response["Location"]


def test_csv_export_is_the_table(known_week, client_supervisor):
    response = client_supervisor.get(reverse("dashboards:csv", args=["attainment"]), {"period": "30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="postdesk-attainment-2026-10-04-2026-11-02.csv"')
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["Period", "First responses", "Within target", "First response attainment (%)",
                        "Resolutions", "Within target", "Resolution attainment (%)"]
    assert ["2026-10-26", "1", "1", "100.0", "0", "0", ""] in lines
    assert ["2026-10-30", "1", "0", "0.0", "0", "0", ""] in lines
    assert len(lines) == 31

    claims = Department.objects.get(slug="claims")
    response = client_supervisor.get(reverse("dashboards:csv", args=["backlog_department"]),
                                     {"department": claims.pk})
    assert response["Content-Disposition"].startswith('attachment; filename="postdesk-backlog_department-claims-')
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["Department", "Open", "Unanswered", "Waiting on customer", "At risk", "Breached"],
        ["Claims and Refunds", "1", "1", "0", "0", "1"]]

    csat = client_supervisor.get(reverse("dashboards:csv", args=["csat"])).content.decode()
    assert csat.strip().splitlines()[-1] == "whole period,1,5.0,100.0,0,0,0,0,1"
    assert client_supervisor.get(reverse("dashboards:csv", args=["nonsense"])).status_code == 404


def test_csv_cells_that_look_like_formulas_are_defused(known_week, client_supervisor):
    Department.objects.filter(slug="claims").update(name="=HYPERLINK(\"http://evil\")")
    body = client_supervisor.get(reverse("dashboards:csv", args=["backlog_department"])).content.decode()
    assert "'=HYPERLINK" in body


def test_rollup_command_backfills_past_days(known_week):
    from django.core.management import call_command

    DailyCaseStats.objects.all().delete()
    out = io.StringIO()
    call_command("sla_rollup", days=10, stdout=out)
    assert out.getvalue().strip().endswith("rollup rows written for 10 days; backlog snapshot taken")
    table = selectors.attainment_table(selectors.period_for(30))
    assert row(table, "2026-10-26") == ["2026-10-26", 1, 1, 100.0, 0, 0, None]


@pytest.fixture
def known_year(known_week, frozen, agent_a):
    """The known week plus two older cases: one on 10 November 2025 (inside the 365 days, in
    their first, partial month) and one on 20 October 2025 (outside them), rolled up."""
    for moment, email in ((ny(2025, 11, 10, 9), "nora@example.com"), (ny(2025, 10, 20, 9), "otto@example.com")):
        frozen.set(moment)
        case = open_case(email=email)
        frozen.advance(hours=1)
        case_reply(case=case, agent=agent_a, body="Found it.")
        stats_rollup_day(day=moment.date())
    frozen.set(MONDAY_9AM)
    return known_week


def test_a_year_is_read_from_monthly_rollups_with_the_same_numbers(known_year, monkeypatch):
    period = selectors.period_for(365)  # 3 November 2025 to 2 November 2026
    assert period.grain == "month"
    assert selectors._whole_months(period) == (date(2025, 12, 1), date(2026, 11, 1))
    with CaptureQueriesContext(connection) as queries:
        monthly = {name: selectors.dashboard_table(name, period).all_rows() for name in selectors.TABLE_NAMES}
    assert any("sla_monthlycasestats" in q["sql"] for q in queries.captured_queries)
    assert any("sla_monthlyresponsetime" in q["sql"] for q in queries.captured_queries)
    # October from the monthly rows, November 2025 and 2026 from the days at either end.
    assert row(selectors.attainment_table(period), "2026-10") == ["2026-10", 2, 1, 50.0, 1, 1, 100.0]
    assert row(selectors.volume_table(period, dimension="channel"), "2025-11") == ["2025-11", 1, 0]
    assert not any(r[0] == "2025-10" for r in selectors.attainment_table(period).rows)
    # The same tables from the daily rows alone.
    monkeypatch.setattr(selectors, "_whole_months", lambda period: (period.end, period.end))
    with CaptureQueriesContext(connection) as queries:
        daily = {name: selectors.dashboard_table(name, period).all_rows() for name in selectors.TABLE_NAMES}
    assert not any("sla_monthly" in q["sql"] for q in queries.captured_queries)
    assert monthly == daily


def test_monthly_rollup_follows_a_rebuilt_day(known_year):
    from postdesk.sla.models import MonthlyCaseStats

    october = MonthlyCaseStats.objects.filter(month=date(2026, 10, 1))
    assert sum(october.values_list("opened", flat=True)) == 3
    Case.objects.filter(created_at__date__gte=date(2026, 10, 25)).update(created_at=ny(2026, 9, 30, 12))
    stats_rollup_day(day=date(2026, 10, 26))
    assert sum(october.values_list("opened", flat=True)) == 0
    stats_rollup_day(day=date(2026, 9, 30))
    assert sum(MonthlyCaseStats.objects.filter(month=date(2026, 9, 1)).values_list("opened", flat=True)) == 3
