"""The customer pages work with a keyboard alone and pass axe-core (WCAG 2.1 A/AA, best practices).

Only "serious" and "critical" findings fail a test; the failure message lists each rule, its
help text and the offending elements' HTML, so the fix can be made from the message alone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from postdesk.cases import services
from postdesk.cases.models import Case
from postdesk.domain import case_numbers
from tests.browser.helpers import (
    assert_no_serious_violations,
    broken_aria_references,
    fill_track_package_form,
    run_axe,
    status_page_url,
)
from tests.conftest import make_case

MAX_TABS = 30


def active_element(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name') || '',
                text: (el.innerText || '').trim()};
    }""")


def tab_until(page, matches, what: str, visited: list | None = None) -> dict:
    """Press Tab until the focused element satisfies ``matches``; fail after MAX_TABS presses."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = active_element(page)
        # A date input takes one Tab per part (month, day, year): record each field once.
        name = element["name"]
        if visited is not None and name and (not visited or visited[-1] != name):
            visited.append(name)
        if matches(element):
            return element
    pytest.fail(f"{what} never received focus within {MAX_TABS} presses of Tab")


def tab_to_field(page, name: str, visited: list) -> None:
    tab_until(page, lambda element: element["name"] == name, f"the field {name!r}", visited)


@pytest.mark.browser
def test_topic_form_can_be_completed_and_sent_with_the_keyboard_alone(page, site):
    page.goto(site + "/contact/track_package/")

    # The first stop is the skip link; following it puts the next Tab inside <main>.
    first = tab_until(page, lambda element: True, "anything")
    assert (first["tag"], first["text"]) == ("a", "Skip to main content")
    page.keyboard.press("Enter")

    visited: list[str] = []
    tab_to_field(page, "name", visited)
    page.keyboard.type("Casey Customer")
    tab_to_field(page, "email", visited)
    page.keyboard.type("casey.customer@example.com")
    tab_to_field(page, "tracking_numbers", visited)
    page.keyboard.type("9400 1118 9922 3818 2184 07")
    tab_to_field(page, "description", visited)
    page.keyboard.type("Tracking has said 'In transit' for six days.")
    tab_until(page, lambda element: (element["tag"], element["text"]) == ("button", "Send request"),
              "the 'Send request' button", visited)
    page.keyboard.press("Enter")
    # The form posts to its own URL, which still carries the skip link's #main-content.
    page.wait_for_url(re.compile(r"/submitted/[^/#]+/(#main-content)?$"))

    # Focus followed the visual order: the skip link led straight to the form, every field of
    # the topic was reachable, none was skipped or trapped.
    assert visited == ["name", "email", "phone", "tracking_numbers", "address", "date_mailed",
                       "description", "attachments"]
    case = Case.objects.get()
    assert page.locator("[data-case-number]").inner_text().strip() == case.number
    assert case_numbers.is_valid(case.number)
    assert case.tracking_numbers == ["9400111899223818218407"]


@pytest.mark.browser
def test_hub_has_no_serious_accessibility_violations(page, site):
    page.goto(site + "/")
    assert_no_serious_violations(page, "the contact hub")


@pytest.mark.browser
def test_topic_form_has_no_serious_accessibility_violations_fresh_and_with_errors(page, site):
    page.goto(site + "/contact/track_package/")
    assert_no_serious_violations(page, "the topic form")

    # A wrong check digit, a mistyped email domain and no description: three kinds of error.
    fill_track_package_form(page, email="casey@gmial.com", tracking="9400 1118 9922 3818 2184 08",
                            description="")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Please correct the marked fields").wait_for()
    assert page.locator(".usa-error-message").count() == 3
    assert_no_serious_violations(page, "the topic form with errors")


@pytest.mark.browser
def test_success_page_has_no_serious_accessibility_violations(page, site):
    page.goto(site + "/contact/track_package/")
    fill_track_package_form(page)
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/submitted/[^/]+/$"))
    assert_no_serious_violations(page, "the success page")


@pytest.mark.browser
def test_status_page_with_an_answer_has_no_serious_accessibility_violations(page, site, agent_a):
    case = make_case()
    services.case_reply(case=case, agent=agent_a, body="Your parcel goes out tomorrow.")
    page.goto(status_page_url(site, case))
    assert page.locator("li.pd-message", has_text="Our answer").count() == 1
    assert_no_serious_violations(page, "the status page")


@pytest.mark.browser
def test_lookup_page_has_no_serious_accessibility_violations(page, site):
    page.goto(site + "/status/")
    assert_no_serious_violations(page, "the case lookup page")


@pytest.mark.browser
def test_axe_harness_reports_a_serious_violation_it_is_shown(page, site):
    """Guards the checks above against passing vacuously (axe not loaded, wrong result key)."""
    page.goto(site + "/status/")
    page.evaluate("""() => {
        const input = document.createElement('input');
        input.type = 'text';
        input.name = 'unlabelled';
        document.querySelector('main').appendChild(input);
    }""")
    ids = {violation["id"]: violation for violation in run_axe(page)}
    assert "label" in ids
    assert ids["label"]["impact"] == "critical"
    assert 'name="unlabelled"' in ids["label"]["nodes"][0]["html"]
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_violations(page, "the lookup page with an unlabelled input")
    assert "[critical] label: Form elements must have labels" in str(failure.value)
    assert 'html   <input type="text" name="unlabelled">' in str(failure.value)


@pytest.mark.browser
def test_every_hint_and_error_is_tied_to_its_field(page, site):
    """axe-core only lists a dangling aria-describedby as "needs review"; this makes it fail."""
    case = make_case()
    broken = {}
    page.goto(site + "/contact/track_package/")
    broken["topic form"] = broken_aria_references(page)
    fill_track_package_form(page, email="casey@gmial.com", tracking="9400 1118 9922 3818 2184 08",
                            description="")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", name="Please correct the marked fields").wait_for()
    broken["topic form with errors"] = broken_aria_references(page)
    page.goto(site + "/status/")
    page.get_by_role("button", name="Show my case").click()
    page.locator(".usa-error-message").first.wait_for()
    broken["lookup with errors"] = broken_aria_references(page)
    page.goto(status_page_url(site, case))
    broken["status page"] = broken_aria_references(page)
    assert {page_name: refs for page_name, refs in broken.items() if refs} == {}


@pytest.mark.browser
def test_file_inputs_are_announced_with_their_visible_label(page, site):
    case = make_case()
    visible_label = re.compile(r"^Screenshots or documents")
    page.goto(site + "/contact/track_package/")
    expect(page.locator("input[type=file][name=attachments]")).to_have_accessible_name(
        visible_label, timeout=1000)
    page.goto(status_page_url(site, case))
    expect(page.locator("input[type=file][name=attachments]")).to_have_accessible_name(
        visible_label, timeout=1000)
