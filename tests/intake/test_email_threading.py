"""Email that arrives by any adapter: which case it joins and why, and what never gets an answer."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.utils import timezone

from postdesk.cases.access import reply_token
from postdesk.cases.models import Case, Customer, Message
from postdesk.cases.services import case_reply, case_set_status
from postdesk.intake.channels.email import receive_email
from postdesk.intake.models import QuarantinedEmail
from postdesk.notifications.models import OutboundEmail

SUPPORT = "support@postdesk.test"


def email(*, sender="casey.customer@example.com", to=SUPPORT, subject="Parcel missing",
          body="My parcel 9400111899223818218407 has not arrived.", headers=None, cc=None,
          message_id=None) -> bytes:
    message = EmailMessage()
    message["From"] = f"Casey Customer <{sender}>"
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    message["Date"] = "Fri, 27 Nov 2026 09:00:00 -0500"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def receive(raw, **kwargs):
    return receive_email(raw, source="smtp", **kwargs)


def reasons(case):
    return list(case.events.filter(type="message_received").values_list("data__reason", flat=True))


@pytest.mark.django_db
def test_new_email_opens_a_case_and_gets_one_confirmation():
    outcome = receive(email())
    case = Case.objects.get(number=outcome.case_number)
    assert outcome.status == "ingested"
    assert case.channel == "email" and case.subject == "Parcel missing"
    assert case.customer.email == "casey.customer@example.com"
    assert OutboundEmail.objects.filter(case=case, purpose="confirmation").count() == 1


@pytest.mark.django_db
def test_the_same_email_twice_is_one_message():
    raw = email()
    first, second = receive(raw), receive(raw)
    assert second.status == "duplicate" and second.case_number == first.case_number
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_reply_to_our_confirmation_joins_by_in_reply_to_and_says_so():
    case = Case.objects.get(number=receive(email()).case_number)
    confirmation = OutboundEmail.objects.get(case=case)
    outcome = receive(email(subject="Re: something else entirely", body="Any news?",
                            headers={"In-Reply-To": confirmation.message_id}))
    assert outcome.case_number == case.number
    assert reasons(case)[-1] == f"joined by In-Reply-To/References {confirmation.message_id}"


@pytest.mark.django_db
def test_reply_to_the_signed_reply_address_joins_even_without_headers():
    case = Case.objects.get(number=receive(email()).case_number)
    outcome = receive(email(to=f"support+{reply_token(case)}@postdesk.test", subject="hello", body="More."))
    assert outcome.case_number == case.number
    assert reasons(case)[-1] == "joined by the case's reply address"


@pytest.mark.django_db
def test_forged_reply_address_does_not_join():
    case = Case.objects.get(number=receive(email()).case_number)
    compact = case.number.replace("-", "").lower()
    outcome = receive(email(sender="mallory@example.net", to=f"support+{compact}.0000000000@postdesk.test",
                            subject="hello", body="Let me in."))
    assert outcome.case_number != case.number


@pytest.mark.django_db
def test_case_tag_in_subject_joins_for_the_customer():
    case = Case.objects.get(number=receive(email()).case_number)
    outcome = receive(email(subject=f"Re: Parcel missing [Case {case.number}]", body="Still nothing."))
    assert outcome.case_number == case.number
    assert reasons(case)[-1] == f"joined by case tag in the subject {case.number}"


@pytest.mark.django_db
def test_stranger_citing_someone_elses_case_gets_a_new_linked_case_not_the_customers():
    victim = Case.objects.get(number=receive(email()).case_number)
    outcome = receive(email(sender="mallory@example.net", subject=f"Re: [Case {victim.number}]",
                            body=f"About case {victim.number}: please send the parcel to me."))
    hijack = Case.objects.get(number=outcome.case_number)
    assert hijack != victim
    assert hijack.linked_case == victim
    assert reasons(hijack) == [f"new case: sender not a participant of {victim.number} (case tag in the subject)"]
    assert not victim.messages.filter(sender="mallory@example.net").exists()
    assert victim.events.filter(type="linked", data__other=hijack.number).exists()


@pytest.mark.django_db
def test_cited_case_number_in_the_body_joins_for_the_customer():
    case = Case.objects.get(number=receive(email()).case_number)
    outcome = receive(email(subject="Another question", body=f"Regarding {case.number}, any update?"))
    assert outcome.case_number == case.number
    assert reasons(case)[-1] == f"joined by case number cited in the body {case.number}"


@pytest.mark.django_db
def test_someone_the_customer_copied_may_reply_by_case_tag():
    case = Case.objects.get(number=receive(email(cc="partner@example.org")).case_number)
    outcome = receive(email(sender="partner@example.org", subject=f"Re: [Case {case.number}]", body="I am the recipient."))
    assert outcome.case_number == case.number


@pytest.mark.django_db
def test_reply_to_a_resolved_case_reopens_it(supervisor):
    case = Case.objects.get(number=receive(email()).case_number)
    case_set_status(case=case, agent=supervisor, status=Case.Status.RESOLVED)
    receive(email(subject=f"Re: [Case {case.number}]", body="It did not arrive after all."))
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.closed_at is None


@pytest.mark.django_db
def test_reply_to_a_long_closed_case_opens_a_linked_follow_up(supervisor, settings):
    case = Case.objects.get(number=receive(email()).case_number)
    case_set_status(case=case, agent=supervisor, status=Case.Status.CLOSED)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=settings.POSTDESK_REOPEN_DAYS + 1))
    outcome = receive(email(subject=f"Re: [Case {case.number}]", body="Same problem again."))
    follow_up = Case.objects.get(number=outcome.case_number)
    assert follow_up != case and follow_up.linked_case == case
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"},
    {"Auto-Submitted": "auto-generated"},
    {"Precedence": "bulk"},
    {"List-Id": "<news.example.com>"},
    {"X-Autoreply": "yes"},
])
def test_automatic_mail_never_opens_a_case_nor_gets_a_reply(headers):
    outcome = receive(email(sender="robot@example.com", headers=headers))
    assert outcome.status == "quarantined"
    assert Case.objects.count() == 0 and OutboundEmail.objects.count() == 0
    assert QuarantinedEmail.objects.get().reason == "automatic"


@pytest.mark.django_db
def test_out_of_office_reply_is_noted_on_its_case_without_answer():
    case = Case.objects.get(number=receive(email()).case_number)
    confirmation = OutboundEmail.objects.get(case=case)
    outcome = receive(email(subject="Automatic reply: Parcel missing", body="I am out of the office.",
                            headers={"Auto-Submitted": "auto-replied", "In-Reply-To": confirmation.message_id}))
    assert outcome.status == "noted" and outcome.case_number == case.number
    assert OutboundEmail.objects.count() == 1
    note = case.messages.get(kind=Message.Kind.AUTOMATIC)
    assert note.body.startswith("I am out of the office.")
    assert case.events.filter(type="automatic_reply").exists()


@pytest.mark.django_db
def test_auto_responder_ping_pong_stops_at_the_daily_budget(settings):
    """A robot that answers every confirmation with a new message (no auto headers) is capped."""
    settings.POSTDESK_AUTOREPLY_DAILY_BUDGET = 3
    for i in range(6):
        receive(email(sender="loop@example.com", subject=f"Ticket received #{i}", body=f"We got your mail {i}."))
    assert Case.objects.filter(customer__email="loop@example.com").count() == 6
    assert OutboundEmail.objects.filter(purpose="confirmation").count() == 3


@pytest.mark.django_db
def test_our_own_mail_coming_back_is_ignored():
    outcome = receive(email(sender=SUPPORT, subject="We received your request"))
    assert outcome.status == "ignored"
    assert Case.objects.count() == 0


def bounce_for(outbound: OutboundEmail, recipient: str) -> bytes:
    """An RFC 3464 delivery status notification, as Postfix writes them."""
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: {SUPPORT}
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce.1@mx.example.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system. Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--BOUNDARY
Content-Type: text/rfc822-headers

From: {SUPPORT}
To: {recipient}
Subject: We received your request
Message-ID: {outbound.message_id}

--BOUNDARY--
""".replace("\n", "\r\n").encode()


