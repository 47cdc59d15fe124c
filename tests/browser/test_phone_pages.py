"""Phone pages in Chromium: a customer asks for a callback, an agent works the callback queue
and logs a call on the case page; axe-core checks every page on the way."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from postdesk.calls.models import CallbackRequest, CallLog
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest
from tests.browser.helpers import (
    SCREENSHOTS,
    agent_sign_in,
    assert_no_serious_violations,
    broken_aria_references,
    status_page_url,
)


def _phone_case():
    return ingest(InboundMessage(
        channel="web", external_id=uuid.uuid4().hex, sender_email="casey.customer@example.com",
        sender_name="Casey Customer", body="My parcel has not moved for a week.",
        topic_slug="track_package", phone="+12025550143",
        tracking_numbers=("9400111899223818218407",))).case


@pytest.mark.browser
def test_callback_from_status_page_to_the_agents_queue_and_the_call_log(page, site, agent_a):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    case = _phone_case()

    # The customer asks to be called back, keyboard and labels only.
    page.goto(status_page_url(site, case))
    page.get_by_role("link", name="Call me back").click()
    page.wait_for_url(re.compile(r"/callback/$"))
    assert_no_serious_violations(page, "the callback request page")
    assert broken_aria_references(page) == []
    page.get_by_label("Phone number").fill("202 555 01")
    page.get_by_text("Afternoon (from noon)", exact=True).click()  # the label: USWDS draws the radio
    page.get_by_role("button", name="Ask for a callback").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid phone number")
    expect(page.get_by_label("Phone number")).to_have_value("202 555 01")
    expect(page.get_by_label("Afternoon (from noon)")).to_be_checked()
    assert_no_serious_violations(page, "the callback request page with an error")
    assert broken_aria_references(page) == []
    page.get_by_label("Phone number").fill("(202) 555-0143")
    page.get_by_role("button", name="Ask for a callback").click()
    page.wait_for_url(re.compile(r"/status/[^/]+/(#timeline)?$"))
    expect(page.locator("[data-callback-pending]")).to_be_visible()
    expect(page.locator(".pd-timeline")).to_contain_text("You asked us to call you back")
    callback = CallbackRequest.objects.get()
    assert callback.window == "afternoon"

    # The agent sees it in the callback queue, picks it and records the call.
    agent_sign_in(page, site, agent_a.username)
    page.get_by_role("link", name=re.compile(r"^Callbacks due")).click()
    page.wait_for_url(site + "/console/callbacks/")
    row = page.locator(f"[data-callback='{callback.pk}']")
    expect(row).to_contain_text(case.number)
    expect(row).to_contain_text("+12025550143")
    assert_no_serious_violations(page, "the callback queue")
    page.get_by_role("button", name=f"Pick callback for {case.number}").click()
    expect(page.get_by_role("status")).to_contain_text("Callback picked: call +12025550143 now.")
    assert_no_serious_violations(page, "the callback queue with a picked callback")
    assert broken_aria_references(page) == []
    row = page.locator(f"[data-callback='{callback.pk}']")
    row.get_by_label("Duration in minutes").fill("6")
    row.get_by_label("Notes").first.fill("Parcel located at the Denver hub; redelivery Monday.")
    page.screenshot(path=str(SCREENSHOTS / "callback-queue.png"), full_page=True)
    row.get_by_role("button", name="Callback done").click()
    expect(page.get_by_role("status")).to_contain_text(f"Callback done; the call is on case {case.number}.")
    expect(page.locator("[data-callback-queue-empty]")).to_be_visible()

    # The call is on the case page with its notes; the agent logs another call by hand.
    page.goto(site + f"/console/cases/{case.number}/")
    expect(page.locator("[data-calls]")).to_contain_text("Parcel located at the Denver hub")
    expect(page.locator("[data-timeline]")).to_contain_text("Phone call")
    assert_no_serious_violations(page, "the console case page with the phone panel")
    assert broken_aria_references(page) == []
    panel = page.locator("[data-form=call-log]")
    panel.get_by_label("Direction").select_option("inbound")
    panel.get_by_label("Duration in minutes").fill("-5")
    panel.get_by_label("Notes").fill("Customer called to thank us.")
    panel.get_by_role("button", name="Log call").click()
    panel = page.locator("[data-form=call-log]")
    expect(panel).to_contain_text("Enter the call's length in minutes, from 0 to 1440.")
    expect(panel.get_by_label("Notes")).to_have_value("Customer called to thank us.")
    panel.get_by_label("Duration in minutes").fill("2")
    panel.get_by_role("button", name="Log call").click()
    expect(page.get_by_role("status")).to_contain_text("Call logged.")
    page.screenshot(path=str(SCREENSHOTS / "case-phone-panel.png"), full_page=True)
    assert CallLog.objects.count() == 2

    # The customer sees that calls happened, never the notes.
    page.goto(status_page_url(site, case))
    timeline = page.locator(".pd-timeline")
    expect(timeline).to_contain_text("We called you")
    expect(timeline).to_contain_text("You called us")
    expect(timeline).not_to_contain_text("Denver hub; redelivery")
