"""Payloads as the platforms send them, signed like the platforms sign them."""

from __future__ import annotations

import json

from postdesk.domain.social import meta_signature, x_signature

X_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"  # X's public example secret
FB_SECRET = "fb-app-secret-for-tests"
FB_VERIFY = "verify-me-7f3a"
X_ACCOUNT = "3001"      # our X account (for_user_id)
FB_PAGE = "PAGE-9001"   # our Facebook page id


def x_dm(event_id: str, text: str, *, sender: str = "4001", screen_name: str = "casey_ships",
         name: str = "Casey Customer") -> bytes:
    payload = {
        "for_user_id": X_ACCOUNT,
        "direct_message_events": [{
            "type": "message_create", "id": event_id, "created_timestamp": "1795000000000",
            "message_create": {"target": {"recipient_id": X_ACCOUNT if sender != X_ACCOUNT else "4001"},
                               "sender_id": sender, "message_data": {"text": text, "entities": {}}},
        }],
        "users": {sender: {"id": sender, "name": name, "screen_name": screen_name},
                  X_ACCOUNT: {"id": X_ACCOUNT, "name": "Postdesk Care", "screen_name": "postdesk_care"}},
    }
    return json.dumps(payload).encode()


def messenger(mid: str, text: str, *, sender: str = "PSID-5001", echo: bool = False) -> bytes:
    message = {"mid": mid, "text": text}
    if echo:
        message["is_echo"] = True
    payload = {"object": "page", "entry": [{
        "id": FB_PAGE, "time": 1795000000000,
        "messaging": [{"sender": {"id": FB_PAGE if echo else sender},
                       "recipient": {"id": sender if echo else FB_PAGE},
                       "timestamp": 1795000000000, "message": message}],
    }]}
    # Meta escapes non-ASCII as \uXXXX: the signature covers exactly these bytes.
    return json.dumps(payload).encode()


def post_x(client, body: bytes, *, signature: str | None = "valid"):
    headers = {}
    if signature == "valid":
        headers["HTTP_X_TWITTER_WEBHOOKS_SIGNATURE"] = x_signature(X_SECRET, body)
    elif signature is not None:
        headers["HTTP_X_TWITTER_WEBHOOKS_SIGNATURE"] = signature
    return client.post("/channels/x/webhook", data=body, content_type="application/json", **headers)


def post_facebook(client, body: bytes, *, signature: str | None = "valid"):
    headers = {}
    if signature == "valid":
        headers["HTTP_X_HUB_SIGNATURE_256"] = meta_signature(FB_SECRET, body)
    elif signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return client.post("/channels/facebook/webhook", data=body, content_type="application/json", **headers)
