"""A signed-in customer: every case of theirs across channels, pre-filled forms, faster answers."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from postdesk.cases import events
from postdesk.cases.models import Case
from postdesk.customers.auth import api_token
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest
from tests.customers.helpers import archive, sign_in

CHANNELS = ("email", "web", "chat", "x", "facebook", "phone")
CHANNEL_LABELS = {"email": "Email", "web": "Web form", "chat": "Live chat", "x": "X",
                  "facebook": "Facebook", "phone": "Phone"}


def open_case(channel: str, *, email="casey.customer@example.com", body=None) -> Case:
    return ingest(InboundMessage(
        channel=channel, external_id=uuid.uuid4().hex, sender_email=email, sender_name="Casey Customer",
        body=body or f"A question that came in by {channel}: parcel {uuid.uuid4().hex[:6]}",
        topic_slug="general",
    )).case


def form_data(**overrides):
    data = {
        "name": "Casey Customer", "email": "casey.customer@example.com",
        "tracking_numbers": "9400 1118 9922 3818 2184 07",
        "description": "My parcel has not moved since Monday.",
        "submission_id": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_case_list_shows_every_own_case_across_channels_and_nobody_elses(client):
    own = {channel: open_case(channel) for channel in CHANNELS}
    other = open_case("email", email="olive.other@example.com")
    sign_in(client, "casey.customer@example.com")
    page = client.get(reverse("customers:account"))
    assert page.status_code == 200
    html = page.text
    for channel, case in own.items():
        assert f'data-case="{case.number}"' in html
        row = html.split(f'data-case="{case.number}"')[1].split("</tr>")[0]
        assert f'data-channel="{channel}">{CHANNEL_LABELS[channel]}<' in row
        assert case.get_status_display() in row
        # The expected answer date is shown while the case is unanswered.
        assert str(case.expected_answer_by.year) in row
    assert other.number not in html
    assert page["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_each_listed_case_opens_its_status_page(client, case_a):
    sign_in(client, "casey.customer@example.com")
    page = client.get(reverse("customers:account"))
    link = page.text.split(f'data-case="{case_a.number}"')[1].split('href="')[1].split('"')[0]
    status = client.get(link)
    assert status.status_code == 200
    assert case_a.number in status.text


@pytest.mark.django_db
def test_topic_form_is_prefilled_for_a_signed_in_customer(client):
    ingest(InboundMessage(
        channel="web", external_id=uuid.uuid4().hex, sender_email="casey.customer@example.com",
        sender_name="Casey Customer", phone="+12127365000", body="Where is my parcel?",
        topic_slug="track_package", address="475 L'Enfant Plaza SW, Washington, DC 20260",
    ))
    anonymous = client.get(reverse("portal:topic_form", args=["track_package"]))
    assert anonymous.context["form"]["email"].value() is None
    sign_in(client, "casey.customer@example.com")
    form = client.get(reverse("portal:topic_form", args=["track_package"])).context["form"]
    assert form["name"].value() == "Casey Customer"
    assert form["email"].value() == "casey.customer@example.com"
    assert form["phone"].value() == "+12127365000"
    assert form["address"].value() == "475 L'Enfant Plaza SW, Washington, DC 20260"


@pytest.mark.django_db
def test_signed_in_customers_new_case_gets_the_priority_boost_through_ingest(client, case_a):
    anonymous = client.post(reverse("portal:topic_form", args=["track_package"]), form_data())
    assert anonymous.status_code == 302
    plain = Case.objects.exclude(pk=case_a.pk).get()
    sign_in(client, "casey.customer@example.com")
    signed = client.post(reverse("portal:topic_form", args=["track_package"]), form_data(
        description="A second parcel, sent on Tuesday, has not arrived either."))
    assert signed.status_code == 302
    boosted = Case.objects.exclude(pk__in=[case_a.pk, plain.pk]).get()
    assert boosted.priority == plain.priority + 1
    event = boosted.events.get(type=events.PRIORITY_CHANGED)
    assert event.data == {"old": plain.priority, "new": boosted.priority, "reason": "signed-in customer"}
    assert event.actor is None


@pytest.mark.django_db
def test_signed_in_customer_writing_for_another_address_gets_no_boost(client, case_a):
    sign_in(client, "casey.customer@example.com")
    client.post(reverse("portal:topic_form", args=["track_package"]),
                form_data(email="someone.else@example.com", name="Someone Else"))
    case = Case.objects.get(customer__email="someone.else@example.com")
    assert case.priority == Case.Priority.NORMAL
    assert not case.events.filter(type=events.PRIORITY_CHANGED).exists()


@pytest.mark.django_db
@override_settings(POSTDESK_SIGNED_IN_PRIORITY_BOOST=2)
def test_the_boost_is_configurable_and_capped_at_urgent(client, case_a):
    sign_in(client, "casey.customer@example.com")
    client.post(reverse("portal:topic_form", args=["track_package"]), form_data())
    assert Case.objects.exclude(pk=case_a.pk).get().priority == Case.Priority.URGENT
    with override_settings(POSTDESK_SIGNED_IN_PRIORITY_BOOST=3):
        client.post(reverse("portal:topic_form", args=["track_package"]), form_data(
            description="Yet another parcel."))
    assert Case.objects.filter(priority__gt=Case.Priority.URGENT).count() == 0


def api_post(client, body, **headers):
    return client.post("/api/v1/cases", data=json.dumps(body), content_type="application/json",
                       headers=headers)


@pytest.mark.django_db
def test_api_call_with_the_customers_token_gets_the_boost(client, case_a):
    token = api_token(case_a.customer)
    body = {"topic": "track_package", "description": "Sent by my own app, with my token.",
            "tracking_numbers": ["9400111899223818218407"]}
    response = api_post(client, body, Authorization=f"Bearer {token}")
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.customer_id == case_a.customer_id
    assert case.priority == Case.Priority.HIGH
    without = api_post(client, {**body, "email": "casey.customer@example.com", "name": "Casey",
                                "description": "The same without a token."})
    assert Case.objects.get(number=without.json()["case_number"]).priority == Case.Priority.NORMAL


@pytest.mark.django_db
def test_api_refuses_a_bad_token_and_a_foreign_address(client, case_a):
    body = {"topic": "track_package", "description": "Hello", "tracking_numbers": ["9400111899223818218407"]}
    bad = api_post(client, body, Authorization="Bearer not-a-token")
    assert bad.status_code == 401
    assert bad.json() == {"detail": "The access token is not valid or has expired. "
                                    "Sign in again and copy the new token."}
    foreign = api_post(client, {**body, "email": "olive.other@example.com", "name": "Olive"},
                       Authorization=f"Bearer {api_token(case_a.customer)}")
    assert foreign.status_code == 422
    assert foreign.json()["errors"] == {"email": [
        "With an access token, use the address you signed in with, casey.customer@example.com."]}
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_archived_cases_are_listed_and_open_their_archived_status_page(client):
    old = open_case("email")
    live = open_case("web")
    archive(old)
    sign_in(client, "casey.customer@example.com")
    html = client.get(reverse("customers:account")).text
    row = html.split(f'data-case="{old.number}" data-archived')[1].split("</tr>")[0]
    assert "Closed (archived)" in row
    assert f'data-case="{live.number}"' in html
    link = row.split('href="')[1].split('"')[0]
    page = client.get(link)
    assert page.status_code == 200
    assert old.number in page.text
