"""Status links for archived cases, and old status links of cases that were archived since."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from postdesk.archive.models import ArchivedCase
from postdesk.cases import access

_SALT = "postdesk.archive.status-link"


def archived_status_token(archived: ArchivedCase) -> str:
    return signing.dumps({"a": archived.case_id, "e": access._email_digest(archived.customer.email)},
                         salt=_SALT)


def _load(token: str, salt: str) -> dict | None:
    try:
        return signing.loads(token, salt=salt, max_age=settings.POSTDESK_STATUS_LINK_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # includes SignatureExpired
        return None


def _checked(case_id, digest) -> ArchivedCase | None:
    archived = ArchivedCase.objects.select_related("customer", "topic").filter(case_id=case_id).first()
    if archived is None or access._email_digest(archived.customer.email) != digest:
        return None
    return archived


def archived_from_token(token: str) -> ArchivedCase | None:
    data = _load(token, _SALT)
    return _checked(data.get("a"), data.get("e")) if data else None


def archived_from_case_status_token(token: str) -> ArchivedCase | None:
    """A status link mailed while the case was live (``cases.access.status_token``)."""
    data = _load(token, access._SALT)
    return _checked(data.get("c"), data.get("e")) if data else None
