"""What the email channel keeps besides cases: raw originals, quarantine, mailboxes to poll."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RawEmail(models.Model):
    """The original bytes of a received email, kept for the paper trail and the .eml download."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(upload_to="raw-email/", max_length=200)
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=16)  # smtp, imap, pipe, import
    created_at = models.DateTimeField(auto_now_add=True)


class QuarantinedEmail(models.Model):
    """A message that was not turned into a case message, with the reason. Admins can re-process it."""

    class Reason(models.TextChoices):
        ERROR = "error", _("Could not be processed")
        SPAM = "spam", _("Marked as spam")
        BLOCKED = "blocked", _("Sender blocked")
        AUTOMATIC = "automatic", _("Automatic message without a case")

    raw = models.ForeignKey(RawEmail, on_delete=models.CASCADE, related_name="quarantine")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    error = models.TextField(blank=True)
    source = models.CharField(max_length=16)
    mailbox = models.CharField(max_length=200, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quarantined email")
        verbose_name_plural = _("quarantined emails")


class BlockedSender(models.Model):
    """An address (``someone@example.com``) or a whole domain (``@example.com``) never taken in."""

    pattern = models.CharField(max_length=320, unique=True)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.pattern


class Mailbox(models.Model):
    """An IMAP mailbox polled by ``postdesk poll-imap``; its mail goes to one department."""

    class AfterProcessing(models.TextChoices):
        MOVE = "move", _("Move to the processed folder")
        FLAG = "flag", _("Flag as seen and leave in place")

    name = models.CharField(max_length=100, unique=True)
    host = models.CharField(max_length=200)
    port = models.PositiveIntegerField(default=993)
    use_ssl = models.BooleanField(default=True)
    starttls = models.BooleanField(default=False)
    username = models.CharField(max_length=200)
    # The password itself lives in the environment: POSTDESK_IMAP_PASSWORD_<NAME> (upper-case).
    password_env = models.CharField(max_length=100, blank=True)
    folder = models.CharField(max_length=200, default="INBOX")
    processed_folder = models.CharField(max_length=200, default="Postdesk/Processed")
    quarantine_folder = models.CharField(max_length=200, default="Postdesk/Quarantine")
    after_processing = models.CharField(max_length=8, choices=AfterProcessing.choices,
                                        default=AfterProcessing.MOVE)
    department = models.ForeignKey("cases.Department", on_delete=models.PROTECT, related_name="mailboxes")
    enabled = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class ThreadReference(models.Model):
    """A Message-ID that a stored email pointed at (In-Reply-To/References).

    Mail does not arrive in order: when a reply is taken in before the message it answers, the
    original finds its thread here when it finally arrives.
    """

    referenced_id = models.CharField(max_length=250, db_index=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(max_length=320)
