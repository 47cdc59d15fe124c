"""The social channel's timeline events (written like ``cases.events``, labelled there too)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.events import _event
from postdesk.cases.models import Case

SOCIAL_REPLY_QUEUED = "social_reply_queued"
SOCIAL_REPLY_SENT = "social_reply_sent"
SOCIAL_REPLY_FAILED = "social_reply_failed"
SOCIAL_EMAIL_NOTED = "social_email_noted"

LABELS = {
    SOCIAL_REPLY_QUEUED: _("Reply queued for the platform"),
    SOCIAL_REPLY_SENT: _("Reply delivered on the platform"),
    SOCIAL_REPLY_FAILED: _("Reply delivery on the platform failed"),
    SOCIAL_EMAIL_NOTED: _("Customer gave an email address"),
}


def reply_queued(case: Case, *, platform: str, to: str) -> None:
    _event(case, SOCIAL_REPLY_QUEUED, platform=platform, to=to)


def reply_sent(case: Case, *, platform: str, to: str, attempts: int, platform_message_id: str) -> None:
    _event(case, SOCIAL_REPLY_SENT, platform=platform, to=to, attempts=attempts,
           platform_message_id=platform_message_id)


def reply_failed(case: Case, *, platform: str, to: str, error: str, attempts: int, final: bool) -> None:
    _event(case, SOCIAL_REPLY_FAILED, platform=platform, to=to, error=error, attempts=attempts,
           final=final)


def email_noted(case: Case, *, address: str, platform: str) -> None:
    _event(case, SOCIAL_EMAIL_NOTED, address=address, platform=platform)
