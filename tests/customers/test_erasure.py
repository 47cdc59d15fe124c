"""Erasure: a customer asks, a supervisor erases, and no personal data is left in any table."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from postdesk.cases import events
from postdesk.cases.models import Attachment, Case, CaseEvent, Customer, Message
from postdesk.cases.services import case_add_note, case_reply
from postdesk.customers.erasure import customer_erase
from postdesk.customers.models import CustomerAccount, ErasureRequest
from postdesk.intake.channels.email import quarantine, receive_email, store_raw
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest
from postdesk.intake.models import RawEmail
from postdesk.notifications.models import OutboundEmail
from postdesk.sla.models import CaseRating, RatingRequest
from tests.customers import dbscan
from tests.customers.helpers import archive, latest_link_path, request_link, sign_in

NAME = "Zebulon Quackenbush"
EMAIL = "zebulon.quackenbush@example.org"
PHONE_TYPED = "(202) 456-1414"
TRACKING = "9405511899223197428490"
ADDRESS = "1600 Pennsylvania Ave NW, Washington, DC 20500"
PHRASE = "marmalade periwinkle lighthouse"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"zebulon-attachment" * 8
# Whole values, and pieces a full-text index would keep (stems, tokens).
NEEDLES = [NAME, EMAIL, "zebulon", "quackenbush", "quackenb", "2024561414", "456-1414", TRACKING,
           "1600 pennsylvania", "pennsylvania ave", PHRASE, "marmalade", "periwinkle", "marmalad",
           "periwinkl"]


def raw_email(subject: str, body: str, message_id: str, extra_headers: str = "") -> bytes:
    return (f"From: {NAME} <{EMAIL}>\r\nTo: support@postdesk.test\r\nSubject: {subject}\r\n{extra_headers}"
            f"Message-ID: <{message_id}@example.org>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def give_personal_data_everywhere(client, agent, supervisor):
    """The customer writes by web form (with a file) and by email, gets an answer, rates it,
    signs in, and asks for erasure; a mail of theirs sits in quarantine."""
    form = client.post(reverse("portal:topic_form", args=["track_package"]), {
        "name": NAME, "email": EMAIL, "phone": PHONE_TYPED, "tracking_numbers": TRACKING,
        "address": ADDRESS, "description": f"Please find my parcel: {PHRASE}.",
        "submission_id": uuid.uuid4().hex,
        "attachments": [io.BytesIO(PNG)],
    })
    assert form.status_code == 302, form.content[:2000]
    case = Case.objects.get(customer__email=EMAIL, channel="web")
    outcome = receive_email(raw_email(f"Parcel {TRACKING} {PHRASE}", f"Still waiting, {PHRASE}. {NAME}",
                                      "first-zq"), source="pipe")
    assert outcome.status != "quarantined", outcome
    spam = receive_email(raw_email(f"Spam? {PHRASE}", "flagged upstream", "spam-zq",
                                   extra_headers="X-Spam-Flag: YES\r\n"), source="pipe")
    assert spam.status == "quarantined"
    # Quarantined before its sender could be read: found by the bytes.
    quarantine(store_raw(raw_email("unreadable", f"{PHRASE} in quarantine", "q-zq"), source="pipe"),
               reason="error", source="pipe")
    for channel in ("chat", "facebook", "phone"):
        result = ingest(InboundMessage(channel=channel, external_id=f"zq-{channel}", sender_email=EMAIL,
                                       sender_name=NAME, phone="+12024561414", topic_slug="general",
                                       body=f"By {channel}: {PHRASE}, call {PHONE_TYPED}."))
    # A case closed long ago lives in the archive, as its serialised paper trail.
    archive(result.case)
    # The other channels' own tables, through their own services.
    from postdesk.calls.services import call_log, callback_request
    from postdesk.chat.services import chat_customer_message, chat_start

    session = chat_start(name=NAME, email=EMAIL, language="en")
    chat_customer_message(session=session, client_id="zq-1", body=f"Live chat: {PHRASE}")
    call_log(case=case, agent=supervisor, direction="inbound", duration_seconds=120,
             notes=f"{NAME} called about {TRACKING}: {PHRASE}", phone="+12024561414")
    callback_request(case=case, phone=PHONE_TYPED, window="any")
    case_reply(case=case, agent=agent, body=f"Dear {NAME}, we found {TRACKING} at the hub.")
    # Someone else's case the customer was copied on, and answered on.
    olive = (f"From: Olive Other <olive.other@example.com>\r\nTo: support@postdesk.test\r\n"
             f"Cc: {NAME} <{EMAIL}>\r\nSubject: Our shared parcel\r\n"
             f"Message-ID: <olive-1@example.com>\r\nDate: Thu, 26 Nov 2026 09:00:00 +0000\r\n"
             f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
             f"The parcel for my neighbour has not come.\r\n").encode()
    receive_email(olive, source="pipe")
    receive_email(raw_email("Re: Our shared parcel", f"I am the neighbour: {PHRASE}", "reply-zq",
                            extra_headers="In-Reply-To: <olive-1@example.com>\r\n"), source="pipe")
    olive_case = Case.objects.get(customer__email="olive.other@example.com")
    assert olive_case.messages.filter(sender=EMAIL).exists(), "the reply did not join Olive's case"
    case_add_note(case=case, agent=agent, body=f"Called {PHONE_TYPED}, spoke to {NAME}.")
    request = RatingRequest.objects.create(case=case)
    CaseRating.objects.create(case=case, request=request, score=4, comment=f"Thanks! {PHRASE}")
    sign_in(client, EMAIL)
    response = client.post(reverse("customers:erasure_request"), {"confirm": "on"})
    assert response.status_code == 200
    return case


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_personal_data_in_any_table(client, agent_a, supervisor, django_db_blocker):
    from postdesk.cases import defaults

    defaults.install()
    case = give_personal_data_everywhere(client, agent_a, supervisor)
    before = dbscan.find(NEEDLES)
    # The scan can fail: before erasure it finds the customer in many places.
    tables_before = {table.replace('"', "").rpartition(".")[2] for table, _column, _needle in before}
    print("tables holding the customer's data before erasure:", sorted(tables_before))
    assert {"cases_customer", "cases_case", "cases_message", "cases_caseevent",
            "notifications_outboundemail", "intake_quarantinedemail", "triage_caseentity",
            "sla_caserating", "archive_archivedcase", "chat_chatsession", "calls_calllog",
            "calls_callbackrequest"} <= tables_before, sorted(tables_before)
    attachment_files = [a.file.name for a in Attachment.objects.filter(message__case=case)]
    # The originals of the customer's own mail and quarantined mail (Olive's mail, which only
    # copied them, stays: it is her record).
    raw_files = list(RawEmail.objects.exclude(message__sender="olive.other@example.com")
                     .values_list("file", flat=True))
    assert len(raw_files) == 4, raw_files
    assert attachment_files and raw_files

    erasure = ErasureRequest.objects.get(customer__email=EMAIL)
    supervisor_client = client.__class__()
    supervisor_client.force_login(supervisor)
    response = supervisor_client.post(reverse("customers_console:erase", args=[erasure.pk]),
                                      {"confirm": "yes"})
    assert response.status_code == 302

    leftovers = dbscan.find(NEEDLES)
    assert leftovers == [], "personal data left after erasure:\n" + "\n".join(map(str, leftovers))
    for name in attachment_files + raw_files:
        assert not default_storage.exists(name), name

    # Olive's own words stay on her case.
    olive_case = Case.objects.get(customer__email="olive.other@example.com")
    assert olive_case.messages.filter(body="The parcel for my neighbour has not come.").exists()
    # Anonymised statistics stay.
    case.refresh_from_db()
    assert case.department.slug and case.topic.slug and case.channel == "web"
    assert case.created_at and case.status
    assert CaseRating.objects.get(case=case).score == 4
    assert case.messages.count() == Message.objects.filter(case=case).count() >= 3
    steps = set(CaseEvent.objects.filter(case=case, type=events.PERSONAL_DATA_ERASED)
                .values_list("data__step", flat=True))
    assert {"messages", "attachments", "raw_emails", "outbox", "inbound_receipts",
            "thread_references", "triage_entities", "event_data", "cases", "customer"} <= steps
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.ERASED and erasure.erased_by == supervisor


@pytest.mark.django_db
def test_erased_customer_cannot_sign_in_and_loses_the_session(client, supervisor, case_a):
    sign_in(client, "casey.customer@example.com")
    request_link(client, "casey.customer@example.com")
    unused_link = latest_link_path("casey.customer@example.com")
    customer_erase(customer=case_a.customer, actor=supervisor)
    assert client.get(reverse("customers:account")).status_code == 302
    assert client.post(unused_link).status_code == 400
    request_link(client, "casey.customer@example.com")
    assert not OutboundEmail.objects.filter(purpose="magic_link").exists()
    assert CustomerAccount.objects.get(customer=case_a.customer).erased_at is not None


@pytest.mark.django_db
def test_erasure_is_idempotent_and_spares_other_customers(supervisor, case_a, case_b):
    first = customer_erase(customer=case_a.customer, actor=supervisor)
    assert first["messages"] == 1
    again = customer_erase(customer=Customer.objects.get(pk=case_a.customer_id), actor=supervisor)
    assert again["messages"] == 0 and again["attachments"] == 0
    case_b.refresh_from_db()
    assert case_b.customer.email == "olive.other@example.com"
    assert Message.objects.get(case=case_b).body == "The vase arrived broken."


@pytest.mark.django_db
def test_only_supervisors_erase_and_agents_see_the_requests(client, agent_a, case_a):
    sign_in(client, "casey.customer@example.com")
    client.post(reverse("customers:erasure_request"), {"confirm": "on"})
    erasure = ErasureRequest.objects.get()
    assert case_a.events.filter(type=events.ERASURE_REQUESTED).exists()
    receipt = OutboundEmail.objects.get(purpose="erasure_requested")
    assert "erase your personal data" in receipt.body
    agent = client.__class__()
    agent.force_login(agent_a)
    listing = agent.get(reverse("customers_console:erasure_requests"))
    assert listing.status_code == 200
    assert "casey.customer@example.com" in listing.text
    assert "A supervisor erases the data." in listing.text
    refused = agent.post(reverse("customers_console:erase", args=[erasure.pk]), {"confirm": "yes"})
    assert refused.status_code == 403
    case_a.customer.refresh_from_db()
    assert case_a.customer.email == "casey.customer@example.com"


@pytest.mark.django_db
def test_erasure_request_needs_the_confirmation_box(client, case_a):
    sign_in(client, "casey.customer@example.com")
    response = client.post(reverse("customers:erasure_request"), {})
    assert response.status_code == 400
    assert response.context["form"].errors["confirm"] == [
        "Tick the box to confirm that erasure cannot be undone."]
    assert not ErasureRequest.objects.exists()


@pytest.mark.django_db
def test_customers_cannot_reach_the_erasure_console(client, case_a):
    sign_in(client, "casey.customer@example.com")
    response = client.get(reverse("customers_console:erasure_requests"))
    assert response.status_code == 302 and "/console/login/" in response["Location"]


@pytest.mark.django_db
def test_supervisor_erases_a_customer_by_address_without_a_request(client_supervisor, case_a, case_b):
    url = reverse("customers_console:erase_by_address")
    unknown = client_supervisor.post(url, {"email": "nobody@example.com", "confirm": "on"})
    assert unknown.status_code == 400
    assert unknown.context["form"].errors["email"] == ["We have no customer with this email address."]
    unconfirmed = client_supervisor.post(url, {"email": "casey.customer@example.com"})
    assert unconfirmed.status_code == 400
    assert unconfirmed.context["form"].errors["confirm"] == [
        "Tick the box to confirm that erasure cannot be undone."]
    assert 'value="casey.customer@example.com"' in unconfirmed.text
    done = client_supervisor.post(url, {"email": "Casey.Customer@example.com", "confirm": "on"})
    assert done.status_code == 302
    case_a.customer.refresh_from_db()
    assert case_a.customer.email.endswith("@erased.invalid") and case_a.customer.name == ""
    erasure = ErasureRequest.objects.get()
    assert erasure.status == ErasureRequest.Status.ERASED and erasure.requested_by_customer is False
    case_b.customer.refresh_from_db()
    assert case_b.customer.email == "olive.other@example.com"


@pytest.mark.django_db
def test_agents_cannot_erase_by_address(client_a, case_a):
    assert "data-erase-by-address" not in client_a.get(reverse("customers_console:erasure_requests")).text
    response = client_a.post(reverse("customers_console:erase_by_address"),
                             {"email": "casey.customer@example.com", "confirm": "on"})
    assert response.status_code == 403
