"""The customer's status page: reached by a signed link or by case number + email, never by guessing."""

from __future__ import annotations

import io

import pytest
from django.core import signing
from django.urls import reverse

from postdesk.cases.access import status_token
from postdesk.cases.models import Message
from postdesk.cases.services import case_add_note, case_reply

GENERIC = ("We found no case with this case number and email address. "
           "Check both against your confirmation email.")


def status_path(case):
    return reverse("portal:status_token", args=[status_token(case)])


def lookup(client, number, email):
    return client.post(reverse("portal:lookup"), {"case_number": number, "email": email})


@pytest.mark.django_db
def test_lookup_with_the_right_pair_leads_to_the_case(client, case_a):
    response = lookup(client, case_a.number.lower().replace("-", " "), "Casey.Customer@example.com")
    assert response.status_code == 302
    assert response["Location"] == status_path(case_a)


@pytest.mark.django_db
def test_wrong_email_and_wrong_number_get_the_same_generic_answer(client, case_a):
    wrong_email = lookup(client, case_a.number, "someone@example.com")
    wrong_number = lookup(client, "ABC-DEF-GHJ", "casey.customer@example.com")
    assert wrong_email.status_code == wrong_number.status_code == 404
    assert wrong_email.context["error"] == wrong_number.context["error"] == GENERIC


@pytest.mark.django_db
def test_a_customer_cannot_open_another_customers_case_with_their_own_email(client, case_a, case_b):
    response = lookup(client, case_b.number, "casey.customer@example.com")
    assert response.status_code == 404
    assert response.context["error"] == GENERIC


@pytest.mark.django_db
def test_lookups_are_rate_limited_after_ten_misses(client, case_a, settings):
    for _ in range(settings.POSTDESK_LOOKUP_RATE_LIMIT):
        assert lookup(client, case_a.number, "nope@example.com").status_code == 404
    blocked = lookup(client, case_a.number, "casey.customer@example.com")
    assert blocked.status_code == 429
    assert blocked.context["error"] == "Too many attempts. Please wait a few minutes and try again."


@pytest.mark.django_db
def test_forged_or_tampered_link_is_404(client, case_a, case_b):
    token = status_token(case_a)
    assert client.get(reverse("portal:status_token", args=[token[:-2] + "xx"])).status_code == 404
    forged = signing.dumps({"c": case_b.pk, "e": "0" * 16}, salt="another-salt")
    assert client.get(reverse("portal:status_token", args=[forged])).status_code == 404


@pytest.mark.django_db
def test_expired_link_is_404(client, case_a, settings):
    path = status_path(case_a)
    settings.POSTDESK_STATUS_LINK_MAX_AGE_DAYS = 0
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_status_page_shows_messages_both_ways_and_never_internal_notes(client, case_a, supervisor):
    case_add_note(case=case_a, agent=supervisor, body="Customer sounds upset; check depot scans.")
    case_reply(case=case_a, agent=supervisor, body="Your parcel is at the Springfield depot.")
    html = client.get(status_path(case_a)).content.decode()
    assert "My parcel has not moved for a week." in html
    assert "Your parcel is at the Springfield depot." in html
    assert "check depot scans" not in html
    assert "Waiting on customer" in html


@pytest.mark.django_db
def test_follow_up_on_status_page_joins_the_case_through_the_pipeline(client, case_a, supervisor):
    case_reply(case=case_a, agent=supervisor, body="Can you send a photo of the receipt?")
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    png.name = "receipt.png"
    data = {"body": "Here is the receipt.", "attachments": [png],
            "submission_id": "0c1d2e3f405162738495a6b7c8d9eaf0"}
    response = client.post(status_path(case_a), data)
    assert response.status_code == 302
    again = client.post(status_path(case_a), {**data, "attachments": []})
    assert again.status_code == 302
    follow_ups = case_a.messages.filter(kind=Message.Kind.CUSTOMER, body="Here is the receipt.")
    assert follow_ups.count() == 1
    assert follow_ups.get().attachments.get().content_type == "image/png"
    case_a.refresh_from_db()
    assert case_a.status == "open"
    assert case_a.events.filter(type="message_received", data__reason="follow-up on the customer's own case").exists()


@pytest.mark.django_db
def test_empty_follow_up_is_refused_with_a_message(client, case_a):
    response = client.post(status_path(case_a), {"body": "  "})
    assert response.status_code == 400
    assert [str(e) for e in response.context["form"].errors["body"]] == ["This field is required."]


@pytest.mark.django_db
def test_success_page_link_works_only_with_a_valid_token(client, case_a):
    ok = client.get(reverse("portal:submitted", args=[status_token(case_a)]))
    assert ok.status_code == 200
    assert case_a.number in ok.content.decode()
    assert client.get(reverse("portal:submitted", args=["garbage"])).status_code == 404
