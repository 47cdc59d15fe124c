"""Who gets into the console, and which cases each agent can see or touch."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from postdesk.cases.models import Message
from postdesk.cases.services import attachment_store
from postdesk.intake.inbound import InboundAttachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def case_url(case, action=None):
    if action is None:
        return reverse("console:case", args=[case.number])
    return reverse(f"console:case_{action}", args=[case.number])


def test_login_page_renders_a_uswds_form(client, db):
    response = client.get(reverse("console:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="usa-form"' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_agent_signs_in_and_lands_on_the_queue(client, agent_a):
    response = client.post(reverse("console:login"),
                           {"username": "agent_a", "password": "correct horse battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("console:home")
    assert client.get(reverse("console:home")).status_code == 200


def test_wrong_password_is_refused_with_the_reason(client, agent_a):
    response = client.post(reverse("console:login"),
                           {"username": "agent_a", "password": "wrong"})
    assert response.status_code == 200
    assert ("Please enter a correct username and password. Note that both fields may be "
            "case-sensitive.") in response.content.decode()


def test_header_shows_user_name_and_a_logout_post_form(client_a):
    html = client_a.get(reverse("console:home")).content.decode()
    assert "Signed in as Agent_A" in html
    assert f'action="{reverse("console:logout")}" method="post"' in html


def test_logout_by_post_signs_out(client_a):
    response = client_a.post(reverse("console:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("console:login")
    assert client_a.get(reverse("console:home")).status_code == 302


def test_anonymous_visitor_is_redirected_to_login(client, case_a):
    for url in (reverse("console:home"), case_url(case_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('console:login')}?next={url}"


def test_anonymous_post_changes_nothing_and_redirects_to_login(client, case_a):
    response = client.post(case_url(case_a, "note"), {"body": "sneaky"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("console:login"))
    assert not case_a.messages.filter(kind=Message.Kind.NOTE).exists()


def test_signed_in_user_without_agent_profile_gets_403(client, case_a):
    user = get_user_model().objects.create_user(username="visitor", password="x" * 12)
    client.force_login(user)
    assert client.get(reverse("console:home")).status_code == 403
    assert client.get(case_url(case_a)).status_code == 403


def test_agent_a_sees_own_department_case_but_not_other_departments(client_a, case_a, case_b):
    html = client_a.get(reverse("console:home")).content.decode()
    assert f'data-case="{case_a.number}"' in html
    assert case_b.number not in html


def test_case_page_of_other_department_is_404(client_a, case_b):
    assert client_a.get(case_url(case_b)).status_code == 404


def test_unknown_and_malformed_case_numbers_are_404(client_a, db):
    assert client_a.get(reverse("console:case", args=["AAA-AAA-AAA"])).status_code == 404
    assert client_a.get(reverse("console:case", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize("action, data", [
    ("reply", {"body": "Hello"}),
    ("note", {"body": "A note"}),
    ("transfer", {"department": "1", "reason": "wrong desk"}),
    ("assign", {"assignee": "me"}),
    ("status", {"status": "closed"}),
    ("priority", {"priority": "4"}),
])
def test_every_action_on_other_department_case_is_404_and_changes_nothing(
    client_a, case_b, action, data
):
    before = (case_b.status, case_b.priority, case_b.department_id, case_b.assignee_id,
              case_b.messages.count(), case_b.events.count())
    response = client_a.post(case_url(case_b, action), data)
    assert response.status_code == 404
    case_b.refresh_from_db()
    after = (case_b.status, case_b.priority, case_b.department_id, case_b.assignee_id,
             case_b.messages.count(), case_b.events.count())
    assert after == before


def test_supervisor_sees_cases_of_every_department(client_supervisor, case_a, case_b):
    html = client_supervisor.get(reverse("console:home")).content.decode()
    assert f'data-case="{case_a.number}"' in html
    assert f'data-case="{case_b.number}"' in html
    assert client_supervisor.get(case_url(case_b)).status_code == 200


def test_agent_b_sees_claims_case_only(client, agent_b, case_a, case_b):
    client.force_login(agent_b)
    html = client.get(reverse("console:home")).content.decode()
    assert f'data-case="{case_b.number}"' in html
    assert case_a.number not in html
    assert client.get(case_url(case_a)).status_code == 404


def _attach_png(case):
    message = case.messages.get(kind=Message.Kind.CUSTOMER)
    return attachment_store(message=message, attachment=InboundAttachment(
        filename="label photo.png", content=PNG, content_type="image/png"))


def test_attachment_download_is_a_nosniff_download_with_stored_type(client_a, case_a):
    attachment = _attach_png(case_a)
    response = client_a.get(reverse("console:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "label photo.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_attachment_of_other_department_case_is_404(client_a, case_b):
    attachment = _attach_png(case_b)
    assert client_a.get(reverse("console:attachment", args=[attachment.pk])).status_code == 404


def test_attachment_link_is_on_the_case_page(client_a, case_a):
    attachment = _attach_png(case_a)
    html = client_a.get(case_url(case_a)).content.decode()
    assert reverse("console:attachment", args=[attachment.pk]) in html
