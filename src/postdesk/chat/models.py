"""Live chat: a session per conversation and its numbered log.

The conversation itself lives on the case (``cases.Message``: customer messages arrive through
``intake.services.ingest``, agent messages are ``case_reply``). ``ChatEntry`` is the ordered,
numbered log the socket replays from: a client that reconnects says the last number it saw and
gets everything after it, so a dropped connection loses nothing.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_public_id() -> str:
    # Unguessable: it names the chat in URLs and socket paths (ownership is still checked).
    return secrets.token_urlsafe(18)


class ChatSession(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for an agent")
        ACTIVE = "active", _("With an agent")
        ENDED = "ended", _("Ended")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    # Set by the first customer message (which opens or joins the case), or at the start when
    # the chat was opened from the customer's own status page.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="chat_sessions")
    customer_name = models.CharField(max_length=200, blank=True)
    # Empty when the customer gave no address: no transcript email then.
    customer_email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chat_sessions")
    last_seq = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "started_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_live(self) -> bool:
        return self.state != self.State.ENDED


class ChatEntry(models.Model):
    """One numbered line of a chat: a customer or agent message, or a system notice."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")
        SYSTEM = "system", _("Notice")

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The case message this line shows (customer and agent lines).
    message = models.ForeignKey("cases.Message", null=True, blank=True, on_delete=models.CASCADE)
    # The id the sending client gave its message: its resend after a reconnect is the same line.
    client_id = models.CharField(max_length=64, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    # System notices: a code the client translates (picked_up, transferred, ended) and values.
    notice = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="uniq_chat_entry_seq"),
            models.UniqueConstraint(fields=["session", "kind", "client_id"],
                                    condition=~models.Q(client_id=""), name="uniq_chat_entry_client_id"),
        ]


class AgentPresence(models.Model):
    """An agent who switched on "available for chat"; the console keeps ``seen_at`` fresh."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="chat_presence")
    available = models.BooleanField(default=False)
    seen_at = models.DateTimeField(null=True, blank=True)
