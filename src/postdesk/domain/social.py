"""Social-platform webhooks without a framework: signatures and payloads of X and Messenger.

X (Account Activity API): the CRC answer and the ``x-twitter-webhooks-signature`` header are
``sha256=`` + base64 of HMAC-SHA256 keyed with the app's consumer secret.
Meta (Messenger): the ``X-Hub-Signature-256`` header is ``sha256=`` + hex of HMAC-SHA256 of the
raw body keyed with the app secret. Both are checked on the raw bytes, before any JSON parsing,
in constant time.

Parsers turn a payload into ``SocialMessage`` values: one per person-to-us message. Our own
messages echoing back, read/delivery receipts and events we do not handle are left out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

X = "x"
FACEBOOK = "facebook"


class PayloadError(ValueError):
    """The JSON is well-formed but not the shape the platform sends."""


def x_crc_response(consumer_secret: str, crc_token: str) -> str:
    digest = hmac.new(consumer_secret.encode(), crc_token.encode(), hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def x_signature(consumer_secret: str, body: bytes) -> str:
    digest = hmac.new(consumer_secret.encode(), body, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(digest).decode()


def meta_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(expected: str, given: str | None) -> bool:
    if not given:
        return False
    return hmac.compare_digest(expected.encode(), given.strip().encode())


@dataclass(frozen=True)
class SocialMessage:
    platform: str
    message_id: str          # the platform's id: the de-duplication key across webhook retries
    account_id: str          # our account (X user id) or page id
    sender_id: str           # the customer's id on the platform (X user id, Messenger PSID)
    text: str
    sender_handle: str = ""  # X screen name, without "@"
    sender_name: str = ""
    attachments: tuple[str, ...] = ()  # descriptions like "image: https://…"

    @property
    def conversation_key(self) -> str:
        """One conversation per customer and account: an X DM thread, a Messenger sender-page pair."""
        return f"{self.platform}:{self.account_id}:{self.sender_id}"


def _text(value) -> str:
    # PostgreSQL text cannot hold NUL: a signed payload carrying one was a 500, retried forever.
    return value.replace("\x00", "") if isinstance(value, str) else ""


# The columns that keep them: account and sender ids 64 characters, message ids 200.
ID_MAX, MESSAGE_ID_MAX = 64, 200


def _id(value, what: str, limit: int = ID_MAX) -> str:
    text = str(value or "")
    if len(text) > limit or "\x00" in text:
        raise PayloadError(f"{what} must be at most {limit} characters, without NUL")
    return text


def _require_dict(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise PayloadError(f"{what} must be a JSON object")
    return value


def _require_list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{what} must be a JSON array")
    return value


def parse_x(payload) -> list[SocialMessage]:
    """Direct messages from an Account Activity payload; our own replies (sender = for_user_id)
    come back as events too and are dropped."""
    payload = _require_dict(payload, "the payload")
    account = _id(payload.get("for_user_id"), "for_user_id")
    users = payload.get("users") if isinstance(payload.get("users"), dict) else {}
    result = []
    for event in _require_list(payload.get("direct_message_events"), "direct_message_events"):
        event = _require_dict(event, "a direct message event")
        if event.get("type") != "message_create":
            continue
        create = _require_dict(event.get("message_create"), "message_create")
        sender = _id(create.get("sender_id"), "message_create.sender_id")
        event_id = _id(event.get("id"), "a direct message event id", MESSAGE_ID_MAX)
        if not sender or not event_id:
            raise PayloadError("a direct message event needs id and message_create.sender_id")
        if not account:
            raise PayloadError("the payload needs for_user_id")
        if sender == account:
            continue
        data = create.get("message_data") if isinstance(create.get("message_data"), dict) else {}
        attachments = []
        attachment = data.get("attachment")
        if isinstance(attachment, dict):
            media = attachment.get("media") if isinstance(attachment.get("media"), dict) else {}
            kind = _text(media.get("type")) or _text(attachment.get("type")) or "attachment"
            url = _text(media.get("media_url_https")) or _text(media.get("url"))
            attachments.append(f"{kind}: {url}".strip(": "))
        text = _text(data.get("text"))
        if not text.strip() and not attachments:
            continue
        user = users.get(sender) if isinstance(users.get(sender), dict) else {}
        result.append(SocialMessage(
            platform=X, message_id=event_id, account_id=account, sender_id=sender, text=text,
            sender_handle=_text(user.get("screen_name")), sender_name=_text(user.get("name")),
            attachments=tuple(attachments),
        ))
    return result


def parse_messenger(payload) -> list[SocialMessage]:
    """Messages from a Messenger webhook payload (``object: "page"``). Echoes of what the page
    sent (``is_echo``), delivery and read receipts, and postbacks without text are dropped."""
    payload = _require_dict(payload, "the payload")
    if payload.get("object") != "page":
        raise PayloadError('only page subscriptions are handled ("object": "page")')
    result = []
    for entry in _require_list(payload.get("entry"), "entry"):
        entry = _require_dict(entry, "an entry")
        page_id = _id(entry.get("id"), "an entry id")
        for event in _require_list(entry.get("messaging"), "messaging"):
            event = _require_dict(event, "a messaging event")
            message = event.get("message")
            if not isinstance(message, dict):
                continue  # delivery, read, postback, reaction...
            sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
            recipient = event.get("recipient") if isinstance(event.get("recipient"), dict) else {}
            sender_id = _id(sender.get("id"), "sender.id")
            account = page_id or _id(recipient.get("id"), "recipient.id")
            mid = _id(message.get("mid"), "message.mid", MESSAGE_ID_MAX)
            if not sender_id or not mid or not account:
                raise PayloadError("a message event needs sender.id, message.mid and a page id")
            if message.get("is_echo") or sender_id == account:
                continue
            attachments = []
            for attachment in _require_list(message.get("attachments"), "message.attachments"):
                if isinstance(attachment, dict):
                    kind = _text(attachment.get("type")) or "attachment"
                    body = attachment.get("payload") if isinstance(attachment.get("payload"), dict) else {}
                    attachments.append(f"{kind}: {_text(body.get('url'))}".strip(": "))
            text = _text(message.get("text"))
            if not text.strip() and not attachments:
                continue
            result.append(SocialMessage(platform=FACEBOOK, message_id=mid, account_id=account,
                                        sender_id=sender_id, text=text,
                                        attachments=tuple(attachments)))
    return result


# Loose on purpose: the address is only a hint the agent sees and replies to; email-validator
# checks it before anything is sent.
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})(?![\w-])")


def email_addresses_in(text: str) -> list[str]:
    """Email addresses a customer wrote in a message, in order, lower-case, without duplicates."""
    seen: list[str] = []
    for match in _EMAIL.finditer(text or ""):
        address = match.group(1).strip(".").lower()
        if address not in seen:
            seen.append(address)
    return seen
