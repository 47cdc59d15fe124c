"""Steps and checks shared by the browser tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
AGENT_PASSWORD = "correct horse battery"


def status_page_url(site: str, case) -> str:
    """The customer's status link on the live server (``status_url`` uses POSTDESK_BASE_URL)."""
    from django.urls import reverse

    from postdesk.cases.access import status_token

    return site + reverse("portal:status_token", args=[status_token(case)])


def fill_track_package_form(page, *, name="Casey Customer", email="casey.customer@example.com",
                            tracking="9400 1118 9922 3818 2184 07",
                            description="My parcel has not moved since Monday.") -> None:
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Tracking number(s)").fill(tracking)
    page.get_by_label("How can we help?").fill(description)


def agent_sign_in(page, site: str, username: str, password: str = AGENT_PASSWORD) -> None:
    page.goto(site + "/console/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/console/")


def run_axe(page) -> list[dict]:
    """axe-core's violations on the current page for WCAG 2.1 A/AA and best practices."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
        })"""
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} "
                     f"({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    target {json.dumps(node['target'])}")
            lines.append(f"    html   {node['html']}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n           ")
                lines.append(f"    why    {summary}")
    return "\n".join(lines)


def assert_no_serious_violations(page, label: str) -> None:
    serious = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert not serious, (f"axe-core found serious/critical violations on {label} ({page.url}):\n"
                         + describe_violations(serious))


def broken_aria_references(page) -> list[str]:
    """Elements whose aria-describedby / aria-labelledby name an id that is not on the page.

    axe-core files these under "incomplete" (needs review), not under violations, yet a hint or
    error message a screen reader never announces is a real failure (WCAG 1.3.1, 3.3.1).
    """
    return page.evaluate("""() => {
        const broken = [];
        for (const attribute of ['aria-describedby', 'aria-labelledby']) {
            for (const element of document.querySelectorAll('[' + attribute + ']')) {
                const missing = element.getAttribute(attribute).split(/\\s+/)
                    .filter(id => id && !document.getElementById(id));
                if (missing.length) {
                    const name = element.getAttribute('name') || element.id || element.tagName;
                    broken.push(`${name}: ${attribute} names missing id(s) ${missing.join(', ')}`);
                }
            }
        }
        return broken;
    }""")
