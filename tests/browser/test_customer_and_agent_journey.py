"""A customer opens a case in a real browser; an agent answers it; the customer reads the answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from postdesk.cases.models import Case, Message
from postdesk.domain import case_numbers
from tests.browser.helpers import (
    SCREENSHOTS,
    agent_sign_in,
    fill_track_package_form,
    status_page_url,
)
from tests.conftest import make_case

TRACKING_AS_PRINTED = "9400 1118 9922 3818 2184 07"


@pytest.mark.browser
def test_customer_opens_a_case_from_the_hub_and_sees_its_number(page, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(site + "/")
    page.screenshot(path=str(SCREENSHOTS / "hub.png"), full_page=True)

    page.get_by_role("link", name=re.compile(r"^Track a package")).click()
    page.wait_for_url(re.compile(r"/contact/track_package/$"))
    fill_track_package_form(page, tracking=TRACKING_AS_PRINTED,
                            description="Tracking has said 'In transit' for six days.")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/submitted/[^/]+/$"))

    shown = page.locator("[data-case-number]").inner_text().strip()
    page.screenshot(path=str(SCREENSHOTS / "success.png"), full_page=True)
    case = Case.objects.select_related("customer", "topic").get()
    assert shown == case.number
    assert case_numbers.is_valid(shown)
    assert case.customer.email == "casey.customer@example.com"
    assert case.topic.slug == "track_package"
    assert case.tracking_numbers == ["9400111899223818218407"]
    expect(page.get_by_role("heading", name="Thank you. We have your request.")).to_be_visible()


@pytest.mark.browser
def test_agent_reply_sent_from_the_console_shows_on_the_customers_status_page(page, site, agent_a):
    case = make_case(body="Where is my parcel? It has not moved since Monday.")
    reply = "Your parcel is at the Denver hub and goes out for delivery tomorrow."

    agent_sign_in(page, site, agent_a.username)
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(re.compile(rf"/console/cases/{re.escape(case.number)}/$"))
    page.get_by_label("Reply to the customer").fill(reply)
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(rf"/console/cases/{re.escape(case.number)}/(#timeline)?$"))
    expect(page.get_by_role("status")).to_contain_text("Reply sent to casey.customer@example.com.")
    expect(page.locator("[data-timeline] li[data-kind=reply]", has_text=reply)).to_be_visible()

    sent = Message.objects.get(case=case, kind=Message.Kind.REPLY)
    assert sent.body == reply

    page.goto(status_page_url(site, case))
    answer = page.locator(".pd-timeline li.pd-message", has_text=reply)
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("Our answer")
