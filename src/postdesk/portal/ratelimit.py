"""A small fixed-window limit on guessing, kept in the shared cache (Redis in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _key(request, scope: str) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a proxy we trust set it.
    return f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR', 'unknown')}"


def exceeded(request, scope: str) -> bool:
    return cache.get(_key(request, scope), 0) >= settings.POSTDESK_LOOKUP_RATE_LIMIT


def count(key: str, window_seconds: int) -> int:
    """Add one to the fixed-window counter ``key`` and return its value: the one counter behind
    every limit (lookups here, customer sign-in links, staff sign-in failures)."""
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def hit(request, scope: str) -> None:
    count(_key(request, scope), settings.POSTDESK_LOOKUP_RATE_WINDOW_SECONDS)
