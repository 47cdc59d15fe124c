"""Customer sign-in: emailed magic links, the customer session cookie, API tokens.

The customer is never a Django ``User``: the session is a separate cookie mapped to a
``CustomerSession`` row, so ``/console`` and ``/admin`` (which read ``request.user``) never see
a customer, and the account pages (which read only this cookie) never see an agent.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from postdesk.cases.models import Customer
from postdesk.customers.models import CustomerAccount, CustomerSession, MagicLink
from postdesk.portal import ratelimit

COOKIE_NAME = "postdesk_customer"
_LINK_SALT = "postdesk.customers.magic-link"
_API_SALT = "postdesk.customers.api-token"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _is_erased(customer: Customer) -> bool:
    return CustomerAccount.objects.filter(customer=customer, erased_at__isnull=False).exists()


# --- Rate limits (fixed window in the shared cache)


def _rate_keys(email: str, ip: str) -> list[tuple[str, int]]:
    # The address is hashed: the cache (a file or Redis) must not become a list of addresses.
    return [
        (f"signin:addr:{_sha256(email)}", settings.POSTDESK_SIGNIN_RATE_LIMIT_PER_ADDRESS),
        (f"signin:ip:{ip}", settings.POSTDESK_SIGNIN_RATE_LIMIT_PER_IP),
    ]


def sign_in_rate_limited(email: str, ip: str) -> bool:
    """Count this request; True when the address or the client has asked too often."""
    limited = False
    for key, limit in _rate_keys(email, ip):
        limited = ratelimit.count(key, settings.POSTDESK_SIGNIN_RATE_WINDOW_SECONDS) > limit or limited
    return limited


# --- Magic links


def magic_link_token(link: MagicLink, secret: str) -> str:
    return signing.dumps({"l": link.pk, "s": secret}, salt=_LINK_SALT)


def magic_link_url(token: str) -> str:
    return settings.POSTDESK_BASE_URL + reverse("customers:sign_in_link", args=[token])


@transaction.atomic
def magic_link_request(*, email: str, language: str) -> MagicLink | None:
    """Email a sign-in link if ``email`` belongs to a customer; None (and no email) otherwise.

    1. Create the secret and its hash whatever the address (the same work either way).
    2. Find the customer (not an erased one).
    3. Store the hash and queue the email in the outbox (sent by a worker after commit).
    The caller answers the same in every case, so the response never tells who is a customer.
    """
    from postdesk.notifications.services import customer_email_queue

    secret = secrets.token_urlsafe(32)
    secret_hash = _sha256(secret)
    customer = Customer.objects.filter(email=email.strip().lower()).first()
    if customer is None or _is_erased(customer):
        return None
    minutes = settings.POSTDESK_MAGIC_LINK_MAX_AGE_MINUTES
    link = MagicLink.objects.create(customer=customer, secret_hash=secret_hash,
                                    expires_at=timezone.now() + timedelta(minutes=minutes))
    customer_email_queue(customer=customer, purpose="magic_link", key="magic_link", context={
        "sign_in_url": magic_link_url(magic_link_token(link, secret)), "minutes": minutes,
    })
    return link


class LinkProblem(Exception):
    """Why a sign-in link cannot be used: ``invalid``, ``expired`` or ``used``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _LinkRef:
    link_id: int
    secret_hash: str


def _parse(token: str) -> _LinkRef:
    max_age = settings.POSTDESK_MAGIC_LINK_MAX_AGE_MINUTES * 60
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("l"), int) or not isinstance(data.get("s"), str):
        raise LinkProblem("invalid")
    return _LinkRef(data["l"], _sha256(data["s"]))


def magic_link_check(token: str) -> MagicLink:
    """The link, if it could be used now (without using it); else raise ``LinkProblem``."""
    ref = _parse(token)
    link = MagicLink.objects.select_related("customer").filter(pk=ref.link_id).first()
    if link is None or not secrets.compare_digest(link.secret_hash, ref.secret_hash):
        raise LinkProblem("invalid")
    if link.used_at is not None:
        raise LinkProblem("used")
    if link.expires_at <= timezone.now():
        raise LinkProblem("expired")
    if _is_erased(link.customer):
        raise LinkProblem("invalid")
    return link


@transaction.atomic
def magic_link_consume(token: str) -> Customer:
    """Use the link once: a conditional UPDATE, so of two racing requests exactly one wins."""
    link = magic_link_check(token)
    now = timezone.now()
    won = MagicLink.objects.filter(pk=link.pk, secret_hash=link.secret_hash, used_at__isnull=True,
                                   expires_at__gt=now).update(used_at=now)
    if won != 1:
        raise LinkProblem("used")
    account, _created = CustomerAccount.objects.get_or_create(customer=link.customer)
    account.last_sign_in_at = now
    account.save(update_fields=["last_sign_in_at"])
    return link.customer


# --- The customer session


def session_start(response, customer: Customer, *, previous_key: str | None = None) -> None:
    """A fresh key at every sign-in (no fixation); the old session, if any, ends."""
    if previous_key:
        CustomerSession.objects.filter(key_hash=_sha256(previous_key)).delete()
    key = secrets.token_urlsafe(32)
    days = settings.POSTDESK_CUSTOMER_SESSION_DAYS
    CustomerSession.objects.create(customer=customer, key_hash=_sha256(key),
                                   expires_at=timezone.now() + timedelta(days=days))
    response.set_cookie(COOKIE_NAME, key, max_age=days * 86400, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, path="/")


def session_end(request, response) -> None:
    key = request.COOKIES.get(COOKIE_NAME)
    if key:
        CustomerSession.objects.filter(key_hash=_sha256(key)).delete()
    response.delete_cookie(COOKIE_NAME, path="/", samesite="Lax")


def current_customer(request) -> Customer | None:
    """The signed-in customer of this request, or None. Cached on the request."""
    if hasattr(request, "_postdesk_customer"):
        return request._postdesk_customer
    customer = None
    key = request.COOKIES.get(COOKIE_NAME)
    if key:
        session = (CustomerSession.objects.select_related("customer")
                   .filter(key_hash=_sha256(key), expires_at__gt=timezone.now()).first())
        if session is not None and not _is_erased(session.customer):
            customer = session.customer
    request._postdesk_customer = customer
    return customer


# --- API tokens: the customer's proof for the REST API (shown on the account page)


def _email_digest(email: str) -> str:
    # Erasure replaces the address, which voids every token issued before.
    return _sha256("api:" + email.lower())[:16]


def api_token(customer: Customer) -> str:
    return signing.dumps({"c": customer.pk, "e": _email_digest(customer.email)}, salt=_API_SALT)


def customer_from_api_token(token: str) -> Customer | None:
    try:
        data = signing.loads(token, salt=_API_SALT,
                             max_age=settings.POSTDESK_CUSTOMER_API_TOKEN_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    customer = Customer.objects.filter(pk=data.get("c")).first()
    if customer is None or _email_digest(customer.email) != data.get("e") or _is_erased(customer):
        return None
    return customer


def expired_sign_ins_purge(*, now=None) -> dict[str, int]:
    """Delete sign-in links and sessions past their expiry (a day late, so a customer clicking
    an old link still reads "expired" rather than "not valid" for a while)."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    links = MagicLink.objects.filter(expires_at__lt=cutoff).delete()[0]
    sessions = CustomerSession.objects.filter(expires_at__lt=cutoff).delete()[0]
    return {"links": links, "sessions": sessions}
