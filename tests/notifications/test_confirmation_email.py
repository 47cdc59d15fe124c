"""The confirmation email: queued once per new case, sent after commit over real SMTP, retried
while the server is down, and never sent twice."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from postdesk.cases.access import case_from_reply_token, reply_token
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from postdesk.cases.models import Case
from postdesk.notifications import delivery
from postdesk.notifications.models import OutboundEmail
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

VALID_TRACKING = "9400111202555842761025"
ADDRESS = "475 L'Enfant Plaza SW, Washington, DC 20260"


def form_data(**changes) -> dict:
    data = {
        "name": "Casey Customer",
        "email": "casey.customer@example.com",
        "tracking_numbers": VALID_TRACKING,
        "address": ADDRESS,
        "description": "Tracking has said 'In transit' for nine days.",
        "submission_id": "0f8fad5bd9cb469fa16570867728950e",
    }
    data.update(changes)
    return data


def submit_form(client, **changes):
    response = client.post(reverse("portal:topic_form", args=["track_package"]), form_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def eastern(moment) -> str:
    """A moment as the email template prints it: DATETIME_FORMAT in the desk's time zone."""
    with translation.override("en"):
        return formats.date_format(
            timezone.localtime(moment, ZoneInfo(django_settings.POSTDESK_TIME_ZONE)), "DATETIME_FORMAT"
        )


def test_form_submission_queues_exactly_one_confirmation(client):
    submit_form(client)
    # The browser's retry (same hidden submission id) is the same case: no second email.
    submit_form(client)

    case = Case.objects.get()
    outbound = OutboundEmail.objects.get()
    assert outbound.case == case
    assert outbound.purpose == "confirmation"
    assert outbound.status == OutboundEmail.Status.PENDING  # nothing is sent before commit
    assert outbound.to == "Casey Customer <casey.customer@example.com>"
    queued = case.events.get(type="email_queued")
    assert queued.data["message_id"] == outbound.message_id


def test_confirmation_is_sent_over_smtp_after_commit(client, smtp_server,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit_form(client)
    assert len(callbacks) == 1

    case = Case.objects.get()
    outbound = OutboundEmail.objects.get(case=case, purpose="confirmation")
    assert outbound.status == OutboundEmail.Status.SENT
    assert outbound.attempts == 1
    assert outbound.sent_at is not None

    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "support@postdesk.test"
    assert envelope.rcpt_tos == ["casey.customer@example.com"]
    message = message_from_bytes(envelope.content, policy=policy.default)

    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert message["Message-ID"] == outbound.message_id
    sent_event = case.events.get(type="email_sent")
    assert sent_event.data["message_id"] == outbound.message_id
    assert sent_event.data["purpose"] == "confirmation"
    assert sent_event.public is True
    assert message["Reply-To"] == f"support+{reply_token(case)}@postdesk.test"
    assert case_from_reply_token(reply_token(case)) == case
    assert message["From"] == "Postdesk Customer Care <support@postdesk.test>"
    assert message["To"] == "Casey Customer <casey.customer@example.com>"
    assert message["X-Postdesk-Case"] == case.number
    assert f"[Case {case.number}]" in message["Subject"]
    assert message["Subject"] == f"We received your request [Case {case.number}]"

    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Your case number is {case.number}." in body
    # In the desk's local time, not the server's UTC.
    assert f"You can expect an answer by {eastern(case.expected_answer_by)} " in body
    status_link = next(line.strip() for line in body.splitlines() if "/status/" in line)
    assert status_link.startswith("http://testserver/status/")
    assert client.get(status_link.removeprefix("http://testserver")).status_code == 200
    assert "Reply to this email: your reply is added to your case." in body
    assert f"Tracking number(s): {VALID_TRACKING}" in body
    assert "Tracking has said 'In transit' for nine days." in body


def test_smtp_down_keeps_the_email_pending_and_a_later_sweep_sends_it_once(
        smtp_settings, start_smtp, django_capture_on_commit_callbacks):
    # 1. Nothing listens on the port: the first attempt fails and is recorded.
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case()

    outbound = OutboundEmail.objects.get(case=case)
    assert outbound.status == OutboundEmail.Status.PENDING
    assert outbound.attempts == 1
    assert outbound.last_error.startswith("ConnectionRefusedError: ")
    assert outbound.claimed_at is None
    assert outbound.next_attempt_at > timezone.now()  # backed off, not hammering the server
    failed = case.events.get(type="email_failed")
    assert failed.data == {"purpose": "confirmation", "to": outbound.to,
                           "error": outbound.last_error, "attempts": 1}
    assert failed.public is False
    assert not case.events.filter(type="email_sent").exists()
    # Not due yet: a sweep leaves it alone.
    assert delivery.sweep() == {}

    # 2. The server comes back and the back-off has passed.
    server = start_smtp()
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert delivery.sweep() == {"sent": 1}
    assert len(server.envelopes) == 1
    assert server.messages[0]["Message-ID"] == outbound.message_id

    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert outbound.attempts == 2
    assert outbound.last_error == ""
    assert case.events.get(type="email_sent").data["attempts"] == 2

    # 3. Neither another sweep nor a late job for the same id sends it again.
    assert delivery.sweep() == {}
    assert delivery.deliver(outbound.pk) == "not-due-or-taken"
    assert len(server.envelopes) == 1


def test_email_is_marked_failed_after_the_last_attempt(smtp_settings, settings,
                                                       django_capture_on_commit_callbacks):
    settings.POSTDESK_OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case()
    outbound = OutboundEmail.objects.get(case=case)
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))

    assert delivery.deliver(outbound.pk) == "failed"

    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.FAILED
    assert outbound.attempts == 2
    # The first failure and the final one are on the timeline, not every retry in between.
    assert list(case.events.filter(type="email_failed").values_list("data__attempts", flat=True)) == [1, 2]
    assert delivery.sweep() == {}


