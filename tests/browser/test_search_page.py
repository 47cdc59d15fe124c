"""An agent searches in a real browser: the header box, German stemming, a tracking number typed
with spaces, a filter, an archived case opened read-only, and no accessibility violations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from postdesk.archive.services import archive_old_cases
from postdesk.cases.models import Case
from postdesk.cases.services import case_set_status
from tests.browser.helpers import agent_sign_in, assert_no_serious_violations, broken_aria_references
from tests.conftest import make_case


@pytest.fixture
def desk(site, agent_a):
    live = make_case(email="dora@example.de", name="Dora Deutsch", language="de",
                     body="Meine Pakete sind beschädigt angekommen.", tracking_numbers=())
    old = make_case(email="erin@example.com", name="Erin English",
                    body="The parcel never arrived, the label says delivered.")
    case_set_status(case=old, agent=agent_a, status=Case.Status.CLOSED)
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    archive_old_cases()
    return {"live": live, "old": old}


@pytest.mark.browser
def test_agent_searches_from_the_header_and_opens_live_and_archived_cases(page, site, agent_a, desk):
    agent_sign_in(page, site, agent_a.username)
    box = page.get_by_role("searchbox", name="Search cases")
    box.fill("Paket")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/console/search/\?q=Paket"))
    rows = page.locator("[data-search-results] tbody tr[data-case]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-case", desk["live"].number)
    assert_no_serious_violations(page, "the search results")
    assert broken_aria_references(page) == []

    # A tracking number typed with spaces finds the archived case; its link opens it read-only.
    field = page.locator("#id_search_q")
    field.fill("9400 1118 9922 3818 2184 07")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-archived-tag]")).to_be_visible()
    rows.first.get_by_role("link", name=desk["old"].number).click()
    page.wait_for_url(re.compile(rf"/console/archive/{desk['old'].number}/$"))
    expect(page.locator("[data-archived-notice]")).to_be_visible()
    expect(page.locator("[data-timeline]")).to_contain_text("The parcel never arrived")
    assert_no_serious_violations(page, "the archived case")

    # A bad date keeps the words and says what is wrong.
    page.goto(site + "/console/search/?q=Paket&created_from=2026-13-45")
    expect(page.locator("#id_search_created_from_error")).to_have_text("Enter a valid date.")
    expect(page.locator("#id_search_q")).to_have_value("Paket")
    assert_no_serious_violations(page, "the search form with an error")

    # Restore from the archive: back among the live cases.
    page.goto(site + f"/console/archive/{desk['old'].number}/")
    page.get_by_role("button", name="Restore to the live cases").click()
    page.wait_for_url(re.compile(rf"/console/cases/{desk['old'].number}/$"))
    assert Case.objects.filter(pk=desk["old"].pk).exists()
