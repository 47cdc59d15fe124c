"""Phone: calls agents log on a case, and callbacks customers ask for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from postdesk.domain import callbacks


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound (the customer called)")
    OUTBOUND = "outbound", _("Outbound (we called)")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Spoke with the customer")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class Window(models.TextChoices):
    ANY = callbacks.ANY, _("Any time during opening hours")
    MORNING = callbacks.MORNING, _("Morning (until noon)")
    AFTERNOON = callbacks.AFTERNOON, _("Afternoon (from noon)")


class CallbackRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        IN_PROGRESS = "in_progress", _("Being called")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not reach")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="callbacks")
    phone = models.CharField(max_length=32)  # E.164
    phone_extension = models.CharField(max_length=16, blank=True)
    window = models.CharField(max_length=16, choices=Window.choices, default=Window.ANY)
    # The next moment an agent should call, inside the window and the department's hours.
    due_at = models.DateTimeField()
    due_until = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    picked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="picked_callbacks")
    picked_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            # One open callback per case: asking twice does not queue two calls.
            models.UniqueConstraint(fields=["case"], condition=models.Q(status__in=["pending", "in_progress"]),
                                    name="uniq_open_callback_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.IN_PROGRESS)


class CallLog(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="calls")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="logged_calls")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.REACHED)
    duration_seconds = models.PositiveIntegerField(default=0)
    phone = models.CharField(max_length=32, blank=True)
    # Internal: never on the customer's status page.
    notes = models.TextField(blank=True)
    callback = models.ForeignKey(CallbackRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="calls")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.direction} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return round(self.duration_seconds / 60)
