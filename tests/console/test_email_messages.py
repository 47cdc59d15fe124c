"""Email on the agent's case page: the reply folded from its history, the original one click away."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.urls import reverse

from postdesk.cases.models import Case, Message
from postdesk.intake.channels.email import receive_email

REPLY_BODY = """Thanks, but it is still missing.

Am 20.11.2026 um 09:00 schrieb Postdesk Customer Care <support@postdesk.test>:
> We received your request.
> Your case number is ABC.
"""


def raw_email(body=REPLY_BODY, sender="casey.customer@example.com") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@postdesk.test"
    message["Subject"] = "Paket fehlt"
    message["Message-ID"] = "<m1@example.com>"
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def email_case(db):
    outcome = receive_email(raw_email(), source="smtp")
    case = Case.objects.get(number=outcome.case_number)
    # Email from an unknown sender lands in the general topic's department.
    return case


def test_quoted_history_is_folded_and_the_visible_reply_shown(client_supervisor, email_case):
    html = client_supervisor.get(reverse("console:case", args=[email_case.number])).content.decode()
    assert "Thanks, but it is still missing." in html
    assert "Show quoted text and signature" in html
    visible = html.split("data-visible-body>")[1].split("</div>")[0]
    assert "We received your request" not in visible


def test_original_email_downloads_byte_for_byte(client_supervisor, email_case):
    message = email_case.messages.get(kind=Message.Kind.CUSTOMER)
    response = client_supervisor.get(reverse("console:raw_email", args=[message.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert b"".join(response.streaming_content) == raw_email()


def test_original_email_of_another_departments_case_is_404(client, agent_a, agent_b, email_case):
    client.force_login(agent_a if email_case.department.slug != "tracking" else agent_b)
    message = email_case.messages.get(kind=Message.Kind.CUSTOMER)
    assert client.get(reverse("console:raw_email", args=[message.pk])).status_code == 404


def test_bouncing_address_is_shown_to_the_agent(client_supervisor, email_case):
    from django.utils import timezone

    customer = email_case.customer
    customer.email_bounced_at = timezone.now()
    customer.email_bounce_reason = "550 5.1.1 user unknown"
    customer.save()
    html = client_supervisor.get(reverse("console:case", args=[email_case.number])).content.decode()
    assert "data-bouncing" in html and "550 5.1.1 user unknown" in html


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def html_email_with_inline_image() -> bytes:
    message = EmailMessage()
    message["From"] = "casey.customer@example.com"
    message["To"] = "support@postdesk.test"
    message["Subject"] = "Photo of the damage"
    message["Message-ID"] = "<html-1@example.com>"
    message.set_content("See the photo.")
    message.add_alternative(
        '<p>See the <b>photo</b>:</p><img src="cid:photo1@example.com">'
        '<script>alert("x")</script><a href="javascript:alert(1)">click</a>', subtype="html")
    message.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<photo1@example.com>")
    return message.as_bytes()


@pytest.mark.django_db
def test_formatted_email_is_sanitised_with_inline_images_embedded(client_supervisor):
    outcome = receive_email(html_email_with_inline_image(), source="smtp")
    message = Case.objects.get(number=outcome.case_number).messages.get(kind=Message.Kind.CUSTOMER)
    response = client_supervisor.get(reverse("console:message_html", args=[message.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<b>photo</b>" in html
    assert 'src="data:image/png;base64,' in html
    assert "<script" not in html and "javascript:" not in html
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    page = client_supervisor.get(reverse("console:case", args=[outcome.case_number])).content.decode()
    assert "Show the formatted email" in page and "sandbox" in page


@pytest.mark.django_db
def test_formatted_email_of_another_departments_case_is_404(client, agent_a, agent_b):
    outcome = receive_email(html_email_with_inline_image(), source="smtp")
    case = Case.objects.get(number=outcome.case_number)
    message = case.messages.get(kind=Message.Kind.CUSTOMER)
    # Triage routes the email; take the agent whose department it did not go to.
    outsider = agent_a if case.department.slug != "tracking" else agent_b
    client.force_login(outsider)
    assert client.get(reverse("console:message_html", args=[message.pk])).status_code == 404
