"""The case page and everything an agent does on it, through the real services."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from postdesk.cases import events, selectors
from postdesk.cases.access import status_token
from postdesk.cases.models import Case, Message
from postdesk.notifications.models import OutboundEmail
from tests.conftest import make_case

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 200


def case_url(case, action=None):
    if action is None:
        return reverse("console:case", args=[case.number])
    return reverse(f"console:case_{action}", args=[case.number])


def flash(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Case page


def test_case_page_shows_customer_tracking_language_and_timeline(client_a, case_a):
    html = client_a.get(case_url(case_a)).content.decode()
    assert case_a.number in html
    assert "Casey Customer" in html and "casey.customer@example.com" in html
    assert case_a.tracking_numbers[0] in html
    assert 'data-language="en"' in html and "English" in html
    assert 'data-event="opened"' in html and "Case opened" in html
    assert "My parcel has not moved for a week." in html
    assert "Routed" in html and "Package Tracking" in html


def test_case_page_lists_other_visible_cases_of_the_same_customer(client_a, case_a):
    second = make_case(body="Another parcel is stuck too.")
    claim = make_case(topic="claim_refund", body="Broken vase.", tracking_numbers=("70131710000012912087",))
    html = client_a.get(case_url(case_a)).content.decode()
    assert reverse("console:case", args=[second.number]) in html
    # Same customer, but in a department agent A does not work in.
    assert claim.number not in html


def test_case_page_shows_language_of_a_spanish_case(client_a, db):
    case = make_case(language="es", body="Mi paquete no llega.")
    html = client_a.get(case_url(case)).content.decode()
    assert 'data-language="es"' in html


def test_script_in_customer_text_is_escaped_on_case_page_and_queue(client_a, db):
    case = make_case(body='<script>alert("x")</script> where is my parcel')
    for url in (case_url(case), reverse("console:home")):
        html = client_a.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html
    html = client_a.get(case_url(case)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; where is my parcel" in html


# --- Reply


def test_reply_queues_threaded_email_to_customer_and_shows_on_timeline(client_a, case_a):
    confirmation = OutboundEmail.objects.get(case=case_a, purpose="confirmation")
    response = client_a.post(case_url(case_a, "reply"), {"body": "Your parcel is at the depot."})
    assert response.status_code == 302
    assert response["Location"] == case_url(case_a) + "#timeline"
    assert flash(response) == ["Reply sent to casey.customer@example.com."]

    reply = OutboundEmail.objects.get(case=case_a, purpose="reply")
    assert reply.to == "Casey Customer <casey.customer@example.com>"
    assert f"[Case {case_a.number}]" in reply.subject
    assert reply.headers["In-Reply-To"] == confirmation.message_id
    assert confirmation.message_id in reply.headers["References"].split()
    assert "Your parcel is at the depot." in reply.body

    html = client_a.get(case_url(case_a)).content.decode()
    assert 'data-kind="reply"' in html and "Your parcel is at the depot." in html
    case_a.refresh_from_db()
    assert case_a.status == Case.Status.WAITING


def test_reply_is_delivered_to_mail_outbox_after_commit(
    client_a, case_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(case_url(case_a, "reply"), {"body": "It ships tomorrow."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["Casey Customer <casey.customer@example.com>"]
    assert f"[Case {case_a.number}]" in sent.subject
    assert "It ships tomorrow." in sent.body
    outbound = OutboundEmail.objects.get(case=case_a, purpose="reply")
    assert sent.extra_headers["In-Reply-To"] == outbound.headers["In-Reply-To"]
    assert sent.extra_headers["References"] == outbound.headers["References"]
    assert outbound.status == OutboundEmail.Status.SENT
    html = client_a.get(case_url(case_a)).content.decode()
    assert 'data-event="email_sent"' in html and "Email sent" in html


def test_empty_reply_is_refused_with_the_message_and_nothing_is_sent(client_a, case_a):
    response = client_a.post(case_url(case_a, "reply"), {"body": "   \n "})
    assert response.status_code == 400
    assert "Write a reply before sending." in response.content.decode()
    assert not OutboundEmail.objects.filter(purpose="reply").exists()
    assert not case_a.messages.filter(kind=Message.Kind.REPLY).exists()


def test_reply_with_png_attachment_is_stored_and_attached_to_the_email(client_a, case_a):
    upload = SimpleUploadedFile("receipt.png", PNG, content_type="image/png")
    response = client_a.post(case_url(case_a, "reply"),
                             {"body": "See the attached receipt.", "attachments": [upload]})
    assert response.status_code == 302
    message = case_a.messages.get(kind=Message.Kind.REPLY)
    attachment = message.attachments.get()
    assert (attachment.filename, attachment.content_type) == ("receipt.png", "image/png")
    assert OutboundEmail.objects.get(purpose="reply").attachment_ids == [attachment.pk]


def test_executable_renamed_to_png_is_refused_and_typed_text_is_kept(client_a, case_a):
    upload = SimpleUploadedFile("label.png", EXECUTABLE, content_type="image/png")
    response = client_a.post(case_url(case_a, "reply"),
                             {"body": "Here is the label.", "attachments": [upload]})
    assert response.status_code == 400
    html = response.content.decode()
    assert ("label.png is not a PNG, JPEG or PDF file (its content was checked, not its name)."
            in html)
    assert "Here is the label.</textarea>" in html
    assert not case_a.messages.filter(kind=Message.Kind.REPLY).exists()
    assert not OutboundEmail.objects.filter(purpose="reply").exists()


# --- Notes


def test_internal_note_is_on_console_timeline_only(client_a, client, case_a):
    response = client_a.post(case_url(case_a, "note"), {"body": "Customer called, very upset."})
    assert response.status_code == 302
    assert flash(response) == ["Internal note added."]

    html = client_a.get(case_url(case_a)).content.decode()
    assert 'class="pd-note"' in html and "Customer called, very upset." in html

    public = selectors.public_timeline(case_a)
    assert all(event.type != events.NOTE_ADDED for event in public)
    assert all(not event.message or event.message.kind != Message.Kind.NOTE for event in public)

    client.logout()
    status_page = client.get(reverse("portal:status_token", args=[status_token(case_a)]))
    assert status_page.status_code == 200
    assert "Customer called, very upset." not in status_page.content.decode()
    assert not OutboundEmail.objects.filter(purpose="reply").exists()


def test_empty_note_is_refused_with_the_message(client_a, case_a):
    response = client_a.post(case_url(case_a, "note"), {"body": ""})
    assert response.status_code == 400
    assert "Write a note before saving." in response.content.decode()


# --- Assign


def test_assign_to_me_sets_assignee_and_writes_event(client_a, agent_a, case_a):
    response = client_a.post(case_url(case_a, "assign"), {"assignee": "me"})
    assert response.status_code == 302
    assert flash(response) == ["Case assigned to Agent_A."]
    case_a.refresh_from_db()
    assert case_a.assignee == agent_a
    event = case_a.events.get(type=events.ASSIGNED)
    assert event.data == {"assignee": "agent_a"}
    html = client_a.get(case_url(case_a)).content.decode()
    assert "Assignee: agent_a" in html


def test_assign_to_colleague_of_the_department_and_unassign(client_a, agent_a, case_a, department_a):
    from tests.conftest import _agent

    colleague = _agent("colleague", "agent", [department_a])
    response = client_a.post(case_url(case_a, "assign"), {"assignee": str(colleague.pk)})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.assignee == colleague
    response = client_a.post(case_url(case_a, "assign"), {"assignee": "none"})
    # Nothing displayed the first message in between, so both are still queued.
    assert flash(response) == ["Case assigned to Colleague.", "Case unassigned."]
    case_a.refresh_from_db()
    assert case_a.assignee is None


def test_assign_to_agent_of_another_department_is_refused(client_a, agent_b, case_a):
    response = client_a.post(case_url(case_a, "assign"), {"assignee": str(agent_b.pk)})
    assert response.status_code == 400
    assert (f"Select a valid choice. {agent_b.pk} is not one of the available choices."
            in response.content.decode())
    case_a.refresh_from_db()
    assert case_a.assignee is None


# --- Transfer


def test_transfer_without_reason_is_refused_with_the_message(client_a, case_a, department_b):
    response = client_a.post(case_url(case_a, "transfer"),
                             {"department": str(department_b.pk), "reason": "  "})
    assert response.status_code == 400
    assert "Say why the case is transferred." in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.department.slug == "tracking"


def test_transfer_without_department_is_refused(client_a, case_a):
    response = client_a.post(case_url(case_a, "transfer"), {"department": "", "reason": "x"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_transfer_to_claims_moves_case_out_of_agent_a_reach_with_reason(
    client_a, client, agent_b, case_a, department_b
):
    response = client_a.post(case_url(case_a, "transfer"),
                             {"department": str(department_b.pk), "reason": "Parcel arrived damaged"})
    assert response.status_code == 302
    # The case page is now a 404 for agent A, so the redirect goes to the queue.
    assert response["Location"] == reverse("console:home")
    assert flash(response) == ["Case transferred to Claims and Refunds."]
    case_a.refresh_from_db()
    assert case_a.department == department_b
    assert client_a.get(case_url(case_a)).status_code == 404
    event = case_a.events.get(type=events.TRANSFERRED)
    assert event.data["reason"] == "Parcel arrived damaged"

    client.force_login(agent_b)
    html = client.get(case_url(case_a)).content.decode()
    assert "Transferred" in html
    assert "Reason: Parcel arrived damaged" in html
    assert "Package Tracking \u2192 Claims and Refunds" in html


def test_supervisor_transfer_redirects_back_to_the_case(client_supervisor, case_a, department_b):
    response = client_supervisor.post(case_url(case_a, "transfer"),
                                      {"department": str(department_b.pk), "reason": "claims"})
    assert response["Location"] == case_url(case_a) + "#timeline"


# --- Status and priority


def test_status_change_writes_event_shown_with_old_and_new(client_a, case_a):
    response = client_a.post(case_url(case_a, "status"), {"status": "resolved"})
    assert response.status_code == 302
    assert flash(response) == ["Status set to Resolved."]
    case_a.refresh_from_db()
    assert case_a.status == Case.Status.RESOLVED
    event = case_a.events.get(type=events.STATUS_CHANGED)
    assert event.data == {"old": "new", "new": "resolved"}
    html = client_a.get(case_url(case_a)).content.decode()
    assert "Status: New \u2192 Resolved" in html


def test_unknown_status_is_refused(client_a, case_a):
    response = client_a.post(case_url(case_a, "status"), {"status": "deleted"})
    assert response.status_code == 400
    assert ("Select a valid choice. deleted is not one of the available choices."
            in response.content.decode())


def test_priority_change_writes_event(client_a, case_a):
    response = client_a.post(case_url(case_a, "priority"), {"priority": "4"})
    assert response.status_code == 302
    assert flash(response) == ["Priority set to Urgent."]
    case_a.refresh_from_db()
    assert case_a.priority == Case.Priority.URGENT
    event = case_a.events.get(type=events.PRIORITY_CHANGED)
    assert event.data == {"old": 2, "new": 4}
    html = client_a.get(case_url(case_a)).content.decode()
    assert "Priority: Normal \u2192 Urgent" in html


def test_get_on_an_action_url_is_not_allowed(client_a, case_a):
    assert client_a.get(case_url(case_a, "status")).status_code == 405