def test_only_one_of_two_claims_on_the_same_email_wins(case_a):
    outbound = OutboundEmail.objects.get(case=case_a)

    assert delivery._claim(outbound.pk) is True
    assert delivery._claim(outbound.pk) is False
    assert delivery.deliver(outbound.pk) == "not-due-or-taken"
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENDING
    assert outbound.attempts == 0


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_once(case_a):
    outbound = OutboundEmail.objects.get(case=case_a)
    assert delivery._claim(outbound.pk) is True

    # Still inside the claim timeout: the worker may just be slow.
    assert delivery._claim(outbound.pk) is False
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        claimed_at=timezone.now() - delivery.CLAIM_TIMEOUT - timedelta(seconds=1))
    assert delivery.due_outbound_ids() == [outbound.pk]
    assert delivery._claim(outbound.pk) is True
    assert delivery._claim(outbound.pk) is False


def test_dev_mailbox_stores_the_confirmation_and_lists_it(client, settings, tmp_path,
                                                         django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "postdesk.notifications.devmailbox.DevMailboxBackend"
    settings.POSTDESK_DEV_MAILBOX_DIR = str(tmp_path)
    settings.POSTDESK_DEV_MAILBOX_VIEW = True
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case()

    [eml] = tmp_path.iterdir()
    assert eml.suffix == ".eml"  # written under a temporary name, renamed when complete
    outbound = OutboundEmail.objects.get(case=case)
    assert outbound.status == OutboundEmail.Status.SENT
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Message-ID"] == outbound.message_id
    assert message["Subject"] == outbound.subject

    listing = client.get(reverse("portal:dev_mailbox"))
    assert listing.status_code == 200
    assert listing.context["items"] == [{
        "name": eml.stem, "subject": outbound.subject,
        "to": "Casey Customer <casey.customer@example.com>", "date": message["Date"],
    }]
    assert f"[Case {case.number}]" in listing.content.decode()

    detail = client.get(reverse("portal:dev_mailbox_message", args=[eml.stem]))
    assert detail.status_code == 200
    assert "Reply to this email: your reply is added to your case." in detail.context["body"]

    settings.POSTDESK_DEV_MAILBOX_VIEW = False
    assert client.get(reverse("portal:dev_mailbox")).status_code == 404
