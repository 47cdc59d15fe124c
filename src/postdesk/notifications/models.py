"""The outbox: every email Postdesk sends is a row first, sent by a worker after commit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="outbound_emails"
    )
    # The case message this email carries (a reply), or answers (a confirmation).
    case_message = models.ForeignKey(
        "cases.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_emails"
    )
    purpose = models.CharField(max_length=32)
    from_email = models.CharField(max_length=320)
    to = models.CharField(max_length=320)
    reply_to = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=250, unique=True)
    attachment_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.to} ({self.status})"


class EmailTemplate(models.Model):
    """An admin's override of a built-in email text, per language.

    Rendered with Django's template language; the customer's own words only ever arrive as
    context values, never as template source.
    """

    key = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "language"], name="uniq_template")]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"
