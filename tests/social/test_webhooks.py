"""Webhooks of X and Facebook Messenger: handshakes, signatures, messages into cases."""

from __future__ import annotations

import json

import pytest

from postdesk.cases.models import Case, CaseEvent, Customer, InboundReceipt, Message
from postdesk.notifications.models import OutboundEmail
from postdesk.social.models import SocialConversation
from tests.social.helpers import FB_VERIFY, X_ACCOUNT, messenger, post_facebook, post_x, x_dm

pytestmark = pytest.mark.django_db


def _nothing_stored():
    assert Case.objects.count() == 0
    assert Message.objects.count() == 0
    assert InboundReceipt.objects.count() == 0
    assert SocialConversation.objects.count() == 0
    assert Customer.objects.count() == 0


# --- X


def test_x_crc_answers_with_hmac_of_the_token_under_the_consumer_secret(client, social_settings):
    response = client.get("/channels/x/webhook", {"crc_token": "9b4507b3-9040-4669-9ca3-6b94edb50553"})
    assert response.status_code == 200
    # The test vector of DOMAIN.md 3.1 (X's public example secret and token).
    assert response.json() == {"response_token": "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="}


def test_x_crc_without_a_token_is_a_400_with_a_json_error(client, social_settings):
    response = client.get("/channels/x/webhook")
    assert response.status_code == 400
    assert response.json() == {"error": "crc_token is missing."}


def test_x_webhook_without_a_consumer_secret_says_what_is_missing(client, settings):
    settings.POSTDESK_X_CONSUMER_SECRET = ""
    response = client.get("/channels/x/webhook", {"crc_token": "abc"})
    assert response.status_code == 503
    assert response.json() == {"error": "The X webhook is not configured: set POSTDESK_X_CONSUMER_SECRET."}
    response = post_x(client, x_dm("1", "hello"), signature=None)
    assert response.status_code == 503
    _nothing_stored()


def test_x_direct_message_opens_a_case_through_ingest(client, social_settings):
    response = post_x(client, x_dm("1790000000000000001", "My parcel 9400111899223818218407 is stuck."))
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.json() == {"received": 1, "messages": [
        {"message_id": "1790000000000000001", "case": case.number, "duplicate": False}]}
    assert case.channel == "x"
    message = case.messages.get()
    assert message.kind == Message.Kind.CUSTOMER
    assert message.body == "My parcel 9400111899223818218407 is stuck."
    assert InboundReceipt.objects.get().external_id == "1790000000000000001"
    conversation = SocialConversation.objects.get()
    assert (conversation.platform, conversation.account_id, conversation.participant_id) == ("x", X_ACCOUNT, "4001")
    assert conversation.handle == "casey_ships"
    assert conversation.case == case
    assert case.customer.email == "x-3001-4001@social.invalid"
    assert case.customer.name == "Casey Customer"
    opened = case.events.get(type="message_received")
    assert opened.data["channel"] == "x"
    # Nobody to confirm to by email: the placeholder address is undeliverable by design.
    assert OutboundEmail.objects.count() == 0


def test_forged_x_signature_is_403_and_stores_nothing(client, social_settings):
    body = x_dm("1", "hello")
    response = post_x(client, body, signature="sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=")
    assert response.status_code == 403
    assert response.json() == {"error": "Invalid or missing signature."}
    # Signed for another body: a replay with a changed text.
    from postdesk.domain.social import x_signature
    from tests.social.helpers import X_SECRET

    response = post_x(client, x_dm("1", "hello!"), signature=x_signature(X_SECRET, body))
    assert response.status_code == 403
    _nothing_stored()


def test_missing_x_signature_is_403(client, social_settings):
    response = post_x(client, x_dm("1", "hello"), signature=None)
    assert response.status_code == 403
    assert response.json() == {"error": "Invalid or missing signature."}
    _nothing_stored()


def test_signed_but_malformed_json_is_a_400_with_a_json_error(client, social_settings):
    response = post_x(client, b'{"for_user_id": "3001", "direct_message_events": [')
    assert response.status_code == 400
    assert response.json() == {"error": "The body is not valid JSON."}
    response = post_x(client, b'{"for_user_id": "3001", "direct_message_events": {"id": 1}}')
    assert response.status_code == 400
    assert response.json() == {"error": "Unexpected payload: direct_message_events must be a JSON array."}
    _nothing_stored()


def test_webhook_retry_of_the_same_message_is_stored_once(client, social_settings):
    body = x_dm("1790000000000000001", "Where is my parcel?")
    first = post_x(client, body)
    second = post_x(client, body)
    assert first.status_code == second.status_code == 200
    assert second.json()["messages"][0]["duplicate"] is True
    assert Case.objects.count() == 1
    assert Message.objects.count() == 1


def test_our_own_reply_echoing_back_is_not_a_customer_message(client, social_settings):
    response = post_x(client, x_dm("1790000000000000002", "Thanks, we are on it.", sender=X_ACCOUNT))
    assert response.status_code == 200
    assert response.json() == {"received": 0, "messages": []}
    _nothing_stored()


