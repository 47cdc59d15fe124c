"""A supervisor reads the dashboards in a real browser: charts drawn, filters applied, a CSV
downloaded, and no accessibility violations."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from postdesk.cases.models import Case
from postdesk.cases.services import case_reply, case_set_status
from postdesk.sla import services
from postdesk.sla.models import RatingRequest
from postdesk.sla.stats import backlog_snapshot_take, stats_rollup_recent
from tests.browser.helpers import SCREENSHOTS, agent_sign_in, describe_violations, run_axe
from tests.sla.helpers import open_case


@pytest.fixture
def todays_cases(site, agent_a):
    answered = open_case(body="Where is my parcel?")
    open_case(email="olive.other@example.com", topic="claim_refund", channel="api",
              body="The vase arrived broken.")
    case_reply(case=answered, agent=agent_a, body="It arrives tomorrow.")
    case_set_status(case=Case.objects.get(pk=answered.pk), agent=agent_a, status=Case.Status.RESOLVED)
    services.rating_submit(token=services.rating_token(RatingRequest.objects.get(case=answered)),
                           score=4)
    stats_rollup_recent()
    backlog_snapshot_take()


@pytest.mark.browser
def test_supervisor_reads_the_dashboards_and_downloads_a_csv(page, site, supervisor, todays_cases):
    agent_sign_in(page, site, supervisor.username)
    page.get_by_role("link", name="Dashboards").click()
    page.wait_for_url(re.compile(r"/console/dashboards/$"))

    expect(page.get_by_role("heading", name="Dashboards", level=1)).to_be_visible()
    for heading in ("Backlog per department", "Age of open cases", "SLA attainment",
                    "First-response time", "New cases by channel", "Customer satisfaction"):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.locator("svg.pd-chart")).to_have_count(9)
    # The backlog chart draws the open claims case as a bar with its numbers on hover.
    expect(page.locator("#chart-backlog-department rect title").first).to_contain_text("Claims and Refunds")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboards.png"), full_page=True)

    violations = run_axe(page)
    assert violations == [], describe_violations(violations)

    page.get_by_label("Period").select_option("90")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"period=90"))
    expect(page.get_by_label("Period")).to_have_value("90")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download “New cases by channel” as CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows[0] == ["Period", "api", "web"]  # one case each: the tie goes alphabetically
    assert sum(int(value) for row in rows[1:] for value in row[1:]) == 2
