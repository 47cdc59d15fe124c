"""Agents' replies on social cases: posted to the platform's API (the local stand-in), retried
with backoff and visible on the timeline, or emailed once the customer gave an address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from postdesk.cases import erasure
from postdesk.cases.models import Case
from postdesk.notifications.models import OutboundEmail
from postdesk.social import services
from postdesk.social.models import SocialConversation, SocialOutbound
from tests.social.helpers import messenger, post_facebook, post_x, x_dm

pytestmark = pytest.mark.django_db


@pytest.fixture
def x_case(client, social_settings, department_a):
    post_x(client, x_dm("1790000000000000001", "My parcel 9400111899223818218407 has not moved."))
    case = Case.objects.get()
    if case.department_id != department_a.pk:
        Case.objects.filter(pk=case.pk).update(department=department_a)
        case.refresh_from_db()
    return case


@pytest.fixture
def fb_case(client, social_settings, department_a):
    post_facebook(client, messenger("m_AAA1", "Where is my parcel 9400111899223818218407?"))
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(department=department_a)
    case.refresh_from_db()
    return case


def _reply(client, case, body, capture):
    with capture(execute=True):
        response = client.post(f"/console/cases/{case.number}/reply/", {"body": body})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def _make_due(outbound: SocialOutbound) -> None:
    SocialOutbound.objects.filter(pk=outbound.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_console_says_the_reply_goes_back_as_a_direct_message(client_a, x_case):
    page = client_a.get(f"/console/cases/{x_case.number}/").content.decode()
    assert ("Sent as a X direct message to @casey_ships. Until the customer gives an email address, "
            "replies go back on X.") in page
    assert 'data-social-handle>@casey_ships<' in page


def test_reply_is_posted_to_the_x_api_after_commit(client_a, x_case, standin,
                                                   django_capture_on_commit_callbacks):
    response = _reply(client_a, x_case, "We have asked the Denver hub to trace it.",
                      django_capture_on_commit_callbacks)
    follow = client_a.get(response["Location"])
    assert "Reply queued for X to @casey_ships." in follow.content.decode()
    [request] = standin.requests
    assert request["path"] == "/2/dm_conversations/with/4001/messages"
    assert request["headers"]["authorization"] == "Bearer x-user-token"
    assert request["json"] == {"text": "We have asked the Denver hub to trace it."}
    outbound = SocialOutbound.objects.get()
    assert outbound.status == SocialOutbound.Status.SENT
    assert outbound.attempts == 1
    assert outbound.platform_message_id == "dm-1"
    reply = x_case.messages.get(kind="reply")
    assert reply.channel == "x"
    sent = x_case.events.get(type="social_reply_sent")
    assert sent.data["to"] == "@casey_ships" and sent.data["attempts"] == 1
    assert OutboundEmail.objects.count() == 0


def test_reply_is_posted_to_the_messenger_send_api(client_a, fb_case, standin,
                                                   django_capture_on_commit_callbacks):
    _reply(client_a, fb_case, "We are tracing your parcel.", django_capture_on_commit_callbacks)
    [request] = standin.requests
    assert request["path"] == "/v21.0/me/messages"
    assert request["query"] == {"access_token": ["page-token"]}
    # Within 24 hours of the customer's message: a plain response, no tag needed.
    assert request["json"] == {"recipient": {"id": "PSID-5001"}, "messaging_type": "RESPONSE",
                               "message": {"text": "We are tracing your parcel."}}
    assert SocialOutbound.objects.get().status == SocialOutbound.Status.SENT


def test_long_messenger_reply_goes_out_in_pieces(client_a, fb_case, standin,
                                                 django_capture_on_commit_callbacks):
    body = ("Paragraph one. " * 100).strip() + "\n\n" + ("Paragraph two. " * 100).strip()
    _reply(client_a, fb_case, body, django_capture_on_commit_callbacks)
    texts = [r["json"]["message"]["text"] for r in standin.requests]
    assert len(texts) == 2
    assert all(len(t) <= 2000 for t in texts)
    assert " ".join(texts).replace("\n", " ").split() == body.replace("\n", " ").split()


def test_platform_failure_is_retried_with_backoff_and_visible(client_a, x_case, standin,
                                                              django_capture_on_commit_callbacks):
    standin.script([500])
    _reply(client_a, x_case, "We are on it.", django_capture_on_commit_callbacks)
    outbound = SocialOutbound.objects.get()
    assert outbound.status == SocialOutbound.Status.PENDING
    assert outbound.attempts == 1
    assert "HTTP 500" in outbound.last_error
    assert outbound.next_attempt_at > timezone.now() + timedelta(seconds=20)
    failed = x_case.events.get(type="social_reply_failed")
    assert failed.data["attempts"] == 1 and failed.data["final"] is False
    page = client_a.get(f"/console/cases/{x_case.number}/").content.decode()
    assert "Reply delivery on the platform failed" in page
    assert "Will be retried automatically." in page

    # Not due yet: the sweep leaves it alone.
    assert services.social_outbox_sweep() == {}
    _make_due(outbound)
    assert services.social_outbox_sweep() == {"sent": 1}
    outbound.refresh_from_db()
    assert outbound.status == SocialOutbound.Status.SENT
    assert outbound.attempts == 2
    assert len(standin.requests) == 2
    assert x_case.events.get(type="social_reply_sent").data["attempts"] == 2


def test_final_failure_tells_the_agent_on_the_case_page(client_a, x_case, standin, settings,
                                                        django_capture_on_commit_callbacks):
    settings.POSTDESK_SOCIAL_MAX_ATTEMPTS = 2
    standin.script([500, 503])
    _reply(client_a, x_case, "We are on it.", django_capture_on_commit_callbacks)
    outbound = SocialOutbound.objects.get()
    _make_due(outbound)
    assert services.social_reply_deliver(outbound_id=outbound.pk) == "failed"
    outbound.refresh_from_db()
    assert outbound.status == SocialOutbound.Status.FAILED
    final = x_case.events.filter(type="social_reply_failed").last()
    assert final.data["final"] is True and final.data["attempts"] == 2
    page = client_a.get(f"/console/cases/{x_case.number}/").content.decode()
    assert "data-social-failed" in page
    assert "never reached the customer on X. Answer another way, e.g. by phone." in page
    # A failed row is never sent again.
    _make_due(outbound)
    assert services.social_reply_deliver(outbound_id=outbound.pk) == "not-due-or-taken"


def test_two_workers_never_send_the_same_reply(x_case, standin):
    conversation = SocialConversation.objects.get()
    outbound = SocialOutbound.objects.create(conversation=conversation, case=x_case, text="Hello",
                                             next_attempt_at=timezone.now())
    assert services._claim(outbound.pk) is True
    assert services._claim(outbound.pk) is False
    assert services.social_reply_deliver(outbound_id=outbound.pk) == "not-due-or-taken"
    assert standin.requests == []


def test_email_written_in_a_message_makes_follow_ups_continue_by_email(
        client, client_a, x_case, standin, django_capture_on_commit_callbacks):
    post_x(client, x_dm("1790000000000000002", "You can write to Jane.Doe@Example.com instead."))
    conversation = SocialConversation.objects.get()
    assert conversation.follow_up_email == "jane.doe@example.com"
    noted = x_case.events.get(type="social_email_noted")
    assert noted.data["address"] == "jane.doe@example.com"
    page = client_a.get(f"/console/cases/{x_case.number}/").content.decode()
    assert ("The customer gave an email address in the conversation: the reply is emailed to "
            f"jane.doe@example.com, with [Case {x_case.number}] in the subject.") in page

    _reply(client_a, x_case, "Here is the claim form you asked for.", django_capture_on_commit_callbacks)
    assert standin.requests == []
    assert SocialOutbound.objects.count() == 0
    email = OutboundEmail.objects.get(purpose="reply")
    assert email.to == "Casey Customer <jane.doe@example.com>"
    assert email.status == OutboundEmail.Status.SENT
    assert "Here is the claim form you asked for." in email.body
    assert x_case.events.get(type="email_queued").data["to"] == "jane.doe@example.com"


def test_the_customers_email_reply_joins_the_social_case(client, client_a, x_case, standin,
                                                         django_capture_on_commit_callbacks):
    from postdesk.intake.channels.email import receive_email

    post_x(client, x_dm("1790000000000000002", "My email: jane.doe@example.com"))
    _reply(client_a, x_case, "Please send the receipt.", django_capture_on_commit_callbacks)
    email = OutboundEmail.objects.get(purpose="reply")
    raw = (f"From: Jane Doe <jane.doe@example.com>\r\nTo: {email.reply_to}\r\n"
           f"Subject: Re: {email.subject}\r\nMessage-ID: <answer-1@example.com>\r\n"
           f"In-Reply-To: {email.message_id}\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nReceipt attached soon.\r\n").encode()
    receive_email(raw, source="smtp")
    assert Case.objects.count() == 1
    last = x_case.messages.filter(kind="customer").last()
    assert last.channel == "email"
    assert last.body.startswith("Receipt attached soon.")


def test_erasure_scrubs_handles_addresses_and_reply_texts(client, client_a, x_case, standin,
                                                          django_capture_on_commit_callbacks):
    standin.script([500])
    _reply(client_a, x_case, "Call us at the number on the form.", django_capture_on_commit_callbacks)
    post_x(client, x_dm("1790000000000000002", "mail me: jane.doe@example.com"))
    for _ in range(2):  # idempotent
        erasure.run_erasers(x_case.customer_id)
    conversation = SocialConversation.objects.get()
    assert (conversation.handle, conversation.display_name, conversation.follow_up_email) == ("", "", "")
    assert conversation.participant_id == f"erased-{conversation.pk}"
    outbound = SocialOutbound.objects.get()
    assert (outbound.text, outbound.last_error) == ("", "")


def test_no_status_update_or_rating_email_goes_to_a_social_placeholder(client_a, x_case, settings):
    from postdesk.sla.models import CaseClock, RatingRequest
    from postdesk.sla.services import status_updates_send

    settings.POSTDESK_SLA_RATING_REQUESTS = True
    # At risk: the proactive status update would be due for an email customer.
    CaseClock.objects.filter(case=x_case).update(first_response_at_risk_at=timezone.now() - timedelta(hours=1))
    assert status_updates_send() == 0
    response = client_a.post(f"/console/cases/{x_case.number}/status/", {"status": "resolved"})
    assert response.status_code == 302
    assert RatingRequest.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_reply_with_files_on_a_platform_is_refused_and_keeps_the_text(client_a, x_case, standin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("label.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    response = client_a.post(f"/console/cases/{x_case.number}/reply/",
                             {"body": "Here is your label.", "attachments": [pdf]})
    assert response.status_code == 400
    page = response.content.decode()
    assert ("Files cannot be sent on X. Send the reply without them, or ask the customer for an "
            "email address first.") in page
    assert "Here is your label." in page
    assert not x_case.messages.filter(kind="reply").exists()
    assert SocialOutbound.objects.count() == 0
