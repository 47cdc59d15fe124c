"""Social conversations (X direct messages, Facebook Messenger) and the outbox of replies.

The conversation itself lives on the case like every channel's (``cases.Message``, through
``intake.services.ingest``); these rows only remember who the customer is on the platform,
which case their conversation is on now, and the replies still to be posted back.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook Messenger"


class SocialConversation(models.Model):
    """One customer talking to one of our accounts: an X DM thread, a Messenger sender-page pair."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    account_id = models.CharField(max_length=64)     # our X user id / Facebook page id
    participant_id = models.CharField(max_length=64)  # the customer's X user id / page-scoped id
    handle = models.CharField(max_length=100, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE,
                                 related_name="social_conversations")
    # The case new messages join while it can still be reopened (POSTDESK_REOPEN_DAYS).
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="social_conversations")
    # An address the customer wrote in a message: agents' replies continue by email to it.
    follow_up_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "account_id", "participant_id"],
                                               name="uniq_social_conversation")]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle or self.participant_id}"


class SocialOutbound(models.Model):
    """An agent's reply to be posted through the platform's API: sent by a worker after commit."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    conversation = models.ForeignKey(SocialConversation, on_delete=models.CASCADE,
                                     related_name="outbound")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="social_outbound")
    case_message = models.ForeignKey("cases.Message", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="social_outbound")
    text = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A reply longer than the platform takes goes out in pieces; a retry resumes after these.
    parts_sent = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    platform_message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.conversation} ({self.status})"
