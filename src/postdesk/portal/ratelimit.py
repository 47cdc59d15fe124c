"""A small fixed-window limit on guessing, kept in the shared cache (Redis in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _key(request, scope: str) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a proxy we trust set it.
    return f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR', 'unknown')}"


def exceeded(request, scope: str) -> bool:
    return cache.get(_key(request, scope), 0) >= settings.POSTDESK_LOOKUP_RATE_LIMIT


def hit(request, scope: str) -> None:
    key = _key(request, scope)
    if cache.add(key, 1, timeout=settings.POSTDESK_LOOKUP_RATE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.POSTDESK_LOOKUP_RATE_WINDOW_SECONDS)
