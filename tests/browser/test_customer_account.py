"""A customer signs in by emailed link in a real browser, sees their cases, downloads their data."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from postdesk.notifications.models import OutboundEmail
from tests.browser.helpers import assert_no_serious_violations
from tests.conftest import make_case

LINK = re.compile(r"https?://[^/\s]+(/account/sign-in/[^/\s]+/)")


def link_from_outbox(email: str) -> str:
    outbound = OutboundEmail.objects.filter(purpose="magic_link", to__icontains=email).order_by("-id").first()
    assert outbound is not None, "no sign-in email in the outbox"
    return LINK.search(outbound.body).group(1)


@pytest.mark.browser
def test_customer_signs_in_by_link_sees_own_cases_and_downloads_the_export(page, site):
    own = make_case(body="My parcel has not moved since Monday.")
    second = make_case(body="A second parcel went missing too.", tracking_numbers=())
    foreign = make_case(email="olive.other@example.com", name="Olive Other", body="Not Casey's.")

    page.goto(site + "/")
    page.get_by_role("link", name="Your cases").click()
    page.wait_for_url(site + "/account/sign-in/")
    assert_no_serious_violations(page, "the sign-in page")
    page.get_by_label("Email address").fill("casey.customer@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url(site + "/account/sign-in/sent/")
    expect(page.locator("[data-sign-in-sent]")).to_contain_text("a sign-in link is on its way")
    assert_no_serious_violations(page, "the link-sent page")

    page.goto(site + link_from_outbox("casey.customer@example.com"))
    assert_no_serious_violations(page, "the sign-in link page")
    page.get_by_role("button", name="Sign in now").click()
    page.wait_for_url(site + "/account/")
    table = page.locator("[data-customer-cases]")
    expect(table.locator(f'tr[data-case="{own.number}"]')).to_contain_text("Web form")
    expect(table.locator(f'tr[data-case="{second.number}"]')).to_be_visible()
    expect(table.locator(f'tr[data-case="{foreign.number}"]')).to_have_count(0)
    assert_no_serious_violations(page, "the customer's case list")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download my data").click()
    archive = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    data = json.loads(archive.read("data.json"))
    assert {c["case_number"] for c in data["cases"]} == {own.number, second.number}
    assert "README.txt" in archive.namelist()

    table.get_by_role("link", name=own.number).click()
    page.wait_for_url(re.compile(r"/status/[^/]+/$"))
    expect(page.locator("[data-case-number]")).to_have_text(own.number)

    # The link worked once; signing out ends the session.
    page.goto(site + "/account/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(site + "/account/sign-in/")
    page.goto(site + "/account/")
    page.wait_for_url(site + "/account/sign-in/")


@pytest.mark.browser
def test_a_used_link_shows_its_reason_and_the_form_again(page, site):
    make_case()
    page.goto(site + "/account/sign-in/")
    page.get_by_label("Email address").fill("casey.customer@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url(site + "/account/sign-in/sent/")
    link = site + link_from_outbox("casey.customer@example.com")
    page.goto(link)
    page.get_by_role("button", name="Sign in now").click()
    page.wait_for_url(site + "/account/")
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("This sign-in link has already been used.")
    expect(page.get_by_label("Email address")).to_be_visible()
    assert_no_serious_violations(page, "the used-link page")


@pytest.mark.browser
def test_customer_asks_for_erasure_and_a_supervisor_carries_it_out(page, site, browser, supervisor):
    from postdesk.cases.models import Customer
    from postdesk.customers.models import ErasureRequest
    from tests.browser.helpers import agent_sign_in

    case = make_case()
    page.goto(site + "/account/sign-in/")
    page.get_by_label("Email address").fill("casey.customer@example.com")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url(site + "/account/sign-in/sent/")
    page.goto(site + link_from_outbox("casey.customer@example.com"))
    page.get_by_role("button", name="Sign in now").click()
    page.wait_for_url(site + "/account/")
    page.get_by_role("link", name="Erase my data").click()
    page.wait_for_url(site + "/account/erasure/")
    assert_no_serious_violations(page, "the erasure request page")
    page.get_by_role("button", name="Ask for erasure").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick the box to confirm that erasure cannot be undone.")
    assert_no_serious_violations(page, "the erasure request page with its error")
    page.get_by_text("I understand that erasure cannot be undone.").click()
    page.get_by_role("button", name="Ask for erasure").click()
    expect(page.locator("[data-erasure-requested]")).to_be_visible()
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.REQUESTED

    console = browser.new_context(locale="en-US").new_page()
    agent_sign_in(console, site, supervisor.username)
    console.get_by_role("link", name="Erasure requests").click()
    console.wait_for_url(site + "/console/erasure-requests/")
    assert_no_serious_violations(console, "the console's erasure requests")
    row = console.locator("[data-erasure-request]")
    expect(row).to_contain_text("casey.customer@example.com")
    row.get_by_text("Cannot be undone").click()
    row.get_by_role("button", name="Erase personal data").click()
    expect(console.locator("[data-erasure-request] [data-status]")).to_contain_text("Erased")
    console.context.close()

    customer = Customer.objects.get(pk=case.customer_id)
    assert customer.email.endswith("@erased.invalid") and customer.name == ""
    page.goto(site + "/account/")
    page.wait_for_url(site + "/account/sign-in/")