def test_next_message_of_the_conversation_joins_its_case(client, social_settings):
    post_x(client, x_dm("1", "My parcel is stuck."))
    post_x(client, x_dm("2", "It is the one to Denver."))
    post_x(client, x_dm("3", "Someone else here.", sender="4002", screen_name="other"))
    first, second = Case.objects.order_by("id")
    assert first.messages.count() == 2
    assert first.events.filter(type="message_received").last().data["reason"] == \
        "follow-up on the customer's own case"
    assert second.messages.count() == 1
    assert first.customer_id != second.customer_id


# --- Facebook Messenger


def test_messenger_verify_handshake_echoes_the_challenge(client, social_settings):
    response = client.get("/channels/facebook/webhook", {
        "hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1158201444"})
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


def test_messenger_verify_with_a_wrong_token_is_403(client, social_settings):
    response = client.get("/channels/facebook/webhook", {
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"})
    assert response.status_code == 403
    assert response.json() == {"error": "The verify token does not match."}
    response = client.get("/channels/facebook/webhook", {"hub.verify_token": FB_VERIFY})
    assert response.status_code == 400
    assert response.json() == {"error": 'hub.mode must be "subscribe".'}


def test_messenger_without_secrets_is_503(client, settings):
    settings.POSTDESK_FACEBOOK_APP_SECRET = ""
    settings.POSTDESK_FACEBOOK_VERIFY_TOKEN = ""
    response = client.get("/channels/facebook/webhook", {"hub.mode": "subscribe"})
    assert response.status_code == 503
    assert response.json() == {"error": "The Facebook Messenger webhook is not configured: set "
                                        "POSTDESK_FACEBOOK_APP_SECRET, POSTDESK_FACEBOOK_VERIFY_TOKEN."}


def test_messenger_message_opens_a_case_and_echoes_are_ignored(client, social_settings):
    response = post_facebook(client, messenger("m_AAA1", "Mein Paket ist nicht angekommen. Grüße"))
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.channel == "facebook"
    assert case.messages.get().body == "Mein Paket ist nicht angekommen. Grüße"
    assert SocialConversation.objects.get().participant_id == "PSID-5001"
    echo = post_facebook(client, messenger("m_AAA2", "We are looking into it.", echo=True))
    assert echo.json() == {"received": 0, "messages": []}
    assert Message.objects.count() == 1


def test_forged_messenger_signature_is_403_and_stores_nothing(client, social_settings):
    body = messenger("m_AAA1", "hello")
    response = post_facebook(client, body, signature="sha256=" + "0" * 64)
    assert response.status_code == 403
    assert response.json() == {"error": "Invalid or missing signature."}
    # Signed with the wrong secret (the DOMAIN.md vector: key "secret").
    from postdesk.domain.social import meta_signature

    response = post_facebook(client, body, signature=meta_signature("secret", body))
    assert response.status_code == 403
    response = post_facebook(client, body, signature=None)
    assert response.status_code == 403
    _nothing_stored()


def test_messenger_payload_for_another_object_is_a_400(client, social_settings):
    body = json.dumps({"object": "instagram", "entry": []}).encode()
    response = post_facebook(client, body)
    assert response.status_code == 400
    assert response.json() == {"error": 'Unexpected payload: only page subscriptions are handled ("object": "page").'}


def test_webhooks_answer_other_methods_with_a_json_405(client, social_settings):
    response = client.put("/channels/x/webhook")
    assert response.status_code == 405
    assert response.json() == {"error": "Use GET (handshake) or POST (events)."}
    assert CaseEvent.objects.count() == 0


def test_nul_bytes_in_signed_messages_are_dropped_not_a_500(client, social_settings):
    response = post_x(client, x_dm("nul-1", "Where is\x00 my parcel?", name="Casey\x00", screen_name="casey\x00"))
    assert response.status_code == 200, response.content[:300]
    assert Message.objects.get().body == "Where is my parcel?"
    assert SocialConversation.objects.get().display_name == "Casey"
    response = post_facebook(client, messenger("m.nul-2", "Hello\x00"))
    assert response.status_code == 200, response.content[:300]
    assert Message.objects.filter(body="Hello").exists()


@pytest.mark.parametrize("body, error", [
    (x_dm("e" * 201, "hello"), "a direct message event id must be at most 200 characters, without NUL"),
    (x_dm("e1", "hello", sender="9" * 65), "message_create.sender_id must be at most 64 characters, without NUL"),
    (x_dm("e\x002", "hello"), "a direct message event id must be at most 200 characters, without NUL"),
    (messenger("m" * 201, "hello"), "message.mid must be at most 200 characters, without NUL"),
    (messenger("m1", "hello", sender="P" * 65), "sender.id must be at most 64 characters, without NUL"),
])
def test_ids_too_long_for_their_columns_or_with_nul_are_a_400_naming_the_field(client, social_settings, body, error):
    post = post_facebook if b'"object"' in body else post_x
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"error": f"Unexpected payload: {error}."}
    _nothing_stored()