@pytest.mark.django_db
def test_bounce_lands_on_the_case_marks_the_address_and_opens_nothing():
    case = Case.objects.get(number=receive(email()).case_number)
    confirmation = OutboundEmail.objects.get(case=case)
    outcome = receive(bounce_for(confirmation, "casey.customer@example.com"))
    assert outcome.status == "bounce" and outcome.case_number == case.number
    assert Case.objects.count() == 1 and OutboundEmail.objects.count() == 1
    customer = Customer.objects.get(email="casey.customer@example.com")
    assert customer.email_bounced_at is not None
    event = case.events.get(type="email_bounced")
    assert event.data["status"] == "5.1.1" and event.public is False


@pytest.mark.django_db
def test_agent_reply_threads_and_the_customers_answer_comes_back(supervisor):
    case = Case.objects.get(number=receive(email()).case_number)
    reply = case_reply(case=case, agent=supervisor, body="Could you send a photo?")
    outcome = receive(email(subject="Re: your request", body="Here it is.",
                            headers={"In-Reply-To": reply.message_id, "References": reply.message_id}))
    assert outcome.case_number == case.number
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


@pytest.mark.django_db
def test_spam_and_blocked_senders_are_quarantined_recoverably():
    from postdesk.intake.models import BlockedSender

    assert receive(email(headers={"X-Spam-Flag": "YES"})).status == "quarantined"
    BlockedSender.objects.create(pattern="@spam.example")
    assert receive(email(sender="x@spam.example")).status == "quarantined"
    assert sorted(QuarantinedEmail.objects.values_list("reason", flat=True)) == ["blocked", "spam"]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_stranger_replying_to_the_customers_own_message_id_does_not_join():
    victim = Case.objects.get(number=receive(email(message_id="<orig-1@example.com>")).case_number)
    outcome = receive(email(sender="mallory@example.net", subject="Re: Parcel missing", body="Me too.",
                            headers={"In-Reply-To": "<orig-1@example.com>"}))
    stranger = Case.objects.get(number=outcome.case_number)
    assert stranger != victim and stranger.linked_case == victim
    assert reasons(stranger) == [
        f"new case: sender not a participant of {victim.number} (In-Reply-To/References <orig-1@example.com>)"]


