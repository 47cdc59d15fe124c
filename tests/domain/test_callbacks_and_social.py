"""Framework-free parts of the phone and social channels: callback slots, signatures, payloads."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from postdesk.domain import social
from postdesk.domain.business_time import BusinessCalendar, CalendarError
from postdesk.domain.callbacks import next_slot

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar.weekly(time_zone="America/New_York", weekdays=(time(8), time(17)),
                              saturday=(time(9), time(12)))


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=NY)


def test_any_window_during_opening_hours_is_due_now():
    # Wednesday 25 November 2026, 10:15.
    assert next_slot(CAL, at(2026, 11, 25, 10, 15), "any") == (at(2026, 11, 25, 10, 15), at(2026, 11, 25, 17))


def test_afternoon_request_in_the_morning_is_due_at_noon():
    assert next_slot(CAL, at(2026, 11, 25, 9), "afternoon") == (at(2026, 11, 25, 12), at(2026, 11, 25, 17))


def test_morning_request_after_noon_waits_for_the_next_opening_morning_skipping_the_holiday():
    # Thanksgiving (26 Nov 2026) is closed: Friday morning.
    assert next_slot(CAL, at(2026, 11, 25, 13), "morning") == (at(2026, 11, 27, 8), at(2026, 11, 27, 12))


def test_afternoon_skips_a_morning_only_saturday():
    # Friday after closing: Saturday opens 9-12 only, so the afternoon slot is Monday's.
    assert next_slot(CAL, at(2026, 11, 27, 18), "afternoon") == (at(2026, 11, 30, 12), at(2026, 11, 30, 17))
    assert next_slot(CAL, at(2026, 11, 27, 18), "any") == (at(2026, 11, 28, 9), at(2026, 11, 28, 12))


def test_not_before_pushes_a_retry_later_in_the_same_window():
    due, until = next_slot(CAL, at(2026, 11, 25, 10), "any", not_before=at(2026, 11, 25, 16, 30))
    assert (due, until) == (at(2026, 11, 25, 16, 30), at(2026, 11, 25, 17))
    due, _until = next_slot(CAL, at(2026, 11, 25, 10), "morning", not_before=at(2026, 11, 25, 12))
    assert due == at(2026, 11, 27, 8)


def test_unknown_window_and_naive_times_are_refused():
    with pytest.raises(CalendarError):
        next_slot(CAL, at(2026, 11, 25, 10), "evening")
    with pytest.raises(CalendarError):
        next_slot(CAL, datetime(2026, 11, 25, 10), "any")


def test_x_crc_test_vector():
    assert social.x_crc_response("z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu",
                                 "9b4507b3-9040-4669-9ca3-6b94edb50553") == \
        "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="


def test_meta_signature_test_vector():
    assert social.meta_signature("secret", b"test") == \
        "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"


def test_signature_comparison_rejects_missing_and_altered_values():
    good = social.meta_signature("secret", b"test")
    assert social.signature_valid(good, good)
    assert not social.signature_valid(good, None)
    assert not social.signature_valid(good, "")
    assert not social.signature_valid(good, good[:-1] + "1")


def test_x_payload_drops_our_own_echo_and_reads_the_sender():
    payload = {"for_user_id": "1", "direct_message_events": [
        {"type": "message_create", "id": "10", "message_create": {"sender_id": "1", "message_data": {"text": "ours"}}},
        {"type": "message_create", "id": "11", "message_create": {"sender_id": "2", "message_data": {
            "text": "theirs", "attachment": {"type": "media", "media": {"type": "photo",
                                                                       "media_url_https": "https://x/p.jpg"}}}}},
    ], "users": {"2": {"screen_name": "pat", "name": "Pat"}}}
    [message] = social.parse_x(payload)
    assert (message.message_id, message.sender_id, message.sender_handle, message.text) == ("11", "2", "pat", "theirs")
    assert message.attachments == ("photo: https://x/p.jpg",)
    assert message.conversation_key == "x:1:2"


def test_malformed_payloads_raise_payload_error():
    with pytest.raises(social.PayloadError):
        social.parse_x([])
    with pytest.raises(social.PayloadError):
        social.parse_x({"for_user_id": "1", "direct_message_events": [{"type": "message_create"}]})
    with pytest.raises(social.PayloadError):
        social.parse_messenger({"object": "page", "entry": [{"id": "P", "messaging": [{"message": {"text": "x"}}]}]})


def test_email_addresses_in_text():
    assert social.email_addresses_in("mail me at Jane.Doe@Example.com, or jane.doe@example.com.") == \
        ["jane.doe@example.com"]
    assert social.email_addresses_in("no address @here or user@host") == []
