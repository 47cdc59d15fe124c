"""Failed staff sign-ins are counted, and past a limit refused for a while, per account name and
per client address: the console's sign-in form, the admin's and the search API's HTTP Basic all
authenticate through ``accounts.backends.ThrottledModelBackend``, which asks here first.

A fixed window in the shared cache (Redis in production, so every web process counts together).
The account name is hashed: the cache must not become a list of staff names. A success clears
the account's count (not the address's: one address guessing many accounts stays limited).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from postdesk.portal import ratelimit


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a proxy we trust set it.
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or "unknown"


def _keys(request, username: str) -> list[tuple[str, int]]:
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()
    return [(f"staff-signin:name:{name}", settings.POSTDESK_STAFF_SIGNIN_FAILURES_PER_ACCOUNT),
            (f"staff-signin:ip:{client_address(request)}", settings.POSTDESK_STAFF_SIGNIN_FAILURES_PER_IP)]


def blocked(request, username: str) -> bool:
    """True while the account or the client has failed too often in the window."""
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def record_failure(request, username: str) -> None:
    for key, _limit in _keys(request, username):
        ratelimit.count(key, settings.POSTDESK_STAFF_SIGNIN_WINDOW_SECONDS)


def record_success(request, username: str) -> None:
    cache.delete(_keys(request, username)[0][0])


def window_minutes() -> int:
    return max(1, round(settings.POSTDESK_STAFF_SIGNIN_WINDOW_SECONDS / 60))
