"""Customer accounts: sign-in links, customer sessions and erasure requests.

A customer's identity is kept apart from the agents' Django auth: its own cookie, its own
session table (``CustomerSession``), never ``request.user``. So a customer session can never
open the console or the admin, and an agent's login is not a customer sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerAccount(models.Model):
    """What an account adds to ``cases.Customer``: sign-in history, and erasure."""

    customer = models.OneToOneField("cases.Customer", on_delete=models.CASCADE, related_name="account")
    last_sign_in_at = models.DateTimeField(null=True, blank=True)
    # Set once the customer's personal data is erased: nobody signs in as this customer again.
    erased_at = models.DateTimeField(null=True, blank=True)


class MagicLink(models.Model):
    """One emailed sign-in link. Only a hash of its secret is stored; ``used_at`` is set by a
    conditional UPDATE, so a link works once even when two requests race."""

    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE, related_name="+")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class CustomerSession(models.Model):
    """A signed-in customer's session; the cookie holds the key, the table only its hash."""

    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)


class ErasureRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ERASED = "erased", _("Erased")

    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE,
                                 related_name="erasure_requests")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    # Who asked: the customer themselves (signed in), or empty when a supervisor erased unasked.
    requested_by_customer = models.BooleanField(default=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # What each step removed, e.g. {"messages": 3, "attachments": 1}: counts, never content.
    steps = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
