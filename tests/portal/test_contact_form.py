"""The contact hub and the topic forms, through HTTP, with the exact errors a customer sees."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from postdesk.cases.models import Case, ContactChannel, Message, Topic
from postdesk.domain import case_numbers
from postdesk.notifications.models import OutboundEmail

VALID_USPS = "9400111899223818218407"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def form_url(slug="track_package"):
    return reverse("portal:topic_form", args=[slug])


def valid_data(**overrides):
    data = {
        "name": "Casey Customer",
        "email": "casey.customer@example.com",
        "phone": "(212) 736-5000",
        "tracking_numbers": "9400 1118 9922 3818 2184 07",
        "address": "475 L'Enfant Plaza SW, Washington, DC 20260",
        "date_mailed": "2026-11-20",
        "description": "My parcel has not moved since Monday.",
        "submission_id": "6f1c5e0c2b9a4f0e8a7d3c2b1a0f9e8d",
    }
    data.update(overrides)
    return data


def upload(name, content, content_type="application/octet-stream"):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def field_errors(response, field):
    """The error text shown next to one field (what the customer reads)."""
    form = response.context["form"]
    return [str(error) for error in form.errors.get(field, [])]


@pytest.mark.django_db
def test_hub_lists_every_default_topic_and_the_enabled_channels(client):
    ContactChannel.objects.filter(kind="chat").update(enabled=False)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for slug in ["track_package", "missing_package", "delivery_issue", "claim_refund",
                 "feedback_complaint", "delivery_services", "informed_delivery", "general"]:
        assert f'data-topic="{slug}"' in html
    assert "1-800-275-8777" in html
    assert 'data-channel="chat"' not in html


@pytest.mark.django_db
def test_valid_submission_opens_one_case_and_shows_its_number(client):
    response = client.post(form_url(), valid_data())
    assert response.status_code == 302
    page = client.get(response["Location"])
    case = Case.objects.get()
    assert case_numbers.is_valid(case.number)
    assert case.number in page.content.decode()
    assert case.tracking_numbers == [VALID_USPS]
    assert case.phone == "+12127365000"
    assert case.address.startswith("475 L")
    assert case.department.slug == "tracking"
    assert "will answer you personally by" in page.content.decode()
    assert OutboundEmail.objects.filter(case=case, purpose="confirmation").count() == 1


@pytest.mark.django_db
def test_double_submit_with_the_same_form_token_opens_only_one_case(client):
    first = client.post(form_url(), valid_data())
    second = client.post(form_url(), valid_data())
    assert first.status_code == second.status_code == 302
    assert Case.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    # Both land on the one case's success page (its link is signed with a timestamp, so the two
    # Locations may differ when the posts fall in different seconds).
    number = Case.objects.get().number
    assert number in client.get(first["Location"]).content.decode()
    assert number in client.get(second["Location"]).content.decode()


@pytest.mark.django_db
def test_missing_required_fields_are_reported_next_to_each_field_and_typed_text_is_kept(client):
    response = client.post(form_url(), valid_data(name="", email="", tracking_numbers="",
                                                  description="Keep this text"))
    assert response.status_code == 400
    assert field_errors(response, "name") == ["This field is required."]
    assert field_errors(response, "email") == ["This field is required."]
    assert field_errors(response, "tracking_numbers") == ["This field is required."]
    assert "Keep this text" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_invalid_email_is_refused(client):
    response = client.post(form_url(), valid_data(email="casey@@example"))
    assert field_errors(response, "email") == ["Enter a valid email address, like name@example.com."]


@pytest.mark.django_db
def test_email_domain_typo_gets_a_suggestion_and_the_same_address_again_is_accepted(client):
    response = client.post(form_url(), valid_data(email="casey@gmial.com"))
    assert field_errors(response, "email") == [
        "Did you mean casey@gmail.com? If casey@gmial.com is right, submit the form again."
    ]
    assert 'name="email_confirmed" value="casey@gmial.com"' in response.content.decode()
    again = client.post(form_url(), valid_data(email="casey@gmial.com", email_confirmed="casey@gmial.com"))
    assert again.status_code == 302
    assert Case.objects.get().customer.email == "casey@gmial.com"


@pytest.mark.django_db
def test_tracking_number_with_a_wrong_check_digit_is_reported_as_a_likely_typo(client):
    mistyped = VALID_USPS[:-1] + str((int(VALID_USPS[-1]) + 1) % 10)
    response = client.post(form_url(), valid_data(tracking_numbers=mistyped))
    assert field_errors(response, "tracking_numbers") == [
        f"{mistyped} looks mistyped: its check digit does not match. "
        "Please compare it with your receipt or label."
    ]


@pytest.mark.django_db
def test_tracking_number_of_another_carrier_is_named_as_such(client):
    response = client.post(form_url(), valid_data(tracking_numbers="1Z5R89390357567127"))
    assert field_errors(response, "tracking_numbers") == [
        "1Z5R89390357567127 is a UPS tracking number. Please contact UPS about it."
    ]


@pytest.mark.django_db
def test_tracking_numbers_are_normalised_from_lower_case_and_hyphens(client):
    response = client.post(form_url(), valid_data(tracking_numbers="ec-207920162-us"))
    assert response.status_code == 302, field_errors(response, "tracking_numbers")
    assert Case.objects.get().tracking_numbers == ["EC207920162US"]


@pytest.mark.django_db
def test_zip_code_that_does_not_belong_to_the_state_is_reported(client):
    response = client.post(form_url(), valid_data(address="233 S Wacker Dr, Chicago, IL 10001"))
    assert field_errors(response, "address") == [
        "The ZIP code 10001 does not belong to IL. Please check both."
    ]


@pytest.mark.django_db
def test_unusable_phone_number_is_refused(client):
    response = client.post(form_url(), valid_data(phone="123"))
    assert field_errors(response, "phone") == [
        "Enter a phone number we can call, like (212) 736-5000 or +49 30 901820."
    ]


@pytest.mark.django_db
def test_date_mailed_in_the_future_is_refused(client):
    response = client.post(form_url(), valid_data(date_mailed="2999-01-01"))
    assert field_errors(response, "date_mailed") == ["The date mailed cannot be in the future."]


@pytest.mark.django_db
def test_png_that_is_really_an_executable_is_refused(client):
    exe = upload("receipt.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = client.post(form_url(), {**valid_data(), "attachments": [exe]})
    assert field_errors(response, "attachments") == [
        "receipt.png is not a PNG, JPEG or PDF file (its content was checked, not its name)."
    ]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_oversized_attachment_is_refused_with_its_size(client, settings):
    settings.POSTDESK_ATTACHMENT_MAX_BYTES = 1024
    big = upload("label.pdf", PDF_BYTES + b"0" * 2048)
    response = client.post(form_url(), {**valid_data(), "attachments": [big]})
    assert field_errors(response, "attachments") == [
        "label.pdf is 2.0\xa0KB; each file may be at most 1.0\xa0KB."
    ]


@pytest.mark.django_db
def test_more_than_five_attachments_are_refused(client):
    files = [upload(f"shot{i}.png", PNG_BYTES) for i in range(6)]
    response = client.post(form_url(), {**valid_data(), "attachments": files})
    assert field_errors(response, "attachments") == ["Attach at most 5 files; you chose 6."]


@pytest.mark.django_db
def test_real_png_and_pdf_are_stored_with_the_type_read_from_their_content(client):
    files = [upload("photo.jpg", PNG_BYTES), upload("receipt.pdf", PDF_BYTES)]
    response = client.post(form_url(), {**valid_data(), "attachments": files})
    assert response.status_code == 302
    message = Message.objects.get(kind=Message.Kind.CUSTOMER)
    types = sorted((a.filename, a.content_type) for a in message.attachments.all())
    assert types == [("photo.jpg", "image/png"), ("receipt.pdf", "application/pdf")]


@pytest.mark.django_db
def test_topic_configuration_hides_and_requires_fields(client):
    topic = Topic.objects.get(slug="general")
    topic.fields = {"tracking_numbers": "hidden", "phone": "required"}
    topic.save()
    page = client.get(form_url("general")).content.decode()
    assert 'name="tracking_numbers"' not in page
    response = client.post(form_url("general"), valid_data(phone=""))
    assert field_errors(response, "phone") == ["This field is required."]


@pytest.mark.django_db
def test_unknown_or_inactive_topic_is_404(client):
    Topic.objects.filter(slug="general").update(active=False)
    assert client.get(form_url("general")).status_code == 404
    assert client.get(form_url("no-such-topic")).status_code == 404


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused_and_gives_back_what_was_typed():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(form_url(), valid_data(description="Please keep my words"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "security check had expired" in html
    assert "Please keep my words" in html
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_user_text_is_escaped_on_the_success_page(client):
    response = client.post(form_url(), valid_data(description="<script>alert(1)</script>"), follow=True)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
def test_case_language_is_the_language_the_customer_used(client):
    client.post(form_url(), valid_data(), HTTP_ACCEPT_LANGUAGE="de")
    assert Case.objects.get().language == "de"


@pytest.mark.django_db
def test_language_switcher_changes_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"}, follow=True)
    assert re.search(r'<html lang="es">', response.content.decode())
