"""One small strategy class per platform, picked by ``platform_for``.

Each knows its settings, how the platform proves a webhook is its own, how to read a payload,
and how to post a reply through the platform's HTTP API. The base URLs are settings, so tests
(and a staging desk) point them at a local stand-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.utils import timezone

from postdesk.domain import social as wire


class PlatformAPIError(Exception):
    """The platform refused or could not be reached; worth another try later."""


@dataclass(frozen=True)
class Recipient:
    participant_id: str
    account_id: str
    last_customer_message_at: datetime | None = None


def _post(url: str, *, json: dict, headers: dict | None = None, params: dict | None = None) -> dict:
    try:
        response = httpx.post(url, json=json, headers=headers, params=params,
                              timeout=settings.POSTDESK_SOCIAL_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise PlatformAPIError(f"{type(exc).__name__}: {exc}") from None
    if response.status_code >= 400:
        raise PlatformAPIError(f"HTTP {response.status_code}: {response.text[:300]}")
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Platform:
    name = ""
    label = ""
    # Longest text one API call takes; longer replies go out in several messages.
    max_text = 2000

    def missing_settings(self, *, for_sending: bool = False) -> list[str]:
        raise NotImplementedError

    def signature_valid(self, body: bytes, headers) -> bool:
        raise NotImplementedError

    def parse(self, payload) -> list[wire.SocialMessage]:
        raise NotImplementedError

    def send(self, recipient: Recipient, text: str) -> str:
        """Post ``text``; returns the platform's id of the message sent."""
        raise NotImplementedError


class XPlatform(Platform):
    name = wire.X
    label = "X"
    max_text = 10000

    def missing_settings(self, *, for_sending: bool = False) -> list[str]:
        names = ["POSTDESK_X_CONSUMER_SECRET"]
        if for_sending:
            names.append("POSTDESK_X_ACCESS_TOKEN")
        return [name for name in names if not getattr(settings, name)]

    def crc_response(self, crc_token: str) -> str:
        return wire.x_crc_response(settings.POSTDESK_X_CONSUMER_SECRET, crc_token)

    def signature_valid(self, body: bytes, headers) -> bool:
        expected = wire.x_signature(settings.POSTDESK_X_CONSUMER_SECRET, body)
        return wire.signature_valid(expected, headers.get("x-twitter-webhooks-signature"))

    def parse(self, payload) -> list[wire.SocialMessage]:
        return wire.parse_x(payload)

    def send(self, recipient: Recipient, text: str) -> str:
        # X API v2: POST /2/dm_conversations/with/:participant_id/messages (user context).
        url = (f"{settings.POSTDESK_X_API_BASE_URL}/2/dm_conversations/with/"
               f"{recipient.participant_id}/messages")
        body = _post(url, json={"text": text},
                     headers={"Authorization": f"Bearer {settings.POSTDESK_X_ACCESS_TOKEN}"})
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        return str(data.get("dm_event_id") or "")


class FacebookPlatform(Platform):
    name = wire.FACEBOOK
    label = "Facebook Messenger"
    max_text = 2000
    # Meta's standard messaging window; after it, a person may still answer for 7 days with
    # the HUMAN_AGENT tag.
    STANDARD_WINDOW = timedelta(hours=24)

    def missing_settings(self, *, for_sending: bool = False) -> list[str]:
        names = ["POSTDESK_FACEBOOK_APP_SECRET", "POSTDESK_FACEBOOK_VERIFY_TOKEN"]
        if for_sending:
            names = ["POSTDESK_FACEBOOK_PAGE_ACCESS_TOKEN"]
        return [name for name in names if not getattr(settings, name)]

    def verify_token_valid(self, token: str | None) -> bool:
        return wire.signature_valid(settings.POSTDESK_FACEBOOK_VERIFY_TOKEN, token)

    def signature_valid(self, body: bytes, headers) -> bool:
        expected = wire.meta_signature(settings.POSTDESK_FACEBOOK_APP_SECRET, body)
        return wire.signature_valid(expected, headers.get("X-Hub-Signature-256"))

    def parse(self, payload) -> list[wire.SocialMessage]:
        return wire.parse_messenger(payload)

    def send(self, recipient: Recipient, text: str) -> str:
        # Send API: POST /{version}/me/messages with the page access token.
        url = (f"{settings.POSTDESK_FACEBOOK_GRAPH_BASE_URL}/"
               f"{settings.POSTDESK_FACEBOOK_GRAPH_VERSION}/me/messages")
        message = {"recipient": {"id": recipient.participant_id}, "message": {"text": text}}
        last = recipient.last_customer_message_at
        if last is not None and timezone.now() - last <= self.STANDARD_WINDOW:
            message["messaging_type"] = "RESPONSE"
        else:
            message["messaging_type"] = "MESSAGE_TAG"
            message["tag"] = "HUMAN_AGENT"
        body = _post(url, json=message,
                     params={"access_token": settings.POSTDESK_FACEBOOK_PAGE_ACCESS_TOKEN})
        return str(body.get("message_id") or "")


PLATFORMS: dict[str, Platform] = {wire.X: XPlatform(), wire.FACEBOOK: FacebookPlatform()}


def platform_for(name: str) -> Platform:
    return PLATFORMS[name]


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, line or word ends when possible."""
    text = text.strip()
    parts = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut <= limit // 2:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts
