"""How a customer proves a case is theirs without an account: a signed, expiring link."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse

from postdesk.cases.models import Case
from postdesk.domain import case_numbers

_SALT = "postdesk.cases.status-link"


def _email_digest(email: str) -> str:
    # Binding the token to the address means a later change of the case's customer voids it.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def status_token(case: Case) -> str:
    return signing.dumps({"c": case.pk, "e": _email_digest(case.customer.email)}, salt=_SALT)


def case_from_status_token(token: str) -> Case | None:
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=settings.POSTDESK_STATUS_LINK_MAX_AGE_DAYS * 86400
        )
    except signing.BadSignature:  # includes SignatureExpired
        return None
    case = Case.objects.select_related("customer").filter(pk=data.get("c")).first()
    if case is None or _email_digest(case.customer.email) != data.get("e"):
        return None
    return case


def status_url(case: Case) -> str:
    return settings.POSTDESK_BASE_URL + reverse("portal:status_token", args=[status_token(case)])


def reply_token(case: Case) -> str:
    """``<compact number>.<signature>``: names the case and proves we issued it."""
    compact = case.number.replace("-", "").lower()
    signature = hmac.new(settings.SECRET_KEY.encode(), f"reply:{case.number}".encode(),
                         hashlib.sha256).hexdigest()[:10]
    return f"{compact}.{signature}"


def case_from_reply_token(token: str) -> Case | None:
    compact, _dot, signature = token.lower().partition(".")
    number = case_numbers.parse(compact)
    if number is None or not signature:
        return None
    case = Case.objects.select_related("customer").filter(number=number).first()
    if case is None or not hmac.compare_digest(reply_token(case), f"{compact}.{signature}"):
        return None
    return case
