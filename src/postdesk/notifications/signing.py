"""DKIM signing of outgoing mail, when a key is configured (dkimpy)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import dkim
from django.conf import settings

# What a receiver needs to tie the message to its thread and sender; Date and Message-ID
# included so a signed message cannot be replayed as a new one unnoticed.
SIGNED_HEADERS = (b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"reply-to",
                  b"in-reply-to", b"references", b"mime-version", b"content-type", b"auto-submitted")


@lru_cache(maxsize=4)
def _key(pem: str, path: str) -> bytes | None:
    if pem:
        return pem.encode()
    if path:
        return Path(path).read_bytes()
    return None


def dkim_header(message_bytes: bytes) -> bytes | None:
    """The ``DKIM-Signature: …`` header line for these bytes, or None when signing is off."""
    key = _key(settings.POSTDESK_DKIM_PRIVATE_KEY, settings.POSTDESK_DKIM_KEY_FILE)
    if key is None or not settings.POSTDESK_DKIM_SELECTOR:
        return None
    domain = settings.POSTDESK_DKIM_DOMAIN or settings.POSTDESK_SUPPORT_ADDRESS.rpartition("@")[2]
    return dkim.sign(message_bytes, settings.POSTDESK_DKIM_SELECTOR.encode(), domain.encode(), key,
                     include_headers=list(SIGNED_HEADERS))