@pytest.mark.django_db
def test_reply_taken_in_before_its_original_still_ends_on_one_case():
    reply = receive(email(subject="Re: Parcel missing", body="Any news on this?",
                          headers={"In-Reply-To": "<first@example.com>", "References": "<first@example.com>"}))
    original = receive(email(message_id="<first@example.com>", body="My parcel is missing."))
    assert original.case_number == reply.case_number
    case = Case.objects.get(number=reply.case_number)
    assert reasons(case)[-1] == "joined: a reply taken in earlier answers <first@example.com>"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_reply_to_a_reply_arriving_first_is_merged_when_the_missing_link_arrives():
    second_reply = receive(email(message_id="<r2@example.com>", subject="Re: Re: Parcel missing", body="Hello??",
                                 headers={"In-Reply-To": "<r1@example.com>", "References": "<r1@example.com>"}))
    original = receive(email(message_id="<o@example.com>", body="My parcel is missing."))
    assert second_reply.case_number != original.case_number  # no link between them yet
    first_reply = receive(email(message_id="<r1@example.com>", subject="Re: Parcel missing", body="Any news?",
                                headers={"In-Reply-To": "<o@example.com>", "References": "<o@example.com>"}))
    target = Case.objects.get(number=original.case_number)
    merged = Case.objects.get(number=second_reply.case_number)
    assert first_reply.case_number == target.number
    assert sorted(target.messages.values_list("message_id", flat=True)) == [
        "<o@example.com>", "<r1@example.com>", "<r2@example.com>"]
    assert merged.status == Case.Status.CLOSED and merged.linked_case == target
    assert target.events.filter(type="merged", data__other=merged.number).exists()
