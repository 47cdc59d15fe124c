"""Agents are Django users with an agent profile: role and department memberships."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from postdesk.accounts.models import AgentProfile

User = get_user_model()


class AgentProfileInline(admin.StackedInline):
    model = AgentProfile
    can_delete = True
    fields = ["role", "departments"]
    filter_horizontal = ["departments"]
    verbose_name = _("agent profile")
    verbose_name_plural = _("agent profile (role and departments)")
    extra = 0
    max_num = 1


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AgentUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, AgentProfileInline]
    list_display = ["username", "first_name", "last_name", "email", "agent_role",
                    "agent_departments", "is_active", "is_staff"]
    list_filter = ["agent_profile__role", "agent_profile__departments", "is_active", "is_staff",
                   "is_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent_profile").prefetch_related(
            "agent_profile__departments"
        )

    @admin.display(description=_("role"), ordering="agent_profile__role")
    def agent_role(self, user):
        profile = getattr(user, "agent_profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description=_("departments"))
    def agent_departments(self, user):
        profile = getattr(user, "agent_profile", None)
        if profile is None:
            return "—"
        return ", ".join(department.name for department in profile.departments.all()) or "—"
