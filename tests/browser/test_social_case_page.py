"""A social case in Chromium: the console says where the reply goes, the reply reaches the
platform stand-in, and a platform failure shows on the case page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from postdesk.cases.models import Case
from postdesk.social.models import SocialOutbound
from tests.browser.helpers import agent_sign_in, assert_no_serious_violations, broken_aria_references
from tests.social.standin import PlatformStandIn
from tests.social.helpers import post_x, x_dm


@pytest.fixture
def standin():
    server = PlatformStandIn()
    yield server
    server.close()


@pytest.mark.browser
def test_agent_answers_an_x_conversation_from_the_console(page, site, agent_a, standin, settings, client):
    from tests.social.helpers import X_SECRET

    settings.POSTDESK_X_CONSUMER_SECRET = X_SECRET
    settings.POSTDESK_X_ACCESS_TOKEN = "x-user-token"
    settings.POSTDESK_X_API_BASE_URL = standin.url
    settings.POSTDESK_SOCIAL_MAX_ATTEMPTS = 1
    assert post_x(client, x_dm("1790000000000000001", "My parcel 9400111899223818218407 has not moved.")).status_code == 200
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(department=agent_a.agent_profile.departments.get())

    agent_sign_in(page, site, agent_a.username)
    page.goto(site + f"/console/cases/{case.number}/")
    expect(page.locator("[data-social-panel]")).to_contain_text("@casey_ships")
    expect(page.locator("[data-reply-destination]")).to_contain_text(
        "Sent as a X direct message to @casey_ships.")
    assert_no_serious_violations(page, "a social case page")
    assert broken_aria_references(page) == []

    page.get_by_label("Reply to the customer").fill("We asked the Denver hub to trace it.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(rf"/console/cases/{re.escape(case.number)}/(#timeline)?$"))
    expect(page.get_by_role("status")).to_contain_text("Reply queued for X to @casey_ships.")
    expect(page.locator("[data-timeline]")).to_contain_text("Reply delivered on the platform")
    assert [r["json"] for r in standin.requests] == [{"text": "We asked the Denver hub to trace it."}]

    # The platform is down and the single attempt fails: the agent is told on the page.
    standin.script([500])
    page.get_by_label("Reply to the customer").fill("One more thing.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(rf"/console/cases/{re.escape(case.number)}/(#timeline)?$"))
    page.reload()
    expect(page.locator("[data-social-failed]")).to_contain_text("never reached the customer on X")
    assert SocialOutbound.objects.filter(status="failed").count() == 1
    assert_no_serious_violations(page, "a social case page with a failed reply")
