"""The REST API: same validation as the web form, one case per submission, a lookup that never
shows internal notes nor tells which half of a wrong pair was wrong."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from postdesk.cases.models import Case, Message
from postdesk.cases.services import case_add_note, case_reply
from postdesk.domain import case_numbers
from postdesk.notifications.models import OutboundEmail

CASES_URL = "/api/v1/cases"
LOOKUP_URL = "/api/v1/cases/lookup"
# GS1 mod 10 of 940011120255584276102 is 5: this one is valid, ...1024 is one digit off.
VALID_TRACKING = "9400111202555842761025"
MISTYPED_TRACKING = "9400111202555842761024"
UPS_TRACKING = "1Z5R89390357567127"
ADDRESS = "475 L'Enfant Plaza SW, Washington, DC 20260"
NOT_FOUND = ("We found no case with this case number and email address. "
             "Check both against your confirmation email.")

pytestmark = pytest.mark.django_db


def valid_body(**changes) -> dict:
    body = {
        "topic": "track_package",
        "name": "Casey Customer",
        "email": "casey.customer@example.com",
        "tracking_numbers": [VALID_TRACKING],
        "address": ADDRESS,
        "date_mailed": "2024-03-04",
        "description": "Tracking has said 'In transit' for nine days.",
    }
    body.update(changes)
    return body


def post_json(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


# --- POST /cases ------------------------------------------------------------------------


def test_create_case_returns_201_with_valid_case_number_and_status_link():
    # No cookie auth, so no CSRF token: a client that enforces CSRF must still get through.
    client = Client(enforce_csrf_checks=True)
    response = post_json(client, CASES_URL, valid_body())

    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"case_number", "status_url", "expected_answer_by", "duplicate"}
    assert case_numbers.is_valid(data["case_number"])
    assert data["duplicate"] is False
    assert data["status_url"].startswith("http://testserver/status/")
    # ISO 8601 with the desk's offset (Eastern Time: -05:00 or -04:00).
    assert data["expected_answer_by"][-6:] in ("-05:00", "-04:00")

    case = Case.objects.get(number=data["case_number"])
    assert case.channel == "api"
    assert case.topic.slug == "track_package"
    assert case.customer.email == "casey.customer@example.com"
    assert case.tracking_numbers == [VALID_TRACKING]
    assert case.address == "475 LENFANT PLZ SW, WASHINGTON DC 20260"
    assert str(case.date_mailed) == "2024-03-04"
    assert case.messages.get().body == "Tracking has said 'In transit' for nine days."
    assert OutboundEmail.objects.filter(case=case, purpose="confirmation").count() == 1
    # The status link works for the customer.
    assert client.get(data["status_url"].removeprefix("http://testserver")).status_code == 200


def test_missing_email_gives_the_web_forms_required_message(client):
    body = valid_body()
    del body["email"]
    response = post_json(client, CASES_URL, body)

    assert response.status_code == 422
    assert response.json() == {"errors": {"email": ["This field is required."]},
                               "email_suggestion": None}
    assert not Case.objects.exists()


def test_malformed_email_gives_the_web_forms_message(client):
    response = post_json(client, CASES_URL, valid_body(email="casey.customer@@example"))

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "email": ["Enter a valid email address, like name@example.com."]
    }


def test_email_typo_blocks_until_the_client_confirms_the_address(client):
    response = post_json(client, CASES_URL, valid_body(email="casey@gmial.com"))

    assert response.status_code == 422
    assert response.json() == {
        "errors": {"email": ["Did you mean casey@gmail.com? If casey@gmial.com is right, "
                             "submit the form again."]},
        "email_suggestion": "casey@gmail.com",
    }

    confirmed = post_json(client, CASES_URL, valid_body(email="casey@gmial.com", email_confirmed=True))
    assert confirmed.status_code == 201, confirmed.content
    assert Case.objects.get().customer.email == "casey@gmial.com"


def test_tracking_number_with_wrong_check_digit_is_named_with_its_check_digit(client):
    response = post_json(client, CASES_URL, valid_body(tracking_numbers=[MISTYPED_TRACKING]))

    assert response.status_code == 422
    assert response.json()["errors"] == {"tracking_numbers": [
        f"{MISTYPED_TRACKING} looks mistyped: its check digit does not match. "
        "Please compare it with your receipt or label."
    ]}


def test_ups_tracking_number_is_refused_naming_ups(client):
    response = post_json(client, CASES_URL, valid_body(tracking_numbers=[VALID_TRACKING, UPS_TRACKING]))

    assert response.status_code == 422
    assert response.json()["errors"] == {"tracking_numbers": [
        f"{UPS_TRACKING} is a UPS tracking number. Please contact UPS about it."
    ]}


def test_zip_code_of_another_state_is_refused(client):
    response = post_json(client, CASES_URL,
                         valid_body(address="475 L'Enfant Plaza SW, Washington, CA 20260"))

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "address": ["The ZIP code 20260 does not belong to CA. Please check both."]
    }


def test_several_bad_fields_are_all_reported_at_once(client):
    response = post_json(client, CASES_URL, valid_body(
        name="", description="", date_mailed="04/31/2024", tracking_numbers=[]))

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "name": ["This field is required."],
        "tracking_numbers": ["This field is required."],
        "date_mailed": ["Enter a valid date."],
        "description": ["This field is required."],
    }


def test_api_and_web_form_give_identical_messages(client):
    web = client.post("/contact/track_package/", {
        "name": "Casey", "email": "casey@gmial.com", "tracking_numbers": MISTYPED_TRACKING,
        "address": "475 L'Enfant Plaza SW, Washington, CA 20260", "description": "Help",
    })
    api = post_json(client, CASES_URL, valid_body(
        email="casey@gmial.com", tracking_numbers=[MISTYPED_TRACKING],
        address="475 L'Enfant Plaza SW, Washington, CA 20260"))

    assert web.status_code == 400
    web_errors = {field: list(errors) for field, errors in web.context["form"].errors.items()}
    assert api.json()["errors"] == web_errors
    assert set(web_errors) == {"email", "tracking_numbers", "address"}


def test_idempotency_key_retried_opens_one_case(client):
    first = post_json(client, CASES_URL, valid_body(), **{"Idempotency-Key": "order-4711-attempt"})
    # A retry after a timeout, even with a slightly different text, is the same submission.
    second = post_json(client, CASES_URL, valid_body(description="Tracking stuck. (retry)"),
                       **{"Idempotency-Key": "order-4711-attempt"})

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["case_number"] == first.json()["case_number"]
    assert Case.objects.count() == 1
    assert Message.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_different_idempotency_keys_open_different_cases(client):
    first = post_json(client, CASES_URL, valid_body(), **{"Idempotency-Key": "a"})
    second = post_json(client, CASES_URL, valid_body(), **{"Idempotency-Key": "b"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert Case.objects.count() == 2


def test_same_idempotency_key_from_another_address_is_not_a_duplicate(client):
    # Otherwise a guessed key would hand out another customer's status link.
    mine = post_json(client, CASES_URL, valid_body(), **{"Idempotency-Key": "1"})
    theirs = post_json(client, CASES_URL, valid_body(email="olive.other@example.com"),
                       **{"Idempotency-Key": "1"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["case_number"] != theirs.json()["case_number"]


def test_identical_body_twice_without_key_opens_one_case(client):
    first = post_json(client, CASES_URL, valid_body())
    second = post_json(client, CASES_URL, valid_body())

    assert first.status_code == 201
    assert second.status_code == 200
    # The status link is signed with a timestamp, so the two answers may differ in it alone.
    without_link = lambda body: {k: v for k, v in body.items() if k != "status_url"}  # noqa: E731
    assert without_link(second.json()) == {**without_link(first.json()), "duplicate": True}
    assert client.get(second.json()["status_url"].removeprefix("http://testserver")).status_code == 200
    assert Case.objects.count() == 1


def test_different_description_without_key_opens_a_second_case(client):
    post_json(client, CASES_URL, valid_body())
    response = post_json(client, CASES_URL, valid_body(description="Another parcel, also stuck."))

    assert response.status_code == 201
    assert Case.objects.count() == 2


def test_unknown_topic_is_422_on_topic(client):
    response = post_json(client, CASES_URL, valid_body(topic="teleportation"))

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == ["topic"]
    assert errors["topic"][0].startswith("Unknown topic teleportation. Choose one of: ")
    assert "track_package" in errors["topic"][0]
    assert not Case.objects.exists()


def test_missing_topic_is_422_required(client):
    body = valid_body()
    del body["topic"]
    response = post_json(client, CASES_URL, body)

    assert response.status_code == 422
    assert response.json()["errors"] == {"topic": ["This field is required."]}


def test_topic_with_a_nul_byte_is_422_on_topic_not_a_500(client):
    response = post_json(client, CASES_URL, valid_body(topic="track_package\x00"))

    assert response.status_code == 422
    assert response.json()["errors"] == {"topic": ["Null characters are not allowed."]}
    assert not Case.objects.exists()


def test_malformed_json_is_400_with_json_body(client):
    response = client.post(CASES_URL, data='{"topic": "track_package", "name": ',
                           content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Cannot parse request body"}


def test_wrong_types_are_422_by_field_name(client):
    response = post_json(client, CASES_URL,
                         valid_body(email=42, tracking_numbers="9400111202555842761025",
                                    language="fr"))

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"email", "tracking_numbers", "language"}
    assert errors["email"] == ["Input should be a valid string"]
    assert errors["tracking_numbers"] == ["Input should be a valid list"]
    assert errors["language"] == ["Input should be 'en', 'de' or 'es'"]


@pytest.mark.parametrize("raw", ["[1, 2]", '"hello"', "null", ""])
def test_body_that_is_not_a_json_object_is_422(client, raw):
    response = client.post(CASES_URL, data=raw, content_type="application/json")

    assert response.status_code == 422
    assert response.json() == {"errors": {"__all__": ["The request body must be a JSON object."]}}
    assert not Case.objects.exists()


def test_language_field_sets_the_case_language(client):
    response = post_json(client, CASES_URL, valid_body(language="es"))

    assert response.status_code == 201
    assert Case.objects.get().language == "es"


# --- POST /cases/lookup -----------------------------------------------------------------


def test_lookup_shows_public_timeline_without_internal_notes(client, case_a, supervisor, agent_a,
                                                            django_capture_on_commit_callbacks):
    case_add_note(case=case_a, agent=supervisor, body="SECRET: customer has 3 prior claims.")
    with django_capture_on_commit_callbacks(execute=True):
        case_reply(case=case_a, agent=agent_a, body="We asked the depot to look for it.")

    response = post_json(client, LOOKUP_URL,
                         {"case_number": case_a.number.lower().replace("-", ""),
                          "email": " Casey.Customer@Example.com "})

    assert response.status_code == 200, response.content
    data = response.json()
    assert "SECRET" not in response.content.decode()
    assert data["case_number"] == case_a.number
    assert data["status"] == "waiting"
    assert data["status_label"] == "Waiting on customer"
    assert data["topic"] == "track_package"
    assert data["topic_name"] == "Track a package"
    assert data["created_at"][-6:] in ("-05:00", "-04:00")
    messages = [event["message"] for event in data["timeline"] if event["message"]]
    assert [(m["kind"], m["body"]) for m in messages] == [
        ("customer", "My parcel has not moved for a week."),
        ("reply", "We asked the depot to look for it."),
    ]
    types = [event["type"] for event in data["timeline"]]
    assert "note_added" not in types
    assert "routed" not in types  # staff-only: department names and reasons
    status_event = next(e for e in data["timeline"] if e["type"] == "status_changed")
    assert (status_event["status"], status_event["status_label"]) == ("waiting", "Waiting on customer")
    assert {e["email_purpose"] for e in data["timeline"] if e["type"] == "email_sent"} == {"reply"}


def test_lookup_lists_attachments_metadata(client, db):
    from postdesk.intake.inbound import InboundAttachment, InboundMessage
    from postdesk.intake.services import ingest

    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    case = ingest(InboundMessage(
        channel="web", external_id="with-attachment", sender_email="casey.customer@example.com",
        body="Receipt attached.", topic_slug="general",
        attachments=(InboundAttachment("receipt.pdf", pdf, "application/pdf"),),
    )).case

    response = post_json(client, LOOKUP_URL, {"case_number": case.number,
                                              "email": "casey.customer@example.com"})

    message = next(e["message"] for e in response.json()["timeline"] if e["message"])
    assert message["attachments"] == [
        {"filename": "receipt.pdf", "size": len(pdf), "content_type": "application/pdf"}
    ]


@pytest.mark.parametrize("number, email", [
    ("right-number", "olive.other@example.com"),             # wrong email
    ("K7M-Q4X-9RT", "casey.customer@example.com"),          # valid-looking number, no such case
    ("not a case number", "casey.customer@example.com"),    # malformed number
    ("", ""),
])
def test_lookup_wrong_combination_is_the_same_404(client, case_a, number, email):
    if number == "right-number":
        number = case_a.number
    response = post_json(client, LOOKUP_URL, {"case_number": number, "email": email})

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_lookup_of_another_customers_case_with_my_email_is_404(client, case_a, case_b):
    response = post_json(client, LOOKUP_URL, {"case_number": case_b.number,
                                              "email": "casey.customer@example.com"})

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_lookup_is_rate_limited_after_ten_wrong_attempts(client, case_a):
    for attempt in range(10):
        response = post_json(client, LOOKUP_URL, {"case_number": case_a.number,
                                                  "email": f"guess{attempt}@example.com"})
        assert response.status_code == 404

    blocked = post_json(client, LOOKUP_URL, {"case_number": case_a.number,
                                             "email": "guess11@example.com"})
    assert blocked.status_code == 429
    assert blocked.json() == {"detail": "Too many attempts. Please wait a few minutes and try again."}
    assert blocked["Retry-After"] == "600"
    # Even the right pair waits: otherwise the limit would still confirm a correct guess.
    right = post_json(client, LOOKUP_URL, {"case_number": case_a.number,
                                           "email": "casey.customer@example.com"})
    assert right.status_code == 429


def test_lookup_limit_is_per_client_ip(client, case_a):
    for attempt in range(10):
        post_json(client, LOOKUP_URL, {"case_number": case_a.number, "email": f"g{attempt}@example.com"})

    other_ip = Client(REMOTE_ADDR="203.0.113.7")
    response = post_json(other_ip, LOOKUP_URL, {"case_number": case_a.number,
                                                "email": "casey.customer@example.com"})
    assert response.status_code == 200


def test_lookup_with_missing_field_is_422(client):
    response = post_json(client, LOOKUP_URL, {"case_number": "K7M-Q4X-9RT"})

    assert response.status_code == 422
    assert response.json() == {"errors": {"email": ["Field required"]}}


def test_lookup_with_a_nul_byte_is_422_on_that_field_not_a_500(client, case_a):
    response = post_json(client, LOOKUP_URL, {"case_number": case_a.number, "email": "casey\x00@example.com"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Null characters are not allowed."]}


# --- schema and docs --------------------------------------------------------------------


def test_openapi_schema_lists_both_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/cases" in paths
    assert "/api/v1/cases/lookup" in paths
    parameters = paths["/api/v1/cases"]["post"]["parameters"]
    assert [p["name"] for p in parameters] == ["Idempotency-Key", "Authorization"]


def test_docs_page_is_served(client):
    assert client.get("/api/v1/docs").status_code == 200



def test_accept_language_sets_the_case_language(client):
    response = post_json(client, CASES_URL, valid_body(),
                         **{"Accept-Language": "de-DE,de;q=0.9"})

    assert response.status_code == 201
    assert Case.objects.get().language == "de"
