"""An agent's reply lands in the customer's mail client as part of the same conversation."""

from __future__ import annotations

import pytest

from postdesk.cases.access import case_from_reply_token, reply_token

from postdesk.cases.services import case_reply
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest
from postdesk.notifications.models import OutboundEmail
from tests.conftest import make_case

pytestmark = pytest.mark.django_db


def test_reply_to_a_web_case_threads_under_the_confirmation(agent_a, smtp_server,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        reply = case_reply(case=case, agent=agent_a, body="We asked the depot to look for it.")

    confirmation = OutboundEmail.objects.get(case=case, purpose="confirmation")
    outbound = OutboundEmail.objects.get(case=case, purpose="reply")
    assert outbound.status == OutboundEmail.Status.SENT
    first, second = smtp_server.messages
    assert first["Message-ID"] == confirmation.message_id
    assert second["Message-ID"] == outbound.message_id

    # The web form's message has no Message-ID: the reply answers the confirmation.
    assert second["In-Reply-To"] == confirmation.message_id
    assert confirmation.message_id in second["References"].split()
    assert f"[Case {case.number}]" in second["Subject"]
    assert second["Subject"] == f"Re: your request [Case {case.number}]"
    assert second["Reply-To"] == f"support+{reply_token(case)}@postdesk.test"
    assert "Auto-Submitted" not in second  # a person wrote it: auto-responders may answer
    body = second.get_body(preferencelist=("plain",)).get_content()
    assert "We asked the depot to look for it." in body
    assert "Agent_A" in body
    # The stored reply knows its Message-ID, so the customer's answer to it threads back.
    reply.refresh_from_db()
    assert reply.message_id == outbound.message_id


def test_reply_to_an_emailed_case_answers_the_customers_latest_message(
        agent_a, smtp_server, django_capture_on_commit_callbacks):
    first_id = "<first.4711@mail.example.com>"
    follow_up_id = "<follow-up.4712@mail.example.com>"
    with django_capture_on_commit_callbacks(execute=True):
        case = ingest(InboundMessage(
            channel="email", external_id=first_id, message_id=first_id,
            sender_email="casey.customer@example.com", sender_name="Casey Customer",
            subject="Where is my parcel?", body="Tracking 9400111202555842761025 is stuck.",
            topic_slug="track_package",
        )).case
        ingest(InboundMessage(
            channel="email", external_id=follow_up_id, message_id=follow_up_id,
            sender_email="casey.customer@example.com", case_number=case.number,
            subject=f"Re: [Case {case.number}]", body="It is for my daughter's birthday.",
        ))
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(case=case, agent=agent_a, body="It is at the depot; delivery tomorrow.")

    confirmation = OutboundEmail.objects.get(case=case, purpose="confirmation")
    confirmation_message, reply_message = smtp_server.messages
    # The confirmation already answers the customer's first email.
    assert confirmation_message["In-Reply-To"] == first_id
    assert confirmation_message["References"] == first_id

    assert reply_message["In-Reply-To"] == follow_up_id
    references = reply_message["References"].split()
    assert confirmation.message_id in references
    assert first_id in references
    assert follow_up_id in references
    assert f"[Case {case.number}]" in reply_message["Subject"]
