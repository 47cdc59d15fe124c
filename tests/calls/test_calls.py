"""Phone: calls logged on a case, callbacks asked for by customers and worked by agents."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from postdesk.calls import services
from postdesk.calls.models import CallbackRequest, CallLog
from postdesk.cases import erasure, selectors
from postdesk.cases.access import status_token
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


@pytest.fixture
def phone_case(db):
    """A tracking case (department A) whose customer gave a phone number."""
    return ingest(InboundMessage(
        channel="web", external_id=uuid.uuid4().hex, sender_email="casey.customer@example.com",
        sender_name="Casey Customer", body="My parcel has not moved for a week.",
        topic_slug="track_package", phone="+12025550143",
        tracking_numbers=("9400111899223818218407",))).case


def _status_page(client, case) -> str:
    return client.get(f"/status/{status_token(case)}/").content.decode()


# --- Call log


def test_logged_call_is_public_but_its_notes_stay_internal(client, phone_case, agent_a):
    call = services.call_log(case=phone_case, agent=agent_a, direction="outbound",
                             duration_seconds=300, outcome="reached",
                             notes="Customer confirmed the ZIP is 80202; secret detail.")
    assert call.phone == "+12025550143"
    event = phone_case.events.get(type="call_logged")
    assert event.public is True
    assert event.data == {"call": call.pk, "direction": "outbound", "duration_seconds": 300}
    assert event in selectors.public_timeline(phone_case)
    page = _status_page(client, phone_case)
    assert "We called you" in page
    assert "secret detail" not in page


def test_agent_logs_a_call_from_the_console_case_page(client_a, phone_case):
    response = client_a.post(f"/console/calls/cases/{phone_case.number}/log/", {
        "direction": "inbound", "duration_minutes": "7", "outcome": "reached",
        "notes": "Called about the redelivery date."})
    assert response.status_code == 302
    call = CallLog.objects.get()
    assert (call.direction, call.duration_seconds, call.outcome) == ("inbound", 420, "reached")
    page = client_a.get(response["Location"]).content.decode()
    assert "Call logged." in page
    assert "Called about the redelivery date." in page
    assert "Phone call" in page
    assert "7 minutes" in page


def test_bad_call_input_is_a_400_with_the_field_message_and_keeps_the_notes(client_a, phone_case):
    response = client_a.post(f"/console/calls/cases/{phone_case.number}/log/", {
        "direction": "sideways", "duration_minutes": "ten", "outcome": "reached",
        "notes": "Keep these words."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose whether the customer called or we called." in page
    assert "Enter the call&#x27;s length in minutes, from 0 to 1440." in page
    assert "Keep these words." in page
    assert CallLog.objects.count() == 0


def test_agent_of_another_department_cannot_log_a_call(client, phone_case, agent_b):
    client.force_login(agent_b)
    response = client.post(f"/console/calls/cases/{phone_case.number}/log/", {
        "direction": "inbound", "duration_minutes": "1", "outcome": "reached", "notes": "x"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.call_log(case=phone_case, agent=agent_b, direction="inbound", duration_seconds=60)
    assert CallLog.objects.count() == 0
    assert not phone_case.events.filter(type="call_logged").exists()


# --- Callback requests (customer)


def test_status_page_offers_a_callback_when_the_customer_gave_a_phone(client, phone_case, case_b):
    assert "Call me back" in _status_page(client, phone_case)
    # case_b's customer gave no number: no offer.
    assert "Call me back" not in _status_page(client, case_b)


def test_customer_asks_for_a_callback_in_a_window_of_opening_hours(client, phone_case):
    url = f"/status/{status_token(phone_case)}/callback/"
    form = client.get(url).content.decode()
    assert 'value="+12025550143"' in form
    response = client.post(url, {"phone": "(202) 555-0143", "window": "afternoon"})
    assert response.status_code == 302
    callback = CallbackRequest.objects.get()
    assert callback.phone == "+12025550143"
    local = callback.due_at.astimezone(NY)
    # The default desk calendar: weekdays 08:00-17:00 Eastern; afternoons from noon.
    assert local.weekday() < 5 and 12 <= local.hour < 17
    event = phone_case.events.get(type="callback_requested")
    assert event.public and event.data["window"] == "afternoon"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you. We will call you back." in page
    assert "You asked us to call you back" in page
    assert "We will call you back from" in page
    again = client.post(url, {"phone": "(202) 555-0143", "window": "any"}).content.decode()
    assert "You already asked for a callback." in again
    assert CallbackRequest.objects.count() == 1


def test_bad_phone_number_is_refused_with_the_typed_value_kept(client, phone_case):
    url = f"/status/{status_token(phone_case)}/callback/"
    response = client.post(url, {"phone": "555-12", "window": "morning"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid phone number, e.g. (202) 555-0143 or +49 30 1234567." in page
    assert 'value="555-12"' in page
    response = client.post(url, {"phone": "+12025550143", "window": "midnight"})
    assert response.status_code == 400
    assert "Choose when we should call." in response.content.decode()
    assert CallbackRequest.objects.count() == 0


def test_callback_page_needs_a_valid_status_link(client, phone_case):
    assert client.get("/status/not-a-token/callback/").status_code == 404


# --- Callback queue (agents)


MONDAY_9AM = datetime(2026, 11, 30, 9, tzinfo=NY)


@pytest.fixture
def callback(phone_case):
    """Asked for an hour ago and due since (whatever today is, the queue shows it as due)."""
    callback = services.callback_request(case=phone_case, phone="+12025550143", window="any")
    CallbackRequest.objects.filter(pk=callback.pk).update(due_at=timezone.now() - timedelta(hours=1))
    callback.refresh_from_db()
    return callback


def test_queue_shows_callbacks_of_the_agents_departments_only(client, client_a, callback, agent_b):
    page = client_a.get("/console/callbacks/").content.decode()
    assert callback.case.number in page
    assert "+12025550143" in page
    assert "due now" in page
    client.force_login(agent_b)
    page = client.get("/console/callbacks/").content.decode()
    assert callback.case.number not in page
    assert "No open callbacks in your departments." in page
    assert client.post(f"/console/callbacks/{callback.pk}/pick/").status_code == 404


def test_pick_then_complete_logs_the_call_and_closes_the_callback(client_a, callback, agent_a):
    response = client_a.post(f"/console/callbacks/{callback.pk}/pick/")
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.status == "in_progress" and callback.picked_by == agent_a
    response = client_a.post(f"/console/callbacks/{callback.pk}/done/",
                             {"duration_minutes": "4", "notes": "Parcel found at the hub."})
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.status == "done" and callback.attempts == 1
    call = CallLog.objects.get()
    assert (call.direction, call.outcome, call.duration_seconds, call.callback) == (
        "outbound", "reached", 240, callback)
    types = list(callback.case.events.values_list("type", flat=True))
    assert types[-4:] == ["callback_requested", "callback_picked", "call_logged", "callback_completed"][-4:]


def test_two_agents_cannot_pick_the_same_callback(callback, agent_a, supervisor):
    services.callback_pick(callback=callback, agent=agent_a)
    with pytest.raises(ValidationError) as error:
        services.callback_pick(callback=callback, agent=supervisor)
    assert error.value.messages == ["Another agent has already picked this callback, or it is closed."]


def test_failed_attempt_is_due_again_after_the_retry_gap_inside_the_window(phone_case, agent_a, settings):
    settings.POSTDESK_CALLBACK_RETRY_MINUTES = 120
    callback = services.callback_request(case=phone_case, phone="+12025550143", window="morning",
                                         now=MONDAY_9AM)
    assert callback.due_at == MONDAY_9AM
    services.callback_pick(callback=callback, agent=agent_a)
    callback = services.callback_attempt_fail(callback=callback, agent=agent_a, outcome="busy",
                                              now=MONDAY_9AM + timedelta(minutes=5))
    assert callback.due_at == datetime(2026, 11, 30, 11, 5, tzinfo=NY)
    services.callback_pick(callback=callback, agent=agent_a)
    # 11:20 + 2 hours is past noon: the next morning.
    callback = services.callback_attempt_fail(callback=callback, agent=agent_a, outcome="no_answer",
                                              now=datetime(2026, 11, 30, 11, 20, tzinfo=NY))
    assert callback.due_at == datetime(2026, 12, 1, 8, tzinfo=NY)


def test_failed_attempts_requeue_then_give_up(client_a, callback, settings):
    settings.POSTDESK_CALLBACK_MAX_ATTEMPTS = 2
    client_a.post(f"/console/callbacks/{callback.pk}/pick/")
    response = client_a.post(f"/console/callbacks/{callback.pk}/failed/",
                             {"outcome": "no_answer", "notes": "Rang 10 times."})
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.status == "pending" and callback.attempts == 1 and callback.picked_by is None
    assert "Attempt recorded; the callback is back in the queue." in client_a.get(response["Location"]).content.decode()
    attempt = callback.case.events.get(type="callback_attempt_failed")
    assert attempt.public is False and attempt.data["outcome"] == "no_answer"

    client_a.post(f"/console/callbacks/{callback.pk}/pick/")
    client_a.post(f"/console/callbacks/{callback.pk}/failed/", {"outcome": "voicemail", "notes": ""})
    callback.refresh_from_db()
    assert callback.status == "failed" and callback.attempts == 2
    assert callback.case.events.get(type="callback_failed").public is True
    assert CallLog.objects.filter(callback=callback).count() == 2


def test_recording_a_call_without_picking_is_refused_with_a_message(client_a, callback):
    response = client_a.post(f"/console/callbacks/{callback.pk}/done/", {"duration_minutes": "3", "notes": "n"})
    assert response.status_code == 400
    assert "Pick the callback before recording the call." in response.content.decode()


def test_erasure_removes_phone_numbers_and_call_notes(callback, agent_a):
    services.call_log(case=callback.case, agent=agent_a, direction="inbound", duration_seconds=60,
                      notes="Spoke with Casey at home.")
    for _ in range(2):
        erasure.run_erasers(callback.case.customer_id)
    call = CallLog.objects.get()
    assert (call.notes, call.phone) == ("", "")
    assert CallbackRequest.objects.get().phone == ""


def test_success_page_offers_the_callback_when_a_phone_was_given(client, phone_case, case_b):
    token = status_token(phone_case)  # timestamped: make it once
    page = client.get(f"/submitted/{token}/").content.decode()
    assert "Call me back" in page
    assert f"/status/{token}/callback/" in page
    assert "Call me back" not in client.get(f"/submitted/{status_token(case_b)}/").content.decode()
