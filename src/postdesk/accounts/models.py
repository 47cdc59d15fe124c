"""Staff: which departments an agent works in, and who supervises."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentProfile(models.Model):
    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    departments = models.ManyToManyField("cases.Department", blank=True, related_name="agents")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR
